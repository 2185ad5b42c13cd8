"""Reminders: 提案 answers due within a week or overdue, opinions unanswered after 30 days; in scope."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.democracy import reminders
from gonghui.democracy import services as s
from gonghui.democracy.models import Disclosure

from .conftest import make_congress

D = dt.date
pytestmark = pytest.mark.django_db


def _late_proposal(c, ds, n):
    p = s.proposal_file(actor=None, congress=c, title=f"提案{n}", content="内容", category="pay", proposer=ds[n],
                        filed_on=D(2026, 1, 5))
    s.proposal_accept(actor=None, proposal=p, decided_on=D(2026, 1, 6))
    s.proposal_assign(actor=None, proposal=p, assigned_on=D(2026, 1, 7), lead_dept="人力资源部")
    return p


def test_overdue_answers_and_opinions(tree, personas):
    c, t, ds = make_congress(tree)
    c2, t2, ds2 = make_congress(tree, key="b1")
    p = _late_proposal(c, ds, 1)
    _late_proposal(c2, ds2, 1)
    items, total = reminders.proposal_answer(personas.town_clerk, D(2026, 5, 1), 10)
    assert total == 1 and items[0].overdue and items[0].url == reverse("democracy:proposal_detail", args=[p.pk])
    assert reminders.proposal_answer(personas.county_admin, D(2026, 5, 1), 10)[1] == 2
    assert reminders.proposal_answer(personas.town_clerk, D(2026, 3, 1), 10)[1] == 0  # due 7 Apr: not yet
    s.proposal_answer(actor=None, proposal=p, answered_on=D(2026, 4, 20), answer="已办", result_code="C")
    assert reminders.proposal_answer(personas.town_clerk, D(2026, 5, 1), 10)[1] == 0
    d = s.disclosure_record(actor=None, org=tree.union_a1, employer=tree.emp["a1"], kind="workplace", form="board",
                            issue_no=1, disclosed_on=D(2026, 3, 1), title="公开", items=[("operations", "经营")])
    o = s.opinion_raise(actor=None, disclosure=d, raised_on=D(2026, 3, 2), raised_by="代表1", content="意见")
    assert reminders.opinion_answer(personas.town_clerk, D(2026, 4, 1), 10)[1] == 0
    assert reminders.opinion_answer(personas.town_clerk, D(2026, 4, 2), 10)[1] == 1
    s.opinion_answer(actor=None, opinion=o, answered_on=D(2026, 4, 5), answer="已答复")
    assert reminders.opinion_answer(personas.town_clerk, D(2026, 4, 6), 10)[1] == 0


def test_list_queries_do_not_grow_with_rows(client, tree, personas):
    c, t, ds = make_congress(tree)
    client.force_login(personas.town_clerk)

    def count():
        with CaptureQueriesContext(connection) as q:
            for name in ("democracy:index", "democracy:proposals", "democracy:disclosures"):
                assert client.get(reverse(name)).status_code == 200
            assert client.get(reverse("democracy:congress_detail", args=[c.pk])).status_code == 200
        return len(q)

    def add(n):
        for i in range(n):
            s.proposal_file(actor=None, congress=c, title="提案", content="内容", category="pay", proposer=ds[i],
                            filed_on=D(2026, 3, 2))
            s.disclosure_record(actor=None, org=tree.union_a1, employer=tree.emp["a1"], kind="workplace",
                                form="board", issue_no=Disclosure.objects.count() + 1, disclosed_on=D(2026, 3, 1), title="公开",
                                items=[("operations", "经营")])
        session = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 2), delegates_present=25)
        for i in range(n):
            s.motion_vote(actor=None, session=session, title=f"议案{i}", votes_for=20)

    add(6)  # more than a page (tests page by 5), so both counts include the next page's cursor
    count()  # the first requests fill the per-process caches (permissions, settings)
    few = count()
    add(6)
    assert count() == few


def test_a_headcount_that_moves_the_quota_is_a_to_do_item(tree, personas):
    from gonghui.democracy import conf, selectors
    from gonghui.orgs.models import Employer

    c, t, _ds = make_congress(tree)  # 30 staff: quota 30
    make_congress(tree, key="b1")
    today = D(2026, 5, 1)
    assert reminders.quota_recalc(personas.county_admin, today, 10)[1] == 0
    Employer.objects.filter(pk=tree.emp["a1"].pk).update(headcount=60)  # still under 100: the same quota
    assert reminders.quota_recalc(personas.county_admin, today, 10)[1] == 0
    Employer.objects.filter(pk=tree.emp["a1"].pk).update(headcount=250)  # 40 + 7 × 1
    items, total = reminders.quota_recalc(personas.town_clerk, today, 10)
    assert total == 1 and "应不少于 47 名" in items[0].label and not items[0].overdue
    assert items[0].url == reverse("democracy:congress_detail", args=[c.pk])
    assert reminders.quota_recalc(personas.county_admin, today, 10)[1] == 1
    assert reminders.quota_recalc(personas.outsider, today, 10)[1] == 0
    # The term recalculated on today's headcount settles it.
    type(t).objects.filter(pk=t.pk).update(staff=250)
    assert reminders.quota_recalc(personas.county_admin, today, 10)[1] == 0
    # The SQL quota agrees with conf.quota on every band edge.
    edges = [0, 1, 99, 100, 199, 200, 999, 1000, 1999, 2000, 4999, 5000, 12000]
    for n in edges:
        Employer.objects.filter(pk=tree.emp["a1"].pk).update(headcount=n)
        got = Employer.objects.filter(pk=tree.emp["a1"].pk).annotate(q=selectors.quota_expr("headcount"))
        assert got.values_list("q", flat=True).get() == conf.quota(n), n


def test_a_congress_that_has_not_met_for_a_year_is_a_to_do_item(tree, personas):
    """DOMAIN §7.1: a 职代会 meets at least once a year; announced a month before the anniversary of
    its last session (of its founding before the first one), overdue after it."""
    c, t, _ds = make_congress(tree)  # 甲一's, founded 10 Jan 2021
    c2, _t2, _ds2 = make_congress(tree, key="b1")
    s.session_record(actor=None, congress=c, held_on=D(2026, 3, 2), delegates_present=25)
    s.session_record(actor=None, congress=c2, held_on=D(2026, 6, 2), delegates_present=25)
    assert reminders.annual_session(personas.county_admin, D(2027, 1, 30), 10)[1] == 0
    items, total = reminders.annual_session(personas.town_clerk, D(2027, 2, 1), 10)
    assert total == 1 and items[0].due_on == D(2027, 3, 2) and not items[0].overdue
    assert "上次会议 2026-03-02" in items[0].label
    assert items[0].url == reverse("democracy:congress_detail", args=[c.pk])
    assert reminders.annual_session(personas.town_clerk, D(2027, 3, 3), 10)[0][0].overdue
    assert reminders.annual_session(personas.county_admin, D(2027, 5, 10), 10)[1] == 2
    assert reminders.annual_session(personas.outsider, D(2027, 5, 10), 10)[1] == 0
    # A session settles it; an ended congress is no longer due.
    s.session_record(actor=None, congress=c, held_on=D(2026, 11, 2), delegates_present=25)
    assert reminders.annual_session(personas.town_clerk, D(2027, 3, 3), 10)[1] == 0
    s.congress_end(actor=None, congress=c2, ended_on=D(2026, 12, 1))
    assert reminders.annual_session(personas.county_admin, D(2027, 5, 10), 10)[1] == 0
    # Never met: due a year after its founding.
    new = s.congress_create(actor=None, org=tree.town_a, name="甲镇区域性职工代表大会", established_on=D(2026, 2, 1),
                            scope_kind="regional", employers=[tree.emp["a2"]])
    items, total = reminders.annual_session(personas.county_admin, D(2027, 2, 2), 10)
    assert total == 1 and items[0].overdue and "2026-02-01建立以来未召开会议" in items[0].label
    assert items[0].url == reverse("democracy:congress_detail", args=[new.pk])
