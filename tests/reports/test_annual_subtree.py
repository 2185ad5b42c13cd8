"""The by-unit-type member counts of the annual report (annual.members and its parts) classify only
the grass-roots unions of the node's subtree (issue 14, item 1: a figure costs in proportion to its
subtree). Classifying a union reads its covered employers, in subqueries run once per union:
classifying every union of the city for one township's figure made the township pay for the whole
city.

Measured as the work the database does, not as time. On PostgreSQL: the rows the plans read from
the coverages and employers (EXPLAIN ANALYZE, rows × loops of their nodes), which only the
classification reads. On SQLite: the virtual machine's steps, whose growth is held to the growth of
listing the subtree's unions (orgs.unions_total), which every figure of the node pays anyway.
"""

import datetime as dt

import pytest
from django.db import connection

from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.orgs import services as org_services
from gonghui.orgs.models import OrgType
from tests.members.conftest import make_id

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = Period.year(2025)
OUTSIDE = 40  # grass-roots unions added outside the measured subtree


CLASSIFYING = ("orgs_coverage", "orgs_employer")


def _plan_rows(node) -> int:
    rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1) if node.get("Relation Name") in CLASSIFYING else 0
    return rows + sum(_plan_rows(child) for child in node.get("Plans", []))


def work(func) -> int:
    """What the database does to answer func()."""
    if connection.vendor == "postgresql":
        # Fresh statistics first: the rows a plan reads depend on them, and what the tests before
        # this one left in the tables (not analysed yet) made the planner read twice as many rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        captured = []

        def capture(execute, sql, params, many, context):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            func()
        total = 0
        with connection.cursor() as cursor:
            for sql, params in captured:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                plan = cursor.fetchone()[0]
                plan = plan if isinstance(plan, list) else __import__("json").loads(plan)
                total += _plan_rows(plan[0]["Plan"])
        return total
    connection.ensure_connection()
    raw, steps = connection.connection, [0]

    def tick():
        steps[0] += 1
        return 0

    raw.set_progress_handler(tick, 10)
    try:
        func()
    finally:
        raw.set_progress_handler(None, 10)
    return steps[0]


@pytest.fixture
def members(tree):
    for i, union in enumerate([tree.union_b1, tree.union_b1, tree.union_a1, tree.union_a2]):
        from gonghui.members import services

        services.member_join(actor=None, union=union, name=f"会员{i}", joined_on=D(2025, 3, 1), id_number=make_id(seq=i + 1))


def grow_outside(tree, n=OUTSIDE):
    """n grass-roots unions under 甲镇, each covering a private employer of its own."""
    for i in range(n):
        union = org_services.org_found(actor=None, parent=tree.town_a, name=f"甲镇{i}号公司工会", org_type=OrgType.GRASSROOTS,
                                       founded_on=D(2024, 1, 1), code=f"AX{i:03d}")
        employer = org_services.employer_create(actor=None, org=tree.town_a, name=f"甲镇{i}号公司", headcount=10 + i,
                                                ownership="private", registered_on=D(2020, 1, 1))
        org_services.coverage_start(actor=None, union=union, employer=employer, valid_from=D(2024, 1, 1))


@pytest.mark.parametrize("unit_type", ["domestic", "other"])
def test_a_townships_member_count_by_unit_type_does_not_classify_the_rest_of_the_tree(tree, members, unit_type):
    def figure():
        return compute("annual.members", tree.town_b, YEAR, filters={"unit_type": unit_type}).value

    def unions():
        return compute("orgs.unions_total", tree.town_b, YEAR).value

    value, before, listing = figure(), work(figure), work(unions)
    grow_outside(tree)
    assert figure() == value  # nothing changed under 乙街道
    after = work(figure)
    if connection.vendor == "postgresql":
        # The classification reads the township's coverages only: 40 more unions elsewhere add none.
        assert after <= before, (before, after)
    else:
        # The figure grows no more than listing the township's unions does (SQLite seeks the
        # placements by org); classifying the 40 unions elsewhere costs several times that.
        assert after - before <= 1.5 * (work(unions) - listing) + 10, (before, after, listing, work(unions))
