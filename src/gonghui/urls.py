"""The site's URLs: each work line mounts its own (core.workline), so this list never grows."""

from gonghui.core import workline

urlpatterns = workline.url_patterns()

handler403 = "gonghui.core.errors_views.forbidden"
handler404 = "gonghui.core.errors_views.not_found"
handler500 = "gonghui.core.errors_views.server_error"
