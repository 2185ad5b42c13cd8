"""Reads over the org tree that are more than one filter."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, router
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Substr

from gonghui.core import compiled, scope
from gonghui.core.scope import subtree_q
from gonghui.core.tree import TreeProvider

from .models import (
    FEDERATION_TYPES,
    GRASSROOTS_TYPES,
    MEMBER_UNION_TYPES,
    Org,
    OrgPlacement,
    OrgStatus,
    valid_on,
)

# Paths already read inside a `paths_remembered()` block: {(org id, date): path}.
_REMEMBERED: ContextVar[dict | None] = ContextVar("gonghui_paths_on", default=None)
compiled.CONTEXT.append(_REMEMBERED)  # inside the block paths are read first: another statement


@contextmanager
def paths_remembered():
    """Inside the block `path_on` reads each (org, date) once. For read-only work that asks for
    the same node's path in every figure (a standard table, the work summary); nothing inside may
    move an org. A nested block shares the outer one's memory; another thread starts without."""
    if _REMEMBERED.get() is not None:
        yield
        return
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def remember_path(org: Org, at: dt.date, path: str) -> None:
    """Tell an open paths_remembered() block an org's path on `at` that another query read (the
    subordinates' placements), so that path_on does not ask again."""
    memo = _REMEMBERED.get()
    if memo is not None:
        memo[org.pk, at] = path


def path_on(org: Org, at: dt.date) -> str:
    """The org's path on a date (its placement then), or its current path."""
    memo = _REMEMBERED.get()
    if memo is not None and (org.pk, at) in memo:
        return memo[org.pk, at]
    # SQL text on the model's connection, not a queryset: building and compiling the ORM query
    # cost 0.3-0.5 ms of client time, more than the look-up itself (an index probe), and every
    # figure at a root and every breakdown reads a path (issue 14).
    connection = connections[router.db_for_read(OrgPlacement)]
    with connection.cursor() as cursor:
        cursor.execute(_PATH_ON_QUERY, (org.pk, connection.ops.adapt_datefield_value(at),
                                        connection.ops.adapt_datefield_value(at)))
        row = cursor.fetchone()
    path = row[0] if row else org.path
    if memo is not None:
        memo[org.pk, at] = path
    return path


_PATH_ON_QUERY = ("SELECT path FROM orgs_orgplacement WHERE org_id = %s AND valid_from <= %s "
                  "AND (valid_to IS NULL OR valid_to > %s) ORDER BY valid_from DESC LIMIT 1")


# Longer than any path (the column holds 255): p + PAST_SUBTREE sorts after every path under p and
# before every later one, under the C collation and the usual linguistic ones (PATH_ALPHABET).
PAST_SUBTREE = "Z" * 255


# The org's path on a date in SQL (`path_on`'s query as a scalar subquery): its placement then,
# else its current path. Uncorrelated, so PostgreSQL runs it once, before the scan (an InitPlan).
_PATH_ON_SQL = ("COALESCE((SELECT pl.path FROM orgs_orgplacement pl WHERE pl.org_id = %s AND pl.valid_from <= %s "
                "AND (pl.valid_to IS NULL OR pl.valid_to > %s) ORDER BY pl.valid_from DESC LIMIT 1), %s)")


class _UnderPathOn(Expression):
    """`field` at (or under) the org's path on a date, the path read in the same statement. Written
    as SQL text rather than Django expressions: compiling a Subquery, a Coalesce and a Concat for
    each figure cost more client time (1.5 ms under load) than the query itself."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, org: Org, at: dt.date, include_subordinates: bool):
        super().__init__()
        self.col, self.org_id, self.org_path, self.at, self.subs = F(field), org.pk, org.path, at, include_subordinates

    def get_source_expressions(self):
        return [self.col]

    def set_source_expressions(self, exprs):
        (self.col,) = exprs

    def as_sql(self, compiler, connection):
        col, col_params = compiler.compile(self.col)
        p, p_params = _PATH_ON_SQL, (self.org_id, self.at, self.at, self.org_path)
        if not self.subs:
            return f"{col} = {p}", (*col_params, *p_params)
        return (f"({col} >= {p} AND {col} <= {p} || %s)",
                (*col_params, *p_params, *col_params, *p_params, PAST_SUBTREE))


def stored_path_under(field: str, org: Org, at: dt.date, include_subordinates: bool) -> Q | Expression:
    """Rows whose stored path `field` is the org's path on `at` (or under it): `subtree_q` on
    `path_on`, with the path read inside the same statement (an InitPlan on PostgreSQL, so the plan
    is still an index range) rather than by a query of its own: a figure over a few thousand rows
    is one round trip, not two. Inside `paths_remembered()` the path is read once and written in as
    a literal.

    A root's subtree is the whole table, and there PostgreSQL must know the range to choose a
    sequential scan: from an InitPlan it assumes a narrow range and walks the index over every
    row (3× slower at a city's root). So a root's path is read first, as `path_on` does."""
    if _REMEMBERED.get() is not None or org.depth == 1:
        p = path_on(org, at)
        return subtree_q(field, p) if include_subordinates else Q(**{field: p})
    return _UnderPathOn(field, org, at, include_subordinates)


def placement_path(org_id, date_field: str, fallback: str = "path"):
    """`path_on` as an SQL expression, to recompute stored paths in one UPDATE (re-homing):
    the placement path of `org_id` (an id or an OuterRef) on each row's `date_field`. A row
    dated before any placement keeps its `fallback` column."""
    at = OuterRef(date_field)
    placements = OrgPlacement.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at), org_id=org_id,
                                             valid_from__lte=at)
    return Coalesce(Subquery(placements.order_by("-valid_from").values("path")[:1]), F(fallback))


def placed_under(org: Org, at: dt.date, include_subordinates: bool, prefix: str = "") -> Q:
    """Rows whose org stood under `org` (or at it, for own level) on `at`.

    One Q so that Django joins a single placement row for all its conditions.
    """
    p = path_on(org, at)
    field = f"{prefix}placements__path"
    where = subtree_q(field, p) if include_subordinates else Q(**{field: p})
    return where & valid_on(at, f"{prefix}placements__")


class _InSubquery(Expression):
    """`field IN (subquery)`, written `field = ANY(ARRAY(subquery))` on PostgreSQL."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, queryset):
        super().__init__()
        self.lhs, self.rhs = F(field), Subquery(queryset)

    def get_source_expressions(self):
        return [self.lhs, self.rhs]

    def set_source_expressions(self, exprs):
        self.lhs, self.rhs = exprs

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def placed_in(org: Org, at: dt.date, include_subordinates: bool, field: str = "org_id") -> Expression | Q:
    """Rows whose `field` (an org id) names an org that stood under `org` (or at it, for own
    level) on `at`: the rows `placed_under(..., prefix=...)` selects, for the single figures (the
    breakdowns keep the placement join, whose path they group on). An org has one placement on
    a date, so the rows are the same.

    On PostgreSQL the subtree's org ids are read first, as an array (an InitPlan), and the rows
    found through the index on `field`, in proportion to the subtree (issue 14). Joined to the
    placements (or as IN/EXISTS), PostgreSQL hashes every row of the joined table for a county's
    1,561 placements: as a join or semi-join it expects each placement to bring rows by the
    whole table's average, while an array's rows it estimates as few. A Python list would do the
    same but costs more to bind than the query for a county (20 ms)."""
    if include_subordinates and org.depth == 1:
        # The whole tree: nothing to restrict, and hashing the placements is the cheaper plan (an
        # array of the city's 20,294 ids took 12-25 ms instead of 7-14 ms). A semi-join on the
        # row's own org id: through `placed_under(prefix=…)` Django also joins orgs_org between
        # the row and its placement, about 40 ms more at the city's root for nothing.
        return Q(**{f"{field}__in": placements_under(org, at, True).values("org_id")})
    return _InSubquery(field, placements_under(org, at, include_subordinates).values("org_id"))


def placements_under(org: Org, at: dt.date, include_subordinates: bool) -> QuerySet:
    """The placements valid on `at` of the orgs under `org` (or of `org` itself, for own level),
    found by a range on their path (the node's path read in the same statement below a root:
    `stored_path_under`, one round trip for a figure that filters on these)."""
    return OrgPlacement.objects.filter(stored_path_under("path", org, at, include_subordinates), valid_on(at))


def roots_for(user, perm: str = "orgs.view") -> QuerySet:
    """The top nodes of the user's scope (one per grant root)."""
    roots = scope.paths_with(user, perm)
    if roots == [""]:
        return Org.objects.filter(depth=1).order_by("path")
    return Org.objects.filter(path__in=roots).order_by("path")


def children_with_counts(parent: Org) -> list[Org]:
    """Direct children, each with `unions` (active grass-roots unions in its subtree, itself
    included) and `subnodes` (its direct children): two grouped queries, whatever the size."""
    subtree = subtree_q("path", parent.path)
    children = list(Org.objects.filter(subtree, depth=parent.depth + 1).order_by("path"))
    if not children:
        return []
    length = len(parent.path) + Org.steplen
    unions = dict(
        Org.objects.filter(subtree, depth__gt=parent.depth, org_type__in=GRASSROOTS_TYPES)
        .exclude(status=OrgStatus.DISSOLVED)
        .annotate(prefix=Substr("path", 1, length))
        .order_by()  # treebeard's manager orders by path, which would split the groups
        .values_list("prefix")
        .annotate(n=Count("id"))
        .values_list("prefix", "n")
    )
    for child in children:
        child.unions = unions.get(child.path, 0)
        child.subnodes = child.numchild
    return children


def search(user, text: str) -> QuerySet:
    """Orgs in scope by name, code, full pinyin or pinyin initials."""
    text = text.strip()
    low = text.lower()
    q = Q(name__contains=text) | Q(code__istartswith=text)
    if low.isascii():
        q |= Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)
    return scope.visible(Org.objects.filter(q), user, "orgs.view").order_by("depth", "path")


def ancestors(org: Org) -> list[Org]:
    """Breadcrumbs: ancestors from the root down (one query on the path prefixes)."""
    step = Org.steplen
    prefixes = [org.path[:i] for i in range(step, len(org.path), step)]
    return list(Org.objects.filter(path__in=prefixes).order_by("depth"))


# What the platform (core) uses of the tree; registered by the app's declaration.
TREE = TreeProvider(model=Org, roots_for=roots_for)


def employers_for(user, perm: str):
    """Employers a user may pick in a form or an import while acting with `perm`: those
    registered in his area and those a union in his scope covers now (a grass-roots union's own
    employer, registered under the township). Anything else must read as unregistered, so
    picking an employer never confirms that one exists elsewhere (issue 12). An employer the
    user registered himself is in his area: registering needs employers.change there."""
    from .models import Coverage, Employer

    covered = Coverage.objects.filter(scope.scope_q(user, perm, "union__path"), valid_to__isnull=True)
    return Employer.objects.filter(scope.scope_q(user, perm, "org__path") | Q(pk__in=covered.values("employer")))


# --- pickers (core.pickers): bounded searches for the code inputs of every form ----------------

# What a form may ask the union picker for: `types` names one of these groups.
PICK_TYPES = {
    "member": MEMBER_UNION_TYPES,  # where members are registered (入会, 转会)
    "grassroots": GRASSROOTS_TYPES,  # unions that cover employers
    "bargaining": (*GRASSROOTS_TYPES, *FEDERATION_TYPES),  # who may lead a negotiation
    "federation": FEDERATION_TYPES,
}


def _text_q(text: str, prefix: str = "") -> Q:
    """Name (anywhere in it), full pinyin or pinyin initials (from the start)."""
    q = Q(**{f"{prefix}name__contains": text})
    low = text.lower().replace(" ", "")
    if low.isascii() and low.isalpha():
        q |= Q(**{f"{prefix}name_initials__startswith": low}) | Q(**{f"{prefix}name_pinyin__startswith": low})
    return q


def pick_orgs(user, perm: str, text: str, *, types: str = "", dissolved: bool = False, limit: int = 20) -> list[Org]:
    """Up to `limit` + 1 orgs in the user's scope for `perm` matching `text`: an exact code first,
    then codes, names and pinyin in tree order.

    Bounded whatever the size of the tree: the code is looked up by its unique index, and the
    text search walks the path index in order inside the user's subtrees (the scope is a range on
    path) and stops at the first `limit` + 1 matches; nothing is counted or sorted in full.
    """
    qs = scope.visible(Org.objects.all(), user, perm)
    if types in PICK_TYPES:
        qs = qs.filter(org_type__in=PICK_TYPES[types])
    if not dissolved:
        qs = qs.exclude(status=OrgStatus.DISSOLVED)
    exact = list(qs.filter(code=text)[:1]) if text else []
    cond = _text_q(text) | Q(code__startswith=text.upper()) if text else Q()
    rows = list(qs.filter(cond).exclude(pk__in=[o.pk for o in exact]).order_by("path")[: limit + 1 - len(exact)])
    return exact + rows


def path_labels(paths: list[str]) -> dict[str, str]:
    """{path: "县 › 镇 › 单位"} for the given node paths: their ancestors' names in one query."""
    step = Org.steplen
    prefixes = {p[:i] for p in paths for i in range(step, len(p) + 1, step)}
    names = {path: short or name for path, name, short in
             Org.objects.filter(path__in=prefixes).values_list("path", "name", "short_name").order_by()}
    return {p: " › ".join(names.get(p[:i], "") for i in range(step, len(p) + 1, step)) for p in paths}


def pick_employers(user, perm: str, text: str, *, with_uscc: bool = False, limit: int = 20) -> list:
    """Up to `limit` + 1 employers the user may pick for `perm` (the set of employers_for)
    matching `text`: the credit code exactly first, then names, pinyin initials and code prefixes.

    employers_for's two halves are read apart, each bounded: the employers of the orgs in the
    user's subtrees (by the employer's org index; over the whole tree, by the primary key, where
    a common word like 公司 stops at the first rows), then those a union in his scope covers (by
    the coverages' union index). As one OR, PostgreSQL hashed every coverage and org to sort
    every match: 180 ms for 公司 on the city bench. Shown in tree order afterwards.
    """
    from .models import Coverage, Employer

    code = text.upper().replace(" ", "")
    cond = Q(name__contains=text) | Q(uscc__startswith=code)
    low = text.lower().replace(" ", "")
    if low.isascii() and low.isalpha():
        cond |= Q(name_initials__startswith=low)
    base = Employer.objects.select_related("org")
    if with_uscc:
        base = base.filter(uscc__isnull=False).exclude(uscc="")
    roots = scope.paths_with(user, perm)
    if not roots:
        return []
    # Granted at the top of the tree (a city's admin), the area is every employer: no org list.
    whole_tree = not Org.objects.filter(depth=1).exclude(scope.scope_q(user, perm, "path")).exists()
    area = base if whole_tree else base.filter(org_id__in=list(
        Org.objects.filter(scope.scope_q(user, perm, "path")).values_list("pk", flat=True)))
    rows = list(area.filter(uscc=code)[:1]) if code else []
    rows += area.filter(cond).exclude(pk__in=[e.pk for e in rows]).order_by("pk")[: limit + 1 - len(rows)]
    if not whole_tree and len(rows) <= limit:
        covered = Coverage.objects.filter(scope.scope_q(user, perm, "union__path"), valid_to__isnull=True)
        rows += base.filter(cond, pk__in=covered.values("employer_id")).exclude(
            pk__in=[e.pk for e in rows]).order_by("pk")[: limit + 1 - len(rows)]
    exact = [e for e in rows if code and e.uscc == code]
    rest = sorted((e for e in rows if e not in exact), key=lambda e: (e.org.path, e.name))
    return exact + rest


def picked(user, code, perm: str, form, field: str, label: str = "单位") -> Org | None:
    """The org whose code an org picker put into `form`'s `field`, when `user` holds `perm` on it;
    else None, with an error on that field that reads the same whether the code is unknown or out of
    the user's scope (so a form never tells that an out-of-scope org exists)."""
    org = scope.visible(Org.objects.filter(code=(code or "").strip()), user, perm, "path").first()
    if org is None:
        form.add_error(field, f"未找到编码为“{code}”的{label}，或不在您的管理范围内。")
    return org
