"""Excel pages: archive import (two-phase, errors listed on the page), exports."""

import io

from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse

from gonghui.core import clock, excel, scope
from gonghui.core.models_jobs import Job
from gonghui.core.views_base import requires
from gonghui.core.views_import import job_import

from . import exports
from .imports import ArchiveImporter
from .models import Archive, ArchiveStatus, Campaign


def _xlsx(content: bytes, name: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


def _import_page(request, form, **extra):
    recent = Job.objects.filter(user=request.user, kind="import", params__importer=ArchiveImporter.kind)[:5]
    return render(request, "assistance/import.html", {"importer": ArchiveImporter, "form": form, "recent": recent,
                                                      **extra})


@requires("assistance.change")
def archive_import(request):
    """Through the shared import job (core.jobs): the same two-phase run, and on errors a
    downloadable copy of the sheet with an "错误说明" column."""
    links = [["查看困难职工档案", reverse("assistance:archives")], ["继续导入", reverse("assistance:archive_import")]]
    return job_import(request, importer=ArchiveImporter, title="导入困难职工档案", links=links, page=_import_page,
                      done="assistance:archive_import")


@requires("assistance.change")
def archive_import_template(request):
    return _xlsx(excel.template(ArchiveImporter.columns, sheet_name="困难职工档案"), "困难职工档案导入模板.xlsx")


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
