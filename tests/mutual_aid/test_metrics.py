"""The figures on hand-built records with known answers, their breakdowns and records, and their
SQL twins (bench/twins/mutual_aid.py) on the same records, incl. a union moved between townships."""

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.mutual_aid import services
from gonghui.orgs import services as org_services

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from hand_sql import path_on  # noqa: E402
from twins import mutual_aid as twins_module  # noqa: E402

D = dt.date
Y2025 = Period.year(2025)


def _pay(claim, on):
    services.claim_review(actor=None, claim=claim, on=on)
    services.claim_approve(actor=None, claim=claim, on=on)
    return services.claim_pay(actor=None, claim=claim, on=on)


def _claim(item, diagnosed_on, benefit="A"):
    return services.claim_register(actor=None, item=item, registered_on=diagnosed_on, diagnosis="乳腺癌",
                                   benefit_code=benefit, diagnosed_on=diagnosed_on, hospital="县医院",
                                   treatment="surgery")


@pytest.fixture
def records(tree, women, enrol, plan):
    """甲一 (甲镇): 5 women, 4 enrolled on 1 Mar 2025 with 2 份 each (eligible 5); one claim paid in
    full (2 × 10,000), one inside the waiting period (慰问金 1,000), one rejected.
    乙一 (乙街道): 2 women enrolled with 1 份 on 1 Feb 2025; the union moves to 甲镇 on 1 Sep 2025.
    An enrolment of 2024 (甲一, 1 person) counts in 人次 only."""
    t2024 = services.term_create(actor=None, plan=plan, name="2024年度", opens_on=D(2024, 1, 1),
                                 closes_on=D(2024, 12, 31))
    a1 = women(n=5)
    b1 = women(union=tree.union_b1, n=2)
    old = women(n=1)
    enrol(old, t=t2024, on=D(2024, 1, 10), eligible=1)  # ended 10 Jan 2025, not renewed
    batch_a = enrol(a1[:4], units=2, eligible=5)
    batch_b = enrol(b1, union=tree.union_b1, on=D(2025, 2, 1), eligible=2)
    items = list(batch_a.items.order_by("row_no"))
    _pay(_claim(items[0], D(2025, 7, 1)), D(2025, 7, 20))  # 20,000, ends the cover on 20 Jul
    _pay(_claim(items[1], D(2025, 4, 15)), D(2025, 4, 30))  # day 45 of the waiting period: 1,000
    services.claim_reject(actor=None, claim=_claim(items[2], D(2025, 8, 1)), on=D(2025, 8, 5), reason="材料不实")
    org_services.org_move(actor=None, org=tree.union_b1, new_parent=tree.town_a, effective_on=D(2025, 9, 1))
    return batch_a, batch_b


EXPECTED = {
    # code: (county, 甲镇, 乙街道) for 2025, cut-off 31 Dec 2025
    "mutual_aid.insured": (5, 5, 0),  # 甲一 4 − 1 paid out + 乙一 2 (now under 甲镇)
    "mutual_aid.person_times": (7, 5, 2),  # since 2010: 2024's 1 + 4 + 2
    "mutual_aid.premium": (Decimal("150.00"), Decimal("120.00"), Decimal("30.00")),
    "mutual_aid.sum_insured": (Decimal("80000.00"), Decimal("80000.00"), Decimal("0.00")),
    "mutual_aid.claimants": (2, 2, 0),
    "mutual_aid.claims_paid": (2, 2, 0),
    "mutual_aid.claim_amount": (Decimal("21000.00"), Decimal("21000.00"), Decimal("0.00")),
}
RATES = {
    "mutual_aid.coverage_rate": ((6, 7), (4, 5), (2, 2)),
    "mutual_aid.incidence_rate": ((2, 5), (2, 5), (0, 0)),
    "mutual_aid.loss_ratio": ((Decimal("21000.00"), Decimal("150.00")), (Decimal("21000.00"), Decimal("120.00")),
                              (Decimal("0.00"), Decimal("30.00"))),
}


def test_figures_on_known_records(tree, records):
    for code, answers in EXPECTED.items():
        got = tuple(compute(code, org, Y2025).value for org in (tree.root, tree.town_a, tree.town_b))
        assert got == answers, code
    for code, answers in RATES.items():
        got = tuple((v.numerator, v.denominator) for v in
                    (compute(code, org, Y2025) for org in (tree.root, tree.town_a, tree.town_b)))
        assert got == answers, code
    assert compute("mutual_aid.coverage_rate", tree.root, Y2025).value == Decimal("85.71")
    assert compute("mutual_aid.loss_ratio", tree.root, Y2025).value == Decimal("14000.00")


def test_insured_on_an_earlier_cut_off(tree, records):
    # 30 Jun 2025: all 6 in force (the payout ends a cover on 20 Jul), 乙一 still under 乙街道.
    h1 = Period(D(2025, 1, 1), D(2025, 6, 30))
    assert compute("mutual_aid.insured", tree.root, h1).value == 6
    assert compute("mutual_aid.insured", tree.town_b, h1).value == 2
    assert compute("mutual_aid.claims_paid", tree.root, h1).value == 1


def test_breakdowns_match_the_figures(tree, records):
    base = tree.root.path
    for code in (*EXPECTED, *RATES):
        parts = REGISTRY[code].breakdown(tree.root, Y2025)
        town_a = parts.get(tree.town_a.path)
        want = compute(code, tree.town_a, Y2025)
        got = getattr(town_a, "value", town_a)
        assert got == want.value, code
        assert base not in parts or code in RATES or parts[base] in (0, Decimal("0.00")), code


def test_records_list_the_rows_and_never_a_diagnosis(tree, records):
    rec = REGISTRY["mutual_aid.claimants"].records(tree.root, Y2025, True)
    rows = [rec.row(r) for r in rec.queryset]
    assert len(rows) == 2 and all("乳腺" not in r.label for r in rows)
    rec = REGISTRY["mutual_aid.insured"].records(tree.root, Y2025, True)
    assert rec.queryset.count() == 5


def test_twins_agree_on_the_same_records(tree, records):
    with connection.cursor() as cursor:
        for code, twin in twins_module.twins().items():
            for org in (tree.root, tree.town_a, tree.town_b):
                got = compute(code, org, Y2025)
                p = path_on(cursor, org.pk, org.path, Y2025.end)
                assert twin.run(cursor, p, Y2025) == twin.answer(got), (code, org.name)


def test_the_standard_table_rows(tree, records):
    from gonghui.core.tables import TABLES
    from gonghui.reports import tables

    table = TABLES["mutual_aid"]
    headers = tables.headers(table)
    rows = {r.label: dict(zip(headers, r.cells, strict=True)) for r in
            tables.standard_rows(table, tree.root, Y2025)}
    town_a, town_b, total = rows["甲镇工会联合会"], rows["乙街道总工会"], rows["合计"]
    assert (town_a["参保人数(人)"], town_a["保费总额(元)"], town_a["理赔金额(元)"]) == (5, Decimal("120.00"),
                                                                                 Decimal("21000.00"))
    # 乙一 enrolled in February under 乙街道: its premium stays there after the move in September.
    assert (town_b["批次参保人数(人)"], town_b["符合条件人数(人)"], town_b["保费总额(元)"]) == (2, 2, Decimal("30.00"))
    assert (total["累计参保人次"], total["保费总额(元)"], total["出险人数(人)"]) == (7, Decimal("150.00"), 2)


def test_a_node_below_the_root_costs_one_statement_per_figure_once_compiled(tree, records):
    """core.compiled: the first node compiles each figure's statement; another node of the same
    shape only fills in its values (one query each, no building) and gets its own answers."""
    from django.test.utils import CaptureQueriesContext

    from gonghui.core import compiled

    compiled.forget()
    codes = [*EXPECTED, "mutual_aid.coverage_rate"]
    for code in codes:
        compute(code, tree.town_a, Y2025)
    plans = {shape[0][0]: plan for shape, plan in compiled._PLANS.items()}
    assert [code for code in codes if plans.get(code) is None] == []  # each compiled, none built each time
    with CaptureQueriesContext(connection) as ctx:
        got = {code: compute(code, tree.town_b, Y2025) for code in codes}
    assert len(ctx.captured_queries) == len(codes)
    assert {code: got[code].value for code in EXPECTED} == {code: a[2] for code, a in EXPECTED.items()}
    assert (got["mutual_aid.coverage_rate"].numerator, got["mutual_aid.coverage_rate"].denominator) == (2, 2)
    compiled.forget()


def test_the_work_summary_section_reads_as_sentences(tree, records):
    from gonghui.reports import figures as F
    from gonghui.reports.summary import section_paragraphs

    paragraphs = section_paragraphs(tree.root, Y2025, F.figures(tree.root, Y2025)["互助保障"])
    assert paragraphs[0] == ("截至12月31日，长沙县总工会在保职工5人，累计参保7人次，保费总额150.00元，"
                             "保障金额合计8.00万元，出险2人，给付理赔2件，给付金额2.10万元。")
    assert paragraphs[1].startswith("参保率达85.71%（6÷7）；出险率为40.00%（2÷5）")
