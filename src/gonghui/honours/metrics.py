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

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.urls import reverse

from gonghui.core import compiled
from gonghui.core.metrics import (
    HIGHER_BETTER,
    Filter,
    RecordRow,
    Records,
    Value,
    breakdown_for,
    compute,
    grouped_aggregates,
    grouped_counts,
    grouped_sums,
    metric,
    rate,
    records_for,
    sentences_for,
)
from gonghui.core.money import format_money
from gonghui.core.scope import subtree_q
from gonghui.core.tables import register_table
from gonghui.orgs.models import GRASSROOTS_TYPES, Org, OrgPlacement, active_on, valid_on
from gonghui.orgs.selectors import path_on, placed_under, stored_path_under

from .models import (
    RANK,
    CareKind,
    CareRecord,
    Contest,
    ContestEvent,
    Entry,
    HomeLevel,
    HomeRating,
    HomeSurvey,
    Honour,
    HonourLevel,
    HonourType,
    Innovation,
    InnovationKind,
    InnovationStatus,
    ModelWorker,
    Recipient,
    SurveyResponse,
    Treatment,
    WorkerStatus,
)

GROUP = "劳模与荣誉"
WORKER_PATH = "org__placements__path"


def _where(org, period, subs: bool, field: str = "org_path") -> Q:
    """Rows at (or under) the node by the path each keeps from its own date. Below the root the
    node's path is read inside the same statement (orgs.selectors.stored_path_under: one round trip
    a figure, still an index range); for the whole tree it is read first and written in, since
    PostgreSQL cannot estimate a range on a subquery's value and would walk the path index over
    every row of the city."""
    if subs and org.depth == 1:
        return subtree_q(field, path_on(org, period.end))
    return stored_path_under(field, org, period.end, subs)


def _placed(org, at, subs: bool, field: str = "org_id", prefix: str = "org__") -> Q:
    """Rows whose union (`field`) stood at (or under) the node on `at`: its placements then, found
    by a range on their path with the node's path read inside the same statement
    (stored_path_under), so a stock figure is one round trip like the dated ones. For the whole
    tree the placement join (`prefix`) with the path read first, as stored_path_under and
    placed_in do there: the range covers every row and only a known range gets the cheaper plan."""
    if subs and org.depth == 1:
        return placed_under(org, at, True, prefix=prefix)
    ids = OrgPlacement.objects.filter(stored_path_under("path", org, at, subs), valid_on(at)).values("org_id")
    return Q(**{f"{field}__in": ids})


# --- the registry: living model workers on the cut-off ------------------------------------------

def workers_on(org, at, subs: bool, grouped: bool = False):
    """Model workers in the registry on `at` and alive then, under the managing union's position
    then; `grouped` keeps the placement join, whose path a breakdown groups on (WORKER_PATH)."""
    where = placed_under(org, at, subs, prefix="org__") if grouped else _placed(org, at, subs)
    return ModelWorker.objects.filter(Q(died_on__isnull=True) | Q(died_on__gt=at), where, registered_on__lte=at)


def _worker_row(w) -> RecordRow:
    level = w.get_highest_level_display() or "未登记称号"
    return RecordRow(label=f"{w.name}（{level}，{w.get_status_display()}）", date=w.registered_on, org_name=w.org.name,
                     url=reverse("honours:worker_detail", args=[w.pk]))


def _worker_figure(code: str, label: str, narrow, description: str, part_of: str = "", phrase: str = "",
                   count=None):
    """`narrow(qs, at)` picks the figure's workers among those in the registry on the cut-off;
    `count(qs, at)`, when given, counts them in a cheaper statement than `narrow(...).count()`.
    The plain counts go through core.compiled like the dated figures (on a county's few hundred
    workers building and compiling the statement cost more than running it). The 待遇级别 counts
    keep their own statement, a count over the GROUP BY: compiled takes only a plain aggregate, and
    as `pk IN (the GROUP BY)` it ran 10-30 % slower on townships of 6,000 workers (bench small demo
    with the honours volume)."""
    def workers(org, period, subs):
        return narrow(workers_on(org, period.end, subs), period.end)

    def value(org, period, subs):
        if count:
            return count(workers_on(org, period.end, subs), period.end)
        return compiled.count((code,), workers, org, period, subs)

    metric(code, label=label, unit="人", group=GROUP, description=description, part_of=part_of,
           phrase=phrase or label, list_url="honours:index")(value)
    breakdown_for(code, adds_up=True)(lambda org, period: grouped_counts(
        narrow(workers_on(org, period.end, True, grouped=True), period.end), WORKER_PATH, path_on(org, period.end)))
    records_for(code)(lambda org, period, subs: Records(
        narrow(workers_on(org, period.end, subs), period.end).select_related("org").order_by("name", "id"),
        _worker_row))


def ranked(qs, at, rank: int):
    """The workers of `qs` whose highest 待遇级别 over their title levels in force on `at` has this
    RANK: their titles' levels joined and grouped by worker (one GROUP BY ... HAVING MAX, over the
    node's workers only, so a county's figure does not read the whole city's titles). The in-force
    condition is one filter() so that it and the MAX use the same join."""
    in_force = Q(titles__levels__valid_from__lte=at) & (
        Q(titles__levels__valid_to__isnull=True) | Q(titles__levels__valid_to__gt=at))
    return qs.filter(in_force).annotate(top=Max("titles__levels__rank")).filter(top=rank)


_worker_figure("honours.model_workers", "劳模人数", lambda qs, at: qs,
               "截止日登记在册、健在的劳模人数（一人多个称号只计一人）", phrase="共有劳模")
for _t in Treatment:
    _worker_figure(f"honours.model_workers_{_t.value}", f"劳模人数：{_t.label}",
                   lambda qs, at, t=_t.value: qs.filter(pk__in=ranked(qs, at, RANK[t]).values("pk")),
                   f"截止日健在的劳模中，截止日有效的称号最高待遇级别为{_t.label}的人数（按最高级别计一人；"
                   "称号待遇级别调整的，按截止日的级别计）",
                   part_of="honours.model_workers", phrase=f"{_t.label}",
                   count=lambda qs, at, t=_t.value: ranked(qs, at, RANK[t]).count())
for _s in (WorkerStatus.ACTIVE, WorkerStatus.RETIRED):
    _worker_figure(f"honours.model_workers_{_s.value}", f"劳模人数：{_s.label}",
                   lambda qs, at, s=_s.value: qs.filter(status=s),
                   f"截止日健在的劳模中现状为{_s.label}的人数", part_of="honours.model_workers", phrase=_s.label)
_worker_figure("honours.party_model_workers", "劳模党员", lambda qs, at: qs.filter(is_party_member=True),
               "截止日健在的劳模中中共党员人数")
_worker_figure("honours.hardship_model_workers", "困难劳模", lambda qs, at: qs.filter(is_hardship=True),
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
    # Compiled once per shape (core.compiled): on a county's few care records building and compiling
    # the statement cost more than running it.
    what = Sum("amount") if unit == "元" else Count("pk") if unit == "人次" else Count("worker", distinct=True)

    def value(org, period, subs):
        got = compiled.value(("honours.care", kind), _care, what, org, period, subs, kind)
        return (got or Decimal("0.00")) if unit == "元" else got

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


def _clean_text(value: str) -> str:
    value = value.strip()
    if not value or len(value) > 100:
        raise ValueError(value)
    return value


def _issuers(org, period) -> list[tuple[str, str]]:
    """The issuers of the honours named in the period at or under the node (for the filter's picker)."""
    qs = Honour.objects.filter(_where(org, period, True), named_on__gte=period.start, named_on__lte=period.end)
    return [(i, i) for i in qs.order_by("issuer").values_list("issuer", flat=True).distinct()[:50]]


TYPE = Filter("type", "荣誉类别", clean=_clean_type, choices=lambda org, period: list(HonourType.choices))
LEVEL = Filter("level", "荣誉级别", clean=_clean_level, choices=lambda org, period: list(HonourLevel.choices))
ISSUER = Filter("issuer", "授予单位", clean=_clean_text, choices=_issuers)


def _named(org, period, subs: bool, recipient: str, type=None, level=None, issuer=None):
    qs = Honour.objects.filter(_where(org, period, subs), recipient=recipient, named_on__gte=period.start,
                               named_on__lte=period.end)
    if type:
        qs = qs.filter(honour_type=type)
    if issuer:
        qs = qs.filter(issuer=issuer)
    return qs.filter(level=level) if level else qs


def _honour_row(h) -> RecordRow:
    return RecordRow(label=str(h), date=h.named_on, org_name=h.org.name, url=reverse("honours:honour_detail", args=[h.pk]))


def _honour_figure(code: str, label: str, unit: str, recipient: str, description: str):
    def named(org, period, subs, type, level, issuer):
        return _named(org, period, subs, recipient, type, level, issuer)

    def value(org, period, subs, type=None, level=None, issuer=None):
        return compiled.count((code,), named, org, period, subs, type or None, level or None, issuer or None)

    metric(code, label=label, unit=unit, group=GROUP, description=description, filters=(TYPE, LEVEL, ISSUER),
           direction=HIGHER_BETTER, list_url="honours:honours")(value)
    breakdown_for(code, adds_up=True)(lambda org, period, type=None, level=None, issuer=None: grouped_counts(
        _named(org, period, True, recipient, type, level, issuer), "org_path", path_on(org, period.end)))
    records_for(code)(lambda org, period, subs, type=None, level=None, issuer=None: Records(
        _named(org, period, subs, recipient, type, level, issuer).select_related("org").order_by("named_on", "id"),
        _honour_row))


_honour_figure("honours.person_honours", "个人荣誉", "人次", Recipient.PERSON,
               "期间内命名的个人荣誉（可按类别、级别、授予单位筛选；一人获两项计两人次）")
_honour_figure("honours.collective_honours", "集体荣誉", "项", Recipient.COLLECTIVE,
               "期间内命名的集体荣誉（可按类别、级别、授予单位筛选）")


# --- 职工之家 on the cut-off ---------------------------------------------------------------------

def _clean_home(value: str) -> str:
    if value not in HomeLevel.values:
        raise ValueError(value)
    return value


HOME_LEVEL = Filter("level", "职工之家级别", clean=_clean_home, choices=lambda org, period: list(HomeLevel.choices))


def _in_force(at, level=None):
    q = Q(rated_on__lte=at) & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=at))
    return q & Q(level=level) if level else q


def _unions(org, at, subs: bool, grouped: bool = False):
    """Grass-roots unions on `at` under the node; `grouped` keeps the placement join a breakdown
    groups on ("placements__path")."""
    where = placed_under(org, at, subs) if grouped else _placed(org, at, subs, field="pk", prefix="")
    return Org.objects.filter(where, active_on(at), org_type__in=GRASSROOTS_TYPES)


def _rated_unions(org, at, subs: bool, level=None, grouped: bool = False):
    return _unions(org, at, subs, grouped).filter(
        Exists(HomeRating.objects.filter(_in_force(at, level), org=OuterRef("pk"))))


def _union_row(o) -> RecordRow:
    return RecordRow(label=o.name, org_name=o.name, url=reverse("honours:homes") + f"?org={o.code}")


@metric("honours.homes_rated", label="已评定职工之家", unit="家", group=GROUP, direction=HIGHER_BETTER,
        filters=(HOME_LEVEL,), list_url="honours:homes",
        description="截止日评定在有效期内的职工之家（基层工会）数，可按级别筛选")
def homes_rated(org, period, subs, level=None):
    return compiled.count(("honours.homes_rated",), _rated_in, org, period, subs, level or None)


def _rated_in(org, period, subs: bool, level):
    return _rated_unions(org, period.end, subs, level)


@breakdown_for("honours.homes_rated", adds_up=True)
def homes_rated_by_child(org, period, level=None):
    return grouped_counts(_rated_unions(org, period.end, True, level, grouped=True), "placements__path",
                          path_on(org, period.end))


@records_for("honours.homes_rated")
def homes_rated_records(org, period, subs, level=None):
    return Records(_rated_unions(org, period.end, subs, level).order_by("path"), _union_row)


def _counts(at) -> dict:
    return {"total": Count("pk"), "rated": Count("pk", filter=Exists(HomeRating.objects.filter(
        _in_force(at), org=OuterRef("pk"))))}


def _union_counts(org, at, subs: bool, grouped: bool = False):
    """(rated, total) grass-roots unions on `at` in one pass: a count, and a count filtered by a
    rating in force (grouped by tree position when `grouped`)."""
    if grouped:
        return grouped_aggregates(_unions(org, at, True, grouped=True), "placements__path", path_on(org, at),
                                  **_counts(at))
    return compiled.aggregate(("honours.home_rate",), lambda o, on, s: (_unions(o, on, s), _counts(on)), org, at, subs)


@metric("honours.home_rate", label="建家率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url="honours:homes",
        description="截止日已评定职工之家的基层工会 ÷ 基层工会总数")
def home_rate(org, period, subs):
    t = _union_counts(org, period.end, subs)
    return rate(t["rated"], t["total"])


@breakdown_for("honours.home_rate", adds_up=True)
def home_rate_by_child(org, period):
    return {k: rate(r["rated"], r["total"]) for k, r in _union_counts(org, period.end, True, grouped=True).items()}


@records_for("honours.home_rate")
def home_rate_records(org, period, subs):
    at = period.end
    return Records(_unions(org, at, subs).order_by("path"), _union_row,
                   met=Exists(HomeRating.objects.filter(_in_force(at), org=OuterRef("pk"))),
                   met_label="已建家（已评定）", gap_label="未评定")


# --- 会员评家 in the period -----------------------------------------------------------------------

def _surveys(org, period, subs: bool):
    return HomeSurvey.objects.filter(_where(org, period, subs), held_on__gte=period.start, held_on__lte=period.end)


def _answers(org, period, subs: bool):
    return (SurveyResponse.objects.filter(survey__in=_surveys(org, period, subs)),
            {"s": Sum("satisfied"), "b": Sum("basic"), "u": Sum("unsatisfied")})


@metric("honours.survey_satisfaction", label="会员评家满意率", unit="%", group=GROUP, direction=HIGHER_BETTER,
        list_url="honours:surveys",
        description="期间内会员评家的（满意 + 基本满意）回答数 ÷ 有效回答数")
def survey_satisfaction(org, period, subs):
    t = compiled.aggregate(("honours.survey_satisfaction",), _answers, org, period, subs)
    good = (t["s"] or 0) + (t["b"] or 0)
    return rate(good, good + (t["u"] or 0))


@breakdown_for("honours.survey_satisfaction", empty=Value(None, 0, 0), adds_up=True)
def survey_satisfaction_by_child(org, period):
    qs = SurveyResponse.objects.filter(survey__in=_surveys(org, period, True))
    rows = grouped_aggregates(qs, "survey__org_path", path_on(org, period.end), s=Sum("satisfied"), b=Sum("basic"),
                              u=Sum("unsatisfied"))
    out = {}
    for k, r in rows.items():
        good = (r["s"] or 0) + (r["b"] or 0)
        out[k] = rate(good, good + (r["u"] or 0))
    return out


@metric("honours.surveys_held", label="开展会员评家", unit="项", group=GROUP, list_url="honours:surveys",
        description="期间内开展的会员评家测评次数")
def surveys_held(org, period, subs):
    return compiled.count(("honours.surveys",), _surveys, org, period, subs)


breakdown_for("honours.surveys_held", adds_up=True)(lambda org, period: grouped_counts(
    _surveys(org, period, True), "org_path", path_on(org, period.end)))


# --- competitions: contests starting in the period, at the organiser's path then; entries at the
# participant's union's path on the contest's start -------------------------------------------

def _contests(org, period, subs: bool):
    return Contest.objects.filter(_where(org, period, subs), start_on__gte=period.start, start_on__lte=period.end)


def _entries(org, period, subs: bool):
    return Entry.objects.filter(_where(org, period, subs), event__contest__start_on__gte=period.start,
                                event__contest__start_on__lte=period.end)


def _entry_row(e) -> RecordRow:
    result = " ".join(x for x in (e.award, e.title_earned, format_money(e.prize) if e.prize else "") if x)
    return RecordRow(label=f"{e.name} {e.event.contest.name}·{e.event.name} {result}", date=e.event.contest.start_on,
                     org_name=e.org.name, url=reverse("honours:contest_detail", args=[e.event.contest_id]))


metric("honours.contests", label="举办竞赛", unit="项", group=GROUP, list_url="honours:contests",
       description="期间内开始的劳动竞赛、技能竞赛和岗位练兵")(
    lambda org, period, subs: compiled.count(("honours.contests",), _contests, org, period, subs))
breakdown_for("honours.contests", adds_up=True)(lambda org, period: grouped_counts(
    _contests(org, period, True), "org_path", path_on(org, period.end)))


def _events(org, period, subs: bool):
    return ContestEvent.objects.filter(_where(org, period, subs, "contest__org_path"),
                                       contest__start_on__gte=period.start, contest__start_on__lte=period.end)


metric("honours.contest_events", label="竞赛项目", unit="项", group=GROUP, list_url="honours:contests",
       description="期间内开始的竞赛设置的项目（工种、赛项）数")(
    lambda org, period, subs: compiled.count(("honours.contest_events",), _events, org, period, subs))
breakdown_for("honours.contest_events", adds_up=True)(lambda org, period: grouped_counts(
    _events(org, period, True), "contest__org_path", path_on(org, period.end)))


def _entry_figure(code, label, unit, narrow, what, description, filters=()):
    """`narrow(qs, **filters)` picks the figure's entries among the period's."""
    total = Sum("prize") if unit == "元" else Count(what, distinct=True) if what else Count("pk")

    def entries(org, period, subs, title):
        return narrow(_entries(org, period, subs), **({} if title is None else {"title": title}))

    def value(org, period, subs, title=None):
        got = compiled.value((code,), entries, total, org, period, subs, title or None)
        return (got or Decimal("0.00")) if unit == "元" else got

    metric(code, label=label, unit=unit, group=GROUP, list_url="honours:contests", description=description,
           filters=filters)(value)

    @breakdown_for(code, adds_up=not what)
    def by_child(org, period, **kw):
        qs, p = narrow(_entries(org, period, True), **kw), path_on(org, period.end)
        if unit == "元":
            return grouped_sums(qs, "org_path", p, "prize")
        return grouped_counts(qs, "org_path", p, what or "pk", distinct=bool(what))

    records_for(code)(lambda org, period, subs, **kw: Records(
        narrow(_entries(org, period, subs), **kw).select_related("event__contest", "org").order_by("id"), _entry_row))


def _titles_earned(org, period) -> list[tuple[str, str]]:
    """The titles earned in the period's contests at or under the node (技术能手, 优胜选手 …)."""
    qs = _entries(org, period, True).exclude(title_earned="")
    return [(t, t) for t in qs.order_by("title_earned").values_list("title_earned", flat=True).distinct()[:50]]


TITLE = Filter("title", "称号", clean=_clean_text, choices=_titles_earned)


def _with_title(qs, title=None):
    qs = qs.exclude(title_earned="")
    return qs.filter(title_earned=title) if title else qs


_entry_figure("honours.contest_participants", "参赛人数", "人", lambda qs: qs, "person_key",
              "期间内开始的竞赛的参赛人数（一人参加多个项目计一人）")
_entry_figure("honours.contest_participations", "参赛人次", "人次", lambda qs: qs, "",
              "期间内开始的竞赛的参赛人次（每个项目每人计一次）")
_entry_figure("honours.contest_winners", "获奖人数", "人", lambda qs: qs.exclude(award=""), "person_key",
              "获奖项的参赛者人数（一人获多个奖项计一人）")
_entry_figure("honours.contest_titles", "获得称号", "人次", _with_title, "",
              "竞赛中获得技术能手、优胜选手等称号的人次（可按称号筛选）", filters=(TITLE,))
_entry_figure("honours.contest_prize", "竞赛奖金", "元", lambda qs: qs, "", "期间内开始的竞赛发放的奖金")
_entry_figure("honours.contest_teams", "参赛队伍", "个", lambda qs: qs.filter(team_ref__isnull=False), "team_ref",
              "期间内开始的竞赛中以班组/集体参赛的队伍数（一个队伍参加多个项目计一个）")


# --- 合理化建议 and 技术创新: items put forward in the period, at the union's path then; adopted
# items and their benefit by the date they were adopted ----------------------------------------

def _innovations(org, period, subs: bool, kind: str, field: str = "submitted_on"):
    return Innovation.objects.filter(_where(org, period, subs), kind=kind, **{f"{field}__gte": period.start,
                                                                                 f"{field}__lte": period.end})


def _innovation_row(i) -> RecordRow:
    money = f" 创效{format_money(i.benefit)}" if i.benefit else ""
    return RecordRow(label=f"{i.title}（{i.proposer}，{i.get_status_display()}{money}）", date=i.submitted_on,
                     org_name=i.org.name, url=reverse("honours:innovations") + f"?kind={i.kind}")


def _innovation_figure(code, label, unit, kind, description, adopted=False, phrase=""):
    def qs(org, period, subs):
        if adopted:
            return _innovations(org, period, subs, kind, "decided_on").filter(status=InnovationStatus.ADOPTED)
        return _innovations(org, period, subs, kind)

    def value(org, period, subs):
        if unit == "元":
            return compiled.value((code,), qs, Sum("benefit"), org, period, subs) or Decimal("0.00")
        return compiled.count((code,), qs, org, period, subs)

    metric(code, label=label, unit=unit, group=GROUP, description=description, direction=HIGHER_BETTER,
           phrase=phrase or label, list_url="honours:innovations")(value)

    @breakdown_for(code, adds_up=True)
    def by_child(org, period):
        p = path_on(org, period.end)
        if unit == "元":
            return grouped_sums(qs(org, period, True), "org_path", p, "benefit")
        return grouped_counts(qs(org, period, True), "org_path", p)

    records_for(code)(lambda org, period, subs: Records(
        qs(org, period, subs).select_related("org").order_by("submitted_on", "id"), _innovation_row))


_innovation_figure("honours.suggestions", "合理化建议", "条", InnovationKind.SUGGESTION,
                   "期间内职工提出的合理化建议条数", phrase="职工提出合理化建议")
_innovation_figure("honours.suggestions_adopted", "采纳合理化建议", "条", InnovationKind.SUGGESTION,
                   "期间内采纳的合理化建议条数（按采纳日期）", adopted=True, phrase="采纳合理化建议")
_innovation_figure("honours.innovations", "技术创新成果", "项", InnovationKind.INNOVATION,
                   "期间内登记的技术创新成果项数", phrase="取得技术创新成果")
_innovation_figure("honours.suggestion_benefit", "合理化建议创效", "元", InnovationKind.SUGGESTION,
                   "期间内采纳的合理化建议创造的经济效益（按采纳日期）", adopted=True, phrase="合理化建议创造经济效益")
_innovation_figure("honours.innovation_benefit", "技术创新创效", "元", InnovationKind.INNOVATION,
                   "期间内采纳（应用）的技术创新成果创造的经济效益（按采纳日期）", adopted=True,
                   phrase="技术创新创造经济效益")


# --- the standard table (劳模与荣誉统计表), rendered by the reports app -------------------------

register_table("honours", title="劳模与荣誉统计表", permission="honours.view", columns=[
    ("honours.model_workers", "劳模(人)"), ("honours.model_workers_national", "其中全国(人)"),
    ("honours.model_workers_provincial", "省部级(人)"), ("honours.model_workers_city", "地市级(人)"),
    ("honours.model_workers_county", "县级(人)"), ("honours.hardship_model_workers", "困难劳模(人)"),
    ("honours.checkup_persons", "体检(人)"), ("honours.festival_persons", "慰问(人)"),
    ("honours.festival_amount", "慰问金(元)"), ("honours.hardship_persons", "帮扶困难劳模(人)"),
    ("honours.hardship_amount", "帮扶金额(元)"), ("honours.person_honours", "个人荣誉(人次)"),
    ("honours.collective_honours", "集体荣誉(项)"), ("honours.homes_rated", "已建职工之家(家)"),
    ("honours.home_rate", "建家率(%)"), ("honours.contests", "举办竞赛(项)"),
    ("honours.contest_participations", "参赛(人次)"), ("honours.contest_titles", "获得称号(人次)"),
    ("honours.contest_prize", "竞赛奖金(元)"), ("honours.suggestions", "合理化建议(条)"),
    ("honours.innovations", "技术创新成果(项)"),
], note="劳模人数、职工之家为截止日数据（劳模按截止日最高待遇级别计一人），其余为期间内发生数；"
        "关爱服务计入劳模的管理单位，荣誉计入申报单位，参赛计入参赛者所在工会。")


# --- the work summary's sentences ----------------------------------------------------------------

def _n(code: str, org, period):
    return compute(code, org, period).value


_SUMMARY_CODES = (
    "honours.model_workers", *(f"honours.model_workers_{t.value}" for t in Treatment),
    "honours.checkup_persons", "honours.collective_honours", "honours.contest_participants",
    "honours.contest_participations", "honours.contest_prize", "honours.contest_titles", "honours.contests",
    "honours.contest_events",
    "honours.festival_amount", "honours.festival_persons", "honours.hardship_amount",
    "honours.hardship_persons", "honours.innovation_benefit", "honours.innovations",
    "honours.person_honours", "honours.suggestion_benefit", "honours.suggestions",
    "honours.suggestions_adopted",
)


@sentences_for(GROUP)
def summary_paragraphs(org, period) -> list[str]:
    """"劳模工作方面，共有劳模8人，其中省部级2人、地市级6人（一人多个称号按最高级别计）；组织78名
    劳模健康体检；……。" and the same for honours, contests and innovations; a part with no
    records is left out."""
    # Every figure is read whether or not the one before it is zero, so the summary's queries do not
    # depend on which parts have records (tests/reports/test_table_queries.py).
    v = {code: _n(code, org, period) for code in _SUMMARY_CODES}
    out = []
    workers = v["honours.model_workers"]
    bits = []
    if workers:
        levels = "、".join(f"{t.label}{n}人" for t in Treatment
                          if (n := v[f"honours.model_workers_{t.value}"]))
        bits.append(f"共有劳模{workers}人" + (f"，其中{levels}（一人多个称号按最高级别计）" if levels else ""))
    if n := v["honours.checkup_persons"]:
        bits.append(f"组织{n}名劳模健康体检")
    if n := v["honours.festival_persons"]:
        bits.append(f"慰问劳模{n}人，发放慰问金{format_money(v['honours.festival_amount'])}")
    if n := v["honours.hardship_persons"]:
        bits.append(f"帮扶困难劳模{n}人，发放帮扶资金{format_money(v['honours.hardship_amount'])}")
    if bits:
        out.append("劳模工作方面，" + "；".join(bits) + "。")
    persons, collectives = v["honours.person_honours"], v["honours.collective_honours"]
    if persons or collectives:
        parts = [f"集体荣誉{collectives}项"] if collectives else []
        parts += [f"个人荣誉{persons}人次"] if persons else []
        out.append("评选表彰方面，获命名" + "、".join(parts) + "。")
    bits = []
    if n := v["honours.contests"]:
        events = v["honours.contest_events"]
        bits.append(f"举办劳动和技能竞赛{n}项" + (f"，设竞赛项目{events}项" if events else ""))
    if n := v["honours.contest_participations"]:
        bits.append(f"参赛{v['honours.contest_participants']}人、{n}人次")
    if n := v["honours.contest_titles"]:
        bits.append(f"获得技术能手、优胜选手等称号{n}人次")
    if (money := v["honours.contest_prize"]):
        bits.append(f"发放竞赛奖金{format_money(money)}")
    if n := v["honours.suggestions"]:
        adopted = v["honours.suggestions_adopted"]
        bits.append(f"职工提出合理化建议{n}条" + (f"，采纳{adopted}条" if adopted else ""))
    if n := v["honours.innovations"]:
        bits.append(f"取得技术创新成果{n}项")
    benefit = v["honours.suggestion_benefit"] + v["honours.innovation_benefit"]
    if benefit:
        bits.append(f"创造经济效益{format_money(benefit)}")
    if bits:
        out.append("劳动和技能竞赛方面，" + "；".join(bits) + "。")
    return out
