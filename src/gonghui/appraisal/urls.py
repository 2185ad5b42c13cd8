from django.urls import path

from . import views

app_name = "appraisal"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_new, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme, name="scheme"),
    path("schemes/<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("indicators/<int:pk>/remove/", views.indicator_remove, name="indicator_remove"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/version/", views.scheme_version, name="scheme_version"),
    path("schemes/<int:pk>/notice/", views.scheme_notice, name="scheme_notice"),
    path("schemes/<int:pk>/issue/", views.scheme_issue, name="scheme_issue"),
    path("schemes/<int:pk>/publish/", views.scheme_publish, name="scheme_publish"),
    path("schemes/<int:pk>/export/", views.scheme_export, name="scheme_export"),
    path("appraisals/<int:pk>/", views.appraisal, name="appraisal"),
    path("appraisals/<int:pk>/charter/", views.charter, name="charter"),
    path("appraisals/<int:pk>/submit/", views.appraisal_submit, name="appraisal_submit"),
    path("entries/<int:pk>/self/", views.entry_self, name="entry_self"),
    path("entries/<int:pk>/review/", views.entry_review, name="entry_review"),
    path("entries/<int:pk>/upload/", views.entry_upload, name="entry_upload"),
    path("uploads/<int:pk>/", views.upload_download, name="upload"),
    path("uploads/<int:pk>/remove/", views.upload_remove, name="upload_remove"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<int:pk>/copy/", views.round_copy, name="round_copy"),
    path("rounds/<int:pk>/recurrence/", views.round_recurrence, name="round_recurrence"),
    path("rounds/<int:pk>/export/", views.round_export, name="round_export"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/<str:action>/", views.submission_judge, name="submission_judge"),
]
