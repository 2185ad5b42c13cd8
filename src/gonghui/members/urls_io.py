"""URLs of the roster's Excel import and export (views_io.py)."""

from django.urls import path

from . import views_io

urlpatterns = [
    path("import/", views_io.import_page, name="import"),
    path("import/template/", views_io.import_template, name="import_template"),
    path("export/", views_io.export, name="export"),
]
