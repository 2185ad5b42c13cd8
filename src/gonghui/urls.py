from django.urls import include, path

urlpatterns = [
    path("", include("gonghui.core.urls")),
    path("accounts/", include("gonghui.accounts.urls")),
    path("jobs/", include("gonghui.core.urls_jobs")),
    path("orgs/", include("gonghui.orgs.urls")),
    path("members/", include("gonghui.members.urls")),
    path("bargaining/", include("gonghui.bargaining.urls")),
    path("petitions/", include("gonghui.petitions.urls")),
    path("assistance/", include("gonghui.assistance.urls")),
    path("reports/", include("gonghui.reports.urls")),
]

handler403 = "gonghui.core.errors_views.forbidden"
handler404 = "gonghui.core.errors_views.not_found"
handler500 = "gonghui.core.errors_views.server_error"
