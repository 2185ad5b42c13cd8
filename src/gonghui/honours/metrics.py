"""劳模与荣誉 figures (DOMAIN §8, §9, §12.2), registered in the metric registry.

Units are never mixed: 人 counts distinct model workers (a person with two titles, or served
twice, counts once), 人次 person honours conferred, 项 collective honours, 家 unions, 元 sums.

Attribution: the registry (劳模人数) is a stock on the cut-off, each person under the managing
union's tree position then, at the highest treatment level over their titles; 职工之家 ratings
in force on the cut-off likewise. Care services and honours are flows: rows dated in the period
(served, named) at the path stored on each row for its own date, so a union moved between
townships takes its later rows with it and leaves its earlier ones where they were.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse

from gonghui.core.metrics import (
    HIGHER_BETTER,
    Filter,
    RecordRow,
    Records,
    breakdown_for,
    grouped_counts,
    grouped_sums,
    metric,
    rate,
    rates_from,
    records_for,
)
from gonghui.core.money import format_money
from gonghui.core.scope import subtree_q
from gonghui.orgs.models import GRASSROOTS_TYPES, Org, active_on
from gonghui.orgs.selectors import path_on, placed_under

from .models import (
    CareKind,
    CareRecord,
    HomeLevel,
    HomeRating,
    Honour,
    HonourLevel,
    HonourType,
    ModelWorker,
    Recipient,
    Treatment,
    WorkerStatus,
)

GROUP = "劳模与荣誉"
WORKER_PATH = "org__placements__path"


def _sum(qs, field: str = "amount") -> Decimal:
    return qs.aggregate(s=Sum(field))["s"] or Decimal("0.00")


def _where(org, period, subs: bool, field: str = "org_path") -> Q:
    p = path_on(org, period.end)
    return subtree_q(field, p) if subs else Q(**{field: p})


# --- the registry: living model workers on the cut-off ------------------------------------------

def workers_on(org, at, subs: bool):
    """Model workers in the registry on `at` and alive then, under the managing union's position then."""
    return ModelWorker.objects.filter(Q(died_on__isnull=True) | Q(died_on__gt=at), placed_under(org, at, subs, prefix="org__"),
                                      registered_on__lte=at)


def _worker_row(w) -> RecordRow:
    level = w.get_highest_level_display() or "未登记称号"
    return RecordRow(label=f"{w.name}（{level}，{w.get_status_display()}）", date=w.registered_on, org_name=w.org.name,
                     url=reverse("honours:worker_detail", args=[w.pk]))


def _worker_figure(code: str, label: str, narrow, description: str, part_of: str = "", phrase: str = ""):
    def value(org, period, subs):
        return narrow(workers_on(org, period.end, subs)).count()

    metric(code, label=label, unit="人", group=GROUP, description=description, part_of=part_of,
           phrase=phrase or label, list_url="honours:index")(value)
    breakdown_for(code, adds_up=True)(lambda org, period: grouped_counts(
        narrow(workers_on(org, period.end, True)), WORKER_PATH, path_on(org, period.end)))
    records_for(code)(lambda org, period, subs: Records(
        narrow(workers_on(org, period.end, subs)).select_related("org").order_by("name", "id"), _worker_row))


_worker_figure("honours.model_workers", "劳模人数", lambda qs: qs,
               "截止日登记在册、健在的劳模人数（一人多个称号只计一人）", phrase="共有劳模")
for _t in Treatment:
    _worker_figure(f"honours.model_workers_{_t.value}", f"劳模人数：{_t.label}",
                   lambda qs, t=_t.value: qs.filter(highest_level=t),
                   f"截止日健在的劳模中，所获称号最高待遇级别为{_t.label}的人数（按最高级别计一人）",
                   part_of="honours.model_workers", phrase=f"{_t.label}")
for _s in (WorkerStatus.ACTIVE, WorkerStatus.RETIRED):
    _worker_figure(f"honours.model_workers_{_s.value}", f"劳模人数：{_s.label}",
                   lambda qs, s=_s.value: qs.filter(status=s),
                   f"截止日健在的劳模中现状为{_s.label}的人数", part_of="honours.model_workers", phrase=_s.label)
_worker_figure("honours.party_model_workers", "劳模党员", lambda qs: qs.filter(is_party_member=True),
               "截止日健在的劳模中中共党员人数")
_worker_figure("honours.hardship_model_workers", "困难劳模", lambda qs: qs.filter(is_hardship=True),
               "截止日健在的劳模中标记为困难劳模的人数")


# --- care services in the period ----------------------------------------------------------------

def _care(org, period, subs: bool, kind: str | None = None):
    qs = CareRecord.objects.filter(_where(org, period, subs), served_on__gte=period.start, served_on__lte=period.end)
    return qs.filter(kind=kind) if kind else qs


def _care_row(c) -> RecordRow:
    money = f" {format_money(c.amount)}" if c.amount else ""
    return RecordRow(label=f"{c.worker.name} {c.get_kind_display()}{money}", date=c.served_on, org_name=c.org.name,
                     url=reverse("honours:worker_detail", args=[c.worker_id]))


def _care_figure(code: str, label: str, unit: str, kind: str | None, description: str, phrase: str = ""):
    def value(org, period, subs):
        qs = _care(org, period, subs, kind)
        if unit == "元":
            return _sum(qs)
        return qs.count() if unit == "人次" else qs.values("worker").distinct().count()

    metric(code, label=label, unit=unit, group=GROUP, description=description, phrase=phrase or label,
           list_url="honours:index")(value)

    @breakdown_for(code, adds_up=unit != "人")
    def by_child(org, period):
        qs, p = _care(org, period, True, kind), path_on(org, period.end)
        if unit == "元":
            return grouped_sums(qs, "org_path", p, "amount")
        return grouped_counts(qs, "org_path", p, "pk" if unit == "人次" else "worker", distinct=unit == "人")

    records_for(code)(lambda org, period, subs: Records(
        _care(org, period, subs, kind).select_related("worker", "org").order_by("served_on", "id"), _care_row))


_care_figure("honours.care_times", "劳模关爱服务人次", "人次", None, "期间内登记的各类劳模关爱服务次数")
_care_figure("honours.checkup_persons", "劳模体检人数", "人", CareKind.CHECKUP, "期间内参加健康体检的劳模人数（一人多次计一人）",
             phrase="组织劳模健康体检")
_care_figure("honours.recuperation_persons", "劳模疗休养人数", "人", CareKind.RECUPERATION, "期间内参加疗休养的劳模人数",
             phrase="组织劳模疗休养")
_care_figure("honours.festival_persons", "劳模慰问人数", "人", CareKind.FESTIVAL, "期间内获节日慰问的劳模人数（一人多次计一人）",
             phrase="慰问劳模")
_care_figure("honours.festival_amount", "劳模慰问金额", "元", CareKind.FESTIVAL, "期间内发放的劳模节日慰问金",
             phrase="发放劳模慰问金")
_care_figure("honours.allowance_persons", "荣誉津贴人数", "人", CareKind.ALLOWANCE, "期间内领取荣誉津贴（荣誉金）的劳模人数")
_care_figure("honours.allowance_amount", "荣誉津贴金额", "元", CareKind.ALLOWANCE, "期间内发放的荣誉津贴（荣誉金）")
_care_figure("honours.hardship_persons", "困难劳模帮扶人数", "人", CareKind.HARDSHIP, "期间内获帮扶的困难劳模人数（一人多次计一人）",
             phrase="帮扶困难劳模")
_care_figure("honours.hardship_amount", "困难劳模帮扶金额", "元", CareKind.HARDSHIP, "期间内发放的困难劳模帮扶资金",
             phrase="发放困难劳模帮扶资金")


# --- honours named in the period ----------------------------------------------------------------

def _clean_type(value: str) -> str:
    if value not in HonourType.values:
        raise ValueError(value)
    return value


def _clean_level(value: str) -> str:
    if value not in HonourLevel.values:
        raise ValueError(value)
    return value


TYPE = Filter("type", "荣誉类别", clean=_clean_type, choices=lambda org, period: list(HonourType.choices))
LEVEL = Filter("level", "荣誉级别", clean=_clean_level, choices=lambda org, period: list(HonourLevel.choices))


def _named(org, period, subs: bool, recipient: str, type=None, level=None):
    qs = Honour.objects.filter(_where(org, period, subs), recipient=recipient, named_on__gte=period.start,
                               named_on__lte=period.end)
    if type:
        qs = qs.filter(honour_type=type)
    return qs.filter(level=level) if level else qs


def _honour_row(h) -> RecordRow:
    return RecordRow(label=str(h), date=h.named_on, org_name=h.org.name, url=reverse("honours:honour_detail", args=[h.pk]))


def _honour_figure(code: str, label: str, unit: str, recipient: str, description: str):
    def value(org, period, subs, type=None, level=None):
        return _named(org, period, subs, recipient, type, level).count()

    metric(code, label=label, unit=unit, group=GROUP, description=description, filters=(TYPE, LEVEL),
           direction=HIGHER_BETTER, list_url="honours:honours")(value)
    breakdown_for(code, adds_up=True)(lambda org, period, type=None, level=None: grouped_counts(
        _named(org, period, True, recipient, type, level), "org_path", path_on(org, period.end)))
    records_for(code)(lambda org, period, subs, type=None, level=None: Records(
        _named(org, period, subs, recipient, type, level).select_related("org").order_by("named_on", "id"),
        _honour_row))


_honour_figure("honours.person_honours", "个人荣誉", "人次", Recipient.PERSON,
               "期间内命名的个人荣誉（可按类别、级别筛选；一人获两项计两人次）")
_honour_figure("honours.collective_honours", "集体荣誉", "项", Recipient.COLLECTIVE,
               "期间内命名的集体荣誉（可按类别、级别筛选）")


# --- 职工之家 on the cut-off ---------------------------------------------------------------------

def _clean_home(value: str) -> str:
    if value not in HomeLevel.values:
        raise ValueError(value)
    return value


HOME_LEVEL = Filter("level", "职工之家级别", clean=_clean_home, choices=lambda org, period: list(HomeLevel.choices))


def _in_force(at, level=None):
    q = Q(rated_on__lte=at) & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=at))
    return q & Q(level=level) if level else q


def _unions(org, at, subs: bool):
    return Org.objects.filter(placed_under(org, at, subs), active_on(at), org_type__in=GRASSROOTS_TYPES)


def _rated_unions(org, at, subs: bool, level=None):
    return _unions(org, at, subs).filter(Exists(HomeRating.objects.filter(_in_force(at, level), org=OuterRef("pk"))))


def _union_row(o) -> RecordRow:
    return RecordRow(label=o.name, org_name=o.name, url=reverse("honours:homes") + f"?org={o.code}")


@metric("honours.homes_rated", label="已评定职工之家", unit="家", group=GROUP, direction=HIGHER_BETTER,
        filters=(HOME_LEVEL,), list_url="honours:homes",
        description="截止日评定在有效期内的职工之家（基层工会）数，可按级别筛选")
def homes_rated(org, period, subs, level=None):
    return _rated_unions(org, period.end, subs, level).count()


@breakdown_for("honours.homes_rated", adds_up=True)
def homes_rated_by_child(org, period, level=None):
    return grouped_counts(_rated_unions(org, period.end, True, level), "placements__path", path_on(org, period.end))


@records_for("honours.homes_rated")
def homes_rated_records(org, period, subs, level=None):
    return Records(_rated_unions(org, period.end, subs, level).order_by("path"), _union_row)


@metric("honours.home_rate", label="建家率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url="honours:homes",
        description="截止日已评定职工之家的基层工会 ÷ 基层工会总数")
def home_rate(org, period, subs):
    at = period.end
    return rate(_rated_unions(org, at, subs).count(), _unions(org, at, subs).count())


@breakdown_for("honours.home_rate", adds_up=True)
def home_rate_by_child(org, period):
    at, p = period.end, path_on(org, period.end)
    return rates_from(grouped_counts(_rated_unions(org, at, True), "placements__path", p),
                      grouped_counts(_unions(org, at, True), "placements__path", p))


@records_for("honours.home_rate")
def home_rate_records(org, period, subs):
    at = period.end
    return Records(_unions(org, at, subs).order_by("path"), _union_row,
                   met=Exists(HomeRating.objects.filter(_in_force(at), org=OuterRef("pk"))),
                   met_label="已建家（已评定）", gap_label="未评定")
