"""Democracy pages. Thin: fetch in scope → form → service → redirect.

The congress, 提案 and disclosure pages each post their forms to one URL, `<pk>/<step>/`;
`*_STEPS` map the step to its form and service call. A refused step shows the page again with
that step's form open and what the user typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Q
from django.forms import DateField
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.core import audit, clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset
from gonghui.core.params import id_param
from gonghui.core.scope import subtree_q
from gonghui.core.views_base import requires
from gonghui.orgs.models import Coverage, Employer, Org, OrgStatus, active_on, employer_open_on, valid_on

from . import forms, selectors, services
from .models import (
    Category,
    Congress,
    Delegate,
    Disclosure,
    DisclosureKind,
    Evaluation,
    Form,
    Proposal,
    Scope,
    Status,
)
from .workflow import FLOW

VIEW, CHANGE, SENSITIVE = "democracy.view", "democracy.change", "democracy.view_sensitive"


def _in_force(f, pairs) -> list[tuple[str, str]]:
    return [(label, value) for label, value in pairs if value]


def _node_filter(request, qs, field="org__path"):
    code = request.GET.get("org")
    if code:  # from a figure's drill-down: one node's subtree
        node = scope.get_visible_or_404(Org.objects.all(), request.user, VIEW, code=code)
        qs = qs.filter(subtree_q(field, node.path))
    return qs


# --- congresses --------------------------------------------------------------------------------

def congress_queryset(request):
    f = request.GET
    qs = scope.visible(Congress.objects.select_related("org", "employer"), request.user, VIEW, "org__path")
    qs = _node_filter(request, qs)
    if f.get("scope") in Scope.values:
        qs = qs.filter(scope=f["scope"])
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(org__name__contains=q))
    in_force = _in_force(f, [("范围", Scope(f["scope"]).label if f.get("scope") in Scope.values else ""),
                             ("单位编码(含下级)", f.get("org", "")), ("查找", q)])
    return qs, in_force


@requires(VIEW)
def index(request):
    f = request.GET
    qs, in_force = congress_queryset(request)
    page = keyset(qs.order_by("-established_on", "-pk"), request, "democracy.congresses")
    return render(request, "democracy/index.html", {
        "page": page, "in_force": in_force, "filters": f, "scopes": Scope.choices,
        "can_change": scope.has_perm(request.user, CHANGE)})


ESTABLISHMENT_VIEWS = {
    "all": "全部已建会企业", "no_congress": "未建职代会", "no_system": "未建厂务公开制度",
}


def establishment_queryset(request):
    """建制情况: the employers covered today by a union (已建会企业) at their 属地 in the user's scope,
    all of them or those without a 职代会 (own or regional) or a 厂务公开 system."""
    f, today = request.GET, clock.today()
    view = f.get("view") if f.get("view") in ESTABLISHMENT_VIEWS else "all"
    covered = Coverage.objects.filter(valid_on(today), active_on(today, "union__")).values("employer_id")
    qs = scope.visible(Employer.objects.filter(employer_open_on(today), pk__in=covered), request.user, VIEW,
                       "org__path")
    qs = _node_filter(request, qs)
    congress = selectors.has_congress_on(today)
    system = Q(pk__in=selectors.systems_on(today))
    if view == "no_congress":
        qs = qs.exclude(congress)
    elif view == "no_system":
        qs = qs.exclude(system)
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(name__contains=q)
    in_force = _in_force(f, [("查找", q), ("单位编码(含下级)", f.get("org", ""))])
    return qs.select_related("org").order_by("name", "pk"), view, in_force, today


@requires(VIEW)
def establishment(request):
    """Each employer of establishment_queryset with its 职代会 (own or regional) and 厂务公开 system,
    or the gap."""
    f = request.GET
    qs, view, in_force, today = establishment_queryset(request)
    page = keyset(qs, request, "democracy.establishment")
    own, regional, systems = selectors.establishment_marks([e.pk for e in page.items], today)
    rows = [(e, own.get(e.pk, (None,))[0], regional.get(e.pk, (None,))[0], e.pk in systems) for e in page.items]
    return render(request, "democracy/establishment.html", {"can_change": scope.has_perm(request.user, CHANGE),
        "page": page, "rows": rows, "view": view, "views": list(ESTABLISHMENT_VIEWS.items()), "filters": f,
        "in_force": in_force, "today": today})


@requires(CHANGE)
def disclosure_system_create(request):
    """登记厂务公开制度: what 厂务公开建制率 counts (DOMAIN §7.3), for an employer the union covers or
    one registered in its area; from the 建制情况 list's gaps the employer comes filled in."""
    today = clock.today()
    form = forms.DisclosureSystemForm(request.POST or None, initial={
        "established_on": today, "employer": request.GET.get("employer", "").strip()[:200]})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = _congress_orgs(request).filter(code=d["org"].strip()).first()
        employer = allowed_employers(org, today).filter(name=d["employer"].strip()).first() if org else None
        if org is None:
            form.add_error("org", f"未找到代码为“{d['org']}”的工会，或它不在您的管理范围内。")
        elif employer is None:
            form.add_error("employer", f"未找到单位“{d['employer']}”，或它不在所选工会的范围内。")
        else:
            try:
                services.disclosure_system_set(actor=request.user, employer=employer, org=org,
                                               established_on=d["established_on"], leader=d["leader"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已登记{employer.name}的厂务公开制度。")
                return redirect(f"{reverse('democracy:establishment')}?view=no_system")
    return render(request, "democracy/form.html", {"form": form, "title": "登记厂务公开制度"})


def _congress_orgs(request):
    return scope.visible(Org.objects.all(), request.user, CHANGE).exclude(status=OrgStatus.DISSOLVED)


def allowed_employers(org: Org, at):
    """Employers a union's congress may be for: those it (or a union under it) covers on `at`, and
    for a federation those registered in its area (a regional congress's small employers)."""
    covered = Coverage.objects.filter(valid_on(at), subtree_q("union__path", org.path)).values("employer")
    return Employer.objects.filter(Q(pk__in=covered) | subtree_q("org__path", org.path), closed_on__isnull=True)


@requires(CHANGE)
def congress_create(request):
    org_pk = id_param(request.GET, "org") or id_param(request.POST, "org")
    if not org_pk:
        pick = forms.PickOrgForm(request.GET if "code" in request.GET else None)
        if pick.is_bound and pick.is_valid():
            org = _congress_orgs(request).filter(code=pick.cleaned_data["code"].strip()).first()
            if org is not None:
                return redirect(f"{reverse('democracy:congress_create')}?org={org.pk}")
            pick.add_error("code", f"未找到代码为“{pick.cleaned_data['code']}”的工会，或它不在您的管理范围内。")
        return render(request, "democracy/pick_org.html", {"form": pick, "title": "建立职代会：选择工作机构（工会）"})
    org = scope.get_visible_or_404(Org.objects.all(), request.user, CHANGE, pk=org_pk)
    today = clock.today()
    form = forms.CongressForm(request.POST or None, employers=allowed_employers(org, today).order_by("name"),
                              initial={"established_on": today})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            c = services.congress_create(actor=request.user, org=org, name=d["name"], kind=d["kind"],
                                         scope_kind=d["scope_kind"], established_on=d["established_on"],
                                         employer=d["employer"], employers=list(d["employers"]))
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已建立“{c.name}”，请登记届次和职工代表。")
            return redirect("democracy:congress_detail", pk=c.pk)
    return render(request, "democracy/form.html", {"form": form, "title": f"建立职代会：{org.name}", "org": org})


@dataclass(frozen=True)
class Step:
    label: str
    form: Callable  # (obj, data, prefix, initial) -> form
    perform: Callable  # (user, obj, form) -> object
    when: Callable = lambda obj: True


def _plain(form_class):
    return lambda obj, data, prefix, initial: form_class(data, prefix=prefix, initial=initial)


def _current_term(c: Congress):
    return c.terms.order_by("-number").first()


def _sessions(c: Congress):
    return c.sessions.select_related("term").order_by("-held_on", "-pk")


def _delegates(c: Congress):
    return Delegate.objects.filter(term__congress=c).order_by("term__number", "constituency", "pk")


CONGRESS_STEPS: dict[str, Step] = {
    "term": Step("登记新一届", lambda c, data, prefix, initial: forms.TermForm(
        data, prefix=prefix, initial={**selectors.term_defaults(c), **(initial or {})}),
                 lambda u, c, f: services.term_open(actor=u, congress=c, **f.cleaned_data)),
    "delegate": Step("增加职工代表", _plain(forms.DelegateForm),
                     lambda u, c, f: services.delegate_add(actor=u, term=_current_term(c), **f.cleaned_data),
                     when=lambda c: _current_term(c) is not None),
    "confirm": Step("核对并确认代表名单", _plain(forms.ConfirmForm),
                    lambda u, c, f: services.delegates_confirm(actor=u, term=_current_term(c)),
                    when=lambda c: _current_term(c) is not None),
    "session": Step("登记会议", _plain(forms.SessionForm),
                    lambda u, c, f: services.session_record(actor=u, congress=c, **f.cleaned_data),
                    when=lambda c: _current_term(c) is not None),
    "motion": Step("登记议案表决", lambda c, data, prefix, initial: forms.MotionForm(
        data, prefix=prefix, initial=initial, sessions=_sessions(c)),
        lambda u, c, f: services.motion_vote(actor=u, **f.cleaned_data), when=lambda c: c.sessions.exists()),
    "resolution": Step("登记决议", lambda c, data, prefix, initial: forms.ResolutionForm(
        data, prefix=prefix, initial=initial, sessions=_sessions(c)),
        lambda u, c, f: services.resolution_adopt(actor=u, congress=c, **f.cleaned_data)),
    "proposal": Step("登记提案", lambda c, data, prefix, initial: forms.ProposalForm(
        data, prefix=prefix, initial=initial, delegates=_delegates(c), sessions=_sessions(c)),
        lambda u, c, f: services.proposal_file(actor=u, congress=c, **{
            **f.cleaned_data, "cosigners": list(f.cleaned_data["cosigners"])}),
        when=lambda c: _current_term(c) is not None),
    "board": Step("登记职工董事、职工监事", lambda c, data, prefix, initial: forms.BoardForm(
        data, prefix=prefix, initial=initial, sessions=_sessions(c)),
        lambda u, c, f: services.board_member_elect(actor=u, congress=c, **f.cleaned_data)),
    "end": Step("撤销职代会", _plain(forms.CongressEndForm),
                lambda u, c, f: services.congress_end(actor=u, congress=c, **f.cleaned_data),
                when=lambda c: c.ended_on is None),
    "evaluation": Step("登记民主评议", lambda c, data, prefix, initial: forms.EvaluationForm(
        data, prefix=prefix, initial=initial, sessions=_sessions(c)),
        lambda u, c, f: services.evaluation_record(actor=u, **f.cleaned_data), when=lambda c: c.sessions.exists()),
}


def _panels(steps, obj, can_change, bound):
    panels = []
    if not can_change:
        return panels
    today = clock.today()
    names = [n for n, st in steps.items() if st.when(obj)]
    if bound and bound[0] not in names:
        names.insert(0, bound[0])
    for name in names:
        if bound and bound[0] == name:
            form = bound[1]
        else:
            form = steps[name].form(obj, None, name, None)
            form.initial = {**{f: today for f, fld in form.fields.items()
                               if isinstance(fld, DateField) and fld.required}, **form.initial}
        panels.append((name, steps[name].label, form))
    return panels


def _congress(request, pk, perm=VIEW) -> Congress:
    return scope.get_visible_or_404(Congress.objects.select_related("org", "employer"), request.user, perm,
                                    "org__path", pk=pk)


def _congress_page(request, c: Congress, bound=None, status=200):
    can_change = scope.has_perm(request.user, CHANGE, c.org.path)
    terms = list(c.terms.all())
    current = terms[0] if terms else None
    sessions = list(c.sessions.select_related("term").prefetch_related("motions", "resolutions"))
    evaluations = list(Evaluation.objects.filter(session__congress=c).order_by("held_on", "level", "pk"))
    sensitive = scope.has_perm(request.user, SENSITIVE, c.org.path)
    if sensitive and evaluations:  # the persons evaluated and their results: a full view, logged
        audit.log_access(user=request.user, kind="view", object_type="democracy.evaluation", object_id=str(c.pk),
                         fields=["name", "results"], org_path=c.org.path)
    reported = selectors.reported_proposals(c, sessions)
    for s in sessions:
        s.reported = reported.get(s.pk, [])
    return render(request, "democracy/congress_detail.html", {
        "c": c, "can_change": can_change, "terms": terms, "term": current,
        "quota_prompt": selectors.quota_prompt(c, current),
        "composition": services.composition(current) if current else None,
        "delegates": list(current.delegates.all()) if current else [],
        "sessions": sessions, "written": list(c.resolutions.filter(session__isnull=True)),
        "covered": list(c.covered.select_related("employer")),
        "proposals": c.proposals.count(), "evaluations": evaluations, "sensitive": sensitive,
        "board": list(c.board_members.all()), "panels": _panels(CONGRESS_STEPS, c, can_change, bound),
        "open_panel": bound[0] if bound else "", "step_url": "democracy:congress_step",
    }, status=status)


@requires(VIEW)
def congress_detail(request, pk):
    return _congress_page(request, _congress(request, pk))


def _do_step(request, steps, obj, name, page, redirect_to):
    st = steps.get(name)
    if st is None:
        raise Http404("没有这个步骤。")
    form = st.form(obj, request.POST, name, None)
    if form.is_valid():
        try:
            result = st.perform(request.user, obj, form)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            if getattr(result, "violations", None):
                messages.warning(request, "代表名单不符合规定，已存为草稿：" + "；".join(result.violations))
            else:
                messages.success(request, f"已{st.label}。")
            return redirect_to(result)
    return page(request, obj, bound=(name, form), status=422)


@requires(CHANGE)
@require_POST
def congress_step(request, pk, name):
    c = _congress(request, pk, CHANGE)

    def to(result):
        if isinstance(result, Proposal):
            return redirect("democracy:proposal_detail", pk=result.pk)
        return redirect("democracy:congress_detail", pk=c.pk)

    return _do_step(request, CONGRESS_STEPS, c, name, _congress_page, to)


@requires(CHANGE)
@require_POST
def delegate_remove(request, pk):
    d = scope.get_visible_or_404(Delegate.objects.select_related("term__congress__org"), request.user, CHANGE,
                                 "term__congress__org__path", pk=pk)
    congress_id = d.term.congress_id
    try:
        services.delegate_remove(actor=request.user, delegate=d)
    except ServiceError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, f"已删除代表 {d.name}，代表名单需重新确认。")
    return redirect("democracy:congress_detail", pk=congress_id)


# --- 提案 ---------------------------------------------------------------------------------------

PROPOSAL_VIEWS = {
    "all": ("全部", lambda today: Q()),
    "open": ("办理中", lambda today: Q(status__in=(Status.FILED, Status.ACCEPTED, Status.ASSIGNED))),
    "overdue": ("逾期未答复", lambda today: Q(status=Status.ASSIGNED, due_on__lt=today)),
    "feedback": ("待反馈", lambda today: Q(status=Status.ANSWERED)),
}


def proposal_queryset(request):
    f, today = request.GET, clock.today()
    view = f.get("view") if f.get("view") in PROPOSAL_VIEWS else "all"
    qs = scope.visible(Proposal.objects.select_related("org", "congress", "proposer"), request.user, VIEW,
                       "org__path").filter(PROPOSAL_VIEWS[view][1](today))
    qs = _node_filter(request, qs)
    if f.get("status") in Status.values:
        qs = qs.filter(status=f["status"])
    if f.get("category") in Category.values:
        qs = qs.filter(category=f["category"])
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(number=q) | Q(congress__name__contains=q))
    in_force = _in_force(f, [("视图", PROPOSAL_VIEWS[view][0] if view != "all" else ""),
                             ("状态", Status(f["status"]).label if f.get("status") in Status.values else ""),
                             ("类别", Category(f["category"]).label if f.get("category") in Category.values else ""),
                             ("单位编码(含下级)", f.get("org", "")), ("查找", q)])
    return qs, view, in_force


@requires(VIEW)
def proposals(request):
    qs, view, in_force = proposal_queryset(request)
    page = keyset(qs.order_by("-filed_on", "-pk"), request, "democracy.proposals")
    return render(request, "democracy/proposals.html", {
        "page": page, "view": view, "views": [(k, v[0]) for k, v in PROPOSAL_VIEWS.items()], "in_force": in_force,
        "filters": request.GET, "statuses": Status.choices, "categories": Category.choices, "today": clock.today()})


def _proposal(request, pk, perm=VIEW) -> Proposal:
    return scope.get_visible_or_404(Proposal.objects.select_related("org", "congress", "proposer", "session"),
                                    request.user, perm, "org__path", pk=pk)


PROPOSAL_STEPS: dict[str, Step] = {
    "accept": Step("立案", _plain(forms.AcceptForm),
                   lambda u, p, f: services.proposal_accept(actor=u, proposal=p, **f.cleaned_data),
                   when=lambda p: FLOW.can(p.status, Status.ACCEPTED)),
    "reject": Step("不立案", _plain(forms.RejectForm),
                   lambda u, p, f: services.proposal_reject(actor=u, proposal=p, **f.cleaned_data),
                   when=lambda p: FLOW.can(p.status, Status.REJECTED)),
    "assign": Step("交办", _plain(forms.AssignForm),
                   lambda u, p, f: services.proposal_assign(actor=u, proposal=p, **f.cleaned_data),
                   when=lambda p: FLOW.can(p.status, Status.ASSIGNED)),
    "answer": Step("书面答复", _plain(forms.AnswerForm),
                   lambda u, p, f: services.proposal_answer(actor=u, proposal=p, **f.cleaned_data),
                   when=lambda p: FLOW.can(p.status, Status.ANSWERED)),
    "feedback": Step("提案人反馈", lambda p, data, prefix, initial: forms.FeedbackForm(
        data, prefix=prefix, initial={"delegate": p.proposer_id}, delegates=Delegate.objects.filter(pk=p.proposer_id)),
        lambda u, p, f: services.proposal_feedback(actor=u, proposal=p, **f.cleaned_data),
        when=lambda p: FLOW.can(p.status, Status.CLOSED)),
}


def _proposal_page(request, p: Proposal, bound=None, status=200):
    can_change = scope.has_perm(request.user, CHANGE, p.org.path)
    return render(request, "democracy/proposal_detail.html", {
        "p": p, "today": clock.today(), "cosigners": list(p.cosigners.all()), "events": list(p.events.all()),
        "panels": _panels(PROPOSAL_STEPS, p, can_change, bound), "open_panel": bound[0] if bound else "",
        "can_change": can_change}, status=status)


@requires(VIEW)
def proposal_detail(request, pk):
    return _proposal_page(request, _proposal(request, pk))


@requires(CHANGE)
@require_POST
def proposal_step(request, pk, name):
    p = _proposal(request, pk, CHANGE)
    return _do_step(request, PROPOSAL_STEPS, p, name, _proposal_page,
                    lambda result: redirect("democracy:proposal_detail", pk=p.pk))


# --- disclosures -------------------------------------------------------------------------------

def disclosure_queryset(request):
    f = request.GET
    qs = scope.visible(Disclosure.objects.select_related("org", "employer"), request.user, VIEW, "org__path")
    qs = _node_filter(request, qs)
    if f.get("kind") in DisclosureKind.values:
        qs = qs.filter(kind=f["kind"])
    if f.get("form") in Form.values:
        qs = qs.filter(form=f["form"])
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(org__name__contains=q) | Q(employer__name__contains=q))
    in_force = _in_force(f, [("类别", DisclosureKind(f["kind"]).label if f.get("kind") in DisclosureKind.values else ""),
                             ("形式", Form(f["form"]).label if f.get("form") in Form.values else ""),
                             ("单位编码(含下级)", f.get("org", "")), ("查找", q)])
    return qs, in_force


@requires(VIEW)
def disclosures(request):
    qs, in_force = disclosure_queryset(request)
    page = keyset(qs.order_by("-disclosed_on", "-pk"), request, "democracy.disclosures")
    return render(request, "democracy/disclosures.html", {
        "page": page, "in_force": in_force, "filters": request.GET, "kinds": DisclosureKind.choices,
        "forms_": Form.choices, "can_change": scope.has_perm(request.user, CHANGE)})


@requires(CHANGE)
def disclosure_create(request):
    form = forms.DisclosureRecordForm(request.POST or None, initial={"disclosed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = _congress_orgs(request).filter(code=d["org"].strip()).first()
        employer = None
        if d["employer"] and org is not None:  # an employer the union covers, or registered in its area
            employer = allowed_employers(org, clock.today()).filter(name=d["employer"].strip()).first()
        if org is None:
            form.add_error("org", f"未找到代码为“{d['org']}”的工会，或它不在您的管理范围内。")
        elif d["employer"] and employer is None:
            form.add_error("employer", f"未找到单位“{d['employer']}”，或它不在您的管理范围内。")
        else:
            try:
                rec = services.disclosure_record(actor=request.user, org=org, kind=d["kind"], form=d["form"],
                                                 issue_no=d["issue_no"], disclosed_on=d["disclosed_on"],
                                                 title=d["title"], items=form.items(), employer=employer)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已登记{rec}。")
                return redirect("democracy:disclosure_detail", pk=rec.pk)
    return render(request, "democracy/form.html", {"form": form, "title": "登记公开记录"})


def _disclosure(request, pk, perm=VIEW) -> Disclosure:
    return scope.get_visible_or_404(Disclosure.objects.select_related("org", "employer"), request.user, perm,
                                    "org__path", pk=pk)


DISCLOSURE_STEPS: dict[str, Step] = {
    "opinion": Step("登记意见", _plain(forms.OpinionForm),
                    lambda u, d, f: services.opinion_raise(actor=u, disclosure=d, **f.cleaned_data)),
    "reply": Step("答复意见", lambda d, data, prefix, initial: forms.OpinionAnswerForm(
        data, prefix=prefix, initial=initial, opinions=d.opinions.filter(answered_on__isnull=True)),
        lambda u, d, f: services.opinion_answer(actor=u, opinion=f.cleaned_data["opinion"],
                                                answered_on=f.cleaned_data["answered_on"],
                                                answer=f.cleaned_data["answer"]),
        when=lambda d: d.opinions.filter(answered_on__isnull=True).exists()),
}


def _disclosure_page(request, d: Disclosure, bound=None, status=200):
    can_change = scope.has_perm(request.user, CHANGE, d.org.path)
    return render(request, "democracy/disclosure_detail.html", {
        "d": d, "today": clock.today(), "items": list(d.items.all()), "opinions": list(d.opinions.all()),
        "panels": _panels(DISCLOSURE_STEPS, d, can_change, bound), "open_panel": bound[0] if bound else ""},
        status=status)


@requires(VIEW)
def disclosure_detail(request, pk):
    return _disclosure_page(request, _disclosure(request, pk))


@requires(CHANGE)
@require_POST
def disclosure_step(request, pk, name):
    d = _disclosure(request, pk, CHANGE)
    return _do_step(request, DISCLOSURE_STEPS, d, name, _disclosure_page,
                    lambda result: redirect("democracy:disclosure_detail", pk=d.pk))
