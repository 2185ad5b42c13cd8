"""The union's path on the status periods (MemberStatusPeriod.path): split at union moves, kept
right by every write, filled by the migration, and read by every member figure and breakdown.

Tree and personas: tests/conftest.py (甲一 A1 and 甲二 A2 under 甲镇, 乙一 B1 under 乙街道).
"""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from gonghui.core.identifiers import parse_id_number
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.members import bulk, services
from gonghui.members.models import MemberStatus, MemberStatusPeriod
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import path_on
from tests.members.conftest import make_id

D = dt.date
MOVE = D(2025, 7, 1)
BEFORE, AFTER = Period(D(2025, 1, 1), D(2025, 6, 30)), Period(D(2025, 1, 1), D(2025, 12, 31))
STOCK = ("members.total", "members.women", "members.migrant_workers")


def rows(membership):
    return [(p.status, p.valid_from, p.valid_to, p.path, p.continued, p.gender, p.migrant)
            for p in membership.periods.order_by("valid_from", "pk")]


def figures(org, period):
    return tuple(compute(code, org, period).value for code in STOCK)


def test_a_move_splits_the_periods_at_its_date_and_each_part_counts_where_the_union_stood(tree, join):
    old_path = tree.union_a1.path
    m = join(female=True, is_migrant_worker=True, joined_on=D(2024, 3, 1))
    join(joined_on=D(2024, 3, 1))
    assert figures(tree.town_a, AFTER) == (2, 1, 1)
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=MOVE)
    tree.union_a1.refresh_from_db()
    assert rows(m) == [("active", D(2024, 3, 1), MOVE, old_path, False, 2, True),
                       ("active", MOVE, None, tree.union_a1.path, True, 2, True)]
    assert figures(tree.town_a, BEFORE) == (2, 1, 1) and figures(tree.town_b, BEFORE) == (0, 0, 0)
    assert figures(tree.town_a, AFTER) == (0, 0, 0) and figures(tree.town_b, AFTER) == (2, 1, 1)
    assert figures(tree.root, BEFORE) == figures(tree.root, AFTER) == (2, 1, 1)


def test_the_periods_do_not_depend_on_whether_the_move_was_entered_before_the_join(tree, join):
    first = join(joined_on=D(2024, 3, 1))
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=MOVE)
    second = join(joined_on=D(2024, 3, 1))  # back-dated: entered after the move
    assert rows(first) == rows(second) and len(rows(second)) == 2
    later = join(joined_on=D(2025, 8, 1))
    tree.union_a1.refresh_from_db()
    assert rows(later) == [("active", D(2025, 8, 1), None, tree.union_a1.path, False, 1, False)]


def test_a_move_of_the_federation_above_splits_its_unions_periods(tree, join):
    park = org_services.org_found(actor=None, parent=tree.town_a, name="甲镇园区工会联合会", org_type="park",
                                  founded_on=D(2000, 1, 1), code="AP")
    union = org_services.org_found(actor=None, parent=park, name="园区一公司工会", org_type="grassroots",
                                   founded_on=D(2020, 1, 1), code="AP1")
    m = join(union=union, joined_on=D(2024, 3, 1))
    org_services.org_move(actor=None, org=park, new_parent=tree.town_b, effective_on=MOVE)
    union.refresh_from_db()
    assert [r[3] for r in rows(m)] == [path_on(union, D(2025, 1, 1)), union.path]
    assert path_on(union, D(2025, 1, 1)).startswith(tree.town_a.path) and union.path.startswith(tree.town_b.path)
    assert figures(tree.town_b, BEFORE)[0] == 0 and figures(tree.town_b, AFTER)[0] == 1


def test_status_changes_around_a_move(tree, join):
    leaving, retiring = join(joined_on=D(2024, 3, 1)), join(joined_on=D(2024, 3, 1))
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=MOVE)
    tree.union_a1.refresh_from_db()
    # Back-dated before the move (entered after it): the part after the move goes.
    services.member_leave(actor=None, membership=leaving, status=MemberStatus.WITHDRAWN, effective_on=D(2025, 5, 1),
                          reason="个人申请")
    assert [(r[1], r[2], r[4]) for r in rows(leaving)] == [(D(2024, 3, 1), D(2025, 5, 1), False)]
    # After the move: the later part ends, the new status starts at the new path.
    services.member_retain(actor=None, membership=retiring, effective_on=D(2025, 8, 1), reason="退休")
    assert [(r[0], r[1], r[2], r[4]) for r in rows(retiring)] == [
        ("active", D(2024, 3, 1), MOVE, False), ("active", MOVE, D(2025, 8, 1), True),
        ("retained", D(2025, 8, 1), None, False)]
    assert rows(retiring)[-1][3] == tree.union_a1.path
    # Not before the status began (the first part's date, not the move's).
    services.member_restore(actor=None, membership=retiring, effective_on=D(2025, 9, 1))
    assert figures(tree.town_b, AFTER)[0] == 1 and figures(tree.town_a, BEFORE)[0] == 1


def test_a_transfer_between_townships_counts_in_each_on_its_dates(tree, join):
    m = join(female=True, joined_on=D(2024, 3, 1))
    new = services.member_transfer(actor=None, membership=m, to_union=tree.union_b1, effective_on=D(2025, 5, 1))
    april = Period(D(2025, 1, 1), D(2025, 4, 30))
    assert figures(tree.town_a, april) == (1, 1, 0) and figures(tree.town_b, april) == (0, 0, 0)
    assert figures(tree.town_a, BEFORE) == (0, 0, 0) and figures(tree.town_b, BEFORE) == (1, 1, 0)
    assert rows(new) == [("active", D(2025, 5, 1), None, tree.union_b1.path, False, 2, False)]


def test_changing_the_migrant_flag_changes_the_periods_copy(tree, join):
    m = join(joined_on=D(2024, 3, 1))
    services.person_update(actor=None, person=m.person, is_migrant_worker=True)
    assert {r[6] for r in rows(m)} == {True}
    assert figures(tree.town_a, AFTER) == (1, 0, 1)


def test_the_bulk_import_writes_the_periods_the_service_writes(tree, join):
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=MOVE)
    tree.union_a1.refresh_from_db()
    by_service = join(female=True, joined_on=D(2024, 3, 1), is_migrant_worker=True)
    bulk.members_bulk_join(actor=None, rows=[bulk.NewMember(
        union=tree.union_a1, name="李四", id_number=parse_id_number(make_id(seq=400, female=True)),
        joined_on=D(2024, 3, 1), fields={"is_migrant_worker": True})])
    imported = MemberStatusPeriod.objects.exclude(membership=by_service).order_by("valid_from")
    assert [r[:7] for r in rows(by_service)] == [
        (p.status, p.valid_from, p.valid_to, p.path, p.continued, p.gender, p.migrant) for p in imported]


def test_the_migration_fills_and_splits_existing_periods_as_the_services_do(tree, join):
    join(female=True, is_migrant_worker=True, joined_on=D(2024, 3, 1))
    m = join(joined_on=D(2024, 3, 1), union=tree.union_b1)
    services.member_retain(actor=None, membership=m, effective_on=D(2025, 1, 1), reason="退休")
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=MOVE)
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_a, effective_on=D(2025, 9, 1))
    expected = sorted(MemberStatusPeriod.objects.values_list(
        "membership", "status", "valid_from", "valid_to", "path", "continued", "gender", "migrant"))
    assert len(expected) == 5
    migration = importlib.import_module("gonghui.members.migrations.0005_period_path")
    # The rows as they were before the migration: one per status, no copies.
    migration.unsplit(apps, None)
    MemberStatusPeriod.objects.update(path="", gender=1, migrant=False)
    assert MemberStatusPeriod.objects.count() == 3
    migration.fill(apps, SimpleNamespace(connection=connection))  # all it uses of a schema editor
    got = sorted(MemberStatusPeriod.objects.values_list(
        "membership", "status", "valid_from", "valid_to", "path", "continued", "gender", "migrant"))
    assert got == expected


@pytest.mark.parametrize("basis", ["members", "employees"])
def test_each_breakdown_agrees_with_the_figure_per_subordinate(tree, join, settings, basis):
    settings.GONGHUI_WOMENS_COMMITTEE_BASIS = basis
    settings.GONGHUI = {**getattr(settings, "GONGHUI", {}), "WOMENS_COMMITTEE_THRESHOLD": 1}
    join(female=True, is_migrant_worker=True, joined_on=D(2024, 3, 1))
    join(joined_on=D(2024, 5, 1), union=tree.union_b1)
    m = join(female=True, joined_on=D(2025, 3, 1), union=tree.union_a2)
    services.member_transfer(actor=None, membership=m, to_union=tree.union_b1, effective_on=D(2025, 4, 1))
    gone = join(joined_on=D(2024, 3, 1))
    services.member_leave(actor=None, membership=gone, status=MemberStatus.DECEASED, effective_on=D(2025, 2, 1),
                          reason="")
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=MOVE)
    for t in (tree.town_a, tree.town_b, tree.union_a1, tree.union_a2, tree.root):
        t.refresh_from_db()
    checked = 0
    for code, m in REGISTRY.items():
        if not code.startswith("members.") and code != "orgs.womens_committee_rate":
            continue
        assert m.breakdown is not None, code
        for period in (BEFORE, AFTER, Period.year(2024)):
            for parent in (tree.root, tree.town_a, tree.town_b):
                base = path_on(parent, period.end)
                # The subordinates on the cut-off (a moved union counts where it stood then).
                children = [c for c in Org.objects.exclude(pk=parent.pk)
                            if path_on(c, period.end)[:-4] == base]
                parts = m.breakdown(parent, period)
                expected = {base: compute(code, parent, period, False)}
                expected.update({path_on(c, period.end): compute(code, c, period, True) for c in children})
                for key, value in expected.items():
                    got = parts.get(key)
                    if m.is_rate:
                        assert (got.value if got else None) == value.value, (code, parent.name, key, period)
                    else:
                        assert (got or 0) == value.value, (code, parent.name, key, period)
                    checked += bool(value.value)
    assert checked > 20  # the data gives the comparisons something to compare


def test_a_retention_split_by_a_move_is_still_due_from_its_start(tree, join):
    from gonghui.members import reminders

    m = join(joined_on=D(2024, 3, 1))
    services.member_retain(actor=None, membership=m, effective_on=D(2025, 1, 10), reason="失业")
    before, n = reminders.retained_check(None, D(2025, 12, 1), 10)
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=MOVE)
    assert [r[4] for r in rows(m)] == [False, False, True]  # active; retained, and its part after the move
    after, n_after = reminders.retained_check(None, D(2025, 12, 1), 10)
    assert n == n_after == 1
    assert [(d.label, d.due_on) for d in after] == [(d.label, d.due_on) for d in before]
    assert "2025-01-10" in after[0].label


def test_every_event_carries_its_month_and_flow_figures_cross_month_ends(tree, join):
    from gonghui.members.models import MemberEvent

    m = join(joined_on=D(2025, 1, 31))
    services.member_transfer(actor=None, membership=m, to_union=tree.union_b1, effective_on=D(2025, 3, 1))
    bulk.members_bulk_join(actor=None, rows=[bulk.NewMember(
        union=tree.union_a1, name="李四", id_number=parse_id_number(make_id(seq=401)), joined_on=D(2024, 12, 31))])
    assert all(e.month == e.effective_on.replace(day=1) for e in MemberEvent.objects.all())
    assert MemberEvent.objects.count() == 4
    p = Period(D(2024, 12, 31), D(2025, 3, 1))  # the months of a period that starts and ends on a month's edge
    assert [compute(c, tree.root, p).value for c in ("members.new", "members.transferred_in")] == [2, 1]
    long = Period(D(2020, 1, 1), D(2025, 12, 31))  # longer than the months sought: every date
    assert compute("members.new", tree.root, long).value == 2
