"""劳动争议调解 pages: list, application, sessions, result."""

from __future__ import annotations

from django import forms as djforms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.forms import Form
from gonghui.core.paging import keyset
from gonghui.core.views_base import requires
from gonghui.orgs.selectors import picked

from . import forms, selectors, services
from .models import Mediation
from .views import _employer


class MediationFilter(Form):
    state = djforms.ChoiceField(label="状态", choices=[("", "全部"), *Mediation.State.choices], required=False)
    org = djforms.CharField(label="单位编码", required=False)
    overdue = djforms.BooleanField(label="仅超过15日未结", required=False)


def _mediation(request, pk, perm="petitions.view"):
    return scope.get_visible_or_404(Mediation.objects.select_related("org", "employer"), request.user, perm, pk=pk)


@requires("petitions.view")
def mediation_list(request):
    form = MediationFilter(request.GET or None)
    filters, org = {}, None
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
        code = filters.pop("org", "")
        if code:
            org = picked(request.user, code, "petitions.view", form, "org")
    today = clock.today()
    page = keyset(selectors.mediations(request.user, org=org, today=today, **filters), request, "petitions.mediations")
    return render(request, "petitions/mediation_list.html", {
        "form": form, "page": page, "today": today, "can_change": scope.has_perm(request.user, "petitions.change")})


@requires("petitions.change")
def mediation_new(request):
    home = getattr(request.user, "home_org", None)
    form = forms.MediationForm(request.POST or None,
                               initial={"applied_on": clock.today(), "org_code": home.code if home else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = picked(request.user, d["org_code"], "petitions.change", form, "org_code")
        if org is not None and not form.errors:
            try:
                m = services.mediation_register(
                    actor=request.user, org=org, body=d["body"], mode=d["mode"], applied_on=d["applied_on"],
                    applicant_name=d["applicant_name"], applicant_gender=d["applicant_gender"],
                    applicant_phone=d["applicant_phone"], worker_count=d["worker_count"],
                    employer=_employer(request.user, d["employer_name"]), employer_name=d["employer_name"],
                    dispute_type=d["dispute_type"], matter=d["matter"], amount_claimed=d["amount_claimed"] or 0,
                    mediator=d["mediator"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已受理调解申请 {m.number}，调解期限 {m.due_on}。")
                return redirect("petitions:mediation_detail", pk=m.pk)
    return render(request, "petitions/form.html", {"form": form, "title": "受理劳动争议调解申请", "mediation": True})


@requires("petitions.view")
def mediation_detail(request, pk):
    m = _mediation(request, pk)
    can_change = m.state == Mediation.State.OPEN and scope.has_perm(request.user, "petitions.change", m.org.path)
    return render(request, "petitions/mediation_detail.html", {
        "m": m, "today": clock.today(), "sessions": m.sessions.all(), "can_change": can_change,
        "can_reveal": scope.has_perm(request.user, "petitions.view_sensitive", m.org.path),
        "reveal_form": forms.RevealForm(),
    })


@requires("petitions.change")
def mediation_act(request, pk, action):
    m = _mediation(request, pk, "petitions.change")
    if action == "session":
        form, title = forms.SessionForm(request.POST or None, initial={"held_on": clock.today()}), "登记调解记录"
    elif action == "close":
        form, title = forms.MediationCloseForm(request.POST or None, initial={"closed_on": clock.today()}), "调解结案"
    else:
        from django.http import Http404

        raise Http404("没有这项操作。")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if action == "session":
                services.mediation_session_add(actor=request.user, mediation=m, **d)
            else:
                services.mediation_close(actor=request.user, mediation=m, state=d["state"], closed_on=d["closed_on"],
                                         agreement_terms=d["agreement_terms"], agreed_amount=d["agreed_amount"] or 0,
                                         performance_due=d["performance_due"], note=d["note"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已保存。")
            return redirect("petitions:mediation_detail", pk=m.pk)
    return render(request, "petitions/form.html", {"form": form, "title": f"{title}：{m.number}", "m": m})


@requires("petitions.view_sensitive")
@require_POST
def mediation_reveal(request, pk):
    m = _mediation(request, pk, "petitions.view_sensitive")
    form = forms.RevealForm(request.POST)
    if not form.is_valid():  # answered in place, where the htmx form shows the result
        return render(request, "petitions/_revealed.html", {"error": "查看完整信息须填写查看事由。"})
    shown = services.mediation_reveal(user=request.user, mediation=m, reason=form.cleaned_data["reason"])
    return render(request, "petitions/_revealed.html", {"shown": [shown], "m": m})
