from django.urls import path

from gonghui.core.tables import moved_view

from . import views, views_io

app_name = "bargaining"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<str:name>/", views.step, name="step"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
    path("representatives/<int:pk>/remove/", views.rep_remove, name="rep_remove"),
    path("export/", views_io.export_registry, name="export"),
    # The standard table moved to the reports app (declared in metrics.py); old links still work.
    path("table/", moved_view("bargaining"), name="table"),
]
