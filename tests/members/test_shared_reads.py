"""Figures computed together (core.metrics.sharing: the dashboard, the summary, the workbench)
read the rows several of them count once, with the answers each gives alone (issue 14, item 3)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.core.metrics import compute, sharing
from gonghui.core.periods import Period
from gonghui.members import services

D = dt.date
EVENTS = ("members.new", "members.transferred_in", "members.transferred_out", "members.left")
SHARED = ("members.total", "members.women", "members.migrant_workers", "members.membership_rate", *EVENTS,
          "orgs.employers_required", "orgs.employers_covered", "orgs.coverage_rate",
          # 基层工会统计年报 (reports.annual_figures): its unfiltered member counts are members', and its
          # 职工, 女职工 and 农民工 one pass over the same coverage.
          "annual.members", "annual.women_members", "annual.migrant_members", "annual.employees",
          "annual.women_employees", "annual.migrant_employees")


def test_together_as_alone_for_every_node_and_date(tree, join):
    join(joined_on=D(2024, 3, 1))
    join(female=True, joined_on=D(2024, 8, 1), is_migrant_worker=True)
    join(union=tree.union_b1, female=True, joined_on=D(2025, 2, 1))
    m = join(union=tree.union_a1, joined_on=D(2024, 1, 5))
    services.member_transfer(actor=None, membership=m, to_union=tree.union_b1, effective_on=D(2025, 5, 1))
    gone = join(union=tree.union_b1, joined_on=D(2024, 2, 1))
    services.member_leave(actor=None, membership=gone, status="withdrawn", effective_on=D(2025, 3, 1), reason="退会")
    periods = (Period.half(2024, 1), Period.year(2024), Period.half(2025, 1), Period.year(2025))
    for org in (tree.root, tree.town_a, tree.town_b, tree.union_a1, tree.union_b1):
        for period in periods:
            for subs in (True, False):
                alone = {c: compute(c, org, period, subs) for c in SHARED}
                with sharing():
                    together = {c: compute(c, org, period, subs) for c in SHARED}
                assert together == alone, (org.name, period, subs)


def test_together_reads_the_common_rows_once(tree, join):
    join(female=True, joined_on=D(2024, 8, 1))
    period = Period.year(2025)
    with CaptureQueriesContext(connection) as alone:
        for c in SHARED:
            compute(c, tree.root, period)
    with sharing(), CaptureQueriesContext(connection) as together:
        for c in SHARED:
            compute(c, tree.root, period)
    assert len(together) < len(alone) - 4
    with sharing():  # a block inside another shares the outer one's reads
        compute("members.total", tree.root, period)
        with sharing(), CaptureQueriesContext(connection) as inner:
            compute("members.women", tree.root, period)
        assert len(inner) == 0


def test_the_event_figures_read_the_events_once(tree, join):
    m = join(joined_on=D(2025, 1, 5))
    services.member_transfer(actor=None, membership=m, to_union=tree.union_b1, effective_on=D(2025, 5, 1))
    period = Period.year(2025)

    def event_reads(ctx):
        return [q for q in ctx.captured_queries if "members_memberevent" in q["sql"]]

    with CaptureQueriesContext(connection) as alone:
        values = [compute(c, tree.town_a, period).value for c in EVENTS]
    with sharing(), CaptureQueriesContext(connection) as together:
        assert [compute(c, tree.town_a, period).value for c in EVENTS] == values == [1, 0, 1, 0]
    assert (len(event_reads(alone)), len(event_reads(together))) == (4, 1)
