"""Excel out: the contract registry (台账). The 台账 import page is core's, served for every registered
importer (core.views_import); the standard bargaining table is the reports app's, declared in metrics.py."""

from __future__ import annotations

import io

from django.http import FileResponse

from gonghui.core import clock, excel, scope
from gonghui.core.views_base import requires

from .exports import REGISTRY_HEADERS, registry_rows
from .models import Contract, ContractType
from .views import VIEW, VIEWS


def _xlsx(content: bytes, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename)


@requires(VIEW)
def export_registry(request):
    """The registry in the import's columns (so it can be edited and re-imported), for the
    list's current tab and type filter."""
    today = clock.today()
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "all"
    qs = scope.visible(Contract.objects.all(), request.user, VIEW, "org__path").filter(VIEWS[view][1](today))
    if request.GET.get("type") in ContractType.values:
        qs = qs.filter(contract_type=request.GET["type"])
    out = io.BytesIO()
    excel.write_table(out, REGISTRY_HEADERS, registry_rows(qs), sheet_name="集体合同台账", text_columns=(0, 4))
    return _xlsx(out.getvalue(), f"集体合同台账{today:%Y%m%d}.xlsx")
