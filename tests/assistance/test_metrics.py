"""Figures on hand-built records: units never mixed, tree additivity, the seed sentence."""

import datetime as dt
from decimal import Decimal

import pytest

from gonghui.assistance import metrics, services
from gonghui.assistance.models import ArchiveStatus, Category
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period

D = dt.date
H1 = Period(D(2025, 1, 1), D(2025, 6, 30))


def _pay(archive, type, amount, on, campaign=None, student=None, source="own"):
    app = services.application_submit(actor=None, archive=archive, type=type, amount_requested=amount,
                                      reason="帮扶", applied_on=on, campaign=campaign, student=student)
    services.application_review(actor=None, application=app, approve=True, on=on)
    services.application_approve(actor=None, application=app, approve=True, on=on)
    return services.payment_record(actor=None, application=app, paid_on=on, method="bank", fund_source=source)


@pytest.fixture
def records(tree, archive):
    """甲一: 3 archives in force (one 相对 after review), 1 exited in H1; 甲二: 1; 乙一: 1 entered in July."""
    a1 = archive(tree.union_a1, "甲一户一")
    a2 = archive(tree.union_a1, "甲一户二")
    a3 = archive(tree.union_a1, "甲一户三", wage=1200, family=[])  # 1200 per head: 相对
    gone = archive(tree.union_a1, "甲一出档", created=D(2024, 3, 1), entered=D(2024, 3, 20))
    services.archive_exit(actor=None, archive=gone, on=D(2025, 5, 1), status=ArchiveStatus.RECOVERED, reason="就业")
    a4 = archive(tree.union_a2, "甲二户一")
    b1 = archive(tree.union_b1, "乙一户一", created=D(2025, 7, 1), entered=D(2025, 7, 15))
    services.archive_start_review(actor=None, archive=a1, on=D(2025, 2, 1))
    services.archive_pass_review(actor=None, archive=a1, on=D(2025, 2, 2), category=Category.RELATIVE)
    warmth = services.campaign_create(actor=None, org=tree.root, name="两节送温暖", type="warmth",
                                      start_on=D(2025, 1, 1), end_on=D(2025, 2, 28), budget="3000")
    _pay(a1, "warmth", 500, D(2025, 1, 25), warmth)
    _pay(a2, "warmth", 500, D(2025, 1, 25), warmth)
    _pay(a4, "warmth", 800, D(2025, 1, 26), warmth, source="upper")
    _pay(a1, "medical", 2000, D(2025, 3, 1))
    _pay(a1, "living", 600, D(2025, 4, 1))
    # Two 金秋助学 payments for the same child count one student.
    _pay(a2, "golden_autumn", 3000, D(2025, 5, 1), student=a2.family.get())
    _pay(a2, "golden_autumn", 1000, D(2025, 6, 1), student=a2.family.get())
    _pay(b1, "temporary", 900, D(2025, 7, 20))
    return locals()


def figures(org, period=H1, subs=True):
    return {code: compute(code, org, period, subs).value for code in REGISTRY if code.startswith("assistance.")}


def test_hardship_figures_for_the_county_first_half(tree, records):
    f = figures(tree.root)
    assert f["assistance.archives_total"] == 4  # a1, a2, a3, a4 (乙一's entered in July; one exited)
    assert f["assistance.archives_deep"] == 2 and f["assistance.archives_relative"] == 2
    assert f["assistance.archives_accident"] == 0
    assert f["assistance.archives_new"] == 4 and f["assistance.archives_exited"] == 1
    assert f["assistance.households_helped"] == 3  # 户: a1, a2, a4
    assert f["assistance.person_times"] == 7  # 人次: every payment
    assert f["assistance.amount"] == Decimal("8400.00")
    assert f["assistance.golden_autumn_students"] == 1  # 人: one child, twice
    assert f["assistance.golden_autumn_amount"] == Decimal("4000.00")
    assert f["assistance.warmth_persons"] == 3
    assert f["assistance.warmth_amount"] == Decimal("1800.00")


def test_category_breakdown_as_of_an_earlier_cut_off(tree, records):
    """a1 was 深度 until its review on 2 February: on 31 January the county had 3 深度 (a1, a2 and
    the one that exited in May); 甲二's union was only founded on 10 February, so a4 is not counted."""
    jan = Period(D(2025, 1, 1), D(2025, 1, 31))
    assert compute("assistance.archives_deep", tree.root, jan).value == 3
    assert compute("assistance.archives_total", tree.root, jan).value == 4  # a1, a2, a3 and the exited one


def test_figures_add_up_over_the_tree(tree, records):
    for period in (H1, Period(D(2025, 1, 1), D(2025, 12, 31))):
        for node in (tree.root, tree.town_a, tree.town_b, tree.union_a1):
            children = list(type(node).objects.get_children(node))
            total = figures(node, period)
            own = figures(node, period, subs=False)
            kids = [figures(c, period) for c in children]
            for code, value in total.items():
                assert value == own[code] + sum(k[code] for k in kids), (code, node.name, period)


def test_own_level_and_subtree(tree, records):
    year = Period(D(2025, 1, 1), D(2025, 12, 31))
    assert compute("assistance.amount", tree.union_b1, year).value == Decimal("900.00")
    assert compute("assistance.amount", tree.town_a, year, False).value == Decimal("0.00")
    assert compute("assistance.households_helped", tree.town_a, year).value == 3


def test_the_seed_sentence_from_records(tree, archive):
    """S0: "全县120个单位将帮扶1640户困难家庭，已有55个单位共帮扶765户，帮扶资金达36.45万" at a
    smaller scale: 4 units pledged to 8 households (9 pairings, one ended); by 30 June 2 units helped 5 households with 36.45万."""
    homes = [archive(tree.union_a1 if i % 2 else tree.union_b1, f"结对户{i}") for i in range(10)]
    units = [services.helper_create(actor=None, org=tree.root, name=n) for n in ("县电视台", "县财政局", "县人社局")]
    cadre = services.helper_create(actor=None, org=tree.town_a, name="甲镇干部张某", kind="cadre")
    plan = [(units[0], homes[0:3]), (units[1], homes[3:6]), (units[2], homes[6:8]), (cadre, [homes[9]])]
    pairs = {}
    for helper, hs in plan:
        for h in hs:
            pairs[h.pk] = services.pairing_create(actor=None, helper=helper, archive=h, pledged_on=D(2025, 2, 1))
    # A pairing ended before the cut-off is no longer a pledge.
    services.pairing_end(actor=None, pairing=pairs[homes[7].pk], on=D(2025, 5, 1))
    visits = [(homes[0], "100000"), (homes[0], "20000"), (homes[1], "60000"), (homes[2], "84500"),
              (homes[9], "100000"), (homes[3], "0")]
    for h, money in visits:
        services.visit_record(actor=None, pairing=pairs[h.pk], visited_on=D(2025, 3, 1), amount=money)
    # A visit after the period does not count.
    services.visit_record(actor=None, pairing=pairs[homes[4].pk], visited_on=D(2025, 7, 2), amount=5000)
    assert metrics.pairing_sentence(tree.root, H1) == (
        "全县4个单位将帮扶8户困难家庭，已有3个单位共帮扶5户，帮扶资金达36.45万元")
    # The cadre belongs to 甲镇: own level of the county holds the three units only.
    assert compute("pairing.units_pledged", tree.root, H1, False).value == 3
    assert compute("pairing.units_pledged", tree.town_a, H1).value == 1
    assert compute("pairing.amount", tree.town_a, H1).value == Decimal("100000.00")


def test_payments_by_type_and_fund_source_agree_with_the_metrics(tree, records):
    from gonghui.assistance.selectors import payments_by

    by_type = {label: (n, s) for label, n, s in payments_by(tree.root, H1, "type")}
    assert by_type["送温暖"] == (3, Decimal("1800.00")) and by_type["金秋助学"] == (2, Decimal("4000.00"))
    by_source = {label: (n, s) for label, n, s in payments_by(tree.root, H1, "fund_source")}
    assert by_source == {"本级工会经费": (6, Decimal("7600.00")), "上级工会补助": (1, Decimal("800.00"))}
    assert sum(s for _, s in by_source.values()) == compute("assistance.amount", tree.root, H1).value
