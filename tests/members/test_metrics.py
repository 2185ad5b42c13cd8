"""Membership figures on hand-built data, as of dates, with back-dated entries."""

import datetime as dt

from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.members import services
from gonghui.members.models import MemberStatus
from gonghui.orgs import services as org_services

D = dt.date


def v(code, org, period, subs=True):
    return compute(code, org, period, subs).value


def test_totals_women_and_migrants_as_of_the_cut_off(tree, join):
    join(joined_on=D(2024, 3, 1))
    join(female=True, joined_on=D(2024, 8, 1), is_migrant_worker=True)
    join(union=tree.union_b1, female=True, joined_on=D(2025, 2, 1))
    assert v("members.total", tree.root, Period.half(2024, 1)) == 1
    assert v("members.total", tree.root, Period.year(2024)) == 2
    assert v("members.total", tree.root, Period.year(2025)) == 3
    assert v("members.women", tree.root, Period.year(2025)) == 2
    assert v("members.migrant_workers", tree.town_a, Period.year(2025)) == 1
    assert v("members.total", tree.town_b, Period.year(2025)) == 1
    assert v("members.total", tree.union_a1, Period.year(2025), subs=False) == 2
    assert v("members.new", tree.root, Period.year(2024)) == 2


def test_retained_members_are_not_counted_and_back_dated_changes_apply_from_their_date(tree, join):
    m = join(joined_on=D(2024, 3, 1))
    services.member_retain(actor=None, membership=m, effective_on=D(2024, 10, 1), reason="退休")
    assert v("members.total", tree.root, Period.half(2024, 1)) == 1
    assert v("members.total", tree.root, Period.year(2024)) == 0


def test_transfers_and_leaving_in_the_period(tree, join):
    m = join(joined_on=D(2024, 3, 1))
    services.member_transfer(actor=None, membership=m, to_union=tree.union_b1, effective_on=D(2025, 5, 1))
    other = join(joined_on=D(2024, 3, 1))
    services.member_leave(actor=None, membership=other, status=MemberStatus.DECEASED, effective_on=D(2025, 6, 1),
                          reason="")
    p = Period.year(2025)
    assert v("members.transferred_out", tree.town_a, p) == 1
    assert v("members.transferred_in", tree.town_b, p) == 1
    assert v("members.left", tree.root, p) == 1
    assert v("members.new", tree.root, p) == 0
    assert v("members.total", tree.town_a, Period.half(2025, 1)) == 0
    assert v("members.total", tree.town_b, Period(D(2025, 1, 1), D(2025, 4, 30))) == 0
    assert v("members.total", tree.town_b, p) == 1


def test_a_union_moved_takes_its_members_from_the_move_date(tree, join):
    join(joined_on=D(2024, 3, 1))
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2025, 7, 1))
    assert v("members.total", tree.town_a, Period.half(2025, 1)) == 1
    assert v("members.total", tree.town_a, Period.year(2025)) == 0
    assert v("members.total", tree.town_b, Period.year(2025)) == 1


def test_membership_rate_divides_by_the_staff_of_covered_employers(tree, join):
    for _ in range(3):
        join(joined_on=D(2024, 3, 1))
    r = compute("members.membership_rate", tree.town_a, Period.year(2025))
    # 甲一 (30 staff) and 甲二 (60 staff, covered from 2025-02-10) are covered in 甲镇.
    assert (r.numerator, r.denominator, str(r.value)) == (3, 90, "3.33")
    r2024 = compute("members.membership_rate", tree.town_a, Period.year(2024))
    assert (r2024.numerator, r2024.denominator) == (3, 30)
