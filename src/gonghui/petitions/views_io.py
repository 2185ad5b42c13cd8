"""Excel pages: the ledger export, the standard petition table, the import of historical cases."""

from __future__ import annotations

import datetime as dt
import io

from django import forms as djforms
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from gonghui.core import excel
from gonghui.core.errors import ServiceError
from gonghui.core.forms import DateField, Form
from gonghui.core.periods import Period
from gonghui.core.views_base import requires
from gonghui.orgs.selectors import roots_for

from . import exports, forms, selectors, services
from .imports import PetitionImporter
from .views import _org

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ERRORS = 500


def _xlsx(content: bytes, name: str) -> HttpResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=XLSX)


@requires("petitions.view")
def export(request):
    """The ledger of the list's current filter."""
    form = forms.FilterForm(request.GET or None)
    filters, org = {}, None
    if form.is_bound:
        if not form.is_valid():
            messages.error(request, "筛选条件有误，请先修正。")
            return redirect("petitions:index")
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
        code = filters.pop("org", "")
        if code:
            org = _org(request.user, code, "petitions.view", form, "org")
            if org is None:
                messages.error(request, form.errors["org"][0])
                return redirect("petitions:index")
    today = services.today()
    qs = selectors.petitions(request.user, org=org, today=today, **filters)
    describe = "；".join(f"{form.fields[k].label}={v}" for k, v in filters.items()) + (
        f"；单位={org.code}" if org else "")
    return _xlsx(exports.ledger(request.user, qs, today, describe.strip("；")), exports.filename("信访台账"))


class TableForm(Form):
    org = djforms.CharField(label="单位编码", required=False)
    start = DateField(label="期间自")
    end = DateField(label="至")


@requires("petitions.view")
def table(request):
    today = services.today()
    form = TableForm(request.GET or {"start": dt.date(today.year, 1, 1), "end": today})
    rows, org, period = [], None, None
    if form.is_valid():
        d = form.cleaned_data
        if d["org"]:
            org = _org(request.user, d["org"], "petitions.view", form, "org")
        else:
            org = roots_for(request.user, "petitions.view").first()
        try:
            period = Period(d["start"], d["end"])
        except ServiceError as err:
            form.add_service_error(err)
        if org is not None and period is not None and not form.errors:
            if request.GET.get("format") == "xlsx":
                return _xlsx(exports.table_xlsx(org, period), exports.filename(f"信访统计表_{org.name}"))
            rows = exports.table(org, period)
    return render(request, "petitions/table.html", {
        "form": form, "rows": rows, "org": org, "period": period,
        "headers": exports.headers()})


class UploadForm(Form):
    file = djforms.FileField(label="Excel 文件", help_text="支持 .xlsx、.xls，最大 10 MB。")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            raise djforms.ValidationError("请上传 Excel 文件（.xlsx 或 .xls）。")
        if f.size > 10 * 1024 * 1024:
            raise djforms.ValidationError("文件超过 10 MB，请分批导入。")
        return f


@requires("petitions.change")
def import_page(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "importer": PetitionImporter}
    if request.method == "POST" and form.is_valid():
        data = excel.file_bytes(form.cleaned_data["file"])
        try:
            result = PetitionImporter(actor=request.user).run(data)
        except excel.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, f"导入历史信访案件完成：共 {result.total} 行，{result.summary}。")
                return redirect("petitions:import")
            context.update(form=UploadForm(), errors=[(e.row, e.column, e.value, e.reason)
                                                      for e in result.errors[:SHOWN_ERRORS]],
                           error_count=len(result.errors), total=result.total)
    return render(request, "petitions/import.html", context)


@requires("petitions.change")
def import_template(request):
    return _xlsx(excel.template(PetitionImporter.columns, sheet_name="历史信访案件"), "历史信访案件导入模板.xlsx")


