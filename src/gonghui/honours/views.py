"""劳模与荣誉 pages: thin views over honours.selectors and honours.services."""

import io

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import audit, clock, pickers, scope
from gonghui.core.errors import ServiceError, join_messages
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.paging import keyset
from gonghui.core.params import int_param
from gonghui.core.periods import Period
from gonghui.core.views_base import requires
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import path_labels, paths_remembered, picked, roots_for

from . import exports, forms, selectors, services
from .models import (
    HONOUR_FLOW,
    CareCampaign,
    Contest,
    Entry,
    HomeRating,
    HomeSurvey,
    Honour,
    HonourStatus,
    IndicatorSystem,
    Innovation,
    InnovationKind,
    ModelWorker,
    Team,
    Title,
)

SUMMARY = ("honours.model_workers", "honours.model_workers_national", "honours.model_workers_provincial",
           "honours.model_workers_city", "honours.model_workers_county", "honours.checkup_persons",
           "honours.festival_persons", "honours.festival_amount", "honours.hardship_persons", "honours.hardship_amount",
           "honours.person_honours", "honours.collective_honours", "honours.home_rate")


def _worker(request, pk, perm="honours.view"):
    return scope.get_visible_or_404(ModelWorker.objects.select_related("org", "person"), request.user, perm, pk=pk)


def _honour(request, pk, perm="honours.view"):
    return scope.get_visible_or_404(Honour.objects.select_related("org", "worker", "team__org"), request.user, perm,
                                    pk=pk)




def _filters(request, form, perm="honours.view"):
    filters, org = {}, None
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
        code = filters.pop("org", "")
        if code:
            org = scope.visible(Org.objects.filter(code=code), request.user, perm, "path").first()
            if org is None:
                form.add_error("org", f"未找到编码为“{code}”的单位，或不在您的查看范围内。")
    return filters, org


@requires("honours.view")
def index(request):
    """劳模名册: the list with filters and totals, and this year's figures of the user's root."""
    form = forms.WorkerFilterForm(request.GET or None)
    filters, org = _filters(request, form)
    page = keyset(selectors.workers(request.user, org=org, **filters), request, "honours.workers")
    root = roots_for(request.user, "honours.view").first()
    period = Period.year_to_date(clock.today())
    with paths_remembered():  # one placement lookup for the root, not one per figure
        figures = [(REGISTRY[c], compute(c, root, period, True)) for c in SUMMARY] if root is not None else []
    return render(request, "honours/index.html", {
        "form": form, "page": page, "figures": figures, "root": root, "period": period,
        "export_query": request.GET.get("org", ""), "can_change": scope.has_perm(request.user, "honours.change")})


@requires("honours.view")
def worker_export(request):
    return _export(request, exports.WorkerList)


def _export(request, exporter_class):
    """The list's workbook, of the whole scope or of the union picked by ?org=; a union out of scope
    (or unknown) is a 404, as on its pages, never the whole scope's rows in its place."""
    code = request.GET.get("org", "")
    org = None
    if code:
        org = scope.get_visible_or_404(Org.objects.all(), request.user, "honours.view", "path", code=code)
    exporter = exporter_class(request.user, org=org, params={k: request.GET[k] for k in exporter_class.params_help
                                                            if k in request.GET})
    out = io.BytesIO()
    exporter.write(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=exporter.filename())


@requires("honours.view")
def home_export(request):
    return _export(request, exports.HomeList)


@requires("honours.view")
def contest_export(request):
    return _export(request, exports.ContestResults)


@requires("honours.view")
def innovation_export(request):
    return _export(request, exports.InnovationList)


@requires("honours.view")
def honour_export(request):
    exporter = exports.HonourList(request.user)
    out = io.BytesIO()
    exporter.write(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=exporter.filename())


@requires("honours.change")
def worker_create(request):
    form = forms.WorkerForm(request.POST or None, initial={"registered_on": clock.today(), "status": "active"})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "honours.change", form, "org_code")
        if org is not None:
            try:
                w = services.worker_create(actor=request.user, org=org, **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已登记劳模：{w.name}。请登记其所获称号。")
                return redirect("honours:title_add", pk=w.pk)
    return render(request, "honours/form.html", {"form": form, "title": "登记劳模", "back": "honours:index"})


@requires("honours.view")
def worker_detail(request, pk):
    w = _worker(request, pk)
    can_sensitive = scope.has_perm(request.user, "honours.view_sensitive", w.org.path)
    return render(request, "honours/worker_detail.html", {
        "w": w, "titles": w.titles.prefetch_related("levels").order_by("-year", "id"),
        "archive": selectors.hardship_archive(request.user, w),
        "care": w.care.select_related("campaign").order_by("-served_on", "-id")[:200],
        "honours": w.honours.order_by("-year", "-id"), "can_sensitive": can_sensitive,
        "can_change": scope.has_perm(request.user, "honours.change", w.org.path)})


@requires("honours.view_sensitive")
@require_POST
def worker_reveal(request, pk):
    """The full ID number and phone, once; every reveal is access-logged."""
    w = _worker(request, pk, "honours.view_sensitive")
    audit.log_access(user=request.user, kind="reveal", object_type="honours.modelworker", object_id=str(w.pk),
                     fields=["id_number", "phone"], reason="查看劳模身份证号、联系电话", org_path=w.org.path)
    return render(request, "honours/worker_detail.html", {
        "w": w, "titles": w.titles.prefetch_related("levels").order_by("-year", "id"),
        "archive": selectors.hardship_archive(request.user, w),
        "care": w.care.select_related("campaign").order_by("-served_on", "-id")[:200],
        "honours": w.honours.order_by("-year", "-id"), "revealed": {"id_number": w.id_number, "phone": w.phone},
        "can_sensitive": True, "can_change": scope.has_perm(request.user, "honours.change", w.org.path)})


@requires("honours.change")
def title_add(request, pk):
    w = _worker(request, pk, "honours.change")
    form = forms.TitleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.title_add(actor=request.user, worker=w, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记称号。")
            return redirect("honours:worker_detail", pk=w.pk)
    return render(request, "honours/form.html", {"form": form, "title": f"登记称号：{w.name}", "w": w})


@requires("honours.change")
def title_regrade(request, pk):
    """调整称号待遇级别 from a date (the figures before it keep the old level)."""
    w = _worker(request, pk, "honours.change")
    form = forms.TitleLevelForm(request.POST or None, initial={"on": clock.today()})
    form.fields["title"].choices = [(t.pk, f"{t}（现为{t.get_treatment_display()}）")
                                    for t in w.titles.order_by("-year", "id")]
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        title = w.titles.get(pk=d.pop("title"))
        try:
            services.title_level_change(actor=request.user, title=title, **d)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已调整称号待遇级别。")
            return redirect("honours:worker_detail", pk=w.pk)
    return render(request, "honours/form.html", {"form": form, "title": f"调整称号待遇级别：{w.name}", "w": w})


@requires("honours.change")
@require_POST
def title_remove(request, pk):
    t = scope.get_visible_or_404(Title.objects.select_related("worker__org"), request.user, "honours.change",
                                 "worker__org__path", pk=pk)
    services.title_remove(actor=request.user, title=t)
    messages.success(request, "已删除称号。")
    return redirect("honours:worker_detail", pk=t.worker_id)


@requires("honours.change")
def care_add(request, pk):
    w = _worker(request, pk, "honours.change")
    form = forms.CareForm(request.POST or None, initial={"served_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.care_record(actor=request.user, worker=w, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记关爱服务。")
            return redirect("honours:worker_detail", pk=w.pk)
    return render(request, "honours/form.html", {"form": form, "title": f"登记关爱服务：{w.name}", "w": w})


# --- care campaigns ------------------------------------------------------------------------------

@requires("honours.view")
def campaigns(request):
    qs = (scope.visible(CareCampaign.objects.select_related("org"), request.user, "honours.view")
          .annotate(served=Count("records")).order_by("-start_on", "-id"))
    page = keyset(qs, request, "honours.campaigns")
    return render(request, "honours/campaigns.html", {"page": page,
                                                      "can_change": scope.has_perm(request.user, "honours.change")})


@requires("honours.change")
def campaign_create(request):
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "honours.change", form, "org_code")
        if org is not None:
            try:
                c = services.campaign_create(actor=request.user, org=org, **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已创建关爱活动：{c.name}。")
                return redirect("honours:campaign_detail", pk=c.pk)
    return render(request, "honours/form.html", {"form": form, "title": "创建关爱活动", "back": "honours:campaigns"})


@requires("honours.view")
def campaign_detail(request, pk):
    c = scope.get_visible_or_404(CareCampaign.objects.select_related("org"), request.user, "honours.view", pk=pk)
    served = {r.worker_id: r for r in c.records.all()}
    due = scope.visible(services.campaign_due(c).select_related("org"), request.user, "honours.view")
    page = keyset(due.order_by("name", "id"), request, "honours.campaign_due")
    return render(request, "honours/campaign_detail.html", {
        "c": c, "page": page, "served": served, "served_count": len(served), "serve_form": forms.ServeForm(
            initial={"served_on": min(clock.today(), c.end_on)}),
        "can_change": scope.has_perm(request.user, "honours.change", c.org.path)})


@requires("honours.change")
@require_POST
def campaign_serve(request, pk, worker):
    c = scope.get_visible_or_404(CareCampaign.objects.select_related("org"), request.user, "honours.view", pk=pk)
    w = _worker(request, worker, "honours.change")
    form = forms.ServeForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("请填写有效的服务日期。")
        services.care_record(actor=request.user, worker=w, kind=c.kind, served_on=form.cleaned_data["served_on"],
                             campaign=c)
    except ServiceError as err:
        messages.error(request, join_messages(err.messages))
    else:
        messages.success(request, f"已登记：{w.name}。")
    return redirect("honours:campaign_detail", pk=c.pk)


# --- honours -------------------------------------------------------------------------------------

@requires("honours.view")
def honours(request):
    form = forms.HonourFilterForm(request.GET or None)
    filters, org = _filters(request, form)
    page = keyset(selectors.honours(request.user, org=org, **filters), request, "honours.honours")
    return render(request, "honours/honours.html", {"form": form, "page": page,
                                                    "can_change": scope.has_perm(request.user, "honours.change")})


@requires("honours.change")
def honour_apply(request):
    form = forms.HonourForm(request.POST or None, initial={"applied_on": clock.today(), "year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "honours.change", form, "org_code")
        if org is not None:
            try:
                h = services.honour_apply(actor=request.user, org=org, team_name=d.pop("team"), **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已申报。")
                return redirect("honours:honour_detail", pk=h.pk)
    return render(request, "honours/form.html", {"form": form, "title": "申报荣誉", "back": "honours:honours"})


@requires("honours.view")
def honour_detail(request, pk):
    h = _honour(request, pk)
    can_move = scope.has_perm(request.user, "honours.approve", h.org.path)
    can_change = scope.has_perm(request.user, "honours.change", h.org.path)
    action = request.POST.get("action", "move") if request.method == "POST" else ""
    bound = request.POST if request.method == "POST" else None
    form = forms.MoveForm(bound if action == "move" else None, initial={"on": clock.today()})
    # 自评 and 会员评家 have their own forms below (scores, a survey).
    allowed = sorted(s for s in HONOUR_FLOW.allowed(h.status) if s not in (HonourStatus.SELF, HonourStatus.MEMBERS))
    form.fields["to"].choices = [(s, HONOUR_FLOW.labels[s]) for s in allowed]
    review = forms.MemberReviewForm(bound if action == "members" else None, initial={"on": clock.today()},
                                    prefix="m")
    review.fields["survey"].choices = [
        (s.pk, f"{s.org.name} {s.name}（{s.held_on:%Y-%m-%d}）")
        for s in HomeSurvey.objects.filter(scope.subtree_q("org__path", h.org.path)).select_related("org")
        .order_by("-held_on", "-id")[:50]]
    recheck = forms.RecheckForm(bound if action == "recheck" else None, initial={"on": clock.today()}, prefix="r")
    systems = list(IndicatorSystem.objects.filter(honour_type__in=("", h.honour_type)).order_by("name", "id")[:50])
    if h.indicator_system_id:
        systems = [x for x in systems if x.pk == h.indicator_system_id] or [h.indicator_system]
    chosen = h.indicator_system or (systems[0] if systems else None)
    if bound is not None and action == "score":
        picked_id = int_param(request.POST, "s-system")
        chosen = next((x for x in systems if x.pk == picked_id), chosen)
    score = forms.ScoreForm(bound if action == "score" else None, prefix="s",
                            initial={"system": chosen.pk if chosen else None,
                                     "stage": "review" if h.status == HonourStatus.REVIEW else "self"})
    score.fields["system"].choices = [(x.pk, x.name) for x in systems]
    if chosen is not None:
        score.add_indicators(services.leaves(chosen))
    if request.method == "POST":
        need = "honours.change" if action == "members" or (action == "score" and request.POST.get("s-stage") == "self") \
            else "honours.approve"
        if not scope.has_perm(request.user, need, h.org.path):
            return render(request, "403.html", status=403)
        target = {"move": form, "members": review, "recheck": recheck, "score": score}.get(action, form)
        if target.is_valid():
            try:
                if action == "members":
                    survey = HomeSurvey.objects.get(pk=review.cleaned_data["survey"])
                    services.honour_member_review(actor=request.user, honour=h, survey=survey,
                                                  on=review.cleaned_data["on"])
                elif action == "recheck":
                    services.honour_recheck(actor=request.user, honour=h, **recheck.cleaned_data)
                elif action == "score":
                    system = next(x for x in systems if x.pk == score.cleaned_data["system"])
                    services.honour_score(actor=request.user, honour=h, stage=score.cleaned_data["stage"],
                                          system=system, scores=score.scores())
                else:
                    services.honour_move(actor=request.user, honour=h, **form.cleaned_data)
            except ServiceError as err:
                target.add_service_error(err)
            else:
                messages.success(request, f"已办理：{h.get_status_display()}。")
                return redirect("honours:honour_detail", pk=h.pk)
    return render(request, "honours/honour_detail.html", {
        "h": h, "steps": h.steps.all(), "form": form, "can_move": can_move and allowed,
        "review": review if can_change and HONOUR_FLOW.can(h.status, HonourStatus.MEMBERS) else None,
        "recheck": recheck if can_move and h.status in (HonourStatus.NAMED, HonourStatus.RECTIFY) else None,
        "score": score if chosen is not None and (can_change or can_move) and h.status in (
            HonourStatus.APPLIED, HonourStatus.SELF, HonourStatus.REVIEW) else None,
        "scores": h.scores.select_related("indicator").order_by("stage", "indicator__depth", "indicator__order"),
        "rechecks": h.rechecks.all()})


# --- 职工之家 -------------------------------------------------------------------------------------

@requires("honours.view")
def homes(request):
    qs = scope.visible(HomeRating.objects.select_related("org"), request.user, "honours.view")
    code = request.GET.get("org", "")
    if code:
        org = scope.visible(Org.objects.filter(code=code), request.user, "honours.view", "path").first()
        qs = qs.filter(scope.subtree_q("org__path", org.path)) if org else qs.none()
    page = keyset(qs.order_by("-rated_on", "-id"), request, "honours.homes")
    return render(request, "honours/homes.html", {"page": page,
                                                  "can_change": scope.has_perm(request.user, "honours.change")})


@requires("honours.change")
def home_rate(request):
    form = forms.HomeForm(request.POST or None, initial={"rated_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "honours.change", form, "org_code")
        if org is not None:
            try:
                services.home_rate(actor=request.user, org=org, **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已登记职工之家评定。")
                return redirect("honours:homes")
    return render(request, "honours/form.html", {"form": form, "title": "职工之家评定", "back": "honours:homes"})


@requires("honours.view")
def home_detail(request, pk: int):
    """One rating with its 回头看 history; those who may approve record the next 回头看 here."""
    r = scope.get_visible_or_404(HomeRating.objects.select_related("org"), request.user, "honours.view", pk=pk)
    can_check = r.revoked_on is None and scope.has_perm(request.user, "honours.approve", r.org.path)
    if request.method == "POST" and not can_check:
        return render(request, "403.html", status=403)
    form = forms.RecheckForm(request.POST or None, initial={"on": clock.today()}, prefix="r")
    if request.method == "POST" and form.is_valid():
        try:
            services.home_recheck(actor=request.user, rating=r, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记回头看。")
            return redirect("honours:home_detail", pk=r.pk)
    return render(request, "honours/home_detail.html", {"r": r, "form": form if can_check else None,
                                                        "rechecks": r.rechecks.all()})


# --- 会员评家 -------------------------------------------------------------------------------------

@requires("honours.view")
def surveys(request):
    qs = scope.visible(HomeSurvey.objects.select_related("org"), request.user, "honours.view")
    page = keyset(qs.order_by("-held_on", "-id"), request, "honours.surveys")
    return render(request, "honours/surveys.html", {"page": page,
                                                    "can_change": scope.has_perm(request.user, "honours.change")})


@requires("honours.change")
def survey_create(request):
    form = forms.SurveyForm(request.POST or None, initial={"held_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "honours.change", form, "org_code")
        if org is not None:
            try:
                s = services.survey_create(actor=request.user, org=org, items=d.pop("items").splitlines(), **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已创建会员评家，请录入问卷。")
                return redirect("honours:survey_detail", pk=s.pk)
    return render(request, "honours/form.html", {"form": form, "title": "开展会员评家", "back": "honours:surveys"})


@requires("honours.view")
def survey_detail(request, pk):
    s = scope.get_visible_or_404(HomeSurvey.objects.select_related("org"), request.user, "honours.view", pk=pk)
    can_change = scope.has_perm(request.user, "honours.change", s.org.path)
    form = forms.AnswersForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            return render(request, "403.html", status=403)
        if form.is_valid():
            questionnaires = []
            for line in form.cleaned_data["lines"].splitlines():
                if line.strip():
                    cells = [c.strip() for c in line.replace("，", ",").split(",")]
                    questionnaires.append(dict(zip(s.items, cells, strict=False)))
            try:
                n = services.survey_answers_add(actor=request.user, survey=s, questionnaires=questionnaires)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已录入{n}份问卷。")
                return redirect("honours:survey_detail", pk=s.pk)
    return render(request, "honours/survey_detail.html", {"s": s, "result": services.survey_result(s), "form": form,
                                                          "can_change": can_change})


# --- indicator systems ---------------------------------------------------------------------------

def parse_tree(text: str) -> list[dict]:
    """Lines "名称 分值", children marked by leading dashes (one more per level), into the tree the
    service takes; a line without a number is refused naming the line."""
    roots: list[dict] = []
    stack: list[tuple[int, dict]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        depth = len(line) - len(line.lstrip("-"))
        body = line.lstrip("-").strip()
        name, _, weight = body.rpartition(" ")
        if not name.strip():
            raise ServiceError(f"第{n}行“{line}”应为“名称 分值”。", field="tree")
        node = {"name": name.strip(), "weight": weight, "children": []}
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            stack[-1][1]["children"].append(node)
        elif depth:
            raise ServiceError(f"第{n}行“{line}”前面没有上级指标。", field="tree")
        else:
            roots.append(node)
        stack.append((depth, node))
    return roots


@requires("honours.view")
def indicator_systems(request):
    qs = scope.visible(IndicatorSystem.objects.select_related("org"), request.user, "honours.view")
    page = keyset(qs.order_by("-id"), request, "honours.indicator_systems")
    return render(request, "honours/indicator_systems.html", {
        "page": page, "can_change": scope.has_perm(request.user, "honours.approve")})


@requires("honours.approve")
def indicator_system_create(request):
    form = forms.IndicatorSystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "honours.approve", form, "org_code")
        if org is not None:
            try:
                system = services.indicator_system_create(actor=request.user, org=org,
                                                          indicators=parse_tree(d.pop("tree")), **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已保存指标体系：{system.name}（{system.indicators.count()}项指标）。")
                return redirect("honours:indicator_systems")
    return render(request, "honours/form.html", {"form": form, "title": "制定指标体系",
                                                 "back": "honours:indicator_systems"})


# --- competitions --------------------------------------------------------------------------------

@requires("honours.view")
def contests(request):
    qs = (scope.visible(Contest.objects.select_related("org"), request.user, "honours.view")
          .annotate(n_entries=Count("events__entries")).order_by("-start_on", "-id"))
    page = keyset(qs, request, "honours.contests")
    return render(request, "honours/contests.html", {"page": page,
                                                     "can_change": scope.has_perm(request.user, "honours.change")})


@requires("honours.change")
def contest_create(request):
    form = forms.ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        org = picked(request.user, d.pop("org_code"), "honours.change", form, "org_code")
        if org is not None:
            try:
                c = services.contest_create(actor=request.user, org=org, events=d.pop("events").splitlines(), **d)
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已创建竞赛：{c.name}。")
                return redirect("honours:contest_detail", pk=c.pk)
    return render(request, "honours/form.html", {"form": form, "title": "创建竞赛", "back": "honours:contests"})


@requires("honours.view")
def contest_detail(request, pk):
    c = scope.get_visible_or_404(Contest.objects.select_related("org"), request.user, "honours.view", pk=pk)
    can_change = scope.has_perm(request.user, "honours.change", c.org.path)
    form = forms.EntryForm(request.POST or None)
    form.fields["event"].choices = [(e.pk, e.name) for e in c.events.all()]
    if request.method == "POST":
        if not can_change:
            return render(request, "403.html", status=403)
        if form.is_valid():
            d = dict(form.cleaned_data)
            org = scope.visible(Org.objects.filter(code=d.pop("org_code").strip()), request.user, "honours.view",
                                "path").first()
            if org is None:
                form.add_error("org_code", "未找到该单位，或不在您的查看范围内。")
            else:
                try:
                    services.entry_add(actor=request.user, event=c.events.get(pk=d.pop("event")), org=org,
                                       **{k: v for k, v in d.items() if v not in (None, "")})
                except ServiceError as err:
                    form.add_service_error(err)
                else:
                    messages.success(request, "已登记参赛。")
                    return redirect("honours:contest_detail", pk=c.pk)
    entries = (Entry.objects.filter(event__contest=c).select_related("event", "org")
               .order_by("event__name", "rank", "id"))
    return render(request, "honours/contest_detail.html", {"c": c, "entries": entries[:500], "form": form,
                                                           "can_change": can_change})


# --- teams, 合理化建议 and 技术创新 -----------------------------------------------------------------

@requires("honours.view")
def pick_teams(request):
    """Suggestions for a team input (core.pickers): the teams of the unions the form's permission
    reaches whose name contains the text, each with its union's place in the tree."""
    text = pickers.query_text(request)
    perm = request.GET.get("perm", "honours.view")
    perm = perm if perm in ("honours.view", "honours.change") else "honours.view"
    rows, more = [], False
    if text:
        qs = scope.visible(Team.objects.select_related("org"), request.user, perm).filter(name__icontains=text)
        rows, more = pickers.bounded(list(qs.order_by("name", "id")[:pickers.LIMIT + 1]))
    paths = path_labels(list({t.org.path for t in rows}))
    options = [pickers.Option(value=t.name, label=t.name, detail=t.get_kind_display(), path=paths[t.org.path])
               for t in rows]
    return pickers.picker_options(request, options, more, text)


@requires("honours.view")
def innovations(request):
    qs = scope.visible(Innovation.objects.select_related("org", "team"), request.user, "honours.view")
    kind = request.GET.get("kind", "")
    if kind in InnovationKind.values:
        qs = qs.filter(kind=kind)
    can_change = scope.has_perm(request.user, "honours.change")
    form = forms.InnovationForm(request.POST if request.POST.get("action") == "add" else None,
                                initial={"submitted_on": clock.today()})
    decide = forms.DecideForm(request.POST if request.POST.get("action") == "decide" else None,
                              initial={"on": clock.today()}, prefix="d")
    waiting = scope.visible(Innovation.objects.filter(status="submitted"), request.user, "honours.change")
    decide.fields["item"].choices = [(i.pk, f"{i.title}（{i.get_kind_display()}，{i.submitted_on:%Y-%m-%d}）")
                                     for i in waiting.order_by("-submitted_on", "-id")[:200]]
    if request.method == "POST":
        if not can_change:
            return render(request, "403.html", status=403)
        if form.is_bound and form.is_valid():
            d = dict(form.cleaned_data)
            org = picked(request.user, d.pop("org_code"), "honours.change", form, "org_code")
            if org is not None:
                team_name = d.pop("team")
                try:
                    team = services.team_get_or_create(org, team_name) if team_name else None
                    services.innovation_add(actor=request.user, org=org, team=team, **d)
                except ServiceError as err:
                    form.add_service_error(err)
                else:
                    messages.success(request, "已登记。")
                    return redirect("honours:innovations")
        elif decide.is_bound and decide.is_valid():
            d = dict(decide.cleaned_data)
            item = scope.get_visible_or_404(Innovation.objects.select_related("org"), request.user, "honours.change",
                                            pk=d.pop("item"))
            try:
                services.innovation_decide(actor=request.user, item=item, **d)
            except ServiceError as err:
                decide.add_service_error(err)
            else:
                messages.success(request, "已处理。")
                return redirect("honours:innovations")
    page = keyset(qs.order_by("-submitted_on", "-id"), request, "honours.innovations")
    return render(request, "honours/innovations.html", {
        "page": page, "form": form, "decide": decide, "can_change": can_change, "kind": kind,
        "kinds": InnovationKind.choices})
