"""Excel exports: the archive list, the notice list, a campaign's ledger. The archive import page is
core's, served for every registered importer (core.views_import)."""

import io

from django.http import FileResponse

from gonghui.core import clock, scope
from gonghui.core.views_base import requires

from . import exports
from .models import Archive, ArchiveStatus, Campaign


def _xlsx(content: bytes, name: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


@requires("assistance.view")
def archive_export(request):
    qs = scope.visible(Archive.objects.all(), request.user, "assistance.view")
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    content, _ = exports.archive_list(request.user, qs.order_by("org__path", "no"))
    return _xlsx(content, f"困难职工档案_{clock.today():%Y%m%d}.xlsx")


@requires("assistance.view")
def notice_list(request):
    qs = scope.visible(Archive.objects.filter(status=ArchiveStatus.NOTICE), request.user, "assistance.view")
    content, _ = exports.notice_list(request.user, qs.order_by("org__path", "notice_from", "id"))
    return _xlsx(content, f"困难职工建档公示名单_{clock.today():%Y%m%d}.xlsx")


@requires("assistance.view")
def campaign_ledger(request, pk):
    c = scope.get_visible_or_404(Campaign.objects.select_related("org"), request.user, "assistance.view", pk=pk)
    content, _ = exports.campaign_ledger(request.user, c)
    return _xlsx(content, f"{c.name}_发放台账.xlsx")
