"""Schemes, self-scores, reviews and publication through the services, scored from the registry."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.appraisal import live, scoring, services
from gonghui.appraisal.models import Appraisal, AppraisalStatus, Entry, SchemeStatus
from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent


def entry(scheme, org, code):
    return Entry.objects.select_related("appraisal__scheme", "appraisal__org", "indicator").get(
        appraisal__scheme=scheme, appraisal__org=org, indicator__code=code)


def test_issue_opens_one_appraisal_per_township_with_an_entry_per_leaf(tree, personas, scheme):
    assert services.scheme_issue(actor=personas.county_admin, scheme=scheme) == 2
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.ISSUED
    a = Appraisal.objects.get(scheme=scheme, org=tree.town_a)
    assert sorted(a.entries.values_list("indicator__code", flat=True)) == ["1.1", "1.2", "2", "3"]
    assert AuditEvent.objects.filter(action="appraisal.scheme.issued").count() == 1


def test_weights_not_adding_up_refuse_the_issue_naming_the_node(personas, scheme):
    ind = scheme.indicators.get(code="1.2")
    services.indicator_save(actor=personas.county_admin, scheme=scheme, indicator=ind, code="1.2", name="专项集体合同",
                            max_score=3, rule_type=scoring.DEDUCT, params={"per": 2}, parent=ind.parent)
    with pytest.raises(ServiceError, match="指标“1 组织建设”的下级指标分值合计 7 分，与其分值 8 分不符"):
        services.scheme_issue(actor=personas.county_admin, scheme=scheme)
    assert not Appraisal.objects.exists()


def test_bad_steps_and_unknown_metrics_are_refused_and_nothing_saved(personas, scheme):
    with pytest.raises(ServiceError, match="阶梯重叠或顺序颠倒"):
        services.indicator_save(actor=personas.county_admin, scheme=scheme, code="9", name="建家率", max_score=3,
                                rule_type=scoring.STEP, params={"steps": [[50, 1], [60, 2]]})
    with pytest.raises(ServiceError, match="取数指标“orgs.nothing”不存在"):
        services.indicator_save(actor=personas.county_admin, scheme=scheme, code="9", name="建家率", max_score=3,
                                rule_type=scoring.THRESHOLD, params={"min": 60}, metric_code="orgs.nothing")
    assert not scheme.indicators.filter(code="9").exists()


def test_town_clerk_cannot_change_the_countys_scheme(personas, scheme):
    with pytest.raises(PermissionDenied):
        services.indicator_save(actor=personas.town_clerk, scheme=scheme, code="9", name="x", max_score=1,
                                rule_type=scoring.MANUAL)


def issued(tree, personas, scheme):
    services.scheme_issue(actor=personas.county_admin, scheme=scheme)
    return Appraisal.objects.get(scheme=scheme, org=tree.town_a)


def test_live_scores_come_from_the_registry_per_township(tree, personas, scheme):
    issued(tree, personas, scheme)
    result = live.score_scheme(scheme)
    rows = {r.appraisal.org: r for r in result.rows}
    # 甲镇: 甲一、甲二 covered of 甲一、甲二、甲三 required → 66.67 % → 1; 乙街道: 1 of 1 → 100 % → 4.
    assert rows[tree.town_a].values["1.1"] == D("66.67") and rows[tree.town_a].outcome.scores["1.1"] == 1
    assert rows[tree.town_b].outcome.scores["1.1"] == 4
    # Nothing counted yet: no special contract missing (4), no manual score.
    assert rows[tree.town_b].outcome.total == 8 and rows[tree.town_a].outcome.total == 5
    assert [r.appraisal.org for r in result.rows] == [tree.town_b, tree.town_a]


def test_self_scores_review_with_reason_and_publication_with_ranking(tree, personas, scheme):
    a = issued(tree, personas, scheme)
    town = personas.town_clerk
    services.entry_self_score(actor=town, entry=entry(scheme, tree.town_a, "1.2"), value=1, evidence="缺女职工专项合同")
    with pytest.raises(ServiceError, match="得分 3 超出 0～2 分"):
        services.entry_self_score(actor=town, entry=entry(scheme, tree.town_a, "2"), self_score=3)
    with pytest.raises(ServiceError, match="尚未自评"):
        services.appraisal_submit(actor=town, appraisal=a)
    services.entry_self_score(actor=town, entry=entry(scheme, tree.town_a, "2"), self_score=2, evidence="职工书屋")
    with pytest.raises(ServiceError, match="从统计数据自动取数"):
        services.entry_self_score(actor=town, entry=entry(scheme, tree.town_a, "1.1"), value=90)
    services.appraisal_submit(actor=town, appraisal=a)
    with pytest.raises(ServiceError, match="已提交自评"):
        services.entry_self_score(actor=town, entry=entry(scheme, tree.town_a, "2"), self_score=1)
    county = personas.county_admin
    with pytest.raises(PermissionDenied):
        services.entry_review(actor=town, entry=entry(scheme, tree.town_a, "2"), review_score=2)
    with pytest.raises(ServiceError, match="请填写调整理由"):
        services.entry_review(actor=county, entry=entry(scheme, tree.town_a, "2"), review_score="1.5")
    services.entry_review(actor=county, entry=entry(scheme, tree.town_a, "2"), review_score="1.5",
                          reason="佐证不全")
    with pytest.raises(ServiceError, match="尚有1个单位未提交自评（乙街道总工会）"):
        services.scheme_publish(actor=county, scheme=scheme)
    b = Appraisal.objects.get(scheme=scheme, org=tree.town_b)
    services.entry_self_score(actor=county, entry=entry(scheme, tree.town_b, "2"), self_score=0)
    services.entry_self_score(actor=county, entry=entry(scheme, tree.town_b, "1.2"), value=2)
    services.appraisal_submit(actor=county, appraisal=b)
    services.scheme_publish(actor=county, scheme=scheme)
    a.refresh_from_db()
    b.refresh_from_db()
    # 甲镇 1 + (4 − 2) + 1.5 = 4.5 → 不合格; 乙街道 4 + 0 + 0 = 4: 甲镇 first.
    assert (a.total, a.grade, a.rank, a.status) == (D("4.5"), "不合格", 1, AppraisalStatus.PUBLISHED)
    assert (b.total, b.rank) == (D(4), 2)
    assert entry(scheme, tree.town_a, "1.1").value == D("66.67")
    with pytest.raises(ServiceError, match="考核结果已公布"):
        services.entry_review(actor=county, entry=entry(scheme, tree.town_a, "2"), review_score=2, reason="x")


def test_a_veto_sets_the_total_to_zero_and_the_lowest_grade(tree, personas, scheme):
    issued(tree, personas, scheme)
    services.entry_self_score(actor=personas.town_clerk, entry=entry(scheme, tree.town_a, "3"), value=1,
                              evidence="发生一起重大安全事故")
    row = next(r for r in live.score_scheme(scheme).rows if r.appraisal.org == tree.town_a)
    assert row.outcome.vetoed_by == ["重大安全事故"] and row.outcome.total == 0 and row.outcome.grade == "不合格"
