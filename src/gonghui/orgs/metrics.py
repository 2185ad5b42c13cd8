"""Organisation figures (DOMAIN §1.7), registered in the metric registry.

A "union" in these counts is a grass-roots union (GRASSROOTS_TYPES). Stock figures are taken
as of the period's end; flow figures count dated events in the period. Each org is counted
where it stood in the tree on the date that matters (its placement then).
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Substr

from gonghui.core.metrics import (
    HIGHER_BETTER,
    LOWER_BETTER,
    RecordRow,
    Records,
    breakdown_for,
    grouped_counts,
    grouped_rates,
    metric,
    rate,
    rates_from,
    records_for,
    shared,
)
from gonghui.core.periods import Period
from gonghui.core.scope import subtree_q

from . import conf
from .models import (
    ELECTED_TYPES,
    GRASSROOTS_TYPES,
    Coverage,
    Employer,
    Org,
    OrgEvent,
    OrgPlacement,
    OrgTerm,
    active_on,
    employer_open_on,
    required_q,
    valid_on,
)
from .selectors import path_on, placed_under, placements_under

GROUP = "组织建设"


def _unions_on(org: Org, at, subs: bool):
    return Org.objects.filter(placed_under(org, at, subs), active_on(at), org_type__in=GRASSROOTS_TYPES)


def _events(org: Org, period: Period, subs: bool, kind: str):
    p = path_on(org, period.end)
    where = subtree_q("path", p) if subs else Q(path=p)
    return OrgEvent.objects.filter(
        where, kind=kind, effective_on__gte=period.start, effective_on__lte=period.end,
        org__org_type__in=GRASSROOTS_TYPES,
    )


@metric("orgs.unions_total", label="基层工会总数", unit="家", group=GROUP, direction=HIGHER_BETTER, phrase="共有基层工会", list_url="orgs:tree")
def unions_total(org, period, subs):
    return _unions_on(org, period.end, subs).count()


@metric("orgs.unions_new", label="新建基层工会", unit="家", group=GROUP, direction=HIGHER_BETTER)
def unions_new(org, period, subs):
    return _events(org, period, subs, OrgEvent.Kind.FOUNDED).count()


@metric("orgs.reelections", label="完成换届", unit="家", group=GROUP, direction=HIGHER_BETTER)
def reelections(org, period, subs):
    return _events(org, period, subs, OrgEvent.Kind.REELECTED).values("org").distinct().count()


@metric("orgs.renamed", label="更名", unit="家", group=GROUP)
def renamed(org, period, subs):
    return _events(org, period, subs, OrgEvent.Kind.RENAMED).values("org").distinct().count()


@metric("orgs.dissolved", label="注销", unit="家", group=GROUP, phrase="注销基层工会")
def dissolved(org, period, subs):
    return _events(org, period, subs, OrgEvent.Kind.DISSOLVED).count()


def _moves(org: Org, period: Period, subs: bool, outward: bool):
    p = path_on(org, period.end)
    inside = (lambda f: subtree_q(f, p)) if subs else (lambda f: Q(**{f: p}))
    before, after = inside("prev_path"), inside("path")
    where = (before & ~after) if outward else (after & ~before)
    return OrgPlacement.objects.filter(
        where, event__kind=OrgEvent.Kind.MOVED, valid_from__gte=period.start, valid_from__lte=period.end,
        org__org_type__in=GRASSROOTS_TYPES,
    )


@metric("orgs.moved_out", label="转出", unit="家", group=GROUP, phrase="转出基层工会", sums_over_tree=False,
        description="期间内转出本单位辖区的基层工会（下级之间的转移在上级看来是内部调整，不计入上级的转出）")
def moved_out(org, period, subs):
    return _moves(org, period, subs, outward=True).count()


@metric("orgs.moved_in", label="转入", unit="家", group=GROUP, phrase="转入基层工会", sums_over_tree=False,
        description="期间内从辖区外转入的基层工会（下级之间的转移在上级看来是内部调整，不计入上级的转入）")
def moved_in(org, period, subs):
    return _moves(org, period, subs, outward=False).count()


def employers_under_q(org: Org, at, subs: bool, prefix: str = "") -> Q:
    """Employers (or rows that name one through `prefix`, e.g. "employer__") whose org stood
    under `org` (or at it, for own level) on `at`: the rows `placed_under(..., prefix="org__")`
    selects, by the ids of the orgs placed there that have employers at all, read first.

    The join through the placements leaves PostgreSQL no good estimate: employers hang on a few
    orgs (townships) while a subtree holds hundreds of placed orgs, so it reckons each placement
    brings hundreds of employers and hashes the whole table (and, as a subquery, it misjudges the
    employers by as much). A short list of org ids it estimates from the column's statistics, so
    it reads only the subtree's employers through the org index, and their coverages and
    contracts by employer, in proportion to the subtree (issue 14). The list is a few hundred
    ids at most: the orgs with employers in the subtree (townships, in the demo).

    Inside `sharing()` (a dashboard, the summary) the list is read once per node and date for every
    employer figure of orgs, bargaining and democracy, not once per figure.
    """

    def read():
        return list(placements_under(org, at, subs).filter(
            Exists(Employer.objects.filter(org_id=OuterRef("org_id")))
        ).values_list("org_id", flat=True))

    orgs = shared(("orgs.employer_orgs_under", org.pk, at, subs), read)
    return Q(**{f"{prefix}org_id__in": read() if orgs is None else orgs})


def _employers_required(org: Org, at, subs: bool, grouped: bool = False):
    """The required employers open on `at`. `grouped`: through the placement join, whose path
    the breakdowns group on; otherwise the semi-join the single figures plan better."""
    under = placed_under(org, at, subs, prefix="org__") if grouped else employers_under_q(org, at, subs)
    return Employer.objects.filter(under, employer_open_on(at), required_q(conf.get("REQUIRED_HEADCOUNT")))


def _covered_on(at):
    """Employers covered on `at` by a union that existed then."""
    return Exists(
        Coverage.objects.filter(valid_on(at), active_on(at, "union__"), employer=OuterRef("pk"))
    )


@metric("orgs.employers_required", label="应建会单位", unit="家", group=GROUP, list_url="orgs:employers")
def employers_required(org, period, subs):
    counts = _coverage_counts(org, period.end, subs)
    return counts["required"] if counts is not None else _employers_required(org, period.end, subs).count()


@metric("orgs.employers_covered", label="已建会单位", unit="家", group=GROUP, direction=HIGHER_BETTER, list_url="orgs:employers",
        description="应建会单位中，截止日有工会（含联合基层工会）覆盖的单位数")
def employers_covered(org, period, subs):
    counts = _coverage_counts(org, period.end, subs)
    if counts is not None:
        return counts["covered"]
    return _employers_required(org, period.end, subs).filter(_covered_on(period.end)).count()


@metric("orgs.coverage_rate", label="组建率", unit="%", group=GROUP, direction=HIGHER_BETTER,
        description="已建会单位 ÷ 应建会单位")
def coverage_rate(org, period, subs):
    # One pass over the required employers, the covering unions outer-joined and counted
    # distinct (an employer may have past coverages), instead of two counts over them.
    counts = _coverage_counts(org, period.end, subs) or _count_coverage(org, period.end, subs)
    return rate(counts["covered"], counts["required"])


def _count_coverage(org, at, subs) -> dict:
    covered = valid_on(at, "coverages__") & active_on(at, "coverages__union__")
    return _employers_required(org, at, subs).aggregate(
        required=Count("pk", distinct=True), covered=Count("pk", distinct=True, filter=covered)
    )


def _coverage_counts(org, at, subs) -> dict | None:
    """应建会单位 and 已建会单位 in the one pass of 组建率, when figures are computed together
    (core.metrics.sharing); None otherwise, where each figure reads alone."""
    return shared(("orgs.coverage", org.pk, at, subs), lambda: _count_coverage(org, at, subs))


# orgs.womens_committee_rate is registered by the members app: its default basis counts women
# members, and orgs does not depend on members.


@metric("orgs.legal_person_rate", label="法人资格登记率", unit="%", group=GROUP, direction=HIGHER_BETTER,
        description="已取得法人资格的基层工会 ÷ 基层工会总数")
def legal_person_rate(org, period, subs):
    # One pass over the unions, the registered ones counted with a FILTER on a plain column.
    at = period.end
    counts = _unions_on(org, at, subs).aggregate(total=Count("pk"), legal=Count("pk", filter=_legal(at)))
    return rate(counts["legal"], counts["total"])


def _legal(at) -> Q:
    return Q(legal_cert_issued_on__lte=at)


def _terms_overdue(org, at, subs):
    term_end = OrgTerm.objects.filter(org=OuterRef("pk"), elected_on__lte=at).order_by("-elected_on").values(
        "ends_on"
    )[:1]
    return (
        Org.objects.filter(placed_under(org, at, subs), active_on(at), org_type__in=ELECTED_TYPES)
        .annotate(term_end=Subquery(term_end))
        .filter(term_end__lt=at)
    )


@metric("orgs.terms_overdue", label="逾期未换届", unit="家", group=GROUP, direction=LOWER_BETTER,
        description="截止日本届任期已满而未换届的工会组织")
def terms_overdue(org, period, subs):
    return _terms_overdue(org, period.end, subs).count()




# Set-based breakdowns: one grouped query gives the node's own level and every direct
# subordinate (keys are tree paths on the cut-off; see core.metrics.grouped_counts).

def _unions_grouped(org, at):
    p = path_on(org, at)
    return grouped_counts(_unions_on(org, at, True), "placements__path", p)


@breakdown_for("orgs.unions_total", adds_up=True)
def unions_total_by_child(org, period):
    return _unions_grouped(org, period.end)


def _events_grouped(org, period, kind, distinct_org=False):
    p = path_on(org, period.end)
    return grouped_counts(_events(org, period, True, kind), "path", p, count="org" if distinct_org else "pk",
                          distinct=distinct_org)


@breakdown_for("orgs.unions_new", adds_up=True)
def unions_new_by_child(org, period):
    return _events_grouped(org, period, OrgEvent.Kind.FOUNDED)


@breakdown_for("orgs.reelections")
def reelections_by_child(org, period):
    return _events_grouped(org, period, OrgEvent.Kind.REELECTED, distinct_org=True)


@breakdown_for("orgs.renamed")
def renamed_by_child(org, period):
    return _events_grouped(org, period, OrgEvent.Kind.RENAMED, distinct_org=True)


@breakdown_for("orgs.dissolved", adds_up=True)
def dissolved_by_child(org, period):
    return _events_grouped(org, period, OrgEvent.Kind.DISSOLVED)


def _required_grouped(org, at, covered_only=False):
    qs = _employers_required(org, at, True, grouped=True)
    if covered_only:
        qs = qs.filter(_covered_on(at))
    return grouped_counts(qs, "org__placements__path", path_on(org, at))


@breakdown_for("orgs.employers_required", adds_up=True)
def employers_required_by_child(org, period):
    return _required_grouped(org, period.end)


@breakdown_for("orgs.employers_covered", adds_up=True)
def employers_covered_by_child(org, period):
    return _required_grouped(org, period.end, covered_only=True)


@breakdown_for("orgs.coverage_rate", adds_up=True)
def coverage_rate_by_child(org, period):
    return rates_from(_required_grouped(org, period.end, covered_only=True), _required_grouped(org, period.end))


@breakdown_for("orgs.legal_person_rate", adds_up=True)
def legal_person_rate_by_child(org, period):
    at = period.end
    return grouped_rates(_unions_on(org, at, True), "placements__path", path_on(org, at), _legal(at))


def _moves_grouped(org, period, outward: bool):
    """Moves across each part's boundary: a move counts for the part its row left (outward) or
    entered, unless the other end lies in the same part. A part is the node's own path (the node
    itself moving) or a subordinate's subtree; both are the first L characters of a path, with
    L one step longer than the node's path (a shorter path is its own prefix)."""
    p = path_on(org, period.end)
    length = len(p) + Org.steplen
    side, other = ("prev_path", "path") if outward else ("path", "prev_path")
    rows = (
        OrgPlacement.objects.filter(
            subtree_q(side, p), event__kind=OrgEvent.Kind.MOVED, valid_from__gte=period.start,
            valid_from__lte=period.end, org__org_type__in=GRASSROOTS_TYPES,
        )
        .annotate(_prefix=Substr(side, 1, length), _other=Substr(other, 1, length))
        .exclude(_prefix=F("_other"))
        .order_by().values_list("_prefix").annotate(_n=Count("pk")).values_list("_prefix", "_n")
    )
    return dict(rows)


@breakdown_for("orgs.moved_out")
def moved_out_by_child(org, period):
    return _moves_grouped(org, period, outward=True)


@breakdown_for("orgs.moved_in")
def moved_in_by_child(org, period):
    return _moves_grouped(org, period, outward=False)


@breakdown_for("orgs.terms_overdue", adds_up=True)
def terms_overdue_by_child(org, period):
    return grouped_counts(_terms_overdue(org, period.end, True), "placements__path", path_on(org, period.end))


# The records behind the figures.

def _org_row(o):
    from django.urls import reverse

    return RecordRow(label=o.name, date=o.founded_on, org_name=o.get_org_type_display(),
                     url=reverse("orgs:detail", args=[o.pk]))


@records_for("orgs.unions_total")
def unions_total_records(org, period, subs):
    return Records(_unions_on(org, period.end, subs).order_by("path"), _org_row)


def _event_row(e):
    from django.urls import reverse

    return RecordRow(label=f"{e.org.name}（{e.get_kind_display()}）", date=e.effective_on,
                     org_name=e.org.get_org_type_display(), url=reverse("orgs:detail", args=[e.org_id]))


def _event_records(kind):
    def records(org, period, subs):
        return Records(_events(org, period, subs, kind).select_related("org").order_by("effective_on", "pk"),
                       _event_row)
    return records


records_for("orgs.unions_new")(_event_records(OrgEvent.Kind.FOUNDED))
records_for("orgs.reelections")(_event_records(OrgEvent.Kind.REELECTED))
records_for("orgs.renamed")(_event_records(OrgEvent.Kind.RENAMED))
records_for("orgs.dissolved")(_event_records(OrgEvent.Kind.DISSOLVED))


@records_for("orgs.terms_overdue")
def terms_overdue_records(org, period, subs):
    return Records(_terms_overdue(org, period.end, subs).order_by("path"), _org_row)


def _employer_row(e):
    from django.urls import reverse

    return RecordRow(label=e.name, date=e.registered_on, org_name=e.org.name,
                     url=reverse("orgs:employer_detail", args=[e.pk]))


@records_for("orgs.employers_required")
def employers_required_records(org, period, subs):
    return Records(_employers_required(org, period.end, subs).select_related("org").order_by("pk"), _employer_row)


@records_for("orgs.employers_covered")
def employers_covered_records(org, period, subs):
    qs = _employers_required(org, period.end, subs).filter(_covered_on(period.end))
    return Records(qs.select_related("org").order_by("pk"), _employer_row)


# A rate's records: its denominator's, the numerator's picked by `met` (the record list shows the
# two sides apart; the side without is the work list, e.g. the employers still to organise).

@records_for("orgs.coverage_rate")
def coverage_rate_records(org, period, subs):
    at = period.end
    return Records(_employers_required(org, at, subs).select_related("org").order_by("pk"), _employer_row,
                   met=_covered_on(at), met_label="已建会单位", gap_label="应建未建单位（待组建）")


@records_for("orgs.legal_person_rate")
def legal_person_rate_records(org, period, subs):
    at = period.end
    return Records(_unions_on(org, at, subs).order_by("path"), _org_row, met=_legal(at),
                   met_label="已取得法人资格", gap_label="未取得法人资格")
