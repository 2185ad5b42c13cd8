from django.urls import path

from . import views, views_io

app_name = "members"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("new/", views.join, name="join"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/retain/", views.retain, name="retain"),
    path("<int:pk>/restore/", views.restore, name="restore"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("export/", views_io.export, name="export"),
    path("pick/", views.pick_people, name="pick"),
]
