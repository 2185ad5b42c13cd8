import pytest

from gonghui.appraisal import scoring, services
from gonghui.core import clock


@pytest.fixture
def scheme(tree, personas):
    """The county's scheme for its townships: 组建率 in steps (registry), 专项合同 counted with
    evidence (−2 each), 创新工作 scored by hand, 安全事故 veto; total 10."""
    actor = personas.county_admin
    s = services.scheme_create(actor=actor, org=tree.root, year=clock.today().year, title="乡镇工会目标管理考核",
                               target_type="township", total_score=10,
                               grades=[["优秀", 8], ["合格", 5], ["不合格", 0]], tie_break="1")
    org = services.indicator_save(actor=actor, scheme=s, code="1", name="组织建设", max_score=8,
                                  rule_type=scoring.MANUAL)
    services.indicator_save(actor=actor, scheme=s, code="1.1", name="组建率", max_score=4, rule_type=scoring.STEP,
                            params={"steps": [[80, 4], [75, 3], [70, 2], [65, 1]]}, metric_code="orgs.coverage_rate",
                            parent=org)
    services.indicator_save(actor=actor, scheme=s, code="1.2", name="专项集体合同", max_score=4,
                            rule_type=scoring.DEDUCT, params={"per": 2}, parent=org)
    services.indicator_save(actor=actor, scheme=s, code="2", name="创新工作", max_score=2, rule_type=scoring.MANUAL)
    services.indicator_save(actor=actor, scheme=s, code="3", name="重大安全事故", max_score=0, rule_type=scoring.VETO)
    return s
