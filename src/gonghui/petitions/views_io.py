"""Excel pages: the ledger export, the standard petition table, the import of historical cases."""

from __future__ import annotations

import datetime as dt
import io

from django import forms as djforms
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from gonghui.core.errors import ServiceError
from gonghui.core.forms import DateField, Form
from gonghui.core.periods import Period
from gonghui.core.views_base import requires
from gonghui.core.views_import import import_views
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


# Upload, template and error report: the shared import pages (core.views_import).
import_page, import_template, import_errors = import_views(
    kinds=(PetitionImporter.kind,), perm="petitions.change", namespace="petitions",
    back={PetitionImporter.kind: "petitions:index"})
