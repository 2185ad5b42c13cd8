"""Excel out: the ledger export. The import page of historical cases is core's, served for every
registered importer (core.views_import); the standard petition table is the reports app's, declared in
metrics.py."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect

from gonghui.core import clock
from gonghui.core.views_base import requires
from gonghui.orgs.selectors import picked

from . import exports, forms, selectors

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
            org = picked(request.user, code, "petitions.view", form, "org")
            if org is None:
                messages.error(request, form.errors["org"][0])
                return redirect("petitions:index")
    today = clock.today()
    qs = selectors.petitions(request.user, org=org, today=today, **filters)
    describe = "；".join(f"{form.fields[k].label}={v}" for k, v in filters.items()) + (
        f"；单位={org.code}" if org else "")
    return _xlsx(exports.ledger(request.user, qs, today, describe.strip("；")), exports.filename("信访台账"))
