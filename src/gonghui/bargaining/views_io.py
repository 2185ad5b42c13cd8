"""Excel in and out: the contract registry (台账), the standard bargaining table, the import."""

from __future__ import annotations

import io

from django.http import FileResponse
from django.shortcuts import render

from gonghui.core import clock, excel, scope
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import compute
from gonghui.core.periods import Period, parse_date
from gonghui.core.scope import subtree_q
from gonghui.core.views_base import requires
from gonghui.core.views_import import import_views
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import roots_for

from .exports import REGISTRY_HEADERS, registry_rows
from .models import Contract, ContractType
from .views import VIEW, VIEWS

import_page, import_template, import_errors = import_views(
    kinds=("contracts",), perm="bargaining.change", namespace="bargaining", back={"contracts": "bargaining:index"})



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


# --- the standard table: one row per direct subordinate unit ---------------------------------------

TABLE_COLUMNS = (
    ("已建会非公企业（家）", "bargaining.wage_agreement_rate", "denominator"),
    ("有效工资专项集体协议企业（家）", "bargaining.wage_agreement_rate", "numerator"),
    ("工资集体协商建制率（%）", "bargaining.wage_agreement_rate", "value"),
    ("有效综合性集体合同企业（家）", "bargaining.collective_contract_rate", "numerator"),
    ("集体合同签订率（%）", "bargaining.collective_contract_rate", "value"),
    ("有效女职工专项合同企业（家）", "bargaining.womens_contract_rate", "numerator"),
    ("女职工专项合同签订率（%）", "bargaining.womens_contract_rate", "value"),
    ("集体合同覆盖企业（家）", "bargaining.employers_covered", "value"),
    ("集体合同覆盖职工（人）", "bargaining.employees_covered", "value"),
    ("期间签订合同（份）", "bargaining.contracts_signed", "value"),
    ("有效合同（份）", "bargaining.contracts_in_force", "value"),
)


def table_rows(org: Org, period: Period) -> list[tuple[str, list]]:
    """(name, cells) for the node's own level, each direct subordinate, and the total. Rates of
    the total come from the total's numerator and denominator, never from averaging rows."""
    def cells(node, subs):
        values = {code: compute(code, node, period, subs) for code in {c for _, c, _ in TABLE_COLUMNS}}
        return [getattr(values[code], part) for _, code, part in TABLE_COLUMNS]

    rows = [(f"{org.name}（本级）", cells(org, False))]
    children = Org.objects.filter(subtree_q("path", org.path), depth=org.depth + 1).order_by("path")
    rows += [(child.name, cells(child, True)) for child in children]
    total = cells(org, True)
    rows.append(("合计", total))
    return rows


@requires("bargaining.view")
def table(request):
    today = clock.today()
    roots = list(roots_for(request.user, VIEW))
    code = request.GET.get("org", "")
    org = (scope.get_visible_or_404(Org.objects.all(), request.user, VIEW, code=code) if code
           else (roots[0] if roots else None))
    error, rows, period = None, [], None
    try:
        start = parse_date(request.GET["start"], "开始日期") if request.GET.get("start") else today.replace(month=1,
                                                                                                            day=1)
        end = parse_date(request.GET["end"], "截止日期") if request.GET.get("end") else today
        period = Period(start, end)
    except ServiceError as err:
        error = err.messages[0]
    if org is not None and period is not None:
        rows = table_rows(org, period)
        if request.GET.get("format") == "xlsx":
            out = io.BytesIO()
            headers = (f"单位（{period.label}，截至{period.end:%Y年%-m月%-d日}）", *(h for h, _, _ in TABLE_COLUMNS))
            excel.write_table(out, headers, ((name, *vals) for name, vals in rows), sheet_name="集体协商统计表")
            return _xlsx(out.getvalue(), f"{org.name}集体协商统计表{period.end:%Y%m%d}.xlsx")
    return render(request, "bargaining/table.html", {
        "org": org, "period": period, "rows": rows, "headers": [h for h, _, _ in TABLE_COLUMNS], "error": error,
        "filters": request.GET, "roots": roots,
    })
