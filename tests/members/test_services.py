"""Membership services: 入会, 转会, 保留会籍, 恢复, 退会/除名/死亡, and their bad inputs."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core import crypto
from gonghui.core.errors import ServiceError
from gonghui.core.models import AccessLog, AuditEvent
from gonghui.members import services
from gonghui.members.models import MemberEvent, Membership, MemberStatus, MemberStatusPeriod, Person, Transfer
from gonghui.orgs import services as org_services
from tests.members.conftest import make_id

D = dt.date


def counts():
    return (Person.objects.count(), Membership.objects.count(), MemberStatusPeriod.objects.count(),
            MemberEvent.objects.count(), AuditEvent.objects.count(), Transfer.objects.count())


def test_join_encrypts_the_id_number_and_keeps_derived_columns(tree, personas):
    number = make_id("19880215", 7, female=True)
    m = services.member_join(actor=personas.union_clerk, union=tree.union_a1, name="李丽", id_number=number,
                             joined_on=D(2024, 5, 1), phone="13812345678", card_no="HN0001")
    p = m.person
    assert number not in p.id_cipher and p.id_number == number
    assert (p.id_masked, p.id_last4, p.gender, p.birth_date) == (number[:6] + "********" + number[-4:], number[-4:], 2,
                                                                 D(1988, 2, 15))
    assert p.phone_masked == "138****5678" and p.phone == "13812345678"
    assert p.pinyin_keys == " lili ll "
    entry = AuditEvent.objects.get(action="members.member.joined")
    assert entry.changes["id_number"] == "***" and number not in str(entry.changes)
    assert services.find_person(number.lower()) == p


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"id_number": "430121199001010011"}, "校验位不正确"),
    ({"id_number": 4.30121199001e17}, "须以文本录入"),
    ({"id_number": "4301211990"}, "应为18位"),
    ({"id_number": make_id("19900231")}, "不是有效日期"),
    ({"name": " "}, "请填写姓名"),
    ({"gender": 2}, "性别与公民身份号码不符"),
    ({"birth_date": D(1991, 1, 1)}, "出生日期与公民身份号码不符"),
    ({"phone": "12345"}, "手机号码"),
    ({"joined_on": D(2019, 1, 1)}, "不能早于工会成立日期"),
    ({"joined_on": D(2999, 1, 1)}, "不能晚于今天"),
])
def test_join_refuses_bad_input_and_saves_nothing(tree, join, kwargs, message):
    before = counts()
    with pytest.raises(ServiceError, match=message):
        join(**kwargs)
    assert counts() == before


def test_one_person_one_current_membership(tree, join):
    number = make_id(seq=42)
    join(id_number=number)
    with pytest.raises(ServiceError, match="已是“甲一公司工会”的会员，请办理转会"):
        join(union=tree.union_b1, id_number=number, name="张三")
    with pytest.raises(ServiceError, match="会员证号“C1”已被使用"):
        join(card_no="C1") and join(card_no="C1")


def test_members_register_in_grassroots_unions_only(tree, join):
    with pytest.raises(ServiceError, match="会员应登记在基层工会"):
        join(union=tree.town_a)


def test_transfer_in_scope_is_immediate(tree, join, personas):
    m = join(actor=personas.county_admin, card_no="K9")
    new = services.member_transfer(actor=personas.county_admin, membership=m, to_union=tree.union_b1,
                                   effective_on=D(2025, 1, 10), reason="调动")
    m.refresh_from_db()
    assert (m.ended_on, m.status, m.card_no) == (D(2025, 1, 10), MemberStatus.TRANSFERRED, "")
    assert (new.union, new.status, new.card_no, new.started_on) == (tree.union_b1, MemberStatus.ACTIVE, "K9",
                                                                   D(2025, 1, 10))
    kinds = set(MemberEvent.objects.values_list("kind", flat=True))
    assert {MemberEvent.Kind.TRANSFERRED_OUT, MemberEvent.Kind.TRANSFERRED_IN} <= kinds


def test_transfer_out_of_scope_waits_for_the_receiving_union(tree, join, personas):
    m = join(actor=personas.town_clerk)
    transfer = services.member_transfer(actor=personas.town_clerk, membership=m, to_union=tree.union_b1,
                                        effective_on=D(2025, 2, 1))
    assert isinstance(transfer, Transfer) and transfer.status == Transfer.Status.PENDING
    m.refresh_from_db()
    assert m.is_current  # still a member of 甲一 until accepted
    with pytest.raises(ServiceError, match="已有待接收"):
        services.member_transfer(actor=personas.town_clerk, membership=m, to_union=tree.union_b1,
                                 effective_on=D(2025, 2, 1))
    with pytest.raises(PermissionDenied):
        services.transfer_accept(actor=personas.town_clerk, transfer=transfer)
    with pytest.raises(ServiceError, match="退回须填写理由"):
        services.transfer_reject(actor=personas.county_admin, transfer=transfer, note="")
    new = services.transfer_accept(actor=personas.county_admin, transfer=transfer)
    assert new.union == tree.union_b1 and new.started_on == D(2025, 2, 1)
    with pytest.raises(ServiceError, match="已处理"):
        services.transfer_accept(actor=personas.county_admin, transfer=transfer)


def test_retain_restore_and_leave(tree, join):
    m = join()
    with pytest.raises(ServiceError, match="请填写保留会籍的原因"):
        services.member_retain(actor=None, membership=m, effective_on=D(2025, 1, 1), reason="")
    services.member_retain(actor=None, membership=m, effective_on=D(2025, 1, 1), reason="退休")
    with pytest.raises(ServiceError, match="不能办理“保留会籍”"):
        services.member_retain(actor=None, membership=m, effective_on=D(2025, 2, 1), reason="x")
    with pytest.raises(ServiceError, match="不能早于该会员上一次状态变动"):
        services.member_restore(actor=None, membership=m, effective_on=D(2024, 12, 1))
    services.member_restore(actor=None, membership=m, effective_on=D(2025, 3, 1))
    services.member_leave(actor=None, membership=m, status=MemberStatus.WITHDRAWN, effective_on=D(2025, 4, 1),
                          reason="本人申请")
    m.refresh_from_db()
    assert (m.status, m.ended_on) == (MemberStatus.WITHDRAWN, D(2025, 4, 1))
    assert list(m.periods.order_by("valid_from").values_list("status", "valid_from", "valid_to")) == [
        ("active", D(2024, 3, 1), D(2025, 1, 1)), ("retained", D(2025, 1, 1), D(2025, 3, 1)),
        ("active", D(2025, 3, 1), D(2025, 4, 1))]
    with pytest.raises(ServiceError, match="已终止"):
        services.member_leave(actor=None, membership=m, status=MemberStatus.DECEASED, effective_on=D(2025, 5, 1),
                              reason="")
    # Re-joining later is allowed and keeps the same person.
    again = services.member_join(actor=None, union=tree.union_a2, name="张三", id_number=m.person.id_number,
                                 joined_on=D(2025, 6, 1))
    assert again.person == m.person and Person.objects.count() == 1


def test_dissolution_is_refused_while_members_remain(tree, join):
    join(union=tree.union_b1)
    with pytest.raises(ServiceError, match="还有会员1人"):
        org_services.org_dissolve(actor=None, org=tree.union_b1, dissolved_on=D(2025, 6, 1), reason="关闭")


def test_reveal_needs_the_sensitive_permission_and_is_logged(tree, join, personas):
    m = join()
    with pytest.raises(PermissionDenied):
        services.person_reveal(user=personas.town_clerk, person=m.person)
    assert AccessLog.objects.count() == 0
    shown = services.person_reveal(user=personas.town_admin, person=m.person, reason="核对身份")
    assert shown["id_number"] == m.person.id_number
    log = AccessLog.objects.get()
    assert (log.user_name, log.kind, log.object_id, log.reason) == ("town_admin", "view_full", str(m.person.pk),
                                                                   "核对身份")


def test_reveal_after_a_transfer_is_decided_by_the_current_union(tree, join, personas):
    # 甲镇's admin covers the old union (甲一) only; after the move to 乙一 (乙街道) the person is
    # no longer theirs, and the county admin's access is logged under the new union.
    m = join(union=tree.union_a1)
    services.member_transfer(actor=personas.county_admin, membership=m, to_union=tree.union_b1,
                             effective_on=D(2025, 1, 10), reason="调动")
    with pytest.raises(PermissionDenied):
        services.person_reveal(user=personas.town_admin, person=m.person, reason="核对身份")
    services.person_reveal(user=personas.county_admin, person=m.person, reason="核对身份")
    assert AccessLog.objects.get().org_path == tree.union_b1.path


def test_reveal_of_a_former_member_uses_the_last_union(tree, join, personas):
    m = join(union=tree.union_a1)
    moved = services.member_transfer(actor=personas.county_admin, membership=m, to_union=tree.union_b1,
                                     effective_on=D(2025, 1, 10), reason="调动")
    services.member_leave(actor=personas.county_admin, membership=moved, status=MemberStatus.WITHDRAWN,
                          effective_on=D(2025, 3, 1), reason="本人申请")
    services.person_reveal(user=personas.county_admin, person=m.person, reason="核对身份")
    assert AccessLog.objects.get().org_path == tree.union_b1.path


def test_scope_applies_to_every_service(tree, join, personas):
    with pytest.raises(PermissionDenied):
        join(union=tree.union_b1, actor=personas.town_clerk)
    m = join(union=tree.union_b1)
    with pytest.raises(PermissionDenied):
        services.member_retain(actor=personas.town_clerk, membership=m, effective_on=D(2025, 1, 1), reason="退休")


def test_person_update_masks_the_phone_in_the_log(tree, join):
    m = join(phone="13900000000")
    services.person_update(actor=None, person=m.person, phone="13911112222", education="20")
    entry = AuditEvent.objects.get(action="members.person.updated")
    assert entry.changes["phone"] == ["***", "***"] and entry.changes["education"] == ["", "20"]
    assert crypto.decrypt(Person.objects.get().phone_cipher) == "13911112222"
