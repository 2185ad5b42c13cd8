from django.urls import path

from . import views, views_alias

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/found/", views.found, name="found"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/rename/", views.rename, name="rename"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/reelect/", views.reelect, name="reelect"),
    path("<int:pk>/type/", views.change_type, name="change_type"),
    path("<int:pk>/dissolve/", views.dissolve, name="dissolve"),
    path("<int:pk>/legal/", views.legal, name="legal"),
    path("employers/", views.employers, name="employers"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/aliases/", views_alias.employer_aliases, name="employer_aliases"),
    path("employers/aliases/<int:pk>/remove/", views_alias.employer_alias_remove, name="employer_alias_remove"),
    path("coverages/<int:pk>/end/", views.coverage_end, name="coverage_end"),
    path("pick/", views.pick_orgs, name="pick"),
    path("employers/pick/", views.pick_employers, name="pick_employers"),
]
