from django.urls import path

from . import views

app_name = "mutual_aid"
urlpatterns = [
    path("", views.index, name="index"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("claims/", views.claims, name="claims"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("plans/", views.plans, name="plans"),
]
