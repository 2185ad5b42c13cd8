"""Dashboards, drill-down, record lists, targets, period locks, standard tables and the work
summary. Every figure comes from the metric registry through `figures`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gonghui.core import clock, figcache, scope, workline
from gonghui.core.errors import ServiceError, join_messages
from gonghui.core.metrics import REGISTRY, clean_filters, groups
from gonghui.core.paging import bounded_count, keyset
from gonghui.core.scope import subtree_q
from gonghui.core.tables import TABLES, url_name
from gonghui.core.views_base import requires
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import ancestors, roots_for

from . import annual, services, summary, tables
from . import figures as F
from .models import SummaryTemplate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _org(request, code: str, perm: str = "stats.view") -> Org:
    return scope.get_visible_or_404(Org.objects.all(), request.user, perm, code=code)


def _metric(code: str):
    if code not in REGISTRY:
        raise Http404("指标不存在。")
    return REGISTRY[code]


def _period_query(choice: F.PeriodChoice) -> str:
    params = {"preset": choice.preset, "year": choice.year}
    if choice.preset == "custom":
        params.update({"from": choice.period.start.isoformat(), "to": choice.period.end.isoformat()})
    return urlencode(params)


def _choice(request, params=None) -> F.PeriodChoice:
    return F.period_from(params if params is not None else request.GET, clock.today())


def _base_context(request, org: Org, choice: F.PeriodChoice) -> dict:
    crumbs = [a for a in ancestors(org) if scope.has_perm(request.user, "stats.view", a.path)]
    return {"org": org, "choice": choice, "period": choice.period, "pq": _period_query(choice),
            "presets": F.PRESETS, "crumbs": crumbs,
            "can_manage": scope.has_perm(request.user, "stats.manage", org.path)}


@requires("stats.view")
def index(request):
    """The dashboard of the top node of the user's scope."""
    org = roots_for(request.user, "stats.view").first()
    if org is None:
        return render(request, "reports/index.html")
    return _dashboard(request, org)


def _focus(request):
    code = request.GET.get("metric", "")
    if code in REGISTRY:
        return REGISTRY[code]
    preferred = [m for m in REGISTRY.values() if m.is_additive and m.breakdown is not None]
    return (preferred or list(REGISTRY.values()) or [None])[0]


@requires("stats.view")
def dashboard(request, code):
    return _dashboard(request, _org(request, code))


def _chart_extra(focus, lock) -> tuple:
    return (focus.code, lock.pk if lock else "")


def _chart(org, period, focus, lock, version: str) -> dict | None:
    """The focus figure's monthly trend and breakdown, computed once per data version (a lock
    is a service write too, so a locked period's published parts are never served stale)."""
    if focus is None:
        return None

    def make():
        b = tables.locked_breakdown(focus.code, org, period, lock)
        return {
            "metric": focus.label, "unit": focus.unit,
            "trend": F.monthly_trend(focus.code, org, period),
            "parts": [[p.label, None if p.value.value is None else float(p.value.value)] for p in b.parts],
        }

    return figcache.remember("chart", org, period, _chart_extra(focus, lock), make, version=version)


def _large(org) -> bool:
    """Whether computing the node's figures inline would keep the user waiting: its subtree holds
    more than GONGHUI_DASHBOARD_INLINE_ORGS orgs (a township's does not). At most that many + 1
    rows are counted."""
    from django.conf import settings

    limit = getattr(settings, "GONGHUI_DASHBOARD_INLINE_ORGS", 200)
    return Org.objects.filter(subtree_q("path", org.path))[: limit + 1].count() > limit


def _eager_groups() -> int:
    """How many of the groups still to compute the dashboard fetches as soon as it arrives
    (GONGHUI_DASHBOARD_EAGER_GROUPS, default 2); the others when scrolled into view."""
    from django.conf import settings

    return int(getattr(settings, "GONGHUI_DASHBOARD_EAGER_GROUPS", 2))


def _group_cards(org, period, version: str, later: bool, pq: str, lock) -> list[dict]:
    """The dashboard's figure groups in registry order: {"group", "html", "load", "height"}.

    `html` is the group's rendered table, kept in the figure cache under the data version (the
    rows of 255 figures cost more to render than the cached figures to read: a view when nothing
    changed renders none). Without it, a group is rendered from its figures, unless `later` (a
    large subtree) and not all of its figures, this year's and last year's, are in the figure
    cache: then html is "" and the group is fetched after the page, the first few as soon as it
    arrives ("load": what the first screen shows), the others when scrolled into view
    ("intersect once": the figures a page does not show are not computed, issue 14)."""
    by_group = groups()
    lock_key = lock.pk if lock is not None else ""
    html = {extra[0]: v for extra, v in figcache.recall_many(
        "group-html", org, period, [(name, pq, lock_key) for name in by_group], version=version).items()}
    todo = [name for name in by_group if name not in html]
    if todo and later:
        codes = [m.code for name in todo for m in by_group[name]]
        now = figcache.peek(org, period, codes, version=version)
        before = figcache.peek(org, F.last_year(period), codes, version=version)
        todo = [name for name in todo if all(m.code in now and m.code in before for m in by_group[name])]
    if todo:
        figs = F.figures(org, period, version=version, codes=[m.code for name in todo for m in by_group[name]])
        for name in todo:
            html[name] = render_to_string("reports/_group.html", {"group": name, "figs": figs.get(name, []),
                                                                  "org": org, "pq": pq, "lock": lock})
            figcache.keep("group-html", org, period, (name, pq, lock_key), html[name], version=version)
    cards, waiting = [], 0
    for name, metrics in by_group.items():
        if name in html:
            cards.append({"group": name, "html": mark_safe(html[name]), "load": "", "height": 0})  # noqa: S308
            continue
        waiting += 1
        # The placeholder about as tall as the table it stands for (a row is about 2rem), so that the
        # groups below the first screen are not in view, hence not fetched, until the user scrolls.
        cards.append({"group": name, "html": "", "load": "load" if waiting <= _eager_groups() else "intersect once",
                      "height": 2 * len(metrics) + 2})
    return cards


def _dashboard(request, org):
    version = figcache.data_version()  # first: whatever is written from now on recomputes
    choice = _choice(request)
    period = choice.period
    ctx = _base_context(request, org, choice)
    focus = _focus(request)
    lock = F.find_lock(org, period)
    codes = list(REGISTRY)
    groups_cached = (len(figcache.peek(org, period, codes, version=version)) == len(codes)
                     and len(figcache.peek(org, F.last_year(period), codes, version=version)) == len(codes))
    chart_cached = focus is None or figcache.remembered("chart", org, period, _chart_extra(focus, lock),
                                                        version=version)
    # What is not cached yet is fetched after the page (htmx fragments) on a large subtree.
    large = not (groups_cached and chart_cached) and _large(org)
    groups_later, chart_later = large and not groups_cached, large and not chart_cached
    chart = None if chart_later else _chart(org, period, focus, lock, version)
    changes, changes_total = F.changes_since(lock) if lock is not None else ([], 0)
    # The work lines' standard tables the user may open for this node (each has its own permission).
    work_tables = [{"title": t.title, "url_name": url_name(t.key)} for t in TABLES.values()
                   if scope.has_perm(request.user, t.permission, org.path)]
    ctx.update({"group_cards": _group_cards(org, period, version, groups_later, ctx["pq"], lock),
                "groups_later": groups_later,
                "chart_later": chart_later, "focus": focus,
                "chart": chart, "lock": lock, "work_tables": work_tables,
                "changes": changes, "changes_total": changes_total, "metrics": list(REGISTRY.values()),
                "template_name": summary.template_for(org)[1]})
    return render(request, "reports/dashboard.html", ctx)


@requires("stats.view")
def dashboard_group(request, code):
    """One figure group of the dashboard (?group=名称), fetched by the page after it arrived."""
    org = _org(request, code)
    name = request.GET.get("group") or next(iter(groups()), "")
    metrics = groups().get(name)
    if metrics is None:
        raise Http404("指标分组不存在。")
    version = figcache.data_version()  # first, as for the page
    choice = _choice(request)
    pq, lock = _period_query(choice), F.find_lock(org, choice.period)
    figs = F.figures(org, choice.period, codes=[m.code for m in metrics], version=version)
    # Rendered as the page renders it, and kept for the page's next view (_group_cards).
    html = render_to_string("reports/_group.html", {"group": name, "figs": figs.get(name, []), "org": org, "pq": pq,
                                                    "lock": lock})
    figcache.keep("group-html", org, choice.period, (name, pq, lock.pk if lock is not None else ""), html,
                  version=version)
    return HttpResponse(html)


@requires("stats.view")
def dashboard_chart(request, code):
    """The focus figure's charts (?metric=…), fetched by the page after it arrived."""
    org = _org(request, code)
    choice = _choice(request)
    focus = _focus(request)
    chart = _chart(org, choice.period, focus, F.find_lock(org, choice.period), figcache.data_version())
    return render(request, "reports/_chart.html", {"chart": chart, "focus": focus})


def _filters(request, m) -> tuple[dict, dict, str]:
    """The metric's filters given in the query (core.metrics.Filter): (cleaned, as typed, error)."""
    raw = {f.name: request.GET[f.name].strip() for f in m.filters if request.GET.get(f.name, "").strip()}
    try:
        return clean_filters(m.code, raw), raw, ""
    except ServiceError as exc:
        return {}, {}, join_messages(exc.messages)


@requires("stats.view")
def figure(request, code, metric):
    org = _org(request, code)
    m = _metric(metric)
    choice = _choice(request)
    filters, typed, filter_error = _filters(request, m)
    # A lock publishes the unfiltered figures; a filtered one (one campaign) is always computed.
    lock = F.find_lock(org, choice.period) if not filters else None
    b = (F.breakdown(metric, org, choice.period, filters=filters) if filters
         else tables.locked_breakdown(metric, org, choice.period, lock))
    ctx = _base_context(request, org, choice)
    # Rows with nothing under them (a township's 75 unions each 0 ÷ 0) are folded under one line.
    shown = [p for p in b.parts if p.own or not p.empty]
    folded = [p for p in b.parts if not p.own and p.empty]
    chart = {"metric": m.label, "unit": m.unit, "trend": [],
             "parts": [[p.label, None if p.value.value is None else float(p.value.value)] for p in shown]}
    fields = [{"f": f, "value": typed.get(f.name, ""), "choices": f.choices(org, choice.period) if f.choices else None}
              for f in m.filters]
    ctx.update({"m": m, "b": b, "shown": shown, "folded": folded, "chart": chart, "lock": lock,
                "filter_fields": fields, "filter_error": filter_error, "keep": typed, "fq": urlencode(typed)})
    return render(request, "reports/figure.html", ctx)


def record_perm(code: str) -> str:
    """Each work line declares which permission guards the records behind its figures."""
    return workline.record_perm(code)


def fallback_list(m, org: Org) -> str:
    """The work line's own list page filtered by the org, for a figure without a records hook."""
    for name in (m.list_url, workline.list_page(m.code)):
        if not name:
            continue
        try:
            return reverse(name) + "?" + urlencode({"org": org.code})
        except NoReverseMatch:
            continue
    return ""


@requires("stats.view")
def records(request, code, metric):
    org = _org(request, code)
    m = _metric(metric)
    perm = record_perm(metric)
    if not scope.has_perm(request.user, perm, org.path):
        raise PermissionDenied("您没有查看这些记录的权限。")
    choice = _choice(request)
    subs = request.GET.get("own") != "1"
    ctx = _base_context(request, org, choice)
    ctx.update({"m": m, "subs": subs, "page": None, "fallback": ""})
    filters, typed, filter_error = _filters(request, m)
    ctx.update({"filter_error": filter_error, "fq": urlencode(typed),
                "filter_labels": [(f.label, typed[f.name]) for f in m.filters if f.name in typed]})
    if m.records is not None:
        recs = m.records(org, choice.period, subs, **filters)
        qs = recs.queryset
        if not qs.ordered:  # keyset pages need an order; the newest records first
            qs = qs.order_by("-pk")
        part = "all"
        if recs.met is not None:
            # A rate: its numerator's records and the rest of its denominator's (the work list,
            # shown first), each with its count.
            sides = {"gap": qs.filter(~recs.met), "met": qs.filter(recs.met)}
            part = request.GET.get("part") if request.GET.get("part") in sides else "gap"
            qs = sides[part]
        # Keyset pages: a figure's records run to hundreds of thousands at the city root (issue 14).
        page = keyset(qs, request, f"reports.records:{m.code}:{part}")
        if recs.met is not None:
            # Counted like the pages (None: more than COUNT_CAP), the shown side's by its pager: a
            # page never counts a whole side (issue 14).
            ctx["sides"] = [{"key": key, "label": recs.gap_label if key == "gap" else recs.met_label,
                             "count": page.total if key == part else bounded_count(side), "active": key == part}
                            for key, side in sides.items()]
        page.items = [recs.row(obj) for obj in page.items]
        ctx["page"] = page
    else:
        ctx["fallback"] = fallback_list(m, org)
    return render(request, "reports/records.html", ctx)


class _Rollback(Exception):
    pass


def _save_targets(request, org: Org, period) -> dict[str, str]:
    """Save every target and reported value of the form, or none when any is refused."""
    errors: dict[str, str] = {}
    try:
        with transaction.atomic():
            for m in REGISTRY.values():
                for kind in ("target", "reported"):
                    key = f"{kind}_{m.code}"
                    if key not in request.POST:
                        continue
                    try:
                        if kind == "target":
                            services.target_set(actor=request.user, org=org, metric_code=m.code,
                                                year=period.end.year, value=request.POST[key])
                        else:
                            services.reported_set(actor=request.user, org=org, metric_code=m.code, period=period,
                                                  value=request.POST[key])
                    except ServiceError as exc:
                        errors[key] = join_messages(exc.messages)
            if errors:
                raise _Rollback
    except _Rollback:
        pass
    return errors


@requires("stats.manage")
def targets(request, code):
    """The year's targets and the period's reported values for every metric of the node."""
    org = _org(request, code, "stats.manage")
    choice = _choice(request, request.POST if request.method == "POST" else None)
    period = choice.period
    figs = F.figures(org, period, compare=False)
    errors: dict[str, str] = {}
    typed = request.POST if request.method == "POST" else {}
    if request.method == "POST" and not choice.error:
        errors = _save_targets(request, org, period)
        if not errors:
            messages.success(request, "目标值与上报值已保存。")
            return redirect(reverse("reports:targets", args=[org.code]) + "?" + _period_query(choice))
        figs = F.figures(org, period, compare=False)
    rows = []
    for group, fs in figs.items():
        for f in fs:
            tk, rk = f"target_{f.metric.code}", f"reported_{f.metric.code}"
            rows.append({"group": group, "f": f, "tk": tk, "rk": rk,
                         "tv": typed.get(tk, "" if f.target is None else f.target),
                         "rv": typed.get(rk, "" if f.reported is None else f.reported),
                         "te": errors.get(tk, ""), "re": errors.get(rk, "")})
    ctx = _base_context(request, org, choice)
    ctx.update({"rows": rows, "errors": errors})
    return render(request, "reports/targets.html", ctx, status=400 if errors else 200)


@requires("stats.manage")
@require_POST
def lock(request, code):
    org = _org(request, code, "stats.manage")
    choice = _choice(request, request.POST)
    back = reverse("reports:dashboard", args=[org.code]) + "?" + _period_query(choice)
    if choice.error:
        messages.error(request, choice.error)
        return redirect(back)
    if request.POST.get("confirm") != "1":
        # Locking freezes the published figures: the button leads to this step, which says what
        # will happen and asks once more (issue 15, item 12).
        return render(request, "reports/lock_confirm.html", {"org": org, "choice": choice, "period": choice.period,
                                                             "back": back})
    try:
        services.period_lock(actor=request.user, org=org, period=choice.period)
        messages.success(request, f"已锁定 {org.name} {choice.period.label} 的统计数据。")
    except ServiceError as exc:
        messages.error(request, join_messages(exc.messages))
    return redirect(back)


@requires("stats.manage")
@require_POST
def unlock(request, code):
    org = _org(request, code, "stats.manage")
    choice = _choice(request, request.POST)
    found = F.find_lock(org, choice.period)
    if found is not None:
        services.period_unlock(actor=request.user, lock=found)
        messages.success(request, "已解除锁定。")
    return redirect(reverse("reports:dashboard", args=[org.code]) + "?" + _period_query(choice))


def _filename(org: Org, choice: F.PeriodChoice, what: str, ext: str) -> str:
    from urllib.parse import quote

    name = f"{org.name}{what}_{choice.period.start:%Y%m%d}-{choice.period.end:%Y%m%d}.{ext}"
    return f"attachment; filename=\"{org.code}.{ext}\"; filename*=UTF-8''{quote(name)}"


@requires("stats.view")
def tables_xlsx(request, code):
    org = _org(request, code)
    choice = _choice(request)
    response = HttpResponse(tables.write(org, choice.period), content_type=XLSX)
    response["Content-Disposition"] = _filename(org, choice, "统计表", "xlsx")
    return response


@requires("stats.view")
def summary_docx(request, code):
    org = _org(request, code)
    choice = _choice(request)
    response = HttpResponse(summary.render(org, choice.period), content_type=DOCX)
    response["Content-Disposition"] = _filename(org, choice, "工作总结", "docx")
    return response


def _annual_year(request) -> tuple[int, str]:
    """The report's year (?year=, default this year) and a message for a bad one."""
    from gonghui.core.params import year_param

    today = clock.today()
    year = year_param(request.GET, default=None) if request.GET.get("year") else today.year
    if year is None:
        return today.year, f"统计年度“{request.GET.get('year')}”不正确，已改为{today.year}年。"
    return year, ""


@requires("stats.view")
def annual_check(request, code):
    """The annual statistics report's check page: every cell with its value and figure key, and
    the cells no record can fill with the reason; the workbook's download."""
    org = _org(request, code)
    year, error = _annual_year(request)
    report = annual.build(org, year)
    ctx = _base_context(request, org, _choice(request, {"year": str(year)}))
    rows = annual.check_rows()
    values = [v for _line, vs in report.table1 for v in vs] + [v for _line, v in report.table2]
    ctx.update({"report": report, "year_error": error, "years": range(clock.today().year, clock.today().year - 6, -1),
                "cells": list(zip(rows, values, strict=True)), "blank": [r for r in rows if r.reason]})
    return render(request, "reports/annual_check.html", ctx)


@requires("stats.view")
def annual_xlsx(request, code):
    from urllib.parse import quote

    org = _org(request, code)
    year, _error = _annual_year(request)
    report = annual.build(org, year)
    response = HttpResponse(annual.write(report), content_type=XLSX)
    response["Content-Disposition"] = (f"attachment; filename=\"{org.code}-{year}.xlsx\"; "
                                       f"filename*=UTF-8''{quote(annual.filename(report))}")
    return response


@requires("stats.manage")
def template(request, code):
    """Upload the node's own summary template (used by its subtree), or go back to the default."""
    org = _org(request, code, "stats.manage")
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.template_remove(actor=request.user, org=org)
                messages.success(request, "已恢复使用上级或系统默认模板。")
                return redirect("reports:template", org.code)
            upload = request.FILES.get("file")
            if upload is None:
                raise ServiceError("请选择要上传的模板文件。", field="file")
            services.template_upload(actor=request.user, org=org, name=upload.name, content=upload.read())
            messages.success(request, "模板已上传，生成工作总结时将使用此模板。")
            return redirect("reports:template", org.code)
        except ServiceError as exc:
            error = join_messages(exc.messages)
    own = SummaryTemplate.objects.filter(org=org).first()
    ctx = _base_context(request, org, _choice(request))
    ctx.update({"own": own, "effective": summary.template_for(org)[1], "error": error,
                "groups": groups(), "registry": list(REGISTRY.values())})
    return render(request, "reports/template.html", ctx, status=400 if error else 200)


@requires("stats.view")
def template_download(request, code):
    org = _org(request, code)
    content, _label = summary.template_for(org)
    response = HttpResponse(content, content_type=DOCX)
    # The Chinese name RFC 5987-encoded (filename*=utf-8''...), as FileResponse writes it.
    response["Content-Disposition"] = content_disposition_header(True, "工作总结模板.docx")
    return response


# ---------------------------------------------------------------- the work lines' standard tables

def _table_org(request, table) -> Org:
    """The node of ?org=CODE, or the top of the user's scope for the table's permission."""
    code = request.GET.get("org", "").strip()
    if code:
        return scope.get_visible_or_404(Org.objects.all(), request.user, table.permission, code=code)
    org = roots_for(request.user, table.permission).first()
    if org is None:
        raise Http404("没有可统计的单位。")
    return org


def table_view(key: str):
    """The page and the xlsx of a table a work line registered (core.tables), guarded by the
    table's own permission on the node, like the work line's lists."""
    table = TABLES[key]

    @requires(table.permission)
    def view(request):
        org = _table_org(request, table)
        choice = _choice(request)
        period = choice.period
        lock = F.find_lock(org, period)
        rows = tables.standard_rows(table, org, period, lock)
        if request.GET.get("format") == "xlsx" and not choice.error:
            content = tables.export_standard(request.user, table, org, period, rows, lock)
            response = HttpResponse(content, content_type=XLSX)
            response["Content-Disposition"] = _filename(org, choice, table.title, "xlsx")
            return response
        ctx = _base_context(request, org, choice)
        ctx.update({
            "table": table, "headers": tables.headers(table), "rows": rows, "lock": lock,
            "has_rates": tables.has_rates(table),
            "table_url": reverse(url_name(key)), "keep": {"org": org.code},
            "crumbs": [a for a in ancestors(org) if scope.has_perm(request.user, table.permission, a.path)],
            "links": {r.org.code for r in rows if r.kind == "child" and scope.has_perm(
                request.user, table.permission, r.org.path)},
        })
        return render(request, "reports/standard_table.html", ctx)

    view.__name__ = f"table_{key}"
    return view
