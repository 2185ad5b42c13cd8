"""Figures on hand-built cases with known answers, including the S1 seed sentence
"共收到信访事件57宗，其中市总工会转办38宗，镇总工会接访19宗，全部及时处理和回复"."""

import datetime as dt
from decimal import Decimal

import pytest

from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.petitions import services

from .conftest import make_mediation, make_petition

D = dt.date
Y2025 = Period.year(2025)
pytestmark = pytest.mark.django_db
CODES = ["petitions.total", "petitions.forwarded", "petitions.direct", "petitions.group_cases", "petitions.closed",
         "petitions.recovered_amount", "petitions.on_time_notice_rate", "petitions.on_time_close_rate",
         "petitions.overdue_open", "petitions.women_share", "mediation.cases", "mediation.success_rate",
         "mediation.recovered_amount"]


def v(code, org, period=Y2025, subs=True):
    return compute(code, org, period, subs).value


def handled_on_time(p, amount=0):
    p = services.petition_accept(actor=None, petition=p, notice_on=p.received_on + dt.timedelta(days=3))
    p = services.petition_reply(actor=None, petition=p, replied_on=p.received_on + dt.timedelta(days=20),
                                result="support", summary="已解决", amount_recovered=amount)
    return services.petition_close(actor=None, petition=p, closed_on=p.received_on + dt.timedelta(days=22),
                                   satisfaction="satisfied")


def test_every_listed_metric_is_registered_in_its_group():
    for code in CODES:
        assert code in REGISTRY, code
        assert REGISTRY[code].group == ("信访维权" if code.startswith("petitions.") else "劳动争议调解")


def test_the_seed_sentence_57_38_19_all_on_time(tree, today):
    """38 forwarded by the city federation and 19 received directly by 甲镇 (some at its unions);
    every one noticed and replied on time. 乙街道's cases and 2024's must not count."""
    day = D(2025, 1, 6)
    for i in range(38):
        org = tree.town_a if i < 30 else tree.union_a1
        handled_on_time(make_petition(org, channel="forwarded", received_on=day + dt.timedelta(days=i * 5)))
    for i in range(19):
        org = tree.town_a if i < 15 else tree.union_a2
        channel = ["visit", "letter", "phone", "online"][i % 4]
        handled_on_time(make_petition(org, channel=channel, received_on=day + dt.timedelta(days=i * 9)))
    make_petition(tree.town_b, channel="forwarded", received_on=D(2025, 5, 5))
    handled_on_time(make_petition(tree.town_a, channel="visit", received_on=D(2024, 11, 1)))
    got = {c: v(c, tree.town_a) for c in ("petitions.total", "petitions.forwarded", "petitions.direct")}
    sentence = "共收到信访事件{}宗，其中市总工会转办{}宗，镇总工会接访{}宗".format(
        got["petitions.total"], got["petitions.forwarded"], got["petitions.direct"])
    assert sentence == "共收到信访事件57宗，其中市总工会转办38宗，镇总工会接访19宗"
    assert v("petitions.on_time_notice_rate", tree.town_a) == Decimal("100.00")
    assert v("petitions.on_time_close_rate", tree.town_a) == Decimal("100.00")
    assert v("petitions.closed", tree.town_a) == 57
    assert v("petitions.overdue_open", tree.town_a) == 0
    assert v("petitions.total", tree.town_a, Period.year(2024)) == 1
    # Own level of 甲镇 only: 30 forwarded + 15 direct.
    assert (v("petitions.forwarded", tree.town_a, subs=False), v("petitions.direct", tree.town_a, subs=False)) == (
        30, 15)


def test_on_time_rates_and_overdue_on_hand_built_cases(tree, today):
    # Received Mon 3 Mar 2025: notice due Tue 18 Mar.
    on_time = make_petition(tree.union_a1, received_on=D(2025, 3, 3))
    late = make_petition(tree.union_a1, received_on=D(2025, 3, 3))
    make_petition(tree.union_a1, received_on=D(2025, 3, 3))  # never noticed
    services.petition_accept(actor=None, petition=on_time, notice_on=D(2025, 3, 18))
    services.petition_accept(actor=None, petition=late, notice_on=D(2025, 3, 19))
    q1 = Period(D(2025, 1, 1), D(2025, 3, 31))
    assert compute("petitions.on_time_notice_rate", tree.union_a1, q1).as_dict() == {
        "value": 33.33, "numerator": 1, "denominator": 3}
    # As of 31 Mar: `never` is past its notice date; nothing is past its 60-day conclusion yet.
    assert v("petitions.overdue_open", tree.union_a1, q1) == 1
    # on_time: close due 60 days after 18 Mar = 17 May (Sat) -> Mon 19 May; reply on 19 May is on time.
    services.petition_reply(actor=None, petition=on_time, replied_on=D(2025, 5, 19), result="explain", summary="x")
    services.petition_reply(actor=None, petition=late, replied_on=D(2025, 6, 1), result="refuse", summary="x",
                            amount_recovered="1500")
    h1 = Period(D(2025, 1, 1), D(2025, 6, 30))
    assert compute("petitions.on_time_close_rate", tree.union_a1, h1).as_dict() == {
        "value": 50.0, "numerator": 1, "denominator": 2}
    assert v("petitions.recovered_amount", tree.union_a1, h1) == Decimal("1500.00")
    # The notice rate for Q1 is unchanged by later events; 'never' still counts as late.
    assert v("petitions.on_time_notice_rate", tree.union_a1, q1) == Decimal("33.33")
    assert v("petitions.overdue_open", tree.union_a1, h1) == 1


def test_women_share_and_group_cases(tree, today):
    for i in range(10):
        make_petition(tree.union_a1, gender=2 if i < 4 else 1, people_count=8 if i < 3 else 1)
    assert v("petitions.women_share", tree.union_a1) == Decimal("40.00")
    assert v("petitions.group_cases", tree.town_a) == 3
    assert v("petitions.women_share", tree.union_b1) is None  # no cases: no rate, not 0


def test_mediation_figures(tree, today):
    for state, amount in [("succeeded", "3000"), ("succeeded", "2000.5"), ("failed", 0), ("withdrawn", 0)]:
        m = make_mediation(tree.union_a1, applied_on=D(2025, 4, 1))
        services.mediation_close(actor=None, mediation=m, state=state, closed_on=D(2025, 4, 10),
                                 agreement_terms="协议" if state == "succeeded" else "", agreed_amount=amount)
    make_mediation(tree.union_a1, applied_on=D(2025, 5, 1))
    assert v("mediation.cases", tree.town_a) == 5
    assert v("mediation.success_rate", tree.town_a) == Decimal("50.00")
    assert v("mediation.recovered_amount", tree.root) == Decimal("5000.50")


def test_counts_add_up_over_the_tree(tree, today):
    """value(node, with subordinates) = own level + Σ children, for every counted figure."""
    for org, ch in [(tree.root, "forwarded"), (tree.town_a, "visit"), (tree.union_a1, "forwarded"),
                    (tree.union_a2, "phone"), (tree.town_b, "letter"), (tree.union_b1, "visit")]:
        handled_on_time(make_petition(org, channel=ch, people_count=6, petitioners=[{"name": "代表"}]), amount=100)
        make_petition(org, channel=ch, received_on=D(2024, 11, 1))
        make_mediation(org, applied_on=D(2025, 2, 1))
    p = make_petition(tree.root, received_on=D(2025, 2, 3))
    services.petition_forward(actor=None, petition=p, to_org=tree.union_b1, on=D(2025, 2, 4))
    counted = [c for c in CODES if REGISTRY[c].unit in ("宗", "元")]
    for node, children in [(tree.root, [tree.town_a, tree.town_b]), (tree.town_a, [tree.union_a1, tree.union_a2]),
                           (tree.town_b, [tree.union_b1])]:
        for code in counted:
            assert v(code, node) == v(code, node, subs=False) + sum(v(code, c) for c in children), (code, node.name)
    # Forwarded down by the county: counted where it is handled, as a forwarded case.
    assert (v("petitions.forwarded", tree.union_b1), v("petitions.total", tree.union_b1)) == (1, 2)
    assert v("petitions.total", tree.root) == 7


def test_the_cases_behind_a_figure_show_no_petitioner(tree, today):
    make_petition(tree.union_a1, channel="forwarded", title="欠薪甲", name="刘桂兰")
    make_petition(tree.union_a1, channel="visit", title="欠薪乙")
    records = REGISTRY["petitions.forwarded"].records(tree.town_a, Y2025, True)
    rows = [records.row(p) for p in records.queryset]
    assert [r.label.split()[1] for r in rows] == ["欠薪甲"] and rows[0].org_name == "甲一公司工会"
    assert "刘" not in str(rows) and REGISTRY["petitions.total"].list_url == "petitions:index"


def test_overdue_and_mediation_records_match_their_figures(tree, today):
    make_petition(tree.union_a1, title="逾期甲", received_on=D(2025, 3, 3))
    services.petition_accept(actor=None, petition=make_petition(tree.union_a1, title="按期乙"), notice_on=D(2025, 3, 4))
    make_mediation(tree.union_a2, applied_on=D(2025, 4, 1))
    q1 = Period(D(2025, 1, 1), D(2025, 3, 31))
    late = REGISTRY["petitions.overdue_open"].records(tree.town_a, q1, True)
    assert [late.row(p).label.split()[1] for p in late.queryset] == ["逾期甲"] == ["逾期甲"] * v(
        "petitions.overdue_open", tree.town_a, q1)
    med = REGISTRY["mediation.cases"].records(tree.root, Y2025, True)
    assert [med.row(m).org_name for m in med.queryset] == ["甲二公司工会"]


def test_breakdowns_agree_with_the_figures_per_subordinate(tree, today):
    """Each set-based breakdown (one grouped query) gives the own level and each subordinate
    exactly what the figure gives for them."""
    from gonghui.orgs.selectors import path_on

    for org, ch in [(tree.root, "forwarded"), (tree.town_a, "visit"), (tree.union_a1, "forwarded"),
                    (tree.union_a2, "phone"), (tree.union_b1, "visit")]:
        handled_on_time(make_petition(org, channel=ch, people_count=6, petitioners=[{"name": "代表"}]))
        make_petition(org, channel=ch, received_on=D(2025, 3, 1))  # left open: overdue by the end of 2025
        make_mediation(org, applied_on=D(2025, 2, 1))
    hooked = [c for c in CODES if REGISTRY[c].breakdown is not None]
    assert len(hooked) >= 8
    for node, children in [(tree.root, [tree.town_a, tree.town_b]), (tree.town_a, [tree.union_a1, tree.union_a2])]:
        for code in hooked:
            parts = REGISTRY[code].breakdown(node, Y2025)
            expected = {path_on(node, Y2025.end): compute(code, node, Y2025, False)}
            expected.update({path_on(c, Y2025.end): compute(code, c, Y2025, True) for c in children})
            for key, value in expected.items():
                got = parts.get(key)
                if REGISTRY[code].is_rate:
                    assert (got.value if got else None) == value.value, (code, node.name, key)
                else:
                    assert (got or 0) == value.value, (code, node.name, key)
