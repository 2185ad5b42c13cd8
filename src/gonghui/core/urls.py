from django.urls import path

from . import views, views_calendar, views_guide, views_import, views_notices

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo, name="todo"),
    # The start page's to-do items and headline figures, fetched after the page.
    path("workbench/todo/", views.workbench_todo, name="workbench_todo"),
    path("workbench/figures/", views.workbench_figures, name="workbench_figures"),
    path("stats/", views.stats, name="stats"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/access/", views.access_log, name="access_log"),
    path("audit/<int:seq>/", views.audit_entry, name="audit_entry"),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar/delete/", views_calendar.calendar_delete, name="calendar_delete"),
    # Every registered importer's page and template (core.excel.IMPORTERS); the kind decides the permission.
    path("import/<str:kind>/", views_import.import_page, name="import"),
    path("import/<str:kind>/template/", views_import.import_template, name="import_template"),
    path("guide/<str:line>/", views_guide.guide, name="guide"),  # a work line's 使用说明 (core.guides)
    path("notices/", views_notices.notice_list, name="notices"),
    path("notices/new/", views_notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/withdraw/", views_notices.notice_withdraw, name="notice_withdraw"),
    path("workbench/drafts/", views_notices.workbench_drafts, name="workbench_drafts"),
    path("healthz", views.healthz, name="healthz"),
]
