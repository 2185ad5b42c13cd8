"""The roster's Excel export (small filters at once, big ones as a job). The roster's import page is
core's, served for every registered importer (core.views_import)."""

import io

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from gonghui.core import jobs
from gonghui.core.views_base import requires

from . import exports


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
                                                           "codes": exports.wants_codes(params),
                                                           "filter": exports.describe(org, filters)})
        job = jobs.create(user=request.user, kind="members.export", title="导出会员名册",
                          params={"links": [["返回会员名册", reverse("members:roster")]]},
                          input_bytes=exports.params_json(params), input_suffix=".json",
                          org_path=org.path if org else "")
        jobs.enqueue(job)
        return redirect("jobs:detail", pk=job.pk)
    out = io.BytesIO()
    n, full = exports.write(out, request.user, qs, codes=exports.wants_codes(params))
    exports.log(request.user, org, filters, n, full)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=exports.filename())
