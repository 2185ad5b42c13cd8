"""The S1 sentence (缴交企业198家，已完善返还手续168家，未完善30家，经费1317.31万元，月均131.73万元),
scaled down to 10 / 8 / 2 and 13,173.10 元 over January–October, from hand-built records; one of
the township's unions came from the other township on 1 June (the move entered after its receipts)."""

import sys
from pathlib import Path

import pytest
from django.db import connection

from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.funds import services
from gonghui.orgs import services as org_services
from gonghui.orgs.models import OrgType

from .conftest import D, Decimal, receipt, valid_uscc

PERIOD = Period(D(2025, 1, 1), D(2025, 10, 31))
CODES = [code for code in REGISTRY if code.startswith("funds.")]


def _complete(union, on=None):
    services.formality_save(actor=None, union=union, bank_name="长沙银行", account_name=union.name,
                            account="62220200" + f"{union.pk:08d}", certificate_no=f"工法证{union.pk}",
                            agreement_on=D(2025, 1, 5), on=on or D(2025, 1, 10))


@pytest.fixture
def s1(funded):
    t = funded
    for month in range(1, 11):  # 甲一: 500 a month, declared and paid
        receipt(t, f"A1-{month}", "500", D(2025, month, 15), month=D(2025, month, 1), payroll="25000")
    for i in range(1, 7):  # six more companies with unions, one payment each
        union = org_services.org_found(actor=None, parent=t.town_a, name=f"新{i}公司工会", org_type=OrgType.GRASSROOTS,
                                       founded_on=D(2024, 1, 1), code=f"N{i}")
        emp = org_services.employer_create(actor=None, org=t.town_a, name=f"新{i}公司", headcount=50,
                                           uscc=valid_uscc(f"9143012100000000{i}"))
        org_services.coverage_start(actor=None, union=union, employer=emp, valid_from=D(2024, 1, 1))
        receipt(t, f"N{i}", "1000", D(2025, i, 20), emp=emp.uscc)
        _complete(union)
    receipt(t, "A2-1", "1000", D(2025, 1, 20), emp="a2", month=D(2025, 1, 1), payroll="50000")  # 筹备金 then
    receipt(t, "A3-1", "173.10", D(2025, 2, 20), emp="a3", month=D(2025, 1, 1), payroll="20000")  # 欠 226.90
    receipt(t, "B1-3", "700", D(2025, 3, 20), emp="b1")  # before the move: 乙街道
    receipt(t, "B1-8", "1000", D(2025, 8, 20), emp="b1", month=D(2025, 8, 1), payroll="60000")  # 欠 200
    receipt(t, "X-1", "88", D(2025, 11, 2), emp="a1")  # after the period
    _complete(t.union_a1)
    _complete(t.union_b1)
    services.formality_save(actor=None, union=t.union_a2, bank_name="长沙银行", account="6222020099990000",
                            on=D(2025, 3, 1))  # 未完善: no certificate, no agreement
    org_services.org_move(actor=None, org=t.union_b1, new_parent=t.town_a, effective_on=D(2025, 6, 1))
    for org in (t.root, t.town_a, t.town_b, t.union_b1):
        org.refresh_from_db()
    return t


def fig(code, org, subs=True):
    return compute(code, org, PERIOD, subs)


def test_s1_sentence_for_the_township(s1):
    a = s1.town_a
    assert fig("funds.payers", a).value == 10
    assert fig("funds.formality_complete", a).value == 8
    assert fig("funds.formality_incomplete", a).value == 2
    assert fig("funds.formality_rate", a) == fig("funds.formality_rate", a).__class__(Decimal("80.00"), 8, 10)
    assert fig("funds.total", a).value == Decimal("13173.10")
    assert fig("funds.monthly_avg", a).value == Decimal("1317.31")


def test_dues_paid_arrears_and_rate(s1):
    a = s1.town_a
    assert fig("funds.due", a).value == Decimal("7600.00")
    assert fig("funds.paid", a).value == Decimal("7173.10")
    assert fig("funds.arrears", a).value == Decimal("426.90")
    # 甲二 before its union and 甲三 (no union): 筹备金.
    assert fig("funds.preparation_due", a).value == Decimal("1400.00")
    assert fig("funds.preparation_paid", a).value == Decimal("1173.10")
    rate = fig("funds.collection_rate", a)
    assert (rate.value, rate.numerator, rate.denominator) == (Decimal("94.38"), Decimal("7173.10"), Decimal("7600.00"))


def test_the_moved_union_counts_under_each_township_for_its_own_dates(s1):
    b = s1.town_b
    assert fig("funds.payers", b).value == 1 and fig("funds.total", b).value == Decimal("700.00")
    assert fig("funds.formality_complete", b).value == 1
    # The county counts the moving employer once; money adds up.
    root = s1.root
    assert fig("funds.payers", root).value == 10
    assert fig("funds.total", root).value == Decimal("13873.10")
    # Under its position on the cut-off (in 甲镇), the union shows what came after the move.
    assert fig("funds.total", s1.union_b1).value == Decimal("1000.00")


def test_own_level_of_the_township_is_what_has_no_union(s1):
    a = s1.town_a
    # 甲二 (before its union) and 甲三 pay under the township itself.
    assert fig("funds.total", a, subs=False).value == Decimal("1173.10")
    assert fig("funds.payers", a, subs=False).value == 2


@pytest.mark.parametrize("code", CODES)
def test_breakdowns_agree_with_the_figure_per_child(s1, code):
    m = REGISTRY[code]
    assert m.breakdown is not None
    root = s1.root
    parts = m.breakdown(root, PERIOD)
    for child in (s1.town_a, s1.town_b):
        want = fig(code, child)
        got = parts.get(child.path, m.empty if m.empty is not None else 0)
        got_value = got.value if hasattr(got, "value") else got
        assert got_value == want.value, code


def test_twins_agree(s1):
    bench = Path(__file__).resolve().parents[2] / "bench"
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    from twins import funds as twin_module

    with connection.cursor() as cursor:
        for org in (s1.root, s1.town_a, s1.town_b):
            for code, twin in twin_module.twins().items():
                assert twin.answer(compute(code, org, PERIOD)) == twin.run(cursor, org.path, PERIOD), (code, org.name)


def test_record_lists(s1):
    a = s1.town_a
    recs = REGISTRY["funds.formality_incomplete"].records(a, PERIOD, True)
    assert sorted(e.name for e in recs.queryset) == ["甲三公司", "甲二公司"]
    rate = REGISTRY["funds.formality_rate"].records(a, PERIOD, True)
    assert rate.queryset.count() == 10 and rate.queryset.filter(rate.met).count() == 8
    arrears = REGISTRY["funds.arrears"].records(a, PERIOD, True)
    assert sorted(d.employer.name for d in arrears.queryset) == ["乙一公司", "甲三公司"]


def test_refund_amounts(s1, approver, personas):
    refund = services.refund_prepare(actor=personas.town_clerk, union=s1.union_a1, start=D(2025, 1, 1),
                                     end=D(2025, 6, 30), on=D(2025, 7, 1))
    assert refund.amount == Decimal("1800.00")  # 60 % of 6 × 500
    services.refund_approve(actor=approver, refund=refund, on=D(2025, 7, 2))
    assert fig("funds.refund_approved", s1.town_a).value == Decimal("1800.00")
    assert fig("funds.refund_paid", s1.town_a).value == Decimal("0.00")
    services.refund_pay(actor=personas.town_clerk, refund=refund, paid_on=D(2025, 7, 10))
    assert fig("funds.refund_paid", s1.root).value == Decimal("1800.00")



def test_dues_rate(s1):
    services.dues_record(actor=None, union=s1.union_a1, month=D(2025, 3, 1), members=28, wage_base="140000",
                         paid="650")
    services.dues_record(actor=None, union=s1.union_b1, month=D(2025, 3, 1), members=40, wage_base="200000",
                         paid="1000")  # before the move: 乙街道
    rate = fig("funds.dues_rate", s1.town_a)
    assert (rate.value, rate.numerator, rate.denominator) == (Decimal("92.86"), Decimal("650.00"), Decimal("700.00"))
    assert fig("funds.dues_paid", s1.town_b).value == Decimal("1000.00")
    assert fig("funds.dues_due", s1.root).value == Decimal("1700.00")


def test_work_summary_sentence_is_s1s(s1):
    from gonghui.funds.metrics import summary_sentences

    text = summary_sentences(s1.town_a, PERIOD)
    assert text[0] == "工会经费方面，缴交企业10家，已完善返还手续8家，未完善2家，经费1.32万元，月均1,317.31元。"
    assert text[1].startswith("经费收缴率94.38%，欠缴426.90元，应缴工会筹备金1,400.00元")
