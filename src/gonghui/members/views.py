"""Roster pages: thin views over members.selectors and members.services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import pickers, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset, keyset_part, part
from gonghui.core.views_base import requires
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import employers_for, path_labels, picked

from . import forms, selectors, services
from .models import Membership, MemberStatus, Transfer


def _membership(request, pk, perm="members.view"):
    qs = Membership.objects.select_related("person", "union", "person__employer")
    return scope.get_visible_or_404(qs, request.user, perm, pk=pk)


def _union(user, code, perm, form, field):
    return picked(user, code, perm, form, field, "工会")


@requires("members.view")
def roster(request):
    form = forms.RosterFilterForm(request.GET or None)
    filters, org = {}, None
    if form.is_bound:
        form.is_valid()  # keep the valid filters, show the errors of the others
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        code = filters.pop("org", "")
        if code:
            org = scope.visible(Org.objects.filter(code=code), request.user, "members.view").first()
            if org is None:
                form.add_error("org", f"未找到编码为“{code}”的单位，或不在您的查看范围内。")
    # Keyset pages in the selector's order (name, then id): page 2,000 costs what page 1 costs.
    page = keyset(selectors.roster(request.user, org=org, **filters), request, "members.roster")
    return render(request, "members/roster.html", {
        "form": form, "page": page,
        "can_change": scope.has_perm(request.user, "members.change"),
        "can_import": scope.has_perm(request.user, "members.import"),
        "can_export": scope.has_perm(request.user, "members.export"),
        "pending": selectors.transfers_to_decide(request.user).count()
        if scope.has_perm(request.user, "members.change") else 0,
    })


@requires("members.view")
def detail(request, pk):
    m = _membership(request, pk)
    person = m.person
    history = person.memberships.select_related("union").order_by("-started_on")
    return render(request, "members/detail.html", {
        "m": m, "person": person, "history": history,
        "events": part(person.events.select_related("union").all(), request, "timeline"),
        "periods": m.periods.order_by("-valid_from"),
        "can_change": m.is_current and scope.has_perm(request.user, "members.change", m.union.path),
        "can_reveal": scope.has_perm(request.user, "members.view_sensitive", m.union.path),
        "pending": m.transfers.filter(status=Transfer.Status.PENDING).select_related("to_union").first(),
        "reveal_form": forms.RevealForm(),
    })


@requires("members.view_sensitive")
@require_POST
def reveal(request, pk):
    """Show the full ID number and phone once, for a stated reason; the access is logged."""
    m = _membership(request, pk, "members.view_sensitive")
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "查看完整信息须填写事由。")
        return redirect("members:detail", pk=m.pk)
    shown = services.person_reveal(user=request.user, person=m.person, reason=form.cleaned_data["reason"])
    return render(request, "members/_revealed.html", {"shown": shown, "m": m})


def _person_kwargs(d: dict) -> dict:
    return {f: d[f] for f in services.PERSON_FIELDS if f in d and f != "employer"}


@requires("members.change")
def join(request):
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        union = _union(request.user, d["union_code"], "members.change", form, "union_code")
        employer = None
        if d["employer_uscc"]:
            uscc = d["employer_uscc"].strip().upper()
            # Another area's employer reads as unregistered (issue 12).
            employer = employers_for(request.user, services.EMPLOYER_PERM).filter(uscc=uscc).first()
            if employer is None:
                form.add_error("employer_uscc", services.EMPLOYER_UNKNOWN.format(uscc))
        if union is not None and not form.errors:
            try:
                m = services.member_join(actor=request.user, union=union, id_number=d["id_number"],
                                         joined_on=d["joined_on"], card_no=d["card_no"], gender=d["gender"],
                                         employer=employer, **_person_kwargs(d))
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"{m.person.name} 已入会。")
                return redirect("members:detail", pk=m.pk)
    return render(request, "members/form.html", {"form": form, "title": "登记入会",
                                                 "note": "已在其他工会入会的人员不能在此登记，"
                                                         "请在“转会”页面按公民身份号码申请转入。"})


@requires("members.change")
def edit(request, pk):
    m = _membership(request, pk, "members.change")
    p = m.person
    initial = {f: getattr(p, f) for f in services.PERSON_FIELDS if f not in ("phone", "employer")}
    form = forms.EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _person_kwargs(form.cleaned_data)
        if not fields.get("phone"):
            fields.pop("phone", None)  # blank keeps the stored (masked) phone
        try:
            services.person_update(actor=request.user, person=p, **fields)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已保存。")
            return redirect("members:detail", pk=m.pk)
    return render(request, "members/form.html", {"form": form, "title": f"修改会员信息：{p.name}", "m": m,
                                                 "note": f"手机号码现为 {p.phone_masked or '（空）'}；留空则不修改。"})


def _status_action(request, pk, form_class, perform, title, done):
    m = _membership(request, pk, "members.change")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(m, form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, done(result) if callable(done) else done)
            target = result.pk if isinstance(result, Membership) else m.pk
            return redirect("members:detail", pk=target)
    return render(request, "members/form.html", {"form": form, "title": f"{title}：{m.person.name}", "m": m})


@requires("members.change")
def transfer(request, pk):
    def perform(m, d):
        union = scope.visible(Org.objects.filter(code=d["to_union_code"].strip()), request.user, "members.view")
        union = union.first() or Org.objects.filter(code=d["to_union_code"].strip()).first()
        if union is None:
            raise ServiceError(f"未找到代码为“{d['to_union_code']}”的工会。", field="to_union_code")
        return services.member_transfer(actor=request.user, membership=m, to_union=union,
                                        effective_on=d["effective_on"], reason=d["reason"])

    def done(result):
        if isinstance(result, Transfer):
            return f"已提交转会，等待“{result.to_union.name}”接收。"
        return f"已转入“{result.union.name}”。"

    return _status_action(request, pk, forms.TransferForm, perform, "转会", done)


@requires("members.change")
def retain(request, pk):
    return _status_action(request, pk, forms.StatusForm,
                          lambda m, d: services.member_retain(actor=request.user, membership=m, **d),
                          "保留会籍", "已保留会籍。")


@requires("members.change")
def restore(request, pk):
    return _status_action(request, pk, forms.StatusForm,
                          lambda m, d: services.member_restore(actor=request.user, membership=m, **d),
                          "恢复会籍", "已恢复会籍。")


@requires("members.change")
def leave(request, pk):
    return _status_action(request, pk, forms.LeaveForm,
                          lambda m, d: services.member_leave(actor=request.user, membership=m, **d),
                          "终止会籍", lambda m: f"已办理{MemberStatus(m.status).label}。")


@requires("members.change")
def transfers(request):
    """Transfers waiting for a union in the user's scope to decide them, and (POST) a transfer
    asked for by ID number (转入申请) with the requests sent from the user's scope."""
    request_form = forms.TransferRequestForm(request.POST or None)
    if request.method == "POST" and request_form.is_valid():
        d = request_form.cleaned_data
        union = _union(request.user, d["union_code"], "members.change", request_form, "union_code")
        if union is not None:
            try:
                result = services.transfer_request_in(actor=request.user, to_union=union, id_number=d["id_number"],
                                                      effective_on=d["effective_on"], reason=d["reason"])
            except ServiceError as err:
                request_form.add_service_error(err)
            else:
                if isinstance(result, Membership):
                    messages.success(request, f"已转入“{result.union.name}”。")
                    return redirect("members:detail", pk=result.pk)
                messages.success(request, "已提交转入申请，等待此人所在工会办理。")
                return redirect("members:transfers")
    qs = selectors.transfers_to_decide(request.user)
    qs = qs.select_related("membership__person", "membership__union", "to_union").order_by("requested_on", "pk")
    sent = keyset_part(selectors.transfers_requested_in(request.user).select_related("membership__person", "to_union")
                       .order_by("-requested_on", "-pk"), request, "members.transfers_sent", "sent")
    return render(request, "members/transfers.html", {"page": keyset(qs, request, "members.transfers"),
                                                      "form": forms.DecideForm(),
                                                      "request_form": request_form, "sent": sent})


@requires("members.change")
@require_POST
def transfer_decide(request, pk):
    # Scoped on the deciding union: the receiver of a FROM transfer, the holder of a TO one.
    t = (Transfer.objects.filter(selectors.transfer_decider_q(request.user), pk=pk)
         .select_related("membership__person", "membership__union", "to_union").first())
    if t is None:
        raise Http404("未找到该记录，或您无权查看。")
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择接收或退回。")
        return redirect("members:transfers")
    try:
        if form.cleaned_data["decision"] == "accept":
            new = services.transfer_accept(actor=request.user, transfer=t, note=form.cleaned_data["note"])
            if t.initiator == Transfer.Initiator.TO:
                messages.success(request, f"已同意 {new.person.name} 转出到“{new.union.name}”。")
            else:
                messages.success(request, f"已接收 {new.person.name}。")
        else:
            services.transfer_reject(actor=request.user, transfer=t, note=form.cleaned_data["note"])
            messages.success(request, "已退回。")
    except ServiceError as err:
        messages.error(request, err.messages[0])
    return redirect("members:transfers")


@requires("members.view")
def pick_people(request):
    """Suggestions for the roster's search: current members in scope by name, pinyin, card number
    or ID number, shown with the masked ID number only (the full one is never sent). Picking one
    puts the card number into the input (the search finds exactly him), or the name without one."""
    text = pickers.query_text(request)
    rows, more = [], False
    if text:
        # The roster's own search (selectors.search_q), so the picker and the list agree; it
        # walks the name index in order and stops at the first rows (tested on a city: issue 14).
        rows, more = pickers.bounded(list(selectors.roster(request.user, q=text)[: pickers.LIMIT + 1]))
    paths = path_labels(list({m.union.path for m in rows}))
    options = [pickers.Option(value=m.card_no or m.person.name, label=m.person.name, detail=m.person.id_masked,
                              path=paths[m.union.path]) for m in rows]
    return pickers.picker_options(request, options, more, text)
