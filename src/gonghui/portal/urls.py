from django.urls import path

from . import views, views_motions, views_transfer

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("privacy/", views.privacy, name="privacy"),
    path("join/", views.join, name="join"),
    path("join/employers/", views.pick_employer, name="pick_employer"),
    path("join/areas/", views.pick_area, name="pick_area"),
    path("join/status/", views.status, name="status"),
    path("v/<str:token>/", views.verify, name="verify"),
    path("login/", views.sign_in, name="sign_in"),
    path("activate/", views.activate, name="activate"),
    path("logout/", views.sign_out, name="sign_out"),
    # The member's own pages (the member realm: auth.member_required).
    path("home/", views.home, name="home"),
    path("card/", views.card, name="card"),
    path("card/qr.svg", views.card_qr, name="card_qr"),
    path("records/", views.records, name="records"),
    path("rights/", views.rights, name="rights"),
    path("rights/<int:pk>/", views.rights_detail, name="rights_detail"),
    path("help/", views.help_page, name="help"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/<int:pk>/", views.survey_answer, name="survey_answer"),
    path("transfer/", views_transfer.transfer, name="transfer"),
    path("transfer/unions/", views_transfer.pick_union, name="pick_union"),
    path("motions/", views_motions.motions, name="motions"),
    path("motions/new/", views_motions.motion_new, name="motion_new"),
    path("motions/<int:pk>/", views_motions.motion_detail, name="motion_detail"),
    # Staff side.
    path("staff/applications/", views.applications, name="applications"),
    path("staff/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("staff/applications/<int:pk>/accept/", views.application_accept, name="application_accept"),
    path("staff/applications/<int:pk>/refuse/", views.application_refuse, name="application_refuse"),
    path("staff/memberships/<int:pk>/code/", views.code_reissue, name="code_reissue"),
    path("staff/rights/", views.rights_list, name="rights_list"),
    path("staff/rights/<int:pk>/", views.rights_staff_detail, name="rights_staff_detail"),
    path("staff/help/", views.help_list, name="help_list"),
    path("staff/help/<int:pk>/", views.help_detail, name="help_detail"),
    path("staff/help/<int:pk>/file/", views.help_file, name="help_file"),
    path("staff/delegates/", views_motions.delegate_links, name="delegate_links"),
    path("staff/delegates/<int:pk>/", views_motions.delegate_link, name="delegate_link"),
    path("staff/delegates/<int:pk>/unlink/", views_motions.delegate_unlink, name="delegate_unlink"),
]
