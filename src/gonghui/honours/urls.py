from django.urls import path

from . import views

app_name = "honours"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.worker_export, name="worker_export"),
    path("workers/new/", views.worker_create, name="worker_create"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/reveal/", views.worker_reveal, name="worker_reveal"),
    path("workers/<int:pk>/titles/new/", views.title_add, name="title_add"),
    path("workers/<int:pk>/titles/regrade/", views.title_regrade, name="title_regrade"),
    path("titles/<int:pk>/remove/", views.title_remove, name="title_remove"),
    path("workers/<int:pk>/care/new/", views.care_add, name="care_add"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/serve/<int:worker>/", views.campaign_serve, name="campaign_serve"),
    path("honours/", views.honours, name="honours"),
    path("honours/export/", views.honour_export, name="honour_export"),
    path("honours/new/", views.honour_apply, name="honour_apply"),
    path("honours/<int:pk>/", views.honour_detail, name="honour_detail"),
    path("homes/", views.homes, name="homes"),
    path("homes/export/", views.home_export, name="home_export"),
    path("homes/new/", views.home_rate, name="home_rate"),
    path("homes/<int:pk>/", views.home_detail, name="home_detail"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("indicators/", views.indicator_systems, name="indicator_systems"),
    path("indicators/new/", views.indicator_system_create, name="indicator_system_create"),
    path("teams/pick/", views.pick_teams, name="pick_teams"),
    path("innovations/", views.innovations, name="innovations"),
    path("contests/", views.contests, name="contests"),
    path("contests/export/", views.contest_export, name="contest_export"),
    path("contests/new/", views.contest_create, name="contest_create"),
    path("contests/<int:pk>/", views.contest_detail, name="contest_detail"),
]
