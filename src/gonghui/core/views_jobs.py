"""我的任务: a user's background jobs, their progress bar (polled by htmx) and result files.

A job is seen by its owner only; anyone else gets the same 404 as for a missing job.
"""

from django.contrib import messages
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from . import jobs
from .models_jobs import Job
from .paging import keyset
from .views_base import login_only

PAGE_SIZE = 30  # jobs on a page of 我的任务


def _own(request, pk) -> Job:
    # A job whose worker stopped is marked here once its heartbeat is too old, so the page never
    # shows «进行中» for a job nobody is doing.
    jobs.reap_stale(queryset=Job.objects.filter(pk=pk, user=request.user))
    return get_object_or_404(Job, pk=pk, user=request.user)


def _context(job: Job) -> dict:
    return {"job": job, "progress": jobs.snapshot(job), "has_file": jobs.file_of(job.output_path) is not None}


@login_only
def job_list(request):
    jobs.reap_stale(queryset=Job.objects.filter(user=request.user))
    page = keyset(Job.objects.filter(user=request.user).order_by("-created_at", "-id"), request, "core.jobs", size=PAGE_SIZE)
    return render(request, "core/jobs.html", {"page": page, "max_age_days": jobs.FILE_MAX_AGE // 86400})


@login_only
def job_detail(request, pk):
    return render(request, "core/job.html", _context(_own(request, pk)))


@login_only
def job_progress(request, pk):
    """The status block alone: the job page polls it every second until the job has finished."""
    return render(request, "core/_job_status.html", _context(_own(request, pk)))


@login_only
def job_download(request, pk):
    job = _own(request, pk)
    path = jobs.file_of(job.output_path)
    if path is None:
        messages.warning(request, f"该任务的结果文件已不存在（结果文件保留 {jobs.FILE_MAX_AGE // 86400} 天）。")
        return redirect("jobs:detail", pk=job.pk)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.output_name or path.name)


@login_only
def job_rerun(request, pk):
    """重新运行 a job that failed because its worker stopped (or an internal error). POST only; the
    owner check comes first, so someone else's job is the 404 of a missing one whatever the method."""
    job = _own(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        new = jobs.rerun(job)
    except jobs.JobError as exc:
        messages.error(request, str(exc))
        return redirect("jobs:detail", pk=pk)
    messages.info(request, "已重新提交该任务。")
    return redirect("jobs:detail", pk=new.pk)
