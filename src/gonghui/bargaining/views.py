"""Bargaining pages. Thin: fetch in scope → form → service → redirect.

Every step of a negotiation posts to one URL, `<pk>/<step>/`; `STEPS` maps the step to its
form and service call. A refused step shows the contract page again with that step's form
open and what the user typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Q
from django.forms import DateField
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.core import clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset
from gonghui.core.params import id_param
from gonghui.core.scope import subtree_q
from gonghui.core.views_base import requires
from gonghui.democracy.selectors import sessions_for_employers
from gonghui.orgs.models import FEDERATION_TYPES, GRASSROOTS_TYPES, Org, OrgStatus

from . import forms, services
from .models import Contract, ContractType, Representative, Status, in_force_q
from .selectors import expiring_q
from .workflow import FLOW

VIEW, CHANGE = "bargaining.view", "bargaining.change"


def _contract(request, pk, perm=VIEW) -> Contract:
    return scope.get_visible_or_404(Contract.objects.select_related("org", "previous"), request.user, perm,
                                    "org__path", pk=pk)


# --- the registry ---------------------------------------------------------------------------------

VIEWS = {
    "negotiating": ("协商中", lambda today: Q(status__in=[s for s in Status.values if s not in (
        Status.PUBLISHED, Status.EFFECTIVE, Status.TERMINATED, Status.ABANDONED)])),
    "overdue": ("步骤逾期", lambda today: Q(next_due_on__lt=today)),
    "in_force": ("有效合同", lambda today: in_force_q(today)),
    "expiring": ("三个月内到期", expiring_q),
    "all": ("全部", lambda today: Q()),
}


@requires(VIEW)
def index(request):
    today = clock.today()
    f = request.GET
    view = f.get("view") if f.get("view") in VIEWS else "all"
    qs = scope.visible(Contract.objects.select_related("org"), request.user, VIEW, "org__path")
    qs = qs.filter(VIEWS[view][1](today))
    if f.get("type") in ContractType.values:
        qs = qs.filter(contract_type=f["type"])
    if f.get("org"):  # from a figure's drill-down: the contracts of one node's subtree
        node = scope.get_visible_or_404(Org.objects.all(), request.user, VIEW, code=f["org"])
        qs = qs.filter(subtree_q("org__path", node.path))
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(employer_party__contains=q) | Q(org__name__contains=q))
    order = ("next_due_on", "pk") if view in ("overdue", "negotiating") else (
        ("end_on", "pk") if view == "expiring" else ("-opened_on", "-pk"))
    page = keyset(qs.order_by(*order), request, "bargaining.contracts")  # the cursor is salted with the order
    in_force = ([("视图", VIEWS[view][0])] if view != "all" else []) + (
        [("类型", ContractType(f["type"]).label)] if f.get("type") in ContractType.values else []) + (
        [("单位编码(含下级)", f["org"])] if f.get("org") else []) + ([("查找", q)] if q else [])
    return render(request, "bargaining/index.html", {
        "page": page, "view": view, "in_force": in_force, "views": [(k, v[0]) for k, v in VIEWS.items()], "filters": f,
        "types": ContractType.choices, "today": today, "can_change": scope.has_perm(request.user, CHANGE),
    })


# --- opening a negotiation --------------------------------------------------------------------------

def _bargaining_orgs(request):
    return scope.visible(Org.objects.filter(org_type__in=(*GRASSROOTS_TYPES, *FEDERATION_TYPES)), request.user,
                         CHANGE).exclude(status=OrgStatus.DISSOLVED).order_by("path")


@requires(CHANGE)
def create(request):
    """Pick the union (or federation, for a regional contract), then the type and the employers."""
    org_pk = id_param(request.GET, "org") or id_param(request.POST, "org")
    if not org_pk:
        # The union is picked by code (core.pickers), not from a drop-down: a county has thousands
        # of unions and a capped list left most townships out (issue 15).
        pick = forms.PickOrgForm(request.GET if "code" in request.GET else None)
        if pick.is_bound and pick.is_valid():
            org = _bargaining_orgs(request).filter(code=pick.cleaned_data["code"].strip()).first()
            if org is not None:
                return redirect(f"{reverse('bargaining:create')}?org={org.pk}")
            pick.add_error("code", f"未找到代码为“{pick.cleaned_data['code']}”的工会，"
                                   "或它不能主持协商、不在您的管理范围内。")
        return render(request, "bargaining/pick_org.html", {"form": pick})
    org = scope.get_visible_or_404(Org.objects.all(), request.user, CHANGE, pk=org_pk)
    today = clock.today()
    employers = services.allowed_employers(org, today).order_by("name")
    form = forms.OpenForm(request.POST or None, employers=employers, initial={"opened_on": today})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            contract = services.contract_open(actor=request.user, org=org, contract_type=d["contract_type"],
                                              scope_kind=d["scope_kind"], title=d["title"],
                                              opened_on=d["opened_on"], employers=list(d["employers"]))
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已启动“{contract.title}”，请登记双方协商代表。")
            return redirect("bargaining:detail", pk=contract.pk)
    return render(request, "bargaining/create.html", {"org": org, "form": form})


# --- the contract page and its steps ------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    label: str
    form: type
    perform: Callable
    target: str | None = None  # the status it moves to (None: an entry that keeps the status)
    when: Callable[[Contract], bool] = lambda c: True
    initial: Callable[[Contract], dict] = lambda c: {}
    # Narrows the form to the contract and the user (e.g. the sessions a vote can be recorded at).
    setup: Callable = lambda form, c, user: None


def _vote_sessions(form, c: Contract, user) -> None:
    sessions = sessions_for_employers(c.parties.values_list("employer_id", flat=True))
    form.fields["session"].queryset = scope.visible(sessions, user, "democracy.change")
    form.fields["session"].label_from_instance = lambda s: f"{s.congress.name} {s}"


def _terms_initial(c: Contract) -> dict:
    return {k: getattr(c, k) for k in services.TERM_FIELDS}


OPEN = (Status.PUBLISHED, Status.TERMINATED, Status.ABANDONED)
STEPS: dict[str, Step] = {
    "rep": Step("登记协商代表", forms.RepForm,
                lambda u, c, d: services.representative_add(actor=u, contract=c, **d),
                when=lambda c: c.status not in OPEN),
    "offer": Step("发出要约", forms.OfferForm,
                  lambda u, c, d: services.contract_offer(actor=u, contract=c, **d), Status.OFFERED),
    "reply": Step("记录对方回应", forms.ReplyForm,
                  lambda u, c, d: services.contract_reply(actor=u, contract=c, **d), Status.PREPARING),
    "prepare": Step("记录协商准备", forms.PrepareForm,
                    lambda u, c, d: services.contract_prepare(actor=u, contract=c, **d),
                    when=lambda c: c.status in (Status.PREPARING, Status.NEGOTIATING, Status.SUSPENDED),
                    initial=lambda c: {"recorder": c.recorder, "topics": c.prep_topics or c.offer_topics}),
    "meeting": Step("记录协商会议", forms.MeetingForm,
                    lambda u, c, d: services.meeting_add(actor=u, contract=c, **d),
                    when=lambda c: c.status in (Status.PREPARING, Status.NEGOTIATING, Status.SUSPENDED)),
    "vote": Step("记录职代会审议", forms.VoteForm,
                 lambda u, c, d: services.vote_record(actor=u, contract=c, **d), Status.PASSED,
                 setup=_vote_sessions),
    "sign": Step("签字", forms.SignForm, lambda u, c, d: services.contract_sign(actor=u, contract=c, **d), Status.SIGNED),
    "file": Step("报送人社部门审查", forms.FileForm,
                 lambda u, c, d: services.contract_file(actor=u, contract=c, **d), Status.FILED),
    "object": Step("审查机关提出异议", forms.ObjectForm,
                   lambda u, c, d: services.contract_object(actor=u, contract=c, **d), Status.NEGOTIATING,
                   when=lambda c: c.status == Status.FILED),
    "approve": Step("审查机关确认生效", forms.ApproveForm,
                    lambda u, c, d: services.contract_approve(actor=u, contract=c, **d), Status.EFFECTIVE),
    "publish": Step("向职工公布", forms.PublishForm,
                    lambda u, c, d: services.contract_publish(actor=u, contract=c, **d), Status.PUBLISHED),
    "terms": Step("填写主要条款", forms.TermsForm,
                  lambda u, c, d: services.contract_update_terms(actor=u, contract=c, **d),
                  when=lambda c: c.status not in (Status.TERMINATED, Status.ABANDONED), initial=_terms_initial),
    "inspect": Step("履约检查", forms.InspectForm,
                    lambda u, c, d: services.inspection_record(actor=u, contract=c, **d),
                    when=lambda c: c.effective_on is not None and c.status in (
                        Status.FILED, Status.EFFECTIVE, Status.PUBLISHED)),
    "attach": Step("上传签字文本扫描件", forms.AttachForm,
                   lambda u, c, d: services.contract_attach(actor=u, contract=c, **d),
                   when=lambda c: c.signed_on is not None),
    "renew": Step("启动续订协商", forms.RenewForm,
                  lambda u, c, d: services.contract_renew(actor=u, contract=c, **d),
                  when=lambda c: c.status in (Status.FILED, Status.EFFECTIVE, Status.PUBLISHED, Status.TERMINATED)
                  and not c.renewals.exclude(status=Status.ABANDONED).exists()),
    "terminate": Step("终止合同", forms.TerminateForm,
                      lambda u, c, d: services.contract_terminate(actor=u, contract=c, **d), Status.TERMINATED),
    "abandon": Step("终止协商", forms.AbandonForm,
                    lambda u, c, d: services.contract_abandon(actor=u, contract=c, **d), Status.ABANDONED),
}


def available_steps(c: Contract) -> list[str]:
    return [name for name, st in STEPS.items()
            if (st.target is None or FLOW.can(c.status, st.target)) and st.when(c)]


def _detail(request, c: Contract, bound: tuple[str, object] | None = None, status=200):
    can_change = scope.has_perm(request.user, CHANGE, c.org.path)
    panels = []
    if can_change:
        today = clock.today()
        names = available_steps(c)
        if bound and bound[0] not in names:
            names.insert(0, bound[0])  # a refused step that is no longer offered: show why
        for name in names:
            st = STEPS[name]
            if bound and bound[0] == name:
                form = bound[1]
            else:
                form = st.form(initial={**{f: today for f, fld in st.form.base_fields.items()
                                           if isinstance(fld, DateField) and fld.required},
                                        **st.initial(c)}, prefix=name)
                st.setup(form, c, request.user)
            panels.append((name, st.label, form))
    reps, meetings = list(c.representatives.all()), list(c.meetings.all())
    context = {
        "c": c, "today": clock.today(), "can_change": can_change, "panels": panels,
        "open_panel": bound[0] if bound else "",
        "reps": reps, "problems": services.representative_problems(c, reps),
        "parties": list(c.parties.select_related("employer")),
        "meetings": meetings, "votes": list(c.votes.select_related("session__congress")),
        "inspections": list(c.inspections.all()), "events": list(c.events.all()),
        "renewals": list(c.renewals.all()), "steps": _stepper(c, len(reps), len(meetings)),
    }
    return render(request, "bargaining/detail.html", context, status=status)


def _stepper(c: Contract, reps: int, meetings: int) -> list[dict]:
    """The six steps with what was done and what is due, for the page's header."""
    return [
        {"n": 1, "label": "产生代表", "done": c.offered_on is not None, "text": f"{reps} 名代表"},
        {"n": 2, "label": "实施要约", "done": bool(c.reply_accepted), "date": c.offered_on,
         "due": c.reply_due_on if c.status == Status.OFFERED else None,
         "text": ("对方已同意" if c.reply_accepted else "对方拒绝" if c.reply_accepted is False else "")},
        {"n": 3, "label": "协商准备", "done": c.prepared_on is not None, "date": c.prepared_on,
         "due": c.next_due_on if c.status == Status.PREPARING else None},
        {"n": 4, "label": "正式协商", "done": c.draft_agreed_on is not None, "date": c.draft_agreed_on,
         "due": c.next_due_on if c.status in (Status.NEGOTIATING, Status.SUSPENDED) else None,
         "text": f"{meetings} 次会议"},
        {"n": 5, "label": "审议签字", "done": c.signed_on is not None, "date": c.signed_on,
         "due": c.vote_due_on if c.status == Status.VOTING else None},
        {"n": 6, "label": "送审公布", "done": c.published_on is not None, "date": c.published_on,
         "due": c.next_due_on if c.status in (Status.SIGNED, Status.FILED, Status.EFFECTIVE) else None},
    ]


@requires(VIEW)
def detail(request, pk):
    return _detail(request, _contract(request, pk))


@requires(CHANGE)
@require_POST
def step(request, pk, name):
    c = _contract(request, pk, CHANGE)
    st = STEPS.get(name)
    if st is None:
        raise Http404("没有这个步骤。")
    form = st.form(request.POST, request.FILES, prefix=name)
    st.setup(form, c, request.user)
    if form.is_valid():
        try:
            result = st.perform(request.user, c, dict(form.cleaned_data))
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已{st.label}。")
            target = result if isinstance(result, Contract) and result.pk != c.pk else c
            return redirect("bargaining:detail", pk=target.pk)
    c.refresh_from_db()
    return _detail(request, c, bound=(name, form), status=422)


@requires(CHANGE)
@require_POST
def rep_remove(request, pk):
    rep = scope.get_visible_or_404(Representative.objects.select_related("contract__org"), request.user, CHANGE,
                                   "contract__org__path", pk=pk)
    try:
        services.representative_remove(actor=request.user, rep=rep)
    except ServiceError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, f"已删除代表 {rep.name}。")
    return redirect("bargaining:detail", pk=rep.contract_id)


@requires(VIEW)
def attachment(request, pk):
    c = _contract(request, pk)
    if not c.attachment:
        raise Http404("没有上传扫描件。")
    return FileResponse(c.attachment.open("rb"), as_attachment=True,
                        filename=f"{c.title}{c.attachment.name[c.attachment.name.rfind('.'):]}")
