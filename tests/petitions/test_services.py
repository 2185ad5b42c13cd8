"""Petition workflow, deadlines, forwarding across scopes, extensions, A/B hand-over, masking."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core import scope
from gonghui.core.errors import ServiceError
from gonghui.core.models import AccessLog, AuditEvent
from gonghui.petitions import services
from gonghui.petitions.models import Extension, Petition, Status
from tests.conftest import make_user

from .conftest import make_mediation, make_petition

D = dt.date
pytestmark = pytest.mark.django_db


def _walk_to_reply(p, replied_on=None, amount=0):
    replied_on = replied_on or D(2025, 4, 10)
    p = services.petition_accept(actor=None, petition=p, notice_on=p.received_on + dt.timedelta(days=2))
    p = services.petition_progress(actor=None, petition=p, on=p.accepted_on, note="约谈企业负责人")
    return services.petition_reply(actor=None, petition=p, replied_on=replied_on, result="support",
                                   summary="企业已补发工资", amount_recovered=amount)


# --- deadlines on the seeded holiday calendar --------------------------------------------------

def test_notice_due_rolls_past_national_day(tree, today):
    # 16 Sep 2025 + 15 days = 1 Oct, inside the 1–8 Oct holiday: the period ends on Thu 9 Oct.
    p = make_petition(tree.town_a, received_on=D(2025, 9, 16))
    assert p.notice_due == D(2025, 10, 9)
    assert p.objection_due is None


def test_a_forwarded_case_has_five_working_days_to_object(tree, today):
    # Fri 26 Sep 2025: Sun 28 Sep is a 调休 working day, 1–8 Oct are off, Sat 11 Oct works.
    p = make_petition(tree.town_a, received_on=D(2025, 9, 26), channel="forwarded")
    assert p.objection_due == D(2025, 10, 10)
    assert p.source_org_name == "市总工会"


def test_conclusion_due_sixty_days_after_acceptance_and_the_forwarders_date(tree, today):
    p = make_petition(tree.town_a, received_on=D(2025, 3, 3))
    p = services.petition_accept(actor=None, petition=p, notice_on=D(2025, 3, 5))
    assert p.close_due == D(2025, 5, 6)
    # 5 Mar + 60 = 4 May (Sun, inside 1–5 May holiday) -> next working day Tue 6 May.
    q = make_petition(tree.town_a, received_on=D(2025, 3, 3), channel="forwarded", required_by=D(2025, 4, 1))
    q = services.petition_accept(actor=None, petition=q, notice_on=D(2025, 3, 5))
    assert q.close_due == D(2025, 4, 1)  # the forwarding body asked for an earlier date


def test_forwarded_cases_need_the_source_and_its_reference(tree, today):
    with pytest.raises(ServiceError, match="转办文号"):
        make_petition(tree.town_a, channel="forwarded", source_ref="")
    with pytest.raises(ServiceError, match="转办单位"):
        make_petition(tree.town_a, channel="forwarded", source_org_name=" ")


def test_five_petitioners_make_a_group_case_with_at_most_five_representatives(tree, today):
    four = make_petition(tree.town_a, people_count=4)
    five = make_petition(tree.town_a, people_count=5)
    assert (four.is_group, five.is_group) == (False, True)
    six = [{"name": f"代表{i}"} for i in range(6)]
    with pytest.raises(ServiceError, match="不超过5名代表"):
        make_petition(tree.town_a, people_count=30, petitioners=six)
    with pytest.raises(ServiceError, match="少于登记的信访人"):
        make_petition(tree.town_a, people_count=2, petitioners=six[:3])


def test_bad_input_is_refused_with_the_field(tree, today):
    with pytest.raises(ServiceError) as err:
        make_petition(tree.town_a, received_on=D(2026, 1, 5))
    assert err.value.field == "received_on" and "不能晚于今天" in err.value.messages[0]
    with pytest.raises(ServiceError, match="第1名信访人的证件号码有误"):
        make_petition(tree.town_a, petitioners=[{"name": "张三", "id_number": "110105199001011234"}])
    with pytest.raises(ServiceError, match="诉求类别"):
        make_petition(tree.town_a, category="nonsense")
    with pytest.raises(ServiceError, match="不是“乙街道总工会”的下级|不是"):
        make_petition(tree.town_b, channel="reported", reported_from=tree.union_a1)


# --- transitions ---------------------------------------------------------------------------------

def test_a_case_walks_from_intake_to_final_answer(tree, today):
    p = make_petition(tree.town_a, received_on=D(2025, 3, 3))
    p = _walk_to_reply(p, amount="12000.50")
    p = services.petition_close(actor=None, petition=p, closed_on=D(2025, 4, 12), satisfaction="satisfied")
    assert p.status == Status.CLOSED and p.amount_recovered == Decimal("12000.50") and not p.close_late
    p = services.petition_review_request(actor=None, petition=p, requested_on=D(2025, 5, 1))
    assert p.status == Status.REVIEW and p.review_due == D(2025, 6, 3)  # 31 May–2 Jun: 端午
    p = services.petition_review_reply(actor=None, petition=p, replied_on=D(2025, 5, 20), summary="维持")
    assert p.status == Status.CLOSED
    p = services.petition_review_request(actor=None, petition=p, requested_on=D(2025, 6, 10))
    assert p.status == Status.RECHECK
    p = services.petition_review_reply(actor=None, petition=p, replied_on=D(2025, 6, 20), summary="维持")
    assert p.status == Status.FINAL
    actions = list(p.events.order_by("id").values_list("action", flat=True))
    assert actions == ["登记", "受理并告知", "办理", "答复", "办结", "申请复查", "复查答复", "申请复核",
                       "复核答复（终结）"]
    assert AuditEvent.objects.filter(action__startswith="petitions.petition.", object_id=str(p.pk)).count() == 9
    with pytest.raises(ServiceError, match="当前状态为“终结”"):
        services.petition_reopen(actor=None, petition=p, on=D(2025, 7, 1), reason="再诉")


def test_steps_out_of_order_are_refused(tree, today):
    p = make_petition(tree.town_a)
    with pytest.raises(ServiceError, match="当前状态为“登记（待受理）”，不能答复"):
        services.petition_reply(actor=None, petition=p, replied_on=D(2025, 4, 1), result="support", summary="x")
    with pytest.raises(ServiceError, match="不能办结"):
        services.petition_close(actor=None, petition=p, closed_on=D(2025, 4, 1), satisfaction="satisfied")
    with pytest.raises(ServiceError, match="不能早于收到日期"):
        services.petition_accept(actor=None, petition=p, notice_on=D(2025, 3, 1))
    p = services.petition_reject(actor=None, petition=p, notice_on=D(2025, 3, 5), reason="不属于工会职责")
    with pytest.raises(ServiceError, match="不能受理"):
        services.petition_accept(actor=None, petition=p, notice_on=D(2025, 3, 6))
    p = services.petition_reopen(actor=None, petition=p, on=D(2025, 3, 10), reason="补充了材料")
    assert p.status == Status.REGISTERED and p.notice_due == D(2025, 3, 25)


def test_review_must_be_asked_within_thirty_days(tree, today):
    p = _walk_to_reply(make_petition(tree.town_a))
    p = services.petition_close(actor=None, petition=p, closed_on=D(2025, 4, 12), satisfaction="unsatisfied")
    with pytest.raises(ServiceError, match="已超过期限"):
        services.petition_review_request(actor=None, petition=p, requested_on=D(2025, 5, 20))


def test_reopening_a_closed_case_starts_a_new_period(tree, today):
    p = _walk_to_reply(make_petition(tree.town_a))
    p = services.petition_close(actor=None, petition=p, closed_on=D(2025, 4, 12), satisfaction="unsatisfied")
    p = services.petition_reopen(actor=None, petition=p, on=D(2025, 4, 20), reason="企业未兑现")
    assert p.status == Status.HANDLING and p.replied_on is None and p.close_due == D(2025, 6, 19)


# --- extensions -----------------------------------------------------------------------------------

def test_extension_needs_an_approver_who_is_not_the_requester(tree, personas, today):
    p = make_petition(tree.union_a1, actor=personas.town_admin, received_on=D(2025, 3, 3))
    p = services.petition_accept(actor=personas.town_admin, petition=p, notice_on=D(2025, 3, 5))
    ext = services.extension_request(actor=personas.town_admin, petition=p, requested_on=D(2025, 4, 20),
                                     reason="涉及多家用工单位")
    with pytest.raises(ServiceError, match="已有一项延期申请"):
        services.extension_request(actor=personas.town_admin, petition=p, requested_on=D(2025, 4, 21), reason="x")
    with pytest.raises(ServiceError, match="不能审批本人"):
        services.extension_decide(actor=personas.town_admin, extension=ext, approve=True, decided_on=D(2025, 4, 21))
    with pytest.raises(PermissionDenied):  # 业务经办 holds no petitions.approve
        services.extension_decide(actor=personas.town_clerk, extension=ext, approve=True, decided_on=D(2025, 4, 21))
    approver = make_user("approver", tree.town_a, "审批")
    ext = services.extension_decide(actor=approver, extension=ext, approve=True, decided_on=D(2025, 4, 21))
    p.refresh_from_db()
    # 6 May + 30 = 5 Jun (Thu).
    assert ext.state == Extension.State.APPROVED and p.close_due == D(2025, 6, 5) and p.extended
    with pytest.raises(ServiceError, match="只能延长一次"):
        services.extension_request(actor=personas.town_admin, petition=p, requested_on=D(2025, 4, 22), reason="x")


def test_a_refused_extension_keeps_the_due_date(tree, personas, today):
    p = services.petition_accept(actor=None, petition=make_petition(tree.town_a), notice_on=D(2025, 3, 5))
    ext = services.extension_request(actor=personas.town_clerk, petition=p, requested_on=D(2025, 4, 1), reason="x")
    services.extension_decide(actor=personas.county_admin, extension=ext, approve=False, decided_on=D(2025, 4, 2))
    p.refresh_from_db()
    assert p.close_due == D(2025, 5, 6) and not p.extended


# --- forwarding down and reporting up, across scopes ----------------------------------------------

def test_forwarding_down_moves_the_case_into_the_subordinates_queue(tree, personas, today):
    b_clerk = make_user("b_clerk", tree.town_b, "业务经办")
    p = make_petition(tree.root, actor=personas.county_admin, channel="forwarded", received_on=D(2025, 3, 3))
    assert not scope.visible(Petition.objects.filter(pk=p.pk), personas.town_clerk, "petitions.view").exists()
    p = services.petition_forward(actor=personas.county_admin, petition=p, to_org=tree.town_a, on=D(2025, 3, 4))
    assert p.org == tree.town_a and p.forwarded_from == tree.root and p.notice_due == D(2025, 3, 19)
    # The town now sees it in its queue; the county still sees its progress; the sibling never does.
    assert scope.visible(Petition.objects.filter(pk=p.pk), personas.town_clerk, "petitions.view").exists()
    assert scope.visible(Petition.objects.filter(pk=p.pk), personas.county_admin, "petitions.view").exists()
    assert not scope.visible(Petition.objects.filter(pk=p.pk), b_clerk, "petitions.view").exists()
    p = services.petition_accept(actor=personas.town_clerk, petition=p, notice_on=D(2025, 3, 6))
    with pytest.raises(PermissionDenied):
        services.petition_progress(actor=b_clerk, petition=p, on=D(2025, 3, 7), note="x")
    # A town cannot forward sideways or upwards.
    q = make_petition(tree.town_a, actor=personas.town_clerk)
    with pytest.raises(ServiceError, match="只能转办给本单位的下级"):
        services.petition_forward(actor=personas.town_clerk, petition=q, to_org=tree.town_b, on=D(2025, 3, 4))


def test_objection_within_five_working_days_sends_it_back(tree, personas, today):
    p = make_petition(tree.root, received_on=D(2025, 9, 22))
    p = services.petition_forward(actor=None, petition=p, to_org=tree.town_a, on=D(2025, 9, 26))
    assert p.objection_due == D(2025, 10, 10)
    late = make_petition(tree.root, received_on=D(2025, 9, 22))
    late = services.petition_forward(actor=None, petition=late, to_org=tree.town_a, on=D(2025, 9, 26))
    with pytest.raises(ServiceError, match="已超过异议期限"):
        services.petition_object(actor=personas.town_clerk, petition=late, on=D(2025, 10, 13), reason="不属本镇")
    p = services.petition_object(actor=personas.town_clerk, petition=p, on=D(2025, 10, 10), reason="不属本镇")
    assert p.org == tree.root and p.forwarded_from is None and p.status == Status.REGISTERED
    assert not scope.visible(Petition.objects.filter(pk=p.pk), personas.town_clerk, "petitions.view").exists()


def test_reported_up_from_a_subordinate(tree, personas, today):
    p = make_petition(tree.town_a, actor=personas.town_clerk, channel="reported", reported_from=tree.union_a1)
    assert p.reported_from == tree.union_a1 and not p.is_forwarded_in
    with pytest.raises(ServiceError, match="须选择上报单位"):
        make_petition(tree.town_a, channel="reported")


# --- A/B hand-over -----------------------------------------------------------------------------

def test_b_takes_over_while_a_is_absent(tree, personas, today):
    a, b = personas.town_clerk, make_user("b_role", tree.town_a, "业务经办")
    p = make_petition(tree.union_a1, handler_a=a, handler_b=b)
    assert services.effective_handler(p, D(2025, 5, 1)) == a
    mine = lambda user, on: set(Petition.objects.filter(services.my_cases_q(user, on)).values_list("pk", flat=True))  # noqa: E731
    assert mine(a, D(2025, 5, 1)) == {p.pk} and mine(b, D(2025, 5, 1)) == set()
    services.absence_mark(actor=personas.town_admin, user=a, org=tree.town_a, starts_on=D(2025, 5, 6),
                          ends_on=D(2025, 5, 9), reason="培训")
    assert services.effective_handler(p, D(2025, 5, 7)) == b
    assert mine(a, D(2025, 5, 7)) == set() and mine(b, D(2025, 5, 7)) == {p.pk}
    assert mine(a, D(2025, 5, 12)) == {p.pk} and mine(b, D(2025, 5, 12)) == set()  # A is back
    assert p.events.filter(action="A/B角交接").count() == 1
    with pytest.raises(ServiceError, match="同一人"):
        services.petition_assign(actor=None, petition=p, handler_a=a, handler_b=a)
    with pytest.raises(ServiceError, match="没有办理本单位信访的权限"):
        services.petition_assign(actor=None, petition=p, handler_a=a, handler_b=personas.leader)


# --- personal data -----------------------------------------------------------------------------

def test_full_identity_needs_view_sensitive_and_is_logged(tree, personas, today):
    p = make_petition(tree.union_a1, petitioners=[
        {"name": "王小花", "id_number": "11010519491231002X", "phone": "13800001234", "address": "甲镇一路1号"}])
    person = p.petitioners.get()
    assert person.name_masked == "王**" and person.id_masked == "110105********002X"
    assert person.phone_masked == "138****1234" and "11010519491231002X" not in person.id_cipher
    with pytest.raises(PermissionDenied):
        services.petition_reveal(user=personas.town_clerk, petition=p, reason="核实")
    shown = services.petition_reveal(user=personas.town_admin, petition=p, reason="回访核实")
    assert shown == [{"name": "王小花", "id_number": "11010519491231002X", "phone": "13800001234",
                      "address": "甲镇一路1号"}]
    log = AccessLog.objects.get(object_type="petitions.petition")
    assert log.user_name == "town_admin" and log.reason == "回访核实"
    entry = AuditEvent.objects.get(action="petitions.petition.registered")
    assert "13800001234" not in str(entry.changes) and "王小花" not in str(entry.changes)


# --- mediation ---------------------------------------------------------------------------------

def test_mediation_fifteen_days_and_its_results(tree, today):
    m = make_mediation(tree.union_a1, applied_on=D(2025, 9, 19))
    assert m.due_on == D(2025, 10, 9)  # 4 Oct falls in the National-Day holiday
    services.mediation_session_add(actor=None, mediation=m, held_on=D(2025, 9, 22), notes="双方到场")
    with pytest.raises(ServiceError, match="须填写调解协议内容"):
        services.mediation_close(actor=None, mediation=m, state="succeeded", closed_on=D(2025, 9, 25))
    m = services.mediation_close(actor=None, mediation=m, state="succeeded", closed_on=D(2025, 9, 25),
                                 agreement_terms="10月底前支付工资差额", agreed_amount="8000")
    assert m.agreed_amount == Decimal("8000.00") and not m.referred_to_arbitration
    with pytest.raises(ServiceError, match="已结案"):
        services.mediation_session_add(actor=None, mediation=m, held_on=D(2025, 9, 26), notes="x")
    failed = services.mediation_close(actor=None, mediation=make_mediation(tree.union_a1), state="failed",
                                      closed_on=D(2025, 3, 20))
    assert failed.referred_to_arbitration and failed.overdue_on(D(2025, 12, 1)) is False
    with pytest.raises(ServiceError, match="被申请人"):
        make_mediation(tree.union_a1, employer_name="")


def test_reporting_up_hands_the_case_to_the_superior_and_the_union_follows_it(tree, personas, today):
    p = make_petition(tree.union_a1, actor=personas.union_clerk, channel="visit", received_on=D(2025, 3, 3))
    p = services.petition_report_up(actor=personas.union_clerk, petition=p, on=D(2025, 3, 5), note="涉及多家企业")
    assert (p.org, p.reported_from, p.channel, p.notice_due) == (tree.town_a, tree.union_a1, "reported",
                                                                 D(2025, 3, 20))
    seen = lambda user: Petition.objects.filter(services.visible_q(user), pk=p.pk).exists()  # noqa: E731
    b_clerk = make_user("b_clerk", tree.town_b, "业务经办")
    assert seen(personas.union_clerk) and seen(personas.town_clerk) and not seen(b_clerk)
    a2_clerk = make_user("a2_clerk", tree.union_a2, "业务经办")
    assert not seen(a2_clerk)  # a sibling union never sees it
    with pytest.raises(PermissionDenied):  # the reporting union follows, it no longer handles
        services.petition_accept(actor=personas.union_clerk, petition=p, notice_on=D(2025, 3, 6))
    services.petition_accept(actor=personas.town_clerk, petition=p, notice_on=D(2025, 3, 6))
    with pytest.raises(ServiceError, match="只有待受理的案件可以上报"):
        services.petition_report_up(actor=None, petition=p, on=D(2025, 3, 7))
    with pytest.raises(ServiceError, match="没有上级工会"):
        services.petition_report_up(actor=None, petition=make_petition(tree.root), on=D(2025, 3, 7))


def test_registration_details_can_be_corrected_but_not_after_the_final_answer(tree, today):
    p = make_petition(tree.town_a, people_count=2, petitioners=[{"name": "甲"}, {"name": "乙"}])
    p = services.petition_update(actor=None, petition=p, title="拖欠工资及加班费", people_count=7,
                                 amount_claimed="1200.5")
    assert (p.title, p.is_group, p.amount_claimed) == ("拖欠工资及加班费", True, Decimal("1200.50"))
    assert p.events.filter(action="修改登记信息").get().note == "事由、涉及人数、诉求金额(元)"
    with pytest.raises(ServiceError, match="不能少于登记的信访人"):
        services.petition_update(actor=None, petition=p, people_count=1)
    assert services.petition_update(actor=None, petition=p, title="拖欠工资及加班费") == p  # nothing changed
    assert p.events.filter(action="修改登记信息").count() == 1
