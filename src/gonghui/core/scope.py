"""The one permission policy: who may do what, and on which part of the org tree.

A user holds grants (org node, role). A grant covers the node and its whole subtree,
which with materialized paths is a path prefix. Every list, detail, export and statistic
starts from `visible()` or `get_visible_or_404()`; no view filters by hand. Out of scope
and missing give the same 404, so the existence of a record is not revealed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from . import workline

_CACHE_ATTR = "_gonghui_grants"

# The characters of org paths (treebeard's MP alphabet, Org.alphabet; a test keeps them equal).
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def subtree_q(field: str, path: str) -> Q:
    """Rows whose `field` (a materialized path) lies at or under `path`.

    A range rather than `startswith`: LIKE 'p%' cannot use a plain btree index on SQLite
    (its LIKE ignores case) nor on PostgreSQL under a non-C collation (ARCHITECTURE §6),
    while `path >= p AND path < successor(p)` can on both. Paths use only PATH_ALPHABET
    (digits, then capitals), which sorts the same under the C collation and the usual
    linguistic ones, so the range holds exactly the paths that start with `path`.
    """
    for i in range(len(path) - 1, -1, -1):
        pos = PATH_ALPHABET.find(path[i])
        if 0 <= pos < len(PATH_ALPHABET) - 1:
            return Q(**{f"{field}__gte": path, f"{field}__lt": path[:i] + PATH_ALPHABET[pos + 1]})
        if pos < 0:
            break
    return Q(**{f"{field}__startswith": path})


def _grants(user) -> list[tuple[str, frozenset[str]]]:
    """[(org path, permission codes)] for the user's grants, cached on the user object.

    `None` is the system itself (command line, demo), as it is for the services' `actor`.
    """
    if user is None:
        return [("", workline.codes())]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        if user.is_superuser:
            cached = [("", workline.codes())]
        else:
            cached = [
                (path, frozenset(perms))
                for path, perms in user.grants.filter(org__dissolved_on__isnull=True)
                .values_list("org__path", "role__permissions")
            ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def grant_paths(user) -> set[str]:
    """The paths of the nodes where the user holds a grant (any role)."""
    return {p for p, _perms in _grants(user) if p}


def clear_cache(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def paths_with(user, perm: str) -> list[str]:
    """The minimal set of subtree roots on which the user holds `perm`."""
    paths = sorted({p for p, perms in _grants(user) if perm in perms})
    roots: list[str] = []
    for p in paths:  # sorted, so an ancestor comes before its descendants
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    return roots


def has_perm(user, perm: str, path: str | None = None) -> bool:
    """Does the user hold `perm` anywhere (path None) or on the node with this path?"""
    roots = paths_with(user, perm)
    if path is None:
        return bool(roots)
    return any(path.startswith(r) for r in roots)


def all_perms(user, path: str) -> frozenset[str]:
    """Every code the user holds on the node with this path (from it and its ancestors)."""
    out: set[str] = set()
    for p, perms in _grants(user):
        if path.startswith(p):
            out |= perms
    return frozenset(out)


def scope_q(user, perm: str, path_field: str = "path") -> Q:
    """A Q that keeps rows whose org path lies under one of the user's grant roots."""
    roots = paths_with(user, perm)
    if not roots:
        return Q(pk__in=[])
    if roots == [""]:
        return Q()
    q = Q()
    for r in roots:
        q |= subtree_q(path_field, r)
    return q


def visible(qs: QuerySet, user, perm: str, path_field: str | None = None) -> QuerySet:
    """Filter any queryset to what `user` may see with `perm`.

    `path_field` is the lookup to the org path ("path" for orgs themselves, "org__path"
    for records that belong to an org); models may declare it as `scope_path_field`.
    """
    path_field = path_field or getattr(qs.model, "scope_path_field", "org__path")
    return qs.filter(scope_q(user, perm, path_field))


def get_visible_or_404(qs: QuerySet, user, perm: str, path_field: str | None = None, **lookup):
    try:
        return visible(qs, user, perm, path_field).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def require(actor, perm: str, path: str) -> None:
    """Services call this: the actor must hold `perm` on the node. None is the system itself."""
    from django.core.exceptions import PermissionDenied

    if actor is not None and not has_perm(actor, perm, path):
        raise PermissionDenied("您无权对该组织执行此操作。")
