"""The six steps: every transition, every refusal, the due dates on the 2026 calendar."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.bargaining import services as s
from gonghui.bargaining.models import Contract, ContractEvent, ContractType, Meeting, Representative, Status
from gonghui.bargaining.workflow import FLOW
from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent

from .conftest import E, W, add_reps, drive, open_contract, step

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_whole_procedure_stores_each_due_date(tree, personas):
    clerk = personas.union_clerk
    c = drive(tree, Status.OFFERED, actor=clerk)
    # 20 calendar days from Mon 2 Mar is Sun 22 Mar: the deadline rolls to Mon 23 Mar.
    assert c.reply_due_on == D(2026, 3, 23) and c.next_due_on == c.reply_due_on
    c = step(c, Status.PREPARING, actor=clerk)
    c.refresh_from_db()
    assert c.status == Status.PREPARING and c.next_due_on == D(2026, 3, 24)  # 10 working days after 10 Mar
    for target in (Status.NEGOTIATING, Status.VOTING):
        c = step(c, target, actor=clerk)
    c.refresh_from_db()
    # 15 working days after Fri 20 Mar, skipping 清明 (4–6 Apr): Mon 13 Apr.
    assert c.status == Status.VOTING and c.vote_due_on == D(2026, 4, 13)
    for target in (Status.PASSED, Status.SIGNED):
        c = step(c, target, actor=clerk)
    assert c.filing_due_on == D(2026, 4, 9)
    c = step(c, Status.FILED, actor=clerk)
    assert c.effective_on == D(2026, 4, 18)  # 15 days after receipt, no objection
    assert c.publish_due_on == D(2026, 4, 24)  # 5 working days after Sat 18 Apr
    c = step(c, Status.PUBLISHED, actor=clerk)
    assert c.status == Status.PUBLISHED and c.next_due_on is None
    assert c.in_force_on(D(2026, 4, 18)) and not c.in_force_on(D(2026, 4, 17))
    assert c.in_force_on(D(2027, 3, 31)) and not c.in_force_on(D(2027, 4, 1))
    actions = list(ContractEvent.objects.filter(contract=c).values_list("action", flat=True))
    assert actions == ["opened", "offered", "replied", "prepared", "met", "draft_agreed", "vote_passed", "signed",
                       "filed", "published"]
    audited = set(AuditEvent.objects.filter(object_id=str(c.pk), object_type="bargaining.contract")
                  .values_list("action", flat=True))
    assert {"bargaining.contract.signed", "bargaining.contract.published"} <= audited


# Each step service with arguments valid after the contract's last step; the matrix below
# tries every one of them from every status and expects success exactly where FLOW allows.
def _after(c, days=1):
    return c.events.order_by("-on").first().on + dt.timedelta(days=days)


ACTIONS = {
    "offer": (Status.OFFERED, lambda c: s.contract_offer(actor=None, contract=c, side=W, offered_on=_after(c), topics="工资")),
    "accept": (Status.PREPARING, lambda c: s.contract_reply(actor=None, contract=c, replied_on=_after(c), accepted=True)),
    "refuse": (Status.REFUSED, lambda c: s.contract_reply(actor=None, contract=c, replied_on=_after(c), accepted=False,
                                                          note="经营困难")),
    "suspend": (Status.SUSPENDED, lambda c: s.meeting_add(
        actor=None, contract=c, held_on=_after(c), chair_side=_chair(c), attendees="双方", minutes="分歧较大",
        outcome=Meeting.Outcome.SUSPENDED, next_on=_after(c, 10))),
    "agree": (Status.VOTING, lambda c: s.meeting_add(
        actor=None, contract=c, held_on=_after(c), chair_side=_chair(c), attendees="双方", minutes="一致",
        outcome=Meeting.Outcome.AGREED)),
    "pass": (Status.PASSED, lambda c: s.vote_record(actor=None, contract=c, held_on=_after(c), body="congress", total=30,
                                                    present=30, votes_for=20)),
    "sign": (Status.SIGNED, lambda c: s.contract_sign(actor=None, contract=c, signed_on=_after(c), start_on=_after(c),
                                                      end_on=_after(c, 365))),
    "file": (Status.FILED, lambda c: s.contract_file(actor=None, contract=c, filed_on=_after(c), department="人社局")),
    "object": (Status.NEGOTIATING, lambda c: s.contract_object(actor=None, contract=c, objection_on=_after(c),
                                                               note="第5条低于最低工资标准")),
    "approve": (Status.EFFECTIVE, lambda c: s.contract_approve(actor=None, contract=c, approved_on=_after(c))),
    "publish": (Status.PUBLISHED, lambda c: s.contract_publish(actor=None, contract=c,
                                                               published_on=max(_after(c), c.effective_on or _after(c)),
                                                               method="公告栏")),
    "terminate": (Status.TERMINATED, lambda c: s.contract_terminate(actor=None, contract=c, terminated_on=_after(c, 30),
                                                                    reason="企业破产")),
    "abandon": (Status.ABANDONED, lambda c: s.contract_abandon(actor=None, contract=c, on=_after(c), reason="企业关闭")),
}


def _chair(c):
    last = c.meetings.order_by("-round").first()
    return c.offer_side if last is None else (E if last.chair_side == W else W)


@pytest.mark.parametrize("start", [Status.REPRESENTATIVES, Status.OFFERED, Status.PREPARING, Status.NEGOTIATING,
                                   Status.VOTING, Status.PASSED, Status.SIGNED, Status.FILED, Status.PUBLISHED])
def test_every_step_from_every_status(tree, start):
    for name, (target, act) in ACTIONS.items():
        c = drive(tree, start, title=f"{start}-{name}")
        allowed = FLOW.can(start, target)
        if name == "agree" and start == Status.PREPARING:
            allowed = True  # agreement at the first meeting
        if allowed:
            act(c)
            c.refresh_from_db()
            assert c.status == target, (start, name)
        else:
            with pytest.raises(ServiceError) as exc:
                act(c)
            assert "不能" in exc.value.messages[0] or "没有待审议" in exc.value.messages[0], (start, name)
            c.refresh_from_db()
            assert c.status == start


def test_signing_after_a_failed_vote_is_refused_until_a_new_vote_passes(tree):
    c = drive(tree, Status.VOTING)
    s.vote_record(actor=None, contract=c, held_on=D(2026, 3, 27), body="congress", total=50, present=40, votes_for=25)
    c.refresh_from_db()
    assert c.status == Status.NEGOTIATING  # 25 is not more than half of all 50 delegates
    with pytest.raises(ServiceError, match="不能签字"):
        s.contract_sign(actor=None, contract=c, signed_on=D(2026, 3, 30), start_on=D(2026, 4, 1), end_on=D(2027, 3, 31))
    s.meeting_add(actor=None, contract=c, held_on=D(2026, 4, 1), chair_side=W, attendees="双方", minutes="修改第3条",
                  outcome=Meeting.Outcome.AGREED)
    s.vote_record(actor=None, contract=c, held_on=D(2026, 4, 8), body="congress", total=50, present=34, votes_for=26)
    c.refresh_from_db()
    assert c.status == Status.PASSED
    s.contract_sign(actor=None, contract=c, signed_on=D(2026, 4, 9), start_on=D(2026, 4, 10), end_on=D(2027, 4, 9))


@pytest.mark.parametrize("total,present,votes_for,passed", [
    (60, 40, 31, True),   # exactly 2/3 present, 31 > 30
    (60, 39, 39, False),  # quorum missed by one
    (60, 60, 30, False),  # half is not more than half
    (3, 2, 2, True),
])
def test_vote_rule(total, present, votes_for, passed):
    assert s.vote_passes(total, present, votes_for)[0] is passed


@pytest.mark.parametrize("reps,problem", [
    ([(W, "甲", True), (W, "乙", False), (E, "丙", True), (E, "丁", False)], "应为 3–10 人"),
    ([(W, "甲", True), (W, "乙", False), (W, "戊", False), (W, "己", False), (E, "丙", True), (E, "丁", False),
      (E, "庚", False)], "人数应相等"),
    ([(W, "甲", False), (W, "乙", False), (W, "戊", False), (E, "丙", True), (E, "丁", False), (E, "庚", False)],
     "职工方应有且只有一名首席代表"),
])
def test_offer_is_refused_while_representatives_break_the_rules(tree, reps, problem):
    c = open_contract(tree)
    for side, name, chief in reps:
        s.representative_add(actor=None, contract=c, side=side, name=name, is_chief=chief)
    with pytest.raises(ServiceError, match=problem):
        s.contract_offer(actor=None, contract=c, side=W, offered_on=D(2026, 3, 2), topics="工资")
    c.refresh_from_db()
    assert c.status == Status.REPRESENTATIVES


def test_representative_rules(tree):
    c = open_contract(tree)
    s.representative_add(actor=None, contract=c, side=W, name="张三", is_chief=True)
    with pytest.raises(ServiceError, match="不能代表双方"):
        s.representative_add(actor=None, contract=c, side=E, name="张三")
    with pytest.raises(ServiceError, match="已有首席代表"):
        s.representative_add(actor=None, contract=c, side=W, name="李四", is_chief=True)
    with pytest.raises(ServiceError, match="外聘人员不能担任首席代表"):
        s.representative_add(actor=None, contract=c, side=E, name="王五", is_chief=True, is_external=True)
    for name in ("李四", "赵六"):
        s.representative_add(actor=None, contract=c, side=W, name=name, is_external=True)
    s.representative_add(actor=None, contract=c, side=E, name="王五", is_chief=True)
    s.representative_add(actor=None, contract=c, side=E, name="钱七")
    s.representative_add(actor=None, contract=c, side=E, name="孙八")
    with pytest.raises(ServiceError, match="外聘代表 2 人，超过本方代表的1/3"):
        s.contract_offer(actor=None, contract=c, side=W, offered_on=D(2026, 3, 2), topics="工资")
    s.representative_remove(actor=None, rep=Representative.objects.get(contract=c, name="赵六"))
    s.representative_add(actor=None, contract=c, side=W, name="周九")
    s.contract_offer(actor=None, contract=c, side=W, offered_on=D(2026, 3, 2), topics="工资")


def test_refusal_needs_a_reason_and_a_renewed_offer_gets_a_new_deadline(tree):
    c = drive(tree, Status.OFFERED)
    with pytest.raises(ServiceError, match="须写明理由"):
        s.contract_reply(actor=None, contract=c, replied_on=D(2026, 3, 5), accepted=False)
    s.contract_reply(actor=None, contract=c, replied_on=D(2026, 3, 5), accepted=False, note="今年亏损")
    c.refresh_from_db()
    assert c.status == Status.REFUSED and c.next_due_on is None
    s.contract_offer(actor=None, contract=c, side=W, offered_on=D(2026, 9, 21), topics="工资（经上级工会督促）")
    c.refresh_from_db()
    # 20 days from 21 Sep is Sun 11 Oct... the 国庆 调休 Saturday 10 Oct precedes it: Mon 12 Oct.
    assert c.status == Status.OFFERED and c.reply_due_on == D(2026, 10, 12)


def test_meetings_alternate_chairs_and_suspension_needs_a_next_date(tree):
    c = drive(tree, Status.PREPARING)
    with pytest.raises(ServiceError, match="本次应由职工方首席代表主持"):
        s.meeting_add(actor=None, contract=c, held_on=D(2026, 3, 16), chair_side=E, attendees="双方",
                      minutes="记录", outcome=Meeting.Outcome.CONTINUE)
    with pytest.raises(ServiceError, match="约定下次协商的时间"):
        s.meeting_add(actor=None, contract=c, held_on=D(2026, 3, 16), chair_side=W, attendees="双方",
                      minutes="记录", outcome=Meeting.Outcome.SUSPENDED)
    s.meeting_add(actor=None, contract=c, held_on=D(2026, 3, 16), chair_side=W, attendees="双方", minutes="记录",
                  outcome=Meeting.Outcome.SUSPENDED, next_on=D(2026, 4, 1))
    c.refresh_from_db()
    assert c.status == Status.SUSPENDED and c.next_due_on == D(2026, 4, 1)
    with pytest.raises(ServiceError, match="不能早于上次协商日期"):
        s.meeting_add(actor=None, contract=c, held_on=D(2026, 3, 10), chair_side=E, attendees="双方",
                      minutes="记录", outcome=Meeting.Outcome.CONTINUE)
    m = s.meeting_add(actor=None, contract=c, held_on=D(2026, 4, 1), chair_side=E, attendees="双方",
                      minutes="记录", outcome=Meeting.Outcome.CONTINUE)
    assert m.round == 2
    c.refresh_from_db()
    assert c.status == Status.NEGOTIATING


def test_meeting_needs_the_preparation_first(tree):
    c = drive(tree, Status.OFFERED)
    s.contract_reply(actor=None, contract=c, replied_on=D(2026, 3, 10), accepted=True)
    c.refresh_from_db()
    with pytest.raises(ServiceError, match="请先记录协商准备"):
        s.meeting_add(actor=None, contract=c, held_on=D(2026, 3, 16), chair_side=W, attendees="双方",
                      minutes="记录", outcome=Meeting.Outcome.CONTINUE)
    with pytest.raises(ServiceError, match="非协商代表"):
        s.contract_prepare(actor=None, contract=c, prepared_on=D(2026, 3, 12), recorder="职工代表2", topics="工资")


def test_review_objection_returns_to_negotiation_and_clears_the_effect(tree):
    c = drive(tree, Status.FILED)
    with pytest.raises(ServiceError, match="15 日内提出异议"):
        s.contract_object(actor=None, contract=c, objection_on=D(2026, 4, 20), note="晚了")
    s.contract_object(actor=None, contract=c, objection_on=D(2026, 4, 15), note="第5条低于最低工资标准")
    c.refresh_from_db()
    assert c.status == Status.NEGOTIATING and c.effective_on is None and c.signed_on is None
    assert not c.in_force_on(D(2026, 5, 1))


def test_publication_waits_for_the_effect_and_approval_cannot_be_late(tree):
    c = drive(tree, Status.FILED)
    with pytest.raises(ServiceError, match="生效（2026-04-18）后才能"):
        s.contract_publish(actor=None, contract=c, published_on=D(2026, 4, 10), method="公告栏")
    with pytest.raises(ServiceError, match="已于 2026-04-18 生效"):
        s.contract_approve(actor=None, contract=c, approved_on=D(2026, 4, 20))
    s.contract_approve(actor=None, contract=c, approved_on=D(2026, 4, 10))
    c.refresh_from_db()
    assert c.status == Status.EFFECTIVE and c.effective_on == D(2026, 4, 10)
    assert c.publish_due_on == D(2026, 4, 17)


def test_term_and_womens_clauses_are_checked_at_signing(tree):
    c = drive(tree, Status.PASSED)
    with pytest.raises(ServiceError, match="超过 3 年"):
        s.contract_sign(actor=None, contract=c, signed_on=D(2026, 3, 30), start_on=D(2026, 4, 1), end_on=D(2029, 4, 30))
    with pytest.raises(ServiceError, match="不能早于审议通过日期"):
        s.contract_sign(actor=None, contract=c, signed_on=D(2026, 3, 20), start_on=D(2026, 4, 1), end_on=D(2027, 3, 31))
    w = drive(tree, Status.PASSED, contract_type=ContractType.WOMEN, title="女职工专项")
    with pytest.raises(ServiceError, match="至少写明一项女职工权益条款"):
        s.contract_sign(actor=None, contract=w, signed_on=D(2026, 3, 30), start_on=D(2026, 4, 1), end_on=D(2028, 3, 31))
    s.contract_update_terms(actor=None, contract=w, women_clauses=["四期保护", "定期健康检查和妇科病普查"])
    s.contract_sign(actor=None, contract=w, signed_on=D(2026, 3, 30), start_on=D(2026, 4, 1), end_on=D(2028, 3, 31))
    with pytest.raises(ServiceError, match="未知的女职工条款"):
        s.contract_update_terms(actor=None, contract=w, women_clauses=["带薪休假"])


def test_inspections(tree):
    c = drive(tree, Status.PUBLISHED)
    with pytest.raises(ServiceError, match="不在有效期内"):
        s.inspection_record(actor=None, contract=c, checked_on=D(2026, 4, 10), items_checked=10, items_fulfilled=9)
    with pytest.raises(ServiceError, match="不能多于检查条款数"):
        s.inspection_record(actor=None, contract=c, checked_on=D(2026, 7, 10), items_checked=10, items_fulfilled=11)
    s.inspection_record(actor=None, contract=c, checked_on=D(2026, 7, 10), items_checked=10, items_fulfilled=9)
    assert c.inspections.count() == 1


def test_employers_must_be_in_the_unions_area(tree):
    with pytest.raises(ServiceError, match="乙一公司 不在甲一公司工会的覆盖或属地范围内"):
        s.contract_open(actor=None, org=tree.union_a1, contract_type=ContractType.WAGE, title="x",
                        opened_on=D(2026, 3, 2), employers=[tree.emp["b1"]])
    with pytest.raises(ServiceError, match="只能有一家用人单位"):
        s.contract_open(actor=None, org=tree.town_a, contract_type=ContractType.WAGE, title="x",
                        opened_on=D(2026, 3, 2), employers=[tree.emp["a1"], tree.emp["a3"]])
    regional = s.contract_open(actor=None, org=tree.town_a, contract_type=ContractType.WAGE, title="甲镇区域性协议",
                               opened_on=D(2026, 3, 2), employers=[tree.emp["a1"], tree.emp["a3"]],
                               scope_kind="regional")
    assert regional.employees_covered == 130 and regional.parties.count() == 2


def test_scope_and_permissions(tree, personas):
    c = open_contract(tree, actor=personas.town_clerk)
    with pytest.raises(PermissionDenied):
        s.representative_add(actor=personas.leader, contract=c, side=W, name="甲")  # read-only
    with pytest.raises(PermissionDenied):
        s.contract_open(actor=personas.town_clerk, org=tree.union_b1, contract_type=ContractType.WAGE, title="x",
                        opened_on=D(2026, 3, 2), employers=[tree.emp["b1"]])
    assert Contract.objects.count() == 1


def test_renewal_links_the_previous_contract(tree):
    c = drive(tree, Status.PUBLISHED)
    Contract.objects.filter(pk=c.pk).update(year=2025, title="甲一公司2025年工资专项集体协议")
    c.refresh_from_db()
    new = s.contract_renew(actor=None, contract=c, opened_on=D(2026, 11, 2))
    assert new.previous == c and new.title == "甲一公司2026年工资专项集体协议" and new.year == 2026
    assert list(new.parties.values_list("employer", flat=True)) == [tree.emp["a1"].pk]
    with pytest.raises(ServiceError, match="已有续订中的协商"):
        s.contract_renew(actor=None, contract=c, opened_on=D(2026, 11, 3))


def test_a_union_with_an_open_negotiation_cannot_be_dissolved(tree):
    from gonghui.orgs import services as org_services

    add_reps(open_contract(tree))
    with pytest.raises(ServiceError, match="进行中的集体协商"):
        org_services.org_dissolve(actor=None, org=tree.union_a1, dissolved_on=D(2026, 5, 1), reason="企业关闭")


def test_coverage_is_taken_again_at_signing(tree):
    from gonghui.orgs.models import Employer

    c = drive(tree, Status.PASSED)
    assert c.employees_covered == 30
    Employer.objects.filter(pk=tree.emp["a1"].pk).update(headcount=45, women_count=20)
    step(c, Status.SIGNED)
    c.refresh_from_db()
    assert (c.employees_covered, c.women_covered) == (45, 20)
    assert c.parties.get().employees == 45
