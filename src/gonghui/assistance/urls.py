from django.urls import path

from gonghui.core.tables import moved_view

from . import views, views_io

app_name = "assistance"
urlpatterns = [
    path("", views.index, name="index"),
    path("archives/", views.archives, name="archives"),
    path("archives/new/", views.archive_create, name="archive_create"),
    path("archives/export/", views_io.archive_export, name="archive_export"),
    path("archives/notice-list/", views_io.notice_list, name="notice_list"),
    path("archives/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("archives/<int:pk>/edit/", views.archive_edit, name="archive_edit"),
    path("archives/<int:pk>/family/", views.archive_family, name="archive_family"),
    path("archives/<int:pk>/expense/", views.archive_expense, name="archive_expense"),
    path("archives/<int:pk>/apply/", views.application_create, name="application_create"),
    path("archives/<int:pk>/reveal/", views.archive_reveal, name="archive_reveal"),
    path("archives/<int:pk>/<slug:action>/", views.archive_transition, name="archive_transition"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/screen/", views.application_screen, name="application_screen"),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path("applications/<int:pk>/approve/", views.application_approve, name="application_approve"),
    path("applications/<int:pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_open, name="document_open"),
    path("applications/<int:pk>/pay/", views.payment_create, name="payment_create"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/targets/", views.campaign_targets, name="campaign_targets"),
    path("campaigns/<int:pk>/ledger/", views_io.campaign_ledger, name="campaign_ledger"),
    path("pairings/", views.pairings, name="pairings"),
    path("pairings/helpers/new/", views.helper_create, name="helper_create"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("pairings/<int:pk>/end/", views.pairing_end, name="pairing_end"),
    path("standards/", views.standards, name="standards"),
    # The standard table moved to the reports app (declared in metrics.py); old links still work.
    path("table/", moved_view("assistance"), name="table"),
]
