from django.urls import path

from gonghui.core.tables import TABLES

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.dashboard, name="dashboard"),
    # The dashboard's groups and charts, fetched after the page on a large subtree.
    path("<str:code>/group/", views.dashboard_group, name="dashboard_group"),
    path("<str:code>/chart/", views.dashboard_chart, name="dashboard_chart"),
    path("<str:code>/figure/<str:metric>/", views.figure, name="figure"),
    path("<str:code>/records/<str:metric>/", views.records, name="records"),
    path("<str:code>/targets/", views.targets, name="targets"),
    path("<str:code>/lock/", views.lock, name="lock"),
    path("<str:code>/unlock/", views.unlock, name="unlock"),
    path("<str:code>/tables.xlsx", views.tables_xlsx, name="tables"),
    path("<str:code>/summary.docx", views.summary_docx, name="summary"),
    path("<str:code>/annual/", views.annual_check, name="annual"),
    path("<str:code>/annual.xlsx", views.annual_xlsx, name="annual_xlsx"),
    path("<str:code>/template/", views.template, name="template"),
    path("<str:code>/template/download/", views.template_download, name="template_download"),
]

# One page per standard table a work line registered (core.tables), each under the table's own
# permission: table/<key>/?org=CODE&preset=…, ?format=xlsx for the workbook. Last, so that an
# org code never loses its own pages to them.
urlpatterns += [path(f"table/{key}/", views.table_view(key), name=f"table_{key}") for key in TABLES]
