"""工会经费 pages: thin views over selectors and services."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.core import audit, clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset
from gonghui.core.views_base import requires
from gonghui.orgs.models import GRASSROOTS_TYPES, Employer, Org
from gonghui.orgs.selectors import picked

from . import exports, forms, selectors, services
from .models import (
    FundReview,
    LetterTemplate,
    Level,
    Receipt,
    Refund,
    RefundStatus,
    ReviewFinding,
    SplitShare,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"




def _filters(request, form_class, perm="funds.view"):
    """The list's filter form, the valid filters and the org chosen (errors shown, others kept)."""
    form = form_class(request.GET or None)
    filters, org = {}, None
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
        code = filters.pop("org", "")
        if code:
            org = picked(request.user, code, perm, form, "org")
    return form, filters, org


def _apply(form, err: ServiceError):
    field = err.field if err.field in form.fields else None
    form.add_error(field, err)


@requires("funds.view")
def index(request):
    form, filters, org = _filters(request, forms.ReceiptFilterForm)
    qs = selectors.receipts(request.user, org=org, **filters)
    page = keyset(qs, request, "funds.receipts")
    return render(request, "funds/index.html", {
        "form": form, "page": page, "total": selectors.total_amount(qs),
        "can_change": scope.has_perm(request.user, "funds.change"),
        "pending": selectors.pending(request.user).exists() if scope.has_perm(request.user, "funds.change") else False,
    })


@requires("funds.change")
def pending(request):
    form, filters, org = _filters(request, forms.PendingFilterForm, "funds.change")
    qs = selectors.pending(request.user, org=org, **filters)
    page = keyset(qs, request, "funds.pending")
    return render(request, "funds/pending.html", {"form": form, "page": page, "total": selectors.total_amount(qs)})


def _history(object_type: str, pk: int) -> list[tuple]:
    events = audit.AuditEvent.objects.filter(object_type=object_type, object_id=str(pk)).order_by("seq")
    return [(e.created_at, e.actor_name, audit.action_label(e.action)) for e in events]


@requires("funds.view")
def receipt_detail(request, pk):
    r = scope.get_visible_or_404(Receipt.objects.select_related("employer", "org"), request.user, "funds.view", pk=pk)
    can_match = r.status == "pending" and scope.has_perm(request.user, "funds.change", r.org_path)
    return render(request, "funds/receipt_detail.html", {
        "r": r, "splits": r.splits.order_by("level"), "match_form": forms.MatchForm() if can_match else None,
        "history": _history("funds.receipt", r.pk),
    })


def _employer(user, text: str, form):
    text = (text or "").strip()
    qs = scope.visible(Employer.objects.all(), user, "funds.change", "org__path")
    found = list(qs.filter(uscc=text.upper())[:2]) if len(text) == 18 else []
    found = found or list(qs.filter(name=text)[:2])
    if not found:
        form.add_error("employer", f"未找到“{text}”，或该单位不在您的管理范围内。")
        return None
    if len(found) > 1:
        form.add_error("employer", f"有多家名为“{text}”的单位，请输入其统一社会信用代码。")
        return None
    return found[0]


@requires("funds.change")
def receipt_match(request, pk):
    r = scope.get_visible_or_404(Receipt.objects.select_related("employer", "org"), request.user, "funds.change",
                                 pk=pk)
    form = forms.MatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = _employer(request.user, form.cleaned_data["employer"], form)
        if employer is not None:
            try:
                services.receipt_match(actor=request.user, receipt=r, employer=employer)
            except ServiceError as err:
                _apply(form, err)
            else:
                messages.success(request, f"已将凭证号{r.reference}匹配到“{employer.name}”。")
                return redirect("funds:pending")
    return render(request, "funds/form.html", {"form": form, "title": f"匹配缴款单位：凭证号{r.reference}",
                                               "note": f"原文：{r.raw_name or '—'}，{r.raw_uscc or '无代码'}，"
                                                       f"金额{r.amount}元", "back": "funds:pending"})


@requires("funds.change")
def receipt_new(request):
    home = getattr(request.user, "home_org", None)
    form = forms.ReceiptForm(request.POST or None, initial={"received_on": clock.today(),
                                                            "org": home.code if home else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = picked(request.user, d["org"], "funds.change", form, "org")
        if org is not None:
            try:
                r = services.receipt_record(actor=request.user, org=org, reference=d["reference"], channel=d["channel"],
                                            amount=d["amount"], received_on=d["received_on"], uscc=d["uscc"],
                                            name=d["name"], month=d["month"], payroll_base=d["payroll_base"],
                                            note=d["note"])
            except ServiceError as err:
                _apply(form, err)
            else:
                messages.success(request, f"已登记凭证号{r.reference}。")
                return redirect("funds:receipt_detail", r.pk)
    return render(request, "funds/form.html", {"form": form, "title": "登记经费收入", "back": "funds:index"})


@requires("funds.view")
def declarations(request):
    form, filters, org = _filters(request, forms.DeclarationFilterForm)
    qs = selectors.declarations(request.user, org=org, **filters)
    page = keyset(qs, request, "funds.declarations")
    from . import conf

    charging = bool(conf.get("LATE_FEE_PERCENT_PER_DAY"))
    if charging:
        today = clock.today()
        for d in page.items:
            d.fee = services.late_fee(d, today)
    return render(request, "funds/declarations.html", {
        "form": form, "page": page, "charging": charging,
        "can_change": scope.has_perm(request.user, "funds.change")})


@requires("funds.change")
def declaration_new(request):
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        employer = _employer(request.user, d["employer"], form)
        if employer is not None:
            try:
                decl = services.declaration_record(actor=request.user, employer=employer, month=d["month"],
                                                   payroll_total=d["payroll_total"], employees=d["employees"])
            except ServiceError as err:
                _apply(form, err)
            else:
                messages.success(request, f"已登记“{employer.name}”{decl.month:%Y年%-m月}的工资总额，"
                                          f"应缴{decl.due}元（{decl.get_kind_display()}）。")
                return redirect("funds:declarations")
    return render(request, "funds/form.html", {"form": form, "title": "登记工资总额申报", "back": "funds:declarations",
                                               "note": "应缴 = 工资总额 × 2%；当月无工会覆盖的单位计为工会筹备金。"
                                                       "同一单位同一月份再次登记即更正原申报。"})


@requires("funds.view")
def dunning(request, pk):
    """The 催缴通知书 (Word) of one employer's arrears."""
    from . import documents

    employer = scope.get_visible_or_404(Employer.objects.select_related("org"), request.user, "funds.view",
                                        "org__path", pk=pk)
    content = documents.dunning_letter(employer)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"工会经费催缴通知书_{employer.name}.docx")


def _letter_org(request):
    """The user's own federation, whose 催缴通知书 template the page sets."""
    org = getattr(request.user, "home_org", None)
    if org is None or not scope.has_perm(request.user, "funds.change", org.path):
        raise PermissionDenied("您没有所属单位，或无权设置该单位的催缴通知书模板。")
    return org


@requires("funds.change")
def letter_template(request):
    """催缴通知书模板 of the user's own federation: upload one (used for its whole subtree's
    employers), download the one in use to edit it, or go back to the one above (or the built-in one)."""
    from . import documents

    org = _letter_org(request)
    form = forms.LetterTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.letter_template_remove(actor=request.user, org=org)
                messages.success(request, "已停用本单位的催缴通知书模板，改用上级或系统内置模板。")
                return redirect("funds:letter_template")
            if form.is_valid():
                upload = form.cleaned_data["file"]
                services.letter_template_upload(actor=request.user, org=org, name=upload.name,
                                                content=upload.read())
                messages.success(request, "催缴通知书模板已上传，本单位及下级单位打印催缴通知书时将使用此模板。")
                return redirect("funds:letter_template")
        except ServiceError as err:
            form.add_service_error(err)
    return render(request, "funds/letter_template.html", {
        "form": form, "org": org, "own": LetterTemplate.objects.filter(org=org).first(),
        "effective": documents.template_for(org)[1], "variables": list(documents.VARIABLES.items()),
        "month_variables": list(documents.MONTH_VARIABLES.items()), "tab": "declarations"},
        status=400 if form.errors else 200)


@requires("funds.change")
def letter_template_download(request):
    """The template in use for the user's federation (its own, the one above, or the built-in one)."""
    from . import documents

    content, _label = documents.template_for(_letter_org(request))
    return FileResponse(io.BytesIO(content), as_attachment=True, filename="催缴通知书模板.docx")


@requires("funds.view")
def formalities(request):
    form, filters, org = _filters(request, forms.UnionFilterForm)
    qs = selectors.unions(request.user, org=org, **filters)
    return render(request, "funds/formalities.html", {
        "form": form, "page": keyset(qs, request, "funds.formalities"),
        "can_change": scope.has_perm(request.user, "funds.change"),
    })


def _union(request, pk, perm):
    return scope.get_visible_or_404(Org.objects.filter(org_type__in=GRASSROOTS_TYPES), request.user, perm, "path",
                                    pk=pk)


@requires("funds.change")
def formality_edit(request, pk):
    union = _union(request, pk, "funds.change")
    f = selectors.formality(union)
    initial = {"on": clock.today()}
    if f:
        initial.update(bank_name=f.bank_name, account_name=f.account_name, certificate_no=f.certificate_no,
                       agreement_on=f.agreement_on)
    form = forms.FormalityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.formality_save(actor=request.user, union=union, bank_name=d["bank_name"],
                                    account_name=d["account_name"], account=d["account"] or None,
                                    certificate_no=d["certificate_no"], agreement_on=d["agreement_on"], on=d["on"])
        except ServiceError as err:
            _apply(form, err)
        else:
            messages.success(request, f"已保存“{union.name}”的返还手续。")
            return redirect("funds:formalities")
    note = f"现有账号：{f.account_masked}（留空则不变）" if f and f.account_masked else ""
    can_reveal = bool(f and f.account_cipher) and scope.has_perm(request.user, "funds.view_sensitive", union.path)
    return render(request, "funds/form.html", {
        "form": form, "title": f"返还手续：{union.name}", "note": note, "back": "funds:formalities",
        "reveal_url": reverse("funds:formality_reveal", args=[union.pk]) if can_reveal else "",
        "reveal_form": forms.RevealForm()})


@requires("funds.view_sensitive")
@require_POST
def formality_reveal(request, pk):
    union = _union(request, pk, "funds.view_sensitive")
    f = selectors.formality(union)
    form = forms.RevealForm(request.POST)
    if f is None or not f.account_cipher:
        raise Http404("未登记银行账号。")
    if not form.is_valid():
        return render(request, "funds/_revealed.html", {"error": "查看完整账号须填写查看事由。"})
    audit.log_access(user=request.user, kind="view", object_type="funds.refundformality", object_id=str(f.pk),
                     fields=["account"], reason=form.cleaned_data["reason"], org_path=union.path)
    return render(request, "funds/_revealed.html", {"account": f.account_number})


@requires("funds.view")
def refunds(request):
    form, filters, org = _filters(request, forms.RefundFilterForm)
    qs = selectors.refunds(request.user, org=org, **filters)
    return render(request, "funds/refunds.html", {
        "form": form, "page": keyset(qs, request, "funds.refunds"),
        "can_change": scope.has_perm(request.user, "funds.change")})


def _refund(request, pk, perm="funds.view"):
    return scope.get_visible_or_404(Refund.objects.select_related("union", "prepared_by", "approved_by"),
                                    request.user, perm, pk=pk)


@requires("funds.view")
def refund_detail(request, pk):
    r = _refund(request, pk)
    user = request.user
    return render(request, "funds/refund_detail.html", {
        "r": r, "today": clock.today(),
        "can_approve": r.status == RefundStatus.PREPARED and scope.has_perm(user, "funds.approve", r.org_path)
        and r.prepared_by_id != user.pk,
        "can_pay": r.status == RefundStatus.APPROVED and scope.has_perm(user, "funds.change", r.org_path),
        "history": _history("funds.refund", r.pk),
    })


@requires("funds.change")
def refund_new(request):
    form = forms.RefundForm(request.POST or None, initial={"on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        union = picked(request.user, d["union"], "funds.change", form, "union", "基层工会")
        if union is not None:
            try:
                r = services.refund_prepare(actor=request.user, union=union, start=d["start"], end=d["end"],
                                            on=d["on"], note=d["note"])
            except ServiceError as err:
                _apply(form, err)
            else:
                messages.success(request, f"已编制返还，金额{r.amount}元，待另一位审批人审批。")
                return redirect("funds:refund_detail", r.pk)
    return render(request, "funds/form.html", {"form": form, "title": "编制经费返还", "back": "funds:refunds",
                                               "note": "返还金额 = 该工会期间内入库经费中基层工会分成部分之和；"
                                                       "返还手续须已完善。"})


def _refund_action(request, pk, perm, form_class, action, done):
    r = _refund(request, pk, perm)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(r, form.cleaned_data)
        except ServiceError as err:
            messages.error(request, err.messages[0])
        else:
            messages.success(request, done)
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("funds:refund_detail", r.pk)


@requires("funds.approve")
@require_POST
def refund_approve(request, pk):
    return _refund_action(request, pk, "funds.approve", forms.DateForm, lambda r, d: services.refund_approve(
        actor=request.user, refund=r, on=d["on"]), "已审批。")


@requires("funds.approve")
@require_POST
def refund_refuse(request, pk):
    return _refund_action(request, pk, "funds.approve", forms.RefuseForm, lambda r, d: services.refund_refuse(
        actor=request.user, refund=r, reason=d["reason"]), "已退回。")


@requires("funds.change")
@require_POST
def refund_pay(request, pk):
    return _refund_action(request, pk, "funds.change", forms.DateForm, lambda r, d: services.refund_pay(
        actor=request.user, refund=r, paid_on=d["on"]), "已登记支付。")


@requires("funds.view")
def shares(request):
    can_manage = scope.has_perm(request.user, "funds.manage")
    form = forms.ShareForm(request.POST or None, initial={"remainder": Level.COUNTY})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您无权维护经费分成比例。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.share_table_set(actor=request.user, valid_from=d["valid_from"], remainder=d["remainder"],
                                         shares={v: d[f"pct_{v}"] for v in Level.values})
            except ServiceError as err:
                _apply(form, err)
            else:
                messages.success(request, "已保存分成比例。")
                return redirect("funds:shares")
    rows = SplitShare.objects.order_by("-valid_from", "level")
    tables: dict = {}
    for row in rows:
        tables.setdefault(row.valid_from, []).append(row)
    current, remainder = services.shares_on(clock.today())
    return render(request, "funds/shares.html", {
        "form": form if can_manage else None, "tables": tables,
        "current": [(Level(k).label, v) for k, v in current.items()], "remainder": Level(remainder).label})


@requires("funds.view")
def dues(request):
    form, filters, org = _filters(request, forms.DuesFilterForm)
    qs = selectors.dues(request.user, org=org, **filters)
    return render(request, "funds/dues.html", {
        "form": form, "page": keyset(qs, request, "funds.dues"),
        "can_change": scope.has_perm(request.user, "funds.change")})


@requires("funds.change")
def dues_new(request):
    form = forms.DuesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        union = picked(request.user, d["union"], "funds.change", form, "union", "基层工会")
        if union is not None:
            try:
                services.dues_record(actor=request.user, union=union, month=d["month"], members=d["members"],
                                     wage_base=d["wage_base"], paid=d["paid"])
            except ServiceError as err:
                _apply(form, err)
            else:
                messages.success(request, f"已登记“{union.name}”的会费。")
                return redirect("funds:dues")
    return render(request, "funds/form.html", {"form": form, "title": "登记会费收缴", "back": "funds:dues"})


@requires("funds.view")
def reviews(request):
    form, filters, org = _filters(request, forms.ReviewFilterForm)
    qs = selectors.reviews(request.user, org=org, **filters)
    return render(request, "funds/reviews.html", {
        "form": form, "page": keyset(qs, request, "funds.reviews"),
        "can_change": scope.has_perm(request.user, "funds.change")})


@requires("funds.change")
def review_new(request):
    form = forms.ReviewForm(request.POST or None, initial={"reviewed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = picked(request.user, d["org"], "funds.change", form, "org")
        if org is not None:
            try:
                r = services.review_record(actor=request.user, org=org, kind=d["kind"], period_start=d["period_start"],
                                           period_end=d["period_end"], reviewed_on=d["reviewed_on"],
                                           auditor=d["auditor"], chair_name=d["chair_name"],
                                           conclusion=d["conclusion"], reported_on=d["reported_on"])
            except ServiceError as err:
                _apply(form, err)
            else:
                messages.success(request, "已登记经费审查，可在下方登记发现的问题。")
                return redirect("funds:review_detail", r.pk)
    return render(request, "funds/form.html", {"form": form, "title": "登记经费审查", "back": "funds:reviews",
                                               "note": "经费审查委员会审查本会经费收支、上级经审会审计，"
                                                       "或工会主席离任时的任期经济责任审计。"})


def _review(request, pk, perm="funds.view"):
    return scope.get_visible_or_404(FundReview.objects.select_related("org", "created_by"), request.user, perm, pk=pk)


@requires("funds.view")
def review_detail(request, pk):
    r = _review(request, pk)
    return render(request, "funds/review_detail.html", {
        "r": r, "findings": r.findings.order_by("due_on", "pk"),
        "can_change": scope.has_perm(request.user, "funds.change", r.org_path),
        "history": _history("funds.fundreview", r.pk)})


@requires("funds.change")
def finding_new(request, pk):
    r = _review(request, pk, "funds.change")
    form = forms.FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.finding_add(actor=request.user, review=r, description=d["description"], amount=d["amount"],
                                 due_on=d["due_on"])
        except ServiceError as err:
            _apply(form, err)
        else:
            messages.success(request, "已登记发现的问题。")
            return redirect("funds:review_detail", r.pk)
    return render(request, "funds/form.html", {"form": form, "title": f"登记发现问题：{r}", "back": "funds:reviews"})


@requires("funds.change")
def finding_rectify(request, pk):
    f = scope.get_visible_or_404(ReviewFinding.objects.select_related("review__org"), request.user, "funds.change",
                                 pk=pk)
    form = forms.RectifyForm(request.POST or None, initial={"rectified_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            f = services.finding_rectify(actor=request.user, finding=f, rectified_on=d["rectified_on"],
                                         rectification=d["rectification"])
        except ServiceError as err:
            _apply(form, err)
        else:
            messages.success(request, f"已登记整改（{f.state}）。")
            return redirect("funds:review_detail", f.review_id)
    return render(request, "funds/form.html", {"form": form, "title": f"登记整改：{f.description[:30]}",
                                               "note": f"整改期限{f.due_on}", "back": "funds:reviews"})


EXPORTS = {"receipts": (exports.ReceiptList, forms.ReceiptFilterForm),
           "dues": (exports.DuesList, forms.DuesFilterForm),
           "declarations": (exports.DeclarationList, forms.DeclarationFilterForm),
           "formalities": (exports.FormalityList, forms.UnionFilterForm),
           "refunds": (exports.RefundList, forms.RefundFilterForm)}


@requires("funds.view")
def export(request, what):
    if what not in EXPORTS:
        raise Http404("没有这个导出。")
    exporter_class, form_class = EXPORTS[what]
    form, filters, org = _filters(request, form_class)
    if form.errors:
        messages.error(request, "筛选条件有误，请先修正。")
        return redirect("funds:index")
    exporter = exporter_class(request.user, org=org, params=filters)
    out = io.BytesIO()
    exporter.write(out)
    return FileResponse(io.BytesIO(out.getvalue()), as_attachment=True, filename=exporter.filename(), content_type=XLSX)

