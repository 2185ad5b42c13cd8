"""The employer figures find a subtree's employers by a semi-join on the orgs placed there
(orgs.metrics.employers_under_q, issue 14): the same employers as the join through the
placements on the cut-off, before and after a move, at every level."""

import datetime as dt

import pytest

from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.orgs import conf, services
from gonghui.orgs.metrics import employers_under_q
from gonghui.orgs.models import Employer, employer_open_on, required_q
from gonghui.orgs.selectors import placed_under

D = dt.date
H1, H2 = Period.half(2024, 1), Period.half(2024, 2)


@pytest.fixture
def moved(tree):
    """An employer whose 属地 is a union, then the union moved to the other township mid-2024."""
    tree.emp["a5"] = services.employer_create(actor=None, org=tree.union_a1, name="甲五工厂", headcount=50,
                                              women_count=10, registered_on=D(2010, 1, 1))
    services.coverage_start(actor=None, union=tree.union_a1, employer=tree.emp["a5"], valid_from=D(2021, 1, 1))
    services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2024, 7, 1))
    return tree


def test_the_semi_join_selects_the_employers_the_placement_join_does(moved):
    t = moved
    for node in (t.root, t.town_a, t.town_b, t.union_a1, t.union_b1):
        for at in (D(2019, 1, 1), D(2024, 6, 30), D(2024, 7, 1), D(2025, 12, 31)):
            for subs in (True, False):
                by_join = Employer.objects.filter(placed_under(node, at, subs, prefix="org__"))
                by_semi_join = Employer.objects.filter(employers_under_q(node, at, subs))
                assert sorted(by_semi_join.values_list("pk", flat=True)) == sorted(
                    by_join.values_list("pk", flat=True)), (node.name, at, subs)


def test_a_moved_unions_employer_counts_where_the_union_stood_on_the_cut_off(moved):
    t = moved

    def required(node, period, subs=True):
        return compute("orgs.employers_required", node, period, subs).value

    # Before the move 甲五工厂 counts in town A (a1, a2, a3 and a5), after it in town B (b1 and a5).
    assert (required(t.town_a, H1), required(t.town_b, H1)) == (4, 1)
    assert (required(t.town_a, H2), required(t.town_b, H2)) == (3, 2)
    assert required(t.root, H1) == required(t.root, H2) == 5
    assert (required(t.union_a1, H1, False), required(t.union_a1, H2, False)) == (1, 1)
    covered = compute("orgs.coverage_rate", t.town_b, H2)
    assert (covered.numerator, covered.denominator) == (2, 2)
    assert compute("orgs.employers_covered", t.town_a, H1).value == 2  # a1 and a5 (a2's union came in 2025)
    threshold = conf.get("REQUIRED_HEADCOUNT")
    for node in (t.root, t.town_a, t.town_b):
        for period in (H1, H2):
            by_join = Employer.objects.filter(placed_under(node, period.end, True, prefix="org__"),
                                              employer_open_on(period.end), required_q(threshold))
            assert required(node, period) == by_join.count()
