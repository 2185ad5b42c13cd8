from django.urls import path

from gonghui.core.tables import moved_view

from . import views, views_io, views_mediation

app_name = "petitions"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("extensions/", views.extensions, name="extensions"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("absences/", views.absences, name="absences"),
    path("export/", views_io.export, name="export"),
    # The standard table moved to the reports app (declared in metrics.py); old links still work.
    path("table/", moved_view("petitions"), name="table"),
    path("mediation/", views_mediation.mediation_list, name="mediation_list"),
    path("mediation/new/", views_mediation.mediation_new, name="mediation_new"),
    path("mediation/<int:pk>/", views_mediation.mediation_detail, name="mediation_detail"),
    path("mediation/<int:pk>/act/<slug:action>/", views_mediation.mediation_act, name="mediation_act"),
    path("mediation/<int:pk>/reveal/", views_mediation.mediation_reveal, name="mediation_reveal"),
]
