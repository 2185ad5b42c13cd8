"""The import pages of every registered importer: one mechanism for every work line.

For each importer in `core.excel.IMPORTERS` core serves `/import/<kind>/` (`core:import`: the upload
page) and `/import/<kind>/template/` (`core:import_template`); no work line writes an import view.
The importer class declares what its page needs: `permission`, `back` (the URL name of its list page),
`max_mb` (the upload limit) and `notes`. The page has tabs for the other importers of the same app the
user may use, and lists the user's recent imports of that kind.

An upload is read through the front door (core.excel): the header may sit under a title block, in
two grouped rows, under other names (core.import_aliases). When columns remain unknown, a required one
is missing, or the importer's union column (`upload_union_field`) is absent, the page shows the
mapping step first (`MappingForm`): each column of the sheet with a select, pre-filled with what was
recognised or with the uploader's last choice for the same layout (core.ImportMapping), and a union
picker; the upload waits as a queued job (params["step"] = "mapping") until it is confirmed or
cancelled.

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
from django.utils import timezone

from . import excel, jobs, scope, workline
from .forms import Form
from .models_imports import ImportMapping
from .models_jobs import Job
from .pickers import PickerInput
from .views_base import requires

SYNC_MAX_ROWS = 1000  # above this an import runs as a background job with a progress bar
RECENT_JOBS = 5
MAPPING, CONFIRMED = "mapping", "confirmed"  # a job's params["step"]: waiting for the mapping step, answered
# What the URL permission matrix reads: the permission is the importer's, which depends on the kind
# and is checked in the view (`importer_view`).
IMPORTER_PERMISSION = "importer.permission"


class UploadForm(Form):
    file = forms.FileField(label="Excel 文件", help_text="支持 .xlsx、.xls；可用本页下载的模板，也可直接上传已有的表。")

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


class MappingForm(Form):
    """The mapping step: for each named column of the clerk's sheet, which of our columns it is (or
    忽略), pre-filled with what the front door recognised or what he chose last time for this layout;
    and, for an importer with `upload_union_field` whose sheet lacks that column, the union of
    every row (a picker)."""

    def __init__(self, *args, importer, columns, initial_map: dict[str, str], union_needed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer, self.columns = importer, columns
        choices = [(excel.IGNORE, "忽略（不导入）")] + [
            (c.header, f"{c.header}（必填）" if c.required else c.header) for c in importer.columns]
        self.rows = []
        for column in columns:
            name = f"col_{column['index']}"
            self.fields[name] = forms.ChoiceField(label=f"{column['letter']}列“{column['short']}”", choices=choices,
                                                  initial=initial_map.get(column["key"], excel.IGNORE))
            self.rows.append((column, self[name]))
        self.union_header = next((c.header for c in importer.columns if c.field == importer.upload_union_field), "")
        if union_needed and self.union_header:
            params = {"perm": importer.permission, **getattr(importer, "upload_union_picker", {})}
            self.fields["union"] = forms.CharField(
                label=f"导入到的工会（{self.union_header}）", max_length=40, required=False,
                widget=PickerInput("orgs:pick", params),
                help_text=f"表中没有“{self.union_header}”一列时必填：每一行都登记到这个工会。")

    def clean(self):
        data = super().clean()
        chosen: dict[str, list[str]] = {}
        for _column, field in self.rows:
            value = data.get(field.name)
            if value and value != excel.IGNORE:
                chosen.setdefault(value, []).append(field.label)
        for header, labels in chosen.items():
            if len(labels) > 1:
                raise forms.ValidationError(f"{'和'.join(labels)}都对应“{header}”，只能选一列。")
        union = (data.get("union") or "").strip()
        missing = [c.header for c in self.importer.columns if c.required and c.header not in chosen
                   and not (c.header == self.union_header and union)]
        if missing:
            hint = f"（“{self.union_header}”也可在下面选择导入到的工会）" if "union" in self.fields else ""
            raise forms.ValidationError(f"缺少必填列：{'、'.join(missing)}。请在上表中指定表中对应的列{hint}。")
        return data

    def mapping(self) -> dict[str, str]:
        return {column["key"]: self.cleaned_data[field.name] for column, field in self.rows}


def _page(request, importer, form, **extra):
    recent = Job.objects.filter(user=request.user, kind="import", params__importer=importer.kind)[:RECENT_JOBS]
    return render(request, "core/import.html", {
        "importer": importer, "form": form, "tabs": tabs(request.user, importer), "back_url": back_url(importer),
        "template_note": excel.template_note(importer.columns), "recent": recent, "sync_max_rows": SYNC_MAX_ROWS,
        **extra,
    })


def _pending(request, importer, pk) -> Job:
    """The user's upload of this kind that waits for its mapping step (404 for anything else)."""
    job = Job.objects.filter(pk=pk, user=request.user, kind="import", status=Job.Status.QUEUED,
                             params__importer=importer.kind, params__step=MAPPING).first() if str(pk).isdigit() and len(str(pk)) < 16 \
        else None
    if job is None:
        raise Http404("没有待确认的导入。")
    return job


def _mapping_form(importer, job, data=None):
    params = job.params
    remembered = ImportMapping.objects.filter(user=job.user, kind=importer.kind, layout=params["layout"]).first()
    initial = {**params["matched"], **(remembered.mapping if remembered else {})}
    form = MappingForm(data, importer=importer, columns=params["columns"], initial_map=initial,
                       union_needed=params.get("union_needed", False))
    return form, remembered is not None


def _mapping_page(request, importer, job, form=None):
    remembered = False
    if form is None:
        form, remembered = _mapping_form(importer, job)
    return render(request, "core/import_mapping.html", {
        "importer": importer, "job": job, "form": form, "remembered": remembered, "back_url": back_url(importer),
        "unit": job.params.get("unit", ""), "header_row": job.params.get("header_row"),
        "problem": job.params.get("problem", ""), "here": reverse("core:import", args=[importer.kind]),
    })


def _cancel(job: Job) -> None:
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.FAILED, error="已取消：未导入任何数据。", finished_at=timezone.now())
    found = jobs.file_of(job.input_path)
    if found is not None:
        found.unlink(missing_ok=True)  # the upload (personal data) is no longer needed


def _start(request, importer, job, form):
    """Run the job: here for a small file, in the background for a big one; the page answers."""
    here = reverse("core:import", args=[importer.kind])
    count = job.params.get("rows", 0)
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
        return _page(request, importer, _upload_form(importer), job=job, errors=result["errors"],
                     error_count=result["error_count"], total=result["total"])
    messages.success(request, f"导入{importer.title}完成：共 {result['total']} 行，新增 {result['created']}，"
                              f"更新 {result['updated']}，未变 {result['unchanged']}。")
    return redirect(here)


def _upload_form(importer, data=None, files=None):
    return UploadForm(data, files, max_mb=importer.max_mb, flags=getattr(importer, "flags", ()))


@importer_view
def import_page(request, importer):
    if request.method == "POST" and "mapping_job" in request.POST:
        return _confirm(request, importer)
    if request.method != "POST" and "map" in request.GET:
        return _mapping_page(request, importer, _pending(request, importer, request.GET["map"]))
    form = _upload_form(importer, request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, importer, form)
    data = excel.file_bytes(form.cleaned_data["file"])
    try:
        # Counted without parsing (a streaming pass over the xlsx), and refused here, in constant
        # memory, when it holds more rows than one import takes; the parse itself runs in a
        # bounded child process, here for a small file and in the worker for a big one.
        count = excel.data_rows(data, max_rows=importer.max_rows)
        # The front door's view of the sheet (its first rows only, parsed in the bounded child):
        # where the header is, what it recognised, what is left for the clerk.
        layout = importer(actor=request.user).inspect(data)
    except excel.ImportFileError as exc:
        form.add_error("file", str(exc))
        return _page(request, importer, form)
    union_header = next((c.header for c in importer.columns if c.field == importer.upload_union_field), "")
    union_needed = bool(union_header) and not layout.union_column
    beyond_union = [h for h in layout.missing if h != union_header]
    if beyond_union and not (layout.unknown or layout.repeated):
        form.add_error("file", layout.problem())  # nothing in the sheet could be mapped to them
        return _page(request, importer, form)
    here = reverse("core:import", args=[importer.kind])
    links = [[f"查看{importer.title}", back_url(importer)], ["继续导入", here]]
    params = {"importer": importer.kind, "links": links, "options": form.options(), "rows": count}
    step = not layout.complete or union_needed
    if step:
        params.update(step=MAPPING, layout=layout.key, header_row=layout.header_row, unit=layout.unit,
                      union_needed=union_needed, problem=layout.problem(),
                      matched={c.key: layout.matched[c.index] for c in layout.columns if c.index in layout.matched},
                      columns=[{"index": c.index, "letter": c.letter, "name": c.name, "short": c.short,
                                "group": c.group, "key": c.key, "known": c.index in layout.matched}
                               for c in layout.columns])
    job = jobs.create(user=request.user, kind="import", title=f"导入{importer.title}", params=params, input_bytes=data)
    if step:
        return _mapping_page(request, importer, job)
    return _start(request, importer, job, form)


def _confirm(request, importer):
    """The mapping step's answer: cancel, or save the mapping (remembered) and run the import."""
    job = _pending(request, importer, request.POST.get("mapping_job", ""))
    if "cancel" in request.POST:
        _cancel(job)
        messages.info(request, "已取消这次导入，未保存任何数据。")
        return redirect("core:import", kind=importer.kind)
    form, _remembered = _mapping_form(importer, job, request.POST)
    if not form.is_valid():
        return _mapping_page(request, importer, job, form)
    mapping = form.mapping()
    ImportMapping.objects.update_or_create(user=request.user, kind=importer.kind, layout=job.params["layout"],
                                           defaults={"mapping": mapping})
    union = (form.cleaned_data.get("union") or "").strip()
    job.params.update(step=CONFIRMED, mapping=mapping, union=union)
    Job.objects.filter(pk=job.pk).update(params=job.params)
    return _start(request, importer, job, _upload_form(importer))


@importer_view
def import_template(request, importer):
    content = excel.template(importer.columns, sheet_name=importer.title)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{importer.title}导入模板.xlsx")
