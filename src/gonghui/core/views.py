import datetime as dt

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render

from . import audit, audit_summary, clock, figcache, notices, reminders, scope, tree, workbench, workline
from .context_processors import remember_todo_count
from .errors import ServiceError, join_messages
from .metrics import REGISTRY
from .models import AccessLog, AuditEvent
from .paging import keyset
from .params import ID_MAX, page_param
from .periods import Period, parse_date
from .views_base import login_only, public, requires


@public
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _top_org(request, perm):
    return tree.top_node(request.user, perm)


@login_only
def home(request):
    """The workbench: quick actions and recent records now, to-do items and figures right after
    (fragments). No figure is computed for this response (core.workbench)."""
    user = request.user
    has_stats = scope.has_perm(user, "stats.view")
    request.todo_count_deferred = True  # the to-do fragment counts them and sets the badge
    return render(request, "core/home.html", {
        "org": _top_org(request, "stats.view") if has_stats else None,
        "actions": workbench.quick_actions(user),
        "mine": workbench.recent_mine(user),
        "in_scope": workbench.recent_in_scope(user),
        "notices": notices.in_force(user, clock.today()),  # 上级通知: one indexed query
        "has_stats": has_stats,
        "has_grants": workbench.has_grants(user),
    })


@login_only
def workbench_todo(request):
    """The start page's to-do items (the soonest of each reminder), fetched after the page."""
    items, total = workbench.todo(request.user, clock.today())
    remember_todo_count(request, total)  # the navigation badge shows what was counted here
    return render(request, "core/_workbench_todo.html", {"items": items, "total": total})


@login_only
def workbench_figures(request):
    """The start page's headline figures for the top of the user's statistics scope."""
    org, period, figures = workbench.headline(request.user)
    return render(request, "core/_workbench_figures.html", {"org": org, "period": period, "figures": figures})


TODO_PER_KIND = 10  # items of each kind on the overview; a link opens the rest
TODO_PAGE = 50  # items of one kind per page


@login_only
def todo(request):
    """Every registered reminder across the work lines for the user's scope. The overview shows
    the soonest items of each kind and links to the kind's own list, which pages to its end; both
    filter by kind and by work line. Nothing is left out without saying so."""
    user, today = request.user, clock.today()
    kind, line = request.GET.get("kind", ""), request.GET.get("line", "")
    if kind:
        groups = reminders.due_items(user, today, limit=0)  # the counts of every kind (one query each)
        if kind not in {r.code for r, _f, _t in groups}:
            kind = ""
    if kind:
        number = page_param(request.GET)
        opened = reminders.due_items(user, today, TODO_PAGE, offset=(number - 1) * TODO_PAGE, codes={kind})
        reminder, items, n = opened[0]
        pages = max(1, -(-n // TODO_PAGE))
        if number > pages:  # a page past the end (items were done meanwhile): the last one
            number = pages
            reminder, items, n = reminders.due_items(user, today, TODO_PAGE, offset=(number - 1) * TODO_PAGE,
                                                     codes={kind})[0]
        sections = [{"reminder": reminder, "items": items, "total": n,
                     "first": (number - 1) * TODO_PAGE + 1 if items else 0,
                     "last": (number - 1) * TODO_PAGE + len(items)}]
        pager = {"number": number, "pages": pages, "url": f"?kind={kind}&page="}
    else:
        groups = reminders.due_items(user, today, TODO_PER_KIND)
        sections = [{"reminder": r, "items": found, "total": n} for r, found, n in groups
                    if n and (not line or r.line == line)]
        pager = None
    total = sum(t for _r, _f, t in groups)
    remember_todo_count(request, total)  # the navigation badge shows what this page counted
    names = {c.label: str(c.verbose_name) for c in workline.lines()}
    order = {label: i for i, label in enumerate(names)}
    lines = sorted({r.line for r, _f, _t in groups}, key=lambda label: order.get(label, len(order)))
    return render(request, "core/todo.html", {
        "groups": groups, "sections": sections, "total": total, "kind": kind, "line": line if not kind else "",
        "lines": [(label, names.get(label, label)) for label in lines], "per_kind": TODO_PER_KIND, "pager": pager})


@requires("stats.view")
def stats(request):
    """Every registered figure for one node in scope and one period."""
    today = clock.today()
    code = request.GET.get("org", "")
    org = (scope.get_visible_or_404(tree.nodes().all(), request.user, "stats.view", code=code) if code
           else _top_org(request, "stats.view"))
    error = None
    try:
        start = parse_date(request.GET["from"], "开始日期") if request.GET.get("from") else dt.date(today.year, 1, 1)
        end = parse_date(request.GET["to"], "截止日期") if request.GET.get("to") else today
        period = Period(start, end)
    except ServiceError as exc:
        error = join_messages(exc.messages)
        period = Period.year_to_date(today)
    subs = request.GET.get("own") != "1"
    values = figcache.values(org, period, list(REGISTRY), include_subordinates=subs)  # never stale: core.figcache
    rows = [(m, values[m.code]) for m in REGISTRY.values()]
    return render(request, "core/stats.html",
                  {"org": org, "period": period, "rows": rows, "subs": subs, "error": error})


ROOT_PATH_LENGTH = 4  # treebeard steplen: the path of a root node


@requires("audit.view")
def access_log(request):
    """Full views and exports of personal data, for the auditors of the orgs concerned."""
    qs = AccessLog.objects.filter(scope.scope_q(request.user, "audit.view", "org_path"))
    if request.GET.get("user"):
        qs = qs.filter(user_name=request.GET["user"].strip())
    if request.GET.get("kind") in AccessLog.Kind.values:
        qs = qs.filter(kind=request.GET["kind"])
    page = keyset(qs.order_by("-id"), request, "core.access")
    for e in page.items:
        # The record in words, linked when this user may open it, and the fields by their labels.
        e.object_name = audit.object_type_label(e.object_type)
        e.url = audit.record_url(request.user, e.object_type, e.object_id, e.org_path)
        e.field_names = [audit.field_label(f, e.object_type) for f in e.fields]
    return render(request, "core/access_log.html", {"page": page, "filters": request.GET,
                                                     "kinds": AccessLog.Kind.choices})


def _audit_where(user) -> Q:
    """The entries a user may read: the audit list's scope, and its entries' pages'."""
    where = scope.scope_q(user, "audit.view", "org_path")
    if any(len(p) <= ROOT_PATH_LENGTH for p in scope.paths_with(user, "audit.view")):
        # Entries that belong to no org (demo loads, role definitions, system events) are
        # shown to auditors of a whole tree only.
        where |= Q(org_path="")
    return where


@requires("audit.view")
def audit_log(request):
    qs = AuditEvent.objects.filter(_audit_where(request.user))
    f = request.GET
    if f.get("actor"):
        qs = qs.filter(actor_name=f["actor"].strip())
    if f.get("action"):
        qs = qs.filter(action__startswith=f["action"].strip())
    if f.get("object"):
        qs = qs.filter(Q(object_label__contains=f["object"].strip()) | Q(object_id=f["object"].strip()))
    if f.get("org"):
        org = scope.get_visible_or_404(tree.nodes().all(), request.user, "audit.view", code=f["org"].strip())
        qs = qs.filter(scope.subtree_q("org_path", org.path))
    error = None
    try:
        if f.get("from"):
            qs = qs.filter(created_at__date__gte=parse_date(f["from"], "开始日期"))
        if f.get("to"):
            qs = qs.filter(created_at__date__lte=parse_date(f["to"], "截止日期"))
    except ServiceError as exc:
        error = join_messages(exc.messages)
    # Rows carry a bounded summary of their changes, not the changes: one bulk import's entry
    # alone holds hundreds of KB (issue 14, item 5). The entry's page shows them all.
    page = keyset(audit_summary.with_summary(qs).order_by("-seq"), request, "core.audit")
    for e in page.items:
        e.summary = audit_summary.summarize(e.changes_head, e.changes_count, e.object_type)
    return render(request, "core/audit.html", {"page": page, "filters": f, "error": error,
                                               "actions": audit.action_choices()})


@requires("audit.view")
def audit_entry(request, seq):
    """One audit entry with its full change set, for whoever may see it in the audit list."""
    e = None
    if seq <= ID_MAX:  # a number no entry can have is a missing entry, not a database error
        e = AuditEvent.objects.filter(_audit_where(request.user), seq=seq).first()
    if e is None:
        raise Http404("未找到该审计记录，或您无权查看。")
    return render(request, "core/audit_entry.html", {
        "e": e, "changes": audit_summary.full(e.changes, e.object_type),
        "object_type": audit.object_type_label(e.object_type) if e.object_type else ""})
