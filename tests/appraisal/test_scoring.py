"""Scoring with the concrete rules of DOMAIN §10.2 (P-EVAL 梅陇镇), boundaries and refusals."""

from decimal import Decimal as D

import pytest

from gonghui.appraisal import scoring as s
from gonghui.core.errors import ServiceError

LEGAL = s.Node("1.2", "法人资格登记率", D(3), s.STEP, {"steps": [[80, 2], [70, 1]]}, parent="1")
HOME = s.Node("1.3", "建家率", D(3), s.STEP, {"steps": [[70, 3], [60, 2], [50, 1]]}, parent="1")
AUDIT = s.Node("1.4", "经审组织同步组建率", D(2), s.THRESHOLD, {"min": 98}, parent="1")
FOUNDED = s.Node("1.1", "组建工会/会员", D(10), s.DEDUCT, {"per": 5}, parent="1")
ORG = s.Node("1", "组织建设", D(18))
CONTRACT = s.Node("2", "集体合同建制率", D(8))
RATE = s.Node("2.1", "建制率", D(4), s.STEP, {"steps": [[80, 4], [75, 3], [70, 2], [65, 1]]}, parent="2")
SPECIAL = s.Node("2.2", "工资专项/女职工专项集体合同", D(4), s.DEDUCT, {"per": 2}, parent="2")
SAFETY = s.Node("3", "重大安全事故", D(0), s.VETO, {"limit": 0})
BONUS = s.Node("4", "创新工作加分", D(3), s.BONUS, {"per": 1})
TREE = [ORG, LEGAL, HOME, AUDIT, FOUNDED, CONTRACT, RATE, SPECIAL, SAFETY, BONUS]
GRADES = [["优秀", 24], ["良好", 20], ["合格", 15], ["不合格", 0]]


def score(node, value, **kw):
    return s.leaf_score(s.Node(node.code, node.name, node.max_score, node.rule_type, s.clean_params(node)),
                        s.Input(D(str(value)) if value is not None else None, **kw))


@pytest.mark.parametrize("value,expected", [(100, 2), (80, 2), ("79.99", 1), (70, 1), ("69.99", 0), (0, 0)])
def test_legal_registration_steps_at_their_boundaries(value, expected):
    assert score(LEGAL, value) == expected


@pytest.mark.parametrize("value,expected", [(70, 3), ("69.9", 2), (60, 2), (50, 1), ("49.99", 0)])
def test_home_building_steps(value, expected):
    assert score(HOME, value) == expected


@pytest.mark.parametrize("value,expected", [(80, 4), (75, 3), ("74.99", 2), (70, 2), (65, 1), (64, 0)])
def test_contract_rate_steps(value, expected):
    assert score(RATE, value) == expected


def test_missing_special_contracts_deduct_two_each_never_below_zero():
    assert [score(SPECIAL, n) for n in (0, 1, 2, 3)] == [4, 2, 0, 0]


def test_threshold_full_or_nothing():
    assert (score(AUDIT, 98), score(AUDIT, "97.99"), score(AUDIT, None)) == (2, 0, 0)


def test_ratio_is_capped_and_uses_the_years_target():
    node = s.Node("x", "新建工会", D(5), s.RATIO, {})
    assert score(node, 29, target=D(58)) == D("2.50")
    assert score(node, 70, target=D(58)) == 5
    assert score(node, 10, target=None) == 0


def test_bonus_is_capped():
    assert (score(BONUS, 2), score(BONUS, 7)) == (2, 3)


def test_tree_total_subtotals_grade_and_veto():
    nodes = [s.Node(n.code, n.name, n.max_score, n.rule_type, s.clean_params(n), n.parent) for n in TREE]
    s.check_tree(nodes, D(26))
    facts = {"1.1": s.Input(D(0)), "1.2": s.Input(D("75")), "1.3": s.Input(D("65.5")), "1.4": s.Input(D(98)),
             "2.1": s.Input(D(80)), "2.2": s.Input(D(1)), "3": s.Input(D(0)), "4": s.Input(D(1))}
    out = s.score_tree(nodes, facts, GRADES)
    assert out.scores["1"] == 10 + 1 + 2 + 2 and out.scores["2"] == 4 + 2
    assert out.total == 15 + 6 + 1 and out.grade == "良好" and not out.vetoed
    facts["3"] = s.Input(D(1))
    vetoed = s.score_tree(nodes, facts, GRADES)
    assert vetoed.vetoed_by == ["重大安全事故"] and vetoed.total == 0 and vetoed.grade == "不合格"


def test_weights_not_adding_up_are_refused_naming_the_node():
    with pytest.raises(ServiceError, match="指标“2 集体合同建制率”的下级指标分值合计 7 分"):
        s.check_tree([CONTRACT, RATE, s.Node("2.2", "专项", D(3), s.DEDUCT, {"per": 1}, "2")], D(8))
    with pytest.raises(ServiceError, match="一级指标分值合计 8 分，与方案总分 100 分不符"):
        s.check_tree([CONTRACT, RATE, SPECIAL], D(100))


@pytest.mark.parametrize("steps,msg", [
    ([[70, 1], [80, 2]], "第2级下限 80 不低于上一级 70"),
    ([[80, 2], [80, 1]], "阶梯重叠"),
    ([[80, 1], [70, 2]], "第2级得分 2 不低于上一级 1"),
    ([[80, 5]], "超出 0～3 分"),
    ([[80, "两"]], "不是数字"),
])
def test_bad_steps_are_refused(steps, msg):
    with pytest.raises(ServiceError, match=msg):
        s.clean_params(s.Node("1.2", "法人资格登记率", D(3), s.STEP, {"steps": steps}))


def test_scores_above_the_maximum_are_refused():
    node = s.Node("5", "创新工作", D(4), s.MANUAL)
    assert s.check_manual(node, "4") == 4
    with pytest.raises(ServiceError, match="得分 4.5 超出 0～4 分"):
        s.check_manual(node, "4.5")
    with pytest.raises(ServiceError, match="超出"):
        s.leaf_score(node, s.Input(manual=D(-1)))


def test_grades_must_descend_and_ranking_breaks_ties_by_the_subtotal():
    with pytest.raises(ServiceError, match="不低于上一等次"):
        s.clean_grades([["合格", 60], ["优秀", 90]])
    rows = [("甲", D(90), D(20)), ("乙", D(92), D(10)), ("丙", D(90), D(25)), ("丁", D(90), D(20))]
    assert s.rank(rows) == [("乙", 1), ("丙", 2), ("甲", 3), ("丁", 3)]
