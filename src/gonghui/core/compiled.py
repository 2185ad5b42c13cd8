"""A figure's aggregate query compiled once per shape, not once per call.

A small figure (a county's sessions of one activity kind over a few thousand rows) is one index
range on the database, about as fast as its hand SQL; building its queryset and compiling it to
SQL cost the application 0.5-0.7 ms more per figure (profiled: `filter()`, `aggregate()`, the
compiler), a fixed cost that made such figures 1.5x their hand SQL. Here the statement is
compiled once per shape (which figure, own level or subtree, a root or not, which filters are
given) and later calls only put their values into its parameters:

    total = aggregate(("activities.sum", column), build, org, period, subs, kind)["s"]

where `build(org, period, subs, kind) -> (queryset, {alias: aggregate})` depends only on its arguments
and the configuration (core.config). The first call of a shape builds and compiles it twice
with stand-in values (an org id and path, dates, filter values no real row has), running
neither, and compares the two statements: each parameter must be a constant (equal in both) or
one of the stand-ins, and the SQL text the same. A shape that does not compile to one such
statement (it reads something first, as a root's path; a parameter is derived from an argument,
e.g. a date three months before the cut-off; the set is empty) is remembered as not cacheable and
built as usual on every call. The configuration
values read while building are kept with the statement and checked on each use: a changed rule
compiles the shape again.

Values come back converted as `QuerySet.aggregate()` converts them (Decimal sums on SQLite).
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import Count, Model

from . import config
from .periods import Period

# Context variables whose being set changes how builders compile (e.g. orgs' paths read first inside
# paths_remembered()): part of every shape's key. An app registers its own.
CONTEXT: list[contextvars.ContextVar] = []

_PLANS: dict[tuple, _Plan | None] = {}
_COUNT = Count("*")
_LOCK = threading.Lock()


@dataclasses.dataclass(frozen=True)
class _Plan:
    sql: str
    # Per parameter: (index of the argument value, whether as text, None) or (None, False, the constant).
    slots: tuple
    names: tuple[str, ...]
    # {position: (converters, expression)} as the compiler gives them.
    converters: dict
    # The configuration read while building: ((rules, key, value), ...).
    conf: tuple


def aggregate(key: tuple, build: Callable[..., tuple], *args) -> dict:
    """`queryset.aggregate(**aggregates)` of `build(*args)`, through the statement compiled for this
    shape. `args` are orgs, periods, dates, ints, strings or None; `key` names the builder and
    whatever else changes its SQL besides them."""
    alias = "default"
    shape = (key, alias, *_arg_shape(args), *(var.get() is not None for var in CONTEXT))
    plan = _PLANS.get(shape, False)
    if plan is False or (plan is not None and any(rules.get(k) != v for rules, k, v in plan.conf)):
        plan = _compile(build, args, alias)
        with _LOCK:
            _PLANS[shape] = plan
    if plan is None:
        qs, aggregates = build(*args)
        return qs.aggregate(**aggregates)
    values = _values(args)
    params = [constant if i is None else str(values[i]) if as_text else values[i] for i, as_text, constant in plan.slots]
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        row = list(cursor.fetchone())
    for pos, (convs, expression) in plan.converters.items():
        for convert in convs:
            row[pos] = convert(row[pos], expression, connection)
    return dict(zip(plan.names, row, strict=False))


def value(key: tuple, qs_for: Callable, expression, *args):
    """One aggregate `expression` (a Count, a Sum) of `qs_for(*args)`, compiled once per shape."""
    return aggregate((*key, repr(expression)), lambda *a: (qs_for(*a), {"v": expression}), *args)["v"]


def count(key: tuple, qs_for: Callable, *args) -> int:
    """`qs_for(*args).count()`, compiled once per shape."""
    return value(key, qs_for, _COUNT, *args)


def forget() -> None:
    """Drop every compiled statement (a test that changes a model's table or a builder)."""
    with _LOCK:
        _PLANS.clear()


def _arg_shape(args) -> tuple:
    out = []
    for a in args:
        if a is None or isinstance(a, bool):
            out.append(a)
        elif isinstance(a, Model):
            out.append((type(a).__name__, getattr(a, "depth", 0) == 1))
        else:
            out.append(type(a).__name__)
    return tuple(out)


def _values(args) -> list:
    """The values the statement's parameters may take from the arguments, in a fixed order."""
    out = []
    for a in args:
        if isinstance(a, Model):
            out += [a.pk, getattr(a, "path", None)]
        elif isinstance(a, Period):
            out += [a.start, a.end]
        else:
            out.append(a)
    return out


def _stand_ins(args, n: int) -> list:
    """Arguments like `args` with values no row has (set `n` of two)."""
    out = []
    for i, a in enumerate(args):
        if isinstance(a, Model):
            copy = type(a)(**{f.attname: getattr(a, f.attname) for f in a._meta.concrete_fields})
            copy.pk = 1_900_000_000 + 1000 * n + i
            if hasattr(copy, "path"):
                copy.path = f"~stand-in-{n}-{i}~"
            out.append(copy)
        elif isinstance(a, Period):
            out.append(Period(dt.date(1901 + 2 * n, 2, 3 + i), dt.date(1901 + 2 * n, 11, 5 + i)))
        elif isinstance(a, bool) or a is None:
            out.append(a)  # part of the shape
        elif isinstance(a, int):
            out.append(1_800_000_000 + 1000 * n + i)
        elif isinstance(a, str):
            out.append(f"~stand-in-{n}-{i}~")
        elif isinstance(a, dt.date):
            out.append(dt.date(1905 + 2 * n, 3, 7 + i))
        else:
            raise TypeError(f"compiled.aggregate: no stand-in for {type(a).__name__}")
    return out


class _Stop(Exception):
    """Stops a stand-in build before anything runs: only the statement's text and parameters are wanted."""


def _capture(build, args, alias):
    """Build with `args` and compile as `QuerySet.aggregate()` would, without running anything: the
    statement ((sql, params)), the compiler's converters, the aggregate names and the configuration
    read; None when building reads something first or the statement is not the plain aggregate."""
    from django.core.exceptions import EmptyResultSet

    read: list = []
    compilers: list = []
    refused: list = []
    connection = connections[alias]

    def refuse(execute, sql, params, many, context):
        refused.append(sql)
        raise _Stop  # building reads something first (a root's path): not one statement

    with config.recording(read), connection.execute_wrapper(refuse):
        try:
            qs, aggregates = build(*args)
            query = qs.query.chain()
            plain = query.get_compiler

            def get_compiler(using=None, connection=None, elide_empty=True):
                compilers.append(plain(using, connection, elide_empty))
                raise _Stop

            query.get_compiler = get_compiler
            query.get_aggregation(qs.db, aggregates)
        except _Stop:
            pass
    if refused and connection.queries_logged and connection.queries_log:
        # Django's debug cursor logs the refused read in a `finally` (with no SQL on PostgreSQL,
        # since nothing ran): a stand-in build runs nothing, so it must not show in the query log
        # that CaptureQueriesContext and query-count tests read.
        connection.queries_log.pop()
    # The backend's own plain compiler: PostgreSQL's is a subclass of SQLCompiler, so an exact
    # `type(...) is SQLCompiler` check refused every statement there and nothing was ever compiled
    # on PostgreSQL. The aggregate, insert, update and delete compilers are other classes.
    if len(compilers) != 1 or type(compilers[0]) is not connections[alias].ops.compiler("SQLCompiler"):
        return None
    compiler = compilers[0]
    names = tuple(compiler.query.annotation_select)
    if names != tuple(aggregates):
        return None  # not the plain aggregate (a subquery around existing annotations)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    if compiler.has_extra_select:
        return None
    cols = list(compiler.query.annotation_select.values())
    return (sql, tuple(params)), compiler.get_converters(cols), names, tuple(read)


def _compile(build, args, alias) -> _Plan | None:
    sets = [_stand_ins(args, n) for n in (0, 1)]
    captured = [_capture(build, s, alias) for s in sets]
    if None in captured:
        return None
    (sql_a, params_a), converters, names, conf = captured[0]
    (sql_b, params_b), _, _, _ = captured[1]
    if sql_a != sql_b or len(params_a) != len(params_b):
        return None
    values_a, values_b = _values(sets[0]), _values(sets[1])
    slots = []
    for pa, pb in zip(params_a, params_b, strict=True):
        if _same(pa, pb):
            if any(_same(pa, v) or pa == str(v) for v in values_a if v is not None and not isinstance(v, bool)):
                return None  # a stand-in the other set did not vary: cannot tell it from a constant
            slots.append((None, False, pa))
            continue
        slot = next(((i, as_text, None) for i, (va, vb) in enumerate(zip(values_a, values_b, strict=True))
                     for as_text in (False, True)
                     if va is not None and _same(pa, str(va) if as_text else va)
                     and _same(pb, str(vb) if as_text else vb)), None)
        if slot is None:
            return None  # derived from an argument: build it each time
        slots.append(slot)
    return _Plan(sql_a, tuple(slots), names, converters, conf)


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b
