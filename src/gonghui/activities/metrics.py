"""活动与阵地 figures (DOMAIN §12.2 E–G), registered in the metric registry.

Activity kinds are data, so the figures are one family per measure (sessions 期, persons 人,
person-times 人次, units reached 家, items 项, money 元), each taking the kind as a filter
(`filters={"kind": "women_training"}`): one kind's figure, or every kind's without it. A new
kind therefore gets its figures without code, and the work summary writes one sentence per kind
(`summary_sentences`).

Attribution: a flow figure counts rows dated in the period at the organiser's path stored on the
row for its own date (a union moved between townships counts under the old one before the move);
a stock figure (service posts open on the cut-off) counts each post under its union's placement on
that date.

人 is distinct: the roster persons on the attendance lists of the period's activities, each once
however many activities they attended, plus the 人 typed on activities that have no list (those
cannot be told apart, so they are added). It does not add up over the tree: a person trained in
two townships is one person of the county.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse

from gonghui.core import compiled
from gonghui.core.metrics import (
    HIGHER_BETTER,
    LOWER_BETTER,
    Filter,
    RecordRow,
    Records,
    breakdown_for,
    grouped_counts,
    grouped_rates,
    grouped_sums,
    metric,
    rate,
    records_for,
    sentences_for,
)
from gonghui.core.money import format_money
from gonghui.core.scope import subtree_q
from gonghui.core.tables import register_table
from gonghui.orgs.selectors import path_on, placed_under, stored_path_under

from .models import (
    Activity,
    ActivityKind,
    AnkangEntry,
    AnkangResult,
    Attendance,
    Finding,
    FindingKind,
    Inspection,
    InspectionKind,
    PersonVisit,
    PostType,
    PostVisitDay,
    PublicityItem,
    PublicityKind,
    ServicePost,
    VisitKind,
    VolunteerShift,
)

GROUP = "活动开展"
POST_GROUP = "服务阵地"
SAFETY_GROUP = "安全生产监督"
PUBLICITY_GROUP = "宣传信息"


def _where(org, period, subs: bool, field: str = "org_path"):
    """Rows of posts, inspections, findings and publicity at (or under) the node by their stored
    path, the node's path read inside the same statement as the activity figures do (one round
    trip; a root's path is read first, see stored_path_under)."""
    return stored_path_under(field, org, period.end, subs)


def _url(name: str, pk) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


# --- activities, one family per measure --------------------------------------------------------

# Kind codes seen to exist (kinds are never deleted: records protect them). A figure's filter is
# checked against it without a query; an unknown code is looked up again (a kind added since, or in
# another process) before it is refused.
_KNOWN_KINDS: set[str] = set()


def _kind_code(value: str) -> str:
    value = value.strip()
    if value not in _KNOWN_KINDS:
        _KNOWN_KINDS.update(ActivityKind.objects.values_list("code", flat=True))
        if value not in _KNOWN_KINDS:
            raise ValueError(value)
    return value


def _kind_choices(flag: str):
    def choices(org=None, period=None) -> list:
        return list(ActivityKind.objects.filter(**{flag: True}).order_by("order", "id").values_list("code", "name"))

    return choices


def kind_filter(flag: str) -> Filter:
    return Filter("kind", "活动类型", clean=_kind_code, choices=_kind_choices(flag))


# The kind's id and its sub-kinds' (其中: counted in the parent's figures too) read inside the
# statement, so that the plan is index ranges on (kind, path, date) rather than a join to the kinds;
# SQL text, which costs less to compile than a Subquery (see orgs.selectors.stored_path_under).
def _kind_id(kind: str):
    return RawSQL("SELECT k.id FROM activities_activitykind k WHERE k.code = %s OR k.parent_id = "
                  "(SELECT p.id FROM activities_activitykind p WHERE p.code = %s)", (kind, kind))


def activities_in(org, period, subs: bool, kind: str | None = None):
    """The period's activities at (or under) the node: one statement with the node's path and the
    kind's id read inside it, the plan an index range like the hand SQL's."""
    qs = Activity.objects.filter(stored_path_under("org_path", org, period.end, subs),
                                 start_on__gte=period.start, start_on__lte=period.end)
    return qs.filter(kind_id__in=_kind_id(kind)) if kind else qs


def _activity_row(a: Activity) -> RecordRow:
    parts = "，".join(f"{label}{value if unit != '元' else format_money(value)}{'' if unit == '元' else unit}"
                     for label, value, unit in a.measures() if value is not None)
    return RecordRow(f"{a.kind.name}：{a.title}（{parts}）" if parts else f"{a.kind.name}：{a.title}", a.start_on,
                     a.org.name, _url("activities:detail", a.pk))


def _activity_records(column: str):
    def records(org, period, subs, kind=None):
        qs = activities_in(org, period, subs, kind).filter(**{f"{column}__isnull": False})
        return Records(qs.select_related("kind", "org").order_by("-start_on", "-id"), _activity_row)

    return records


# (code, column, flag, label, unit, phrase, description)
SUMS = (
    ("sessions", "sessions", "has_sessions", "开展活动期（场）次", "期", "共开展各类活动",
     "期间内开始的活动登记的期数或场次之和"),
    ("person_times", "person_times", "has_person_times", "活动参加人次", "人次", "参加活动",
     "期间内开始的活动的参加人次之和（有签到名单的按名单计）"),
    ("units", "units", "has_units", "活动覆盖单位", "家", "活动覆盖单位",
     "期间内开始的活动登记的走访、检查、覆盖单位数之和（每次活动分别计）"),
    ("items", "items", "has_items", "活动成果数量", "项", "形成问卷、建议和成果",
     "期间内开始的活动登记的问卷、建议、成果等数量之和"),
    ("amount", "amount", "has_money", "活动经费", "元", "投入活动经费", "期间内开始的活动登记的金额之和"),
)


def _sum_of(column: str):
    def build(org, period, subs, kind):
        return activities_in(org, period, subs, kind), {"s": Sum(column)}

    def compute(org, period, subs, kind=None):
        # Compiled once per shape (core.compiled): building and compiling cost more than the sum.
        total = compiled.aggregate(("activities.sum", column), build, org, period, subs, kind)["s"]
        if column == "amount":
            return total or Decimal("0.00")
        return total or 0

    return compute


def _sum_by_child(column: str):
    def breakdown(org, period, kind=None):
        qs, p = activities_in(org, period, True, kind), path_on(org, period.end)
        if column == "amount":
            return grouped_sums(qs, "org_path", p, column)
        out = grouped_sums(qs.filter(**{f"{column}__isnull": False}), "org_path", p, column)
        return {k: int(v) for k, v in out.items()}

    return breakdown


for _code, _column, _flag, _label, _unit, _phrase, _description in SUMS:
    metric(f"activities.{_code}", label=_label, unit=_unit, group=GROUP, description=_description, phrase=_phrase,
           filters=(kind_filter(_flag),))(_sum_of(_column))
    breakdown_for(f"activities.{_code}", adds_up=True)(_sum_by_child(_column))
    records_for(f"activities.{_code}")(_activity_records(_column))


def attendance_in(org, period, subs: bool, kind: str | None = None):
    qs = Attendance.objects.filter(stored_path_under("path", org, period.end, subs),
                                   on__gte=period.start, on__lte=period.end)
    return qs.filter(kind_id__in=_kind_id(kind)) if kind else qs


@metric("activities.persons", label="活动参加人数", unit="人", group=GROUP, sums_over_tree=False, phrase="参加活动职工",
        filters=(kind_filter("has_persons"),),
        description="期间内开始的活动的参加人数：签到名单上的会员每人只计一次（参加多次、多个活动也只计一人），"
                    "加上没有签到名单的活动登记的人数")
def persons(org, period, subs, kind=None):
    # COUNT(DISTINCT …), not a count over SELECT DISTINCT: PostgreSQL hashes the latter into a table
    # sized by its estimate, which for a path read in the statement is a guess (605 rows for 9,516:
    # one kind of a county took 25 ms to hash against 3 ms to sort).
    listed = compiled.aggregate(("activities.persons.listed",), _listed, org, period, subs, kind)["n"]
    typed = compiled.aggregate(("activities.persons.typed",), _typed, org, period, subs, kind)["s"]
    return listed + (typed or 0)


def _listed(org, period, subs, kind):
    return attendance_in(org, period, subs, kind), {"n": Count("person", distinct=True)}


def _typed(org, period, subs, kind):
    return activities_in(org, period, subs, kind).filter(from_attendance=False), {"s": Sum("persons")}


@breakdown_for("activities.persons")
def persons_by_child(org, period, kind=None):
    p = path_on(org, period.end)
    out = grouped_counts(attendance_in(org, period, True, kind), "path", p, "person", distinct=True)
    typed = grouped_sums(activities_in(org, period, True, kind).filter(from_attendance=False, persons__isnull=False),
                         "org_path", p, "persons")
    for k, v in typed.items():
        out[k] = out.get(k, 0) + int(v)
    return out


records_for("activities.persons")(_activity_records("persons"))


def summary_sentences(org, period, include_subordinates: bool = True) -> dict[str, list[str]]:
    """{work-summary section label: sentences} in the seeds' manner, one per kind with records in
    the period: "开展女职工培训15期，参训1580人次（820人）". Every number comes from the registry's
    figures for that kind."""
    from gonghui.core.metrics import compute

    from .models import Section

    used = ActivityKind.objects.filter(pk__in=list(
        activities_in(org, period, include_subordinates).order_by().values_list("kind", flat=True).distinct()))
    used = {k.pk: k for k in used.select_related("parent")}
    subkinds: dict[int, list[ActivityKind]] = {}
    for k in sorted(used.values(), key=lambda k: (k.order, k.pk)):
        if k.parent is not None:
            subkinds.setdefault(k.parent_id, []).append(k)
    tops = {k.parent if k.parent is not None else k for k in used.values()}  # a sub-kind speaks in its parent's
    out: dict[str, list[str]] = {}
    for kind in sorted(tops, key=lambda k: (k.order, k.pk)):
        f = {"kind": kind.code}

        def value(code, kind=kind, f=f):
            return compute(f"activities.{code}", org, period, include_subordinates, filters=f).value

        bits = []
        if kind.has_sessions:
            bits.append(f"开展{kind.name}{value('sessions')}{kind.session_word}")
        else:
            bits.append(f"开展{kind.name}")
        if kind.has_person_times and value("person_times"):
            people = f"{kind.verb}{value('person_times')}人次"
            if kind.has_persons and value("persons"):
                people += f"（{value('persons')}人）"
            bits.append(people)
        elif kind.has_persons and value("persons"):
            bits.append(f"{kind.verb}{value('persons')}人")
        if kind.has_units and value("units"):
            bits.append(f"覆盖{value('units')}家单位")
        if kind.has_items and value("items"):
            bits.append(f"{kind.verb}{value('items')}{kind.item_word}")
        if kind.has_money and value("amount"):
            bits.append(f"投入经费{format_money(value('amount'))}")
        bits += [part for sub in subkinds.get(kind.pk, []) if (part := _of_which(sub, kind, org, period,
                                                                                 include_subordinates))]
        out.setdefault(Section(kind.section).label, []).append("，".join(bits))
    return out


def _short_name(sub: ActivityKind, parent: ActivityKind) -> str:
    """女职工技术培训 under 女职工培训 reads 技术培训: the words the two names start with are said once."""
    common = 0
    while common < min(len(sub.name), len(parent.name)) and sub.name[common] == parent.name[common]:
        common += 1
    rest = sub.name[common:]
    return rest if len(rest) >= 2 else sub.name


def _of_which(sub: ActivityKind, parent: ActivityKind, org, period, include_subordinates: bool) -> str:
    """"其中技术培训10期" (or its 人次 when it has no sessions); "" when it has neither."""
    from gonghui.core.metrics import compute

    def value(code):
        return compute(f"activities.{code}", org, period, include_subordinates, filters={"kind": sub.code}).value

    name = _short_name(sub, parent)
    if sub.has_sessions and value("sessions"):
        return f"其中{name}{value('sessions')}{sub.session_word}"
    if sub.has_person_times and value("person_times"):
        return f"其中{name}{sub.verb}{value('person_times')}人次"
    return ""


@sentences_for(GROUP)
def summary_paragraphs(org, period) -> list[str]:
    """The work summary's sentences per section: "女职工工作方面，开展女职工培训15期，参训1580人次；……。"."""
    return [f"{section}方面，" + "；".join(parts) + "。" for section, parts in summary_sentences(org, period).items()]


# --- service posts -------------------------------------------------------------------------------

def posts_open(org, at, subs: bool, type: str | None = None):
    qs = ServicePost.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=at),
                                    placed_under(org, at, subs, prefix="org__"), opened_on__lte=at)
    return qs.filter(type=type) if type else qs


def _type(value: str) -> str:
    if value not in PostType.values:
        raise ValueError(value)
    return value


POST_TYPE = Filter("type", "阵地类型", clean=_type, choices=lambda org=None, period=None: list(PostType.choices))


@metric("activities.posts", label="服务阵地", unit="个", group=POST_GROUP, filters=(POST_TYPE,),
        description="截止日在用的职工服务中心、服务站点、职工书屋、驿站等阵地数", phrase="建成服务阵地")
def posts(org, period, subs, type=None):
    return posts_open(org, period.end, subs, type).count()


@breakdown_for("activities.posts", adds_up=True)
def posts_by_child(org, period, type=None):
    return grouped_counts(posts_open(org, period.end, True, type), "org__placements__path", path_on(org, period.end))


@records_for("activities.posts")
def posts_records(org, period, subs, type=None):
    return Records(posts_open(org, period.end, subs, type).select_related("org").order_by("org__path", "name"),
                   lambda p: RecordRow(f"{p.get_type_display()}：{p.name}", p.opened_on, p.org.name,
                                       _url("activities:post_detail", p.pk)))


def _post_rows(model, org, period, subs, type=None):
    qs = model.objects.filter(_where(org, period, subs, "path"), on__gte=period.start, on__lte=period.end)
    return qs.filter(post__type=type) if type else qs


@metric("activities.post_visits", label="阵地服务人次", unit="人次", group=POST_GROUP, filters=(POST_TYPE,),
        description="期间内各阵地逐日登记的服务人次之和", phrase="阵地服务职工")
def post_visits(org, period, subs, type=None):
    return _post_rows(PostVisitDay, org, period, subs, type).aggregate(s=Sum("visits"))["s"] or 0


@metric("activities.volunteer_times", label="志愿服务人次", unit="人次", group=POST_GROUP, filters=(POST_TYPE,),
        description="期间内阵地登记的志愿服务次数（每人每次计一人次）", phrase="志愿者服务")
def volunteer_times(org, period, subs, type=None):
    return _post_rows(VolunteerShift, org, period, subs, type).count()


@metric("activities.volunteer_hours", label="志愿服务时长", unit="小时", group=POST_GROUP, filters=(POST_TYPE,),
        description="期间内阵地登记的志愿服务时长之和", phrase="志愿服务时长")
def volunteer_hours(org, period, subs, type=None):
    total = _post_rows(VolunteerShift, org, period, subs, type).aggregate(s=Sum("hours"))["s"]
    return Decimal(str(total or 0)).quantize(Decimal("0.1"))


@breakdown_for("activities.post_visits", adds_up=True)
def post_visits_by_child(org, period, type=None):
    out = grouped_sums(_post_rows(PostVisitDay, org, period, True, type), "path", path_on(org, period.end), "visits")
    return {k: int(v) for k, v in out.items()}


@breakdown_for("activities.volunteer_times", adds_up=True)
def volunteer_times_by_child(org, period, type=None):
    return grouped_counts(_post_rows(VolunteerShift, org, period, True, type), "path", path_on(org, period.end))


# --- safety supervision --------------------------------------------------------------------------

def inspections_in(org, period, subs, kind=None):
    qs = Inspection.objects.filter(_where(org, period, subs), inspected_on__gte=period.start,
                                   inspected_on__lte=period.end)
    return qs.filter(kind=kind) if kind else qs


def findings_in(org, period, subs, kind=None):
    qs = Finding.objects.filter(_where(org, period, subs, "path"), found_on__gte=period.start,
                                found_on__lte=period.end)
    return qs.filter(kind=kind) if kind else qs


def _choice(values):
    def clean(value: str) -> str:
        if value not in values:
            raise ValueError(value)
        return value

    return clean


INSPECTION_KIND = Filter("kind", "检查类型", clean=_choice(InspectionKind.values),
                         choices=lambda org=None, period=None: list(InspectionKind.choices))
FINDING_KIND = Filter("kind", "问题类别", clean=_choice(FindingKind.values),
                      choices=lambda org=None, period=None: list(FindingKind.choices))


def _inspection_row(i: Inspection) -> RecordRow:
    return RecordRow(f"{i.get_kind_display()}：{i.employer_name or '—'}", i.inspected_on, i.org.name,
                     _url("activities:inspection_detail", i.pk))


def _finding_row(f: Finding) -> RecordRow:
    state = f"已整改（{f.closed_on:%Y-%m-%d}）" if f.closed_on else f"整改期限{f.due_on:%Y-%m-%d}"
    return RecordRow(f"{f.get_kind_display()}：{f.description}，{state}", f.found_on, f.inspection.org.name,
                     _url("activities:inspection_detail", f.inspection_id))


@metric("activities.inspections", label="安全监督检查", unit="次", group=SAFETY_GROUP, filters=(INSPECTION_KIND,),
        description="期间内组织的群众安全生产监督检查、职工代表巡视、执法检查和抽查次数", phrase="开展安全监督检查")
def inspections(org, period, subs, kind=None):
    return inspections_in(org, period, subs, kind).count()


@breakdown_for("activities.inspections", adds_up=True)
def inspections_by_child(org, period, kind=None):
    return grouped_counts(inspections_in(org, period, True, kind), "org_path", path_on(org, period.end))


@records_for("activities.inspections")
def inspections_records(org, period, subs, kind=None):
    return Records(inspections_in(org, period, subs, kind).select_related("org").order_by("-inspected_on", "-id"),
                   _inspection_row)


@metric("activities.inspectors", label="参加检查人次", unit="人次", group=SAFETY_GROUP, filters=(INSPECTION_KIND,),
        description="期间内各次检查登记的参加人数之和", phrase="参加检查")
def inspectors(org, period, subs, kind=None):
    return inspections_in(org, period, subs, kind).aggregate(s=Sum("inspectors"))["s"] or 0


@metric("activities.suggestions", label="提出安全建议", unit="条", group=SAFETY_GROUP, filters=(INSPECTION_KIND,),
        description="期间内各次检查提出的建议条数之和")
def suggestions(org, period, subs, kind=None):
    return inspections_in(org, period, subs, kind).aggregate(s=Sum("suggestions"))["s"] or 0


@metric("activities.findings", label="查出问题", unit="项", group=SAFETY_GROUP, filters=(FINDING_KIND,),
        description="期间内检查发现的三违、事故隐患和问题数", phrase="查出三违、隐患和问题")
def findings(org, period, subs, kind=None):
    return findings_in(org, period, subs, kind).count()


@breakdown_for("activities.findings", adds_up=True)
def findings_by_child(org, period, kind=None):
    return grouped_counts(findings_in(org, period, True, kind), "path", path_on(org, period.end))


@records_for("activities.findings")
def findings_records(org, period, subs, kind=None):
    return Records(findings_in(org, period, subs, kind).select_related("inspection__org").order_by("-found_on", "-id"),
                   _finding_row)


@metric("activities.solved_on_spot", label="现场整改", unit="项", group=SAFETY_GROUP, filters=(FINDING_KIND,),
        description="期间内发现并当场整改的问题数", part_of="activities.findings", phrase="现场整改")
def solved_on_spot(org, period, subs, kind=None):
    return findings_in(org, period, subs, kind).filter(on_spot=True).count()


def _closed_by(at) -> Q:
    return Q(closed_on__isnull=False, closed_on__lte=at)


@metric("activities.solved_later", label="事后整改", unit="项", group=SAFETY_GROUP, filters=(FINDING_KIND,),
        description="期间内发现、未当场整改、截止日前已整改完成的问题数", part_of="activities.findings", phrase="事后整改")
def solved_later(org, period, subs, kind=None):
    return findings_in(org, period, subs, kind).filter(_closed_by(period.end), on_spot=False).count()


@metric("activities.rectification_rate", label="整改率", unit="%", group=SAFETY_GROUP, filters=(FINDING_KIND,),
        direction=HIGHER_BETTER, description="期间内发现的问题中，截止日前已整改完成的比例（已整改÷发现）")
def rectification_rate(org, period, subs, kind=None):
    qs = findings_in(org, period, subs, kind)
    agg = qs.aggregate(n=Count("pk"), done=Count("pk", filter=_closed_by(period.end)))
    return rate(agg["done"], agg["n"])


@breakdown_for("activities.rectification_rate", adds_up=True)
def rectification_rate_by_child(org, period, kind=None):
    return grouped_rates(findings_in(org, period, True, kind), "path", path_on(org, period.end),
                         _closed_by(period.end))


@records_for("activities.rectification_rate")
def rectification_records(org, period, subs, kind=None):
    qs = findings_in(org, period, subs, kind).select_related("inspection__org").order_by("-found_on", "-id")
    return Records(qs, _finding_row, met=_closed_by(period.end), met_label="已整改", gap_label="未整改")


def overdue_findings(org, at, subs: bool):
    """Findings found by `at`, due before it and not closed by it, under the path stored on each."""
    p = path_on(org, at)
    where = subtree_q("path", p) if subs else Q(path=p)
    return Finding.objects.filter(where, found_on__lte=at, due_on__lt=at).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=at))


@metric("activities.findings_overdue", label="逾期未整改问题", unit="项", group=SAFETY_GROUP,
        direction=LOWER_BETTER, description="截止日已过整改期限仍未整改完成的问题数（不限发现时间）")
def findings_overdue(org, period, subs):
    return overdue_findings(org, period.end, subs).count()


@breakdown_for("activities.findings_overdue", adds_up=True)
def findings_overdue_by_child(org, period):
    return grouped_counts(overdue_findings(org, period.end, True), "path", path_on(org, period.end))


@records_for("activities.findings_overdue")
def findings_overdue_records(org, period, subs):
    return Records(overdue_findings(org, period.end, subs).select_related("inspection__org").order_by("due_on", "id"),
                   _finding_row)


# --- publicity -----------------------------------------------------------------------------------

PUBLICITY_KIND = Filter("kind", "类别", clean=_choice(PublicityKind.values),
                        choices=lambda org=None, period=None: list(PublicityKind.choices))


def publicity_in(org, period, subs, kind=None):
    qs = PublicityItem.objects.filter(_where(org, period, subs), published_on__gte=period.start,
                                      published_on__lte=period.end)
    return qs.filter(kind=kind) if kind else qs


@metric("activities.publicity", label="宣传信息", unit="篇", group=PUBLICITY_GROUP, filters=(PUBLICITY_KIND,),
        description="期间内刊发或报送的调研报告、论文、通讯报道、工运信息（期）、期刊（期）等篇（期）数",
        phrase="刊发调研报告、论文、通讯和信息")
def publicity(org, period, subs, kind=None):
    return publicity_in(org, period, subs, kind).count()


@breakdown_for("activities.publicity", adds_up=True)
def publicity_by_child(org, period, kind=None):
    return grouped_counts(publicity_in(org, period, True, kind), "org_path", path_on(org, period.end))


@records_for("activities.publicity")
def publicity_records(org, period, subs, kind=None):
    return Records(publicity_in(org, period, subs, kind).select_related("org").order_by("-published_on", "-id"),
                   lambda i: RecordRow(f"{i.get_kind_display()}：{i.title}" + (f"（{i.outlet}）" if i.outlet else ""),
                                       i.published_on, i.org.name))


@metric("activities.bulletin_entries", label="工运信息条数", unit="条", group=PUBLICITY_GROUP,
        description="期间内编发的工运信息所含信息条数之和", phrase="编发工运信息")
def bulletin_entries(org, period, subs):
    return publicity_in(org, period, subs, PublicityKind.BULLETIN).aggregate(s=Sum("entries"))["s"] or 0


# --- 安康杯 ----------------------------------------------------------------------------------------

ANKANG_WINNING = (AnkangResult.WINNER, AnkangResult.GROUP_WINNER, AnkangResult.ORGANISER)


def ankang_in(org, period, subs: bool):
    """The entries of the years the period touches, under the organiser's path on the period's end."""
    return AnkangEntry.objects.filter(_where(org, period, subs), year__gte=period.start.year,
                                      year__lte=period.end.year)


def _ankang_row(e: AnkangEntry) -> RecordRow:
    return RecordRow(f"{e.year}年安康杯：{e.employer.name}（{e.get_result_display()}，{e.participants}人）",
                     None, e.org.name, "")


@metric("activities.ankang_employers", label="安康杯参赛单位", unit="家", group=SAFETY_GROUP,
        description="期间所在年度报名参加安康杯竞赛的用人单位数（每家每年计一次）", phrase="组织参加安康杯竞赛单位")
def ankang_employers(org, period, subs):
    return ankang_in(org, period, subs).count()


@breakdown_for("activities.ankang_employers", adds_up=True)
def ankang_employers_by_child(org, period):
    return grouped_counts(ankang_in(org, period, True), "org_path", path_on(org, period.end))


@records_for("activities.ankang_employers")
def ankang_records(org, period, subs):
    return Records(ankang_in(org, period, subs).select_related("org", "employer").order_by("-year", "id"),
                   _ankang_row)


@metric("activities.ankang_participants", label="安康杯参赛职工", unit="人", group=SAFETY_GROUP,
        description="期间所在年度安康杯参赛单位登记的参赛职工人数之和", phrase="参赛职工")
def ankang_participants(org, period, subs):
    return ankang_in(org, period, subs).aggregate(s=Sum("participants"))["s"] or 0


@breakdown_for("activities.ankang_participants", adds_up=True)
def ankang_participants_by_child(org, period):
    out = grouped_sums(ankang_in(org, period, True), "org_path", path_on(org, period.end), "participants")
    return {k: int(v) for k, v in out.items()}


@metric("activities.ankang_winners", label="安康杯获奖单位", unit="家", group=SAFETY_GROUP,
        part_of="activities.ankang_employers",
        description="期间所在年度安康杯竞赛获评优胜单位、优胜班组所在单位或优秀组织单位的用人单位数", phrase="获奖单位")
def ankang_winners(org, period, subs):
    return ankang_in(org, period, subs).filter(result__in=ANKANG_WINNING).count()


@records_for("activities.ankang_winners")
def ankang_winner_records(org, period, subs):
    return Records(ankang_in(org, period, subs).filter(result__in=ANKANG_WINNING)
                   .select_related("org", "employer").order_by("-year", "id"), _ankang_row)


ANKANG_RESULT_WORDS = ((AnkangResult.WINNER, "获评优胜单位"), (AnkangResult.GROUP_WINNER, "获评优胜班组"),
                       (AnkangResult.ORGANISER, "获评优秀组织单位"))


@sentences_for(SAFETY_GROUP, covers=("activities.ankang_employers", "activities.ankang_participants",
                                     "activities.ankang_winners"))
def safety_paragraphs(org, period) -> list[str]:
    """The 安康杯 in S4's words: "组织职工参加“安康杯”竞赛活动，参赛企业10家、参赛职工1200人，其中获评
    优胜单位2家、获评优秀组织单位1家。". One grouped query over the rows the three 安康杯 figures count
    (`ankang_in`), so its numbers are theirs and its cost does not depend on the data."""
    rows = {r["result"]: r for r in ankang_in(org, period, True).order_by().values("result")
            .annotate(n=Count("pk"), people=Sum("participants"))}
    employers = sum(r["n"] for r in rows.values())
    if not employers:
        return []
    people = sum(r["people"] or 0 for r in rows.values())
    text = f"组织职工参加“安康杯”竞赛活动，参赛企业{employers}家" + (f"、参赛职工{people}人" if people else "")
    won = [f"{word}{rows[result]['n']}家" for result, word in ANKANG_RESULT_WORDS if result in rows]
    return [text + ("，其中" + "、".join(won) if won else "") + "。"]


# --- visits to one person ------------------------------------------------------------------------

VISIT_GROUP = "走访慰问"
VISIT_KIND = Filter("kind", "走访类型", clean=_choice(VisitKind.values),
                    choices=lambda org=None, period=None: list(VisitKind.choices))


def visits_in(org, period, subs, kind=None):
    qs = PersonVisit.objects.filter(_where(org, period, subs), visited_on__gte=period.start,
                                    visited_on__lte=period.end)
    return qs.filter(kind=kind) if kind else qs


def _visit_row(v: PersonVisit) -> RecordRow:
    money = f"，{format_money(v.amount)}" if v.amount else ""
    return RecordRow(f"{v.get_kind_display()}：{v.person.name}{money}", v.visited_on, v.org.name,
                     _url("activities:visit_detail", v.pk))


def _visit_records(org, period, subs, kind=None):
    return Records(visits_in(org, period, subs, kind).select_related("org", "person").order_by("-visited_on", "-id"),
                   _visit_row)


@metric("activities.person_visits", label="走访慰问职工人次", unit="人次", group=VISIT_GROUP, filters=(VISIT_KIND,),
        description="期间内逐人登记的送温暖、慰问和走访次数（同一人走访两次计两人次）", phrase="走访慰问职工")
def person_visits(org, period, subs, kind=None):
    return visits_in(org, period, subs, kind).count()


@breakdown_for("activities.person_visits", adds_up=True)
def person_visits_by_child(org, period, kind=None):
    return grouped_counts(visits_in(org, period, True, kind), "org_path", path_on(org, period.end))


records_for("activities.person_visits")(_visit_records)


@metric("activities.persons_visited", label="走访慰问职工人数", unit="人", group=VISIT_GROUP, filters=(VISIT_KIND,),
        sums_over_tree=False, description="期间内走访慰问的职工人数（同一人走访多次只计一人）", phrase="走访慰问")
def persons_visited(org, period, subs, kind=None):
    return visits_in(org, period, subs, kind).values("person").distinct().count()


@breakdown_for("activities.persons_visited")
def persons_visited_by_child(org, period, kind=None):
    return grouped_counts(visits_in(org, period, True, kind), "org_path", path_on(org, period.end), "person",
                          distinct=True)


records_for("activities.persons_visited")(_visit_records)


@metric("activities.visit_amount", label="走访慰问金", unit="元", group=VISIT_GROUP, filters=(VISIT_KIND,),
        description="期间内逐人登记的走访慰问金之和", phrase="发放慰问金")
def visit_amount(org, period, subs, kind=None):
    return visits_in(org, period, subs, kind).aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


@breakdown_for("activities.visit_amount", adds_up=True)
def visit_amount_by_child(org, period, kind=None):
    return grouped_sums(visits_in(org, period, True, kind), "org_path", path_on(org, period.end), "amount")


records_for("activities.visit_amount")(_visit_records)


@sentences_for(VISIT_GROUP, covers=("activities.person_visits", "activities.persons_visited",
                                    "activities.visit_amount"))
def visit_paragraphs(org, period) -> list[str]:
    """Visits in the seeds' words ("全市各级工会慰问459户困难职工，发放30万元慰问金"): "走访慰问职工45人、
    52人次，发放慰问金3.20万元，其中送温暖30人、32人次，发放慰问金2.00万元；生病住院慰问5人、5人次。".
    Two queries over the rows the three visit figures count (`visits_in`): the distinct persons of
    the whole, then each kind's in one grouped query; the number of queries is the same for any
    data."""
    qs = visits_in(org, period, True).order_by()
    by_kind = {r["kind"]: r for r in qs.values("kind").annotate(n=Count("pk"), people=Count("person", distinct=True),
                                                                  money=Sum("amount"))}
    people = qs.values("person").distinct().count()
    if not by_kind:
        return []

    def said(people, times, money) -> str:
        text = f"{people}人" + (f"、{times}人次" if times != people else "")
        return text + (f"，发放慰问金{format_money(money, 'auto')}" if money else "")

    total = said(people, sum(r["n"] for r in by_kind.values()), sum(r["money"] or 0 for r in by_kind.values()))
    kinds = [f"{label}{said(r['people'], r['n'], r['money'])}" for value, label in VisitKind.choices
             if (r := by_kind.get(value))]
    return [f"走访慰问职工{total}" + ("，其中" + "；".join(kinds) if len(kinds) > 1 else "") + "。"]


# --- the standard table (活动与阵地统计表), rendered by the reports app ------------------------------
# Additive figures only, each with its unit in the header: 活动成果数量 is left out (it sums 项, 条 and
# 份 of different kinds), and so are the distinct-person counts (a person is counted once per row).

register_table("activities", title="活动与阵地统计表", permission="activities.view", columns=[
    ("activities.sessions", "开展活动（期/场）"),
    ("activities.person_times", "活动参加（人次）"),
    ("activities.units", "活动覆盖单位（家）"),
    ("activities.amount", "活动经费（元）"),
    ("activities.posts", "服务阵地（个）"),
    ("activities.post_visits", "阵地服务（人次）"),
    ("activities.volunteer_times", "志愿服务（人次）"),
    ("activities.inspections", "安全监督检查（次）"),
    ("activities.findings", "查出问题（项）"),
    ("activities.rectification_rate", "已整改（项）", "numerator"),
    ("activities.rectification_rate", "整改率（%）"),
    ("activities.findings_overdue", "逾期未整改（项）"),
    ("activities.ankang_employers", "安康杯参赛单位（家）"),
    ("activities.ankang_participants", "安康杯参赛职工（人）"),
    ("activities.publicity", "宣传信息（篇）"),
    ("activities.person_visits", "走访慰问职工（人次）"),
    ("activities.visit_amount", "走访慰问金（元）"),
], note="活动、检查、问题、宣传信息和走访按期间计算，服务阵地和逾期未整改问题按截止日计算；各项按组织单位在当时的隶属计入。"
        "活动成果数量（项、条、份）因计量单位不同不列入本表，请在指标页按活动类型查看。")
