"""活动与阵地 pages. Thin: fetch in scope → form → service → redirect; a refused form keeps its input."""

from __future__ import annotations

import io

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.core import audit, clock, excel, scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset, part
from gonghui.core.params import int_param
from gonghui.core.periods import parse_date
from gonghui.core.scope import subtree_q
from gonghui.core.views_base import requires
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import picked

from . import forms, services
from .exports import EXPORT_HEADERS, export_rows
from .models import (
    MEASURES,
    Activity,
    ActivityAttachment,
    ActivityKind,
    AnkangEntry,
    AnkangResult,
    Finding,
    Inspection,
    InspectionKind,
    PersonVisit,
    PostType,
    PublicityItem,
    PublicityKind,
    ServicePost,
    VisitKind,
)

VIEW, CHANGE, MANAGE = "activities.view", "activities.change", "activities.manage"


def _history(request, *targets: tuple[str, list]):
    """A record's 办理记录: its audit entries (and those of its own rows, e.g. an inspection's
    findings), oldest first, a page at a time (audit_object index). The entries were written by
    the services in the same transactions as the changes, so the timeline is never out of step."""
    where = Q(pk__in=[])
    for object_type, ids in targets:
        where |= Q(object_type=object_type, object_id__in=[str(pk) for pk in ids])
    page = part(audit.AuditEvent.objects.filter(where).order_by("seq"), request, "history")
    page.items = [(e.created_at, e.actor_name, audit.action_label(e.action)) for e in page.items]
    return page


def _org(request, form, field="org"):
    """The org the picker put into `field` (its code), in the user's scope for changes; else a form error."""
    return picked(request.user, form.cleaned_data.get(field), CHANGE, form, field, "组织")


def _node(request):
    code = request.GET.get("org", "").strip()
    return scope.get_visible_or_404(Org.objects.all(), request.user, VIEW, code=code) if code else None


def _dates(request):
    out = []
    for key in ("from", "to"):
        try:
            out.append(parse_date(request.GET[key]) if request.GET.get(key) else None)
        except ServiceError:
            out.append(None)
    return out


# --- activities -------------------------------------------------------------------------------------

def _activities(request):
    """The list's queryset and the filters in force (kind, dates, node, text)."""
    f = request.GET
    qs = scope.visible(Activity.objects.select_related("org", "kind"), request.user, VIEW)
    in_force = []
    kind = ActivityKind.objects.filter(code=f.get("kind")).first() if f.get("kind") else None
    if kind is not None:
        qs = qs.filter(kind=kind)
        in_force.append(("活动类型", kind.name))
    start, end = _dates(request)
    if start:
        qs = qs.filter(start_on__gte=start)
        in_force.append(("开始日期自", start))
    if end:
        qs = qs.filter(start_on__lte=end)
        in_force.append(("开始日期至", end))
    node = _node(request)
    if node is not None:
        qs = qs.filter(subtree_q("org__path", node.path))
        in_force.append(("单位编码(含下级)", node.code))
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(title__contains=q)
        in_force.append(("查找", q))
    return qs, in_force


@requires(VIEW)
def index(request):
    qs, in_force = _activities(request)
    page = keyset(qs.order_by("-start_on", "-pk"), request, "activities.list")
    # The totals of the filtered list, one aggregate (each measure summed where recorded).
    totals = qs.aggregate(**{col: Sum(col) for _f, col, _l, _u in MEASURES}) if in_force else None
    return render(request, "activities/index.html", {
        "page": page, "in_force": in_force, "filters": request.GET, "totals": totals,
        "kinds": ActivityKind.objects.order_by("order", "id"), "can_change": scope.has_perm(request.user, CHANGE),
    })


@requires(VIEW)
def export(request):
    qs, _ = _activities(request)
    out = io.BytesIO()
    excel.write_table(out, EXPORT_HEADERS, export_rows(qs), sheet_name="活动台账", text_columns=(0,))
    return FileResponse(io.BytesIO(out.getvalue()), as_attachment=True,
                        filename=f"活动台账{clock.today():%Y%m%d}.xlsx")


def _detail_page(request, a, attachment_form=None, status=200):
    can_change = scope.has_perm(request.user, CHANGE, a.org.path)
    attendance = keyset(a.attendance.select_related("person").order_by("id"), request, f"activities.attendance.{a.pk}")
    return render(request, "activities/detail.html", {
        "a": a, "attendance": attendance, "can_change": can_change,
        "can_list": a.kind.has_persons or a.kind.has_person_times, "attachments": a.attachments.all(),
        "attachment_form": attachment_form or (forms.AttachmentForm() if can_change else None),
        "history": _history(request, ("activities.activity", [a.pk])),
    }, status=status)


@requires(VIEW)
def detail(request, pk):
    a = scope.get_visible_or_404(Activity.objects.select_related("org", "kind"), request.user, VIEW, pk=pk)
    return _detail_page(request, a)


def _kinds():
    return ActivityKind.objects.filter(active=True).order_by("order", "id")


def _measure_values(d) -> dict:
    return {col: d.get(col) for _f, col, _l, _u in MEASURES}


@requires(CHANGE)
def create(request):
    form = forms.ActivityForm(request.POST or None, kinds=_kinds(), initial={"start_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        org = _org(request, form)
        if org is not None:
            d = form.cleaned_data
            try:
                a = services.activity_create(actor=request.user, org=org, kind=d["kind"], title=d["title"],
                                             start_on=d["start_on"], end_on=d["end_on"], place=d["place"],
                                             co_organisers=d["co_organisers"], note=d["note"], **_measure_values(d))
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已登记活动“{a.title}”。")
                return redirect("activities:detail", pk=a.pk)
    return render(request, "activities/form.html", {"form": form, "title": "登记活动", "back": reverse("activities:index"),
                                                    "kinds": _kinds()})


@requires(CHANGE)
def edit(request, pk):
    a = scope.get_visible_or_404(Activity.objects.select_related("org", "kind"), request.user, CHANGE, pk=pk)
    initial = {k: getattr(a, k) for k in ("title", "start_on", "end_on", "place", "co_organisers", "note")}
    initial.update({col: getattr(a, col) for _f, col, _l, _u in MEASURES})
    form = forms.ActivityForm(request.POST or None, kinds=_kinds(), editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.activity_update(actor=request.user, activity=a, title=d["title"], start_on=d["start_on"],
                                     end_on=d["end_on"], place=d["place"], co_organisers=d["co_organisers"],
                                     note=d["note"], **_measure_values(d))
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已保存。")
            return redirect("activities:detail", pk=a.pk)
    return render(request, "activities/form.html", {"form": form, "title": f"修改活动：{a.title}", "a": a,
                                                    "back": reverse("activities:detail", args=[a.pk])})


@requires(CHANGE)
def copy_year(request):
    today = clock.today()
    form = forms.CopyYearForm(request.POST or None, initial={"from_year": today.year - 1, "to_year": today.year})
    if request.method == "POST" and form.is_valid():
        org = _org(request, form)
        if org is not None:
            try:
                made = services.activities_copy_year(actor=request.user, org=org, from_year=form.cleaned_data["from_year"],
                                                     to_year=form.cleaned_data["to_year"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已复制 {len(made)} 项活动，请逐项补填期数、人数等指标。")
                return redirect(f"{reverse('activities:index')}?org={org.code}")
    return render(request, "activities/form.html", {"form": form, "title": "复制上年活动", "back": reverse("activities:index"),
                                                    "intro": "按上年本单位的活动逐项复制（类型、名称、地点、日期改为本年），"
                                                             "不复制人数、人次等指标和签到名单；本年尚未到来的日期不复制。"})


# --- kinds ---------------------------------------------------------------------------------------------

@requires(VIEW)
def kinds(request):
    rows = ActivityKind.objects.select_related("parent").annotate(n=Count("activities")).order_by("order", "id")
    return render(request, "activities/kinds.html", {"kinds": rows, "can_manage": scope.has_perm(request.user, MANAGE)})


KIND_FIELDS = services.KIND_FIELDS


@requires(MANAGE)
def kind_create(request):
    form = forms.KindForm(request.POST or None, initial={"has_sessions": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.kind_create(actor=request.user, code=d["code"], **{k: d[k] for k in KIND_FIELDS})
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已新增活动类型“{d['name']}”。")
            return redirect("activities:kinds")
    return render(request, "activities/form.html", {"form": form, "title": "新增活动类型", "back": reverse("activities:kinds")})


@requires(MANAGE)
def kind_edit(request, pk):
    kind = get_object_or_404(ActivityKind, pk=pk)  # kinds are shared by the whole system
    form = forms.KindForm(request.POST or None, initial={"code": kind.code, **{k: getattr(kind, k) for k in KIND_FIELDS}},
                          kind=kind)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.kind_update(actor=request.user, kind=kind, **{k: d[k] for k in KIND_FIELDS})
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已保存。")
            return redirect("activities:kinds")
    return render(request, "activities/form.html", {"form": form, "title": f"修改活动类型：{kind.name}",
                                                    "back": reverse("activities:kinds")})


# --- service posts -------------------------------------------------------------------------------------

def _posts(request):
    """The service-post list's rows and filters in force, for its page and its export alike."""
    qs = scope.visible(ServicePost.objects.select_related("org"), request.user, VIEW)
    in_force = []
    if request.GET.get("type") in PostType.values:
        qs = qs.filter(type=request.GET["type"])
        in_force.append(("阵地类型", PostType(request.GET["type"]).label))
    node = _node(request)
    if node is not None:
        qs = qs.filter(subtree_q("org__path", node.path))
        in_force.append(("单位编码(含下级)", node.code))
    return qs, in_force


@requires(VIEW)
def posts(request):
    qs, in_force = _posts(request)
    page = keyset(qs.order_by("org__path", "name", "pk"), request, "activities.posts")
    return render(request, "activities/posts.html", {"page": page, "in_force": in_force, "filters": request.GET,
                                                     "types": PostType.choices,
                                                     "can_change": scope.has_perm(request.user, CHANGE)})


POST_HEADERS = ["阵地名称", "阵地类型", "运营单位编码", "运营单位", "地址", "功能室/服务项目", "功能室数", "开放时间",
                "启用日期", "停用日期", "本年服务人次"]


@requires(VIEW)
def posts_export(request):
    """服务阵地名录: the list as filtered, with this year's 服务人次 of each post."""
    qs, _ = _posts(request)
    year = clock.today().year
    qs = qs.annotate(year_visits=Sum("visit_days__visits", filter=Q(visit_days__on__year=year)))
    rows = ([p.name, p.get_type_display(), p.org.code, p.org.name, p.address, p.functions, p.rooms, p.opening_hours,
             p.opened_on, p.closed_on, p.year_visits or 0]
            for p in qs.order_by("org__path", "name", "pk").iterator(chunk_size=2000))
    out = io.BytesIO()
    excel.write_table(out, POST_HEADERS, rows, sheet_name="服务阵地名录", text_columns=(2,))
    return FileResponse(io.BytesIO(out.getvalue()), as_attachment=True,
                        filename=f"服务阵地名录{clock.today():%Y%m%d}.xlsx")


@requires(CHANGE)
def post_create(request):
    form = forms.PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = _org(request, form)
        if org is not None:
            d = form.cleaned_data
            try:
                post = services.post_create(actor=request.user, org=org, **{k: d[k] for k in (
                    "type", "name", "address", "functions", "rooms", "opening_hours", "opened_on")})
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已登记服务阵地“{post.name}”。")
                return redirect("activities:post_detail", pk=post.pk)
    return render(request, "activities/form.html", {"form": form, "title": "登记服务阵地", "back": reverse("activities:posts")})


def _post_page(request, post, visits_form=None, volunteer_form=None, visitor_form=None, status=200):
    can_change = scope.has_perm(request.user, CHANGE, post.org.path)
    today = clock.today()
    days = post.visit_days.order_by("-on")[:60]
    shifts = post.shifts.order_by("-on", "-id")[:60]
    visitors = post.visits.order_by("-on", "-id")[:60]
    year = post.visit_days.filter(on__year=today.year).aggregate(s=Sum("visits"))["s"] or 0
    return render(request, "activities/post_detail.html", {
        "post": post, "days": days, "shifts": shifts, "visitors": visitors,
        "visitor_form": visitor_form or forms.VisitorForm(initial={"on": today}), "year_visits": year, "can_change": can_change,
        "visits_form": visits_form or forms.VisitsForm(initial={"on": today}),
        "volunteer_form": volunteer_form or forms.VolunteerForm(initial={"on": today}),
        "history": _history(request, ("activities.servicepost", [post.pk])),
    }, status=status)


@requires(VIEW)
def post_detail(request, pk):
    post = scope.get_visible_or_404(ServicePost.objects.select_related("org"), request.user, VIEW, pk=pk)
    return _post_page(request, post)


@requires(CHANGE)
@require_POST
def post_visits(request, pk):
    post = scope.get_visible_or_404(ServicePost.objects.select_related("org"), request.user, CHANGE, pk=pk)
    form = forms.VisitsForm(request.POST)
    if form.is_valid():
        try:
            services.post_visits_record(actor=request.user, post=post, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记服务人次。")
            return redirect("activities:post_detail", pk=post.pk)
    return _post_page(request, post, visits_form=form, status=400)


@requires(CHANGE)
@require_POST
def post_visitor(request, pk):
    post = scope.get_visible_or_404(ServicePost.objects.select_related("org"), request.user, CHANGE, pk=pk)
    form = forms.VisitorForm(request.POST)
    if form.is_valid():
        try:
            services.post_visit_log(actor=request.user, post=post, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记来访。")
            return redirect("activities:post_detail", pk=post.pk)
    return _post_page(request, post, visitor_form=form, status=400)


@requires(CHANGE)
@require_POST
def post_volunteer(request, pk):
    post = scope.get_visible_or_404(ServicePost.objects.select_related("org"), request.user, CHANGE, pk=pk)
    form = forms.VolunteerForm(request.POST)
    if form.is_valid():
        try:
            services.volunteer_record(actor=request.user, post=post, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记志愿服务。")
            return redirect("activities:post_detail", pk=post.pk)
    return _post_page(request, post, volunteer_form=form, status=400)


# --- safety supervision ------------------------------------------------------------------------------

def _inspections(request):
    """The inspection list's rows and filters in force, for its page and its export alike."""
    qs = scope.visible(Inspection.objects.select_related("org"), request.user, VIEW)
    in_force = []
    if request.GET.get("kind") in InspectionKind.values:
        qs = qs.filter(kind=request.GET["kind"])
        in_force.append(("检查类型", InspectionKind(request.GET["kind"]).label))
    node = _node(request)
    if node is not None:
        qs = qs.filter(subtree_q("org__path", node.path))
        in_force.append(("单位编码(含下级)", node.code))
    today = clock.today()
    qs = qs.annotate(n_findings=Count("findings"),
                     n_open=Count("findings", filter=Q(findings__closed_on__isnull=True)),
                     n_overdue=Count("findings", filter=Q(findings__closed_on__isnull=True, findings__due_on__lt=today)))
    return qs, in_force


@requires(VIEW)
def inspections(request):
    qs, in_force = _inspections(request)
    page = keyset(qs.order_by("-inspected_on", "-pk"), request, "activities.inspections")
    return render(request, "activities/inspections.html", {"page": page, "in_force": in_force, "filters": request.GET,
                                                           "kinds": InspectionKind.choices,
                                                           "can_change": scope.has_perm(request.user, CHANGE)})


INSPECTION_HEADERS = ["检查日期", "检查类型", "被检查单位", "组织单位编码", "组织单位", "参加人数", "提出建议（条）",
                      "查出问题（项）", "未整改（项）", "逾期未整改（项）", "检查情况"]


@requires(VIEW)
def inspections_export(request):
    """安全监督检查台账: the list as filtered, one row an inspection with its findings' counts."""
    qs, _ = _inspections(request)
    rows = ([i.inspected_on, i.get_kind_display(), i.employer_name, i.org.code, i.org.name, i.inspectors,
             i.suggestions, i.n_findings, i.n_open, i.n_overdue, i.note]
            for i in qs.order_by("inspected_on", "pk").iterator(chunk_size=2000))
    out = io.BytesIO()
    excel.write_table(out, INSPECTION_HEADERS, rows, sheet_name="安全监督检查台账", text_columns=(3,))
    return FileResponse(io.BytesIO(out.getvalue()), as_attachment=True,
                        filename=f"安全监督检查台账{clock.today():%Y%m%d}.xlsx")


@requires(CHANGE)
def inspection_create(request):
    form = forms.InspectionForm(request.POST or None, initial={"inspected_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        org = _org(request, form)
        if org is not None:
            d = form.cleaned_data
            try:
                insp = services.inspection_create(actor=request.user, org=org, **{k: d[k] for k in (
                    "kind", "inspected_on", "employer_name", "inspectors", "suggestions", "note")})
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已登记检查，请逐项登记发现的问题。")
                return redirect("activities:inspection_detail", pk=insp.pk)
    return render(request, "activities/form.html", {"form": form, "title": "登记安全监督检查",
                                                    "back": reverse("activities:inspections")})


def _inspection_page(request, insp, finding_form=None, close_forms=None, status=200):
    today = clock.today()
    findings = list(insp.findings.order_by("id"))
    close_forms = close_forms or {}
    for f in findings:
        f.overdue = f.closed_on is None and f.due_on and f.due_on < today
        f.close_form = close_forms.get(f.pk) or forms.CloseForm(prefix=f"f{f.pk}", initial={"closed_on": today})
    return render(request, "activities/inspection_detail.html", {
        "insp": insp, "findings": findings, "can_change": scope.has_perm(request.user, CHANGE, insp.org.path),
        "finding_form": finding_form or forms.FindingForm(), "today": today,
        "history": _history(request, ("activities.inspection", [insp.pk]),
                            ("activities.finding", [f.pk for f in findings])),
    }, status=status)


@requires(VIEW)
def inspection_detail(request, pk):
    insp = scope.get_visible_or_404(Inspection.objects.select_related("org"), request.user, VIEW, pk=pk)
    return _inspection_page(request, insp)


@requires(CHANGE)
@require_POST
def finding_add(request, pk):
    insp = scope.get_visible_or_404(Inspection.objects.select_related("org"), request.user, CHANGE, pk=pk)
    form = forms.FindingForm(request.POST)
    if form.is_valid():
        try:
            services.finding_add(actor=request.user, inspection=insp, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记问题。")
            return redirect("activities:inspection_detail", pk=insp.pk)
    return _inspection_page(request, insp, finding_form=form, status=400)


@requires(CHANGE)
@require_POST
def finding_close(request, pk):
    finding = scope.get_visible_or_404(Finding.objects.select_related("inspection__org"), request.user, CHANGE,
                                       "inspection__org__path", pk=pk)
    form = forms.CloseForm(request.POST, prefix=f"f{finding.pk}")
    if form.is_valid():
        try:
            services.finding_close(actor=request.user, finding=finding, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已登记整改完成。")
            return redirect("activities:inspection_detail", pk=finding.inspection_id)
    return _inspection_page(request, finding.inspection, close_forms={finding.pk: form}, status=400)


# --- publicity ----------------------------------------------------------------------------------------

def _publicity(request):
    """The publicity list's rows and filters in force, for its page and its export alike."""
    qs = scope.visible(PublicityItem.objects.select_related("org"), request.user, VIEW)
    in_force = []
    if request.GET.get("kind") in PublicityKind.values:
        qs = qs.filter(kind=request.GET["kind"])
        in_force.append(("类别", PublicityKind(request.GET["kind"]).label))
    return qs, in_force


@requires(VIEW)
def publicity(request):
    qs, in_force = _publicity(request)
    page = keyset(qs.order_by("-published_on", "-pk"), request, "activities.publicity")
    return render(request, "activities/publicity.html", {"page": page, "in_force": in_force, "filters": request.GET,
                                                         "kinds": PublicityKind.choices,
                                                         "can_change": scope.has_perm(request.user, CHANGE)})


PUBLICITY_HEADERS = ["刊发日期", "类别", "标题", "刊发/报送媒体", "期号", "条数", "报送单位编码", "报送单位"]


@requires(VIEW)
def publicity_export(request):
    """宣传信息台账: the list as filtered."""
    qs, _ = _publicity(request)
    rows = ([i.published_on, i.get_kind_display(), i.title, i.outlet, i.issue_no, i.entries, i.org.code, i.org.name]
            for i in qs.order_by("published_on", "pk").iterator(chunk_size=2000))
    out = io.BytesIO()
    excel.write_table(out, PUBLICITY_HEADERS, rows, sheet_name="宣传信息台账", text_columns=(4, 6))
    return FileResponse(io.BytesIO(out.getvalue()), as_attachment=True,
                        filename=f"宣传信息台账{clock.today():%Y%m%d}.xlsx")


@requires(CHANGE)
def publicity_create(request):
    form = forms.PublicityForm(request.POST or None, initial={"published_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        org = _org(request, form)
        if org is not None:
            d = form.cleaned_data
            try:
                services.publicity_create(actor=request.user, org=org, **{k: d[k] for k in (
                    "kind", "title", "outlet", "published_on", "issue_no", "entries")})
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已登记宣传信息。")
                return redirect("activities:publicity")
    return render(request, "activities/form.html", {"form": form, "title": "登记宣传信息",
                                                    "back": reverse("activities:publicity")})


# --- attendees picked from the roster --------------------------------------------------------------

@requires(CHANGE)
def attendees(request, pk):
    """The roster search for an activity: current members of the organiser's subtree whom the user
    may see, by name, pinyin, card number or ID number, a page at a time (keyset); tick and add."""
    a = scope.get_visible_or_404(Activity.objects.select_related("org", "kind"), request.user, CHANGE, pk=pk)
    if not (a.kind.has_persons or a.kind.has_person_times):
        raise Http404("该类型的活动不登记签到名单。")
    form = forms.PickForm(request.POST or None, initial={"times": 1})
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.attendance_pick(actor=request.user, activity=a, person_ids=request.POST.getlist("person"),
                                              times=form.cleaned_data["times"])
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已加入签到名单：新增 {counts['created']} 人，修改 {counts['updated']} 人，"
                                      f"未变 {counts['unchanged']} 人。")
            return redirect("activities:detail", pk=a.pk)
    q = request.GET.get("q", "").strip()
    page = None
    if q:
        page = keyset(services.pickable_members(request.user, a, q), request,
                      f"activities.attendees.{a.pk}")
        listed = set(a.attendance.filter(person_id__in=[m.person_id for m in page.items])
                     .values_list("person_id", flat=True))
        for m in page.items:
            m.listed = m.person_id in listed
    return render(request, "activities/attendees.html", {"a": a, "form": form, "q": q, "page": page},
                  status=400 if form.errors else 200)


@requires(CHANGE)
@require_POST
def attendee_remove(request, pk):
    a = scope.get_visible_or_404(Activity.objects.select_related("org", "kind"), request.user, CHANGE, pk=pk)
    try:
        services.attendance_remove(actor=request.user, activity=a, person_id=int_param(request.POST, "person"))
    except ServiceError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, "已从签到名单中移除。")
    return redirect("activities:detail", pk=a.pk)


# --- attachments -----------------------------------------------------------------------------------

@requires(CHANGE)
@require_POST
def attachment_add(request, pk):
    a = scope.get_visible_or_404(Activity.objects.select_related("org", "kind"), request.user, CHANGE, pk=pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, activity=a, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已上传附件。")
            return redirect("activities:detail", pk=a.pk)
    return _detail_page(request, a, attachment_form=form, status=400)


@requires(VIEW)
def attachment_open(request, pk):
    att = scope.get_visible_or_404(ActivityAttachment.objects.select_related("activity__org"), request.user, VIEW,
                                   pk=pk)
    handle = services.attachment_open(user=request.user, attachment=att)
    ext = att.file.name.rsplit(".", 1)[-1].lower()
    name = att.name if att.name.lower().endswith(f".{ext}") else f"{att.name}.{ext}"
    return FileResponse(handle, as_attachment=True, filename=name)


@requires(CHANGE)
@require_POST
def delete(request, pk):
    """A record entered by mistake: deleted with its attendance list and attachments (audited)."""
    a = scope.get_visible_or_404(Activity.objects.select_related("org"), request.user, CHANGE, pk=pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, "请先勾选“确认删除”，再点“删除活动记录”。")
        return redirect(reverse("activities:detail", args=[a.pk]) + "#delete")
    services.activity_delete(actor=request.user, activity=a)
    messages.success(request, f"已删除活动记录“{a.title}”。")
    return redirect("activities:index")


@requires(CHANGE)
@require_POST
def attachment_delete(request, pk):
    att = scope.get_visible_or_404(ActivityAttachment.objects.select_related("activity__org"), request.user, CHANGE,
                                   pk=pk)
    services.attachment_delete(actor=request.user, attachment=att)
    messages.success(request, "已删除附件。")
    return redirect("activities:detail", pk=att.activity_id)


# --- 安康杯 -----------------------------------------------------------------------------------------

@requires(VIEW)
def ankang(request):
    qs = scope.visible(AnkangEntry.objects.select_related("org", "employer"), request.user, VIEW)
    in_force = []
    year = int_param(request.GET, "year", default=None)
    if year:
        qs = qs.filter(year=year)
        in_force.append(("年度", year))
    if request.GET.get("result") in AnkangResult.values:
        qs = qs.filter(result=request.GET["result"])
        in_force.append(("竞赛结果", AnkangResult(request.GET["result"]).label))
    page = keyset(qs.order_by("-year", "-pk"), request, "activities.ankang")
    totals = qs.aggregate(participants=Sum("participants"), teams=Sum("teams")) if in_force else None
    return render(request, "activities/ankang.html", {
        "page": page, "in_force": in_force, "filters": request.GET, "results": AnkangResult.choices,
        "totals": totals, "can_change": scope.has_perm(request.user, CHANGE)})


def _employer(user, text: str, form):
    from gonghui.orgs.selectors import employers_for

    text = (text or "").strip()
    qs = employers_for(user, CHANGE)
    found = list(qs.filter(uscc=text.upper())[:2]) if len(text) == 18 else []
    found = found or list(qs.filter(name=text)[:2])
    if len(found) != 1:
        form.add_error("employer", f"未找到“{text}”，或该单位不在您的管理范围内。" if not found
                       else f"有多家名为“{text}”的单位，请输入其统一社会信用代码。")
        return None
    return found[0]


@requires(CHANGE)
def ankang_create(request):
    form = forms.AnkangForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        org = _org(request, form)
        employer = _employer(request.user, form.cleaned_data["employer"], form)
        if org is not None and employer is not None:
            d = form.cleaned_data
            try:
                services.ankang_enter(actor=request.user, org=org, employer=employer, **{k: d[k] for k in (
                    "year", "participants", "teams", "result", "note")})
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已登记“{employer.name}”{d['year']}年安康杯参赛情况。")
                return redirect("activities:ankang")
    return render(request, "activities/form.html", {
        "form": form, "title": "安康杯参赛登记", "back": reverse("activities:ankang"),
        "intro": "每家用人单位每年登记一次；再次登记同一单位同一年度即修改其参赛人数和结果。"})


# --- visits to one person ------------------------------------------------------------------------

@requires(VIEW)
def visits(request):
    qs = scope.visible(PersonVisit.objects.select_related("org", "person"), request.user, VIEW)
    in_force = []
    if request.GET.get("kind") in VisitKind.values:
        qs = qs.filter(kind=request.GET["kind"])
        in_force.append(("走访类型", VisitKind(request.GET["kind"]).label))
    start, end = _dates(request)
    if start:
        qs = qs.filter(visited_on__gte=start)
        in_force.append(("走访日期自", start))
    if end:
        qs = qs.filter(visited_on__lte=end)
        in_force.append(("走访日期至", end))
    page = keyset(qs.order_by("-visited_on", "-pk"), request, "activities.visits")
    totals = qs.aggregate(amount=Sum("amount"), persons=Count("person", distinct=True)) if in_force else None
    return render(request, "activities/visits.html", {
        "page": page, "in_force": in_force, "filters": request.GET, "kinds": VisitKind.choices, "totals": totals,
        "can_change": scope.has_perm(request.user, CHANGE)})


@requires(VIEW)
def visit_detail(request, pk):
    v = scope.get_visible_or_404(PersonVisit.objects.select_related("org", "person"), request.user, VIEW, pk=pk)
    return render(request, "activities/visit_detail.html", {"v": v})


def _member(user, text: str, form):
    """The one current member the picker's text (card number or name) finds in the user's scope."""
    from gonghui.members.selectors import roster

    text = (text or "").strip()
    found = list(roster(user, q=text)[:2]) if text else []
    if len(found) != 1:
        form.add_error("person", f"未找到会员“{text}”，或不在您的管理范围内。" if not found
                       else f"有多名会员与“{text}”相符，请从列表中选择（按会员证号）。")
        return None
    return found[0].person


@requires(CHANGE)
def visit_create(request):
    form = forms.PersonVisitForm(request.POST or None, initial={"visited_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        org = _org(request, form)
        person = _member(request.user, form.cleaned_data["person"], form)
        if org is not None and person is not None:
            d = form.cleaned_data
            try:
                v = services.person_visit_create(actor=request.user, org=org, person=person, **{k: d[k] for k in (
                    "kind", "visited_on", "amount", "goods", "visitors", "note")})
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已登记走访慰问。")
                return redirect("activities:visit_detail", pk=v.pk)
    return render(request, "activities/form.html", {"form": form, "title": "登记走访慰问",
                                                    "back": reverse("activities:visits")})
