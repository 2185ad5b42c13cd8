from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo, name="todo"),
    path("stats/", views.stats, name="stats"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/access/", views.access_log, name="access_log"),
    path("healthz", views.healthz, name="healthz"),
]
