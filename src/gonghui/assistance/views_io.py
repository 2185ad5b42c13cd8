"""Excel pages: archive import (two-phase, errors listed on the page), exports."""

import datetime as dt
import io

from django import forms as djforms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render

from gonghui.core import excel, scope
from gonghui.core.errors import ServiceError
from gonghui.core.forms import Form
from gonghui.core.periods import Period
from gonghui.core.views_base import requires
from gonghui.orgs.models import Org

from . import exports, forms, selectors
from .imports import ArchiveImporter
from .models import Archive, Campaign
from .views import _root

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SHOWN_ERRORS = 500


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


@requires("assistance.change")
def archive_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "importer": ArchiveImporter}
    if request.method == "POST" and form.is_valid():
        data = excel.file_bytes(form.cleaned_data["file"])
        try:
            result = ArchiveImporter(actor=request.user).run(data)
        except excel.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, f"导入困难职工档案完成：共 {result.total} 行，{result.summary}。")
                return redirect("assistance:archive_import")
            context.update(errors=[(e.row, e.column, e.value, e.reason) for e in result.errors[:SHOWN_ERRORS]],
                           error_count=len(result.errors), total=result.total)
    return render(request, "assistance/import.html", context)


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
