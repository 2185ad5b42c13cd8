from django.urls import path

from . import views, views_io

app_name = "democracy"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.congress_create, name="congress_create"),
    path("export/", views_io.export_congresses, name="congresses_export"),
    path("<int:pk>/", views.congress_detail, name="congress_detail"),
    path("<int:pk>/step/<str:name>/", views.congress_step, name="congress_step"),
    path("<int:pk>/delegates.xlsx", views_io.export_delegates, name="delegates_export"),
    path("delegates/<int:pk>/remove/", views.delegate_remove, name="delegate_remove"),
    path("establishment/", views.establishment, name="establishment"),
    path("establishment/export/", views_io.export_establishment, name="establishment_export"),
    path("establishment/system/new/", views.disclosure_system_create, name="disclosure_system_create"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/export/", views_io.export_proposals, name="proposals_export"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/step/<str:name>/", views.proposal_step, name="proposal_step"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path("disclosures/export/", views_io.export_disclosures, name="disclosures_export"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("disclosures/<int:pk>/step/<str:name>/", views.disclosure_step, name="disclosure_step"),
]
