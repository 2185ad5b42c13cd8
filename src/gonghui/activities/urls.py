from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("copy-year/", views.copy_year, name="copy_year"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/attendees/", views.attendees, name="attendees"),
    path("<int:pk>/attendees/remove/", views.attendee_remove, name="attendee_remove"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_open, name="attachment_open"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("ankang/", views.ankang, name="ankang"),
    path("ankang/new/", views.ankang_create, name="ankang_create"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("kinds/", views.kinds, name="kinds"),
    path("kinds/new/", views.kind_create, name="kind_create"),
    path("kinds/<int:pk>/", views.kind_edit, name="kind_edit"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/visits/", views.post_visits, name="post_visits"),
    path("posts/<int:pk>/visitor/", views.post_visitor, name="post_visitor"),
    path("posts/<int:pk>/volunteer/", views.post_volunteer, name="post_volunteer"),
    path("safety/", views.inspections, name="inspections"),
    path("safety/new/", views.inspection_create, name="inspection_create"),
    path("safety/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("safety/<int:pk>/finding/", views.finding_add, name="finding_add"),
    path("safety/finding/<int:pk>/close/", views.finding_close, name="finding_close"),
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/new/", views.publicity_create, name="publicity_create"),
]
