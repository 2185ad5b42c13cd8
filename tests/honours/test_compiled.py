"""The registry, 职工之家, 会员评家 and 合理化建议 figures through core.compiled: the same answers as
their querysets built each time, for every node, period, own level or subtree and filter; below
the root one statement once a shape is compiled (the node's path read inside it)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from gonghui.core import compiled
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.honours import metrics as hm
from gonghui.honours import services
from gonghui.honours.models import RANK, InnovationKind, InnovationStatus, Level, SurveyResponse, WorkerStatus

D = dt.date
PERIODS = [Period(D(2025, 1, 1), D(2025, 12, 31)), Period(D(2025, 1, 1), D(2025, 6, 30)),
           Period(D(2024, 1, 1), D(2024, 12, 31))]


@pytest.fixture(autouse=True)
def fresh():
    compiled.forget()
    yield
    compiled.forget()


@pytest.fixture
def records(tree, add_worker):
    add_worker(tree.union_a1, "省甲", [("省劳动模范", Level.PROVINCIAL, 2010)], is_party_member=True)
    add_worker(tree.union_a1, "市甲", [("市劳动模范", Level.CITY, 2008)], status=WorkerStatus.RETIRED,
               registered_on=D(2025, 3, 1))
    add_worker(tree.union_a2, "市乙", [("市劳动模范", Level.CITY, 2015), ("省劳动模范", Level.PROVINCIAL, 2019)],
               is_hardship=True)
    add_worker(tree.union_b1, "县甲", [("县劳动模范", Level.COUNTY, 2016)], is_hardship=True)
    add_worker(tree.union_b1, "已故", [("市劳动模范", Level.CITY, 2000)], status=WorkerStatus.DECEASED,
               died_on=D(2025, 4, 1))
    services.home_rate(actor=None, org=tree.union_a1, level="model", rated_on=D(2024, 5, 1))
    r = services.home_rate(actor=None, org=tree.union_b1, level="county", rated_on=D(2025, 2, 1))
    services.home_revoke(actor=None, rating=r, on=D(2025, 9, 1))
    for org, held_on, answers in ((tree.union_a1, D(2025, 5, 1), ["满意", "基本满意", "不满意"]),
                                  (tree.union_b1, D(2024, 9, 1), ["满意", "不满意"])):
        s = services.survey_create(actor=None, org=org, name="会员评家", held_on=held_on, items=["维护权益"])
        services.survey_answers_add(actor=None, survey=s, questionnaires=[{"维护权益": a} for a in answers])
    for org, kind, on, benefit in ((tree.union_a1, InnovationKind.SUGGESTION, D(2025, 3, 1), "1200.50"),
                                   (tree.union_a2, InnovationKind.INNOVATION, D(2025, 8, 1), "30000"),
                                   (tree.union_b1, InnovationKind.SUGGESTION, D(2024, 6, 1), None)):
        item = services.innovation_add(actor=None, org=org, kind=kind, title="改进", proposer="张三", submitted_on=on)
        if benefit:
            services.innovation_decide(actor=None, item=item, adopted=True, on=on, benefit=benefit)
    return tree


def _built(code: str, org, period, subs, level=None):
    """The figure's answer from its queryset built as usual (no compiled statement)."""
    at = period.end
    workers = hm.workers_on(org, at, subs)
    plain = {"honours.model_workers": workers, "honours.model_workers_retired": workers.filter(status="retired"),
             "honours.party_model_workers": workers.filter(is_party_member=True),
             "honours.hardship_model_workers": workers.filter(is_hardship=True)}
    if code in plain:
        return plain[code].count()
    if code.startswith("honours.model_workers_"):
        return hm.ranked(workers, at, RANK[code.removeprefix("honours.model_workers_")]).count()
    if code == "honours.homes_rated":
        return hm._rated_unions(org, at, subs, level).count()
    if code == "honours.home_rate":
        return hm._rated_unions(org, at, subs).count(), hm._unions(org, at, subs).count()
    if code == "honours.survey_satisfaction":
        t = SurveyResponse.objects.filter(survey__in=hm._surveys(org, period, subs)).aggregate(
            s=Sum("satisfied"), b=Sum("basic"), u=Sum("unsatisfied"))
        good = (t["s"] or 0) + (t["b"] or 0)
        return good, good + (t["u"] or 0)
    kind = InnovationKind.SUGGESTION if "suggestion" in code else InnovationKind.INNOVATION
    if code.endswith("_benefit"):
        qs = hm._innovations(org, period, subs, kind, "decided_on").filter(status=InnovationStatus.ADOPTED)
        return qs.aggregate(s=Sum("benefit"))["s"] or Decimal("0.00")
    return hm._innovations(org, period, subs, kind).count()


CODES = ["honours.model_workers", "honours.model_workers_provincial", "honours.model_workers_city",
         "honours.model_workers_county", "honours.model_workers_retired", "honours.party_model_workers",
         "honours.hardship_model_workers", "honours.homes_rated", "honours.home_rate",
         "honours.survey_satisfaction", "honours.suggestions", "honours.innovations", "honours.suggestion_benefit",
         "honours.innovation_benefit"]


def test_the_same_answers_as_building_each_time(records):
    tree, seen = records, set()
    for org in (tree.root, tree.town_a, tree.town_b, tree.union_a1, tree.union_b1):
        for period in PERIODS:
            for subs in (True, False):
                for code in CODES:
                    want = _built(code, org, period, subs)
                    for _ in range(2):  # compiled on the first call, filled in on the second
                        v = compute(code, org, period, include_subordinates=subs)
                        got = (v.numerator, v.denominator) if code in ("honours.home_rate",
                                                                      "honours.survey_satisfaction") else v.value
                        assert got == want, (code, org.name, period, subs)
                    seen.add((code, repr(got)))
                for level in ("model", "county"):
                    v = compute("honours.homes_rated", org, period, include_subordinates=subs, filters={"level": level})
                    assert v.value == _built("honours.homes_rated", org, period, subs, level), (org.name, level)
    # The answers differ between nodes and periods: the parameters really change.
    assert all(len({g for c, g in seen if c == code}) >= 2 for code in CODES)
    uncached = [k for k, p in compiled._PLANS.items() if p is None and k[2][1] is False]
    assert compiled._PLANS and not uncached, uncached


def test_a_county_figure_is_one_statement_once_compiled(records):
    tree, year = records, PERIODS[0]
    for code in CODES:
        compute(code, tree.town_a, year)
        with CaptureQueriesContext(connection) as ctx:
            compute(code, tree.town_b, year)
        assert len(ctx) == 1, (code, [q["sql"] for q in ctx])
