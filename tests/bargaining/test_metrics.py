"""Bargaining figures on hand-built contracts with known answers.

Data (tree of tests/conftest.py; all employers are private, so non-public):
  已建会非公企业: 甲一 (30), 甲二 (60), 乙一 (40); 甲三 (100) has no union.
  1. 甲一 wage agreement through the six steps: signed 30 Mar 2026, in force 18 Apr 2026 – 31 Mar 2027, +10 %.
  2. 甲镇 regional wage agreement for 甲一 and 甲三, signed 10 Jan 2026, in force 1 Feb 2026 – 31 Jan 2027, +8 %.
  3. 乙一 general collective contract signed 15 May 2025, 1 Jun 2025 – 31 May 2026 (expired by the cut-off).
  4. 甲二 women's special contract signed 1 Jun 2026, 1 Jul 2026 – 30 Jun 2028.
"""

import datetime as dt
from decimal import Decimal

import pytest

from gonghui.bargaining import services as s
from gonghui.bargaining.models import ContractType, Status
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.democracy import services as democracy

from ..democracy.conftest import make_congress
from .conftest import drive

D = dt.date
pytestmark = pytest.mark.django_db
YEAR = Period(D(2026, 1, 1), D(2026, 12, 31))
H1 = Period(D(2026, 1, 1), D(2026, 6, 30))


@pytest.fixture
def contracts(tree):
    one = drive(tree, Status.PUBLISHED)
    s.contract_update_terms(actor=None, contract=one, wage_increase_pct=Decimal("10.00"))
    two = s.contract_register(actor=None, org=tree.town_a, contract_type=ContractType.WAGE, title="甲镇区域性工资专项集体协议",
                              employers=[tree.emp["a1"], tree.emp["a3"]], scope_kind="regional",
                              signed_on=D(2026, 1, 10), start_on=D(2026, 2, 1), end_on=D(2027, 1, 31),
                              effective_on=D(2026, 2, 1), published_on=D(2026, 2, 5), wage_increase_pct=Decimal("8"))
    three = s.contract_register(actor=None, org=tree.union_b1, contract_type=ContractType.GENERAL, title="乙一综合",
                                employers=[tree.emp["b1"]], signed_on=D(2025, 5, 15), start_on=D(2025, 6, 1),
                                end_on=D(2026, 5, 31), filed_on=D(2025, 5, 16))
    four = s.contract_register(actor=None, org=tree.union_a2, contract_type=ContractType.WOMEN, title="甲二女职工专项",
                               employers=[tree.emp["a2"]], signed_on=D(2026, 6, 1), start_on=D(2026, 7, 1),
                               end_on=D(2028, 6, 30), women_clauses=["四期保护"])
    s.inspection_record(actor=None, contract=one, checked_on=D(2026, 7, 1), items_checked=10, items_fulfilled=9)
    s.inspection_record(actor=None, contract=two, checked_on=D(2026, 8, 1), items_checked=10, items_fulfilled=10)
    s.inspection_record(actor=None, contract=three, checked_on=D(2025, 12, 1), items_checked=5, items_fulfilled=1)
    return one, two, three, four


def v(code, org, period=YEAR, subs=True):
    return compute(code, org, period, subs).value


def test_flow_figures(tree, contracts):
    assert v("bargaining.contracts_signed", tree.root) == 3
    assert v("bargaining.contracts_signed", tree.root, Period(D(2025, 1, 1), D(2025, 12, 31))) == 1
    assert v("bargaining.wage_agreements_signed", tree.root) == 2
    assert v("bargaining.wage_agreements_signed", tree.town_a, subs=False) == 1  # the regional one
    assert v("bargaining.womens_contracts_signed", tree.root) == 1
    assert v("bargaining.womens_contracts_signed", tree.root, H1) == 1
    # 甲一 is bound by two wage agreements signed this year but is one enterprise.
    assert v("bargaining.employers_signed", tree.root) == 2  # 甲一, 甲三
    assert v("bargaining.avg_wage_increase_pct", tree.root) == Decimal("9.00")
    share = compute("bargaining.increase_ge_10pct_share", tree.root, YEAR)
    assert (share.numerator, share.denominator, share.value) == (1, 2, Decimal("50.00"))
    ful = compute("bargaining.fulfilment_rate", tree.root, YEAR)
    assert (ful.numerator, ful.denominator) == (19, 20)
    assert compute("bargaining.fulfilment_rate", tree.town_b, YEAR).value is None  # checked in 2025


def test_stock_figures_as_of_the_cut_off(tree, contracts):
    # 30 Jun 2026: 1 (from 18 Apr), 2 in force; 3 ended 31 May; 4 starts 1 Jul.
    assert v("bargaining.contracts_in_force", tree.root, H1) == 2
    assert v("bargaining.employers_covered", tree.root, H1) == 2  # 甲一 once, 甲三
    assert v("bargaining.employees_covered", tree.root, H1) == 130
    # 31 Dec 2026: 1, 2 and 4 in force; 2 ends 31 Jan 2027 and 1 on 31 Mar 2027, within three months.
    assert v("bargaining.contracts_in_force", tree.root) == 3
    assert v("bargaining.contracts_expiring", tree.root) == 2
    assert v("bargaining.employers_covered", tree.root) == 3
    assert v("bargaining.employees_covered", tree.root) == 190
    # 31 Mar 2026: the regional agreement and 乙一's contract (甲一's is under review until 18 Apr).
    q1 = Period(D(2026, 1, 1), D(2026, 3, 31))
    assert v("bargaining.contracts_in_force", tree.root, q1) == 2
    assert v("bargaining.contracts_in_force", tree.union_a1, q1) == 0
    assert v("bargaining.employers_covered", tree.root, Period(D(2025, 1, 1), D(2025, 12, 31))) == 1


def test_rates_on_unionised_non_public_employers(tree, contracts):
    wage = compute("bargaining.wage_agreement_rate", tree.root, YEAR)
    assert (wage.numerator, wage.denominator, wage.value) == (1, 3, Decimal("33.33"))  # 甲一 of 甲一/甲二/乙一
    women = compute("bargaining.womens_contract_rate", tree.root, YEAR)
    assert (women.numerator, women.denominator) == (1, 3)
    # 集体合同签订率 is taken over the non-public employers with a 职代会 (DOMAIN §3.6): none yet.
    y2025 = Period(D(2025, 1, 1), D(2025, 12, 31))
    general = compute("bargaining.collective_contract_rate", tree.root, y2025)
    assert (general.numerator, general.denominator) == (0, 0)
    # 乙一 sets up its congress, 甲三 (no union) is covered by 甲镇's regional one from 2025.
    make_congress(tree, "b1")
    regional = democracy.congress_create(actor=None, org=tree.town_a, name="甲镇区域性职代会", scope_kind="regional",
                                         established_on=D(2025, 3, 1), employers=[tree.emp["a3"]])
    general = compute("bargaining.collective_contract_rate", tree.root, y2025)
    assert (general.numerator, general.denominator) == (1, 2)  # 乙一's, in force on 31 Dec 2025; 甲三 has none
    assert compute("bargaining.collective_contract_rate", tree.root, YEAR).numerator == 0
    assert compute("bargaining.collective_contract_rate", tree.town_a, y2025).denominator == 1
    # Before the regional congress existed, 甲三 was not counted; after it ended, neither.
    assert compute("bargaining.collective_contract_rate", tree.root, Period(D(2025, 1, 1), D(2025, 2, 28))
                   ).denominator == 1
    democracy.congress_end(actor=None, congress=regional, ended_on=D(2025, 6, 30))
    assert compute("bargaining.collective_contract_rate", tree.root, y2025).denominator == 1


def test_counts_add_up_over_the_tree(tree, contracts):
    nodes = {tree.root: [tree.town_a, tree.town_b], tree.town_a: [tree.union_a1, tree.union_a2],
             tree.town_b: [tree.union_b1]}
    for code, m in REGISTRY.items():
        if not code.startswith("bargaining.") or m.unit == "%":
            continue
        for period in (YEAR, H1):
            for parent, children in nodes.items():
                whole = v(code, parent, period)
                parts = v(code, parent, period, subs=False) + sum(v(code, c, period) for c in children)
                assert whole == parts, (code, parent.name, period)


def test_the_records_behind_each_count_are_as_many_as_the_count(tree, contracts):
    for code, m in REGISTRY.items():
        # A rate's records are its denominator's, split by `met` (tests/reports/test_rate_records.py).
        if not code.startswith("bargaining.") or m.records is None or code.endswith("employees_covered") \
                or m.is_rate:
            continue
        for period in (YEAR, H1):
            records = m.records(tree.root, period, True)
            assert records.queryset.count() == v(code, tree.root, period), code
            assert all(records.row(r).url for r in records.queryset)


def test_the_registry_filters_by_a_figures_node(client, tree, personas, contracts):
    client.force_login(personas.county_admin)
    body = client.get(f"/bargaining/?org={tree.town_b.code}").content.decode()
    assert "乙一综合" in body and "甲镇区域性" not in body
    assert client.get("/bargaining/?org=NOPE").status_code == 404


def test_each_breakdown_agrees_with_the_metric_per_subordinate(tree, contracts):
    from gonghui.orgs.selectors import path_on

    for code, m in REGISTRY.items():
        if not code.startswith("bargaining.") or m.breakdown is None:
            continue
        for period in (YEAR, H1):
            for parent, children in ((tree.root, [tree.town_a, tree.town_b]), (tree.town_a, [tree.union_a1,
                                                                                             tree.union_a2])):
                parts = m.breakdown(parent, period)
                expected = {path_on(parent, period.end): compute(code, parent, period, False)}
                expected.update({path_on(c, period.end): compute(code, c, period, True) for c in children})
                for key, value in expected.items():
                    got = parts.get(key)
                    if m.is_rate:  # a Value; a subordinate without any employer is missing: no rate
                        assert (got.value if got else None) == value.value, (code, parent.name, key)
                    else:
                        assert (got or 0) == value.value, (code, parent.name, key)


def test_regional_and_industry_contracts_count_the_employers_and_employees_they_cover(tree, contracts):
    """The 全总 report's 区域性/行业性 lines: the contracts in force, and the employers they bind with
    their headcounts at signing, each employer once; enterprise contracts are not in them."""
    from gonghui.bargaining.models import Contract, ContractEmployer

    at = YEAR.end
    regional = [c for c in Contract.objects.filter(scope="regional") if c.in_force_on(at)]
    parties = ContractEmployer.objects.filter(contract__in=regional)
    largest: dict[int, int] = {}
    for p in parties:
        largest[p.employer_id] = max(largest.get(p.employer_id, 0), p.employees)
    assert regional, "the fixture has a regional contract in force"
    assert v("bargaining.regional_contracts_in_force", tree.root, YEAR) == len(regional)
    assert v("bargaining.regional_employers_covered", tree.root, YEAR) == len(largest)
    assert v("bargaining.regional_employees_covered", tree.root, YEAR) == sum(largest.values())
    assert v("bargaining.industry_contracts_in_force", tree.root, YEAR) == 0
    assert v("bargaining.industry_employees_covered", tree.root, YEAR) == 0


def test_employer_figures_together_as_alone_and_reading_the_subtree_once(tree, contracts):
    """Inside sharing() (a dashboard, the summary) the employer figures of orgs, bargaining and
    democracy read the subtree's employer orgs once, and the rate bases they have in common once,
    with the answers each gives alone (issue 14)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.core.metrics import sharing

    codes = [c for c in REGISTRY if c.startswith(("bargaining.", "orgs.employers", "orgs.coverage",
                                                   "democracy.congress", "democracy.regional", "democracy.disclosure_system"))]
    for org in (tree.root, tree.town_a, tree.union_a1):
        for period in (YEAR, H1):
            for subs in (True, False):
                alone = {c: compute(c, org, period, subs) for c in codes}
                with sharing():
                    together = {c: compute(c, org, period, subs) for c in codes}
                assert together == alone, (org.name, period, subs)
    with CaptureQueriesContext(connection) as one_by_one:
        for c in codes:
            compute(c, tree.town_a, YEAR)
    with sharing(), CaptureQueriesContext(connection) as shared_reads:
        for c in codes:
            compute(c, tree.town_a, YEAR)
    assert len(shared_reads) < len(one_by_one) - 5
