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
