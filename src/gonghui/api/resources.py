"""The platform's own resources (orgs, employers, members, petitions, stats; the cases' rows and the
mediations in reads_core; the figures' targets and reported values in reads_reports), declared
through the same hook as every line's (registry, `api_module`)."""

from . import (
    reads_core,  # noqa: F401  (registers the petitions' and mediations' rows at import)
    reads_reports,  # noqa: F401  (registers the figures' targets and reported values)
    registry,
    views,
    views_imports,
)

registry.register("orgs", views.OrgViewSet)
registry.register("employers", views.EmployerViewSet)
registry.register("members", views.MemberViewSet)
registry.register("petitions", views.PetitionViewSet)
registry.register_view("stats", views.StatsView, "stats")
registry.register_view("stats/<str:key>/breakdown", views.StatsBreakdownView, "stats_breakdown")
registry.register_view("stats/<str:key>/records", views.StatsRecordsView, "stats_records")
registry.register_view("imports/<str:kind>", views_imports.ImportView, "import")
registry.register_view("jobs/<str:id>", views_imports.JobView, "job")
