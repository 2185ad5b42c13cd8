"""Org tree, lifecycle actions and employers. Thin: fetch in scope → form → service → redirect."""

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import clock, pickers, scope, workline
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset, part
from gonghui.core.views_base import login_only, requires

from . import conf, forms, selectors, services
from .models import CHILD_TYPES, FEDERATION_TYPES, Coverage, Employer, Org, OrgStatus, required_q


def _org(request, pk, perm="orgs.view"):
    return scope.get_visible_or_404(Org.objects.all(), request.user, perm, pk=pk)


@requires("orgs.view")
def tree(request):
    q = request.GET.get("q", "").strip()
    if q:
        page = keyset(selectors.search(request.user, q), request, "orgs.search")
        return render(request, "orgs/search.html", {"page": page, "q": q, "in_force": [("名称、编码或拼音", q)]})
    roots = list(selectors.roots_for(request.user))
    groups = [(root, selectors.children_with_counts(root)) for root in roots]
    return render(request, "orgs/tree.html",
                  {"groups": groups, "can_import": scope.has_perm(request.user, "orgs.import")})


@requires("orgs.view")
def children(request, pk):
    """htmx partial: the next level of the tree, loaded when a node is expanded."""
    org = _org(request, pk)
    return render(request, "orgs/_children.html", {"children": selectors.children_with_counts(org)})


@requires("orgs.view")
def detail(request, pk):
    org = _org(request, pk)
    can_change = scope.has_perm(request.user, "orgs.change", org.path)
    context = {
        "org": org,
        "crumbs": selectors.ancestors(org),
        "events": part(org.events.all(), request, "timeline"),
        "terms": part(org.terms.order_by("-elected_on", "-pk"), request, "terms"),
        "children": selectors.children_with_counts(org),
        "coverages": part(org.coverages.select_related("employer").order_by("-valid_from", "-pk"), request, "coverages"),
        "can_change": can_change,
        "can_found": bool(CHILD_TYPES.get(org.org_type)),
        "today": clock.today(),
    }
    return render(request, "orgs/detail.html", context)


@requires("orgs.change")
def found(request, pk):
    parent = _org(request, pk, "orgs.change")
    form = forms.FoundForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            org = services.org_found(
                actor=request.user, parent=parent, name=d.pop("name"), org_type=d.pop("org_type"),
                founded_on=d.pop("founded_on"), code=d.pop("code"), elected_on=d.pop("elected_on"),
                term_years=d.pop("term_years"), **d,
            )
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已组建“{org.name}”。")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/action.html", {"org": parent, "form": form, "title": f"在“{parent.name}”下组建工会",
                                                "crumbs": selectors.ancestors(parent) + [parent]})


def _action(request, pk, form_class, perform, title, done, form_kwargs=None):
    """The shared shape of every lifecycle action: form, service call, error kept on the form."""
    org = _org(request, pk, "orgs.change")
    form = form_class(request.POST or None, **(form_kwargs(org) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        try:
            perform(org, form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, done)
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/action.html", {"org": org, "form": form, "title": f"{title}：{org.name}",
                                                "crumbs": selectors.ancestors(org) + [org]})


@requires("orgs.change")
def edit(request, pk):
    def form_kwargs(org):
        parents = scope.visible(Org.objects.filter(org_type__in=FEDERATION_TYPES), request.user, "orgs.view")
        parents = parents.exclude(pk=org.pk).exclude(status=OrgStatus.DISSOLVED).order_by("path")
        return {"instance": Org.objects.get(pk=org.pk), "funding_parents": parents}

    fields = forms.OrgEditForm.Meta.fields
    return _action(request, pk, forms.OrgEditForm,
                   lambda org, d: services.org_update(actor=request.user, org=org, **{f: d[f] for f in fields}),
                   "编辑", "已保存。", form_kwargs=form_kwargs)


@requires("orgs.change")
def rename(request, pk):
    return _action(request, pk, forms.RenameForm,
                   lambda org, d: services.org_rename(actor=request.user, org=org, **d), "更名", "已更名。")


def _move_targets(request, org):
    parent_types = [t for t, kids in CHILD_TYPES.items() if org.org_type in kids]
    qs = scope.visible(Org.objects.filter(org_type__in=parent_types), request.user, "orgs.change")
    qs = qs.exclude(path__startswith=org.path).exclude(path=org.path[: -Org.steplen])  # nor the current parent
    return qs.exclude(status=OrgStatus.DISSOLVED).order_by("path")


@requires("orgs.change")
def move(request, pk):
    return _action(request, pk, forms.MoveForm,
                   lambda org, d: services.org_move(actor=request.user, org=org, **d), "转移", "已转移。",
                   form_kwargs=lambda org: {"parents": _move_targets(request, org)})


@requires("orgs.change")
def reelect(request, pk):
    return _action(request, pk, forms.ReelectForm,
                   lambda org, d: services.org_reelect(actor=request.user, org=org, **d), "换届", "已记录换届。")


@requires("orgs.change")
def change_type(request, pk):
    return _action(request, pk, forms.TypeChangeForm,
                   lambda org, d: services.org_change_type(actor=request.user, org=org, **d), "升格/变更类型",
                   "已变更类型。", form_kwargs=lambda org: {"org": org, "parent": Org.objects.get_parent(org)})


@requires("orgs.change")
def dissolve(request, pk):
    return _action(request, pk, forms.DissolveForm,
                   lambda org, d: services.org_dissolve(actor=request.user, org=org, **d), "注销", "已注销。")


@requires("orgs.change")
def legal(request, pk):
    return _action(request, pk, forms.LegalForm,
                   lambda org, d: services.org_register_legal_person(actor=request.user, org=org, **d),
                   "法人资格登记", "已登记法人资格。")


# --- employers ----------------------------------------------------------------------------

def _employer(request, pk, perm="employers.view"):
    return scope.get_visible_or_404(Employer.objects.select_related("org"), request.user, perm, pk=pk)


@requires("employers.view")
def employers(request):
    qs = scope.visible(Employer.objects.select_related("org"), request.user, "employers.view")
    f = request.GET
    q = f.get("q", "").strip()
    if q:
        cond = Q(name__contains=q) | Q(uscc=q.upper())
        if q.isascii():
            cond |= Q(name_initials__startswith=q.lower())
        qs = qs.filter(cond)
    if f.get("required") == "1":
        qs = qs.filter(required_q(conf.get("REQUIRED_HEADCOUNT")))
    if f.get("pending") == "1":  # 待补充信用代码: registered by name (e.g. from a roster), code to come
        qs = qs.filter(Q(uscc__isnull=True) | Q(uscc=""))
    if f.get("uncovered") == "1":
        # NOT EXISTS, not exclude(coverages__...): that would also drop employers with no coverage row at all.
        qs = qs.filter(~Exists(Coverage.objects.filter(employer=OuterRef("pk"), valid_to__isnull=True)))
    page = keyset(qs.order_by("org__path", "name", "pk"), request, "orgs.employers")
    in_force = ([("查找", q)] if q else []) + [(label, "是") for key, label in (("required", "仅应建会"),
                                                                              ("uncovered", "仅未建会"),
                                                                              ("pending", "仅待补充信用代码"))
                                             if f.get(key) == "1"]
    return render(request, "orgs/employers.html", {
        "page": page, "filters": f, "in_force": in_force, "can_import": scope.has_perm(request.user, "orgs.import"),
        "can_change": scope.has_perm(request.user, "employers.change"),
    })


def _employer_orgs(request):
    return scope.visible(Org.objects.filter(org_type__in=FEDERATION_TYPES), request.user, "employers.change") \
        .exclude(status=OrgStatus.DISSOLVED).order_by("path")


@requires("employers.change")
def employer_create(request):
    form = forms.EmployerForm(request.POST or None)
    org_form = forms.EmployerOrgForm(request.POST or None, orgs=_employer_orgs(request))
    if request.method == "POST" and form.is_valid() and org_form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            employer = services.employer_create(actor=request.user, org=org_form.cleaned_data["org"], **fields)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已登记“{employer.name}”。")
            return redirect("orgs:employer_detail", pk=employer.pk)
    return render(request, "orgs/employer_form.html", {"form": form, "org_form": org_form, "title": "登记用人单位"})


@requires("employers.change")
def employer_edit(request, pk):
    employer = _employer(request, pk, "employers.change")
    form = forms.EmployerForm(request.POST or None, instance=Employer.objects.get(pk=employer.pk))
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            services.employer_update(actor=request.user, employer=employer, **fields)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, "已保存。")
            return redirect("orgs:employer_detail", pk=employer.pk)
    return render(request, "orgs/employer_form.html", {"form": form, "title": f"编辑：{employer.name}"})


@requires("employers.view")
def employer_detail(request, pk):
    employer = _employer(request, pk)
    form = forms.CoverageForm(request.POST or None)
    can_change = scope.has_perm(request.user, "employers.change", employer.org.path)
    if request.method == "POST" and can_change and form.is_valid():
        union = scope.visible(Org.objects.filter(code=form.cleaned_data["union_code"].strip()), request.user,
                              "employers.change").first()
        if union is None:
            form.add_error("union_code", "未找到该编码的工会，或不在您的管理范围内。")
        else:
            try:
                services.coverage_start(actor=request.user, union=union, employer=employer,
                                        valid_from=form.cleaned_data["valid_from"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已记录“{union.name}”覆盖本单位。")
                return redirect("orgs:employer_detail", pk=employer.pk)
    coverages = employer.coverages.select_related("union").order_by("-valid_from")
    return render(request, "orgs/employer_detail.html", {
        "employer": employer, "form": form, "coverages": coverages, "can_change": can_change,
        "required": Employer.objects.filter(pk=employer.pk).filter(
            required_q(conf.get("REQUIRED_HEADCOUNT"))).exists(),
        "end_form": forms.CoverageEndForm(),
    })


@requires("employers.change")
@require_POST
def coverage_end(request, pk):
    coverage = scope.get_visible_or_404(Coverage.objects.select_related("union", "employer"), request.user,
                                        "employers.change", "union__path", pk=pk)
    form = forms.CoverageEndForm(request.POST)
    if form.is_valid():
        try:
            services.coverage_end(actor=request.user, coverage=coverage, valid_to=form.cleaned_data["valid_to"])
        except ServiceError as err:
            messages.error(request, err.messages[0])
        else:
            messages.success(request, "已终止覆盖关系。")
    else:
        messages.error(request, "请填写正确的终止日期。")
    return redirect("orgs:employer_detail", pk=coverage.employer_id)


# --- pickers (core.pickers) -------------------------------------------------------------------

def _picker_perm(request, default: str) -> str:
    """The permission the form acts with: the suggestions are what the user may choose with it.
    An unknown code scopes to nothing (scope_q), so it cannot widen anything."""
    perm = request.GET.get("perm", default)
    return perm if perm in workline.codes() else default


@login_only
def pick_orgs(request):
    """Suggestions for a union-code input: name, pinyin initials or code, with the path."""
    text = pickers.query_text(request)
    perm = _picker_perm(request, "orgs.view")
    rows, more = [], False
    if text:
        rows, more = pickers.bounded(selectors.pick_orgs(request.user, perm, text, types=request.GET.get("types", ""),
                                                         dissolved=request.GET.get("dissolved") == "1"))
    paths = selectors.path_labels([o.path for o in rows])
    options = [pickers.Option(value=o.code, label=o.name + ("（已注销）" if o.is_dissolved else ""),
                              detail=o.code, path=paths[o.path]) for o in rows]
    return pickers.picker_options(request, options, more, text)


@login_only
def pick_employers(request):
    """Suggestions for an employer input: its credit code (value=uscc) or its name (value=name)."""
    text = pickers.query_text(request)
    perm = _picker_perm(request, "employers.view")
    by_name = request.GET.get("value") == "name"
    rows, more = [], False
    if text:
        rows, more = pickers.bounded(selectors.pick_employers(request.user, perm, text, with_uscc=not by_name))
    paths = selectors.path_labels(list({e.org.path for e in rows}))
    options = [pickers.Option(value=e.name if by_name else e.uscc, label=e.name, detail=e.uscc or "",
                              path=paths[e.org.path]) for e in rows]
    return pickers.picker_options(request, options, more, text)
