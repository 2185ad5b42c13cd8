"""互助保障 pages. Thin: fetch in scope → form → service → redirect.

Claims show the diagnosis masked; a holder of `mutual_aid.view_sensitive` asks for the full view
(`?reveal=1`), which is access-logged (services.claim_reveal).
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import clock, excel, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset
from gonghui.core.params import ID_MAX, int_param
from gonghui.core.scope import subtree_q
from gonghui.core.views_base import requires
from gonghui.orgs.models import Org, OrgPlacement, valid_on

from . import documents, exports, forms, services
from .models import Batch, Claim, ClaimDocument, ClaimStatus, FormTemplate, Item, Plan, Term

VIEW, CHANGE, PLAN = "mutual_aid.view", "mutual_aid.change", "mutual_aid.plan"


def _money(totals: dict, *keys) -> dict:
    """Sums of money to the cent (SQLite sums decimals as numbers)."""
    for k in keys:
        totals[k] = Decimal(str(totals[k] or 0)).quantize(Decimal("0.01"))
    return totals


def _node_filter(request, qs, field: str, in_force: list):
    code = request.GET.get("org", "").strip()
    if code:  # from a figure's drill-down: one node's subtree
        node = scope.get_visible_or_404(Org.objects.all(), request.user, VIEW, code=code)
        qs = qs.filter(subtree_q(field, node.path))
        in_force.append(("单位编码(含下级)", code))
    return qs


@requires(VIEW)
def index(request):
    """参保批次: the units' group enrolments, newest first, with their coverage and premium."""
    f = request.GET
    qs = scope.visible(Batch.objects.select_related("union", "term__plan"), request.user, VIEW, "union__path")
    in_force: list = []
    qs = _node_filter(request, qs, "path", in_force)
    plan = int_param(f, "plan", min_value=1, max_value=ID_MAX)  # anything else: no plan filter
    if plan is not None:
        qs = qs.filter(term__plan_id=plan)
        in_force.append(("项目", Plan.objects.filter(pk=plan).values_list("name", flat=True).first() or plan))
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(Q(no__contains=q) | Q(union__name__contains=q))
        in_force.append(("查找", q))
    totals = _money(qs.aggregate(people=Sum("enrolled_count"), premium=Sum("premium_total"),
                                 insured=Sum("sum_insured_total")), "premium", "insured")
    page = keyset(qs.order_by("-enrolled_on", "-pk"), request, "mutual_aid.batches")
    return render(request, "mutual_aid/index.html", {
        "page": page, "in_force": in_force, "filters": f, "totals": totals,
        "plans": Plan.objects.order_by("code"), "can_change": scope.has_perm(request.user, CHANGE),
    })


def _home(path: str, on) -> str:
    """"县 › 镇 › 单位": the orgs that stood at the path's levels on the date (a path stored on a
    dated row is the tree of that date, not today's)."""
    step = Org.steplen
    prefixes = [path[:i] for i in range(step, len(path) + 1, step)]
    names = {p: short or name for p, name, short in OrgPlacement.objects.filter(valid_on(on), path__in=prefixes)
             .values_list("path", "org__name", "org__short_name").order_by()}
    return " › ".join(names.get(p, "？") for p in prefixes)


@requires(VIEW)
def batch_detail(request, pk):
    batch = scope.get_visible_or_404(Batch.objects.select_related("union", "term__plan"), request.user, VIEW,
                                     "union__path", pk=pk)
    items = keyset(batch.items.order_by("row_no", "pk"), request, "mutual_aid.items")
    can_change = scope.has_perm(request.user, CHANGE, batch.union.path)
    return render(request, "mutual_aid/batch_detail.html", {
        "batch": batch, "page": items, "min_coverage": batch.term.plan.min_coverage, "can_change": can_change,
        "home": _home(batch.path, batch.enrolled_on), "stale": services.batch_stale_rows(batch) if can_change else 0,
        "term_open": batch.term.opens_on <= clock.today() <= batch.term.closes_on and batch.term.plan.active})


@requires(VIEW)
def claims(request):
    f = request.GET
    qs = scope.visible(Claim.objects.select_related("union", "item"), request.user, VIEW, "union__path")
    in_force: list = []
    qs = _node_filter(request, qs, "path", in_force)
    if f.get("status") in ClaimStatus.values:
        qs = qs.filter(status=f["status"])
        in_force.append(("状态", ClaimStatus(f["status"]).label))
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(Q(no__contains=q) | Q(item__name__contains=q) | Q(union__name__contains=q))
        in_force.append(("查找", q))
    totals = _money(qs.aggregate(amount=Sum("amount"), paid=Sum("paid_amount")), "amount", "paid")
    page = keyset(qs.order_by("-registered_on", "-pk"), request, "mutual_aid.claims")
    return render(request, "mutual_aid/claims.html", {
        "page": page, "in_force": in_force, "filters": f, "totals": totals, "statuses": ClaimStatus.choices})


@requires(VIEW)
def claim_detail(request, pk):
    claim = scope.get_visible_or_404(Claim.objects.select_related("union", "item__plan", "item__batch"),
                                     request.user, VIEW, "union__path", pk=pk)
    can_reveal = scope.has_perm(request.user, "mutual_aid.view_sensitive", claim.union.path)
    revealed = services.claim_reveal(user=request.user, claim=claim) if can_reveal and request.GET.get("reveal") else None
    steps = [(k, STEPS[k][0]) for k in STEPS if k in services.CLAIM_FLOW.allowed(claim.status)
             and scope.has_perm(request.user, STEPS[k][1], claim.union.path)]
    bound = getattr(request, "_bound", {})
    form = bound.get("form") or forms.ClaimStepForm(initial={"on": clock.today()})
    can_edit = claim.status not in services.FINISHED and scope.has_perm(request.user, CHANGE, claim.union.path)
    payee_form = bound.get("payee_form") or forms.PayeeForm(
        initial={"payee_name": claim.payee_name or claim.item.name, "bank_name": claim.bank_name}, prefix="payee")
    return render(request, "mutual_aid/claim_detail.html", {
        "claim": claim, "item": claim.item, "revealed": revealed, "can_reveal": can_reveal, "steps": steps,
        "form": form, "can_edit": can_edit, "payee_form": payee_form,
        "reveal_form": bound.get("reveal_form") or forms.AccountRevealForm(prefix="reveal"),
        "account": bound.get("account"), "documents": claim.documents.all(),
        "document_form": bound.get("document_form") or forms.ClaimDocumentForm(prefix="doc")})


def _claim(request, pk, perm=VIEW) -> Claim:
    return scope.get_visible_or_404(Claim.objects.select_related("union"), request.user, perm, "union__path", pk=pk)


@requires(CHANGE)
@require_POST
def claim_payee(request, pk):
    """收款账户 of a claim; the number encrypted, shown masked."""
    claim = _claim(request, pk, CHANGE)
    form = forms.PayeeForm(request.POST, prefix="payee")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.claim_payee_set(actor=request.user, claim=claim, payee_name=d["payee_name"],
                                     bank_name=d["bank_name"], account=d["account"] or None)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"理赔{claim.no}：已登记收款账户。")
            return redirect("mutual_aid:claim_detail", pk=claim.pk)
    request._bound = {"payee_form": form}
    return claim_detail(request, pk)


@requires("mutual_aid.view_sensitive")
@require_POST
def claim_account(request, pk):
    """The payee's full account, once, for a stated reason; the access is logged."""
    claim = _claim(request, pk, "mutual_aid.view_sensitive")
    form = forms.AccountRevealForm(request.POST, prefix="reveal")
    if form.is_valid() and claim.account_cipher:
        number = services.claim_account_reveal(user=request.user, claim=claim, reason=form.cleaned_data["reason"])
        request._bound = {"account": number}
    else:
        request._bound = {"reveal_form": form}
    return claim_detail(request, pk)


@requires(CHANGE)
@require_POST
def claim_document_add(request, pk):
    claim = _claim(request, pk, CHANGE)
    form = forms.ClaimDocumentForm(request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        try:
            services.claim_document_add(actor=request.user, claim=claim, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"理赔{claim.no}：已上传{form.cleaned_data['file'].name}。")
            return redirect("mutual_aid:claim_detail", pk=claim.pk)
    request._bound = {"document_form": form}
    return claim_detail(request, pk)


@requires("mutual_aid.view_sensitive")
def claim_document(request, pk):
    """A claim's paper: for holders of mutual_aid.view_sensitive, each download logged."""
    doc = scope.get_visible_or_404(ClaimDocument.objects.select_related("claim__union"), request.user,
                                   "mutual_aid.view_sensitive", "claim__union__path", pk=pk)
    handle = services.claim_document_open(user=request.user, document=doc)
    return FileResponse(handle, as_attachment=True, filename=doc.name)


# Each step of a claim: (button label, permission, service, target status).
STEPS = {
    ClaimStatus.REVIEWED: ("审核通过", "mutual_aid.review", services.claim_review),
    ClaimStatus.APPROVED: ("审批同意", "mutual_aid.approve", services.claim_approve),
    ClaimStatus.PAID: ("登记给付", "mutual_aid.approve", services.claim_pay),
    ClaimStatus.REJECTED: ("拒付", "mutual_aid.review", services.claim_reject),
}


@requires(VIEW)
@require_POST
def claim_act(request, pk, step):
    if step not in STEPS:
        raise Http404("没有这个办理步骤。")
    claim = scope.get_visible_or_404(Claim.objects.select_related("union"), request.user, VIEW, "union__path", pk=pk)
    form = forms.ClaimStepForm(request.POST)
    if form.is_valid():
        kwargs = {"actor": request.user, "claim": claim, "on": form.cleaned_data["on"]}
        if step == ClaimStatus.REJECTED:
            kwargs["reason"] = form.cleaned_data["reason"]
        try:
            STEPS[step][2](**kwargs)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"理赔{claim.no}：{STEPS[step][0]}。")
            return redirect("mutual_aid:claim_detail", pk=claim.pk)
    request._bound = {"form": form}
    return claim_detail(request, pk)


@requires(CHANGE)
def claim_new(request, item):
    item = scope.get_visible_or_404(Item.objects.select_related("union", "plan", "batch"), request.user, CHANGE,
                                    "union__path", pk=item)
    benefits = list(item.plan.benefits.all())
    form = forms.ClaimForm(request.POST or None, benefits=benefits, initial={"registered_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_register(actor=request.user, item=item, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已登记理赔{claim.no}：{claim.get_decision_display()}，核定{claim.amount}元。")
            return redirect("mutual_aid:claim_detail", pk=claim.pk)
    return render(request, "mutual_aid/claim_form.html", {"form": form, "item": item})


@requires(VIEW)
def plans(request):
    qs = Plan.objects.prefetch_related("benefits", "terms").select_related("org").order_by("code")
    return render(request, "mutual_aid/plans.html", {"plans": qs, "can_plan": scope.has_perm(request.user, PLAN)})


@requires(PLAN)
def plan_new(request):
    home = getattr(request.user, "home_org", None)
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        benefits, code = data.pop("benefits"), data.pop("code")
        try:
            if home is None:
                raise PermissionDenied("您没有所属单位，不能设立项目。")
            plan = services.plan_create(actor=request.user, org=home, code=code, benefits=benefits, **data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已设立项目“{plan.name}”。")
            return redirect("mutual_aid:plans")
    return render(request, "mutual_aid/plan_form.html", {"form": form, "title": "设立互助保障项目"})


@requires(PLAN)
def plan_edit(request, plan):
    plan = get_object_or_404(Plan.objects.select_related("org"), pk=plan)
    if not scope.has_perm(request.user, PLAN, plan.org.path):
        raise Http404("未找到该记录，或您无权查看。")
    initial = {f: getattr(plan, f) for f in services.PLAN_FIELDS}
    initial["benefits"] = "\n".join(f"{b.code},{b.name},{b.amount_per_unit}" for b in plan.benefits.all())
    form = forms.PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        benefits = data.pop("benefits")
        try:
            services.plan_update(actor=request.user, plan=plan, benefits=benefits, **data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已修改项目“{plan.name}”。")
            return redirect("mutual_aid:plans")
    return render(request, "mutual_aid/plan_form.html", {
        "form": form, "title": f"修改项目：{plan.name}（{plan.code}）",
        "note": "修改保费、份数、等待期等规则只影响此后的参保和理赔，已参保记录的保费、保障期不变。"})


@requires(PLAN)
def form_template(request):
    """参保单模板 of the user's own federation: upload one (used by its whole subtree), download the
    one in use to edit it, or go back to the one above (or the built-in one)."""
    org = getattr(request.user, "home_org", None)
    if org is None or not scope.has_perm(request.user, PLAN, org.path):
        raise PermissionDenied("您没有所属单位，不能设置参保单模板。")
    form = forms.FormTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            services.form_template_remove(actor=request.user, org=org)
            messages.success(request, "已停用本单位的参保单模板，改用上级或系统内置模板。")
            return redirect("mutual_aid:form_template")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.form_template_upload(actor=request.user, org=org, name=upload.name, content=upload.read())
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "参保单模板已上传，本单位及下级工会打印参保单时将使用此模板。")
                return redirect("mutual_aid:form_template")
    return render(request, "mutual_aid/form_template.html", {
        "form": form, "org": org, "own": FormTemplate.objects.filter(org=org).first(),
        "effective": documents.template_for(org)[1], "variables": list(documents.VARIABLES.items()),
        "item_variables": list(documents.ITEM_VARIABLES.items())},
        status=400 if form.errors else 200)


@requires(PLAN)
def form_template_download(request):
    """The template in use for the user's federation (its own, the one above, or the built-in one)."""
    org = getattr(request.user, "home_org", None)
    if org is None:
        raise PermissionDenied("您没有所属单位。")
    content, _label = documents.template_for(org)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename="参保单模板.docx")


@requires(PLAN)
def term_new(request, plan):
    plan = get_object_or_404(Plan.objects.select_related("org"), pk=plan)
    if not scope.has_perm(request.user, PLAN, plan.org.path):
        raise Http404("未找到该记录，或您无权查看。")
    form = forms.TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(actor=request.user, plan=plan, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已设立期次“{term}”。")
            return redirect("mutual_aid:plans")
    return render(request, "mutual_aid/plan_form.html", {"form": form, "title": f"{plan.name} · 设立期次"})


@requires(CHANGE)
def enrol(request):
    """单位集体参保 from the roster: pick the term and the union, tick the eligible members."""
    today = clock.today()
    terms = list(Term.objects.select_related("plan").filter(plan__active=True, opens_on__lte=today,
                                                            closes_on__gte=today))
    data = request.POST if request.method == "POST" else (request.GET if request.GET.get("union") else None)
    form = forms.EnrolForm(data, terms=terms, initial={"enrolled_on": today, "units": 1})
    people, union = [], None
    if data is not None and form.is_valid():
        union = Org.objects.filter(code=form.cleaned_data["union"].strip()).first()
        term = next(t for t in terms if t.pk == form.cleaned_data["term"])
        if union is None or not scope.has_perm(request.user, CHANGE, union.path):
            form.add_error("union", "单位编码不存在，或不在您的管理范围内。")
        else:
            people = services.eligible_people(term.plan, union, form.cleaned_data["enrolled_on"])
            if request.method == "POST":
                chosen = {int(x) for x in request.POST.getlist("person") if x.isdigit()}
                entries = [services.Entry(units=form.cleaned_data["units"], person=p, row=i)
                           for i, p in enumerate((p for p in people if p.pk in chosen), start=1)]
                try:
                    batch = services.batch_enrol(actor=request.user, term=term, union=union,
                                                 enrolled_on=form.cleaned_data["enrolled_on"], entries=entries,
                                                 eligible_count=len(people))
                except ServiceError as err:
                    form.add_service_error(err)
                else:
                    messages.success(request, f"已生成参保单{batch.no}：参保{batch.enrolled_count}人，"
                                              f"保费{batch.premium_total}元。")
                    return redirect("mutual_aid:batch_detail", pk=batch.pk)
    chosen = set(request.POST.getlist("person")) if request.method == "POST" else None
    return render(request, "mutual_aid/enrol.html", {"form": form, "people": people, "union": union,
                                                     "chosen": chosen})


def _batch(request, pk, perm=CHANGE) -> Batch:
    return scope.get_visible_or_404(Batch.objects.select_related("union", "term__plan"), request.user, perm,
                                    "union__path", pk=pk)


@requires(CHANGE)
def batch_add(request, pk):
    """增补: tick the union's eligible members not yet in the term, or enter a new hire who is not on
    the roster yet (入会并增补, a second form posting to batch_join)."""
    batch = _batch(request, pk)
    today = clock.today()
    form = forms.BatchAddForm(request.POST or request.GET or None, initial={"enrolled_on": today, "units": 1})
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["enrolled_on"]
        chosen = {int(x) for x in request.POST.getlist("person") if x.isdigit()}
        entries = [services.Entry(units=form.cleaned_data["units"], person=p, row=i)
                   for i, p in enumerate((p for p in services.addable_people(batch, on) if p.pk in chosen), start=1)]
        try:
            added = services.batch_add(actor=request.user, batch=batch, enrolled_on=on, entries=entries)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"参保单{batch.no}增补{len(added)}人。")
            return redirect("mutual_aid:batch_detail", pk=batch.pk)
    return _add_page(request, batch, form, None)


def _add_page(request, batch, form, join_form):
    today = clock.today()
    on = form.cleaned_data["enrolled_on"] if form.is_bound and form.is_valid() else today
    join_form = join_form or forms.JoinAddForm(initial={"enrolled_on": today, "joined_on": today, "units": 1},
                                               prefix="join")
    return render(request, "mutual_aid/batch_add.html", {
        "batch": batch, "form": form, "people": services.addable_people(batch, on), "join_form": join_form,
        "chosen": set(request.POST.getlist("person")) if form.is_bound and request.method == "POST" else set(),
        "can_join": scope.has_perm(request.user, "members.change", batch.union.path)})


@requires(CHANGE)
@require_POST
def batch_join(request, pk):
    """入会并增补: a new hire not on the roster joins the union and enters the batch together."""
    batch = _batch(request, pk)
    form = forms.JoinAddForm(request.POST, prefix="join")
    if form.is_valid():
        try:
            item = services.join_and_add(actor=request.user, batch=batch, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"{item.name}已入会并增补参保（参保单{batch.no}）。")
            return redirect("mutual_aid:batch_detail", pk=batch.pk)
    return _add_page(request, batch, forms.BatchAddForm(initial={"enrolled_on": clock.today(), "units": 1}), form)


@requires(CHANGE)
@require_POST
def batch_rehome(request, pk):
    batch = _batch(request, pk)
    moved = services.batch_rehome(actor=request.user, batch=batch)
    if moved:
        messages.success(request, f"参保单{batch.no}：{moved}条记录已按参保日、登记日的组织关系重新归属。")
    else:
        messages.info(request, f"参保单{batch.no}的归属与参保日的组织关系一致，无需调整。")
    return redirect("mutual_aid:batch_detail", pk=batch.pk)


@requires(VIEW)
def batch_docx(request, pk):
    """参保单 (Word) to print and stamp."""
    batch = scope.get_visible_or_404(Batch.objects.select_related("union", "term__plan"), request.user, VIEW,
                                     "union__path", pk=pk)
    return FileResponse(io.BytesIO(documents.enrolment_form(batch)), as_attachment=True,
                        filename=f"参保单{batch.no}.docx")


def _xlsx(headers, rows, title, text_columns):
    out = io.BytesIO()
    excel.write_table(out, headers, rows, sheet_name=title, text_columns=text_columns)
    return FileResponse(io.BytesIO(out.getvalue()), as_attachment=True, filename=f"{title}{clock.today():%Y%m%d}.xlsx")


@requires(VIEW)
def export_items(request):
    qs = scope.visible(Item.objects.all(), request.user, VIEW, "union__path")
    if request.GET.get("batch", "").isdigit():
        qs = qs.filter(batch_id=int(request.GET["batch"]))
    return _xlsx(exports.ITEM_HEADERS, exports.item_rows(qs), "互助保障参保人员名单", (2, 4, 5, 7))


@requires(VIEW)
def export_claims(request):
    qs = scope.visible(Claim.objects.all(), request.user, VIEW, "union__path")
    return _xlsx(exports.CLAIM_HEADERS, exports.claim_rows(qs), "互助保障理赔台账", (0,))
