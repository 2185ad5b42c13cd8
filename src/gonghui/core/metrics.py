"""The metric registry: every figure the system shows is computed here, once.

Each app's metrics.py registers its indicators with `@metric(...)`: a code such as
`orgs.coverage_rate`, a Chinese label, a unit and a function of
(org, period, include_subordinates). Dashboards, tables, the work summary, the CLI and
the API read figures only through `compute()`, so one figure never has two implementations.

Two optional hooks make the statistics pages fast and navigable:

- `breakdown(org, period) -> {path prefix: value}`: one grouped query giving the figure for the
  node's own level (key = the node's path on the cut-off) and for each direct subordinate (key =
  the subordinate's path on the cut-off, one tree step longer). Register it with
  `@breakdown_for(code)`; `grouped_counts()` helps write one. Without it, the reports app computes
  the figure per subordinate.
- `records(org, period, include_subordinates) -> Records`: the records behind the figure (a queryset
  and how to show one row; for a rate, the denominator's records and which of them are the
  numerator's). Register it with `@records_for(code)`.

Each metric declares which way is good (`direction`: HIGHER_BETTER for coverage, recruitment and
on-time rates, LOWER_BETTER for overdue counts, NEUTRAL by default, e.g. a share): the work
summary lists only a figure on its bad side as a problem. For the summary's prose a metric may
give a `phrase` (how it reads before its value: "共有基层工会" → "共有基层工会95家"; default: its
label) and, when it is one part of another figure, `part_of` that figure's code ("在档困难职工家庭
120户（其中深度困难37户、…）").

A metric may also accept filters (`filters=(Filter("campaign", "帮扶活动", clean=int),)`): keyword
arguments its function, breakdown and records hooks take after the usual ones, e.g. one campaign's
households. `compute(..., filters={"campaign": "7"})` cleans and passes them; metrics that declare
none are computed exactly as before.
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from . import config
from .periods import Period

# Which way a figure is good (Metric.direction).
HIGHER_BETTER = "higher"
LOWER_BETTER = "lower"
NEUTRAL = "neutral"
DIRECTIONS = (HIGHER_BETTER, LOWER_BETTER, NEUTRAL)

# Units whose figures add up over the tree (value(node) = own level + Σ subordinates).
ADDITIVE_UNITS = frozenset({"人", "人次", "户", "家", "宗", "份", "元"})


@dataclass(frozen=True)
class Value:
    value: int | Decimal | None
    numerator: int | None = None
    denominator: int | None = None

    def as_dict(self) -> dict:
        out: dict = {"value": float(self.value) if isinstance(self.value, Decimal) else self.value}
        if self.denominator is not None:
            # A money rate (收缴率 = 实缴元 ÷ 应缴元) has Decimal parts: numbers in JSON like the value.
            out["numerator"] = float(self.numerator) if isinstance(self.numerator, Decimal) else self.numerator
            out["denominator"] = float(self.denominator) if isinstance(self.denominator, Decimal) else self.denominator
        return out

    def as_json(self) -> dict:
        """Like as_dict, with decimals as strings so a stored copy keeps them exactly (97.00)."""
        out = self.as_dict()
        for key in ("value", "numerator", "denominator"):
            if isinstance(getattr(self, key), Decimal) and key in out:
                out[key] = str(getattr(self, key))
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Value:
        value, num, den = data.get("value"), data.get("numerator"), data.get("denominator")
        if isinstance(value, float | str):
            value = Decimal(str(value))
        num, den = (Decimal(str(x)) if isinstance(x, float | str) else x for x in (num, den))
        return cls(value, num, den)


@dataclass(frozen=True)
class RecordRow:
    """One record behind a figure, as the record list shows it."""

    label: str
    date: object = None
    org_name: str = ""
    url: str = ""


@dataclass(frozen=True)
class Records:
    """The records behind a figure. For a rate, `queryset` holds the denominator's records and
    `met` (a Q or an Exists usable in filter()) picks the numerator's: the record list then shows
    them apart, `met_label` and `gap_label` naming each side (已建会单位 / 应建未建单位, the
    work list)."""

    queryset: object
    row: Callable[[object], RecordRow]
    met: object = None
    met_label: str = ""
    gap_label: str = ""


@dataclass(frozen=True)
class Filter:
    """A narrowing a metric accepts beside (org, period, include_subordinates)."""

    name: str
    label: str
    # Turns the typed text into the value the metric takes; raises ValueError on a bad one.
    clean: Callable[[str], object] = str
    # (org, period) -> [(value, label)] for a picker on the figure page; None: typed in.
    choices: Callable[..., list] | None = None


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    group: str
    func: Callable[..., Value]
    description: str = ""
    breakdown: Callable[..., dict] | None = None
    records: Callable[..., Records] | None = None
    # The work line's own list page (a URL name taking ?org=CODE), the fallback for record lists.
    list_url: str = ""
    # False for a count that crosses a boundary (a union moved between two townships is 转出
    # for one and 转入 for the other but internal to the county): it does not add up the tree.
    sums_over_tree: bool = True
    filters: tuple[Filter, ...] = ()
    # The value of a breakdown part no row falls under, when it is not 0 (0÷0 for a rate): an
    # average of nothing is None without a numerator and denominator.
    empty: Value | None = None
    # True when the breakdown's parts partition the figure's rows and the figure counts or sums
    # them (no DISTINCT across parts): the total is then the parts' sum (a rate: Σ numerators ÷
    # Σ denominators) and a table need not compute it again.
    parts_add_up: bool = False
    direction: str = NEUTRAL
    phrase: str = ""
    part_of: str = ""

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    @property
    def is_additive(self) -> bool:
        return self.unit in ADDITIVE_UNITS and self.sums_over_tree


REGISTRY: dict[str, Metric] = {}


def metric(code: str, *, label: str, unit: str, group: str, description: str = "", list_url: str = "",
           sums_over_tree: bool = True, filters: tuple[Filter, ...] = (), direction: str = NEUTRAL,
           phrase: str = "", part_of: str = ""):
    if direction not in DIRECTIONS:
        raise ValueError(f"metric {code}: direction must be one of {DIRECTIONS}")

    def decorator(func):
        if code in REGISTRY:
            raise ValueError(f"metric {code} registered twice")
        REGISTRY[code] = Metric(code, label, unit, group, func, description, list_url=list_url,
                                sums_over_tree=sums_over_tree, filters=tuple(filters), direction=direction,
                                phrase=phrase, part_of=part_of)
        return func

    return decorator


def breakdown_for(code: str, *, empty: Value | None = None, adds_up: bool = False):
    """Attach a set-based breakdown to a registered metric (see the module docstring); `empty`
    is the part of a subordinate the grouped query returns nothing for, if not 0 (or 0÷0);
    `adds_up` declares that the parts partition the figure (Metric.parts_add_up). Declare it only
    for plain counts and sums over the figure's own queryset, never for a DISTINCT count (one
    household helped in two townships is one household of the county)."""

    def decorator(func):
        REGISTRY[code] = dataclasses.replace(REGISTRY[code], breakdown=func, empty=empty, parts_add_up=adds_up)
        return func

    return decorator


def records_for(code: str):
    """Attach the record list behind a registered metric."""

    def decorator(func):
        REGISTRY[code] = dataclasses.replace(REGISTRY[code], records=func)
        return func

    return decorator


# Sentences a work line writes itself for its group's section of the work summary, beside those
# made from its figures: group -> (org, period) -> [sentence]. For figures it cannot list one by
# one because their breakdown is data (one sentence per activity kind, each kind's numbers still
# computed through `compute` with a filter).
# `covers` names the group's figures whose numbers the writer's sentences already say ("走访慰问
# 职工45人（52人次），发放慰问金…", then by kind): the section leaves them out of its clauses made
# from the figures (they stay in its table and its comparison with last year).
SENTENCES: dict[str, Callable[..., list[str]]] = {}


def sentences_for(group: str, covers: tuple[str, ...] = ()):
    def decorator(func):
        func.covers = frozenset(covers)
        SENTENCES[group] = func
        return func

    return decorator


def groups() -> dict[str, list[Metric]]:
    """Metrics by group, in registration order (the order the apps are installed)."""
    out: dict[str, list[Metric]] = {}
    for m in REGISTRY.values():
        out.setdefault(m.group, []).append(m)
    return out


def rounding_mode() -> str:
    """GONGHUI_RATE_ROUNDING: "half_up" (default) or "truncate" (DOMAIN §12.4: seeds use both)."""
    return ROUND_DOWN if config.CORE.get("RATE_ROUNDING") == "truncate" else ROUND_HALF_UP


def rate_decimals() -> int:
    return int(config.CORE.get("RATE_DECIMALS"))


def percent(numerator, denominator, decimals: int | None = None) -> Decimal | None:
    """numerator ÷ denominator in %, rounded per the settings (half up, 2 decimals by default);
    None when there is nothing to divide by. Every percentage the system shows (rates, a
    target's completion, a budget spent) comes from here, so one rounding rule holds."""
    if not denominator:
        return None
    decimals = rate_decimals() if decimals is None else decimals
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal(1).scaleb(-decimals), rounding=rounding_mode()
    )


def rate(numerator: int, denominator: int, decimals: int | None = None) -> Value:
    """A rate: the percentage (`percent`) with its numerator and denominator."""
    return Value(percent(numerator, denominator, decimals), numerator, denominator)


def as_value(result) -> Value:
    return result if isinstance(result, Value) else Value(result)


def clean_filters(code: str, raw: dict | None) -> dict:
    """The metric's filters from typed values ({"campaign": "7"} -> {"campaign": 7}), with a
    Chinese message for a filter the metric does not take or a value that does not parse."""
    from .errors import ServiceError

    m = REGISTRY[code]
    known = {f.name: f for f in m.filters}
    out = {}
    for name, value in (raw or {}).items():
        if value in (None, ""):
            continue
        if name not in known:
            raise ServiceError(f"指标“{m.label}”不能按“{name}”筛选。", field=name)
        try:
            out[name] = known[name].clean(value) if isinstance(value, str) else value
        except (TypeError, ValueError) as exc:
            raise ServiceError(f"{known[name].label}“{value}”不正确。", field=name) from exc
    return out


# --- figures computed together share their common reads -------------------------------------

_SHARED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("gonghui_metrics_shared", default=None)


@contextmanager
def sharing():
    """While inside, figures computed one after another (a dashboard's, the summary's, the
    workbench's) may share one read that several of them need (`shared`): 会员总数, 女会员,
    农民工会员 and 入会率 count the same status periods, and one grouped pass answers all of them.
    Outside, each figure reads alone, as fast as its own twin. Nested blocks share the outer one;
    a thread starts with none (the dashboard's second connection enters its own)."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: tuple, make: Callable[[], object]):
    """`make()` computed once per `key` inside `sharing()` (the key names the read and everything it
    depends on: org, date, whether subordinates count); None outside, where the caller reads alone."""
    memo = _SHARED.get()
    if memo is None:
        return None
    if key not in memo:
        memo[key] = make()
    return memo[key]


def compute(code: str, org, period: Period, include_subordinates: bool = True, *, filters: dict | None = None) -> Value:
    func = REGISTRY[code].func
    if filters:
        return as_value(func(org, period, include_subordinates, **clean_filters(code, filters)))
    return as_value(func(org, period, include_subordinates))


def compute_all(org, period: Period, include_subordinates: bool = True, prefix: str = "") -> dict[str, Value]:
    with sharing():
        return {
            code: compute(code, org, period, include_subordinates)
            for code in REGISTRY
            if code.startswith(prefix)
        }


def _grouped(qs, path_field: str, base_path: str, **aggregates):
    """The rows of one query grouping `qs` by tree position under `base_path` ({"_prefix": …,
    aggregates…}): rows at `base_path` itself fall under `base_path`, the others under their first
    tree step below it."""
    from django.db.models.functions import Substr

    step = 4  # treebeard steplen of the org tree
    return qs.annotate(_prefix=Substr(path_field, 1, len(base_path) + step)).order_by().values("_prefix").annotate(
        **aggregates)


def grouped_counts(qs, path_field: str, base_path: str, count: str = "pk", distinct: bool = False) -> dict:
    """{path prefix: count} for a queryset already limited to a subtree (see `_grouped`)."""
    from django.db.models import Count

    out: dict[str, int] = {}
    for row in _grouped(qs, path_field, base_path, _n=Count(count, distinct=distinct)):
        out[row["_prefix"]] = out.get(row["_prefix"], 0) + row["_n"]
    return out


def grouped_sums(qs, path_field: str, base_path: str, field: str) -> dict:
    """{path prefix: Σ field} like `grouped_counts` (money: Decimal, 0.00 when a group is empty)."""
    from decimal import Decimal

    from django.db.models import Sum

    out: dict[str, Decimal] = {}
    for row in _grouped(qs, path_field, base_path, _s=Sum(field)):
        out[row["_prefix"]] = out.get(row["_prefix"], Decimal("0.00")) + (row["_s"] or Decimal("0.00"))
    return out


def rates_from(numerators: dict, denominators: dict) -> dict[str, Value]:
    """A grouped rate from grouped numerators and denominators (keys of either)."""
    return {k: rate(numerators.get(k, 0), denominators.get(k, 0)) for k in {*numerators, *denominators}}


def grouped_aggregates(qs, path_field: str, base_path: str, **aggregates) -> dict[str, dict]:
    """{path prefix: {name: aggregate}} like `grouped_counts`, for several aggregates of one
    grouped query (a rate's numerator and denominator, an average with its count)."""
    return {row.pop("_prefix"): row for row in _grouped(qs, path_field, base_path, **aggregates)}


def grouped_rates(qs, path_field: str, base_path: str, numerator, count: str = "pk") -> dict[str, Value]:
    """{path prefix: rate} of the rows matching `numerator` (a Q on plain columns) among all
    rows, both counted in one grouped query. Keep EXISTS out of `numerator`: PostgreSQL runs an
    aggregate's FILTER (EXISTS …) once per row; count two grouped queries for those instead."""
    from django.db.models import Count

    rows = grouped_aggregates(qs, path_field, base_path, _num=Count(count, filter=numerator), _den=Count(count))
    return {k: rate(r["_num"], r["_den"]) for k, r in rows.items()}


def sum_of_parts(m: Metric, parts) -> Value:
    """The figure from its breakdown's parts when they add up (Metric.parts_add_up): counts and
    sums added, a rate as Σ numerators ÷ Σ denominators; money keeps its two decimals."""
    parts = [as_value(v) for v in parts]
    if m.is_rate:
        return rate(sum(v.numerator or 0 for v in parts), sum(v.denominator or 0 for v in parts))
    start = Decimal("0.00") if m.unit == "元" else 0
    return Value(sum((v.value or 0 for v in parts), start))
