"""Excel pages: archive import (two-phase, errors listed on the page), exports."""

import datetime as dt
import io

from django import forms as djforms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.core import excel, jobs, scope
from gonghui.core.errors import ServiceError
from gonghui.core.forms import Form
from gonghui.core.models_jobs import Job
from gonghui.core.periods import Period
from gonghui.core.views_base import requires
from gonghui.orgs.models import Org

from . import exports, forms, selectors
from .imports import ArchiveImporter
from .models import Archive, ArchiveStatus, Campaign
from .views import _root

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class UploadForm(Form):
    file = djforms.FileField(label="Excel 文件", help_text="支持 .xlsx、.xls，最大 10 MB。")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            raise djforms.ValidationError("请上传 Excel 文件（.xlsx 或 .xls）。")
        if f.size > MAX_UPLOAD_BYTES:
            raise djforms.ValidationError("文件超过 10 MB，请分批导入。")
        return f


def _xlsx(content: bytes, name: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


SYNC_MAX_ROWS = 1000  # bigger files run as a background job with a progress bar


def _import_page(request, form, **extra):
    recent = Job.objects.filter(user=request.user, kind="import", params__importer=ArchiveImporter.kind)[:5]
    return render(request, "assistance/import.html", {"importer": ArchiveImporter, "form": form, "recent": recent,
                                                      **extra})


@requires("assistance.change")
def archive_import(request):
    """Through the shared import job (core.jobs): the same two-phase run, and on errors a
    downloadable copy of the sheet with an "错误说明" column."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, form)
    data = excel.file_bytes(form.cleaned_data["file"])
    try:
        count = excel.data_rows(data)
    except excel.ImportFileError as exc:
        form.add_error("file", str(exc))
        return _import_page(request, form)
    links = [["查看困难职工档案", reverse("assistance:archives")], ["继续导入", reverse("assistance:archive_import")]]
    job = jobs.create(user=request.user, kind="import", title="导入困难职工档案",
                      params={"importer": ArchiveImporter.kind, "links": links}, input_bytes=data)
    if count > SYNC_MAX_ROWS:
        jobs.enqueue(job)
        messages.info(request, f"文件共 {count:,} 行，已转入后台导入。可以关闭本页，稍后在“我的任务”中查看结果。")
        return redirect("jobs:detail", pk=job.pk)
    job = jobs.run_now(job)
    if job.status == Job.Status.FAILED:
        form.add_error("file", job.error)
        return _import_page(request, form)
    result = job.result
    if result["error_count"]:
        return _import_page(request, UploadForm(), job=job, errors=result["errors"],
                            error_count=result["error_count"], total=result["total"])
    messages.success(request, f"导入困难职工档案完成：共 {result['total']} 行，新增 {result['created']}，"
                              f"未变 {result['unchanged']}。")
    return redirect("assistance:archive_import")


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
    return _xlsx(content, f"困难职工档案_{dt.date.today():%Y%m%d}.xlsx")


@requires("assistance.view")
def notice_list(request):
    qs = scope.visible(Archive.objects.filter(status=ArchiveStatus.NOTICE), request.user, "assistance.view")
    content, _ = exports.notice_list(request.user, qs.order_by("org__path", "notice_from", "id"))
    return _xlsx(content, f"困难职工建档公示名单_{dt.date.today():%Y%m%d}.xlsx")


@requires("assistance.view")
def campaign_ledger(request, pk):
    c = scope.get_visible_or_404(Campaign.objects.select_related("org"), request.user, "assistance.view", pk=pk)
    content, _ = exports.campaign_ledger(request.user, c)
    return _xlsx(content, f"{c.name}_发放台账.xlsx")


@requires("assistance.view")
def standard_table(request):
    today = dt.date.today()
    form = forms.TableForm(request.GET or None, initial={"start": dt.date(today.year, 1, 1), "end": today})
    rows, org, period = None, None, None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        code = d["org"].strip()
        org = (scope.visible(Org.objects.filter(code=code), request.user, "assistance.view", "path").first()
               if code else _root(request.user))
        if org is None:
            form.add_error("org", f"未找到编码为“{code}”的单位，或不在您的查看范围内。")
        else:
            try:
                period = Period(d["start"], d["end"])
            except ServiceError as err:
                form.add_error("end", err.messages[0])
            else:
                rows = selectors.standard_table(org, period)
                if request.GET.get("format") == "xlsx":
                    return _xlsx(exports.standard_table(request.user, org, period, rows),
                                 f"帮扶情况统计表_{org.name}.xlsx")
    return render(request, "assistance/table.html", {
        "form": form, "rows": rows, "org": org, "period": period,
        "headers": [label for _, label in selectors.TABLE_COLUMNS]})
