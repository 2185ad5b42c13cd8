"""Excel import pages (template, upload, every error or the counts), shared by the work lines.

`import_views(...)` builds the three views of one app for the importer kinds it owns, under
its URL namespace: `<ns>:import`, `<ns>:import_template`, `<ns>:import_errors`, each taking the
kind. Synchronous: these files are small (hundreds or thousands of rows; the member roster has
its own background-job pages). The error report is kept as a file under DATA_DIR/imports,
named by a random token that only the uploader's session knows, and purged after a day;
nothing from the file is logged.
"""

import io
import os
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from . import excel, jobs
from .forms import Form
from .models_jobs import Job
from .views_base import requires

SHOWN_ERRORS = 500
REPORT_MAX_AGE = 24 * 3600
SESSION_KEY = "import_reports"
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class UploadForm(Form):
    file = forms.FileField(label="Excel 文件")
    max_mb = 10

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"支持 .xlsx、.xls，最大 {self.max_mb} MB。"

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            raise forms.ValidationError("请上传 Excel 文件（.xlsx 或 .xls）。")
        if f.size > self.max_mb * 1024 * 1024:
            raise forms.ValidationError(f"文件超过 {self.max_mb} MB，请分批导入。")
        return f


def _reports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _keep_report(request, kind: str, content: bytes) -> str:
    folder = _reports_dir()
    now = time.time()
    for old in folder.glob("*.xlsx"):  # reports hold personal data: keep them one day only
        if now - old.stat().st_mtime > REPORT_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    fd = os.open(folder / f"{token}.xlsx", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[token] = kind
    request.session[SESSION_KEY] = dict(list(kept.items())[-10:])
    return token


def import_views(*, kinds: tuple[str, ...], perm: str, namespace: str, back: dict[str, str]):
    """The import, template and error-report views for `kinds` (registered importers);
    `back` maps a kind to the URL name of the list page the import page links back to."""

    def importer(kind: str) -> type[excel.Importer]:
        cls = excel.get_importer(kind) if kind in kinds else None
        if cls is None:
            raise Http404("没有这种导入。")
        return cls

    def page(request, kind, cls, form, **extra):
        context = {"kind": kind, "importer": cls, "form": form, "ns": namespace, "back": back[kind],
                   "kinds": [(k, excel.get_importer(k).title) for k in kinds], **extra}
        return render(request, "core/import.html", context)

    @requires(perm)
    def import_page(request, kind):
        cls = importer(kind)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return page(request, kind, cls, form)
        data = excel.file_bytes(form.cleaned_data["file"])
        try:
            result = cls(actor=request.user).run(data)
        except excel.ImportFileError as exc:
            form.add_error("file", str(exc))
            return page(request, kind, cls, form)
        if result.ok:
            messages.success(request, f"导入{cls.title}完成：共 {result.total} 行，{result.summary}。")
            return redirect(f"{namespace}:import", kind=kind)
        token = _keep_report(request, kind, excel.error_report(data, result.errors, cls.columns))
        return page(request, kind, cls, UploadForm(), errors=result.errors[:SHOWN_ERRORS],
                    error_count=len(result.errors), total=result.total, token=token)

    @requires(perm)
    def import_template(request, kind):
        cls = importer(kind)
        content = excel.template(cls.columns, sheet_name=cls.title)
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{cls.title}导入模板.xlsx")

    @requires(perm)
    def import_errors(request, kind, token):
        cls = importer(kind)
        path = _reports_dir() / f"{token}.xlsx"
        known = request.session.get(SESSION_KEY, {}).get(token) == kind
        if not (TOKEN_RE.fullmatch(token) and known and path.is_file()):
            # Another user's token looks the same as an expired one: back to the upload page.
            return page(request, kind, cls, UploadForm(), expired=True)
        return FileResponse(path.open("rb"), as_attachment=True, filename=f"{cls.title}导入错误报告.xlsx")

    return import_page, import_template, import_errors


# --- big files: the import as a background job ---------------------------------------------------------

SYNC_MAX_ROWS = 1000  # above this an import runs as a background job with a progress bar


def job_import(request, *, importer: type[excel.Importer], title: str, links: list[list[str]], page, done: str,
               form_class: type[UploadForm] = UploadForm):
    """The upload page of an import that may be large (members, archives): the file goes to a job
    (core.jobs); small files run at once and show their errors on the page, big ones run in the
    background with a progress bar under "我的任务". `page(request, form, **extra)` renders the
    app's import page; `done` is where a successful import returns."""
    form = form_class(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return page(request, form)
    data = excel.file_bytes(form.cleaned_data["file"])
    try:
        count = excel.data_rows(data)
    except excel.ImportFileError as exc:
        form.add_error("file", str(exc))
        return page(request, form)
    job = jobs.create(user=request.user, kind="import", title=title,
                      params={"importer": importer.kind, "links": links}, input_bytes=data)
    if count > SYNC_MAX_ROWS:
        jobs.enqueue(job)
        messages.info(request, f"文件共 {count:,} 行，已转入后台导入。可以关闭本页，稍后在“我的任务”中查看结果。")
        return redirect("jobs:detail", pk=job.pk)
    job = jobs.run_now(job)
    if job.status == Job.Status.FAILED:
        form.add_error("file", job.error)
        return page(request, form)
    result = job.result
    if result["error_count"]:
        return page(request, form_class(), job=job, errors=result["errors"], error_count=result["error_count"],
                    total=result["total"])
    messages.success(request, f"{title}完成：共 {result['total']} 行，新增 {result['created']}，"
                              f"更新 {result.get('updated', 0)}，未变 {result['unchanged']}。")
    return redirect(done)
