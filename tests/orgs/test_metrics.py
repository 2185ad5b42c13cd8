"""Org figures on the hand-built tree, with known answers, including as-of-date figures."""

import datetime as dt

from stdnum.cn import uscc

from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.orgs import services

D = dt.date


def valid_uscc(first16: str) -> str:
    body = first16 + "1"
    return body + uscc.calc_check_digit(body)


def value(code, org, period, subs=True):
    return compute(code, org, period, subs)


def test_stock_figures_are_taken_as_of_the_cut_off(tree):
    assert value("orgs.unions_total", tree.root, Period.year(2024)).value == 2  # a2 founded 2025
    assert value("orgs.unions_total", tree.root, Period.year(2025)).value == 3
    assert value("orgs.unions_total", tree.town_a, Period.year(2025)).value == 2
    assert value("orgs.unions_total", tree.town_a, Period.year(2025), subs=False).value == 0
    assert value("orgs.unions_total", tree.union_a1, Period.year(2025), subs=False).value == 1


def test_flow_figures_count_events_in_the_period(tree):
    assert value("orgs.unions_new", tree.root, Period.year(2025)).value == 1
    assert value("orgs.unions_new", tree.root, Period(D(2020, 1, 1), D(2021, 12, 31))).value == 2
    assert value("orgs.unions_new", tree.town_b, Period.year(2025)).value == 0


def test_coverage_rate_counts_required_employers_covered_on_the_cut_off(tree):
    v = value("orgs.coverage_rate", tree.root, Period.year(2025))
    # required: a1 (30), a2 (60), a3 (100), b1 (40); a4 has 5 people. covered: a1, a2, b1.
    assert (v.numerator, v.denominator, str(v.value)) == (3, 4, "75.00")
    v2024 = value("orgs.coverage_rate", tree.root, Period.year(2024))
    assert (v2024.numerator, v2024.denominator) == (2, 4)  # a2's union came in 2025
    town_a = value("orgs.coverage_rate", tree.town_a, Period.year(2025))
    assert (town_a.numerator, town_a.denominator) == (2, 3)


def test_coverage_rate_follows_the_override_and_dissolution(tree):
    services.employer_update(actor=None, employer=tree.emp["a3"], required_override=False)
    v = value("orgs.coverage_rate", tree.root, Period.year(2025))
    assert (v.numerator, v.denominator) == (3, 3)
    services.org_dissolve(actor=None, org=tree.union_b1, dissolved_on=D(2025, 9, 1), reason="企业关闭")
    after = value("orgs.coverage_rate", tree.root, Period.year(2025))
    before = value("orgs.coverage_rate", tree.root, Period(D(2025, 1, 1), D(2025, 8, 31)))
    assert (after.numerator, before.numerator) == (2, 3)
    assert value("orgs.dissolved", tree.root, Period.year(2025)).value == 1
    assert value("orgs.unions_total", tree.root, Period.year(2025)).value == 2


def test_a_back_dated_move_changes_figures_from_its_date_only(tree):
    services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2024, 7, 1))
    h1, h2 = Period.half(2024, 1), Period.half(2024, 2)
    assert value("orgs.unions_total", tree.town_a, h1).value == 1
    assert value("orgs.unions_total", tree.town_b, h1).value == 1
    assert value("orgs.unions_total", tree.town_a, h2).value == 0
    assert value("orgs.unions_total", tree.town_b, h2).value == 2
    assert value("orgs.moved_out", tree.town_a, Period.year(2024)).value == 1
    assert value("orgs.moved_in", tree.town_b, Period.year(2024)).value == 1
    assert value("orgs.moved_out", tree.root, Period.year(2024)).value == 0  # moved inside the county
    # The employer's coverage rate did not move: the employer stays in town A's area.
    assert value("orgs.employers_covered", tree.town_a, Period.year(2024)).value == 1


def test_renames_and_reelections_in_the_period(tree):
    services.org_rename(actor=None, org=tree.union_a1, new_name="甲一集团工会", effective_on=D(2025, 4, 1))
    services.org_reelect(actor=None, org=tree.union_a1, elected_on=D(2025, 5, 1), term_years=5)
    p = Period.year(2025)
    assert value("orgs.renamed", tree.root, p).value == 1
    assert value("orgs.reelections", tree.root, p).value == 1
    assert value("orgs.renamed", tree.root, Period.year(2024)).value == 0


def test_terms_overdue_as_of_a_date(tree):
    # a1: elected 2020-03-01 for 3 years -> ends 2023-03-01.
    assert value("orgs.terms_overdue", tree.root, Period.year(2022)).value == 0
    assert value("orgs.terms_overdue", tree.root, Period.year(2024)).value == 1
    services.org_reelect(actor=None, org=tree.union_a1, elected_on=D(2024, 6, 1), term_years=3)
    assert value("orgs.terms_overdue", tree.root, Period.year(2024)).value == 0
    # The figure for 2023 does not change when the re-election is recorded later.
    assert value("orgs.terms_overdue", tree.root, Period.year(2023)).value == 1


def test_womens_committee_and_legal_person_rates(tree):
    from gonghui.members import services as member_services
    from tests.members.conftest import make_id

    p = Period.year(2025)
    # DOMAIN F10: unions with >= 10 女会员 should have a 女职工委员会. a1 (which has one) and b1
    # get 10 women members each, a2 nine; a1's tenth leaves at the end of 2025.
    seq = iter(range(1, 100))
    for union, n in ((tree.union_a1, 10), (tree.union_a2, 9), (tree.union_b1, 10)):
        for _ in range(n):
            m = member_services.member_join(actor=None, union=union, name="女会员", joined_on=D(2025, 3, 1),
                                            id_number=make_id("19900101", next(seq), female=True))
    member_services.member_join(actor=None, union=tree.union_a2, name="男会员", joined_on=D(2025, 3, 1),
                                id_number=make_id("19900101", next(seq)))
    v = value("orgs.womens_committee_rate", tree.root, p)
    assert (v.numerator, v.denominator) == (1, 2)
    assert value("orgs.womens_committee_rate", tree.root, Period.year(2024)).denominator == 0  # none yet
    member_services.member_leave(actor=None, membership=m, status="withdrawn", effective_on=D(2025, 12, 31), reason="离职")
    v = value("orgs.womens_committee_rate", tree.root, p)
    assert (v.numerator, v.denominator) == (1, 1)  # b1 is down to nine on 31 December
    lp = value("orgs.legal_person_rate", tree.root, p)
    assert (lp.numerator, lp.denominator) == (0, 3)
    services.org_register_legal_person(actor=None, org=tree.union_b1, uscc=valid_uscc("81430121MA4L0000"),
                                       cert_no="工法证字第1号", issued_on=D(2025, 1, 5))
    lp = value("orgs.legal_person_rate", tree.root, p)
    assert (lp.numerator, lp.denominator) == (1, 3)
    before = value("orgs.legal_person_rate", tree.root, Period.year(2024))
    assert (before.numerator, before.denominator) == (0, 2)


def test_rates_with_no_denominator_are_empty_not_zero(tree):
    v = value("orgs.coverage_rate", tree.town_b, Period.year(2000))
    assert v.value is None and v.denominator == 0
