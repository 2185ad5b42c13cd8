"""Back-dated tree changes re-home the records dated on or after them (ARCHITECTURE §4.3).

Known answers for the cases the property test (test_order_independence) explores at random:
a roster imported before a union's move, a township moved back past unions founded and moved
out after the date, a path freed by a move, assistance rows, and the dates the services refuse.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from gonghui.assistance import services as assistance
from gonghui.assistance.models import ArchiveEvent, Payment
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.members import services as members
from gonghui.members.imports import MemberImporter
from gonghui.members.models import MemberEvent
from gonghui.orgs import services
from gonghui.orgs.models import Org, OrgPlacement, OrgType
from tests.core.test_excel import make_xlsx
from tests.members.conftest import make_id
from tests.members.test_import import HEADERS, row
from tests.orgs.test_order_independence import _frame

D = dt.date
YEAR = Period(D(2024, 1, 1), D(2024, 12, 31))
H1, H2 = Period(D(2024, 1, 1), D(2024, 6, 30)), Period(D(2024, 7, 1), D(2024, 12, 31))


def join(union, n, on):
    return members.member_join(actor=None, union=union, name=f"会员{n}", id_number=make_id(seq=n), joined_on=on)


def figure(code, org, period=YEAR, subs=True):
    org = Org.objects.get(pk=org.pk) if isinstance(org, Org) else Org.objects.get(code=org)
    return compute(code, org, period, subs).value


def test_a_move_entered_after_the_roster_rehomes_the_joins_dated_after_it(tree, settings, tmp_path):
    """The street's clerk imports the roster, then records 甲一公司工会's move on 15 August:
    the five who joined after 15 August count under 乙街道, not under 甲镇."""
    settings.DATA_DIR = tmp_path
    joined = [D(2024, 3, 1), D(2024, 4, 1), D(2024, 5, 1)] + [D(2024, 8, 20 + i) for i in range(5)]
    roster = make_xlsx([HEADERS, *(row(f"会员{i}", seq=i + 1, union="A1", joined=day) for i, day in enumerate(joined))])
    result = MemberImporter(actor=None).run(roster)
    assert not result.errors and result.created == 8
    assert figure("members.new", tree.town_a, H2) == 5  # before the move is known
    old_path = tree.union_a1.path

    services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2024, 8, 15))

    assert (figure("members.new", tree.town_a), figure("members.new", tree.town_b)) == (3, 5)
    assert (figure("members.new", tree.town_a, H2), figure("members.new", tree.town_b, H2)) == (0, 5)
    assert figure("members.new", tree.root) == 8
    late = MemberEvent.objects.filter(effective_on__gte=D(2024, 8, 15))
    assert {e.path for e in late} == {tree.union_a1.path} and old_path != tree.union_a1.path
    assert {e.path for e in MemberEvent.objects.exclude(pk__in=late)} == {old_path}
    # Stock figures follow the placements either way.
    assert figure("members.total", tree.town_a, Period(D(2024, 1, 1), D(2024, 8, 14))) == 3
    assert figure("members.total", tree.town_b, H2) == 8


def _township_history(back_dated: bool) -> dict:
    """T1 (C1) gets U2 on 2023-06-01 and U1 on 2024-03-01; U2 has a member from 2024-02-01 and
    moves to T2 (C2) on 2024-05-01; U1 has one from 2024-04-01; T1 moves to C2 on 2024-01-01.
    Entered in date order, or with T1's move last. Returns the figures that tell them apart."""
    org = Org.objects.get

    def found(code, on):
        services.org_found(actor=None, parent=org(code="T1"), name=f"{code}公司工会", code=code,
                           org_type=OrgType.GRASSROOTS, founded_on=on)

    def move_t1():
        services.org_move(actor=None, org=org(code="T1"), new_parent=org(code="C2"), effective_on=D(2024, 1, 1))

    _frame()
    found("U2", D(2023, 6, 1))
    if not back_dated:
        move_t1()
    join(org(code="U2"), 1, D(2024, 2, 1))
    found("U1", D(2024, 3, 1))
    join(org(code="U1"), 2, D(2024, 4, 1))
    services.org_move(actor=None, org=org(code="U2"), new_parent=org(code="T2"), effective_on=D(2024, 5, 1))
    if back_dated:
        move_t1()
    codes = ("orgs.unions_new", "orgs.unions_total", "orgs.moved_in", "orgs.moved_out", "members.new",
             "members.total")
    return {(node, code, period.end): figure(code, node, period)
            for node in ("C1", "C2", "T1", "T2") for code in codes for period in (H1, YEAR)}


class _Rollback(Exception):
    pass


def test_a_township_moved_back_past_later_foundings_and_departures_counts_as_in_date_order(db):
    figures = {}
    for back_dated in (False, True):
        try:
            with transaction.atomic():
                figures[back_dated] = _township_history(back_dated)
                if back_dated:
                    u1, u2, t1 = (Org.objects.get(code=c) for c in ("U1", "U2", "T1"))
                    # U1 (founded after the date) rewritten in place, U2 (gone since) split.
                    assert [p.path for p in u1.placements.all()] == [u1.path]
                    spans = [(p.path[:-4], p.valid_from, p.valid_to) for p in u2.placements.order_by("valid_from")]
                    assert spans[1:] == [(t1.path, D(2024, 1, 1), D(2024, 5, 1)),
                                         (Org.objects.get(code="T2").path, D(2024, 5, 1), None)]
                raise _Rollback
        except _Rollback:
            pass
    assert figures[True] == figures[False]
    f = figures[True]
    assert f["C2", "orgs.unions_new", H1.end] == 1 and f["C1", "orgs.unions_new", H1.end] == 0
    assert f["C2", "members.new", H1.end] == 2 and f["C1", "members.new", H1.end] == 0
    assert f["C1", "orgs.moved_out", H1.end] == 1 and f["C2", "orgs.moved_in", H1.end] == 1  # U2 with T1
    assert f["T1", "orgs.moved_out", H1.end] == 1 and f["C2", "orgs.moved_out", H1.end] == 0  # U2 within C2


def test_a_path_freed_by_a_move_is_never_handed_out_again(tree):
    a2_old = tree.union_a2.path
    join(tree.union_a2, 1, D(2025, 2, 20))
    services.org_move(actor=None, org=tree.union_a2, new_parent=tree.town_b, effective_on=D(2025, 3, 1))
    # 甲镇's last child moved away; a union founded there, back-dated, must not take its path.
    new = services.org_found(actor=None, parent=tree.town_a, name="甲八公司工会", org_type=OrgType.GRASSROOTS,
                             founded_on=D(2025, 2, 15))
    assert new.path != a2_old and not OrgPlacement.objects.filter(path=new.path).exclude(org=new).exists()
    february = Period(D(2025, 2, 1), D(2025, 2, 28))
    assert (figure("members.new", new, february), figure("members.total", new, february)) == (0, 0)
    assert figure("members.new", tree.union_a2, february) == 1
    assert Org.objects.find_problems() == ([], [], [], [], [])


def test_founding_and_moving_refuse_dates_before_the_parent_stood_where_it_stands(tree):
    services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2024, 6, 1))
    a1 = Org.objects.get(pk=tree.union_a1.pk)
    with pytest.raises(ServiceError, match="不能早于上级工会“甲一公司工会”转到现在位置的日期 2024-06-01") as err:
        services.org_found(actor=None, parent=a1, name="一车间分工会", org_type=OrgType.SUB_UNION,
                           founded_on=D(2024, 3, 1))
    assert err.value.field == "founded_on"
    with pytest.raises(ServiceError, match="上一次变动（成立或转移）的日期 2024-06-01"):
        services.org_move(actor=None, org=a1, new_parent=tree.town_a, effective_on=D(2024, 5, 1))
    with pytest.raises(ServiceError, match="不能早于上级工会“甲二公司工会”的成立日期 2025-02-10"):
        services.org_found(actor=None, parent=tree.union_a2, name="二车间分工会", org_type=OrgType.SUB_UNION,
                           founded_on=D(2025, 1, 1))
    new_town = services.org_found(actor=None, parent=tree.root, name="丙镇工会联合会", code="C",
                                  org_type=OrgType.TOWNSHIP_FED, founded_on=D(2024, 9, 1))
    with pytest.raises(ServiceError, match="转移日期（2024-07-01）不能早于上级工会“丙镇工会联合会”的成立日期"):
        services.org_move(actor=None, org=a1, new_parent=new_town, effective_on=D(2024, 7, 1))


def test_a_back_dated_dissolution_is_refused_while_records_are_dated_after_it(tree):
    membership = join(tree.union_a2, 1, D(2025, 2, 20))
    members.member_leave(actor=None, membership=membership, status="withdrawn", effective_on=D(2025, 9, 1),
                         reason="离职")
    services.coverage_end(actor=None, coverage=tree.union_a2.coverages.get(), valid_to=D(2025, 3, 1))
    with pytest.raises(ServiceError, match="有会员1人的会籍在2025-08-01以后才终止，注销日期不能早于 2025-09-01"):
        services.org_dissolve(actor=None, org=tree.union_a2, dissolved_on=D(2025, 8, 1), reason="企业关闭")
    assert tree.union_a2.dissolved_on is None
    # A township whose union left on 1 October stood above it until then.
    services.org_move(actor=None, org=tree.union_b1, new_parent=tree.town_a, effective_on=D(2025, 10, 1))
    with pytest.raises(ServiceError, match="有1个下级组织在2025-09-01以后才转出或注销"):
        services.org_dissolve(actor=None, org=tree.town_b, dissolved_on=D(2025, 9, 1), reason="撤并")
    services.org_dissolve(actor=None, org=tree.town_b, dissolved_on=D(2025, 10, 1), reason="撤并")
    services.org_dissolve(actor=None, org=tree.union_a2, dissolved_on=D(2025, 9, 1), reason="企业关闭")


def test_a_coverage_started_after_the_date_refuses_a_back_dated_dissolution(tree):
    services.coverage_end(actor=None, coverage=tree.union_b1.coverages.get(), valid_to=D(2024, 1, 1))
    services.coverage_start(actor=None, union=tree.union_b1, employer=tree.emp["a3"], valid_from=D(2024, 6, 1))
    with pytest.raises(ServiceError, match="覆盖用人单位的起始日期晚于2024-03-01"):
        services.org_dissolve(actor=None, org=tree.union_b1, dissolved_on=D(2024, 3, 1), reason="企业关闭")


def test_assistance_rows_dated_after_a_back_dated_move_follow_it(tree):
    assistance.standard_set(actor=None, region_code="430100", region_name="长沙市", year=2025, monthly="700")
    household = assistance.archive_create(
        actor=None, org=tree.union_a1, head_name="李困难", id_number=make_id(seq=600), created_on=D(2025, 1, 6),
        region_code="430121", main_cause="06", monthly_wage=500, family=[])
    assistance.archive_start_notice(actor=None, archive=household, on=D(2025, 1, 6))
    assistance.archive_enter(actor=None, archive=household, on=D(2025, 1, 20))
    app = assistance.application_submit(actor=None, archive=household, type="living", amount_requested="800",
                                        reason="帮扶", applied_on=D(2025, 3, 1))
    assistance.application_review(actor=None, application=app, approve=True, on=D(2025, 3, 2))
    assistance.application_approve(actor=None, application=app, approve=True, on=D(2025, 3, 3))
    assistance.payment_record(actor=None, application=app, paid_on=D(2025, 3, 5), method="bank",
                              fund_source="own")
    assistance.archive_start_review(actor=None, archive=household, on=D(2025, 4, 1))
    spring = Period(D(2025, 1, 1), D(2025, 6, 30))
    assert figure("assistance.amount", tree.town_a, spring) == Decimal("800.00")
    old_path = tree.union_a1.path

    services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2025, 2, 1))

    new_path = tree.union_a1.path
    assert Payment.objects.get().path == new_path
    paths = dict(ArchiveEvent.objects.values_list("kind", "path"))
    assert paths["review_started"] == new_path and paths["entered"] == old_path != new_path
    assert (figure("assistance.amount", tree.town_a, spring), figure("assistance.amount", tree.town_b, spring)) \
        == (0, Decimal("800.00"))
    assert figure("assistance.archives_new", tree.town_a, spring) == 1  # entered in January, under 甲镇


def test_a_visit_follows_a_back_dated_move_of_its_helpers_federation(db):
    _frame()
    t1 = Org.objects.get(code="T1")
    union = services.org_found(actor=None, parent=t1, name="U1公司工会", code="U1", org_type=OrgType.GRASSROOTS,
                               founded_on=D(2023, 1, 1))
    assistance.standard_set(actor=None, region_code="430100", region_name="长沙市", year=2024, monthly="700")
    household = assistance.archive_create(
        actor=None, org=union, head_name="王困难", id_number=make_id(seq=601), created_on=D(2024, 1, 10),
        region_code="430121", main_cause="06", monthly_wage=500, family=[])
    assistance.archive_start_notice(actor=None, archive=household, on=D(2024, 1, 10))
    assistance.archive_enter(actor=None, archive=household, on=D(2024, 1, 25))
    helper = assistance.helper_create(actor=None, org=t1, name="T1镇机关")
    pairing = assistance.pairing_create(actor=None, helper=helper, archive=household, pledged_on=D(2024, 2, 1))
    visit = assistance.visit_record(actor=None, pairing=pairing, visited_on=D(2024, 3, 1), amount="300")
    assert figure("pairing.amount", "C1", H1) == Decimal("300.00")

    services.org_move(actor=None, org=t1, new_parent=Org.objects.get(code="C2"), effective_on=D(2024, 1, 1))

    visit.refresh_from_db()
    assert visit.path == t1.path
    assert (figure("pairing.amount", "C1", H1), figure("pairing.amount", "C2", H1)) == (0, Decimal("300.00"))
