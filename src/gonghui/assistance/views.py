"""Hardship pages: thin views over assistance.selectors and assistance.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.money import format_money
from gonghui.core.paging import keyset, keyset_part, part
from gonghui.core.periods import Period
from gonghui.core.views_base import requires
from gonghui.members.selectors import latest_membership
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import picked, roots_for

from . import conf, forms, metrics, selectors, services
from .models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Archive,
    ArchiveStatus,
    AssistanceType,
    Campaign,
    Helper,
    LivingStandard,
    Pairing,
    Relation,
)


def _archive(request, pk, perm="assistance.view"):
    return scope.get_visible_or_404(Archive.objects.select_related("org"), request.user, perm, pk=pk)


def _application(request, pk, perm="assistance.view"):
    qs = Application.objects.select_related("archive", "org", "campaign", "student")
    return scope.get_visible_or_404(qs, request.user, perm, pk=pk)




def _root(user):
    return roots_for(user, "assistance.view").first()


@requires("assistance.view")
def index(request):
    today = clock.today()
    root = _root(request.user)
    period = Period.year_to_date(today)
    figures = []
    if root is not None:
        for code in ("assistance.archives_total", "assistance.archives_new", "assistance.archives_exited",
                     "assistance.households_helped", "assistance.person_times", "assistance.amount",
                     "assistance.golden_autumn_students", "assistance.warmth_persons"):
            figures.append((REGISTRY[code], compute(code, root, period, True).value))
    return render(request, "assistance/index.html", {
        "root": root, "period": period, "figures": figures, "queues": selectors.queue_counts(request.user),
        "sentence": metrics.pairing_sentence(root, period) if root is not None else "",
        "by_type": selectors.payments_by(root, period, "type") if root is not None else [],
        "by_source": selectors.payments_by(root, period, "fund_source") if root is not None else [],
        "can_change": scope.has_perm(request.user, "assistance.change"),
    })


# --- archives --------------------------------------------------------------------------------------

@requires("assistance.view")
def archives(request):
    form = forms.ArchiveFilterForm(request.GET or None)
    filters, org = {}, None
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
        code = filters.pop("org", "")
        if code:
            org = scope.visible(Org.objects.filter(code=code), request.user, "assistance.view", "path").first()
            if org is None:
                form.add_error("org", f"未找到编码为“{code}”的单位，或不在您的查看范围内。")
    page = keyset(selectors.archives(request.user, org=org, **filters), request, "assistance.archives")
    return render(request, "assistance/archives.html", {
        "form": form, "page": page, "can_change": scope.has_perm(request.user, "assistance.change")})


@requires("assistance.change")
def archive_create(request):
    form = forms.ArchiveForm(request.POST or None, initial={"created_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("union_code"), "assistance.change", form, "union_code")
        if org is not None:
            try:
                a = services.archive_create(actor=request.user, org=org, category=d.pop("category") or None, **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已建档：{a.head_name}（{a.no}），系统建议类别："
                                          f"{a.get_proposed_category_display() or '不符合'}。请添加家庭成员后提交公示。")
                return redirect("assistance:archive_detail", pk=a.pk)
    return render(request, "assistance/form.html", {"form": form, "title": "困难职工建档",
                                                    "back": "assistance:archives"})


@requires("assistance.view")
def archive_detail(request, pk):
    a = _archive(request, pk)
    full = scope.has_perm(request.user, "assistance.view_sensitive", a.org.path)  # also may reveal
    if full:
        services.archive_view_full(user=request.user, archive=a)  # every full view is access-logged
    can_change = a.is_open and scope.has_perm(request.user, "assistance.change", a.org.path)
    family = list(a.family.all())
    for m in family:
        m.shown_name = m.name if full else m.name[:1] + "*" * (len(m.name) - 1)
    living = sum(1 for m in family if m.lives_together)
    return render(request, "assistance/archive_detail.html", {
        "a": a, "full": full, "family": family, "expenses": a.expenses.all() if full else [],
        "events": part(a.events.all(), request, "timeline"),
        "applications": part(a.applications.select_related("campaign").order_by("-applied_on", "-id"), request,
                             "applications"),
        "pairings": a.pairings.select_related("helper").order_by("-pledged_on"),
        "can_change": can_change, "next": services.ARCHIVE_FLOW.allowed(a.status),
        "can_apply": can_change and a.status in (ArchiveStatus.ACTIVE, ArchiveStatus.REVIEW),
        "member": latest_membership(a.person) if a.person_id and scope.has_perm(
            request.user, "members.view", a.org.path) else None,
        # Masked like every other page; the full numbers only through archive_reveal (logged).
        "bank": f"****{a.bank_last4}" if a.bank_last4 else "",
        "reveal_form": forms.RevealForm(),
        # Members still to be entered: the divisor is the declared size, and the page says so.
        "living_recorded": living if a.declared_size > 1 + living else None,
    })


@requires("assistance.view_sensitive")
@require_POST
def archive_reveal(request, pk):
    """Show the head's ID number, bank card and phone once, for a stated reason; the access is logged."""
    a = _archive(request, pk, "assistance.view_sensitive")
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "assistance/_revealed.html", {"error": "查看完整信息须填写查看事由。"})
    shown = services.archive_reveal(user=request.user, archive=a, reason=form.cleaned_data["reason"])
    return render(request, "assistance/_revealed.html", {"shown": shown, "a": a})


@requires("assistance.change")
def archive_edit(request, pk):
    a = _archive(request, pk, "assistance.change")
    initial = {f: getattr(a, f) for f in services.PLAIN_FIELDS}
    initial.update(main_cause=a.main_cause, secondary_causes=a.secondary_causes, on=clock.today(),
                   self_help={True: "true", False: "false"}.get(a.self_help, ""),
                   declared_annual_income=a.declared_annual_income)
    form = forms.ArchiveEditForm(request.POST or None, initial=initial)
    if not scope.has_perm(request.user, "assistance.view_sensitive", a.org.path):
        # Not shown to whoever may not see them, and so not changed by them (health stays, as before).
        for name in services.SENSITIVE_FIELDS:
            if name != "health":
                form.fields.pop(name, None)
    if request.method == "POST" and form.is_valid():
        try:
            labels = services.archive_update(actor=request.user, archive=a, **form.cleaned_data)
        except services.CategoryUnconfirmed as err:
            form.ask_category(err)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已修改：{'、'.join(labels)}。" if labels else "没有修改。")
            return redirect("assistance:archive_detail", pk=a.pk)
    return render(request, "assistance/form.html", {
        "form": form, "title": f"修改档案：{a.head_name}", "a": a,
        "note": "收入、家庭人口数、手机号码和银行卡号不显示原值，留空即不修改；修改收入或家庭人口数后系统重新计算人均收入，"
                "建议类别如有变化须确认。"})


@requires("assistance.change")
def archive_family(request, pk):
    a = _archive(request, pk, "assistance.change")
    form = forms.FamilyForm(request.POST or None, initial={"on": clock.today(), "lives_together": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.family_member_add(actor=request.user, archive=a, **form.cleaned_data)
        except services.CategoryUnconfirmed as err:
            form.ask_category(err)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已添加家庭成员，人均收入已重新计算。")
            return redirect("assistance:archive_detail", pk=a.pk)
    return render(request, "assistance/form.html", {"form": form, "title": f"添加家庭成员：{a.head_name}", "a": a})


@requires("assistance.change")
def archive_expense(request, pk):
    a = _archive(request, pk, "assistance.change")
    form = forms.ExpenseForm(request.POST or None, initial={"on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_add(actor=request.user, archive=a, **form.cleaned_data)
        except services.CategoryUnconfirmed as err:
            form.ask_category(err)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已添加刚性支出，人均收入已重新计算。")
            return redirect("assistance:archive_detail", pk=a.pk)
    return render(request, "assistance/form.html", {"form": form, "title": f"添加刚性支出：{a.head_name}", "a": a})


# action -> (form, service, title)
TRANSITIONS = {
    "notice": (forms.DateOnlyForm, services.archive_start_notice, "提交公示"),
    "enter": (forms.DateOnlyForm, services.archive_enter, "公示期满，入档"),
    "review": (forms.DateOnlyForm, services.archive_start_review, "开始年度复核"),
    "pass": (forms.ReviewPassForm, services.archive_pass_review, "年度复核通过"),
    "exit": (forms.ExitForm, services.archive_exit, "出档（脱困、解困、退出）"),
}


@requires("assistance.change")
def archive_transition(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404("没有这种办理事项。")
    a = _archive(request, pk, "assistance.change")
    form_class, perform, title = TRANSITIONS[action]
    initial = {"on": clock.today(), "category": a.category}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            perform(actor=request.user, archive=a, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已办理：{title}。")
            return redirect("assistance:archive_detail", pk=a.pk)
    return render(request, "assistance/form.html", {"form": form, "title": f"{title}：{a.head_name}", "a": a})


# --- applications and payments -------------------------------------------------------------------

@requires("assistance.change")
def application_create(request, pk):
    a = _archive(request, pk, "assistance.change")
    today = clock.today()
    # The running campaigns of the archive's union and the levels above it: all of them (a cut here
    # used to drop campaigns silently, issue 15 item 1), found by the ancestors' paths.
    above = [a.org.path[:i] for i in range(Org.steplen, len(a.org.path) + 1, Org.steplen)]
    campaigns = list(Campaign.objects.filter(start_on__lte=today, end_on__gte=today, org__path__in=above)
                     .select_related("org").order_by("-start_on", "-pk"))
    students = list(a.family.filter(relation=Relation.CHILD))
    for s in students:
        s.label = f"{s.name[:1]}{'*' * (len(s.name) - 1)}（子女，{s.birth_date.year}年生）"
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, campaigns=campaigns, students=students,
                                 initial={"applied_on": today, "beneficiary": forms.suggested_beneficiary(a)})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        attachment = d.pop("attachment")
        d["campaign"] = next((c for c in campaigns if c.pk == d["campaign"]), None)
        d["student"] = next((s for s in students if s.pk == d["student"]), None)
        try:
            with transaction.atomic():  # the application and its attachment together, or neither
                app = services.application_submit(actor=request.user, archive=a, **d)
                if attachment is not None:
                    services.document_add(actor=request.user, application=app, file=attachment)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已提交申请，等待审核。")
            return redirect("assistance:application_detail", pk=app.pk)
    return render(request, "assistance/form.html", {"form": form, "title": f"申请帮扶：{a.head_name}", "a": a,
                                                    "multipart": True})


@requires("assistance.view")
def applications(request):
    form = forms.ApplicationFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return render(request, "assistance/applications.html", {
        "form": form, "page": keyset(selectors.applications(request.user, **filters), request,
                                     "assistance.applications"),
        "queues": selectors.queue_counts(request.user)})


@requires("assistance.view")
def application_detail(request, pk):
    return _application_page(request, _application(request, pk))


def _application_page(request, app, *, bound: dict | None = None, status: int = 200):
    """The application page; `bound` holds a refused form ({"decision_form"/"screen_form"/
    "document_form": form}) shown again with its errors and what the user typed."""
    path, user = app.org.path, request.user
    payment = getattr(app, "payment", None) if app.status == ApplicationStatus.PAID else None
    # Each step's form is offered only to someone who may take it: the permission on the union,
    # the status, and four-eyes (who applied and who reviewed). A user held back by four-eyes is
    # told why instead of getting a form that would be refused.
    step = {ApplicationStatus.SUBMITTED: ("review", "assistance.review"),
            ApplicationStatus.REVIEWED: ("approve", "assistance.approve")}.get(app.status)
    refusal = ""
    if step and scope.has_perm(user, step[1], path):
        refusal = services.four_eyes_refusal(user, app, step[0])
    may_decide = bool(step) and scope.has_perm(user, step[1], path) and not refusal
    today = {"on": clock.today(), "decision": "yes"}
    context = {
        "app": app, "payment": payment,
        "can_screen": app.status == ApplicationStatus.SUBMITTED and app.screened_on is None
        and scope.has_perm(user, "assistance.change", path),
        "can_review": may_decide and step[0] == "review",
        "can_approve": may_decide and step[0] == "approve",
        "four_eyes": refusal,
        "can_pay": app.status == ApplicationStatus.APPROVED and scope.has_perm(user, "assistance.change", path),
        "decision_form": forms.DecisionForm(initial=today),
        "screen_form": forms.ScreenForm(initial=today),
        "attachments": app.attachments.all(),
        "can_attach": app.status not in (ApplicationStatus.PAID, ApplicationStatus.REJECTED)
        and scope.has_perm(user, "assistance.change", path),
        "can_open": scope.has_perm(user, "assistance.view_sensitive", path),
        "document_form": forms.DocumentForm(),
    }
    context.update(bound or {})
    # A refused form that is no longer offered (someone else decided meanwhile): its errors
    # still show, at the top, rather than vanish.
    shown = {"decision_form": may_decide, "screen_form": context["can_screen"], "document_form": context["can_attach"]}
    context["refused"] = [e for name, form in (bound or {}).items() if not shown[name]
                          for errors in form.errors.values() for e in errors]
    return render(request, "assistance/application_detail.html", context, status=status)


@requires("assistance.change")
@require_POST
def document_add(request, pk):
    app = _application(request, pk, "assistance.change")
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(actor=request.user, application=app, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已上传附件。")
            return redirect("assistance:application_detail", pk=app.pk)
    return _application_page(request, app, bound={"document_form": form})


@requires("assistance.view_sensitive")
def document_open(request, pk):
    doc = scope.get_visible_or_404(ApplicationDocument.objects.select_related("application__org"), request.user,
                                   "assistance.view_sensitive", pk=pk)
    handle = services.document_open(user=request.user, document=doc)
    return FileResponse(handle, filename=doc.file.name.rsplit("/", 1)[-1])


def _decide(request, pk, perm, perform, label, form_class=forms.DecisionForm):
    """A decision posted from the application page; a refusal shows the page again with the
    form's errors and what was typed (not a message after a redirect)."""
    app = _application(request, pk, perm)
    form = form_class(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            perform(app, d)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已{label}：{'通过' if d['decision'] == 'yes' else '不通过'}。")
            return redirect("assistance:application_detail", pk=app.pk)
    app.refresh_from_db()  # a refused service may have changed the object in memory
    return _application_page(request, app, bound={
        "screen_form" if form_class is forms.ScreenForm else "decision_form": form})


@requires("assistance.review")
@require_POST
def application_review(request, pk):
    return _decide(request, pk, "assistance.review", lambda app, d: services.application_review(
        actor=request.user, application=app, approve=d["decision"] == "yes", on=d["on"], note=d["note"]), "审核")


@requires("assistance.change")
@require_POST
def application_screen(request, pk):
    """初审 by the applicant's own union (初步符合 or not), before the federation's 审核."""
    return _decide(request, pk, "assistance.change", lambda app, d: services.application_screen(
        actor=request.user, application=app, eligible=d["decision"] == "yes", on=d["on"], note=d["note"]), "初审",
        forms.ScreenForm)


@requires("assistance.approve")
@require_POST
def application_approve(request, pk):
    return _decide(request, pk, "assistance.approve", lambda app, d: services.application_approve(
        actor=request.user, application=app, approve=d["decision"] == "yes", on=d["on"], note=d["note"],
        amount_approved=d["amount_approved"]), "审批")


@requires("assistance.change")
def payment_create(request, pk):
    app = _application(request, pk, "assistance.change")
    form = forms.PaymentForm(request.POST or None, initial={"paid_on": clock.today(), "method": "bank"})
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record(actor=request.user, application=app, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记发放。")
            return redirect("assistance:application_detail", pk=app.pk)
    note = f"批准金额 {format_money(app.amount_approved)}；状态：{app.get_status_display()}。"
    return render(request, "assistance/form.html", {"form": form, "title": f"登记发放：{app}", "note": note,
                                                    "app": app})


# --- campaigns ------------------------------------------------------------------------------------

@requires("assistance.view")
def campaigns(request):
    qs = scope.visible(Campaign.objects.select_related("org"), request.user, "assistance.view")
    return render(request, "assistance/campaigns.html", {
        "page": keyset(qs.order_by("-start_on", "-id"), request, "assistance.campaigns"),
        "can_change": scope.has_perm(request.user, "assistance.change")})


@requires("assistance.change")
def campaign_create(request):
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "assistance.change", form, "org_code")
        if org is not None:
            try:
                c = services.campaign_create(actor=request.user, org=org, **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                return redirect("assistance:campaign_detail", pk=c.pk)
    return render(request, "assistance/form.html", {"form": form, "title": "新建帮扶活动",
                                                    "back": "assistance:campaigns"})


def _campaign(request, pk, perm="assistance.view"):
    return scope.get_visible_or_404(Campaign.objects.select_related("org"), request.user, perm, pk=pk)


@requires("assistance.view")
def campaign_detail(request, pk):
    c = _campaign(request, pk)
    targets = part(c.targets.select_related("org").order_by("org__path", "head_name", "pk"), request, "targets")
    payments = part(c.payments.select_related("archive", "org").order_by("-paid_on", "-id"), request, "payments")
    return render(request, "assistance/campaign_detail.html", {
        "c": c, "progress": selectors.campaign_progress(c), "targets": targets, "payments": payments,
        "can_change": scope.has_perm(request.user, "assistance.change", c.org.path), "targets_form": forms.TargetsForm(),
    })


@requires("assistance.change")
@require_POST
def campaign_targets(request, pk):
    c = _campaign(request, pk, "assistance.change")
    form = forms.TargetsForm(request.POST)
    if form.is_valid():
        numbers = [n for n in form.cleaned_data["numbers"].replace(",", " ").replace("，", " ").split() if n]
        found = {a.no: a for a in scope.visible(Archive.objects.filter(no__in=numbers).select_related("org"),
                                                  request.user, "assistance.view")}
        missing = [n for n in numbers if n not in found]
        if missing:
            messages.error(request, f"未找到档案编号：{'、'.join(missing[:20])}（或不在您的范围内），未添加任何对象。")
        else:
            try:
                n = services.campaign_add_targets(actor=request.user, campaign=c, archives=found.values())
            except ServiceError as err:
                messages.error(request, err.messages[0])
            else:
                messages.success(request, f"已添加帮扶对象 {n} 户。")
    return redirect("assistance:campaign_detail", pk=c.pk)


# --- one-to-one pairing ---------------------------------------------------------------------------

@requires("assistance.view")
def pairings(request):
    user = request.user
    helpers = scope.visible(Helper.objects.select_related("org"), user, "assistance.view").order_by("org__path", "name")
    qs = scope.visible(Pairing.objects.select_related("helper", "archive", "archive__org"), user, "assistance.view")
    qs = qs.annotate(visits_n=Count("visits"), visits_amount=Sum("visits__amount"))
    root = _root(user)
    period = Period.year_to_date(clock.today())
    return render(request, "assistance/pairings.html", {
        "helpers": keyset_part(helpers, request, "assistance.helpers", "helpers"),
        "page": keyset(qs.order_by("-pledged_on", "-id"), request, "assistance.pairings"),
        "sentence": metrics.pairing_sentence(root, period) if root else "", "period": period,
        "can_change": scope.has_perm(user, "assistance.change"),
    })


@requires("assistance.change")
def helper_create(request):
    form = forms.HelperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "assistance.change", form, "org_code")
        if org is not None:
            try:
                services.helper_create(actor=request.user, org=org, **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已登记帮扶单位。")
                return redirect("assistance:pairings")
    return render(request, "assistance/form.html", {"form": form, "title": "登记帮扶单位或干部",
                                                    "back": "assistance:pairings"})


@requires("assistance.change")
def pairing_create(request):
    # Every helper in scope: the drop-down is not cut (it used to stop at 500 without a word).
    helpers = list(scope.visible(Helper.objects.select_related("org"), request.user, "assistance.change")
                   .order_by("name", "pk"))
    form = forms.PairingForm(request.POST or None, helpers=helpers, initial={"pledged_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        helper = next(h for h in helpers if h.pk == d["helper"])
        archive = scope.visible(Archive.objects.filter(no=d["archive_no"].strip()).select_related("org"),
                                request.user, "assistance.view").first()
        if archive is None:
            form.add_error("archive_no", "未找到该档案编号，或不在您的范围内。")
        else:
            try:
                services.pairing_create(actor=request.user, helper=helper, archive=archive,
                                        pledged_on=d["pledged_on"], commitment=d["commitment"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已结对。")
                return redirect("assistance:pairings")
    return render(request, "assistance/form.html", {"form": form, "title": "结对帮扶", "back": "assistance:pairings"})


def _pairing(request, pk, perm):
    return scope.get_visible_or_404(Pairing.objects.select_related("helper__org", "archive"), request.user, perm, pk=pk)


@requires("assistance.change")
def visit_create(request, pk):
    p = _pairing(request, pk, "assistance.change")
    form = forms.VisitForm(request.POST or None, initial={"visited_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(actor=request.user, pairing=p, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记走访。")
            return redirect("assistance:pairings")
    return render(request, "assistance/form.html", {"form": form, "title": f"登记走访：{p}",
                                                    "back": "assistance:pairings"})


@requires("assistance.change")
@require_POST
def pairing_end(request, pk):
    p = _pairing(request, pk, "assistance.change")
    try:
        services.pairing_end(actor=request.user, pairing=p, on=clock.today())
    except ServiceError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, "已结束结对。")
    return redirect("assistance:pairings")


# --- reference data ---------------------------------------------------------------------------------

@requires("assistance.view")
def standards(request):
    can_change = scope.has_perm(request.user, "assistance.change")
    form = forms.StandardForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("您无权维护低保标准。")
        if form.is_valid():
            try:
                services.standard_set(actor=request.user, **form.cleaned_data)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已保存低保标准。")
                return redirect("assistance:standards")
    return render(request, "assistance/standards.html", {
        "form": form, "rows": part(LivingStandard.objects.order_by("-year", "region_code", "pk"), request, "standards"), "can_change": can_change,
        "multiplier": conf.get("RELATIVE_MULTIPLIER"), "types": AssistanceType.choices})
