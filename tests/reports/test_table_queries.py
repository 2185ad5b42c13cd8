"""The standard tables and the work summary issue a number of queries that does not grow with
the number of subordinates (issue 14): the same demo builders make a county with 5 townships and
one with 25, and every registered table, the workbook of every group and the summary are rendered
for the county in each.

The workbook holds every registered figure: one without a set-based breakdown is computed per
subordinate, so the workbook may grow by exactly what those figures' breakdowns grow, and by
nothing else (zero once every figure has its hook)."""

import random

from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gonghui.core import demo
from gonghui.core.metrics import REGISTRY
from gonghui.core.periods import Period
from gonghui.core.tables import TABLES
from gonghui.orgs.models import Org
from gonghui.reports import figures as F
from gonghui.reports import summary
from gonghui.reports import tables as T

TODAY = timezone.localdate()
SEED = 3


def build(townships: int) -> Org:
    """The demo's own builders at a custom size: a few unions and employers per township, so every
    work line has records under each township."""
    ctx = demo.DemoContext(demo.Size(f"t{townships}", 0, townships, 3, 8), SEED, TODAY, random.Random(SEED))
    for b in demo.ordered():
        ctx.rng = random.Random(f"{SEED}:{b.app}:{b.name}")
        b.func(ctx)
    return Org.objects.get(depth=1)


def render_all(county: Org, period: Period) -> None:
    for table in TABLES.values():
        T.write_standard(table, county, period, T.standard_rows(table, county, period))
    T.write(county, period)
    summary.render(county, period)


def counted(func) -> int:
    cache.clear()  # the figure cache (reports' dashboards) must not answer for the computation
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx)


def query_counts(townships: int) -> dict[str, int]:
    """Queries per table and for the summary, on a fresh build rolled back afterwards."""
    period = Period.year_to_date(TODAY)
    out = {}
    with transaction.atomic():
        county = build(townships)
        assert Org.objects.filter(depth=2).count() == townships
        render_all(county, period)  # once first: what a process reads once (settings, roles) is not counted
        for key, table in TABLES.items():
            out[key] = counted(lambda t=table: T.write_standard(t, county, period, T.standard_rows(t, county, period)))
        out["workbook"] = counted(lambda: T.write(county, period))
        out["summary"] = counted(lambda: summary.render(county, period))
        kids = F.children_on(county, period.end)
        for code in REGISTRY:
            out[code] = counted(lambda c=code: F.breakdown(c, county, period, kids=kids))
        transaction.set_rollback(True)
    return out


def test_tables_and_summary_queries_do_not_grow_with_the_townships(db):
    few, many = query_counts(5), query_counts(25)
    growth = {k: many[k] - few[k] for k in few}
    hooked = {code for code, m in REGISTRY.items() if m.breakdown is not None}
    assert {"petitions", "bargaining", "assistance", "workbook", "summary"} <= few.keys()
    # Every set-based breakdown, every work line's table and the summary: not one query more.
    assert not {k: g for k, g in growth.items() if g and (k in hooked or k in TABLES or k == "summary")}
    # The workbook: only what the figures without a hook add, computed once per subordinate.
    unhooked = {code: growth[code] for code in REGISTRY if code not in hooked}
    assert growth["workbook"] == sum(unhooked.values()), unhooked
