"""The start page: a clerk's workbench (quick actions, to-do items, recent records, a few headline
figures), built from cheap reads only.

The start page used to compute every registered figure of the user's node on every visit, seconds
for a city. What a clerk needs first is what to do next; the figures are a click away on the
dashboard. Here every read is bounded and served by an index: the quick actions come from the
work-line declarations (no query), the recent records are the latest audit entries by the user or
in the user's scope (LIMIT on an index), the to-do items and the headline figures are fragments
the page fetches after it arrived, the figures through the figure cache (core.figcache).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from . import clock, figcache, reminders, scope, tree, workline
from .audit import action_label
from .metrics import REGISTRY
from .models import AuditEvent
from .periods import Period

RECENT = 8  # rows in each recent-records list
TODO_PER_REMINDER = 5  # items of each reminder on the start page (the to-do page has the rest)

# The headline figures, when registered (core knows them only by code: the work lines own them).
HEADLINE = ("members.total", "orgs.unions_total", "orgs.coverage_rate", "members.membership_rate")


@dataclass(frozen=True)
class Action:
    label: str
    url: str


def quick_actions(user) -> list[Action]:
    """The declared quick actions the user holds the permission for (no query: grants are cached)."""
    out = []
    for a in workline.quick_actions():
        if a.perm == workline.LOGIN or scope.has_perm(user, a.perm):
            try:
                out.append(Action(a.label, reverse(a.url_name)))
            except NoReverseMatch:  # a declaration naming a page that takes arguments
                continue
    return out


def has_grants(user) -> bool:
    """Whether the user holds any permission anywhere (no query: grants are cached on the user)."""
    return any(scope.has_perm(user, code) for code in workline.codes())


def _line_scope(user) -> Q | None:
    """Entries the user may read as records: those of each work line whose view permission the user
    holds, under the nodes where he holds it (a petition's entry needs petitions.view there).
    None when the user may read none."""
    where = None
    for c in workline.lines():
        perm = f"{c.label}.view"
        if perm not in workline.codes() or not scope.has_perm(user, perm):
            continue
        q = Q(action__startswith=f"{c.label}.") & scope.scope_q(user, perm, "org_path")
        where = q if where is None else where | q
    return where


def _with_org_names(entries: list[AuditEvent]) -> list[AuditEvent]:
    """Each entry's action in Chinese and its org's name (one query for all the paths)."""
    paths = {e.org_path for e in entries if e.org_path}
    names = dict(tree.nodes().filter(path__in=paths).values_list("path", "name")) if paths else {}
    for e in entries:
        e.action_label = action_label(e.action)
        e.org_name = names.get(e.org_path, "")
    return entries


def recent_mine(user) -> list[AuditEvent]:
    """What the user recorded last (the index on (actor_id, created_at)); his sign-ins are no records."""
    qs = AuditEvent.objects.filter(actor_id=user.pk).exclude(action__startswith="accounts.login.").order_by("-created_at")
    return _with_org_names(list(qs.only(*_COLUMNS)[:RECENT]))


def recent_in_scope(user) -> list[AuditEvent]:
    """The latest records written by others under the user's nodes, in the lines he may view.
    Newest first by sequence: for a whole city the sequence index finds them at once; for a small
    subtree the org_path index narrows first."""
    where = _line_scope(user)
    if where is None:
        return []
    qs = AuditEvent.objects.filter(where).exclude(org_path="").exclude(actor_id=user.pk).order_by("-seq")
    return _with_org_names(list(qs.only(*_COLUMNS)[:RECENT]))


# The columns a recent-records row shows: never `changes`, which for a bulk import is hundreds of KB.
_COLUMNS = ("seq", "created_at", "actor_name", "action", "object_label", "org_path")


def todo(user, today) -> tuple[list, int]:
    """([(due item, reminder)] soonest first, the total count) over every reminder the user may see."""
    groups = reminders.due_items(user, today, limit=TODO_PER_REMINDER)
    items = sorted(((d, r) for r, found, _total in groups for d in found), key=lambda p: (p[0].due_on, p[1].code))
    return items, sum(total for _r, _f, total in groups)


def headline(user) -> tuple[object, Period, list]:
    """(node, period, [(metric, value)]) for the top node of the user's statistics scope, this year
    so far; the node is None without stats.view. Through the figure cache."""
    if not scope.has_perm(user, "stats.view"):
        return None, None, []
    org = tree.top_node(user, "stats.view")
    period = Period.year_to_date(clock.today())
    if org is None:
        return None, period, []
    codes = [c for c in HEADLINE if c in REGISTRY]
    values = figcache.values(org, period, codes)
    return org, period, [(REGISTRY[c], values[c]) for c in codes]
