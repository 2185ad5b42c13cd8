"""Breakdowns, the parent = sum of parts property for every metric, periods and formatting."""

import datetime as dt
from decimal import Decimal

import pytest

from gonghui.core.metrics import REGISTRY, compute, rate
from gonghui.core.periods import Period
from gonghui.orgs.models import Org
from gonghui.reports import figures as F

D = dt.date
PERIODS = [Period.year(2024), Period.half(2025, 1), Period.year(2025), Period(D(2025, 4, 1), D(2025, 9, 30))]


def values(b):
    return {p.label: p.value.value for p in b.parts}


def test_members_by_township_known_answers(data):
    t = data.tree
    b = F.breakdown("members.total", t.root, Period.half(2025, 1))
    assert values(b) == {"本级": 0, "甲镇工会联合会": 4, "乙街道总工会": 3}
    assert b.total.value == 7 and b.adds_up
    new = F.breakdown("members.new", t.root, Period.half(2025, 1))
    assert values(new) == {"本级": 0, "甲镇工会联合会": 4, "乙街道总工会": 2}
    # 甲镇 on its own: 甲一 and 甲二; the township itself holds no members.
    a = F.breakdown("members.total", t.town_a, Period.half(2025, 1))
    assert values(a) == {"本级": 0, "甲一公司工会": 3, "甲二公司工会": 1}
    # After 乙一 moved to 甲镇 on 1 Aug, the year's cut-off counts it under 甲镇.
    y = F.breakdown("members.total", t.root, Period.year(2025))
    assert values(y) == {"本级": 0, "甲镇工会联合会": 6, "乙街道总工会": 1}
    # A union's own level is itself.
    own = F.breakdown("members.total", t.union_a1, Period.half(2025, 1))
    assert values(own) == {"本级": 3}


def test_flow_figures_stay_where_the_event_happened(data):
    """乙一's 2025 joining (15 Jan) stays with 乙街道 though 乙一 moved to 甲镇 in August."""
    t = data.tree
    b = F.breakdown("members.new", t.root, Period.year(2025))
    assert values(b) == {"本级": 0, "甲镇工会联合会": 4, "乙街道总工会": 2}
    # Seen from 乙街道, the joining happened in a union no longer under it: kept as a row of its own.
    bb = F.breakdown("members.new", t.town_b, Period.year(2025))
    assert bb.total.value == 2 and bb.adds_up
    assert "其他（期间内调整的下级）" in values(bb)


def test_rates_break_down_with_numerator_and_denominator(data):
    t = data.tree
    b = F.breakdown("members.membership_rate", t.root, Period.half(2025, 1))
    parts = {p.label: (p.value.numerator, p.value.denominator) for p in b.parts}
    # 甲镇: 4 members over 甲一 30 + 甲二 60 staff; 乙街道: 3 over 乙一 40 (乙二 covers no employer).
    assert parts["甲镇工会联合会"] == (4, 90)
    assert parts["乙街道总工会"] == (3, 40)
    assert b.total.value == rate(7, 130).value


def all_nodes():
    return list(Org.objects.order_by("path"))


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_parent_equals_own_level_plus_subordinates_for_every_additive_metric(data, period):
    """For every registered metric counted in 人/人次/户/家/宗/元, at every node."""
    additive = [m for m in REGISTRY.values() if m.is_additive]
    assert {"members.total", "members.new", "orgs.unions_total", "orgs.unions_new"} <= {m.code for m in additive}
    for node in all_nodes():
        for m in additive:
            b = F.breakdown(m.code, node, period)
            parts = sum(p.value.value or 0 for p in b.parts)
            assert parts == (b.total.value or 0), (m.code, node.name, period, values(b))


def test_counts_that_do_not_add_up_say_why():
    """A count in an additive unit may opt out only for moves across a boundary (a move between two
    subordinates is internal to their parent) or for distinct persons (one person in two
    subordinates' lists is one person at the parent), and says so."""
    opted_out = [m for m in REGISTRY.values() if m.unit in ("人", "人次", "户", "家", "宗", "元") and not m.is_additive]
    assert {"orgs.moved_in", "orgs.moved_out", "activities.persons"} <= {m.code for m in opted_out}
    for m in opted_out:
        assert "内部" in m.description or "只计一" in m.description, m.code


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_set_based_hooks_agree_with_the_metric_per_subordinate(data, period):
    hooked = [m for m in REGISTRY.values() if m.breakdown is not None]
    assert {"members.total", "members.membership_rate", "orgs.coverage_rate"} <= {m.code for m in hooked}
    for node in all_nodes():
        children = F.children_on(node, period.end)
        for m in hooked:
            b = F.breakdown(m.code, node, period)
            by_path = {p.path: p.value for p in b.parts}
            assert by_path[b.own.path] == compute(m.code, node, period, False), (m.code, node.name)
            for path, child in children.items():
                assert by_path[path] == compute(m.code, child, period, True), (m.code, node.name, child.name)


def test_member_breakdown_queries_do_not_grow_with_the_townships(data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.orgs import services as org_services
    from gonghui.orgs.models import OrgType

    t = data.tree
    period = Period.year(2025)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            F.breakdown("members.total", t.root, period)
        return len(ctx)

    before = queries()
    for i in range(3):
        org_services.org_found(actor=None, parent=t.root, name=f"新{i}镇工会联合会", org_type=OrgType.TOWNSHIP_FED,
                               founded_on=D(2020, 1, 1), code=f"N{i}")
    t.root.refresh_from_db()
    assert len(F.children_on(t.root, period.end)) == 5
    assert queries() == before <= 8


def test_period_presets_and_last_year():
    today = D(2025, 8, 15)
    assert F.period_from({"preset": "h1", "year": "2025"}, today).period == Period.half(2025, 1)
    # A period still running is cut off today.
    assert F.period_from({}, today).period == Period(D(2025, 1, 1), today)
    assert F.period_from({"preset": "year", "year": "2024"}, today).period == Period.year(2024)
    assert F.period_from({"preset": "h1", "year": "2025"}, D(2025, 3, 5)).period == Period(D(2025, 1, 1),
                                                                                          D(2025, 3, 5))
    c = F.period_from({"from": "2025-03-01", "to": "2025-05-31"}, today)
    assert c.preset == "custom" and c.period == Period(D(2025, 3, 1), D(2025, 5, 31))
    bad = F.period_from({"preset": "custom", "from": "2025-06-01", "to": "2025-05-01"}, today)
    assert "晚于" in bad.error and bad.period == Period.year_to_date(today)
    assert "格式不正确" in F.period_from({"preset": "custom", "to": "2025/13/1"}, today).error
    assert F.last_year(Period(D(2024, 1, 1), D(2024, 2, 29))) == Period(D(2023, 1, 1), D(2023, 2, 28))
    assert F.cutoff_phrase(Period.half(2025, 1)) == "截至6月30日"


def test_units_are_written_as_the_seeds_write_them():
    assert F.fmt_number(4481, "人") == "4481人"
    assert F.fmt_number(Decimal("364500"), "元") == "36.45万元"
    assert F.fmt_number(Decimal("13173100"), "元") == "1,317.31万元"
    assert F.fmt_number(4024, "元") == "4,024.00元"
    assert F.fmt_number(Decimal("97.08"), "%") == "97.08%"
    assert F.fmt_number(None, "人") == "—"


def test_rounding_mode_and_decimals_are_settings(settings):
    # DOMAIN §12.4: 67/68 is 98.5 %, published as 98 %; 1462/1506 is 97.08 %.
    assert rate(67, 68).value == Decimal("98.53")
    settings.GONGHUI_RATE_DECIMALS = 0
    assert rate(67, 68).value == Decimal("99")
    settings.GONGHUI_RATE_ROUNDING = "truncate"
    assert rate(67, 68).value == Decimal("98")
    assert rate(1462, 1506).value == Decimal("97")


def test_monthly_trend_counts_each_month(data):
    trend = dict(F.monthly_trend("members.new", data.tree.root, Period.half(2025, 1)))
    assert trend == {"1月": 1, "2月": 1, "3月": 1, "4月": 2, "5月": 1, "6月": 0}


def test_womens_committee_rate_on_women_members(tree, settings):
    """DOMAIN F10: unions with ≥ threshold 女会员 should have a 女职工委员会 (basis "members")."""
    from gonghui.members import services as member_services
    from tests.members.conftest import make_id

    settings.GONGHUI_WOMENS_COMMITTEE_BASIS = "members"
    settings.GONGHUI = {**settings.GONGHUI, "WOMENS_COMMITTEE_THRESHOLD": 2}
    seq = iter(range(1, 100))
    for union, women in ((tree.union_a1, 2), (tree.union_a2, 3), (tree.union_b1, 1)):
        for _ in range(women):
            member_services.member_join(actor=None, union=union, name="女会员", joined_on=D(2025, 3, 1),
                                        id_number=make_id(seq=next(seq), female=True))
    member_services.member_join(actor=None, union=tree.union_b1, name="男会员", joined_on=D(2025, 3, 1),
                                id_number=make_id(seq=next(seq)))
    # Required: 甲一 (2, has a committee since 2020) and 甲二 (3, none); 乙一 has 1 woman.
    v = compute("orgs.womens_committee_rate", tree.root, Period.year(2025))
    assert (v.numerator, v.denominator) == (1, 2)
    assert compute("orgs.womens_committee_rate", tree.root, Period.year(2024)).denominator == 0
    assert compute("orgs.womens_committee_rate", tree.town_b, Period.year(2025)).denominator == 0


def test_org_breakdowns_known_answers(data):
    t = data.tree
    p = Period.year(2025)
    assert values(F.breakdown("orgs.terms_overdue", t.root, p)) == {"本级": 0, "甲镇工会联合会": 1, "乙街道总工会": 0}
    # 乙一 moved to 甲镇 on 1 Aug: at the year's end 甲镇 has 甲一, 甲二, 乙一; 乙街道 has 乙二.
    assert values(F.breakdown("orgs.unions_total", t.root, p)) == {"本级": 0, "甲镇工会联合会": 3, "乙街道总工会": 1}
    assert values(F.breakdown("orgs.unions_new", t.root, p)) == {"本级": 0, "甲镇工会联合会": 1, "乙街道总工会": 1}
    cov = F.breakdown("orgs.coverage_rate", t.root, p)
    # 甲镇: 甲一, 甲二 covered of 甲一, 甲二, 甲三 (甲四 has 5 staff: not required); 乙街道: 乙一 of 乙一.
    assert {x.label: (x.value.numerator, x.value.denominator) for x in cov.children} == {
        "甲镇工会联合会": (2, 3), "乙街道总工会": (1, 1)}
