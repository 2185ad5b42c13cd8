"""A 职工代表's 提案 online (file, follow, give feedback on the answer), and the clerk's page
linking a delegate to a member. Members who hold no delegate seat get 404 on every page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset
from gonghui.core.views_base import requires
from gonghui.democracy.models import Delegate, Status

from . import forms_member, services_member
from .auth import member_required
from .models_member import DelegateLink


def _seats_or_404(account):
    seats = services_member.own_delegates(account)
    if not seats:
        raise Http404("未找到该页面。")
    return seats


@member_required
def motions(request):
    account = request.member
    _seats_or_404(account)
    return render(request, "portal/motions.html", {
        "member": account, "proposals": services_member.own_proposals(account)[:50],
        "can_file": bool(services_member.filing_seats(account))})


@member_required
def motion_new(request):
    account = request.member
    _seats_or_404(account)
    seats = services_member.filing_seats(account)
    if not seats:
        raise Http404("没有正在履职的职代会代表资格。")
    form = forms_member.ProposalForm(request.POST or None, seats=seats)
    if request.method == "POST" and form.is_valid():
        seat = next((d for d in seats if d.pk == form.cleaned_data["seat"]), None)
        try:
            p = services_member.proposal_file(account=account, seat=seat, title=form.cleaned_data["title"],
                                              content=form.cleaned_data["content"],
                                              category=form.cleaned_data["category"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"提案已提交（编号 {p.number}），等待提案工作委员会审查。")
            return redirect("portal:motion_detail", p.pk)
    return render(request, "portal/motion_new.html", {"member": account, "form": form})


@member_required
def motion_detail(request, pk):
    account = request.member
    _seats_or_404(account)
    proposal = services_member.own_proposals(account).filter(pk=pk).first()
    if proposal is None:
        raise Http404("未找到该提案。")
    is_proposer = DelegateLink.objects.filter(delegate_id=proposal.proposer_id, person=account.person).exists()
    can_feedback = is_proposer and proposal.status == Status.ANSWERED
    form = forms_member.FeedbackForm(request.POST or None) if can_feedback else None
    if request.method == "POST":
        if form is None:
            raise Http404("该提案现在不能反馈。")
        if form.is_valid():
            try:
                services_member.proposal_feedback(account=account, proposal=proposal,
                                                  feedback=form.cleaned_data["feedback"], note=form.cleaned_data["note"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已提交您对答复的意见，感谢。")
                return redirect("portal:motion_detail", proposal.pk)
    return render(request, "portal/motion_detail.html", {
        "member": account, "p": proposal, "events": proposal.events.order_by("created_at", "pk"),
        "form": form, "is_proposer": is_proposer})


# --- staff: which member a delegate is ----------------------------------------------------------------

DELEGATES = Delegate.objects.select_related("term__congress__org", "portal_link__person")
PATH = "term__congress__org__path"


@requires("democracy.view")
def delegate_links(request):
    """Delegates of the terms running today in the user's scope, to link to members."""
    today = clock.today()
    qs = scope.visible(DELEGATES.filter(term__started_on__lte=today, term__ends_on__gte=today,
                                        term__congress__ended_on__isnull=True), request.user, "democracy.view", PATH)
    text = request.GET.get("q", "").strip()[:50]
    if text:
        qs = qs.filter(name__contains=text)
    page = keyset(qs.order_by("-pk"), request, "portal.delegates")
    return render(request, "portal/staff_delegates.html", {"page": page, "q": text})


@requires("democracy.view")
def delegate_link(request, pk):
    delegate = scope.get_visible_or_404(DELEGATES, request.user, "democracy.view", PATH, pk=pk)
    can_change = scope.has_perm(request.user, "democracy.change", delegate.term.congress.org.path)
    form = forms_member.DelegateLinkForm(request.POST or None)
    if request.method == "POST":
        scope.get_visible_or_404(Delegate.objects.all(), request.user, "democracy.change", PATH, pk=pk)
        if form.is_valid():
            try:
                services_member.delegate_link(actor=request.user, delegate=delegate,
                                              id_number=form.cleaned_data["id_number"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已关联，该会员可在会员服务的“我的提案”中提出和跟踪提案。")
                return redirect("portal:delegate_link", delegate.pk)
    return render(request, "portal/staff_delegate.html", {"d": delegate, "form": form, "can_change": can_change,
                                                          "link": getattr(delegate, "portal_link", None)})


@requires("democracy.change")
@require_POST
def delegate_unlink(request, pk):
    delegate = scope.get_visible_or_404(DELEGATES, request.user, "democracy.change", PATH, pk=pk)
    try:
        services_member.delegate_unlink(actor=request.user, delegate=delegate)
    except ServiceError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, "已取消关联。")
    return redirect("portal:delegate_link", delegate.pk)
