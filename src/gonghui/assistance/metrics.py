"""Hardship figures (DOMAIN §4.6), registered in the metric registry.

Units are never mixed: 户 counts distinct households (archives), 人 distinct people (a
household head, or a 金秋助学 student), 人次 counts payments, 元 sums amounts.

Attribution: a stock figure (archives in force on the cut-off) counts each archive under its
union's tree position on that date; a flow figure counts events, payments and visits at the
path stored on the row for its own date. Pairing figures belong to the federation that
registered the helper unit (the programme's organiser), not to the household's union.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse

from gonghui.core.metrics import (
    Filter,
    RecordRow,
    Records,
    breakdown_for,
    grouped_counts,
    grouped_sums,
    metric,
    records_for,
)
from gonghui.core.money import format_money
from gonghui.core.scope import subtree_q
from gonghui.core.tables import register_table
from gonghui.orgs.models import Org, OrgType
from gonghui.orgs.selectors import path_on, placed_under

from .models import (
    SCHOOL_STAGES,
    Application,
    ApplicationStatus,
    Archive,
    ArchiveEvent,
    AssistanceType,
    Beneficiary,
    Campaign,
    Category,
    Helper,
    Pairing,
    Payment,
    Visit,
)

GROUP = "困难帮扶"
PAIRING_GROUP = "一对一帮扶"


def _where(org, period, subs: bool, field: str = "path") -> Q:
    p = path_on(org, period.end)
    return subtree_q(field, p) if subs else Q(**{field: p})


def archives_in_force(org, at, subs: bool):
    """Archives 在档 (or under review) on `at`: entered on or before it and not yet exited."""
    return Archive.objects.filter(
        Q(exited_on__isnull=True) | Q(exited_on__gt=at), placed_under(org, at, subs, prefix="org__"),
        entered_on__lte=at,
    )


def _events(org, period, subs: bool, *kinds):
    return ArchiveEvent.objects.filter(_where(org, period, subs), kind__in=kinds,
                                       effective_on__gte=period.start, effective_on__lte=period.end)


def _payments(org, period, subs: bool, type: str | None = None):
    qs = Payment.objects.filter(_where(org, period, subs), paid_on__gte=period.start, paid_on__lte=period.end)
    return qs.filter(type=type) if type else qs


def _sum(qs, field: str = "amount") -> Decimal:
    return qs.aggregate(s=Sum(field))["s"] or Decimal("0.00")


@metric("assistance.archives_total", label="在档困难职工家庭", unit="户", group=GROUP,
        description="截止日在档（含年度复核中）的困难职工档案数")
def archives_total(org, period, subs):
    return archives_in_force(org, period.end, subs).count()


def _latest_events(org, at, subs: bool, category: str):
    """The event that gives each archive in force on `at` its category then (its latest event up
    to that date, the higher id on the same day), kept when that category is `category`: one row
    per archive. "No later event" is an anti-join, planned as one set operation, not as a
    subquery run for every archive in force in the whole table before the subtree is applied."""
    later = ArchiveEvent.objects.filter(archive=OuterRef("archive"), effective_on__lte=at).filter(
        Q(effective_on__gt=OuterRef("effective_on")) | Q(effective_on=OuterRef("effective_on"), id__gt=OuterRef("id")))
    return ArchiveEvent.objects.filter(
        Q(archive__exited_on__isnull=True) | Q(archive__exited_on__gt=at),
        placed_under(org, at, subs, prefix="archive__org__"), archive__entered_on__lte=at,
        effective_on__lte=at, category=category,
    ).filter(~Exists(later))


def _by_category(category: str):
    def compute(org, period, subs):
        return _latest_events(org, period.end, subs, category).count()

    return compute


# The breakdown by category: one code each (codes have exactly one dot: app.figure).
for _cat in Category:
    metric(f"assistance.archives_{_cat.value}", label=f"在档困难职工家庭：{_cat.label}", unit="户",
           group=GROUP, description=f"截止日在档、当时类别为“{_cat.label}”的档案数",
           phrase=_cat.label, part_of="assistance.archives_total")(_by_category(_cat.value))


@metric("assistance.archives_new", label="新增困难职工家庭", unit="户", group=GROUP,
        description="期间内公示结束入档的档案数")
def archives_new(org, period, subs):
    return _events(org, period, subs, ArchiveEvent.Kind.ENTERED).count()


@metric("assistance.archives_exited", label="出档（脱困、解困、退出）", unit="户", group=GROUP, phrase="出档（脱困、解困、退出）家庭")
def archives_exited(org, period, subs):
    return _events(org, period, subs, ArchiveEvent.Kind.RECOVERED, ArchiveEvent.Kind.RELIEVED,
                   ArchiveEvent.Kind.EXITED).count()


@metric("assistance.households_helped", label="帮扶户数", unit="户", group=GROUP,
        description="期间内领取过帮扶的困难家庭数（一户多次只计一户）")
def households_helped(org, period, subs):
    return _payments(org, period, subs).values("archive").distinct().count()


@metric("assistance.person_times", label="帮扶人次", unit="人次", group=GROUP, description="期间内的发放笔数")
def person_times(org, period, subs):
    return _payments(org, period, subs).count()


@metric("assistance.amount", label="帮扶金额", unit="元", group=GROUP, phrase="发放帮扶资金")
def amount(org, period, subs):
    return _sum(_payments(org, period, subs))


@metric("assistance.golden_autumn_students", label="金秋助学人数", unit="人", group=GROUP,
        description="期间内获金秋助学的学生人数（一人多次只计一人）")
def golden_autumn_students(org, period, subs):
    return _payments(org, period, subs, AssistanceType.GOLDEN_AUTUMN).values("student").distinct().count()


@metric("assistance.golden_autumn_amount", label="金秋助学金额", unit="元", group=GROUP, phrase="发放金秋助学金")
def golden_autumn_amount(org, period, subs):
    return _sum(_payments(org, period, subs, AssistanceType.GOLDEN_AUTUMN))


@metric("assistance.warmth_persons", label="送温暖慰问人数", unit="人", group=GROUP,
        description="期间内获送温暖慰问的困难职工人数（每户户主计一人）")
def warmth_persons(org, period, subs):
    return _payments(org, period, subs, AssistanceType.WARMTH).values("archive").distinct().count()


@metric("assistance.warmth_amount", label="送温暖金额", unit="元", group=GROUP, phrase="发放送温暖慰问金")
def warmth_amount(org, period, subs):
    return _sum(_payments(org, period, subs, AssistanceType.WARMTH))


# --- set-based breakdowns of the figures above (the statistics pages and the standard table) -------
# One grouped query instead of one computation per subordinate: archives in force under their
# union's position on the cut-off, events and payments at the path stored on each row.

ARCHIVE_PATH = "org__placements__path"


def _grouped_payments(type=None, distinct: str = "", total: bool = False):
    def breakdown(org, period):
        qs, p = _payments(org, period, True, type), path_on(org, period.end)
        if total:
            return grouped_sums(qs, "path", p, "amount")
        return grouped_counts(qs, "path", p, distinct or "pk", distinct=bool(distinct))

    return breakdown


@breakdown_for("assistance.archives_total", adds_up=True)
def archives_total_by_child(org, period):
    return grouped_counts(archives_in_force(org, period.end, True), ARCHIVE_PATH, path_on(org, period.end))


def _category_by_child(category: str):
    def breakdown(org, period):
        at = period.end
        return grouped_counts(_latest_events(org, at, True, category), "archive__org__placements__path",
                              path_on(org, at))

    return breakdown


for _cat in Category:
    breakdown_for(f"assistance.archives_{_cat.value}", adds_up=True)(_category_by_child(_cat.value))
breakdown_for("assistance.archives_new", adds_up=True)(lambda org, period: grouped_counts(
    _events(org, period, True, ArchiveEvent.Kind.ENTERED), "path", path_on(org, period.end)))
breakdown_for("assistance.archives_exited", adds_up=True)(lambda org, period: grouped_counts(
    _events(org, period, True, ArchiveEvent.Kind.RECOVERED, ArchiveEvent.Kind.RELIEVED, ArchiveEvent.Kind.EXITED),
    "path", path_on(org, period.end)))
breakdown_for("assistance.households_helped")(_grouped_payments(distinct="archive"))
breakdown_for("assistance.person_times", adds_up=True)(_grouped_payments())
breakdown_for("assistance.amount", adds_up=True)(_grouped_payments(total=True))
breakdown_for("assistance.golden_autumn_students")(_grouped_payments(AssistanceType.GOLDEN_AUTUMN, "student"))
breakdown_for("assistance.golden_autumn_amount", adds_up=True)(_grouped_payments(AssistanceType.GOLDEN_AUTUMN, total=True))
breakdown_for("assistance.warmth_persons")(_grouped_payments(AssistanceType.WARMTH, "archive"))
breakdown_for("assistance.warmth_amount", adds_up=True)(_grouped_payments(AssistanceType.WARMTH, total=True))

# --- 一对一帮扶 -----------------------------------------------------------------------------------

def _open_pairings(at):
    return Q(pledged_on__lte=at) & (Q(ended_on__isnull=True) | Q(ended_on__gt=at))


@metric("pairing.units_pledged", label="结对帮扶单位", unit="家", group=PAIRING_GROUP,
        description="截止日有结对关系的帮扶单位（干部）数")
def units_pledged(org, period, subs):
    return _units_pledged(org, period.end, subs).count()


def _units_pledged(org, at, subs):
    pledged = Pairing.objects.filter(_open_pairings(at), helper=OuterRef("pk"))
    return Helper.objects.filter(placed_under(org, at, subs, prefix="org__")).filter(Exists(pledged))


@metric("pairing.households_pledged", label="结对困难家庭", unit="户", group=PAIRING_GROUP,
        description="截止日已结对的困难家庭数")
def households_pledged(org, period, subs):
    return _pairings_open(org, period.end, subs).values("archive").distinct().count()


def _pairings_open(org, at, subs):
    return Pairing.objects.filter(_open_pairings(at), placed_under(org, at, subs, prefix="helper__org__"))


def _visits(org, period, subs):
    return Visit.objects.filter(_where(org, period, subs), visited_on__gte=period.start, visited_on__lte=period.end)


@metric("pairing.units_active", label="已开展帮扶的单位", unit="家", group=PAIRING_GROUP,
        description="期间内有走访帮扶记录的帮扶单位（干部）数")
def units_active(org, period, subs):
    return _visits(org, period, subs).values("pairing__helper").distinct().count()


@metric("pairing.households_helped", label="已帮扶困难家庭", unit="户", group=PAIRING_GROUP)
def pairing_households_helped(org, period, subs):
    return _visits(org, period, subs).values("pairing__archive").distinct().count()


@metric("pairing.amount", label="结对帮扶资金", unit="元", group=PAIRING_GROUP)
def pairing_amount(org, period, subs):
    return _sum(_visits(org, period, subs))


# Pairings under the helper unit's federation on the cut-off; visits at the path stored on each.
breakdown_for("pairing.units_pledged", adds_up=True)(lambda org, period: grouped_counts(
    _units_pledged(org, period.end, True), "org__placements__path", path_on(org, period.end)))
breakdown_for("pairing.households_pledged")(lambda org, period: grouped_counts(
    _pairings_open(org, period.end, True), "helper__org__placements__path", path_on(org, period.end), "archive",
    distinct=True))
breakdown_for("pairing.units_active")(lambda org, period: grouped_counts(
    _visits(org, period, True), "path", path_on(org, period.end), "pairing__helper", distinct=True))
breakdown_for("pairing.households_helped")(lambda org, period: grouped_counts(
    _visits(org, period, True), "path", path_on(org, period.end), "pairing__archive", distinct=True))
breakdown_for("pairing.amount", adds_up=True)(lambda org, period: grouped_sums(
    _visits(org, period, True), "path", path_on(org, period.end), "amount"))


AREA_WORD = {OrgType.COUNTY: "全县", OrgType.CITY: "全市", OrgType.PROVINCE: "全省"}


def pairing_sentence(org, period) -> str:
    """The work-summary sentence (seed S0), every figure from the registry's functions."""
    where = AREA_WORD.get(org.org_type, org.name)
    return (f"{where}{units_pledged(org, period, True)}个单位将帮扶{households_pledged(org, period, True)}户困难家庭，"
            f"已有{units_active(org, period, True)}个单位共帮扶{pairing_households_helped(org, period, True)}户，"
            f"帮扶资金达{format_money(pairing_amount(org, period, True), '万元')}")


# --- the application funnel (S1: 82 初步符合 → 75 获帮扶 75000 元) ------------------------------------
# A cohort: the applications made in the period, and how far each had got by the cut-off, so every
# stage is a part of the one before. Each counts under its union's tree position on the cut-off;
# persons are households (the worker applying), amounts what was asked, approved or paid.

FUNNEL_GROUP = "帮扶申请办理"
CLASS_GROUP = "帮扶分类统计"
APPLICATION_PATH = "org__placements__path"


def _applied(org, period, subs: bool):
    return Application.objects.filter(placed_under(org, period.end, subs, prefix="org__"),
                                      applied_on__gte=period.start, applied_on__lte=period.end)


def _reviewed_q(at) -> Q:
    # Passed 审核 by `at`: reviewed then and not turned down at that step (a rejection at 审核
    # leaves no approval date; one at 审批 does).
    return Q(reviewed_on__lte=at) & ~Q(status=ApplicationStatus.REJECTED, approved_on__isnull=True)


# stage: (label of persons, label of amounts, filter as of the cut-off, amount field, description)
FUNNEL = {
    "applied": ("申请帮扶人数", "申请帮扶金额", lambda at: Q(), "amount_requested",
                "期间内提出帮扶申请的困难职工"),
    "eligible": ("初步符合条件人数", "初步符合条件申请金额", lambda at: Q(eligible_on__lte=at), "amount_requested",
                 "期间内的申请中，截止日前经本单位工会初审（或经审核通过）初步符合条件的"),
    "reviewed": ("通过审核人数", "通过审核申请金额", _reviewed_q, "amount_requested",
                 "期间内的申请中，截止日前通过上级工会审核的"),
    "approved": ("获批准人数", "批准金额", lambda at: Q(approved_on__lte=at, amount_approved__isnull=False),
                 "amount_approved", "期间内的申请中，截止日前获审批同意的"),
    "paid": ("获帮扶人数", "获帮扶金额", lambda at: Q(payment__paid_on__lte=at), "payment__amount",
             "期间内的申请中，截止日前已发放的"),
}


def _stage(org, period, subs, stage):
    return _applied(org, period, subs).filter(FUNNEL[stage][2](period.end))


def _application_row(a) -> RecordRow:
    return RecordRow(label=f"{a.archive.head_name} {a.get_type_display()} 申请{format_money(a.amount_requested)}"
                           f"（{a.get_status_display()}）", date=a.applied_on, org_name=a.org.name,
                     url=reverse("assistance:application_detail", args=[a.pk]))


def _funnel(stage: str) -> None:
    persons_label, amount_label, _q, amount_field, description = FUNNEL[stage]
    persons, money = f"assistance.{stage}_persons", f"assistance.{stage}_amount"

    @metric(persons, label=persons_label, unit="人", group=FUNNEL_GROUP, list_url="assistance:applications",
            description=f"{description}（同一职工多次申请计一人）")
    def count(org, period, subs):
        return _stage(org, period, subs, stage).values("archive").distinct().count()

    @metric(money, label=amount_label, unit="元", group=FUNNEL_GROUP, list_url="assistance:applications",
            description=description)
    def total(org, period, subs):
        return _sum(_stage(org, period, subs, stage), amount_field)

    def by_child(qs_for):
        return lambda org, period: qs_for(_stage(org, period, True, stage), path_on(org, period.end))

    breakdown_for(persons)(by_child(lambda qs, p: grouped_counts(qs, APPLICATION_PATH, p, "archive", distinct=True)))
    breakdown_for(money, adds_up=True)(by_child(lambda qs, p: grouped_sums(qs, APPLICATION_PATH, p, amount_field)))

    def records(org, period, subs):
        qs = _stage(org, period, subs, stage).select_related("archive", "org").order_by("applied_on", "id")
        return Records(qs, _application_row)

    records_for(persons)(records)
    records_for(money)(records)


for _stage_key in FUNNEL:
    _funnel(_stage_key)


# --- payments by type and whom they reached --------------------------------------------------------
# Flow figures like the ones above: payments in the period at the path stored on each payment.

def _payment_row(p) -> RecordRow:
    return RecordRow(label=f"{p.archive.head_name} {p.get_type_display()} {format_money(p.amount)}", date=p.paid_on,
                     org_name=p.org.name, url=reverse("assistance:application_detail", args=[p.application_id]))


def _payment_figures(code: str, label: str, unit: str, distinct: str, select, description: str, group=CLASS_GROUP,
                     filters=(), phrase: str = "") -> None:
    """Register a payment count (distinct `distinct`) or sum (distinct="" → Σ amount) with its
    breakdown and records. `select(qs, **filters)` narrows the period's payments."""

    def payments(org, period, subs, **kw):
        return select(_payments(org, period, subs), **kw)

    def value(org, period, subs, **kw):
        qs = payments(org, period, subs, **kw)
        return qs.values(distinct).distinct().count() if distinct else _sum(qs)

    metric(code, label=label, unit=unit, group=group, description=description, filters=filters,
           phrase=phrase)(value)

    # A sum adds up over the parts; a distinct count does not (one household, two townships).
    @breakdown_for(code, adds_up=not distinct)
    def by_child(org, period, **kw):
        qs, p = payments(org, period, True, **kw), path_on(org, period.end)
        return grouped_counts(qs, "path", p, distinct, distinct=True) if distinct else grouped_sums(qs, "path", p,
                                                                                                      "amount")

    @records_for(code)
    def records(org, period, subs, **kw):
        qs = payments(org, period, subs, **kw).select_related("archive", "org").order_by("paid_on", "id")
        return Records(qs, _payment_row)


# 送温暖 by beneficiary category (S4: 离退休职工、劳动模范、贫特困职工、孤寡老人、孤儿、伤残职工 12599 人 260 万).
for _b in Beneficiary:
    def _warmth(qs, b=_b.value):
        return qs.filter(type=AssistanceType.WARMTH, application__beneficiary=b)

    _payment_figures(f"assistance.warmth_{_b.value}_persons", f"送温暖慰问人数：{_b.label}", "人", "archive", _warmth,
                     f"期间内获送温暖慰问、受助对象为“{_b.label}”的人数（每户户主计一人）")
    _payment_figures(f"assistance.warmth_{_b.value}_amount", f"送温暖金额：{_b.label}", "元", "", _warmth,
                     f"期间内发放给“{_b.label}”的送温暖慰问金")


# 工伤/病患探望 (S1: 15 injured workers, 4500 元).
def _injury(qs):
    return qs.filter(type=AssistanceType.INJURY_VISIT)


_payment_figures("assistance.injury_visit_persons", "工伤探望人数", "人", "archive", _injury,
                 "期间内获工伤/病患探望慰问的职工人数（一人多次计一人）")
_payment_figures("assistance.injury_visit_amount", "工伤探望金额", "元", "", _injury, "期间内工伤/病患探望慰问金")


# 金秋助学 by the student's school stage when applying (S1: 高中、中专、大学; S1 篇四: 大学生、小学生).
for _key, (_label, _levels) in SCHOOL_STAGES.items():
    def _school(qs, levels=_levels):
        return qs.filter(type=AssistanceType.GOLDEN_AUTUMN, application__school_level__in=levels)

    _payment_figures(f"assistance.golden_autumn_{_key}_students", f"金秋助学人数：{_label}", "人", "student", _school,
                     f"期间内获金秋助学的{_label}学生人数（一人多次计一人）", phrase=f"金秋助学资助{_label}学生")
    _payment_figures(f"assistance.golden_autumn_{_key}_amount", f"金秋助学金额：{_label}", "元", "", _school,
                     f"期间内发放给{_label}学生的金秋助学金")


# --- campaigns (per campaign with the filter; without it, every campaign's payments) ---------------

def campaign_choices(org, period) -> list[tuple[str, str]]:
    """Campaigns a figure of `org` can be narrowed to: run by the node, above it or under it,
    and open during the period."""
    steps = range(Org.steplen, len(org.path) + 1, Org.steplen)
    qs = (Campaign.objects.filter(Q(org__path__in=[org.path[:i] for i in steps]) | subtree_q("org__path", org.path),
                                  start_on__lte=period.end, end_on__gte=period.start)
          .select_related("org").order_by("-start_on", "id"))
    return [(str(c.pk), f"{c.name}（{c.org.name}）") for c in qs]


CAMPAIGN = Filter("campaign", "帮扶活动", clean=int, choices=campaign_choices)


def _campaign(qs, campaign=None):
    return qs.filter(campaign=campaign) if campaign is not None else qs.filter(campaign__isnull=False)


_payment_figures("assistance.campaign_households", "帮扶活动慰问户数", "户", "archive", _campaign,
                 "期间内在帮扶活动中领取帮扶的家庭数（可按活动筛选；一户只计一次）", filters=(CAMPAIGN,))
_payment_figures("assistance.campaign_amount", "帮扶活动发放金额", "元", "", _campaign,
                 "期间内帮扶活动的发放金额（可按活动筛选）", filters=(CAMPAIGN,))


# --- the standard assistance table (帮扶情况统计表), rendered by the reports app ----------------------

register_table("assistance", title="帮扶情况统计表", permission="assistance.view", access_logged=True, columns=[
    ("assistance.archives_total", "在档户数"),
    ("assistance.archives_deep", "其中深度困难"),
    ("assistance.archives_relative", "其中相对困难"),
    ("assistance.archives_accident", "其中意外致困"),
    ("assistance.archives_new", "新增户数"),
    ("assistance.archives_exited", "出档户数"),
    ("assistance.households_helped", "帮扶户数"),
    ("assistance.person_times", "帮扶人次"),
    ("assistance.amount", "帮扶金额(元)"),
    ("assistance.golden_autumn_students", "金秋助学人数"),
    ("assistance.golden_autumn_amount", "金秋助学金额(元)"),
    ("assistance.warmth_persons", "送温暖人数"),
    ("assistance.warmth_amount", "送温暖金额(元)"),
], note="在档户数为截止日数据，其余为期间内发生数。")
