"""会员评家 and indicator systems: answers outside the scale and weights that do not add up are
refused, naming the form or the node; 满意率 with its numerator and denominator."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.core.errors import ServiceError
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.honours import services
from gonghui.honours.models import Indicator, SurveyResponse
from gonghui.honours.views import parse_tree
from gonghui.orgs import services as org_services

D = dt.date
Y2025 = Period(D(2025, 1, 1), D(2025, 12, 31))
ITEMS = ["维护权益", "文体活动", "民主管理"]


def test_answer_outside_the_scale_refuses_the_batch(tree):
    s = services.survey_create(actor=None, org=tree.union_a1, name="2025年会员评家", held_on=D(2025, 5, 1), items=ITEMS)
    with pytest.raises(ServiceError, match="第2份问卷“文体活动”一项的回答“很好”不在量表内"):
        services.survey_answers_add(actor=None, survey=s, questionnaires=[
            {"维护权益": "满意"}, {"维护权益": "满意", "文体活动": "很好"}])
    assert not SurveyResponse.objects.exists()
    with pytest.raises(ServiceError, match="基层工会"):
        services.survey_create(actor=None, org=tree.town_a, name="x", held_on=D(2025, 5, 1), items=ITEMS)


def test_satisfaction_rate_from_answers_and_after_a_move(tree):
    a = services.survey_create(actor=None, org=tree.union_a1, name="甲一", held_on=D(2025, 5, 1), items=ITEMS)
    b = services.survey_create(actor=None, org=tree.union_b1, name="乙一", held_on=D(2025, 9, 1), items=ITEMS)
    # 甲一: 8 valid answers, 6 satisfied or basically (one item left blank).
    services.survey_answers_add(actor=None, survey=a, questionnaires=[
        {"维护权益": "满意", "文体活动": "基本满意", "民主管理": "不满意"},
        {"维护权益": "满意", "文体活动": "满意", "民主管理": ""},
        {"维护权益": "基本满意", "文体活动": "不满意", "民主管理": "满意"}])
    services.survey_answers_add(actor=None, survey=b, questionnaires=[{"维护权益": "满意"}, {"维护权益": "不满意"}])
    assert services.survey_result(a) == {"good": 6, "valid": 8, "rate": Decimal("75.00"), "passed": False, "forms": 3}
    v = compute("honours.survey_satisfaction", tree.root, Y2025)
    assert (v.numerator, v.denominator) == (7, 10)
    assert compute("honours.surveys_held", tree.town_a, Y2025).value == 1
    parts = REGISTRY["honours.survey_satisfaction"].breakdown(tree.root, Y2025)
    assert (parts[tree.town_a.path].numerator, parts[tree.town_b.path].denominator) == (6, 2)
    # 甲一 moves to 乙街道 from 2025-07-01 (entered later): its May survey stays with 甲镇.
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2025, 7, 1))
    assert compute("honours.surveys_held", tree.town_a, Y2025).value == 1
    assert compute("honours.survey_satisfaction", tree.town_b, Y2025).denominator == 2


def test_indicator_weights_must_add_up_to_the_parent_naming_it(tree):
    tree_ok = parse_tree("组织建设 40\n- 组织健全 20\n- 制度完善 20\n服务职工 60\n- 维权 30\n-- 集体合同 30\n- 活动 30")
    s = services.indicator_system_create(actor=None, org=tree.root, name="规范化建设", indicators=tree_ok)
    assert Indicator.objects.filter(system=s).count() == 7
    bad = parse_tree("组织建设 40\n- 组织健全 20\n- 制度完善 15\n服务职工 60")
    with pytest.raises(ServiceError, match="“组织建设”的下级指标分值合计35.00，应等于40.00"):
        services.indicator_system_create(actor=None, org=tree.root, name="规范化建设", indicators=bad)
    with pytest.raises(ServiceError, match="“企业社会责任”的下级指标分值合计90.00，应等于100.00"):
        services.indicator_system_create(actor=None, org=tree.root, name="企业社会责任",
                                         indicators=parse_tree("甲 40\n乙 50"))
    with pytest.raises(ServiceError, match="前面没有上级指标"):
        parse_tree("- 甲 40")


def test_survey_page_bulk_entry_keeps_input_on_error(client, tree, personas):
    s = services.survey_create(actor=None, org=tree.union_a1, name="甲一", held_on=D(2025, 5, 1), items=ITEMS)
    client.force_login(personas.town_clerk)
    r = client.post(reverse("honours:survey_detail", args=[s.pk]), {"lines": "满意,满意,满意\n满意,好,满意"})
    assert "不在量表内" in r.content.decode() and "满意,好,满意" in r.content.decode()
    r = client.post(reverse("honours:survey_detail", args=[s.pk]), {"lines": "满意,满意,不满意\n满意，基本满意，满意"})
    assert r.status_code == 302 and SurveyResponse.objects.count() == 2
    assert "83.33%" in client.get(reverse("honours:survey_detail", args=[s.pk])).content.decode()
