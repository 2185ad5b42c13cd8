"""The services' rules and each bad input (issue 20: quorum, quota as data, result code, feedback)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.audit import AuditEvent
from gonghui.core.errors import ServiceError
from gonghui.democracy import conf
from gonghui.democracy import services as s
from gonghui.democracy.models import ListStatus, Proposal, Status

from .conftest import add_delegates, make_congress

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("staff, need", [(30, 30), (99, 30), (100, 40), (250, 47), (999, 96), (1000, 100),
                                         (2500, 120), (4999, 160), (5000, 200), (12000, 200)])
def test_quota_bands(staff, need):
    assert conf.quota(staff) == need


def test_quota_is_configurable(settings):
    settings.GONGHUI_DEMOCRACY = {"QUOTA": [{"min_staff": 0, "base": 20, "step": 0, "per_step": 0},
                                            {"min_staff": 100, "base": 35, "step": 100, "per_step": 5}]}
    assert conf.quota(50) == 20
    assert conf.quota(300) == 45


def test_a_good_list_is_confirmed(tree, congress):
    c, t, ds = congress
    assert t.list_status == ListStatus.CONFIRMED and t.violations == []
    assert AuditEvent.objects.filter(action="democracy.term.confirmed").exists()


@pytest.mark.parametrize("kw, rule", [
    ({"delegates": 25}, "代表名额"),
    ({"managers": 7}, "中高级管理人员比例"),
    ({"frontline": 14}, "一线职工比例"),
    ({"women": 11}, "女代表比例"),
])
def test_a_list_breaking_a_rule_stays_a_draft_naming_it(tree, kw, rule):
    c, t, ds = make_congress(tree, **kw)
    assert t.list_status == ListStatus.DRAFT
    assert len(t.violations) == 1 and t.violations[0].startswith(rule), t.violations
    assert t.delegates.count() == kw.get("delegates", 30)  # saved, as a draft
    assert AuditEvent.objects.filter(action="democracy.term.drafted").exists()


def test_adding_a_delegate_reopens_the_list(tree, congress):
    c, t, ds = congress
    add_delegates(t, 1, prefix="新代表")
    t.refresh_from_db()
    assert t.list_status == ListStatus.DRAFT


def test_assembly_only_under_100_staff(tree):
    with pytest.raises(ServiceError, match="100 人以上"):
        s.congress_create(actor=None, org=tree.town_a, name="甲三职工大会", established_on=D(2022, 1, 1),
                          kind="assembly", employer=tree.emp["a3"])
    s.congress_create(actor=None, org=tree.union_a1, name="甲一职工大会", established_on=D(2022, 1, 1),
                      kind="assembly", employer=tree.emp["a1"])
    with pytest.raises(ServiceError, match="已有职代会"):
        s.congress_create(actor=None, org=tree.union_a1, name="甲一职代会", established_on=D(2022, 1, 1),
                          employer=tree.emp["a1"])


def test_below_quorum_no_vote(tree, congress):
    c, t, ds = congress
    low = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 1), delegates_present=19)
    assert not low.has_quorum
    with pytest.raises(ServiceError, match="不足应到代表 30 人的 2/3"):
        s.motion_vote(actor=None, session=low, title="工资调整方案", votes_for=19)
    ok = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 2), delegates_present=20)
    assert ok.number == 2 and ok.has_quorum
    # More than half of ALL delegates (30): 15 of 20 present is not enough, 16 is.
    assert not s.motion_vote(actor=None, session=ok, title="甲", votes_for=15, votes_against=5).passed
    assert s.motion_vote(actor=None, session=ok, title="乙", votes_for=16, votes_against=4, secret_ballot=True).passed
    with pytest.raises(ServiceError, match="多于实到代表"):
        s.motion_vote(actor=None, session=ok, title="丙", votes_for=16, votes_against=5)
    with pytest.raises(ServiceError, match="不能多于应到代表"):
        s.session_record(actor=None, congress=c, held_on=D(2026, 3, 3), delegates_present=31)
    with pytest.raises(ServiceError, match="不在任何一届"):
        s.session_record(actor=None, congress=c, held_on=D(2020, 3, 3), delegates_present=25)


def test_resolutions(tree, congress):
    c, t, ds = congress
    with pytest.raises(ServiceError, match="书面决议"):
        s.resolution_adopt(actor=None, congress=c, title="决议", adopted_on=D(2026, 5, 1))
    r = s.resolution_adopt(actor=None, congress=c, title="关于调整夜班津贴的书面决议", adopted_on=D(2026, 5, 1), written=True)
    assert r.written and r.session is None


def _file(c, ds, **kw):
    return s.proposal_file(actor=None, congress=c, title="改善食堂", content="增加夜班供餐", category="life",
                           proposer=ds[0], cosigners=ds[1:3], filed_on=kw.pop("filed_on", D(2026, 3, 2)), **kw)


def test_proposal_through_every_step(tree, congress, settings):
    c, t, ds = congress
    p = _file(c, ds)
    assert p.number == "2026-001" and p.cosigners.count() == 2 and p.status == Status.FILED
    with pytest.raises(ServiceError, match="不能交办"):
        s.proposal_assign(actor=None, proposal=p, assigned_on=D(2026, 3, 5), lead_dept="后勤部")
    s.proposal_accept(actor=None, proposal=p, decided_on=D(2026, 3, 3))
    s.proposal_assign(actor=None, proposal=p, assigned_on=D(2026, 3, 5), lead_dept="后勤部", assist_depts="财务部")
    assert p.due_on == D(2026, 6, 5)  # three months by default
    with pytest.raises(ServiceError, match="请选择办理结果"):
        s.proposal_answer(actor=None, proposal=p, answered_on=D(2026, 4, 1), answer="已增加", result_code="")
    s.proposal_answer(actor=None, proposal=p, answered_on=D(2026, 4, 1), answer="已增加夜班供餐", result_code="A")
    with pytest.raises(ServiceError, match="只有提案人代表1"):
        s.proposal_feedback(actor=None, proposal=p, delegate=ds[1], feedback="satisfied", feedback_on=D(2026, 4, 5))
    s.proposal_feedback(actor=None, proposal=p, delegate=ds[0], feedback="fairly", feedback_on=D(2026, 4, 5))
    p.refresh_from_db()
    assert p.status == Status.CLOSED and p.feedback == "fairly"
    assert [e.action for e in p.events.all()] == ["filed", "accepted", "assigned", "answered", "feedback"]
    settings.GONGHUI_DEMOCRACY = {"PROPOSAL_DUE_MONTHS": 1}
    q = _file(c, ds)
    s.proposal_accept(actor=None, proposal=q, decided_on=D(2026, 3, 3))
    s.proposal_assign(actor=None, proposal=q, assigned_on=D(2026, 3, 5), lead_dept="后勤部")
    assert q.due_on == D(2026, 4, 5) and q.number == "2026-002"


def test_rejection_needs_a_reason(tree, congress):
    c, t, ds = congress
    p = _file(c, ds)
    with pytest.raises(ServiceError, match="不立案理由"):
        s.proposal_reject(actor=None, proposal=p, decided_on=D(2026, 3, 3), reason=" ")
    s.proposal_reject(actor=None, proposal=p, decided_on=D(2026, 3, 3), reason="属个人诉求，转为意见建议")
    assert Proposal.objects.get(pk=p.pk).status == Status.REJECTED


def test_proposer_must_be_a_delegate_of_the_congress(tree, congress):
    c, t, ds = congress
    c2, t2, ds2 = make_congress(tree, key="b1")
    with pytest.raises(ServiceError, match="提案人应是本职代会"):
        s.proposal_file(actor=None, congress=c, title="甲", content="乙", category="pay", proposer=ds2[0],
                        filed_on=D(2026, 3, 2))
    with pytest.raises(ServiceError, match="附议人"):
        s.proposal_file(actor=None, congress=c, title="甲", content="乙", category="pay", proposer=ds[0],
                        cosigners=[ds[1], ds2[0]], filed_on=D(2026, 3, 2))


def test_out_of_scope_clerk_is_refused_and_nothing_saved(tree, personas, congress):
    c, t, ds = congress
    c2, t2, ds2 = make_congress(tree, key="b1")
    with pytest.raises(PermissionDenied):
        s.session_record(actor=personas.town_clerk, congress=c2, held_on=D(2026, 3, 1), delegates_present=30)
    assert not c2.sessions.exists()
    s.session_record(actor=personas.town_clerk, congress=c, held_on=D(2026, 3, 1), delegates_present=30)


def test_disclosures_and_opinions(tree):
    with pytest.raises(ServiceError, match="请选择用人单位"):
        s.disclosure_record(actor=None, org=tree.union_a1, kind="workplace", form="board", issue_no=1,
                            disclosed_on=D(2026, 3, 1), title="一季度", items=[("operations", "经营情况")])
    with pytest.raises(ServiceError, match="第 2 项公开事项"):
        s.disclosure_record(actor=None, org=tree.union_a1, kind="workplace", form="board", issue_no=1,
                            employer=tree.emp["a1"], disclosed_on=D(2026, 3, 1), title="一季度",
                            items=[("operations", "经营情况"), ("nope", "x")])
    d = s.disclosure_record(actor=None, org=tree.union_a1, kind="workplace", form="board", issue_no=1,
                            employer=tree.emp["a1"], disclosed_on=D(2026, 3, 1), title="一季度",
                            items=[("operations", "经营情况"), ("hospitality", "业务招待费")])
    assert d.item_count == 2
    with pytest.raises(ServiceError, match="第 1 期已登记"):
        s.disclosure_record(actor=None, org=tree.union_a1, kind="workplace", form="board", issue_no=1,
                            employer=tree.emp["a1"], disclosed_on=D(2026, 4, 1), title="二",
                            items=[("operations", "x")])
    o = s.opinion_raise(actor=None, disclosure=d, raised_on=D(2026, 3, 5), raised_by="代表1", content="招待费偏高")
    assert o.due_on == D(2026, 4, 4)
    s.opinion_answer(actor=None, opinion=o, answered_on=D(2026, 3, 20), answer="已压减")
    with pytest.raises(ServiceError, match="已答复"):
        s.opinion_answer(actor=None, opinion=o, answered_on=D(2026, 3, 21), answer="再答")
