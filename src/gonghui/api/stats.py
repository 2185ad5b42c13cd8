"""The figures of an org and period as `gonghui stats --json` prints them (same keys, same values)."""

from __future__ import annotations

from gonghui.core import clock
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period, parse_date


def period_of(date_from: str | None, date_to: str | None) -> Period:
    """The command's defaults: to = this year's end, from = the start of the cut-off's year."""
    try:
        end = parse_date(str(date_to), "截止日期") if date_to else Period.year(clock.today().year).end
    except ServiceError as err:
        raise ServiceError(err.messages[0], field="to") from None
    try:
        start = parse_date(str(date_from), "开始日期") if date_from else end.replace(month=1, day=1)
    except ServiceError as err:
        raise ServiceError(err.messages[0], field="from") from None
    try:
        return Period(start, end)
    except ServiceError as err:
        raise ServiceError(err.messages[0], field="from") from None


def stats_json(org, date_from: str | None, date_to: str | None, include_subordinates: bool) -> dict:
    period = period_of(date_from, date_to)
    metrics = {}
    for code, m in REGISTRY.items():
        value = compute(code, org, period, include_subordinates, filters={})
        metrics[code] = {"label": m.label, "unit": m.unit, **value.as_dict()}
    return {"org": {"code": org.code, "name": org.name}, "from": str(period.start), "to": str(period.end),
            "include_subordinates": include_subordinates, "filters": {}, "metrics": metrics}


# ---------------------------------------------------------------- one figure: breakdown, records

def _figure_request(request, key: str, perm: str = "stats.view"):
    """(metric, org, period, filters) of a figure request, as the figure page reads them: an unknown
    figure or an org out of scope is "not found"; a bad date or filter a 400 naming the field."""
    from django.http import Http404

    from gonghui.core import scope, tree
    from gonghui.core.metrics import clean_filters
    from gonghui.orgs.models import Org

    from .problems import Problem
    from .views import text_param

    m = REGISTRY.get(str(key))
    if m is None:
        raise Http404
    params = request.query_params
    if params.get("org"):
        org = scope.visible(Org.objects.filter(code=text_param(params["org"], 40)), request.user, perm, "path").first()
    else:
        org = tree.top_node(request.user, perm)
    if org is None:
        raise Http404
    try:
        period = period_of(params.get("from"), params.get("to"))
    except ServiceError as err:
        raise Problem(err.messages[0], field=err.field) from None
    raw = {f.name: text_param(params[f.name], 100).strip() for f in m.filters if str(params.get(f.name, "")).strip()}
    try:
        filters = clean_filters(m.code, raw)
    except ServiceError as err:
        raise Problem(err.messages[0], field=err.field or (next(iter(raw)) if raw else None)) from None
    return m, org, period, filters, raw


def _org_ref(org) -> dict | None:
    return {"id": org.pk, "code": org.code, "name": org.name} if org is not None else None


def breakdown_json(request, key: str) -> dict:
    """The figure for the org's own level and each direct subordinate, as the figure page shows it
    (the published numbers when the period is locked and no filter is given)."""
    from gonghui.reports import figures, tables

    m, org, period, filters, raw = _figure_request(request, key)
    if filters:
        b = figures.breakdown(m.code, org, period, filters=filters)
    else:
        b = tables.locked_breakdown(m.code, org, period, figures.find_lock(org, period))
    return {
        "metric": {"key": m.code, "label": m.label, "unit": m.unit}, "org": _org_ref(org),
        "from": str(period.start), "to": str(period.end), "filters": raw, "total": b.total.as_dict(),
        "adds_up": b.adds_up,
        "parts": [{"org": _org_ref(p.org), "label": p.label, "own": p.own, **p.value.as_dict()} for p in b.parts],
    }


def records_of(request, key: str):
    """(queryset, row function, sides) of the records behind a figure, as the record page lists them;
    `sides` for a rate: {"gap": …, "met": …} with their labels."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from gonghui.core import scope, workline

    from .problems import Problem

    m, org, period, filters, _raw = _figure_request(request, key)
    if not scope.has_perm(request.user, workline.record_perm(m.code), org.path):
        raise PermissionDenied("您没有查看这些记录的权限。")
    if m.records is None:
        raise Http404
    own = str(request.query_params.get("own_level", "")).lower() in ("1", "true", "yes")
    recs = m.records(org, period, not own, **filters)
    qs = recs.queryset if recs.queryset.ordered else recs.queryset.order_by("-pk")
    part = "all"
    if recs.met is not None:
        part = request.query_params.get("part") or "gap"
        if part not in ("gap", "met"):
            raise Problem("part 只能是 gap（未达标的一方）或 met（达标的一方）。", field="part")
        qs = qs.filter(~recs.met) if part == "gap" else qs.filter(recs.met)
    label = {"gap": recs.gap_label, "met": recs.met_label}.get(part, m.label)
    return m, qs, recs.row, part, label
