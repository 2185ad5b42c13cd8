"""Reads for the statistics pages, tables and the work summary: every figure comes from the
metric registry (`core.metrics`), never from a query of its own here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Length

from gonghui.core import clock, figcache
from gonghui.core.errors import ServiceError, join_messages
from gonghui.core.metrics import REGISTRY, Metric, Value, as_value, compute, percent, rate, sum_of_parts
from gonghui.core.money import format_money
from gonghui.core.params import year_param
from gonghui.core.periods import Period, parse_date
from gonghui.core.scope import subtree_q
from gonghui.orgs.models import Org, OrgPlacement, valid_on
from gonghui.orgs.selectors import path_on, paths_remembered, remember_path

from .models import PeriodLock, ReportedValue, Target

OWN_LABEL = "本级"
STEP = Org.steplen


# ---------------------------------------------------------------- periods

def last_year(period: Period) -> Period:
    return Period(clock.add_months(period.start, -12), clock.add_months(period.end, -12))


PRESETS = {"h1": "上半年", "year": "本年", "custom": "自定义"}


@dataclass
class PeriodChoice:
    preset: str
    year: int
    period: Period
    error: str = ""
    note: str = ""  # why the period is not the one the select showed (dates typed under a preset)


TYPED_DATES_NOTE = "已按填写的开始、截止日期查询，统计期间改为“自定义”。"


def _preset_period(preset: str, year: int, today: dt.date) -> Period:
    return _to_date(Period.half(year, 1) if preset == "h1" else Period.year(year), today)


def _dates_typed(params, preset: str, year: int, today: dt.date) -> bool:
    """Whether from/to were typed under a preset (上半年/本年): the form sends the shown dates
    back as shown_from/shown_to, so dates that differ from them were typed, and a changed preset
    or year with the old dates left in the boxes is not; a link without them counts the dates as
    typed when they differ from the preset's own period."""
    typed = (params.get("from") or "", params.get("to") or "")
    if not any(typed):
        return False
    if "shown_from" in params or "shown_to" in params:
        return typed != (params.get("shown_from") or "", params.get("shown_to") or "")
    p = _preset_period(preset, year, today)
    return typed != (p.start.isoformat(), p.end.isoformat())


def period_from(params, today: dt.date) -> PeriodChoice:
    """上半年 / 本年 of a year, or a custom range; dates typed under a preset make it a custom
    range (with a note saying so); a bad input falls back to this year so far with a Chinese
    message."""
    preset = params.get("preset") or ("custom" if params.get("from") or params.get("to") else "year")
    year = year_param(params, default=None) if params.get("year") else today.year
    if year is None:
        return PeriodChoice("year", today.year, Period.year_to_date(today), f"年度“{params.get('year')}”不正确。")
    note = ""
    if preset != "custom" and _dates_typed(params, preset, year, today):
        preset, note = "custom", TYPED_DATES_NOTE
    try:
        if preset == "h1":
            period = _preset_period("h1", year, today)
        elif preset == "custom":
            start = parse_date(params["from"], "开始日期") if params.get("from") else dt.date(year, 1, 1)
            end = parse_date(params["to"], "截止日期") if params.get("to") else today
            period = Period(start, end)
            year = end.year
        else:
            preset = "year"
            period = _preset_period("year", year, today)
    except ServiceError as exc:
        return PeriodChoice("year", today.year, Period.year_to_date(today), join_messages(exc.messages))
    return PeriodChoice(preset, year, period, note=note)


def _to_date(period: Period, today: dt.date) -> Period:
    """A period still running is cut off today: stock figures as of a future date mean nothing."""
    if period.start <= today < period.end:
        return Period(period.start, today)
    return period


def cutoff_phrase(period: Period) -> str:
    """How the seeds state the period: "截至6月30日" for a year so far, else the range."""
    if period.start == dt.date(period.end.year, 1, 1):
        return f"截至{period.end.month}月{period.end.day}日"
    return f"{period.start:%Y年%-m月%-d日}至{period.end:%Y年%-m月%-d日}"


# ---------------------------------------------------------------- formatting

def fmt_number(value, unit: str = "") -> str:
    """A figure with its unit as the seeds write it: 4481人, 97.08%, 36.45万元, 4,024.00元."""
    if value is None:
        return "—"
    if unit == "元":
        return format_money(value, "auto")
    if unit == "%":
        return f"{value}%"
    if isinstance(value, Decimal) and value == value.to_integral():
        value = int(value)
    return f"{value}{unit}"


def completion(value: Value, target: Decimal | None) -> Decimal | None:
    """Actual ÷ target in % (rounded per the settings), e.g. 组建任务 58 of 50 → 116%."""
    if target is None or value.value is None:
        return None
    return percent(value.value, target)


def difference(a: Value | None, b: Value | None):
    if a is None or b is None or a.value is None or b.value is None:
        return None
    return a.value - b.value


# ---------------------------------------------------------------- breakdown

def children_on(org: Org, at: dt.date) -> dict[str, Org]:
    """Direct subordinates on `at`: {their path then: org}, one query on the placements."""
    p = path_on(org, at)
    rows = (
        OrgPlacement.objects.filter(valid_on(at), subtree_q("path", p))
        .annotate(_len=Length("path")).filter(_len=len(p) + STEP)
        .select_related("org").order_by("path")
    )
    return {pl.path: pl.org for pl in rows}


@dataclass
class Part:
    org: Org | None
    path: str
    label: str
    value: Value
    own: bool = False

    @property
    def empty(self) -> bool:
        """Nothing under it: no value, 0, or a rate of 0÷0 (a union under a township that holds
        the employers): the drill-down folds such rows away."""
        v = self.value
        return not v.value and not v.numerator and not v.denominator


@dataclass
class Breakdown:
    metric: Metric
    org: Org
    period: Period
    total: Value
    parts: list[Part] = field(default_factory=list)

    @property
    def own(self) -> Part:
        return self.parts[0]

    def at(self, path: str) -> Value:
        """The part's value under `path`, zero (or an empty rate) when no record falls there."""
        for p in self.parts:
            if p.path == path:
                return p.value
        return _zero(self.metric)

    @property
    def children(self) -> list[Part]:
        return self.parts[1:]

    @property
    def parts_sum(self):
        if not self.metric.is_additive:
            return None
        return sum((p.value.value or 0) for p in self.parts)

    @property
    def adds_up(self) -> bool:
        return not self.metric.is_additive or self.parts_sum == (self.total.value or 0)


def _zero(m: Metric) -> Value:
    if m.empty is not None:
        return m.empty
    return rate(0, 0) if m.is_rate else Value(0)


def breakdown(code: str, org: Org, period: Period, total: Value | None = None, *, kids: dict | None = None,
              filters: dict | None = None) -> Breakdown:
    """The figure for the node's own level and each direct subordinate: the metric's set-based
    hook when it has one (one grouped query), else the metric once per subordinate. `kids`
    (children_on(org, period.end)) may be passed when several figures share them; `filters`
    are the metric's own (core.metrics.Filter), already cleaned."""
    with paths_remembered():  # the node's path on the cut-off: read once, not in every query
        m = REGISTRY[code]
        at = period.end
        p = path_on(org, at)
        if kids is None:
            kids = children_on(org, at)
        for path, child in kids.items():  # a figure computed per subordinate asks for these again
            remember_path(child, at, path)
        filters = filters or {}
        if m.breakdown is not None:
            raw = {k: as_value(v) for k, v in m.breakdown(org, period, **filters).items()}
        else:
            raw = {p: compute(code, org, period, False, filters=filters)}
            for path, child in kids.items():
                raw[path] = compute(code, child, period, True, filters=filters)
        if total is None and m.breakdown is not None and m.parts_add_up:
            # The parts partition the figure's rows: their sum is the figure, one query fewer.
            total = sum_of_parts(m, raw.values())
        if total is None:
            total = compute(code, org, period, True, filters=filters)
        return assemble(m, org, period, p, kids, raw, total)


def remembered_breakdown(code: str, org: Org, period: Period, extra: tuple, make, *, version: str | None) -> Breakdown:
    """`make()` (a Breakdown of `code` for the node and period) computed once per data version
    (core.figcache.remember; `extra` names whatever else it depends on, e.g. the lock), so that the
    work summary of an unchanged period reads its charts' and problems' breakdowns from the cache.
    `version` None: computed, not cached. The parts are kept as plain values (a Metric holds its
    functions, which need not pickle) and the Breakdown is rebuilt around them."""
    if version is None:
        return make()

    def packed():
        b = make()
        return b.total, [(p.org, p.path, p.label, p.value, p.own) for p in b.parts]

    total, parts = figcache.remember("breakdown", org, period, (code, *extra), packed, version=version)
    return Breakdown(REGISTRY[code], org, period, total, [Part(*p) for p in parts])


OTHER_LABEL = "其他（期间内调整的下级）"


def assemble(m: Metric, org: Org, period: Period, own_path: str, kids: dict, raw: dict, total: Value) -> Breakdown:
    """Parts in the order every page shows them: own level, each subordinate on the cut-off,
    then rows under a path no subordinate holds on the cut-off (a subordinate moved away after
    the event), kept so that the parts still add up to the whole."""
    raw = dict(raw)
    parts = [Part(org, own_path, OWN_LABEL, raw.pop(own_path, _zero(m)), own=True)]
    for path, child in kids.items():
        parts.append(Part(child, path, child.name, raw.pop(path, _zero(m))))
    for path, v in sorted(raw.items()):
        parts.append(Part(None, path, OTHER_LABEL, v))
    return Breakdown(m, org, period, total, parts)


# ---------------------------------------------------------------- dashboard rows

@dataclass
class Figure:
    metric: Metric
    value: Value
    last_year: Value | None = None
    target: Decimal | None = None
    reported: Decimal | None = None
    snapshot: Value | None = None  # the published value when the period is locked
    current: Value | None = None  # today's computation when locked and different

    @property
    def change(self):
        return difference(self.value, self.last_year)

    @property
    def completion(self):
        return completion(self.value, self.target)

    @property
    def reported_diff(self):
        if self.reported is None or self.value.value is None:
            return None
        return Decimal(self.value.value) - self.reported

    @property
    def drift(self):
        """Effect of the records changed since the lock: current − snapshot."""
        if self.current is None:
            return None
        return difference(self.current, self.value)


def find_lock(org: Org, period: Period) -> PeriodLock | None:
    return PeriodLock.objects.filter(org=org, start=period.start, end=period.end).first()


def in_parallel(func):
    """Start `func` on a thread of its own (its own database connection) and return a function
    that waits for its result. Only on PostgreSQL outside a transaction: another connection
    would not see a transaction's uncommitted rows, and SQLite gains nothing from a second reader.
    GONGHUI_STATS_PARALLEL = False turns it off."""
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings
    from django.db import connection

    if (not getattr(settings, "GONGHUI_STATS_PARALLEL", True) or connection.vendor != "postgresql"
            or connection.in_atomic_block):
        result = func()
        return lambda: result

    def run():
        from django.db import connection as thread_connection

        try:
            return func()
        finally:
            thread_connection.close()

    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(run)
    pool.shutdown(wait=False)
    return future.result


def figures(org: Org, period: Period, *, compare: bool = True, codes=None,
            version: str | None = None) -> dict[str, list[Figure]]:
    """Every registered figure of the node (including subordinates) by group, with last year's,
    the year's target and the reported value; a locked period shows its snapshot.

    The computed values come through the figure cache (core.figcache), keyed on the data version
    (`version`: figcache.data_version(), read by the caller before anything else; None reads it
    here): a view when nothing was written since computes no figure at all."""
    codes = list(codes or REGISTRY)
    version = figcache.data_version() if version is None else version
    lock = find_lock(org, period)
    targets = {t.metric_code: t.value for t in Target.objects.filter(org=org, year=period.end.year)}
    reported = {r.metric_code: r.value for r in
                ReportedValue.objects.filter(org=org, start=period.start, end=period.end)}
    ly = last_year(period)
    now_values = figcache.peek(org, period, codes, version=version)
    previous = figcache.peek(org, ly, codes, version=version) if compare else {}

    def compute(p):
        # Every figure asks for the node's path on the cut-off: read once (a thread starts without
        # the caller's memory, so each period's computation opens its own block).
        with paths_remembered():
            return figcache.values(org, p, codes, version=version)

    if compare and len(previous) < len(codes):
        # Last year's figures on a second connection while this thread computes this year's.
        previous_job = in_parallel(lambda: compute(ly))
    if len(now_values) < len(codes):
        now_values = compute(period)
    if compare and len(previous) < len(codes):
        previous = previous_job()
    out: dict[str, list[Figure]] = {}
    for code in codes:
        m = REGISTRY[code]
        now = now_values[code]
        f = Figure(m, now, target=targets.get(code), reported=reported.get(code))
        if lock is not None and code in lock.snapshot.get("values", {}):
            f.value = Value.from_dict(lock.snapshot["values"][code])
            if difference(now, f.value) not in (None, 0) or (now.value is None) != (f.value.value is None):
                f.current = now
        if compare:
            f.last_year = previous[code]
        out.setdefault(m.group, []).append(f)
    return out


def monthly_trend(code: str, org: Org, period: Period) -> list[tuple[str, object]]:
    """The figure month by month inside the period (flow figures count each month, stock
    figures are taken at each month's end)."""
    out = []
    start = period.start
    while start <= period.end:
        nxt = clock.add_months(start.replace(day=1), 1)
        end = min(nxt - dt.timedelta(days=1), period.end)
        v = compute(code, org, Period(start, end))
        out.append((f"{start.month}月", None if v.value is None else float(v.value)))
        start = nxt
        if len(out) >= 24:
            break
    return out


def changes_since(lock: PeriodLock, limit: int = 100):
    """Audit entries under the node after the lock (records changed since publication)."""
    from gonghui.core.audit import action_label
    from gonghui.core.models import AuditEvent

    qs = AuditEvent.objects.filter(subtree_q("org_path", lock.org.path), created_at__gt=lock.locked_at).exclude(
        Q(action__startswith="reports.")
    )
    events = list(qs.order_by("seq")[:limit])
    for e in events:
        e.action_label = action_label(e.action)
    return events, qs.count()
