"""A member's own transfer request and a delegate's 提案 in the portal, through the members and
democracy lines' services; another member's identifiers give 404."""

import pytest
from django.test import Client

from gonghui.core.audit import AuditEvent
from gonghui.democracy import services as democracy_services
from gonghui.democracy.models import Proposal, Status
from gonghui.members import services as member_services
from gonghui.members.models import MemberStatus, Transfer
from gonghui.portal import services_member
from gonghui.portal.models_member import DelegateLink
from tests.democracy.conftest import make_congress
from tests.members.conftest import make_id

from .conftest import portal_login

pytestmark = pytest.mark.django_db


def test_a_member_asks_for_a_transfer_and_the_receiving_union_accepts(client, tree, member, personas):
    account, membership = member
    portal_login(client, 11)
    r = client.post("/m/transfer/", {"employer": "甲二公司", "reason": "到甲二公司上班"})
    assert r.status_code == 302
    t = Transfer.objects.get()
    assert (t.membership, t.to_union, t.status, t.initiator) == (membership, tree.union_a2, "pending", "from")
    assert AuditEvent.objects.filter(action="portal.transfer.requested", object_id=str(t.pk)).exists()
    body = client.get("/m/records/").content.decode()
    assert "甲二公司工会" in body and "待接收" in body
    # A second request while the first waits: refused, nothing saved, the input kept.
    body = client.post("/m/transfer/", {"employer": "乙一公司", "reason": "又换了"}).content.decode()
    assert "已有一项正在办理的转会申请" in body and "又换了" in body and Transfer.objects.count() == 1
    # The receiving union decides on its transfers page (the members line's service).
    staff = Client()
    staff.force_login(personas.town_clerk)
    assert "甲二公司工会" in staff.get("/members/transfers/").content.decode()
    new = member_services.transfer_accept(actor=personas.town_clerk, transfer=t)
    membership.refresh_from_db()
    assert membership.status == MemberStatus.TRANSFERRED and new.union == tree.union_a2
    assert "已接收" in client.get("/m/transfer/").content.decode()


def test_the_transfer_form_names_the_field_and_keeps_input(client, tree, member):
    portal_login(client, 11)
    body = client.post("/m/transfer/", {"employer": "不存在的公司", "reason": "换工作"}).content.decode()
    assert "未找到该工作单位" in body and "换工作" in body and "error-summary" in body
    body = client.post("/m/transfer/", {"employer": "甲一公司"}).content.decode()
    assert "您已是该工会的会员" in body
    body = client.post("/m/transfer/", {"employer": "甲三公司"}).content.decode()  # no union there
    assert "该单位目前没有可以接收会员的工会" in body
    body = client.post("/m/transfer/", {"employer": "甲二公司", "effective_on": "2099-01-01"}).content.decode()
    assert "不能晚于今天" in body and "2099-01-01" in body
    assert not Transfer.objects.exists()


def test_a_member_sees_only_his_own_transfers(client, tree, member, other_member):
    services_member.transfer_request(account=other_member[0], employer=tree.emp["a2"], reason="王五的申请")
    portal_login(client, 11)
    body = client.get("/m/transfer/").content.decode()
    assert "乙一公司工会" not in body and "王五的申请" not in body and "暂无" in body
    assert "甲二公司工会" not in client.get("/m/records/").content.decode()


def test_the_union_picker_needs_a_member_and_lists_only_community_and_joint_unions(client, tree, member):
    assert client.get("/m/transfer/unions/?q=公司").status_code == 302
    portal_login(client, 11)
    assert "甲一公司工会" not in client.get("/m/transfer/unions/?q=公司").content.decode()


def _delegate_of(tree, personas, seq):
    """A 甲一公司 congress; its first delegate linked by the union clerk to the member `seq`."""
    congress, term, delegates = make_congress(tree)
    staff = Client()
    staff.force_login(personas.union_clerk)
    r = staff.post(f"/m/staff/delegates/{delegates[0].pk}/", {"id_number": make_id(seq=seq)})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert DelegateLink.objects.get(delegate=delegates[0]).person.id_number == make_id(seq=seq)
    return congress, delegates


def test_a_delegate_files_follows_and_gives_feedback_on_a_proposal(client, tree, member, personas):
    congress, delegates = _delegate_of(tree, personas, 11)
    portal_login(client, 11)
    assert "我的提案" in client.get("/m/home/").content.decode()
    r = client.post("/m/motions/new/", {"seat": delegates[0].pk, "title": "", "category": "life",
                                        "content": "食堂增加夜班餐"})
    body = r.content.decode()
    assert "案由" in body and "食堂增加夜班餐" in body and not Proposal.objects.exists()
    r = client.post("/m/motions/new/", {"seat": delegates[0].pk, "title": "增加夜班餐", "category": "life",
                                        "content": "食堂增加夜班餐"})
    p = Proposal.objects.get()
    assert r.status_code == 302 and p.proposer == delegates[0] and p.status == Status.FILED
    assert AuditEvent.objects.filter(action="portal.proposal.filed", object_id=str(p.pk)).exists()
    assert client.post(f"/m/motions/{p.pk}/", {"feedback": "satisfied"}).status_code == 404  # not answered yet
    today = p.filed_on
    democracy_services.proposal_accept(actor=personas.union_clerk, proposal=p, decided_on=today)
    democracy_services.proposal_assign(actor=personas.union_clerk, proposal=p, assigned_on=today, lead_dept="后勤部")
    democracy_services.proposal_answer(actor=personas.union_clerk, proposal=p, answered_on=today,
                                       answer="十二月起供应夜班餐", result_code="A")
    body = client.get(f"/m/motions/{p.pk}/").content.decode()
    assert "十二月起供应夜班餐" in body and "对答复的意见" in body and "后勤部" in body
    body = client.post(f"/m/motions/{p.pk}/", {"note": "谢谢"}).content.decode()
    assert "对答复的意见" in body and "谢谢" in body and "error-summary" in body
    r = client.post(f"/m/motions/{p.pk}/", {"feedback": "satisfied", "note": "谢谢"})
    p.refresh_from_db()
    assert r.status_code == 302 and p.status == Status.CLOSED and p.feedback == "satisfied"
    assert "已反馈" in client.get("/m/motions/").content.decode()


def test_non_delegates_and_other_members_get_404(client, tree, member, other_member, personas):
    congress, delegates = _delegate_of(tree, personas, 11)
    p = democracy_services.proposal_file(actor=None, congress=congress, title="增加夜班餐", content="理由",
                                         category="life", proposer=delegates[0],
                                         filed_on=congress.terms.get().started_on)
    portal_login(client, 12)  # 王五: no delegate seat
    assert "我的提案" not in client.get("/m/home/").content.decode()
    for url in ("/m/motions/", "/m/motions/new/", f"/m/motions/{p.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/m/motions/{p.pk}/", {"feedback": "satisfied"}).status_code == 404
    # A delegate sees his own 提案 only: another delegate's gives 404.
    other = democracy_services.proposal_file(actor=None, congress=congress, title="另一提案", content="理由",
                                             category="life", proposer=delegates[1],
                                             filed_on=congress.terms.get().started_on)
    mine = Client()
    portal_login(mine, 11)
    assert mine.get(f"/m/motions/{p.pk}/").status_code == 200
    assert mine.get(f"/m/motions/{other.pk}/").status_code == 404
    assert "另一提案" not in mine.get("/m/motions/").content.decode()


def test_a_delegate_links_only_to_a_member_of_the_congress_union(client, tree, other_member, personas):
    congress, term, delegates = make_congress(tree)
    staff = Client()
    staff.force_login(personas.union_clerk)
    body = staff.post(f"/m/staff/delegates/{delegates[0].pk}/", {"id_number": make_id(seq=12)}).content.decode()
    assert "没有该公民身份号码的在会会员" in body and "乙一公司工会" not in body
    assert not DelegateLink.objects.exists()
    assert delegates[0].name in staff.get("/m/staff/delegates/").content.decode()
