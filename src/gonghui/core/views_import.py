"""The import pages of every registered importer: one mechanism for every work line.

For each importer in `core.excel.IMPORTERS` core serves `/import/<kind>/` (`core:import`: the upload
page) and `/import/<kind>/template/` (`core:import_template`); no work line writes an import view.
The importer class declares what its page needs: `permission`, `back` (the URL name of its list page),
`max_mb` (the upload limit) and `notes`. The page has tabs for the other importers of the same app the
user may use, and lists the user's recent imports of that kind.

Every upload is a job (core.jobs): a small file runs at once inside the request and shows its errors
on the page; a big one (over SYNC_MAX_ROWS rows) goes to the background with a progress bar. Either
way the error report is the job's private file, which only the uploader can download (from this page
and from "我的任务"), and nothing from the file is logged.
"""

import io
from functools import wraps

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from . import excel, jobs, scope, workline
from .forms import Form
from .models_jobs import Job
from .views_base import requires

SYNC_MAX_ROWS = 1000  # above this an import runs as a background job with a progress bar
RECENT_JOBS = 5
# What the URL permission matrix reads: the permission is the importer's, which depends on the kind
# and is checked in the view (`importer_view`).
IMPORTER_PERMISSION = "importer.permission"


class UploadForm(Form):
    file = forms.FileField(label="Excel 文件", help_text="支持 .xlsx、.xls；请用本页下载的模板填写。")

    def __init__(self, *args, max_mb: int = excel.Importer.max_mb, flags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.max_mb = max_mb
        self.fields["file"].help_text = f"支持 .xlsx、.xls，最大 {max_mb} MB。"
        # An importer's `flags` (keyword, label, command-line option, help): options of one import.
        for name, label, _option, help_text in flags:
            self.fields[name] = forms.BooleanField(label=label, required=False, help_text=help_text)
        self.flags = [self[name] for name, *_ in flags]

    def options(self) -> dict[str, bool]:
        """The flags ticked, as the importer's keyword arguments (the job's params carry them)."""
        return {field.name: True for field in self.flags if self.cleaned_data.get(field.name)}

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            raise forms.ValidationError("请上传 Excel 文件（.xlsx 或 .xls）。")
        if f.size > self.max_mb * 1024 * 1024:
            raise forms.ValidationError(f"文件超过 {self.max_mb} MB，请分批导入。")
        return f


def importer_view(view):
    """`view(request, importer)` for the kind in the URL, with the answers of `views_base.requires`:
    an anonymous user goes to the login page, a user without the importer's permission gets 403.
    A kind no app registers is 404."""

    @wraps(view)
    def wrapped(request, kind):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        importer = excel.get_importer(kind)
        if importer is None:
            raise Http404("没有这种导入。")
        return requires(importer.permission)(view)(request, importer)

    wrapped.required_permission = IMPORTER_PERMISSION
    return wrapped


def app_label(importer: type[excel.Importer]) -> str:
    config = apps.get_containing_app_config(importer.__module__)
    return config.label if config else ""


def back_url(importer: type[excel.Importer]) -> str:
    """The list page the import page returns to: the importer's `back`, else its work line's main list."""
    line = workline.line(app_label(importer))
    name = importer.back or (line.main_list_page if line else "")
    return reverse(name) if name else reverse("core:home")


def tabs(user, importer: type[excel.Importer]) -> list[type[excel.Importer]]:
    """The importers of the same app that the user may use (the page's tabs)."""
    label = app_label(importer)
    return [cls for cls in excel.IMPORTERS.values()
            if app_label(cls) == label and cls.permission and scope.has_perm(user, cls.permission)]


def _page(request, importer, form, **extra):
    recent = Job.objects.filter(user=request.user, kind="import", params__importer=importer.kind)[:RECENT_JOBS]
    return render(request, "core/import.html", {
        "importer": importer, "form": form, "tabs": tabs(request.user, importer), "back_url": back_url(importer),
        "template_note": excel.template_note(importer.columns), "recent": recent, "sync_max_rows": SYNC_MAX_ROWS,
        **extra,
    })


@importer_view
def import_page(request, importer):
    flags = getattr(importer, "flags", ())
    form = UploadForm(request.POST or None, request.FILES or None, max_mb=importer.max_mb, flags=flags)
    if request.method != "POST" or not form.is_valid():
        return _page(request, importer, form)
    data = excel.file_bytes(form.cleaned_data["file"])
    try:
        # Counted without parsing (a streaming pass over the xlsx), and refused here, in constant
        # memory, when it holds more rows than one import takes; the parse itself runs in a
        # bounded child process, here for a small file and in the worker for a big one.
        count = excel.data_rows(data, max_rows=importer.max_rows)
    except excel.ImportFileError as exc:
        form.add_error("file", str(exc))
        return _page(request, importer, form)
    here = reverse("core:import", args=[importer.kind])
    links = [[f"查看{importer.title}", back_url(importer)], ["继续导入", here]]
    job = jobs.create(user=request.user, kind="import", title=f"导入{importer.title}",
                      params={"importer": importer.kind, "links": links, "options": form.options()},
                      input_bytes=data)
    if count > SYNC_MAX_ROWS:
        jobs.enqueue(job)
        messages.info(request, f"文件共 {count:,} 行，已转入后台导入。可以关闭本页，稍后在“我的任务”中查看结果。")
        return redirect("jobs:detail", pk=job.pk)
    job = jobs.run_now(job)
    if job.status == Job.Status.FAILED:
        form.add_error("file", job.error)
        return _page(request, importer, form)
    result = job.result
    if result["error_count"]:
        return _page(request, importer, UploadForm(max_mb=importer.max_mb, flags=flags), job=job,
                     errors=result["errors"],
                     error_count=result["error_count"], total=result["total"])
    messages.success(request, f"导入{importer.title}完成：共 {result['total']} 行，新增 {result['created']}，"
                              f"更新 {result['updated']}，未变 {result['unchanged']}。")
    return redirect(here)


@importer_view
def import_template(request, importer):
    content = excel.template(importer.columns, sheet_name=importer.title)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{importer.title}导入模板.xlsx")
