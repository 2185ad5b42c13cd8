"""我的任务 (background jobs): the list, one job's page, its progress partial, result file and rerun."""

from django.urls import path

from . import views_jobs

app_name = "jobs"
urlpatterns = [
    path("", views_jobs.job_list, name="list"),
    path("<int:pk>/", views_jobs.job_detail, name="detail"),
    path("<int:pk>/progress/", views_jobs.job_progress, name="progress"),
    path("<int:pk>/download/", views_jobs.job_download, name="download"),
    path("<int:pk>/rerun/", views_jobs.job_rerun, name="rerun"),
]
