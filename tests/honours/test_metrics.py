"""Figures on hand-built records with known answers (seeds S0 and S4), a back-dated move of a
union between townships, and every breakdown against its figure."""

import datetime as dt
from decimal import Decimal

import pytest

from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.honours import services
from gonghui.honours.models import CareKind, HonourStatus, Level, Recipient, WorkerStatus
from gonghui.orgs import services as org_services

D = dt.date
Y2025 = Period(D(2025, 1, 1), D(2025, 12, 31))


@pytest.fixture
def s4(tree, add_worker):
    """S4 hospital: 8 model workers, 省部级 2, 市级 6, not counting repeated titles. One of the
    市级 holds two city titles, one 省部级 holds a 全国五一劳动奖章 (省部级 treatment) and a city title."""
    ws = [add_worker(tree.union_a1, "省甲", [("省劳动模范", Level.PROVINCIAL, 2010), ("市劳动模范", Level.CITY, 2005)]),
          add_worker(tree.union_a1, "省乙", [("全国五一劳动奖章", Level.NATIONAL, 2018)]),
          add_worker(tree.union_a1, "市甲", [("市劳动模范", Level.CITY, 2008), ("市劳动模范", Level.CITY, 2013)],
                     status=WorkerStatus.RETIRED)]
    ws += [add_worker(tree.union_a2 if i % 2 else tree.union_a1, f"市{i}", [("市劳动模范", Level.CITY, 2015)])
           for i in range(5)]
    # Outside the count: deceased before the cut-off, registered after it, no title at all at b1.
    add_worker(tree.union_a1, "已故", [("市劳动模范", Level.CITY, 2000)], status=WorkerStatus.DECEASED,
               died_on=D(2024, 6, 1))
    add_worker(tree.union_a1, "新登记", [("省劳动模范", Level.PROVINCIAL, 2026)], registered_on=D(2026, 2, 1))
    return ws


def test_s4_model_workers_by_highest_level(tree, s4):
    assert compute("honours.model_workers", tree.town_a, Y2025).value == 8
    assert compute("honours.model_workers_provincial", tree.town_a, Y2025).value == 2
    assert compute("honours.model_workers_city", tree.town_a, Y2025).value == 6
    assert compute("honours.model_workers_national", tree.town_a, Y2025).value == 0
    assert compute("honours.model_workers_retired", tree.root, Y2025).value == 1
    assert compute("honours.model_workers_active", tree.root, Y2025).value == 7
    assert compute("honours.model_workers", tree.union_a2, Y2025).value == 2
    assert compute("honours.model_workers", tree.town_a, Period(D(2024, 1, 1), D(2024, 5, 31))).value == 7  # a1 six + 已故 alive then; a2 founded 2025


@pytest.fixture
def s0(tree, add_worker):
    """S0: check-ups of non-civil-servant model workers, 七一 慰问 of 劳模党员 600 元 × 10."""
    ws = [add_worker(tree.union_a1 if i < 6 else tree.union_b1, f"劳模{i}", [("县劳动模范", Level.COUNTY, 2019)],
                     is_party_member=True) for i in range(10)]
    civil = add_worker(tree.union_a1, "公务员", [("县劳动模范", Level.COUNTY, 2019)], is_civil_servant=True)
    checkup = services.campaign_create(actor=None, org=tree.root, name="2025年劳模体检", kind=CareKind.CHECKUP,
                                       start_on=D(2025, 3, 1), end_on=D(2025, 10, 31))
    july = services.campaign_create(actor=None, org=tree.root, name="七一慰问劳模党员", kind=CareKind.FESTIVAL,
                                    start_on=D(2025, 6, 20), end_on=D(2025, 7, 10), amount=600,
                                    party_members_only=True)
    for w in services.campaign_due(checkup):
        services.care_record(actor=None, worker=w, kind=CareKind.CHECKUP, served_on=D(2025, 4, 15), campaign=checkup)
    for w in services.campaign_due(july):
        services.care_record(actor=None, worker=w, kind=CareKind.FESTIVAL, served_on=D(2025, 7, 1), campaign=july)
    # A second 慰问 of one person: two 人次, one 人.
    services.care_record(actor=None, worker=ws[0], kind=CareKind.FESTIVAL, served_on=D(2025, 9, 30), amount=500)
    services.care_record(actor=None, worker=civil, kind=CareKind.HARDSHIP, served_on=D(2025, 1, 20), amount="2000")
    return ws


def test_s0_care_figures(tree, s0):
    assert compute("honours.checkup_persons", tree.root, Y2025).value == 10  # the civil servant is not due
    assert compute("honours.festival_persons", tree.root, Y2025).value == 10
    assert compute("honours.festival_amount", tree.root, Y2025).value == Decimal("6500.00")
    assert compute("honours.festival_amount", tree.town_b, Y2025).value == Decimal("2400.00")
    assert compute("honours.hardship_persons", tree.root, Y2025).value == 1
    assert compute("honours.hardship_amount", tree.root, Y2025).value == Decimal("2000.00")
    assert compute("honours.care_times", tree.root, Y2025).value == 22
    assert compute("honours.party_model_workers", tree.root, Y2025).value == 10


def test_a_union_moved_between_townships_takes_its_later_rows(tree, s0):
    # a1 moves from 甲镇 to 乙街道 on 2025-06-01, entered after the rows (back-dated).
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2025, 6, 1))
    h1, h2 = Period(D(2025, 1, 1), D(2025, 5, 31)), Period(D(2025, 6, 1), D(2025, 12, 31))
    # check-ups in April stay with 甲镇; the July 慰问 of a1's six follow the union to 乙街道.
    assert compute("honours.checkup_persons", tree.town_a, h1).value == 6
    assert compute("honours.checkup_persons", tree.town_b, h1).value == 4
    assert compute("honours.festival_persons", tree.town_a, h2).value == 0
    assert compute("honours.festival_persons", tree.town_b, h2).value == 10
    # The registry is a stock under the placement on the cut-off.
    assert compute("honours.model_workers", tree.town_a, h1).value == 7
    assert compute("honours.model_workers", tree.town_a, h2).value == 0
    assert compute("honours.model_workers", tree.town_b, h2).value == 11


def _honours(tree):
    def named(org, recipient, name, type, level, on):
        h = services.honour_apply(actor=None, org=org, recipient=recipient, recipient_name=name, honour_type=type,
                                  level=level, issuer="长沙县总工会", year=on.year, applied_on=on - dt.timedelta(days=60))
        for to in (HonourStatus.REVIEW, HonourStatus.NOTICE, HonourStatus.NAMED):
            services.honour_move(actor=None, honour=h, to=to, on=on)
        return h

    named(tree.union_a1, Recipient.COLLECTIVE, "机修班", "pioneer", "county", D(2025, 4, 28))
    named(tree.union_b1, Recipient.COLLECTIVE, "乙一公司", "harmony", "city", D(2025, 4, 28))
    named(tree.union_a1, Recipient.PERSON, "张三", "may_day_medal", "county", D(2025, 4, 28))
    named(tree.union_a1, Recipient.PERSON, "张三", "advanced_worker", "county", D(2025, 12, 1))
    named(tree.union_a2, Recipient.PERSON, "李四", "may_day_medal", "county", D(2024, 4, 28))  # last year
    services.honour_apply(actor=None, org=tree.union_a1, recipient=Recipient.PERSON, recipient_name="王五",
                          honour_type="may_day_medal", level="county", issuer="县总", year=2025,
                          applied_on=D(2025, 3, 1))  # applied, not named


def test_honours_by_type_level_and_year(tree):
    _honours(tree)
    assert compute("honours.person_honours", tree.root, Y2025).value == 2
    assert compute("honours.collective_honours", tree.root, Y2025).value == 2
    assert compute("honours.collective_honours", tree.root, Y2025, filters={"type": "pioneer"}).value == 1
    assert compute("honours.collective_honours", tree.root, Y2025, filters={"level": "city"}).value == 1
    assert compute("honours.person_honours", tree.root, Period(D(2024, 1, 1), D(2024, 12, 31))).value == 1
    assert compute("honours.person_honours", tree.town_b, Y2025).value == 0


def test_s4_honours_by_issuer_and_the_double_advanced(tree):
    """S4: 双先 (an employer's own 先进集体, 劳模 and 先进个人) apart from the honours of the city, the
    provincial coal bureau and the provincial government (人 and 集体 by issuer)."""
    def named(recipient, type, level, issuer, n):
        for i in range(n):
            h = services.honour_apply(actor=None, org=tree.union_a1, recipient=recipient, recipient_name=f"获得者{i}",
                                      honour_type=type, level=level, issuer=issuer, year=2025,
                                      applied_on=D(2025, 2, 1))
            for to in (HonourStatus.REVIEW, HonourStatus.NOTICE, HonourStatus.NAMED):
                services.honour_move(actor=None, honour=h, to=to, on=D(2025, 4, 28))

    named(Recipient.COLLECTIVE, "advanced_collective", "internal", "某医院", 4)
    named(Recipient.PERSON, "model_worker", "internal", "某医院", 2)
    named(Recipient.PERSON, "advanced_worker", "internal", "某医院", 5)
    named(Recipient.PERSON, "may_day_medal", "provincial", "省煤炭工会", 3)
    named(Recipient.COLLECTIVE, "pioneer", "provincial", "省煤炭工会", 1)
    person, collective = (lambda **f: compute("honours.person_honours", tree.root, Y2025, filters=f).value,
                          lambda **f: compute("honours.collective_honours", tree.root, Y2025, filters=f).value)
    assert collective(type="advanced_collective", level="internal") == 4
    assert person(type="model_worker") == 2 and person(type="advanced_worker", level="internal") == 5
    assert person(issuer="省煤炭工会") == 3 and collective(issuer="省煤炭工会") == 1
    assert person(issuer="某医院") == 7
    choices = dict(REGISTRY["honours.person_honours"].filters[2].choices(tree.root, Y2025))
    assert set(choices) == {"某医院", "省煤炭工会"}


def test_homes_and_home_rate(tree):
    services.home_rate(actor=None, org=tree.union_a1, level="model", rated_on=D(2024, 5, 1))
    r = services.home_rate(actor=None, org=tree.union_b1, level="county", rated_on=D(2025, 5, 1))
    assert compute("honours.homes_rated", tree.root, Y2025).value == 2
    assert compute("honours.homes_rated", tree.root, Y2025, filters={"level": "county"}).value == 1
    v = compute("honours.home_rate", tree.root, Y2025)
    assert (v.numerator, v.denominator, v.value) == (2, 3, Decimal("66.67"))
    services.home_revoke(actor=None, rating=r, on=D(2025, 9, 1))
    assert compute("honours.home_rate", tree.root, Y2025).numerator == 1
    assert compute("honours.home_rate", tree.root, Period(D(2025, 1, 1), D(2025, 8, 31))).numerator == 2


def test_breakdowns_equal_the_figure_per_part(tree, s4, s0):
    _honours(tree)
    services.home_rate(actor=None, org=tree.union_a1, level="model", rated_on=D(2024, 5, 1))
    for code, m in REGISTRY.items():
        if not code.startswith("honours.") or m.breakdown is None:
            continue
        parts = m.breakdown(tree.root, Y2025)
        for child in (tree.town_a, tree.town_b):
            got = parts.get(child.path, m.empty if m.empty is not None else 0)
            want = compute(code, child, Y2025)
            if m.is_rate:
                assert (got.numerator, got.denominator) == (want.numerator, want.denominator), code
            else:
                assert (got or 0) == want.value, code
        rows = list(m.records(tree.town_a, Y2025, True).queryset) if m.records else []
        if not m.is_rate and m.unit in ("人次", "项", "家"):
            assert len(rows) == compute(code, tree.town_a, Y2025).value, code
