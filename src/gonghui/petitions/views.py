"""Petition pages: thin views over selectors and services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.forms import Form
from gonghui.core.paging import keyset, part
from gonghui.core.views_base import requires
from gonghui.orgs.models import Employer, Org
from gonghui.orgs.selectors import picked, roots_for

from . import forms, selectors, services
from .models import Absence, Attachment, Extension, Petition, Status


def _petition(request, pk, perm="petitions.view"):
    """Reading also covers cases a union in the user's scope reported up; changing does not."""
    qs = Petition.objects.select_related("org", "forwarded_from", "reported_from", "handler_a", "handler_b",
                                         "employer")
    if perm == "petitions.view":
        p = qs.filter(services.visible_q(request.user), pk=pk).first()
        if p is None:
            raise Http404("未找到该记录，或您无权查看。")
        return p
    return scope.get_visible_or_404(qs, request.user, perm, pk=pk)




def _handling_org(request, initial_code: str):
    """The union whose handlers a form offers: the one typed (on a POST) or proposed, if the user
    may register there, else the first node of his scope. A refused choice is re-offered from it."""
    code = (request.POST.get("org_code", initial_code) if request.method == "POST" else initial_code) or ""
    org = scope.visible(Org.objects.filter(code=code.strip()), request.user, "petitions.change", "path").first()
    return org or roots_for(request.user, "petitions.change").first()


def _user(pk):
    return get_user_model().objects.filter(pk=pk).first() if pk else None


def _employer(user, name: str):
    """Link the case to a registered employer of that name in the user's scope, if any."""
    name = (name or "").strip()
    if not name:
        return None
    return scope.visible(Employer.objects.filter(name=name), user, "petitions.view", "org__path").first()


@requires("petitions.view")
def index(request):
    form = forms.FilterForm(request.GET or None)
    filters, org = {}, None
    if form.is_bound:
        form.is_valid()  # keep the valid filters, show the errors of the others
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
        code = filters.pop("org", "")
        if code:
            org = picked(request.user, code, "petitions.view", form, "org")
    page = keyset(selectors.petitions(request.user, org=org, today=clock.today(), **filters), request,
                  "petitions.cases")
    return render(request, "petitions/index.html", {
        "form": form, "page": page, "today": clock.today(),
        "can_change": scope.has_perm(request.user, "petitions.change"),
        "pending_extensions": selectors.pending_extensions(request.user).count()
        if scope.has_perm(request.user, "petitions.approve") else 0,
    })


@requires("petitions.change")
def register(request):
    home = getattr(request.user, "home_org", None)
    initial = {"received_on": clock.today(), "org_code": home.code if home else ""}
    form = forms.RegisterForm(request.POST or None, initial=initial, user=request.user,
                              org=_handling_org(request, initial["org_code"]))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = picked(request.user, d["org_code"], "petitions.change", form, "org_code")
        reported_from = None
        if d["reported_from_code"]:
            reported_from = picked(request.user, d["reported_from_code"], "petitions.view", form,
                                 "reported_from_code", "上报单位")
        if org is not None and not form.errors:
            try:
                p = services.petition_register(
                    actor=request.user, org=org, channel=d["channel"], received_on=d["received_on"],
                    kind=d["kind"], category=d["category"], title=d["title"], content=d["content"],
                    source_org_name=d["source_org_name"], source_ref=d["source_ref"], required_by=d["required_by"],
                    reported_from=reported_from, petitioners=form.petitioners(), people_count=d["people_count"],
                    employer=_employer(request.user, d["employer_name"]), employer_name=d["employer_name"],
                    amount_claimed=d["amount_claimed"] or 0, is_urgent=d["is_urgent"],
                    handler_a=_user(d["handler_a"]), handler_b=_user(d["handler_b"]),
                )
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已登记信访案件 {p.number}，受理告知期限 {p.notice_due}。")
                return redirect("petitions:detail", pk=p.pk)
    return render(request, "petitions/form.html", {"form": form, "title": "登记信访案件"})


@requires("petitions.view")
def detail(request, pk):
    return _detail_page(request, _petition(request, pk))


def _detail_page(request, p, attachment_form=None):
    """The case page; `attachment_form` is a refused upload shown again with its error."""
    today = clock.today()
    path = p.org.path
    can_change = scope.has_perm(request.user, "petitions.change", path)
    return render(request, "petitions/detail.html", {
        "p": p, "today": today, "petitioners": p.petitioners.all(), "events": part(p.events.select_related("org"), request, "timeline"),
        "extensions": p.extensions.select_related("requested_by", "decided_by"),
        "effective_handler": services.effective_handler(p, today),
        "actions": [(k, a.label) for k, a in ACTIONS.items() if can_change and a.shown(p)],
        "can_reveal": scope.has_perm(request.user, "petitions.view_sensitive", path),
        "can_approve": scope.has_perm(request.user, "petitions.approve", path),
        "reveal_form": forms.RevealForm(), "attachments": p.attachments.all(),
        "attachment_form": attachment_form or AttachmentForm(),
    })


@requires("petitions.view_sensitive")
@require_POST
def reveal(request, pk):
    """Show the petitioners in full once, for a stated reason; the access is logged."""
    p = _petition(request, pk, "petitions.view_sensitive")
    form = forms.RevealForm(request.POST)
    if not form.is_valid():  # answered in place, where the htmx form shows the result
        return render(request, "petitions/_revealed.html", {"error": "查看完整信息须填写查看事由。"})
    shown = services.petition_reveal(user=request.user, petition=p, reason=form.cleaned_data["reason"])
    return render(request, "petitions/_revealed.html", {"shown": shown, "p": p})


class AttachmentForm(Form):
    file = djforms.FileField(label="附件", help_text="PDF、图片、Word、Excel 或文本，最大 10 MB。")


@requires("petitions.change")
@require_POST
def attachment_upload(request, pk):
    p = _petition(request, pk, "petitions.change")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["file"]
        try:
            if f.size > services.ATTACHMENT_MAX_BYTES:  # before reading it into memory
                raise ServiceError("附件不能超过 10 MB。", field="file")
            services.attachment_add(actor=request.user, petition=p, name=f.name, content=f.read())
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已上传附件“{f.name}”。")
            return redirect("petitions:detail", pk=p.pk)
    return _detail_page(request, p, attachment_form=form)


@requires("petitions.view_sensitive")
def attachment_download(request, pk):
    qs = Attachment.objects.select_related("petition", "petition__org")
    a = scope.get_visible_or_404(qs, request.user, "petitions.view_sensitive", "petition__org__path", pk=pk)
    return FileResponse(services.attachment_open(user=request.user, attachment=a), as_attachment=True,
                        filename=a.name)


# --- one page per step of the workflow ---------------------------------------------------------

@dataclass(frozen=True)
class Action:
    label: str
    form: Any
    run: Any  # (request, petition, cleaned_data, form) -> message, or None when the form got an error
    shown: Any = lambda p: True
    dates: tuple = ()
    needs_user: bool = False


def _forward(request, p, d, form):
    to_org = picked(request.user, d["to_code"], "petitions.change", form, "to_code", "下级单位")
    if to_org is None:
        return None
    services.petition_forward(actor=request.user, petition=p, to_org=to_org, on=d["on"], note=d["note"])
    return f"已转办至“{to_org.name}”。"


def _edit(request, p, d, form):
    services.petition_update(actor=request.user, petition=p, **{**d, "amount_claimed": d["amount_claimed"] or 0})
    return "已修改登记信息。"


def _assign(request, p, d, form):
    services.petition_assign(actor=request.user, petition=p, handler_a=_user(d["handler_a"]),
                             handler_b=_user(d["handler_b"]))
    return "已指定承办人。"


def _s(fn, msg, **names):
    """Call a service with the form's fields renamed to the service's keywords."""

    def run(request, p, d, form):
        fn(actor=request.user, petition=p, **{names.get(k, k): v for k, v in d.items()})
        return msg

    return run


OPEN_WORK = (Status.ACCEPTED, Status.HANDLING)
ACTIONS: dict[str, Action] = {
    "edit": Action("修改登记信息", forms.EditForm, _edit, lambda p: p.status != Status.FINAL),
    "assign": Action("指定承办人", forms.AssignForm, _assign,
                     lambda p: p.status not in (Status.FINAL, Status.REJECTED), needs_user=True),
    "accept": Action("受理并告知", forms.AcceptForm, _s(services.petition_accept, "已受理。"),
                     lambda p: p.status == Status.REGISTERED, ("notice_on",)),
    "reject": Action("不予受理", forms.RejectForm, _s(services.petition_reject, "已登记不予受理。"),
                     lambda p: p.status == Status.REGISTERED, ("notice_on",)),
    "forward": Action("转办下级", forms.ForwardForm, _forward, lambda p: p.status == Status.REGISTERED, ("on",)),
    "report": Action("上报上级", forms.DateNoteForm, _s(services.petition_report_up, "已上报上级工会。"),
                     lambda p: p.status == Status.REGISTERED and p.org.depth > 1, ("on",)),
    "object": Action("异议退回", forms.ReasonForm, _s(services.petition_object, "已退回转办单位。"),
                     lambda p: p.status == Status.REGISTERED and p.forwarded_from_id is not None, ("on",)),
    "progress": Action("登记办理情况", forms.ProgressForm, _s(services.petition_progress, "已登记办理情况。"),
                       lambda p: p.status in OPEN_WORK, ("on",)),
    "extend": Action("申请延期", forms.ExtensionForm, _s(services.extension_request, "已提交延期申请，等待审批。"),
                     lambda p: p.status in OPEN_WORK and not p.extended
                     and not p.extensions.filter(state=Extension.State.PENDING).exists(), ("requested_on",)),
    "reply": Action("答复", forms.ReplyForm, _s(services.petition_reply, "已登记答复。"),
                    lambda p: p.status in OPEN_WORK, ("replied_on",)),
    "close": Action("办结", forms.CloseForm, _s(services.petition_close, "案件已办结。"),
                    lambda p: p.status == Status.REPLIED, ("closed_on",)),
    "review": Action("申请复查/复核", forms.ReviewRequestForm,
                     _s(services.petition_review_request, "已登记复查（复核）申请。"),
                     lambda p: p.status == Status.CLOSED, ("requested_on",)),
    "review_reply": Action("复查/复核答复", forms.ReviewReplyForm,
                           _s(services.petition_review_reply, "已登记复查（复核）答复。"),
                           lambda p: p.status in (Status.REVIEW, Status.RECHECK), ("replied_on",)),
    "reopen": Action("重新办理", forms.ReasonForm, _s(services.petition_reopen, "案件已重新办理。"),
                     lambda p: p.status in (Status.CLOSED, Status.REJECTED), ("on",)),
}


@requires("petitions.change")
def act(request, pk, action):
    p = _petition(request, pk, "petitions.change")
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这项操作。")
    kwargs = {"user": request.user, "org": p.org} if spec.needs_user else {}
    initial = {f: clock.today() for f in spec.dates}
    if action == "assign":
        initial.update(handler_a=p.handler_a_id, handler_b=p.handler_b_id)
    elif action == "edit":
        initial.update({f: getattr(p, f) for f in services.EDITABLE})
    form = spec.form(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            msg = spec.run(request, p, form.cleaned_data, form)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            if msg:
                messages.success(request, msg)
                return redirect("petitions:detail", pk=p.pk)
    return render(request, "petitions/form.html", {"form": form, "title": f"{spec.label}：{p.number}", "p": p})


@requires("petitions.approve")
def extension_decide(request, pk):
    qs = Extension.objects.select_related("petition", "petition__org", "requested_by")
    ext = scope.get_visible_or_404(qs, request.user, "petitions.approve", "petition__org__path", pk=pk)
    if ext.requested_by_id == request.user.pk:  # the page offers no 审批 link for one's own request
        raise PermissionDenied("不能审批本人提出的延期申请，须由他人审批。")
    form = forms.DecideForm(request.POST or None, initial={"decided_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.extension_decide(actor=request.user, extension=ext, approve=d["approve"],
                                      decided_on=d["decided_on"], note=d["note"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已审批延期申请。")
            return redirect("petitions:detail", pk=ext.petition_id)
    return render(request, "petitions/form.html", {
        "form": form, "p": ext.petition, "title": f"审批延期：{ext.petition.number}",
        "note": f"申请人 {ext.requested_by or '—'}，{ext.requested_on}：{ext.reason}",
    })


@requires("petitions.approve")
def extensions(request):
    return render(request, "petitions/extensions.html",
                  {"items": part(selectors.pending_extensions(request.user).order_by("requested_on", "pk"), request,
                                 "items", bounded=True)})


@requires("petitions.change")
def absences(request):
    home = getattr(request.user, "home_org", None)
    form = forms.AbsenceForm(request.POST or None, user=request.user,
                             org=_handling_org(request, home.code if home else ""),
                             initial={"org_code": home.code if home else "", "starts_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = picked(request.user, d["org_code"], "petitions.change", form, "org_code")
        user = _user(d["user"])
        if org is not None and not form.errors:
            try:
                services.absence_mark(actor=request.user, user=user, org=org, starts_on=d["starts_on"],
                                      ends_on=d["ends_on"], reason=d["reason"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已登记；其间其A角案件由B角接办。")
                return redirect("petitions:absences")
    items = scope.visible(Absence.objects.select_related("user", "org"), request.user, "petitions.view")
    return render(request, "petitions/absences.html", {
        "form": form, "items": part(items.filter(ends_on__gte=clock.today()).order_by("starts_on", "pk"), request,
                                    "items", bounded=True)})
