"""Pages of the appraisal line. Thin: fetch in scope → form → service → redirect.

The issuer works on the scheme page (indicators, issue, live results, review, publish) and the
round page (督导: who has not reported, reminders, export); a subordinate works on its own
appraisal page (self-scores with evidence) and its submission page (fill, save, submit).
"""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import REGISTRY
from gonghui.core.paging import keyset
from gonghui.core.views_base import requires
from gonghui.orgs.models import GRASSROOTS_TYPES, Org, OrgStatus

from . import documents, exports, forms, live, scoring, services, uploads
from .models import (
    KIND_TYPES,
    NOT_REPORTED,
    Appraisal,
    AppraisalStatus,
    Entry,
    Indicator,
    Recurrence,
    Round,
    RoundStatus,
    Scheme,
    SchemeStatus,
    Submission,
    SubmissionStatus,
    TargetKind,
    Upload,
)

VIEW, CHANGE = "appraisal.view", "appraisal.change"


def _scheme(request, pk, perm=VIEW) -> Scheme:
    return scope.get_visible_or_404(Scheme.objects.select_related("org"), request.user, perm, "org_path", pk=pk)


def _appraisal(request, pk) -> Appraisal:
    """An appraisal is seen by the subordinate (its own path) and by the issuer (the scheme's)."""
    qs = Appraisal.objects.select_related("scheme__org", "org").filter(
        scope.scope_q(request.user, VIEW, "org_path") | scope.scope_q(request.user, VIEW, "scheme__org_path"))
    a = qs.filter(pk=pk).first()
    if a is None:
        raise Http404
    return a


def _submission(request, pk) -> Submission:
    qs = Submission.objects.select_related("round__org", "org").filter(
        scope.scope_q(request.user, VIEW, "org_path") | scope.scope_q(request.user, VIEW, "round__org_path"))
    s = qs.filter(pk=pk).first()
    if s is None:
        raise Http404
    return s


def _failed(request, err: ServiceError):
    messages.error(request, " ".join(err.messages))


@requires(VIEW)
def index(request):
    user = request.user
    schemes = scope.visible(Scheme.objects.select_related("org"), user, VIEW, "org_path").order_by("-year", "-pk")[:50]
    mine = (scope.visible(Appraisal.objects.select_related("scheme", "org"), user, VIEW, "org_path")
            .exclude(scheme__org_path__in=scope.grant_paths(user)).order_by("-scheme__year", "org_path")[:50])
    rounds = scope.visible(Round.objects.select_related("org"), user, VIEW, "org_path").order_by("-sent_on", "-pk")[:50]
    # The user's own units' forms (a township sees its unions' on the 督导 page, not here).
    todo = (scope.visible(Submission.objects.select_related("round", "org"), user, VIEW, "org_path")
            .filter(org_path__in=scope.grant_paths(user), status__in=NOT_REPORTED, round__status=RoundStatus.OPEN)
            .order_by("round__deadline", "pk")[:50])
    return render(request, "appraisal/index.html", {
        "schemes": schemes, "mine": mine, "rounds": rounds, "todo": todo, "today": clock.today(),
        "can_change": scope.has_perm(user, CHANGE)})


# ---------------------------------------------------------------- schemes

def _org_by_code(request, form, field="org") -> Org | None:
    code = form.cleaned_data[field].strip()
    org = scope.visible(Org.objects.filter(code=code), request.user, CHANGE).exclude(
        status=OrgStatus.DISSOLVED).first()
    if org is None:
        form.add_error(field, f"未找到代码为“{code}”的单位，或它不在您的管理范围内。")
    return org


@requires(CHANGE)
def scheme_new(request):
    home = getattr(request.user, "home_org", None)
    form = forms.SchemeForm(request.POST or None, initial={
        "year": clock.today().year, "org": home.code if home else "", "total_score": 100,
        "target_type": TargetKind.TOWNSHIP})
    if request.method == "POST" and form.is_valid():
        org = _org_by_code(request, form)
        if org is not None:
            d = form.cleaned_data
            try:
                s = services.scheme_create(actor=request.user, org=org, year=d["year"], title=d["title"],
                                           target_type=d["target_type"], total_score=d["total_score"],
                                           grades=d["grades"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已建立考核方案“{s.title}”，请添加考核指标。")
                return redirect("appraisal:scheme", pk=s.pk)
    return render(request, "appraisal/form.html", {"form": form, "title": "制定考核方案"})


def _tree_order(indicators: list[Indicator]) -> list[tuple[Indicator, int]]:
    """Indicators depth-first in their positions: (indicator, depth)."""
    kids: dict[int | None, list[Indicator]] = {}
    for i in indicators:
        kids.setdefault(i.parent_id, []).append(i)
    out = []

    def walk(parent, depth):
        for i in sorted(kids.get(parent, []), key=lambda x: (x.position, x.pk)):
            out.append((i, depth))
            walk(i.pk, depth + 1)

    walk(None, 0)
    return out


@requires(VIEW)
def scheme(request, pk, form=None):
    s = _scheme(request, pk)
    can_change = scope.has_perm(request.user, CHANGE, s.org_path)
    result = live.score_scheme(s) if s.status != SchemeStatus.DRAFT else None
    indicators = _tree_order(result.indicators if result else list(s.indicators.select_related("parent")))
    if form is None and s.status == SchemeStatus.DRAFT and can_change:
        form = forms.IndicatorForm(indicators=[i for i, _ in indicators],
                                   initial={"rule_type": scoring.STEP})
    counts = dict(s.appraisals.values_list("status").annotate(n=Count("pk")).order_by())
    progress = [(label, counts.get(k, 0)) for k, label in AppraisalStatus.choices]
    tops = [i for i, d in indicators if d == 0]
    rows = [(r, [r.outcome.scores.get(i.code) for i in tops]) for r in result.rows] if result else []
    versions = {"previous": s.previous, "next": Scheme.objects.filter(previous=s).order_by("-pk").first()}
    return render(request, "appraisal/scheme.html", {"tops": tops, "rows": rows, **versions,
        "scheme": s, "indicators": [(i, d, forms.params_text(i.rule_type, i.params),
                                      REGISTRY[i.metric_code].label if i.metric_code in REGISTRY else "")
                                     for i, d in indicators],
        "form": form, "result": result, "can_change": can_change, "progress": progress})


@requires(CHANGE)
def scheme_edit(request, pk):
    """The scheme's own fields, until it is issued."""
    s = _scheme(request, pk, CHANGE)
    if s.status != SchemeStatus.DRAFT:
        messages.error(request, "方案已下达，不能直接修改；请“修订为新版本”。")
        return redirect("appraisal:scheme", pk=s.pk)
    form = forms.SchemeEditForm(request.POST or None, initial={
        "year": s.year, "title": s.title, "target_type": s.target_type, "total_score": s.total_score,
        "grades": forms.grades_text(s.grades), "tie_break": s.tie_break})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.scheme_update(actor=request.user, scheme=s, year=d["year"], title=d["title"],
                                   target_type=d["target_type"], total_score=d["total_score"], grades=d["grades"],
                                   tie_break=d["tie_break"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "方案已修改。")
            return redirect("appraisal:scheme", pk=s.pk)
    return render(request, "appraisal/form.html", {"form": form, "title": f"修改考核方案：{s.title}"})


@requires(CHANGE)
@require_POST
def scheme_version(request, pk):
    s = _scheme(request, pk, CHANGE)
    try:
        new = services.scheme_new_version(actor=request.user, scheme=s)
    except ServiceError as err:
        _failed(request, err)
        return redirect("appraisal:scheme", pk=s.pk)
    messages.success(request, f"已建立第{new.version}版（编制中）：修改后下达，即替代第{s.version}版，"
                              "各单位已填的实际值、自评分和佐证材料按相同指标带入。")
    return redirect("appraisal:scheme", pk=new.pk)


@requires(VIEW)
def scheme_notice(request, pk):
    """考核结果通报 (Word) of a published scheme."""
    s = _scheme(request, pk)
    if s.status != SchemeStatus.PUBLISHED:
        messages.error(request, "考核结果公布后才能生成通报。")
        return redirect("appraisal:scheme", pk=s.pk)
    response = HttpResponse(documents.results_notice(s), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    name = quote(f"{s.year}年度考核结果通报.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@requires(CHANGE)
@require_POST
def indicator_add(request, pk):
    s = _scheme(request, pk, CHANGE)
    indicators = list(s.indicators.all())
    form = forms.IndicatorForm(request.POST, indicators=indicators)
    if form.is_valid():
        d = form.cleaned_data
        parent = next((i for i in indicators if str(i.pk) == d["parent"]), None)
        try:
            params = forms.parse_params(d["rule_type"], d["params"])
            services.indicator_save(actor=request.user, scheme=s, code=d["code"], name=d["name"],
                                    max_score=d["max_score"], rule_type=d["rule_type"], params=params,
                                    metric_code=d["metric_code"], parent=parent)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已添加指标“{d['code']} {d['name']}”。")
            return redirect("appraisal:scheme", pk=s.pk)
    return scheme(request, pk, form=form)


@requires(CHANGE)
@require_POST
def indicator_remove(request, pk):
    ind = scope.get_visible_or_404(Indicator.objects.select_related("scheme"), request.user, CHANGE,
                                   "scheme__org_path", pk=pk)
    try:
        services.indicator_remove(actor=request.user, indicator=ind)
    except ServiceError as err:
        _failed(request, err)
    return redirect("appraisal:scheme", pk=ind.scheme_id)


@requires(CHANGE)
@require_POST
def scheme_issue(request, pk):
    s = _scheme(request, pk, CHANGE)
    try:
        n = services.scheme_issue(actor=request.user, scheme=s)
    except ServiceError as err:
        _failed(request, err)
    else:
        messages.success(request, f"方案已下达{n}个单位，各单位可以自评。")
    return redirect("appraisal:scheme", pk=s.pk)


@requires(CHANGE)
@require_POST
def scheme_publish(request, pk):
    s = _scheme(request, pk, CHANGE)
    try:
        services.scheme_publish(actor=request.user, scheme=s)
    except ServiceError as err:
        _failed(request, err)
    else:
        messages.success(request, "考核结果已公布。")
    return redirect("appraisal:scheme", pk=s.pk)


@requires(VIEW)
def scheme_export(request, pk):
    s = _scheme(request, pk)
    exporter = exports.Results(request.user, params={"scheme": s.pk})
    out = io.BytesIO()
    exporter.write(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{s.title}考核结果{clock.today():%Y%m%d}.xlsx")


# ---------------------------------------------------------------- one subordinate's appraisal

@requires(VIEW)
def appraisal(request, pk):
    a = _appraisal(request, pk)
    result = live.score_scheme(a.scheme, appraisals=Appraisal.objects.filter(pk=a.pk))
    row = result.rows[0]
    entries = {e.indicator_id: e for e in row.entries}
    files: dict[int, list[Upload]] = {}
    for up in Upload.objects.filter(entry__appraisal=a).order_by("pk"):
        files.setdefault(up.entry_id, []).append(up)
    lines = []
    for ind, depth in _tree_order(result.indicators):
        fig = row.figures.get(ind.code)
        entry = entries.get(ind.pk)
        lines.append({"ind": ind, "depth": depth, "entry": entry, "files": files.get(entry.pk, []) if entry else [],
                      "score": row.outcome.scores.get(ind.code),
                      "value": row.values.get(ind.code), "figure": fig,
                      "metric": REGISTRY.get(ind.metric_code, None),
                      "params": forms.params_text(ind.rule_type, ind.params)})
    is_open = a.scheme.status == SchemeStatus.ISSUED
    return render(request, "appraisal/appraisal.html", {
        "a": a, "row": row, "lines": lines, "locked": result.locked, "period": result.period,
        "can_self": is_open and a.status == AppraisalStatus.OPEN and scope.has_perm(request.user, CHANGE, a.org_path),
        "can_review": is_open and a.status != AppraisalStatus.OPEN
        and scope.has_perm(request.user, CHANGE, a.scheme.org_path),
        "MANUAL": scoring.MANUAL, "evidence_form": forms.EvidenceForm()})


@requires(VIEW)
def charter(request, pk):
    """The unit's 目标管理责任书 as a Word document."""
    a = _appraisal(request, pk)
    response = HttpResponse(documents.charter(a), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    name = quote(f"{a.org.name}{a.scheme.year}年度目标管理责任书.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@requires(CHANGE)
@require_POST
def entry_self(request, pk):
    e = get_entry(request, pk, "org_path")
    try:
        services.entry_self_score(actor=request.user, entry=e, value=request.POST.get("value"),
                                  self_score=request.POST.get("self_score"), evidence=request.POST.get("evidence", ""))
    except ServiceError as err:
        _failed(request, err)
    else:
        messages.success(request, f"已保存“{e.indicator}”的自评。")
    return redirect("appraisal:appraisal", pk=e.appraisal_id)


@requires(CHANGE)
@require_POST
def entry_review(request, pk):
    e = get_entry(request, pk, "scheme__org_path")
    try:
        services.entry_review(actor=request.user, entry=e, review_score=request.POST.get("review_score"),
                              reason=request.POST.get("reason", ""))
    except ServiceError as err:
        _failed(request, err)
    else:
        messages.success(request, f"已保存“{e.indicator}”的考核分。")
    return redirect("appraisal:appraisal", pk=e.appraisal_id)


@requires(CHANGE)
@require_POST
def entry_upload(request, pk):
    e = get_entry(request, pk, "org_path")
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的佐证材料文件。")
    elif form.cleaned_data["file"].size > uploads.MAX_MB * 1024 * 1024:  # before reading it into memory
        messages.error(request, f"佐证材料“{form.cleaned_data['file'].name}”超过 {uploads.MAX_MB} MB。")
    else:
        f = form.cleaned_data["file"]
        try:
            services.entry_upload(actor=request.user, entry=e, name=f.name, content=f.read())
        except ServiceError as err:
            _failed(request, err)
        else:
            messages.success(request, f"已上传“{e.indicator}”的佐证材料。")
    return redirect("appraisal:appraisal", pk=e.appraisal_id)


@requires(CHANGE)
@require_POST
def upload_remove(request, pk):
    up = scope.get_visible_or_404(Upload.objects.select_related("entry__appraisal__scheme", "entry__appraisal__org",
                                                                "entry__indicator"),
                                  request.user, CHANGE, "org_path", pk=pk)
    try:
        services.upload_remove(actor=request.user, upload=up)
    except ServiceError as err:
        _failed(request, err)
    else:
        messages.success(request, f"已删除“{up.name}”。")
    return redirect("appraisal:appraisal", pk=up.entry.appraisal_id) if up.entry_id else redirect("appraisal:index")


@requires(VIEW)
def upload_download(request, pk):
    """A file for whoever sees the unit that uploaded it (the unit and the levels above)."""
    import mimetypes

    up = scope.get_visible_or_404(Upload.objects.all(), request.user, VIEW, "org_path", pk=pk)
    try:
        handle = uploads.open_file(up.stored_name)
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=up.name,
                        content_type=mimetypes.guess_type(up.name)[0] or "application/octet-stream")


def get_entry(request, pk, where: str) -> Entry:
    return scope.get_visible_or_404(
        Entry.objects.select_related("appraisal__scheme__org", "appraisal__org", "indicator__parent"),
        request.user, CHANGE, f"appraisal__{where}", pk=pk)


@requires(CHANGE)
@require_POST
def appraisal_submit(request, pk):
    a = scope.get_visible_or_404(Appraisal.objects.select_related("scheme", "org"), request.user, CHANGE,
                                 "org_path", pk=pk)
    try:
        services.appraisal_submit(actor=request.user, appraisal=a)
    except ServiceError as err:
        _failed(request, err)
    else:
        messages.success(request, "自评已提交，等待上级考核。")
    return redirect("appraisal:appraisal", pk=a.pk)


# ---------------------------------------------------------------- data-collection rounds

def recipients(org: Org, kind: str):
    """Grass-roots unions anywhere under the sender; other kinds: its direct subordinates."""
    qs = Org.objects.filter(path__startswith=org.path).exclude(pk=org.pk).exclude(status=OrgStatus.DISSOLVED)
    if kind == TargetKind.GRASSROOTS:
        return qs.filter(org_type__in=GRASSROOTS_TYPES)
    return qs.filter(depth=org.depth + 1, org_type__in=KIND_TYPES[kind])


@requires(CHANGE)
def round_new(request):
    home = getattr(request.user, "home_org", None)
    today = clock.today()
    form = forms.RoundForm(request.POST or None, initial={
        "org": home.code if home else "", "deadline": today, "period_start": today.replace(day=1),
        "period_end": today, "target_type": TargetKind.GRASSROOTS})
    if request.method == "POST" and form.is_valid():
        org = _org_by_code(request, form)
        if org is not None:
            d = form.cleaned_data
            try:
                fields = forms.parse_fields(d["fields_spec"])
                r = services.round_send(actor=request.user, org=org, title=d["title"], fields=fields,
                                        instructions=d["instructions"], period_start=d["period_start"],
                                        period_end=d["period_end"], deadline=d["deadline"],
                                        orgs=recipients(org, d["target_type"]), recurrence=d["recurrence"])
            except ServiceError as err:
                form.add_error("fields_spec" if err.field == "fields" else (
                    err.field if err.field in form.fields else None), err.messages)
            else:
                messages.success(request, f"已下发填报任务“{r.title}”。")
                return redirect("appraisal:round", pk=r.pk)
    return render(request, "appraisal/form.html", {"form": form, "title": "下发填报任务"})


@requires(VIEW)
def round_detail(request, pk):
    """督导: counts by status (one grouped query) and the units that have not reported, keyset-paged
    in tree order on the (round, status, org_path) index."""
    r = scope.get_visible_or_404(Round.objects.select_related("org"), request.user, VIEW, "org_path", pk=pk)
    counts = dict(r.submissions.values_list("status").annotate(n=Count("pk")).order_by())
    show = request.GET.get("show", "missing")
    bound = [f for f in r.fields if f.get("metric") in REGISTRY and f["kind"] == "number"]
    if show not in ("missing", "done", "compare") or (show == "compare" and not bound):
        show = "missing"
    qs = r.submissions.select_related("org")
    qs = qs.filter(status__in=NOT_REPORTED) if show == "missing" else qs.filter(
        status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED])
    page = keyset(qs.order_by("org_path", "pk"), request, f"appraisal.round.{show}")
    compare = live.compare_rows(r, bound, page.items) if show == "compare" else []
    return render(request, "appraisal/round.html", {
        "round": r, "counts": [(k, label, counts.get(k, 0)) for k, label in SubmissionStatus.choices],
        "missing": sum(counts.get(k, 0) for k in NOT_REPORTED), "page": page, "show": show,
        "today": clock.today(), "can_change": scope.has_perm(request.user, CHANGE, r.org_path),
        "bound": [(f["label"], REGISTRY[f["metric"]]) for f in bound], "compare": compare,
        "recurrence_form": forms.RecurrenceForm(initial={"recurrence": r.recurrence}),
        "followed_by": Round.objects.filter(copied_from=r).order_by("pk").first(),
        "fields": [(f["label"], forms.forms_data.KINDS[f["kind"]], f.get("required"),
                    REGISTRY[f["metric"]].label if f.get("metric") in REGISTRY else "") for f in r.fields]})


def _round_change(request, pk) -> Round:
    return scope.get_visible_or_404(Round.objects.select_related("org"), request.user, CHANGE, "org_path", pk=pk)


@requires(CHANGE)
@require_POST
def round_close(request, pk):
    r = _round_change(request, pk)
    try:
        services.round_close(actor=request.user, round=r)
    except ServiceError as err:
        _failed(request, err)
    else:
        messages.success(request, "填报任务已截止；个别单位可在其填报页面允许补报。")
    return redirect("appraisal:round", pk=r.pk)


@requires(CHANGE)
@require_POST
def round_remind(request, pk):
    r = _round_change(request, pk)
    n = services.round_remind(actor=request.user, round=r)
    messages.success(request, f"已向{n}个未报单位催报，它们的待办中会显示。")
    return redirect("appraisal:round", pk=r.pk)


@requires(CHANGE)
@require_POST
def round_recurrence(request, pk):
    r = _round_change(request, pk)
    try:
        services.round_set_recurrence(actor=request.user, round=r, recurrence=request.POST.get("recurrence", ""))
    except ServiceError as err:
        _failed(request, err)
    else:
        messages.success(request, f"已设为{Recurrence(r.recurrence).label}。" if r.recurrence else "已停止自动下发。")
    return redirect("appraisal:round", pk=r.pk)


@requires(CHANGE)
def round_copy(request, pk):
    r = _round_change(request, pk)
    form = forms.CopyForm(request.POST or None, initial={"title": r.title, "deadline": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            new = services.round_copy(actor=request.user, source=r, title=d["title"], period_start=d["period_start"],
                                      period_end=d["period_end"], deadline=d["deadline"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已按“{r.title}”的表单下发“{new.title}”。")
            return redirect("appraisal:round", pk=new.pk)
    return render(request, "appraisal/form.html", {"form": form, "title": f"复制填报任务：{r.title}"})


@requires(VIEW)
def round_export(request, pk):
    r = scope.get_visible_or_404(Round.objects.all(), request.user, VIEW, "org_path", pk=pk)
    exporter = exports.Submissions(request.user, params={"round": r.pk})
    out = io.BytesIO()
    exporter.write(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{r.title}填报汇总{clock.today():%Y%m%d}.xlsx")


def _prefill(sub: Submission) -> dict:
    """Number fields bound to a figure start from the unit's registry value for the round's period."""
    from gonghui.core.metrics import compute
    from gonghui.core.periods import Period

    out = dict(sub.data)
    period = Period(sub.round.period_start, min(sub.round.period_end, clock.today()))
    for f in sub.round.fields:
        if f.get("metric") in REGISTRY and f["key"] not in out:
            v = compute(f["metric"], sub.org, period).value
            if v is not None:
                out[f["key"]] = str(v)
    return out


@requires(VIEW)
def submission(request, pk):
    sub = _submission(request, pk)
    r = sub.round
    can_fill = (scope.has_perm(request.user, CHANGE, sub.org_path) and sub.status in NOT_REPORTED
                and services.is_open_for(sub, clock.today()))
    can_judge = scope.has_perm(request.user, CHANGE, r.org_path)
    form = forms.fill_form(r.fields, request.POST if request.method == "POST" else None,
                           initial=_prefill(sub) if can_fill else sub.data)
    file_keys = [f["key"] for f in r.fields if f["kind"] == "file"]
    if request.method == "POST":
        if not scope.has_perm(request.user, CHANGE, sub.org_path):
            raise Http404
        submit = "submit" in request.POST
        files, too_big = {}, []
        for d in r.fields:
            f = request.FILES.get(d["key"]) if d["kind"] == "file" else None
            if f is None:
                continue
            limit = d.get("max_mb", uploads.MAX_MB)
            if f.size > limit * 1024 * 1024:  # refused before it is read into memory
                too_big.append(f"“{d['label']}”的文件“{uploads.clean_name(f.name)}”超过 {limit} MB")
            else:
                files[d["key"]] = (f.name, f.read())
        try:
            if too_big:
                raise ServiceError("；".join(too_big) + "，未保存。", field="data")
            (services.submission_submit if submit else services.submission_save)(
                actor=request.user, submission=sub, files=files,
                data={k: request.POST.get(k, "") for k in form.fields if k not in file_keys})
        except ServiceError as err:
            form.add_error(None, err.messages)
        else:
            messages.success(request, "已提交。" if submit else "草稿已保存。")
            return redirect("appraisal:submission", pk=sub.pk)
    files = {u.field_key: u for u in Upload.objects.filter(submission=sub)}
    shown = [(f["label"], sub.data.get(f["key"], ""), files.get(f["key"]) if f["kind"] == "file" else None)
             for f in r.fields]
    return render(request, "appraisal/submission.html", {
        "sub": sub, "round": r, "form": form, "can_fill": can_fill, "can_judge": can_judge, "shown": shown,
        "late": not services.is_open_for(sub, clock.today()), "multipart": bool(file_keys),
        "kept_files": [(f["label"], files[f["key"]]) for f in r.fields if f["kind"] == "file" and f["key"] in files],
        "can_report": any(f.get("metric") for f in r.fields) and scope.has_perm(request.user, "stats.manage",
                                                                                   sub.org_path)})


@requires(CHANGE)
@require_POST
def submission_judge(request, pk, action):
    sub = scope.get_visible_or_404(Submission.objects.select_related("round", "org"), request.user, CHANGE,
                                   "round__org_path", pk=pk)
    try:
        if action == "return":
            services.submission_return(actor=request.user, submission=sub, reason=request.POST.get("reason", ""))
            messages.success(request, f"已退回{sub.org.name}的填报。")
        elif action == "accept":
            services.submission_accept(actor=request.user, submission=sub, as_reported=(
                request.POST.get("as_reported") == "1" and scope.has_perm(request.user, "stats.manage", sub.org_path)))
            messages.success(request, f"已采用{sub.org.name}的填报。")
        elif action == "reopen":
            services.submission_reopen(actor=request.user, submission=sub)
            messages.success(request, f"已允许{sub.org.name}截止后补报。")
        else:
            raise Http404
    except ServiceError as err:
        _failed(request, err)
    return redirect("appraisal:submission", pk=sub.pk)

