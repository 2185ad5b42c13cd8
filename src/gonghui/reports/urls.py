from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.dashboard, name="dashboard"),
    path("<str:code>/figure/<str:metric>/", views.figure, name="figure"),
    path("<str:code>/records/<str:metric>/", views.records, name="records"),
    path("<str:code>/targets/", views.targets, name="targets"),
    path("<str:code>/lock/", views.lock, name="lock"),
    path("<str:code>/unlock/", views.unlock, name="unlock"),
    path("<str:code>/tables.xlsx", views.tables_xlsx, name="tables"),
    path("<str:code>/summary.docx", views.summary_docx, name="summary"),
    path("<str:code>/template/", views.template, name="template"),
    path("<str:code>/template/download/", views.template_download, name="template_download"),
]
