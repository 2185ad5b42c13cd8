"""Issue 15 item 6: the work summary writes sentences, not "label：value", and lists as problems
only figures on their bad side (Metric.direction)."""

import datetime as dt
from decimal import Decimal

from gonghui.core.metrics import HIGHER_BETTER, LOWER_BETTER, NEUTRAL, REGISTRY, Value, rate
from gonghui.core.periods import Period
from gonghui.reports import figures as F
from gonghui.reports import summary

H1 = Period.half(2025, 1)


def test_directions_are_declared_where_they_are_obvious():
    assert REGISTRY["orgs.coverage_rate"].direction == HIGHER_BETTER
    assert REGISTRY["members.new"].direction == HIGHER_BETTER
    assert REGISTRY["petitions.on_time_close_rate"].direction == HIGHER_BETTER
    assert REGISTRY["petitions.overdue_open"].direction == LOWER_BETTER
    assert REGISTRY["orgs.terms_overdue"].direction == LOWER_BETTER
    assert REGISTRY["petitions.women_share"].direction == NEUTRAL


def test_the_womens_petition_share_is_never_a_problem(data):
    # Far below a target, and a subordinate far below the whole: still no problem for a share.
    share = F.Figure(REGISTRY["petitions.women_share"], rate(1, 50), target=Decimal("40"))
    out = summary.problems(data.tree.root, H1, {"信访维权": [share]}, kids={})
    assert not any("女职工信访占比" in line for line in out)
    # A rate where higher is better, below its target, is one.
    close = F.Figure(REGISTRY["petitions.on_time_close_rate"], rate(8, 10), target=Decimal("95"))
    out = summary.problems(data.tree.root, H1, {"信访维权": [share, close]}, kids={})
    assert "按期办结率80.00%，未达到年度目标95%。" in out


def test_a_lower_better_figure_over_its_target_is_a_problem(data):
    m = REGISTRY["petitions.overdue_open"]
    over = summary.problems(data.tree.root, H1, {"信访维权": [F.Figure(m, Value(5), target=Decimal("2"))]}, kids={})
    assert over == ["逾期未办信访5宗，超过年度控制目标2宗。"]
    under = summary.problems(data.tree.root, H1, {"信访维权": [F.Figure(m, Value(1), target=Decimal("2"))]}, kids={})
    assert under == ["（根据实际情况填写。）"]
    # A higher-better count over its target is no problem either.
    new = REGISTRY["members.new"]
    assert summary.problems(data.tree.root, H1, {"会员发展": [F.Figure(new, Value(6), target=Decimal("5"))]},
                            kids={}) == ["（根据实际情况填写。）"]


def test_a_groups_prose_reads_as_a_sentence(data):
    figs = F.figures(data.tree.root, H1, compare=False)["会员发展"]
    assert summary.section_paragraphs(data.tree.root, H1, figs)[0] == (
        "截至6月30日，长沙县总工会共有会员7人（其中女会员2人、农民工会员1人），新发展会员6人，转入会员1人，"
        "转出会员1人，退会、除名、死亡的会员1人。")


def test_parts_are_written_inside_their_whole_and_labels_never_as_label_colon_value():
    parts = [("assistance.archives_total", 120), ("assistance.archives_deep", 37), ("assistance.archives_relative", 60),
             ("assistance.archives_accident", 0), ("assistance.households_helped", 12)]
    figs = [F.Figure(REGISTRY[code], Value(v)) for code, v in parts]
    org = type("O", (), {"name": "甲镇工会联合会"})()
    text = summary.section_paragraphs(org, Period(dt.date(2025, 1, 1), dt.date(2025, 12, 6)), figs)[0]
    assert text == "截至12月6日，甲镇工会联合会在档困难职工家庭120户（其中深度困难37户、相对困难60户），帮扶12户。"
    # Every registered figure reads without the "：" of a two-part label.
    assert not [m.code for m in REGISTRY.values() if "：" in summary.phrase(m)]
