"""Membership figures (DOMAIN §2.6), registered in the metric registry.

Stock figures count status periods valid on the cut-off (在会 only: 保留会籍 is not counted
as a member in 会员总数), each under the union's tree position on that date; flow figures
count dated events in the period at the union's path on the event date.

Both read the path copied onto the row (MemberStatusPeriod.path, MemberEvent.path: the union's
path on the row's dates, kept right by the services and the re-homers) as a range
(`subtree_q`), so a county's figure reads the county's rows only, from an index that starts
with the status or kind and the path; women and 农民工 are the period's own columns. No
figure joins the placements or the people.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, Max, Q, Sum, When

from gonghui.core.metrics import (
    HIGHER_BETTER,
    RecordRow,
    Records,
    breakdown_for,
    grouped_counts,
    metric,
    rate,
    rates_from,
    records_for,
    shared,
)
from gonghui.core.scope import subtree_q
from gonghui.orgs.metrics import GROUP as ORG_GROUP
from gonghui.orgs.models import GRASSROOTS_TYPES, Coverage, Org, employer_open_on, valid_on
from gonghui.orgs.models import active_on as org_active_on
from gonghui.orgs.selectors import path_on, placed_under

from . import conf
from .models import Gender, MemberEvent, MemberStatus, MemberStatusPeriod

GROUP = "会员发展"


def _at(path: str, subs: bool, field: str = "path") -> Q:
    return subtree_q(field, path) if subs else Q(**{field: path})


def active_on(org, at, subs: bool, path: str | None = None):
    """Status periods of members 在会 on `at` in unions under `org` (or at it) on that date."""
    p = path_on(org, at) if path is None else path
    return MemberStatusPeriod.objects.filter(_at(p, subs), valid_on(at), status=MemberStatus.ACTIVE)


MONTHS_SOUGHT = 36  # a longer period reads the subtree's events of every date (memberevent_kind_date)


def _months(period) -> Q:
    """The period's months (MemberEvent.month), each one seek of `memberevent_kind_month_path`:
    a county's half-year reads the county's events of six months, not the city's nor the
    county's of every year."""
    months, m = [], period.start.replace(day=1)
    while m <= period.end and len(months) <= MONTHS_SOUGHT:
        months.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return Q(month__in=months) if len(months) <= MONTHS_SOUGHT else Q()


def _events(org, period, subs: bool, *kinds, path: str | None = None):
    p = path_on(org, period.end) if path is None else path
    return MemberEvent.objects.filter(_at(p, subs), _months(period), kind__in=kinds, effective_on__gte=period.start,
                                      effective_on__lte=period.end)


def _active_counts(org, at, subs: bool) -> dict | None:
    """会员总数, 女会员 and 农民工会员 on `at` in one pass over the status periods (the index
    `period_status_path_from` holds gender and 农民工), when figures are computed together
    (core.metrics.sharing: the dashboard, the summary); None otherwise."""
    return shared(("members.active", org.pk, at, subs), lambda: active_on(org, at, subs).aggregate(
        total=Count("pk"), women=Count("pk", filter=Q(gender=Gender.FEMALE)), migrant=Count("pk", filter=Q(migrant=True))))


@metric("members.total", label="会员总数", unit="人", group=GROUP, direction=HIGHER_BETTER, phrase="共有会员", list_url="members:roster")
def total(org, period, subs):
    counts = _active_counts(org, period.end, subs)
    return counts["total"] if counts is not None else active_on(org, period.end, subs).count()


@metric("members.women", label="女会员", unit="人", group=GROUP, phrase="女会员", part_of="members.total")
def women(org, period, subs):
    counts = _active_counts(org, period.end, subs)
    return counts["women"] if counts is not None else active_on(org, period.end, subs).filter(gender=Gender.FEMALE).count()


@metric("members.migrant_workers", label="农民工会员", unit="人", group=GROUP, phrase="农民工会员", part_of="members.total")
def migrant_workers(org, period, subs):
    counts = _active_counts(org, period.end, subs)
    return counts["migrant"] if counts is not None else active_on(org, period.end, subs).filter(migrant=True).count()


# The event figures by the kinds each counts.
EVENT_KINDS = {
    "new": (MemberEvent.Kind.JOINED,),
    "transferred_in": (MemberEvent.Kind.TRANSFERRED_IN,),
    "transferred_out": (MemberEvent.Kind.TRANSFERRED_OUT,),
    "left": (MemberEvent.Kind.WITHDRAWN, MemberEvent.Kind.EXPELLED, MemberEvent.Kind.DECEASED),
}


def _event_count(org, period, subs: bool, figure: str) -> int:
    """The events of `figure`'s kinds. Inside sharing() (a dashboard, the summary) the four event
    figures come from one pass over the period's events, each a FILTER on the kind; alone, a
    figure counts its own kinds (as its twin does)."""
    counts = shared(("members.events", org.pk, period.start, period.end, subs), lambda: _events(
        org, period, subs, *(k for kinds in EVENT_KINDS.values() for k in kinds)).aggregate(
        **{name: Count("pk", filter=Q(kind__in=kinds)) for name, kinds in EVENT_KINDS.items()}))
    return counts[figure] if counts is not None else _events(org, period, subs, *EVENT_KINDS[figure]).count()


@metric("members.new", label="发展会员", unit="人", group=GROUP, direction=HIGHER_BETTER, phrase="新发展会员", description="期间内入会的人数（不含转入）")
def new(org, period, subs):
    return _event_count(org, period, subs, "new")


@metric("members.transferred_in", label="转入会员", unit="人", group=GROUP)
def transferred_in(org, period, subs):
    return _event_count(org, period, subs, "transferred_in")


@metric("members.transferred_out", label="转出会员", unit="人", group=GROUP)
def transferred_out(org, period, subs):
    return _event_count(org, period, subs, "transferred_out")


@metric("members.left", label="退会、除名、死亡", unit="人", group=GROUP, phrase="退会、除名、死亡的会员")
def left(org, period, subs):
    return _event_count(org, period, subs, "left")


@metric("members.membership_rate", label="入会率", unit="%", group=GROUP, direction=HIGHER_BETTER,
        description="会员总数 ÷ 有工会覆盖的用人单位职工人数（截止日）")
def membership_rate(org, period, subs):
    at = period.end
    staff = (
        Coverage.objects.filter(valid_on(at), placed_under(org, at, subs, prefix="union__"),
                                employer_open_on(at, "employer__"))
        .aggregate(n=Sum("employer__headcount"))["n"]
        or 0
    )
    counts = _active_counts(org, at, subs)
    return rate(counts["total"] if counts is not None else active_on(org, at, subs).count(), staff)


# Set-based breakdowns: one grouped query for the node's own level and every direct subordinate
# (a county of 150,000 members must not be counted once per township).

def _active_grouped(org, at, **filters):
    p = path_on(org, at)
    return grouped_counts(active_on(org, at, True, path=p).filter(**filters), "path", p)


@breakdown_for("members.total")
def total_by_child(org, period):
    return _active_grouped(org, period.end)


@breakdown_for("members.women")
def women_by_child(org, period):
    return _active_grouped(org, period.end, gender=Gender.FEMALE)


@breakdown_for("members.migrant_workers")
def migrant_workers_by_child(org, period):
    return _active_grouped(org, period.end, migrant=True)


def _events_grouped(org, period, *kinds):
    p = path_on(org, period.end)
    return grouped_counts(_events(org, period, True, *kinds, path=p), "path", p)


breakdown_for("members.new")(lambda org, period: _events_grouped(org, period, MemberEvent.Kind.JOINED))
breakdown_for("members.transferred_in")(
    lambda org, period: _events_grouped(org, period, MemberEvent.Kind.TRANSFERRED_IN))
breakdown_for("members.transferred_out")(
    lambda org, period: _events_grouped(org, period, MemberEvent.Kind.TRANSFERRED_OUT))
breakdown_for("members.left")(lambda org, period: _events_grouped(
    org, period, MemberEvent.Kind.WITHDRAWN, MemberEvent.Kind.EXPELLED, MemberEvent.Kind.DECEASED))


@breakdown_for("members.membership_rate")
def membership_rate_by_child(org, period):
    from django.db.models.functions import Substr

    at = period.end
    p = path_on(org, at)
    staff_rows = (
        Coverage.objects.filter(valid_on(at), placed_under(org, at, True, prefix="union__"),
                                employer_open_on(at, "employer__"))
        .annotate(_prefix=Substr("union__placements__path", 1, len(p) + 4))
        .order_by().values_list("_prefix").annotate(n=Sum("employer__headcount")).values_list("_prefix", "n")
    )
    staff: dict[str, int] = {}
    for prefix, n in staff_rows:
        staff[prefix] = staff.get(prefix, 0) + (n or 0)
    return rates_from(_active_grouped(org, at), staff)


# The records behind the figures: memberships, names as the roster shows them (the page
# requires members.view on the node).

def _member_row(sp):
    from django.urls import reverse

    return RecordRow(label=sp.membership.person.name, date=sp.membership.started_on, org_name=sp.union.name,
                     url=reverse("members:detail", args=[sp.membership_id]))


def _event_row(e):
    from django.urls import reverse

    return RecordRow(label=f"{e.person.name}（{e.get_kind_display()}）", date=e.effective_on,
                     org_name=e.union.name, url=reverse("members:detail", args=[e.membership_id]))


def _stock_records(**filters):
    def records(org, period, subs):
        qs = active_on(org, period.end, subs).filter(**filters).select_related(
            "membership__person", "union").order_by("pk")
        return Records(qs, _member_row)
    return records


def _event_records(*kinds):
    def records(org, period, subs):
        qs = _events(org, period, subs, *kinds).select_related("person", "union").order_by("effective_on", "pk")
        return Records(qs, _event_row)
    return records


records_for("members.total")(_stock_records())
records_for("members.women")(_stock_records(gender=Gender.FEMALE))
records_for("members.migrant_workers")(_stock_records(migrant=True))
records_for("members.new")(_event_records(MemberEvent.Kind.JOINED))
records_for("members.transferred_in")(_event_records(MemberEvent.Kind.TRANSFERRED_IN))
records_for("members.transferred_out")(_event_records(MemberEvent.Kind.TRANSFERRED_OUT))
records_for("members.left")(_event_records(MemberEvent.Kind.WITHDRAWN, MemberEvent.Kind.EXPELLED,
                                          MemberEvent.Kind.DECEASED))


# --- 女职工组织组建率 (code kept under orgs: it is an organisation figure, but its default basis
# reads the roster, and orgs does not depend on members) ---------------------------------------

def _unions_on(org, at, subs: bool):
    return Org.objects.filter(placed_under(org, at, subs), org_active_on(at), org_type__in=GRASSROOTS_TYPES)


@metric("orgs.womens_committee_rate", label="女职工组织组建率", unit="%", group=ORG_GROUP, direction=HIGHER_BETTER,
        description="建有女职工委员会的基层工会 ÷ 应建女职工委员会的基层工会（女会员或覆盖单位女职工达到设定人数）")
def womens_committee_rate(org, period, subs):
    # DOMAIN F10: a union with at least the threshold of 女会员 should have a 女职工委员会.
    # GONGHUI_WOMENS_COMMITTEE_BASIS = "members" (default) counts its women members (在会 on the
    # cut-off); "employees" counts the women employed by the employers it covers (a region whose
    # rule speaks of 女职工, e.g. Beijing).
    if conf.get("WOMENS_COMMITTEE_BASIS") == "members":
        return _womens_committee_rate_by_members(org, period.end, subs)
    at = period.end
    # One grouped pass over the coverages of the unions in scope (a per-union correlated
    # subquery cost ~380 ms at city size on PostgreSQL, see docs/benchmarks.md).
    per_union = (
        Coverage.objects.filter(valid_on(at), union__in=_unions_on(org, at, subs).values("pk"))
        .values("union")
        .annotate(
            women=Sum("employer__women_count"),
            has_committee=Max(Case(When(union__womens_committee_on__lte=at, then=1), default=0)),
        )
        .filter(women__gte=conf.get("WOMENS_COMMITTEE_THRESHOLD"))
    )
    totals = per_union.aggregate(required=Count("union"), built=Sum("has_committee"))
    return rate(totals["built"] or 0, totals["required"])


def _womens_committee_rate_by_members(org, at, subs):
    # The unions' women 在会 on the cut-off, read by the periods' path range (a county's rows
    # only); which of those unions count (grass-roots, existing then) is asked of the orgs after.
    required = (
        active_on(org, at, subs).filter(gender=Gender.FEMALE)
        .values("union").annotate(n=Count("pk"))
        .filter(n__gte=conf.get("WOMENS_COMMITTEE_THRESHOLD"))
        .values("union")
    )
    counts = Org.objects.filter(org_active_on(at), pk__in=required, org_type__in=GRASSROOTS_TYPES).aggregate(
        required=Count("pk"), built=Count("pk", filter=Q(womens_committee_on__lte=at)))
    return rate(counts["built"], counts["required"])


@breakdown_for("orgs.womens_committee_rate")
def womens_committee_rate_by_child(org, period):
    """One grouped pass: each union that should have a 女职工委员会 and whether it has one, under
    the prefix of its path on the cut-off; the rate per prefix from those."""
    from django.db.models.functions import Substr

    at = period.end
    p = path_on(org, at)
    threshold = conf.get("WOMENS_COMMITTEE_THRESHOLD")
    has_committee = Max(Case(When(union__womens_committee_on__lte=at, then=1), default=0))
    counted = Q(org_active_on(at, "union__"), union__org_type__in=GRASSROOTS_TYPES)
    if conf.get("WOMENS_COMMITTEE_BASIS") == "members":
        rows = (active_on(org, at, True, path=p).filter(counted, gender=Gender.FEMALE)
                .annotate(_prefix=Substr("path", 1, len(p) + 4)).order_by()
                .values("union", "_prefix").annotate(women=Count("pk"), built=has_committee))
    else:
        rows = (Coverage.objects.filter(valid_on(at), placed_under(org, at, True, prefix="union__"), counted)
                .annotate(_prefix=Substr("union__placements__path", 1, len(p) + 4)).order_by()
                .values("union", "_prefix").annotate(women=Sum("employer__women_count"), built=has_committee))
    required: dict[str, int] = {}
    built: dict[str, int] = {}
    for row in rows.filter(women__gte=threshold):
        key = row["_prefix"]
        required[key] = required.get(key, 0) + 1
        built[key] = built.get(key, 0) + row["built"]
    return {k: rate(built[k], required[k]) for k in required}


@records_for("orgs.womens_committee_rate")
def womens_committee_rate_records(org, period, subs):
    """The unions that should have a 女职工委员会 (the rate's denominator, on the basis in force),
    those that have one picked by `met`: the rest is the work list."""
    from django.urls import reverse

    at = period.end
    threshold = conf.get("WOMENS_COMMITTEE_THRESHOLD")
    if conf.get("WOMENS_COMMITTEE_BASIS") == "members":
        required = (active_on(org, at, subs).filter(gender=Gender.FEMALE).values("union").annotate(n=Count("pk"))
                    .filter(n__gte=threshold).values("union"))
    else:
        required = (Coverage.objects.filter(valid_on(at), union__in=_unions_on(org, at, subs).values("pk"))
                    .values("union").annotate(women=Sum("employer__women_count")).filter(women__gte=threshold)
                    .values("union"))
    qs = Org.objects.filter(org_active_on(at), pk__in=required, org_type__in=GRASSROOTS_TYPES).order_by("path")
    return Records(qs, lambda o: RecordRow(label=o.name, date=o.womens_committee_on, org_name=o.get_org_type_display(),
                                           url=reverse("orgs:detail", args=[o.pk])),
                   met=Q(womens_committee_on__lte=at), met_label="已建女职工委员会", gap_label="应建未建女职工委员会")
