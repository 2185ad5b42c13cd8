"""core.compiled: a figure's statement compiled once per shape gives what building it each time
gives, in one query, for every node, period and filter; a shape whose parameters are derived from
its arguments is not cached, and a changed rule compiles the statement again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext, override_settings

from gonghui.activities import services
from gonghui.activities.metrics import activities_in, attendance_in
from gonghui.core import compiled
from gonghui.core.periods import Period
from gonghui.orgs import conf as org_conf
from gonghui.orgs.models import Employer
from gonghui.orgs.selectors import paths_remembered, placed_in

D = dt.date


@pytest.fixture(autouse=True)
def fresh():
    compiled.forget()
    yield
    compiled.forget()


@pytest.fixture
def activities(tree, kinds, people):
    p = people(4)
    a1 = services.activity_create(actor=None, org=tree.union_a1, kind=kinds["women_training"], title="培训一",
                                  start_on=D(2025, 3, 1), sessions=2)
    services.attendance_set(actor=None, activity=a1, people=[(p[0], 2), (p[1], 1)])
    services.activity_create(actor=None, org=tree.union_b1, kind=kinds["culture_sports"], title="运动会",
                             start_on=D(2025, 8, 1), sessions=1, person_times=200, amount="3500.50")
    services.activity_create(actor=None, org=tree.town_a, kind=kinds["women_training"], title="培训二",
                             start_on=D(2024, 11, 1), sessions=3)
    return tree


def _sum(column):
    def build(org, period, subs, kind):
        return activities_in(org, period, subs, kind), {"s": Sum(column), "n": Count("pk")}

    return build


def _persons(org, period, subs, kind):
    return attendance_in(org, period, subs, kind), {"n": Count("person", distinct=True)}


def test_the_same_answers_as_building_each_time(activities):
    tree = activities
    periods = [Period.year(2025), Period(D(2025, 1, 1), D(2025, 6, 30)), Period.year(2024)]
    builds = [("sessions", _sum("sessions")), ("amount", _sum("amount")), ("persons", _persons)]
    seen = set()
    for org in (tree.root, tree.town_a, tree.town_b, tree.union_a1):
        for period in periods:
            for subs in (True, False):
                for kind in (None, "women_training", "culture_sports"):
                    for name, build in builds:
                        qs, aggregates = build(org, period, subs, kind)
                        want = qs.aggregate(**aggregates)
                        got = compiled.aggregate(("test", name), build, org, period, subs, kind)
                        assert got == want, (name, org.name, period, subs, kind)
                        assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
                        seen.add(repr(got))
    assert len(seen) >= 8  # the answers differ: the parameters really change
    assert compiled.aggregate(("test", "amount"), _sum("amount"), tree.town_b, periods[0], True, None) == \
        {"s": Decimal("3500.50"), "n": 1}


def test_one_query_once_compiled_and_none_cached_at_a_root(activities):
    tree = activities
    build, year = _sum("sessions"), Period.year(2025)
    compiled.aggregate(("test",), build, tree.town_a, year, True, "women_training")
    assert list(compiled._PLANS.values()) != [None]  # compiled on this database (PostgreSQL's compiler too)
    with CaptureQueriesContext(connection) as ctx:
        got = compiled.aggregate(("test",), build, tree.town_b, year, True, "women_training")
    assert len(ctx) == 1 and got == {"s": None, "n": 0}
    assert compiled.aggregate(("test",), build, tree.town_a, year, True, "women_training") == {"s": 2, "n": 1}
    # A root reads its path first (two statements): built as usual each time, still right.
    assert compiled.aggregate(("test",), build, tree.root, year, True, None) == {"s": 3, "n": 2}
    assert [p for p in compiled._PLANS.values() if p is None]
    # Inside paths_remembered() the path is read first too: another shape, not the cached one.
    with paths_remembered():
        assert compiled.aggregate(("test",), build, tree.town_a, year, True, "women_training") == {"s": 2, "n": 1}


def test_a_parameter_derived_from_an_argument_is_not_cached(activities):
    tree = activities

    def build(org, period, subs, kind):
        return activities_in(org, period, subs, kind).filter(start_on__gte=period.end - dt.timedelta(days=200)), \
            {"n": Count("pk")}

    key = ("test", "derived")
    assert compiled.aggregate(key, build, tree.town_a, Period.year(2025), True, None)["n"] == 0
    assert compiled.aggregate(key, build, tree.town_a, Period(D(2025, 1, 1), D(2025, 4, 1)), True, None)["n"] == 1
    assert list(compiled._PLANS.values()) == [None]


def test_a_changed_rule_compiles_again(tree):
    def build(org, period, subs):
        under = placed_in(org, period.end, subs, "org_id")
        return Employer.objects.filter(under, headcount__gte=org_conf.get("REQUIRED_HEADCOUNT")), {"n": Count("pk")}

    year = Period.year(2025)
    assert compiled.aggregate(("test", "rule"), build, tree.town_a, year, True)["n"] == 3  # 30, 60, 100 of ≥ 25
    with override_settings(GONGHUI_REQUIRED_HEADCOUNT=50):
        assert compiled.aggregate(("test", "rule"), build, tree.town_a, year, True)["n"] == 2
    assert compiled.aggregate(("test", "rule"), build, tree.town_a, year, True)["n"] == 3
