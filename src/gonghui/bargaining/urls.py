from django.urls import path

from . import views

app_name = "bargaining"
urlpatterns = [
    path("", views.index, name="index"),
]
