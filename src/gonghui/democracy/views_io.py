"""Excel out from the list pages: each list with its filters in force."""

from __future__ import annotations

import io

from django.http import FileResponse

from gonghui.core import clock, excel, scope
from gonghui.core.views_base import requires

from .exports import (
    CONGRESS_HEADERS,
    DELEGATE_HEADERS,
    DISCLOSURE_HEADERS,
    ESTABLISHMENT_HEADERS,
    PROPOSAL_HEADERS,
    congress_rows,
    delegate_rows,
    disclosure_rows,
    establishment_rows,
    proposal_rows,
)
from .models import Delegate
from .views import (
    VIEW,
    _congress,
    congress_queryset,
    disclosure_queryset,
    establishment_queryset,
    proposal_queryset,
)


def _xlsx(headers, rows, name: str, text_columns=()) -> FileResponse:
    out = io.BytesIO()
    excel.write_table(out, headers, rows, sheet_name=name, text_columns=text_columns)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{name}{clock.today():%Y%m%d}.xlsx")


@requires(VIEW)
def export_congresses(request):
    qs, _in_force = congress_queryset(request)
    return _xlsx(CONGRESS_HEADERS, congress_rows(qs), "职工代表大会", text_columns=(6,))


@requires(VIEW)
def export_establishment(request):
    """The 建制情况 list as filtered (e.g. only the employers without a 职代会), to follow them up."""
    qs, _view, _in_force, today = establishment_queryset(request)
    return _xlsx(ESTABLISHMENT_HEADERS, establishment_rows(qs, today), "职代会和厂务公开建制情况")


@requires(VIEW)
def export_proposals(request):
    qs, _view, _in_force = proposal_queryset(request)
    return _xlsx(PROPOSAL_HEADERS, proposal_rows(qs), "职工代表提案", text_columns=(0,))


@requires(VIEW)
def export_disclosures(request):
    qs, _in_force = disclosure_queryset(request)
    return _xlsx(DISCLOSURE_HEADERS, disclosure_rows(qs), "厂务公开和会务公开")


@requires(VIEW)
def export_delegates(request, pk):
    c = _congress(request, pk)
    qs = scope.visible(Delegate.objects.filter(term__congress=c), request.user, VIEW, "term__congress__org__path")
    return _xlsx(DELEGATE_HEADERS, delegate_rows(qs), "职工代表名单", text_columns=(0,))
