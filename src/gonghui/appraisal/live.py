"""Live scoring of a scheme: every subordinate's registry figures (core.metrics through the
reports app's breakdown by subordinate, one breakdown per bound metric), or the period lock's
snapshot when the issuer locked the year, the year's targets, the entered facts and scores;
then `scoring` for each subordinate and the ranking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from gonghui.core import clock
from gonghui.core.metrics import Value
from gonghui.core.periods import Period
from gonghui.reports.figures import breakdown, children_on, find_lock
from gonghui.reports.models import Target

from . import scoring
from .models import Appraisal, Entry, Indicator, Scheme, SchemeStatus


@dataclass
class Row:
    appraisal: Appraisal
    outcome: scoring.Outcome
    entries: list[Entry]
    values: dict[str, Decimal | None] = field(default_factory=dict)
    figures: dict[str, Value] = field(default_factory=dict)
    rank: int | None = None
    tie: Decimal = Decimal(0)  # the tie-break subtotal

    def entry_rows(self, indicators):
        """(indicator, entry or None, score, figure) in the tree's order, for the detail page."""
        by_code = {e.indicator.code: e for e in self.entries}
        for ind in indicators:
            yield ind, by_code.get(ind.code), self.outcome.scores.get(ind.code), self.figures.get(ind.code)


@dataclass
class Result:
    scheme: Scheme
    period: Period | None
    indicators: list[Indicator]
    rows: list[Row]
    locked: bool = False


def period_of(scheme: Scheme, today: dt.date) -> Period | None:
    """The whole year once it is over; the year to date during it; none before it starts."""
    if scheme.year > today.year:
        return None
    return Period.year(scheme.year) if scheme.year < today.year else Period.year_to_date(today)


def metric_values(scheme: Scheme, codes: set[str], period: Period) -> tuple[dict, bool]:
    """{metric code: {org id: Value}} for the issuer's direct subordinates, from the lock's snapshot
    when the issuer's period is locked, else computed (one breakdown per metric)."""
    lock = find_lock(scheme.org, period)
    parts = (lock.snapshot.get("parts", {}) if lock is not None else {})
    kids = children_on(scheme.org, period.end)
    out: dict[str, dict[int, Value]] = {}
    for code in sorted(codes):
        if code in parts:
            out[code] = {kids[p].pk: Value.from_dict(v) for p, v in parts[code].items() if p in kids}
        else:
            bd = breakdown(code, scheme.org, period, kids=kids)
            out[code] = {p.org.pk: p.value for p in bd.children if p.org is not None}
    return out, lock is not None


def score_scheme(scheme: Scheme, *, today: dt.date | None = None, appraisals=None) -> Result:
    today = today or clock.today()
    indicators = list(Indicator.objects.filter(scheme=scheme).select_related("parent"))
    nodes = [i.node() for i in indicators]
    qs = appraisals if appraisals is not None else scheme.appraisals.all()
    appraisals = list(qs.select_related("org").prefetch_related(
        Prefetch("entries", queryset=Entry.objects.select_related("indicator"))).order_by("org_path"))
    # Published results keep the values they were published with; before that, the registry's.
    frozen = scheme.status == SchemeStatus.PUBLISHED
    period = period_of(scheme, today)
    codes = {i.metric_code for i in indicators if i.metric_code}
    values, locked = (metric_values(scheme, codes, period) if period and codes and appraisals and not frozen
                      else ({}, False))
    targets = {(t.org_id, t.metric_code): t.value for t in Target.objects.filter(
        org_id__in=[a.org_id for a in appraisals], year=scheme.year, metric_code__in=codes)}
    rows = []
    for a in appraisals:
        entries = list(a.entries.all())
        by_ind = {e.indicator_id: e for e in entries}
        inputs, shown, figs = {}, {}, {}
        for ind in indicators:
            e = by_ind.get(ind.pk)
            if ind.metric_code and not frozen:
                fig = values.get(ind.metric_code, {}).get(a.org_id)
                v = None if fig is None or fig.value is None else Decimal(str(fig.value))
                if fig is not None:
                    figs[ind.code] = fig
            else:
                v = e.value if e else None
            shown[ind.code] = v
            inputs[ind.code] = scoring.Input(
                value=v, target=targets.get((a.org_id, ind.metric_code)),
                manual=e.self_score if e and ind.rule_type == scoring.MANUAL else None,
                override=e.review_score if e else None)
        outcome = scoring.score_tree(nodes, inputs, scheme.grades)
        rows.append(Row(a, outcome, entries, shown, figs,
                        tie=outcome.scores.get(scheme.tie_break, Decimal(0)) if scheme.tie_break else Decimal(0)))
    places = dict(scoring.rank([(r.appraisal.pk, r.outcome.total, r.tie) for r in rows]))
    for r in rows:
        r.rank = places[r.appraisal.pk]
    rows.sort(key=lambda r: (r.rank, r.appraisal.org_path))
    return Result(scheme, period, indicators, rows, locked)


@dataclass
class CompareRow:
    submission: object
    cells: list  # per bound field: (filled, reported, computed Value or None, reported − computed)


def compare_rows(round, bound: list[dict], submissions) -> list[CompareRow]:
    """上报值 against 统计值 for a page of a round's units: per number field bound to a registry
    figure, the number the unit filled, the reported value registered for it (reports'
    ReportedValue for the round's period) and the figure the registry computes for it. The
    computed figures come from the breakdown of each unit's parent (one grouped query per parent
    and figure: the page's units mostly share a parent), not from one computation per unit."""
    from gonghui.orgs.models import Org
    from gonghui.reports.models import ReportedValue

    subs = list(submissions)
    if not subs or not bound:
        return []
    today = clock.today()
    period = Period(round.period_start, max(round.period_start, min(round.period_end, today)))
    codes = [f["metric"] for f in bound]
    reported = {(r.org_id, r.metric_code): r.value for r in ReportedValue.objects.filter(
        org_id__in=[s.org_id for s in subs], metric_code__in=codes, start=round.period_start, end=round.period_end)}
    step = Org.steplen
    parents = {p.path: p for p in Org.objects.filter(path__in={s.org.path[:-step] for s in subs if s.org.depth > 1})}
    computed: dict[tuple[int, str], Value] = {}
    for parent in parents.values():
        kids = children_on(parent, period.end)
        for code in dict.fromkeys(codes):
            for part in breakdown(code, parent, period, kids=kids).children:
                if part.org is not None:
                    computed[(part.org.pk, code)] = part.value
    rows = []
    for s in subs:
        cells = []
        for f in bound:
            filled = s.data.get(f["key"])
            rep = reported.get((s.org_id, f["metric"]))
            value = computed.get((s.org_id, f["metric"]))
            diff = None
            if rep is not None and value is not None and value.value is not None:
                diff = rep - Decimal(str(value.value))
            cells.append((filled, rep, value, diff))
        rows.append(CompareRow(s, cells))
    return rows
