"""Issue 21, the honour workflow in full: 自评 on an indicator system, 会员评家 as a step (a survey
below its pass rate stops the application), 评审打分, 回头看 with its three outcomes; dated title
levels (a title's 待遇级别 as of a date) and the link to the hardship archive."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.errors import ServiceError
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.honours import selectors, services
from gonghui.honours.models import HonourScore, HonourStatus, Level, Recheck, Recipient

D = dt.date


def _system(tree):
    return services.indicator_system_create(actor=None, org=tree.root, name="模范职工之家考核", honour_type="model_home",
                                            indicators=[
                                                {"name": "组织建设", "weight": 40, "children": [
                                                    {"name": "依法选举", "weight": 20}, {"name": "机构健全", "weight": 20}]},
                                                {"name": "服务职工", "weight": 60}])


def _home(tree, **kw):
    return services.honour_apply(actor=None, org=tree.union_a1, recipient=Recipient.COLLECTIVE,
                                 recipient_name="甲一公司工会", honour_type="model_home", level="county",
                                 issuer="长沙县总工会", year=2025, applied_on=D(2025, 3, 1), **kw)


def _survey(tree, good: int, bad: int):
    s = services.survey_create(actor=None, org=tree.union_a1, name="2025年会员评家", held_on=D(2025, 3, 5),
                               items=["维护权益"], threshold=80)
    services.survey_answers_add(actor=None, survey=s, questionnaires=[{"维护权益": "满意"}] * good
                                + [{"维护权益": "不满意"}] * bad)
    return s


def _leaf(system, name):
    return system.indicators.get(name=name).pk


def test_self_scoring_member_review_and_review_scoring(tree, personas):
    system, h = _system(tree), _home(tree)
    elect, organs, serve = (_leaf(system, n) for n in ("依法选举", "机构健全", "服务职工"))
    with pytest.raises(ServiceError, match="“机构健全”未评分") as e:
        services.honour_score(actor=None, honour=h, stage="self", system=system, scores={elect: 18})
    assert e.value.field == "scores" and not HonourScore.objects.exists()
    with pytest.raises(ServiceError, match="应在0至20.00之间"):
        services.honour_score(actor=None, honour=h, stage="self", system=system,
                              scores={elect: 25, organs: 10, serve: 50})
    with pytest.raises(ServiceError, match="不是.*末级指标"):
        services.honour_score(actor=None, honour=h, stage="self", system=system,
                              scores={system.indicators.get(name="组织建设").pk: 40})
    total = services.honour_score(actor=personas.union_clerk, honour=h, stage="self", system=system,
                                  scores={elect: 18, organs: "19.5", serve: 55}, on=D(2025, 3, 5))
    h.refresh_from_db()
    assert total == Decimal("92.50") and h.self_score == total and h.status == HonourStatus.SELF
    with pytest.raises(ServiceError, match="只有在“评审”环节"):
        services.honour_score(actor=None, honour=h, stage="review", scores={elect: 18, organs: 19, serve: 55})

    # 会员评家: below the pass rate the step is refused, naming both rates; a good one passes.
    with pytest.raises(ServiceError, match="满意率70.0+%，低于合格满意率80"):
        services.honour_member_review(actor=None, honour=h, survey=_survey(tree, 7, 3), on=D(2025, 3, 10))
    with pytest.raises(ServiceError, match="会员评家测评"):
        services.honour_move(actor=None, honour=h, to=HonourStatus.MEMBERS, on=D(2025, 3, 10))
    services.honour_member_review(actor=personas.union_clerk, honour=h, survey=_survey(tree, 9, 1), on=D(2025, 3, 10))
    assert h.status == HonourStatus.MEMBERS and "90" in h.steps.last().note
    with pytest.raises(PermissionDenied):
        services.honour_move(actor=personas.union_clerk, honour=h, to=HonourStatus.REVIEW, on=D(2025, 3, 20))
    services.honour_move(actor=None, honour=h, to=HonourStatus.REVIEW, on=D(2025, 3, 20))
    with pytest.raises(PermissionDenied):
        services.honour_score(actor=personas.union_clerk, honour=h, stage="review",
                              scores={elect: 15, organs: 15, serve: 50})
    services.honour_score(actor=None, honour=h, stage="review", scores={elect: 15, organs: 15, serve: 50})
    h.refresh_from_db()
    assert h.review_score == Decimal("80.00") and h.self_score == Decimal("92.50")
    assert [s.status for s in h.steps.all()] == ["applied", "self", "members", "review"]


def test_an_indicator_system_of_another_honour_type_is_refused(tree):
    system = _system(tree)
    h = services.honour_apply(actor=None, org=tree.union_a1, recipient=Recipient.COLLECTIVE, recipient_name="机修班组",
                              honour_type="pioneer", level="county", issuer="县总工会", year=2025,
                              applied_on=D(2025, 3, 1))
    with pytest.raises(ServiceError, match="与本荣誉的类别不符"):
        services.honour_score(actor=None, honour=h, stage="self", system=system, scores={})


def test_recheck_keep_rectify_and_revoke(tree):
    h = _home(tree)
    for to, on in [(HonourStatus.REVIEW, D(2025, 3, 10)), (HonourStatus.NOTICE, D(2025, 4, 1)),
                   (HonourStatus.NAMED, D(2025, 4, 28))]:
        services.honour_move(actor=None, honour=h, to=to, on=on)
    with pytest.raises(ServiceError, match="整改期限"):
        services.honour_recheck(actor=None, honour=h, on=D(2026, 5, 1), inspector="县总工会", findings="台账不全",
                                outcome="rectify")
    assert h.status == HonourStatus.NAMED and not Recheck.objects.exists()  # nothing saved
    services.honour_recheck(actor=None, honour=h, on=D(2026, 5, 1), inspector="县总工会", findings="台账不全",
                            outcome="rectify", rectify_by=D(2026, 8, 1), score=72)
    assert h.status == HonourStatus.RECTIFY and h.recheck_on == D(2026, 8, 1)
    with pytest.raises(ServiceError, match="已在限期整改中"):
        services.honour_recheck(actor=None, honour=h, on=D(2026, 8, 2), inspector="县总工会", findings="仍未整改",
                                outcome="rectify", rectify_by=D(2026, 9, 1))
    services.honour_recheck(actor=None, honour=h, on=D(2026, 8, 2), inspector="县总工会", findings="已整改到位",
                            outcome="keep")
    assert h.status == HonourStatus.NAMED and h.recheck_on == D(2029, 8, 2)
    services.honour_recheck(actor=None, honour=h, on=D(2029, 8, 1), inspector="县总工会", findings="工会已撤并",
                            outcome="revoke")
    assert h.status == HonourStatus.REVOKED and h.revoked_on == D(2029, 8, 1)
    assert list(h.rechecks.values_list("outcome", flat=True)) == ["rectify", "keep", "revoke"]
    assert [s.status for s in h.steps.all()][4:] == ["recheck", "rectify", "named", "recheck", "revoked"]


def test_a_titles_level_as_of_a_date(tree, add_worker):
    w = add_worker(tree.union_a1, "赵六", titles=[("市劳动模范", Level.CITY, 2015)])
    title = w.titles.get()
    with pytest.raises(ServiceError, match="依据"):
        services.title_level_change(actor=None, title=title, treatment="provincial", on=D(2025, 7, 1))
    with pytest.raises(ServiceError, match="晚于现行级别"):
        services.title_level_change(actor=None, title=title, treatment="provincial", on=D(2015, 1, 1), note="文件")
    services.title_level_change(actor=None, title=title, treatment="provincial", on=D(2025, 7, 1),
                                note="省政府决定享受省部级待遇")
    w.refresh_from_db()
    assert w.highest_level == "provincial"
    assert services.level_on(w, D(2025, 6, 30)) == "city" and services.level_on(w, D(2025, 7, 1)) == "provincial"
    assert services.level_on(w, D(2014, 12, 31)) == ""
    h1 = Period(D(2025, 1, 1), D(2025, 6, 30))
    y = Period(D(2025, 1, 1), D(2025, 12, 31))
    assert compute("honours.model_workers_city", tree.root, h1).value == 1
    assert compute("honours.model_workers_provincial", tree.root, h1).value == 0
    assert compute("honours.model_workers_city", tree.root, y).value == 0
    assert compute("honours.model_workers_provincial", tree.root, y).value == 1


def test_the_hardship_archive_of_a_model_worker(tree, add_worker, personas):
    from gonghui.assistance import services as assistance
    from tests.assistance.conftest import REGION

    w = add_worker(tree.union_a1, "钱七", is_hardship=True)
    assert selectors.hardship_archive(personas.union_clerk, w) is None
    archive = assistance.archive_create(actor=None, org=tree.union_a1, head_name=w.name, id_number=w.id_number,
                                        created_on=D(2025, 1, 6), region_code=REGION, main_cause="06",
                                        monthly_wage=500, family=[], category="relative")
    assert selectors.hardship_archive(personas.union_clerk, w) == archive
    assert selectors.hardship_archive(personas.outsider, w) is None  # out of that user's scope
