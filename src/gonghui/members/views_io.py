"""The roster's Excel pages: template, import (small files at once, big ones as a job), export.

Every import is recorded as a job (core.jobs), even a small one run inside the request: its
error report is then a private file that only the uploader can download, from this page or
from "我的任务", and nothing from the file is logged.
"""

import io

from django import forms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.core import excel, jobs
from gonghui.core.forms import Form
from gonghui.core.models_jobs import Job
from gonghui.core.views_base import requires

from . import exports
from .imports import MemberImporter

MAX_UPLOAD_BYTES = 30 * 1024 * 1024  # ~150,000 rows
SYNC_MAX_ROWS = 1000  # above this an import runs as a background job with a progress bar


class UploadForm(Form):
    file = forms.FileField(label="Excel 文件", help_text="支持 .xlsx、.xls，最大 30 MB。")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            raise forms.ValidationError("请上传 Excel 文件（.xlsx 或 .xls）。")
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过 30 MB，请分批导入。")
        return f


def _page(request, form, **extra):
    recent = Job.objects.filter(user=request.user, kind="import", params__importer=MemberImporter.kind)[:5]
    return render(request, "members/import.html",
                  {"importer": MemberImporter, "form": form, "recent": recent, **extra})


@requires("members.import")
def import_page(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    data = excel.file_bytes(upload)
    try:
        count = excel.data_rows(data)
    except excel.ImportFileError as exc:
        form.add_error("file", str(exc))
        return _page(request, form)
    links = [["查看会员名册", reverse("members:roster")], ["继续导入", reverse("members:import")]]
    job = jobs.create(user=request.user, kind="import", title="导入会员名册",
                      params={"importer": MemberImporter.kind, "links": links}, input_bytes=data)
    if count > SYNC_MAX_ROWS:
        jobs.enqueue(job)
        messages.info(request, f"文件共 {count:,} 行，已转入后台导入。可以关闭本页，稍后在“我的任务”中查看结果。")
        return redirect("jobs:detail", pk=job.pk)
    job = jobs.run_now(job)
    if job.status == Job.Status.FAILED:
        form.add_error("file", job.error)
        return _page(request, form)
    result = job.result
    if result["error_count"]:
        return _page(request, UploadForm(), job=job, errors=result["errors"], error_count=result["error_count"],
                     total=result["total"])
    messages.success(request, f"导入会员完成：共 {result['total']} 行，新增 {result['created']}，"
                              f"更新 {result['updated']}，未变 {result['unchanged']}。")
    return redirect("members:import")


@requires("members.import")
def import_template(request):
    content = excel.template(MemberImporter.columns, sheet_name="会员名册")
    return FileResponse(io.BytesIO(content), as_attachment=True, filename="会员导入模板.xlsx")


@requires("members.export")
def export(request):
    """GET: the roster's filter to xlsx at once, or (big) a page offering a background job;
    POST: start that job. The filter is re-validated when the job runs."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        org, filters = exports.parse_filters(request.user, params)
    except exports.FilterError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('members:roster')}?{request.GET.urlencode()}")
    qs = exports.queryset(request.user, org, filters)
    count = qs.count()
    if count > exports.SYNC_MAX_ROWS:
        if request.method != "POST":
            return render(request, "members/export.html", {"count": count, "params": params,
                                                           "filter": exports.describe(org, filters)})
        job = jobs.create(user=request.user, kind="members.export", title="导出会员名册",
                          params={"links": [["返回会员名册", reverse("members:roster")]]},
                          input_bytes=exports.params_json(params), input_suffix=".json",
                          org_path=org.path if org else "")
        jobs.enqueue(job)
        return redirect("jobs:detail", pk=job.pk)
    out = io.BytesIO()
    n, full = exports.write(out, request.user, qs)
    exports.log(request.user, org, filters, n, full)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=exports.filename())
