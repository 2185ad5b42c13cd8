"""Member portal pages (/m/): public joining and status, the member's own pages, and the staff side."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gonghui.accounts.throttle import client_ip
from gonghui.core import clock, crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset
from gonghui.core.pickers import Option, bounded, picker_options, query_text
from gonghui.core.views_base import public, requires
from gonghui.members.models import MemberEvent, Membership, Transfer
from gonghui.orgs.models import FEDERATION_TYPES, Employer, Org, OrgStatus

from . import auth, conf, forms, services, throttle
from .auth import member_required
from .models import (
    PRIVACY_VERSION,
    Application,
    ApplicationStatus,
    HelpRequest,
    HelpStatus,
    RightsRequest,
    RightsStatus,
)


def _form_error(form, err: ServiceError) -> None:
    form.add_service_error(err)


# --- public -------------------------------------------------------------------------------------

@public
def index(request):
    return render(request, "portal/index.html", {"member": auth.current(request)})


@public
def privacy(request):
    return render(request, "portal/privacy.html", {"version": PRIVACY_VERSION})


MIN_PICK = 2  # a public picker answers from two characters on: no listing of every employer


@public
def pick_employer(request):
    text = query_text(request)
    rows = []
    if len(text) >= MIN_PICK:
        code = text.upper().replace(" ", "")
        rows = list(Employer.objects.filter(closed_on__isnull=True).filter(Q(name__contains=text) | Q(uscc=code))
                    .order_by("name", "pk")[:21])
    rows, more = bounded(rows)
    return picker_options(request, [Option(value=e.uscc or e.name, label=e.name, detail=e.uscc or "")
                                    for e in rows], more, text if len(text) >= MIN_PICK else "")


AREA_TYPES = tuple(t for t in FEDERATION_TYPES if t not in ("province", "city", "county"))


def org_options(request, org_types):
    """The picker's options: open orgs of `org_types` whose name holds the typed text (two
    characters at least), in tree order, bounded."""
    text = query_text(request)
    rows = []
    if len(text) >= MIN_PICK:
        rows = list(Org.objects.filter(org_type__in=org_types, name__contains=text)
                    .exclude(status=OrgStatus.DISSOLVED).order_by("path")[:21])
    rows, more = bounded(rows)
    return picker_options(request, [Option(value=o.code, label=o.name) for o in rows], more,
                          text if len(text) >= MIN_PICK else "")


@public
def pick_area(request):
    return org_options(request, AREA_TYPES)


def _employer(form, text: str):
    text = (text or "").strip()
    if not text:
        return None
    code = text.upper().replace(" ", "")
    found = list(Employer.objects.filter(closed_on__isnull=True).filter(Q(uscc=code) | Q(name=text))[:2])
    if len(found) != 1:
        form.add_error("employer", "未找到该工作单位，请输入单位名称后从候选项中选择；"
                                   "单位重名的，请输入统一社会信用代码。" if not found else
                       "有多个同名单位，请输入统一社会信用代码。")
        return None
    return found[0]


def picked_org(form, field: str, code: str, org_types, missing: str):
    """The open org of `org_types` a picker field named by its code, or None; a code that names
    none puts `missing` on the field (an empty field is the caller's to judge)."""
    code = (code or "").strip()
    if not code:
        return None
    org = Org.objects.filter(code=code, org_type__in=org_types).exclude(status=OrgStatus.DISSOLVED).first()
    if org is None:
        form.add_error(field, missing)
    return org


def _area(form, code: str):
    return picked_org(form, "area", code, AREA_TYPES, "未找到该乡镇（街道）或行业工会，请输入名称后从候选项中选择。")


@public
@never_cache
def join(request):
    form = forms.ApplyForm(request.POST or None)
    if request.method == "POST" and _throttled(request, "join", conf.get("JOIN_PER_MINUTE")):
        # Each answer says whether an ID number is a member or has applied: few per address.
        form.is_valid()
        form.add_error(None, "提交过于频繁，请稍后再试。")
    elif request.method == "POST":
        form.is_valid()  # every field's error at once: the pickers' too
        employer = _employer(form, form.cleaned_data.get("employer"))
        area = _area(form, form.cleaned_data.get("area"))
        if not form.errors:
            try:
                app = services.application_submit(
                    name=form.cleaned_data["name"], id_number=form.cleaned_data["id_number"],
                    phone=form.cleaned_data["phone"], employer=employer, area=area,
                    consent=form.cleaned_data["consent"])
            except ServiceError as err:
                _form_error(form, err)
            else:
                return render(request, "portal/join_done.html", {"app": app})
    return render(request, "portal/join.html", {"form": form, "version": PRIVACY_VERSION})


@public
@never_cache
def status(request):
    form = forms.StatusForm(request.POST or None)
    app = None
    if request.method == "POST" and form.is_valid():
        if _throttled(request, "status"):
            form.add_error(None, "查询过于频繁，请稍后再试。")
        else:
            try:
                app = services.application_lookup(ref=form.cleaned_data["ref"], id_number=form.cleaned_data["id_number"])
            except ServiceError as err:
                _form_error(form, err)
    return render(request, "portal/status.html", {"form": form, "app": app})


def _throttled(request, what: str, limit: int | None = None) -> bool:
    """At most `limit` (default VERIFY_PER_MINUTE) requests per address (IPv6: per /64) and
    minute for a public page, counted for all processes together (portal.throttle)."""
    return throttle.over_limit(what, client_ip(request), limit or conf.get("VERIFY_PER_MINUTE"))


@public
@never_cache
def verify(request, token):
    """The public page a card's QR opens: masked name, union, current or not; never a list."""
    if _throttled(request, "verify"):
        return render(request, "portal/verify.html", {"throttled": True}, status=429)
    result = services.card_verify(token)
    return render(request, "portal/verify.html", {"result": result}, status=200 if result else 404)


# --- sign-in ------------------------------------------------------------------------------------

def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/m/") and not target.startswith("//") else reverse("portal:home")


@public
@never_cache
def sign_in(request):
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_sign_in(id_number=form.cleaned_data["id_number"],
                                               password=form.cleaned_data["password"], ip=client_ip(request))
        except ServiceError as err:
            form.add_error(None, err.messages[0])
        else:
            auth.sign_in(request, account)
            return redirect(_next(request))
    return render(request, "portal/sign_in.html", {"form": form, "next": _next(request)})


@public
@never_cache
def activate(request):
    form = forms.ActivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_activate(id_number=form.cleaned_data["id_number"],
                                                code=form.cleaned_data["code"],
                                                password=form.cleaned_data["password"], ip=client_ip(request))
        except ServiceError as err:
            _form_error(form, err)
        else:
            auth.sign_in(request, account)
            messages.success(request, "账户已激活，欢迎使用会员服务。")
            return redirect("portal:home")
    return render(request, "portal/activate.html", {"form": form})


@public
@require_POST
def sign_out(request):
    auth.sign_out(request)
    return redirect("portal:index")


# --- the member's own pages ------------------------------------------------------------------------

def _membership(account) -> Membership | None:
    return (account.person.memberships.filter(ended_on__isnull=True).select_related("union").first()
            or account.person.memberships.order_by("-started_on").select_related("union").first())


@member_required
def home(request):
    return render(request, "portal/home.html", {"member": request.member, "membership": _membership(request.member)})


@member_required
@never_cache
def card(request):
    account = request.member
    renew = request.method == "POST"
    token = services.card_token(account=account, renew=renew)
    if renew:
        messages.success(request, "二维码已更换，原二维码即时失效。")
        return redirect("portal:card")
    request.session[CARD_TOKEN_KEY] = [account.pk, token]
    url = request.build_absolute_uri(reverse("portal:verify", args=[token]))
    return render(request, "portal/card.html", {"member": account, "membership": _membership(account),
                                                "verify_url": url})


CARD_TOKEN_KEY = auth.CARD_TOKEN_KEY


@member_required
@never_cache
def card_qr(request):
    """The card's QR code as SVG, drawn here (segno): no outside service sees the token."""
    pk, token = request.session.get(CARD_TOKEN_KEY) or (None, None)
    if pk != request.member.pk:  # another member's, left in a shared browser's session
        token = services.card_token(account=request.member)
    url = request.build_absolute_uri(reverse("portal:verify", args=[token]))
    out = io.BytesIO()
    # A standalone document (with its namespace): an <img> shows nothing of a bare inline <svg>.
    segno.make(url, error="m").save(out, kind="svg", scale=4, dark="#000", light="#fff", xmldecl=True, svgns=True)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@member_required
def records(request):
    person = request.member.person
    memberships = list(person.memberships.select_related("union").order_by("started_on"))
    events = list(MemberEvent.objects.filter(membership__person=person).select_related("membership__union")
                  .order_by("effective_on", "pk"))
    transfers = list(Transfer.objects.filter(membership__person=person).select_related("to_union", "membership__union")
                     .order_by("-requested_on", "-pk"))
    return render(request, "portal/records.html", {"memberships": memberships, "events": events,
                                                   "transfers": transfers, "covers": _covers(person)})


def _covers(person):
    """The member's mutual-aid cover (互助保障), newest first: plan, 份数, the days covered."""
    from gonghui.mutual_aid.models import Item

    return list(Item.objects.filter(person=person).select_related("plan", "union").order_by("-start_on", "-pk")[:20])


@member_required
def rights(request):
    account = request.member
    form = forms.RightsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.rights_request(account=account, kind=form.cleaned_data["kind"],
                                          detail=form.cleaned_data["detail"])
        except ServiceError as err:
            _form_error(form, err)
        else:
            messages.success(request, f"请求已提交，工会将在 {req.due_on:%Y年%m月%d日} 前答复。")
            return redirect("portal:rights_detail", req.pk)
    person = account.person
    held = {"姓名": person.name, "公民身份号码": person.id_masked, "手机号码": person.phone_masked or "未登记",
            "性别": person.get_gender_display(), "出生日期": person.birth_date, "民族": person.get_ethnicity_display(),
            "文化程度": person.get_education_display() or "未登记", "政治面貌": person.get_political_display() or "未登记",
            "工作单位": person.employer.name if person.employer_id else (person.employer_name or "未登记"),
            "首次入会日期": person.first_joined_on}
    return render(request, "portal/rights.html", {
        "form": form, "held": held, "requests": account.rights_requests.select_related("union").order_by("-pk")})


@member_required
def rights_detail(request, pk):
    req = RightsRequest.objects.select_related("union").filter(account=request.member, pk=pk).first()
    if req is None:
        raise Http404("未找到该请求。")
    return render(request, "portal/rights_detail.html", {"req": req})


# --- staff side ------------------------------------------------------------------------------------

@requires("portal.view")
def applications(request):
    state = request.GET.get("status", ApplicationStatus.PENDING)
    qs = scope.visible(Application.objects.select_related("union", "employer"), request.user, "portal.view")
    if state in ApplicationStatus.values:
        qs = qs.filter(status=state)
    page = keyset(qs.order_by("-pk"), request, "portal.applications")
    return render(request, "portal/staff_applications.html", {
        "page": page, "state": state, "statuses": ApplicationStatus.choices})


def _app(request, pk, perm="portal.view"):
    return scope.get_visible_or_404(Application.objects.select_related("union", "employer", "membership"),
                                    request.user, perm, pk=pk)


@requires("portal.view")
def application_detail(request, pk):
    app = _app(request, pk)
    return render(request, "portal/staff_application.html", {
        "app": app, "accept": forms.AcceptForm(), "refuse": forms.RefuseForm(),
        "can_change": scope.has_perm(request.user, "portal.change", app.union.path)})


@requires("portal.change")
@require_POST
def application_accept(request, pk):
    app = _app(request, pk, "portal.change")
    form = forms.AcceptForm(request.POST)
    if form.is_valid():
        join_union = None
        code = form.cleaned_data["join_union"].strip()
        if code:
            join_union = scope.visible(Org.objects.filter(code=code), request.user, "portal.change", "path").first()
            if join_union is None:
                form.add_error("join_union", f"未找到编码为“{code}”的工会，或不在您的管理范围内。")
        if not form.errors:
            try:
                membership, activation = services.application_accept(
                    actor=request.user, application=app, join_union=join_union,
                    joined_on=form.cleaned_data["joined_on"])
            except ServiceError as err:
                _form_error(form, err)
            else:
                return render(request, "portal/staff_code.html", {"membership": membership, "code": activation,
                                                                  "app": app})
    return render(request, "portal/staff_application.html", {
        "app": app, "accept": form, "refuse": forms.RefuseForm(), "can_change": True}, status=400)


@requires("portal.change")
@require_POST
def application_refuse(request, pk):
    app = _app(request, pk, "portal.change")
    form = forms.RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.application_refuse(actor=request.user, application=app, reason=form.cleaned_data["reason"])
        except ServiceError as err:
            _form_error(form, err)
        else:
            messages.success(request, "已不予批准，申请人查询时可见理由。")
            return redirect("portal:application_detail", app.pk)
    return render(request, "portal/staff_application.html", {
        "app": app, "accept": forms.AcceptForm(), "refuse": form, "can_change": True}, status=400)


@requires("portal.change")
@require_POST
def code_reissue(request, pk):
    """A new activation code for a member (pk: the membership)."""
    membership = scope.get_visible_or_404(Membership.objects.select_related("union", "person"), request.user,
                                          "portal.change", pk=pk)
    try:
        code = services.activation_code_reissue(actor=request.user, membership=membership)
    except ServiceError as err:
        messages.error(request, err.messages[0])
        return redirect("members:detail", membership.person_id)
    return render(request, "portal/staff_code.html", {"membership": membership, "code": code})


@requires("portal.view")
def rights_list(request):
    state = request.GET.get("status", RightsStatus.OPEN)
    qs = scope.visible(RightsRequest.objects.select_related("union", "account__person"), request.user, "portal.view")
    if state in RightsStatus.values:
        qs = qs.filter(status=state)
    page = keyset(qs.order_by("due_on", "pk"), request, "portal.rights")
    return render(request, "portal/staff_rights.html", {"page": page, "state": state, "statuses": RightsStatus.choices,
                                                        "today": clock.today()})


@requires("portal.view")
def rights_staff_detail(request, pk):
    req = scope.get_visible_or_404(RightsRequest.objects.select_related("union", "account__person"), request.user,
                                   "portal.view", pk=pk)
    form = forms.ReplyForm(request.POST or None)
    if request.method == "POST":
        scope.get_visible_or_404(RightsRequest.objects.all(), request.user, "portal.change", pk=pk)
        if form.is_valid():
            try:
                services.rights_close(actor=request.user, request=req, reply=form.cleaned_data["reply"],
                                      refuse=form.cleaned_data["refuse"])
            except ServiceError as err:
                _form_error(form, err)
            else:
                messages.success(request, "已办结，会员可在会员服务中看到答复。")
                return redirect("portal:rights_staff_detail", req.pk)
    return render(request, "portal/staff_rights_detail.html", {
        "req": req, "form": form, "today": clock.today(),
        "can_change": scope.has_perm(request.user, "portal.change", req.union.path)})


# --- help and surveys --------------------------------------------------------------------------------

@member_required
def help_page(request):
    account = request.member
    form = forms.HelpForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("attachment")
        try:
            if upload is not None and upload.size > conf.get("MAX_ATTACHMENT_MB") * 1024 * 1024:
                raise ServiceError(f"附件不能超过 {conf.get('MAX_ATTACHMENT_MB')} MB。", field="attachment")
            services.help_request(account=account, kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"],
                                  student_name=form.cleaned_data["student_name"], school=form.cleaned_data["school"],
                                  attachment_name=upload.name if upload else "",
                                  attachment=upload.read() if upload else None)
        except ServiceError as err:
            _form_error(form, err)
        else:
            messages.success(request, "申请已提交，所在工会核实后会答复您。")
            return redirect("portal:help")
    return render(request, "portal/help.html", {
        "form": form, "member": account,
        "requests": account.help_requests.select_related("application").order_by("-pk"),
        "applications": _assistance_applications(account)})


def _assistance_applications(account):
    """The member's household's applications in the assistance line (read by the ID hash)."""
    from gonghui.assistance.models import Application as AidApplication

    return list(AidApplication.objects.filter(archive__id_hash__in=crypto.lookup_hashes(account.person.id_number))
                .order_by("-applied_on")[:20])


@member_required
def surveys(request):
    return render(request, "portal/surveys.html", {"member": request.member,
                                                   "surveys": services.open_surveys(request.member)})


@member_required
def survey_answer(request, pk):
    survey = next((s for s in services.open_surveys(request.member) if s.pk == pk), None)
    if survey is None:
        raise Http404("未找到该问卷。")
    form = forms.survey_form(survey)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {item: form.cleaned_data[f"item{i}"] for i, item in enumerate(survey.items)}
        try:
            services.survey_answer(account=request.member, survey=survey, answers=answers)
        except ServiceError as err:
            form.add_error(None, err.messages[0])
        else:
            messages.success(request, "感谢您的评价。问卷不记名，结果只统计满意率。")
            return redirect("portal:surveys")
    return render(request, "portal/survey.html", {"member": request.member, "survey": survey, "form": form})


@requires("portal.view")
def help_list(request):
    qs = scope.visible(HelpRequest.objects.select_related("union", "account__person"), request.user, "portal.view")
    state = request.GET.get("status", HelpStatus.RECEIVED)
    if state in HelpStatus.values:
        qs = qs.filter(status=state)
    page = keyset(qs.order_by("-pk"), request, "portal.help")
    return render(request, "portal/staff_help.html", {"page": page, "state": state, "statuses": HelpStatus.choices})


@requires("portal.view")
def help_detail(request, pk):
    req = scope.get_visible_or_404(HelpRequest.objects.select_related("union", "account__person", "application"),
                                   request.user, "portal.view", pk=pk)
    form = forms.HelpDecideForm(request.POST or None)
    if request.method == "POST":
        scope.get_visible_or_404(HelpRequest.objects.all(), request.user, "portal.change", pk=pk)
        if form.is_valid():
            try:
                data = form.cleaned_data
                intake_fields = {k: data[k] for k in ("amount_requested", "category", "school_level",
                                                      "student_birth_date", "student_gender")}
                services.help_decide(actor=request.user, request=req, register=data["register"],
                                     reply=data["reply"], **(intake_fields if data["register"] else {}))
            except ServiceError as err:
                _form_error(form, err)
            else:
                req.refresh_from_db()
                messages.success(request, "已受理，帮扶申请已登记在“困难职工帮扶”中，会员可看到办理状态。"
                                 if req.application_id else "已答复。")
                return redirect("portal:help_detail", req.pk)
    return render(request, "portal/staff_help_detail.html", {
        "req": req, "form": form, "can_change": scope.has_perm(request.user, "portal.change", req.union.path),
        # The household's hardship, the child and the papers are the assistance line's sensitive data.
        "can_sensitive": scope.has_perm(request.user, SENSITIVE, req.union.path)})


SENSITIVE = "assistance.view_sensitive"


@requires(SENSITIVE)
def help_file(request, pk):
    """The request's attachment (a hardship certificate, a medical paper): the assistance line's
    sensitive data, each download a logged view."""
    from django.http import FileResponse

    from gonghui.core import audit

    req = scope.get_visible_or_404(HelpRequest.objects.select_related("union"), request.user, SENSITIVE, pk=pk)
    if not req.attachment_stored:
        raise Http404("没有附件。")
    audit.log_access(user=request.user, kind="view_full", object_type="portal.helprequest", object_id=str(req.pk),
                     fields=["attachment"], org_path=req.union.path)
    return FileResponse(open(services.attachments_dir() / req.attachment_stored, "rb"), as_attachment=True,
                        filename=req.attachment_name or req.attachment_stored)
