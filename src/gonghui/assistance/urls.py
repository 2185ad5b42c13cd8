from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("", views.index, name="index"),
]
