"""Pagination without counting the whole list.

Two pagers:

* `paginate`: numbered pages by OFFSET, for short lists: one record's own rows (its timeline,
  its payments, through `part`). It fetches one
  row more than a page to know whether there is a next one, but page N still makes the database
  walk the N-1 pages before it.
* `keyset`: for every list that can grow long: the roster, employers, contracts, petitions and
  mediations, archives and applications, pending and sent transfers, the org search, assistance
  campaigns, pairings and helpers, the users, a user's jobs, notices, a figure's records, the audit
  and access logs (`keyset_part` for such a list among others on a page). A page is "the rows after this one" in the list's
  order, so the database seeks to the cursor's row in the ordering's index and reads one page:
  page 2,000 costs what page 1 costs (issue 14, item 5).

A keyset cursor names the boundary row by its id, never by its values: the roster is ordered by
name, and a name in a URL would end up in access logs, browser history and Referer headers. The
page reads the row's ordering values back by primary key (one indexed lookup) and compares. The
cursor is signed through core.crypto, like every token the application issues (a tampered one is
refused, never fed to the database; one made under a retired key version too), its purpose being the
list's name and ordering (a cursor of one list or ordering is not taken by another). A refused cursor, or
one whose row is gone, shows the first page with a Chinese message. The count is bounded: the first
page counts at most COUNT_CAP + 1 rows and the cursors carry that number on, so no page counts a
million rows and none pays the count again.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.db import connection
from django.db.models import F, OrderBy, Q
from django.db.models.expressions import BaseExpression
from django.db.models.sql.where import WhereNode

from . import crypto
from .params import ID_MAX, MAX_PAGE, page_param

SIZE = 50
# Rows the first page counts at most; beyond it the pager says "共 200 条以上". Counting reads the rows:
# 201 of a name search cost less than half its page (2 ms against 5 ms for 张 over a county on
# PostgreSQL), 1,001 cost twice the page.
COUNT_CAP = 200
CURSOR = "cursor"
MAX_CURSOR = 2000  # characters: a longer parameter is not one of ours
BAD_CURSOR = "分页链接无效（可能已被改动），已显示第一页。"
GONE_CURSOR = "分页起点的记录已不存在，已显示第一页。"
EMPTY_CURSOR = "该页已没有记录，已显示第一页。"


class _Positions:
    """本页第 a–b 条: the rows' positions in the whole list, for either pager (needs number, size, items)."""

    @property
    def first_position(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_position(self) -> int:
        return self.first_position + len(self.items) - 1 if self.items else 0


@dataclass
class Page(_Positions):
    items: list
    number: int
    has_next: bool
    size: int = SIZE
    total: int | None = None  # counted only when asked (`count`, `bounded`) and the list is longer than a page
    count_cap: int = 0  # with `bounded`: total is None when the list holds more rows than this
    previous_url: str = ""
    next_url: str = ""

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def paginate(qs, request, size: int | None = None, *, param: str = "page", count: bool = False, bounded: bool = False,
             anchor: str = "") -> Page:
    """Page `page_param(request.GET[param])` of `qs`. A page may show several lists, each under
    its own `param` (a record's timeline, its payments): the links keep the others' pages and
    return to the list's `anchor`. `count` counts the list when it is longer than a page, for
    lists that are cheap to count (one record's events, through its foreign key's index); `bounded`
    counts at most COUNT_CAP + 1 rows, as the keyset pages do, for lists that may be long."""
    size = size or SIZE  # read at call time, like keyset's
    number = page_param(request.GET, param)
    offset = (number - 1) * size
    rows = list(qs[offset : offset + size + 1])
    page = Page(rows[:size], number, len(rows) > size, size)
    if count:
        page.total = qs.count() if page.has_next or number > 1 else len(page.items)
    elif bounded:
        page.count_cap = COUNT_CAP
        page.total = _bounded_count(qs, COUNT_CAP) if page.has_next or number > 1 else len(page.items)

    def url(n: int) -> str:
        params = request.GET.copy()
        params.pop(param, None)
        if n > 1:
            params[param] = str(n)
        query = params.urlencode()
        return f"{request.path}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"

    if page.has_previous:
        page.previous_url = url(number - 1)
    if page.has_next:
        page.next_url = url(number + 1)
    return page


PART = 50  # rows of one list among several on a page (a record's timeline, its payments)


def part(qs, request, param: str, *, bounded: bool = False) -> Page:
    """One of several lists on a page: paged under its own parameter, counted (a record's rows,
    cheap through its foreign key's index; `bounded` for a list over the user's whole scope, which
    counts at most COUNT_CAP + 1 rows), the links returning to the list (id = param). Nothing of
    such a list is left out without saying so (issue 15, item 1)."""
    return paginate(qs, request, PART, param=param, count=not bounded, bounded=bounded, anchor=param)


# --- keyset pages --------------------------------------------------------------------------


class BadCursor(ValueError):
    """A cursor we did not make, or made for another list or ordering."""


@dataclass(frozen=True)
class _Key:
    """One term of the ordering: its expression, direction and where its NULLs sort."""

    expr: BaseExpression
    descending: bool
    nullable: bool
    nulls_last: bool  # in this term's own direction

    def flipped(self) -> _Key:
        # Reading backwards reverses every term, NULLs included.
        return _Key(self.expr, not self.descending, self.nullable, not self.nulls_last)


def _vendor_nulls_last(descending: bool) -> bool:
    # PostgreSQL sorts NULL as larger than any value, SQLite as smaller.
    large = connection.vendor == "postgresql"
    return large != descending


def _keys(qs) -> list[_Key]:
    """The queryset's ordering as keys, ending with a unique one (the primary key is appended if
    the ordering does not end with a unique field), so that every row has one position."""
    query = qs.query
    terms = list(query.order_by) or (list(query.get_meta().ordering) if query.default_ordering else [])
    if not terms:
        raise ValueError("keyset pagination needs an ordered queryset")
    model = query.model
    keys = []
    for term in terms:
        descending, nulls = False, None
        if isinstance(term, str):
            if term == "?":
                raise ValueError("keyset pagination cannot page a random order")
            descending, name = term.startswith("-"), term.lstrip("-")
            expr = F(name)
        elif isinstance(term, OrderBy):
            expr, descending = term.expression, term.descending
            nulls = True if term.nulls_last else (False if term.nulls_first else None)
        else:  # a bare expression sorts ascending
            expr = term
        if not query.standard_ordering:  # qs.reverse()
            descending = not descending
            nulls = None if nulls is None else not nulls
        nullable = _nullable(qs, expr)
        keys.append(_Key(expr, descending, nullable, _vendor_nulls_last(descending) if nulls is None else nulls))
    if not _unique(model, keys[-1].expr):
        keys.append(_Key(F("pk"), keys[-1].descending, False, False))
    return keys


def _field_name(model, expr) -> str | None:
    if isinstance(expr, F) and "__" not in expr.name:
        return model._meta.pk.name if expr.name == "pk" else expr.name
    return None


def _unique(model, expr) -> bool:
    name = _field_name(model, expr)
    if name is None:
        return False
    try:
        f = model._meta.get_field(name)
    except Exception:  # an annotation or alias: not known to be unique
        return False
    return bool(f.primary_key or f.unique) and not f.null


def _nullable(qs, expr) -> bool:
    """Whether the key can be NULL: its resolved output field says so (an annotation that wraps a
    NOT NULL column inherits it), and so does a nullable relation on its way (a LEFT JOIN)."""
    if isinstance(expr, F) and "__" in expr.name:
        model = qs.model
        for part in expr.name.split("__")[:-1]:
            try:
                f = model._meta.get_field(part)
            except Exception:  # an alias or a transform: the output field below decides
                break
            if not f.is_relation or f.related_model is None:
                break  # a JSON key or a transform: the output field below decides
            if f.null or f.one_to_many or f.many_to_many:
                return True
            model = f.related_model
    try:
        resolved = expr.resolve_expression(qs.query.clone())  # a clone: resolving adds joins
        return bool(getattr(resolved.output_field, "null", True))
    except Exception:
        return True


def _key_name(i: int) -> str:
    return f"_keyset_{i}"


def _after_q(keys: list[_Key], values: list) -> Q:
    """Rows strictly after `values` in the order of `keys`: the row-value comparison
    (k0, k1, …) > (v0, v1, …) spelt out as k0 > v0 OR (k0 = v0 AND (k1 > v1 OR …)), which both
    databases understand. A redundant k0 >= v0 in front lets the planner start an index range at
    the cursor instead of filtering the rows before it."""
    cond = None
    for i in range(len(keys) - 1, -1, -1):
        key, value, name = keys[i], values[i], _key_name(i)
        greater = "lt" if key.descending else "gt"
        if value is None:
            after = Q(pk__in=[]) if key.nulls_last else Q(**{f"{name}__isnull": False})
            equal = Q(**{f"{name}__isnull": True})
        else:
            after = Q(**{f"{name}__{greater}": value})
            if key.nullable and key.nulls_last:
                after |= Q(**{f"{name}__isnull": True})
            equal = Q(**{name: value})
        cond = after if cond is None else after | (equal & cond)
    first, value = keys[0], values[0]
    if len(keys) > 1 and value is not None and not (first.nullable and first.nulls_last):
        cond = Q(**{f"{_key_name(0)}__{'lte' if first.descending else 'gte'}": value}) & cond
    return cond


def _ordered(qs, keys: list[_Key]):
    terms = []
    for i, key in enumerate(keys):
        extra = {}
        if key.nullable:
            extra = {"nulls_last": True} if key.nulls_last else {"nulls_first": True}
        terms.append(OrderBy(F(_key_name(i)), descending=key.descending, **extra))
    return qs.order_by(*terms)


def _salt(name: str, keys: list[_Key]) -> str:
    order = ",".join(f"{'-' if k.descending else ''}{k.expr!r}" for k in keys)
    return f"gonghui.paging:{name}:{order}"


def make_cursor(name: str, keys: list[_Key], direction: str, number: int, pk, total: int | None) -> str:
    """A cursor for the rows after ("a") or before ("b") row `pk`, shown as page `number`: signed
    like every token the application issues (core.crypto, under the profile's MAC and key version)."""
    payload = json.dumps([direction, number, pk, total], separators=(",", ":")).encode()
    return crypto.sign(base64.urlsafe_b64encode(payload).decode().rstrip("="), purpose=_salt(name, keys))


def read_cursor(name: str, keys: list[_Key], raw: str) -> tuple[str, int, int | str, int | None]:
    """(direction, page number, boundary row id, total) of a cursor this list made; BadCursor
    otherwise."""
    if len(raw) > MAX_CURSOR:
        raise BadCursor
    value = crypto.unsign(raw, purpose=_salt(name, keys))
    if value is None:
        raise BadCursor
    try:
        payload = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadCursor from exc
    if not (isinstance(payload, list) and len(payload) == 4):
        raise BadCursor
    direction, number, pk, total = payload
    if direction not in ("a", "b") or not _whole(number, 1, MAX_PAGE):
        raise BadCursor
    if not (_whole(pk, 1, ID_MAX) or (isinstance(pk, str) and 0 < len(pk) <= 64)):
        raise BadCursor
    if total is not None and not _whole(total, 0, ID_MAX):
        raise BadCursor
    return direction, number, pk, total


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _boundary(qs, keys: list[_Key], pk) -> list | None:
    """The ordering's values of row `pk`, read without the list's filters (a row that has left the
    list since keeps its place), or None when the row is gone. Only ids of rows this list showed
    come here: the cursor is signed."""
    lookup = qs.all()
    lookup.query.where = WhereNode()
    names = [_key_name(i) for i in range(len(keys))]
    row = (lookup.select_related(None).prefetch_related(None)
           .annotate(**{n: k.expr for n, k in zip(names, keys, strict=True)})
           .filter(pk=pk).order_by().values_list(*names).first())
    return None if row is None else list(row)


@dataclass
class KeysetPage(_Positions):
    items: list
    number: int
    size: int
    has_next: bool
    has_previous: bool
    total: int | None  # rows in the list, when at most count_cap; None: more than that
    count_cap: int = COUNT_CAP
    next_url: str = ""
    previous_url: str = ""
    first_url: str = ""
    message: str = ""
    keyset: bool = field(default=True, repr=False)  # for templates that show either pager


def _url(request, param: str, cursor: str | None, anchor: str = "") -> str:
    """This page's URL with the same filters and another cursor (none: the first page), returning
    to the list's `anchor` when the page shows several lists."""
    params = request.GET.copy()
    params.pop(param, None)
    params.pop("page", None)  # the old numbered pages
    if cursor:
        params[param] = cursor
    query = params.urlencode()
    return f"{request.path}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"


def _bounded_count(qs, cap: int) -> int | None:
    """The number of rows if at most `cap`, else None: reads at most cap + 1 rows."""
    n = qs.order_by().values("pk")[: cap + 1].count()
    return n if n <= cap else None


def bounded_count(qs) -> int | None:
    """A list's size as its pager says it (None: more than COUNT_CAP), for a count shown beside
    the list (a tab's count), never counting a million rows."""
    return _bounded_count(qs, COUNT_CAP)


def keyset(qs, request, name: str, *, size: int | None = None, param: str = CURSOR,
           count_cap: int | None = None, anchor: str = "") -> KeysetPage:
    """One page of the ordered queryset `qs` at the request's cursor.

    `name` names the list (it salts the cursors). The queryset's ordering decides the pages; the
    primary key is added to it when it does not end with a unique field. A cursor this list did
    not make gives the first page and a message (also queued with django.contrib.messages).
    A list among several on a page takes its own `param` and `anchor` (see `keyset_part`).
    """
    size, count_cap = size or SIZE, count_cap or COUNT_CAP  # read at call time: tests page by 5
    keys = _keys(qs)
    annotated = qs.annotate(**{_key_name(i): k.expr for i, k in enumerate(keys)})
    annotated.query.standard_ordering = True  # qs.reverse() is in the keys already
    raw = request.GET.get(param, "")
    message = ""
    state = None
    if raw:
        try:
            state = read_cursor(name, keys, str(raw))
        except BadCursor:
            message = BAD_CURSOR
    page = None
    values = None
    if state is not None:
        values = _boundary(qs, keys, state[2])
        if values is None:
            message = GONE_CURSOR
    if values is not None:
        direction, number, _pk, total = state
        if direction == "a":
            rows = list(_ordered(annotated.filter(_after_q(keys, values)), keys)[: size + 1])
            if rows:
                page = _page(rows[:size], number, size, len(rows) > size, True, total)
            else:  # every row after the cursor is gone
                message = EMPTY_CURSOR
        else:
            flipped = [k.flipped() for k in keys]
            rows = list(_ordered(annotated.filter(_after_q(flipped, values)), flipped)[: size + 1])
            if len(rows) > size:
                page = _page(rows[:size][::-1], max(number, 2), size, True, True, total)
            elif len(rows) == size:
                page = _page(rows[::-1], 1, size, True, False, total)
            # fewer: the first page has changed under us; show it afresh below
    if page is None:
        rows = list(_ordered(annotated, keys)[: size + 1])
        has_next = len(rows) > size
        total = _bounded_count(qs, count_cap) if has_next else len(rows)
        page = _page(rows[:size], 1, size, has_next, False, total)
    page.count_cap = count_cap
    if message:
        page.message = message
        messages.warning(request, message, fail_silently=True)  # a request without the middleware (bench)

    def cursor(direction, number, row):
        return make_cursor(name, keys, direction, number, row.pk, page.total)

    if page.has_next:
        page.next_url = _url(request, param, cursor("a", min(page.number + 1, MAX_PAGE), page.items[-1]), anchor)
    if page.has_previous:
        page.previous_url = _url(request, param, cursor("b", max(page.number - 1, 1), page.items[0]), anchor)
    page.first_url = _url(request, param, None, anchor)
    return page


def keyset_part(qs, request, name: str, param: str) -> KeysetPage:
    """One of several lists on a page that can grow long (a list over the user's whole scope: the
    helpers, the transfer requests sent): keyset-paged under its own cursor parameter `param`, in
    pages of PART rows, counted to the bound, the links returning to the list (id = param). The
    other lists' parameters stay in the links."""
    return keyset(qs, request, name, size=PART, param=param, anchor=param)


def cursor_after(qs, name: str, pk, number: int, total: int | None = None) -> str:
    """The cursor of the page that starts after row `pk` of `qs`, as page `number`: what the 下一页
    link of the page ending with that row carries. For starting deep in a list (the benchmark)."""
    return make_cursor(name, _keys(qs), "a", number, pk, total)


def _page(items, number, size, has_next, has_previous, total) -> KeysetPage:
    return KeysetPage(items=items, number=number, size=size, has_next=has_next, has_previous=has_previous,
                      total=total)
