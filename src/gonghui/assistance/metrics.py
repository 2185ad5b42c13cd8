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

from django.db.models import Exists, OuterRef, Q, Subquery, Sum

from gonghui.core.metrics import metric
from gonghui.core.money import format_money
from gonghui.core.scope import subtree_q
from gonghui.core.tables import register_table
from gonghui.orgs.models import OrgType
from gonghui.orgs.selectors import path_on, placed_under

from .models import Archive, ArchiveEvent, AssistanceType, Category, Helper, Pairing, Payment, Visit

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


def _category_on(at):
    """The category an archive had on `at`: the one its latest event up to that date recorded."""
    return Subquery(ArchiveEvent.objects.filter(archive=OuterRef("pk"), effective_on__lte=at)
                    .order_by("-effective_on", "-id").values("category")[:1])


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


def _by_category(category: str):
    def compute(org, period, subs):
        at = period.end
        return archives_in_force(org, at, subs).annotate(cat=_category_on(at)).filter(cat=category).count()

    return compute


# The breakdown by category: one code each (codes have exactly one dot: app.figure).
for _cat in Category:
    metric(f"assistance.archives_{_cat.value}", label=f"在档困难职工家庭：{_cat.label}", unit="户",
           group=GROUP, description=f"截止日在档、当时类别为“{_cat.label}”的档案数")(_by_category(_cat.value))


@metric("assistance.archives_new", label="新增困难职工家庭", unit="户", group=GROUP,
        description="期间内公示结束入档的档案数")
def archives_new(org, period, subs):
    return _events(org, period, subs, ArchiveEvent.Kind.ENTERED).count()


@metric("assistance.archives_exited", label="出档（脱困、解困、退出）", unit="户", group=GROUP)
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


@metric("assistance.amount", label="帮扶金额", unit="元", group=GROUP)
def amount(org, period, subs):
    return _sum(_payments(org, period, subs))


@metric("assistance.golden_autumn_students", label="金秋助学人数", unit="人", group=GROUP,
        description="期间内获金秋助学的学生人数（一人多次只计一人）")
def golden_autumn_students(org, period, subs):
    return _payments(org, period, subs, AssistanceType.GOLDEN_AUTUMN).values("student").distinct().count()


@metric("assistance.golden_autumn_amount", label="金秋助学金额", unit="元", group=GROUP)
def golden_autumn_amount(org, period, subs):
    return _sum(_payments(org, period, subs, AssistanceType.GOLDEN_AUTUMN))


@metric("assistance.warmth_persons", label="送温暖慰问人数", unit="人", group=GROUP,
        description="期间内获送温暖慰问的困难职工人数（每户户主计一人）")
def warmth_persons(org, period, subs):
    return _payments(org, period, subs, AssistanceType.WARMTH).values("archive").distinct().count()


@metric("assistance.warmth_amount", label="送温暖金额", unit="元", group=GROUP)
def warmth_amount(org, period, subs):
    return _sum(_payments(org, period, subs, AssistanceType.WARMTH))


# --- 一对一帮扶 -----------------------------------------------------------------------------------

def _open_pairings(at):
    return Q(pledged_on__lte=at) & (Q(ended_on__isnull=True) | Q(ended_on__gt=at))


@metric("pairing.units_pledged", label="结对帮扶单位", unit="家", group=PAIRING_GROUP,
        description="截止日有结对关系的帮扶单位（干部）数")
def units_pledged(org, period, subs):
    at = period.end
    pledged = Pairing.objects.filter(_open_pairings(at), helper=OuterRef("pk"))
    return Helper.objects.filter(placed_under(org, at, subs, prefix="org__")).filter(Exists(pledged)).count()


@metric("pairing.households_pledged", label="结对困难家庭", unit="户", group=PAIRING_GROUP,
        description="截止日已结对的困难家庭数")
def households_pledged(org, period, subs):
    at = period.end
    return (Pairing.objects.filter(_open_pairings(at), placed_under(org, at, subs, prefix="helper__org__"))
            .values("archive").distinct().count())


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


AREA_WORD = {OrgType.COUNTY: "全县", OrgType.CITY: "全市", OrgType.PROVINCE: "全省"}


def pairing_sentence(org, period) -> str:
    """The work-summary sentence (seed S0), every figure from the registry's functions."""
    where = AREA_WORD.get(org.org_type, org.name)
    return (f"{where}{units_pledged(org, period, True)}个单位将帮扶{households_pledged(org, period, True)}户困难家庭，"
            f"已有{units_active(org, period, True)}个单位共帮扶{pairing_households_helped(org, period, True)}户，"
            f"帮扶资金达{format_money(pairing_amount(org, period, True), '万元')}")


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
