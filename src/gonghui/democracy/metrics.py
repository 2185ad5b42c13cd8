"""民主管理 figures (DOMAIN §7.4, §12.2 B), registered in the metric registry.

Sessions, votes, 提案 and disclosures count under their union's tree position on the cut-off;
delegates under their congress's union; employer rates (职代会建制率, 区域性职代会覆盖率,
厂务公开建制率) count each employer once at its 属地, over the employers covered on the cut-off
by a union that existed then (已建会企业), like the bargaining rates.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse

from gonghui.core import compiled
from gonghui.core.metrics import (
    HIGHER_BETTER,
    RecordRow,
    Records,
    breakdown_for,
    compute,
    grouped_aggregates,
    grouped_counts,
    grouped_rates,
    metric,
    rate,
    rates_from,
    records_for,
    sentences_for,
    shared,
)
from gonghui.core.tables import register_table
from gonghui.orgs.metrics import employers_under_q
from gonghui.orgs.models import Coverage, Employer, active_on, employer_open_on, valid_on
from gonghui.orgs.selectors import path_on, placed_in, placed_under

from .models import (
    BoardMember,
    BoardSeat,
    Delegate,
    Disclosure,
    DisclosureItem,
    DisclosureKind,
    DisclosureSystem,
    EvalLevel,
    Evaluation,
    Feedback,
    Form,
    Gender,
    ItemCategory,
    Motion,
    Proposal,
    Resolution,
    Session,
    SessionKind,
    Status,
)
from .selectors import congress_live_q, own_congress_on, regional_congress_on

GROUP = "民主管理"
LIST = "democracy:index"
PATH = "org__placements__path"


def _rows(model, org, at, subs, grouped=False, field="org"):
    under = placed_under(org, at, subs, prefix=f"{field}__") if grouped else placed_in(org, at, subs, f"{field}_id")
    return model.objects.filter(under)


def _count(code, qs_for):
    """The figure `qs_for(org, period, subs).count()`, its statement compiled once per shape
    (core.compiled): on a county's few rows building and compiling it cost more than running it."""
    return lambda org, period, subs: compiled.count((code,), qs_for, org, period, subs)


def _dated(model, date_field, org, period, subs, grouped=False):
    return _rows(model, org, period.end, subs, grouped).filter(**{f"{date_field}__gte": period.start,
                                                                  f"{date_field}__lte": period.end})


# --- employer rates --------------------------------------------------------------------------------

def _unionised(org, at, subs, grouped=False):
    """已建会企业: employers open on `at`, covered then by a union that existed then, at their 属地."""
    under = placed_under(org, at, subs, prefix="org__") if grouped else employers_under_q(org, at, subs)
    covered = Exists(Coverage.objects.filter(valid_on(at), active_on(at, "union__"), employer=OuterRef("pk")))
    return Employer.objects.filter(under, employer_open_on(at), covered)


_congress_on = congress_live_q
_own_on = own_congress_on
_regional_on = regional_congress_on


def _system_on(at):
    return Q(pk__in=DisclosureSystem.objects.filter(_congress_on(at)).values("employer_id"))


RATES = {
    # code: (label, description, the employer condition on `at`, met label, gap label)
    "democracy.congress_rate": (
        "职代会建制率", "已建会企业中建立了职代会（职工大会）制度或由区域性、行业性职代会覆盖的 ÷ 已建会企业",
        lambda at: _own_on(at) | _regional_on(at), "已建立职代会制度的企业", "未建立职代会制度的已建会企业"),
    "democracy.regional_coverage_rate": (
        "区域性职代会覆盖率", "已建会企业中由区域性、行业性职代会覆盖的 ÷ 已建会企业",
        _regional_on, "区域性、行业性职代会覆盖的企业", "未被区域性、行业性职代会覆盖的已建会企业"),
    "democracy.disclosure_system_rate": (
        "厂务公开建制率", "已建会企业中建立了厂务公开制度的 ÷ 已建会企业",
        _system_on, "已建立厂务公开制度的企业", "未建立厂务公开制度的已建会企业"),
}


def _employer_row(e) -> RecordRow:
    return RecordRow(label=f"{e.name}（{e.headcount} 人）", org_name=e.org.name,
                     url=reverse("orgs:employer_detail", args=[e.pk]))


def _register_rate(code, label, description, cond, met_label, gap_label):
    def figure(org, period, subs):
        # One count with FILTER: the conditions are uncorrelated IN (SELECT …), which PostgreSQL runs as
        # hashed subplans once, not per row (a correlated EXISTS there would be: bargaining._coverage_rate).
        at = period.end
        base = _unionised(org, at, subs)
        # Inside sharing() (a dashboard, the summary) the three rates count their common base once,
        # each numerator a FILTER of that one pass.
        together = shared(("democracy.employer_rates", org.pk, at, subs), lambda: base.aggregate(
            n=Count("pk"), **{f"m{i}": Count("pk", filter=spec[2](at)) for i, spec in enumerate(RATES.values())}))
        if together is not None:
            return rate(together[f"m{list(RATES).index(code)}"], together["n"])
        agg = base.aggregate(n=Count("pk"), m=Count("pk", filter=cond(at)))
        return rate(agg["m"], agg["n"])

    def breakdown(org, period):
        at, p = period.end, path_on(org, period.end)
        qs = _unionised(org, at, True, grouped=True)
        return rates_from(grouped_counts(qs.filter(cond(at)), PATH, p), grouped_counts(qs, PATH, p))

    def records(org, period, subs):
        qs = _unionised(org, period.end, subs).select_related("org").order_by("name", "pk")
        return Records(qs, _employer_row, met=cond(period.end), met_label=met_label, gap_label=gap_label)

    metric(code, label=label, unit="%", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
           description=description)(figure)
    breakdown_for(code, adds_up=True)(breakdown)
    records_for(code)(records)


for _code, _spec in RATES.items():
    _register_rate(_code, *_spec)


# --- sessions, delegates, votes ------------------------------------------------------------------

def _sessions(org, period, subs, grouped=False):
    return _dated(Session, "held_on", org, period, subs, grouped)


@metric("democracy.sessions_held", label="召开职代会", unit="次", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="期间内召开的职代会（职工大会）会议，含临时会议")
def sessions_held(org, period, subs):
    return compiled.count(("democracy.sessions_held",), _sessions, org, period, subs)


def _session_row(s) -> RecordRow:
    return RecordRow(label=f"{s.congress.name} {s}", date=s.held_on, org_name=s.org.name,
                     url=reverse("democracy:congress_detail", args=[s.congress_id]))


records_for("democracy.sessions_held")(lambda o, p, s: Records(
    _sessions(o, p, s).select_related("org", "congress", "term").order_by("-held_on", "pk"), _session_row))
breakdown_for("democracy.sessions_held", adds_up=True)(
    lambda o, p: grouped_counts(_sessions(o, p, True, grouped=True), PATH, path_on(o, p.end)))


def _delegates(org, at, subs, grouped=False):
    """Delegates of the terms in force on `at` of the congresses existing then, under their union."""
    under = (placed_under(org, at, subs, prefix="term__congress__org__") if grouped
             else placed_in(org, at, subs, "term__congress__org_id"))
    return Delegate.objects.filter(under, _congress_on(at, "term__congress__"), term__started_on__lte=at,
                                   term__ends_on__gte=at)


DELEGATE_PATH = "term__congress__org__placements__path"


def _delegate_row(d) -> RecordRow:
    c = d.term.congress
    return RecordRow(label=f"{d.name}（{d.constituency}）", org_name=c.name,
                     url=reverse("democracy:congress_detail", args=[c.pk]))


for _code, _label, _cond, _desc in (
        ("democracy.delegates", "职工代表", Q(), "截止日在任的各届职代会职工代表"),
        ("democracy.women_delegates", "女职工代表", Q(gender=Gender.FEMALE), "截止日在任的职工代表中的女性")):
    def _make(cond):
        return (lambda o, p, s: _delegates(o, p.end, s).filter(cond).count(),
                lambda o, p: grouped_counts(_delegates(o, p.end, True, grouped=True).filter(cond), DELEGATE_PATH,
                                            path_on(o, p.end)),
                lambda o, p, s: Records(_delegates(o, p.end, s).filter(cond).select_related("term__congress")
                                        .order_by("term__congress__name", "pk"), _delegate_row))

    _f, _b, _r = _make(_cond)
    metric(_code, label=_label, unit="人", group=GROUP, list_url=LIST, description=_desc,
           phrase="有职工代表" if _code == "democracy.delegates" else "",
           part_of="democracy.delegates" if _code != "democracy.delegates" else "")(_f)
    breakdown_for(_code, adds_up=True)(_b)
    records_for(_code)(_r)


def _motions(org, period, subs, grouped=False):
    return _dated(Motion, "held_on", org, period, subs, grouped).filter(passed=True)


@metric("democracy.motions_passed", label="职代会通过议案", unit="项", group=GROUP, direction=HIGHER_BETTER,
        list_url=LIST, description="期间内职代会表决通过（赞成票超过全体代表半数）的议案")
def motions_passed(org, period, subs):
    return compiled.count(("democracy.motions_passed",), _motions, org, period, subs)


records_for("democracy.motions_passed")(lambda o, p, s: Records(
    _motions(o, p, s).select_related("org", "session").order_by("-held_on", "pk"),
    lambda m: RecordRow(label=m.title, date=m.held_on, org_name=m.org.name,
                        url=reverse("democracy:congress_detail", args=[m.session.congress_id]))))
breakdown_for("democracy.motions_passed", adds_up=True)(
    lambda o, p: grouped_counts(_motions(o, p, True, grouped=True), PATH, path_on(o, p.end)))


@metric("democracy.sessions_extraordinary", label="召开职代会临时会议", unit="次", group=GROUP, list_url=LIST,
        description="期间内召开的职代会（职工大会）临时会议", part_of="democracy.sessions_held")
def sessions_extraordinary(org, period, subs):
    return compiled.count(("democracy.sessions_extraordinary",), _extraordinary, org, period, subs)


def _extraordinary(org, period, subs):
    return _sessions(org, period, subs).filter(kind=SessionKind.EXTRAORDINARY)


records_for("democracy.sessions_extraordinary")(lambda o, p, s: Records(
    _sessions(o, p, s).filter(kind=SessionKind.EXTRAORDINARY).select_related("org", "congress", "term")
    .order_by("-held_on", "pk"), _session_row))
breakdown_for("democracy.sessions_extraordinary", adds_up=True)(
    lambda o, p: grouped_counts(_sessions(o, p, True, grouped=True).filter(kind=SessionKind.EXTRAORDINARY), PATH,
                                path_on(o, p.end)))


# 决议 (S4: "3 书面决议"): adopted at a session or, between sessions, in writing.
def _resolutions(org, period, subs, grouped=False, written=None):
    qs = _dated(Resolution, "adopted_on", org, period, subs, grouped)
    return qs if written is None else qs.filter(written=written)


def _resolution_row(r) -> RecordRow:
    return RecordRow(label=r.title + ("（书面决议）" if r.written else ""), date=r.adopted_on, org_name=r.org.name,
                     url=reverse("democracy:congress_detail", args=[r.congress_id]))


for _code, _label, _written, _desc, _part in (
        ("democracy.resolutions", "职代会决议", None, "期间内职代会（职工大会）通过的决议，含闭会期间的书面决议", ""),
        ("democracy.written_resolutions", "职代会书面决议", True, "期间内闭会期间以书面形式通过的决议",
         "democracy.resolutions")):
    def _make_resolutions(written):
        def qs_for(o, p, s):
            return _resolutions(o, p, s, written=written)

        # Compiled once per shape (core.compiled): 4.4 ms built each time against the twin's 1.0 ms.
        return (lambda o, p, s: compiled.count(("democracy.resolutions", written), qs_for, o, p, s),
                lambda o, p: grouped_counts(_resolutions(o, p, True, grouped=True, written=written), PATH,
                                            path_on(o, p.end)),
                lambda o, p, s: Records(_resolutions(o, p, s, written=written).select_related("org")
                                        .order_by("-adopted_on", "pk"), _resolution_row))

    _f, _b, _r = _make_resolutions(_written)
    metric(_code, label=_label, unit="项", group=GROUP, list_url=LIST, description=_desc, part_of=_part)(_f)
    breakdown_for(_code, adds_up=True)(_b)
    records_for(_code)(_r)


# --- 提案 ------------------------------------------------------------------------------------------

def _proposal_row(x) -> RecordRow:
    return RecordRow(label=f"{x.number} {x.title}（{x.get_status_display()}）", date=x.filed_on, org_name=x.org.name,
                     url=reverse("democracy:proposal_detail", args=[x.pk]))


def _proposal_records(qs_for, **rate_parts):
    return lambda o, p, s: Records(qs_for(o, p, s).select_related("org").order_by("-filed_on", "pk"), _proposal_row,
                                   **rate_parts)


def _filed(org, period, subs, grouped=False):
    return _dated(Proposal, "filed_on", org, period, subs, grouped)


@metric("democracy.proposals", label="职工代表提案", unit="件", group=GROUP, list_url=LIST,
        description="期间内职工代表提出的提案（含不立案的）", phrase="职工代表提出提案")
def proposals(org, period, subs):
    return compiled.count(("democracy.proposals",), _filed, org, period, subs)


records_for("democracy.proposals")(_proposal_records(_filed))
breakdown_for("democracy.proposals", adds_up=True)(
    lambda o, p: grouped_counts(_filed(o, p, True, grouped=True), PATH, path_on(o, p.end)))


def _decided(org, period, subs, grouped=False):
    return _filed(org, period, subs, grouped).filter(decided_on__lte=period.end)


ACCEPTED = ~Q(status=Status.REJECTED)


def _due(org, period, subs, grouped=False):
    """提案 whose answer fell due in the period."""
    return _dated(Proposal, "due_on", org, period, subs, grouped)


def _on_time(period) -> Q:
    """Answered on or before its due date (and by the cut-off)."""
    return Q(answered_on__isnull=False, answered_on__lte=period.end) & Q(answered_on__lte=F("due_on"))


def _fed_back(org, period, subs, grouped=False):
    return _dated(Proposal, "feedback_on", org, period, subs, grouped)


SATISFIED = Q(feedback__in=(Feedback.SATISFIED, Feedback.FAIRLY))

PROPOSAL_RATES = {
    "democracy.acceptance_rate": (
        "提案立案率", "期间内提出、截止日已审查的提案中立案的 ÷ 已审查的", _decided, lambda p: ACCEPTED,
        "立案的提案", "不立案的提案"),
    "democracy.on_time_rate": (
        "提案按期办复率", "答复期限在期间内的提案中，在期限内书面答复的 ÷ 答复期限在期间内的", _due, _on_time,
        "按期答复的提案", "逾期答复或尚未答复的提案"),
    "democracy.satisfaction_rate": (
        "提案办理满意率", "期间内提案人反馈中“满意”和“基本满意”的 ÷ 反馈的提案", _fed_back, lambda p: SATISFIED,
        "满意、基本满意", "不满意"),
}


def _register_proposal_rate(code, label, description, qs_for, cond, met_label, gap_label):
    def figure(org, period, subs):
        agg = qs_for(org, period, subs).aggregate(n=Count("pk"), m=Count("pk", filter=cond(period)))
        return rate(agg["m"], agg["n"])

    metric(code, label=label, unit="%", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
           description=description)(figure)
    breakdown_for(code, adds_up=True)(lambda o, p: grouped_rates(qs_for(o, p, True, grouped=True), PATH,
                                                                 path_on(o, p.end), cond(p)))
    records_for(code)(lambda o, p, s: Records(qs_for(o, p, s).select_related("org").order_by("-filed_on", "pk"),
                                              _proposal_row, met=cond(p), met_label=met_label, gap_label=gap_label))


for _code, _spec in PROPOSAL_RATES.items():
    _register_proposal_rate(_code, *_spec)


# --- disclosures ---------------------------------------------------------------------------------

def _disclosures(kind, form=None):
    def qs_for(org, period, subs, grouped=False):
        qs = _dated(Disclosure, "disclosed_on", org, period, subs, grouped).filter(kind=kind)
        return qs.filter(form=form) if form else qs

    return qs_for


def _disclosure_row(d) -> RecordRow:
    return RecordRow(label=f"{d}（{d.item_count} 项）", date=d.disclosed_on, org_name=d.org.name,
                     url=reverse("democracy:disclosure_detail", args=[d.pk]))


def _register_disclosures(kind, form, word, parent_issues="", parent_items="", said=""):
    """`said`: how the work summary's sentence names it ("厂务公开3期（其中通过公开栏公开2期）")."""
    qs_for = _disclosures(kind, form)
    code = f"democracy.{kind}" + (f"_{form}" if form else "")
    records = lambda o, p, s: Records(qs_for(o, p, s).select_related("org").order_by("-disclosed_on", "pk"),  # noqa: E731
                                      _disclosure_row)
    metric(f"{code}_issues", label=f"{word}期数", unit="期", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
           description=f"期间内{word}的期数", part_of=parent_issues, phrase=said or word)(
        _count(f"{code}_issues", qs_for))
    metric(f"{code}_items", label=f"{word}项目数", unit="项", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
           description=f"期间内{word}的公开事项数", part_of=parent_items, phrase=said or f"{word}事项")(
        lambda o, p, s: qs_for(o, p, s).aggregate(n=Sum("item_count"))["n"] or 0)
    breakdown_for(f"{code}_issues", adds_up=True)(
        lambda o, p: grouped_counts(qs_for(o, p, True, grouped=True), PATH, path_on(o, p.end)))
    breakdown_for(f"{code}_items", adds_up=True)(
        lambda o, p: {k: r["n"] or 0 for k, r in grouped_aggregates(qs_for(o, p, True, grouped=True), PATH,
                                                                      path_on(o, p.end), n=Sum("item_count")).items()})
    records_for(f"{code}_issues")(records)
    records_for(f"{code}_items")(records)


_register_disclosures(DisclosureKind.WORKPLACE, None, "厂务公开")
for _form in Form:
    _register_disclosures(DisclosureKind.WORKPLACE, _form.value, f"厂务公开（{_form.label}）",
                          "democracy.workplace_issues", "democracy.workplace_items", said=f"通过{_form.label}公开")
_register_disclosures(DisclosureKind.UNION, None, "会务公开")


# 厂务公开 items by what they disclose (DOMAIN §7.3: operations, decisions on employees' interests,
# rules, contracts, …): the items of the period's 厂务公开 issues, under the issue's union.

ITEM_PATH = "disclosure__org__placements__path"


def _items_of(category):
    def qs_for(org, period, subs, grouped=False):
        under = (placed_under(org, period.end, subs, prefix="disclosure__org__") if grouped
                 else placed_in(org, period.end, subs, "disclosure__org_id"))
        return DisclosureItem.objects.filter(under, disclosure__kind=DisclosureKind.WORKPLACE, category=category,
                                             disclosure__disclosed_on__gte=period.start,
                                             disclosure__disclosed_on__lte=period.end)

    return qs_for


# Figure labels stand in one line of the statistics table, which must fit a phone: the long category
# names are shortened there (the description keeps the full name).
_SHORT_CATEGORY = {"operations": "规划与经营", "decisions": "职工切身利益事项", "contracts": "合同与工资协议",
                   "major": "重大决策与资产"}

for _cat in ItemCategory:
    _qs = _items_of(_cat.value)
    _code = f"democracy.workplace_items_{_cat.value}"
    metric(_code, label=f"厂务公开项目数（{_SHORT_CATEGORY.get(_cat.value, _cat.label)}）", unit="项", group=GROUP, list_url=LIST,
           description=f"期间内厂务公开中属于“{_cat.label}”的公开事项", part_of="democracy.workplace_items")(
        _count(_code, _qs))
    breakdown_for(_code, adds_up=True)(
        lambda o, p, qs_for=_qs: grouped_counts(qs_for(o, p, True, grouped=True), ITEM_PATH, path_on(o, p.end)))
    records_for(_code)(lambda o, p, s, qs_for=_qs: Records(
        qs_for(o, p, s).select_related("disclosure__org").order_by("-disclosure__disclosed_on", "pk"),
        lambda i: RecordRow(label=f"{i.title}（{i.disclosure}）", date=i.disclosure.disclosed_on,
                            org_name=i.disclosure.org.name,
                            url=reverse("democracy:disclosure_detail", args=[i.disclosure_id]))))


CATEGORY_CODES = tuple(f"democracy.workplace_items_{c.value}" for c in ItemCategory)


@sentences_for(GROUP, covers=CATEGORY_CODES)
def summary_paragraphs(org, period) -> list[str]:
    """The work summary's sentence on what the 厂务公开 items disclosed, by category: the figures by
    form and by category both add up to the items, so one bracket after the items would list the
    items twice; the forms stay there and the categories get a sentence of their own."""
    parts = []
    for c, code in zip(ItemCategory, CATEGORY_CODES, strict=True):
        n = compute(code, org, period, True).value
        if n:
            parts.append(f"{c.label}{n}项")
    return ["厂务公开事项按内容分：" + "、".join(parts) + "。"] if parts else []


# --- 职工董事/监事 and 民主评议 -------------------------------------------------------------------

def _board(seat):
    def qs_for(org, period, subs, grouped=False):
        at = period.end
        return _rows(BoardMember, org, at, subs, grouped).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=at), elected_on__lte=at, seat=seat)

    return qs_for


for _seat in BoardSeat:
    _qs = _board(_seat.value)
    _code = f"democracy.worker_{_seat.value}s"
    metric(_code, label=f"{_seat.label}", unit="人", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
           description=f"截止日在任的由职代会选举的{_seat.label}")(_count(_code, _qs))
    breakdown_for(_code, adds_up=True)(
        lambda o, p, qs_for=_qs: grouped_counts(qs_for(o, p, True, grouped=True), PATH, path_on(o, p.end)))
    records_for(_code)(lambda o, p, s, qs_for=_qs: Records(
        qs_for(o, p, s).select_related("org").order_by("org__path", "pk"),
        lambda m: RecordRow(label=str(m), date=m.elected_on, org_name=m.org.name,
                            url=reverse("democracy:congress_detail", args=[m.congress_id]))))


def _evaluations(level=None):
    def qs_for(org, period, subs, grouped=False):
        qs = _dated(Evaluation, "held_on", org, period, subs, grouped)
        return qs.filter(level=level) if level else qs

    return qs_for


for _level, _label in ((None, "民主评议管理人员"), (EvalLevel.LEADER, "民主评议领导班子成员"),
                       (EvalLevel.CADRE, "民主评议中层管理人员")):
    _qs = _evaluations(_level)
    _code = "democracy.evaluations" + (f"_{_level}" if _level else "")
    metric(_code, label=_label, unit="人次", group=GROUP, list_url=LIST, description=f"期间内职代会{_label}的人次",
           part_of="democracy.evaluations" if _level else "")(_count(_code, _qs))
    breakdown_for(_code, adds_up=True)(
        lambda o, p, qs_for=_qs: grouped_counts(qs_for(o, p, True, grouped=True), PATH, path_on(o, p.end)))
    # The persons and their results are for democracy.view_sensitive: the record list names the post only.
    records_for(_code)(lambda o, p, s, qs_for=_qs: Records(
        qs_for(o, p, s).select_related("org", "session").order_by("-held_on", "pk"),
        lambda e: RecordRow(label=f"{e.position}（{e.get_level_display()}）", date=e.held_on, org_name=e.org.name,
                            url=reverse("democracy:congress_detail", args=[e.session.congress_id]))))


# --- the standard democracy table (民主管理统计表), rendered by the reports app ------------------------

register_table("democracy", title="民主管理统计表", permission="democracy.view", columns=[
    ("democracy.congress_rate", "已建会企业（家）", "denominator"),
    ("democracy.congress_rate", "建立职代会制度企业（家）", "numerator"),
    ("democracy.congress_rate", "职代会建制率（%）"),
    ("democracy.regional_coverage_rate", "区域性职代会覆盖企业（家）", "numerator"),
    ("democracy.regional_coverage_rate", "区域性职代会覆盖率（%）"),
    ("democracy.disclosure_system_rate", "建立厂务公开制度企业（家）", "numerator"),
    ("democracy.disclosure_system_rate", "厂务公开建制率（%）"),
    ("democracy.sessions_held", "召开职代会（次）"),
    ("democracy.delegates", "职工代表（人）"),
    ("democracy.women_delegates", "女职工代表（人）"),
    ("democracy.motions_passed", "通过议案（项）"),
    ("democracy.proposals", "提案（件）"),
    ("democracy.acceptance_rate", "提案立案率（%）"),
    ("democracy.on_time_rate", "按期办复率（%）"),
    ("democracy.satisfaction_rate", "提案办理满意率（%）"),
    ("democracy.workplace_issues", "厂务公开（期）"),
    ("democracy.workplace_items", "厂务公开项目（项）"),
    ("democracy.union_issues", "会务公开（期）"),
    ("democracy.union_items", "会务公开项目（项）"),
    ("democracy.worker_directors", "职工董事（人）"),
    ("democracy.worker_supervisors", "职工监事（人）"),
], note="建制率、职工代表、职工董事和监事按截止日计算，会议、议案、提案和公开按期间计算；企业按属地计入，职代会建制含区域性、"
        "行业性职代会覆盖；会议、提案和公开记录按所属工会在截止日的隶属计入。")
