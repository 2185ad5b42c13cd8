"""The roster's Excel pages: template, import (small files at once, big ones as a job), export.

Every import is recorded as a job (core.jobs), even a small one run inside the request: its
error report is then a private file that only the uploader can download, from this page or
from "我的任务", and nothing from the file is logged.
"""

import io

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.core import excel, jobs
from gonghui.core.models_jobs import Job
from gonghui.core.views_base import requires
from gonghui.core.views_import import UploadForm as BaseUploadForm
from gonghui.core.views_import import job_import

from . import exports
from .imports import MemberImporter


class UploadForm(BaseUploadForm):
    max_mb = 30  # a 100,000-row roster is about 10 MB


def _page(request, form, **extra):
    recent = Job.objects.filter(user=request.user, kind="import", params__importer=MemberImporter.kind)[:5]
    return render(request, "members/import.html",
                  {"importer": MemberImporter, "form": form, "recent": recent, **extra})


@requires("members.import")
def import_page(request):
    links = [["查看会员名册", reverse("members:roster")], ["继续导入", reverse("members:import")]]
    return job_import(request, importer=MemberImporter, title="导入会员名册", links=links, page=_page,
                      done="members:import", form_class=UploadForm)


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
