"""The small demo gives the portal something to try: member accounts (two with the documented
password, one with a printed activation code), pending applications, a transfer request, a help
and a rights request, and a delegate with 提案, one waiting for his feedback."""

import pytest
from django.utils import timezone

from gonghui.core import demo
from gonghui.democracy.models import Status
from gonghui.members.models import Transfer
from gonghui.portal.demo import MEMBER_PASSWORD
from gonghui.portal.models import Application, HelpRequest, MemberAccount, RightsRequest
from gonghui.portal.models_member import DelegateLink

pytestmark = pytest.mark.django_db


def test_small_demo_has_portal_accounts_and_requests(client):
    ctx = demo.build("small", 7, timezone.localdate(), progress=lambda _: None)
    members = [row for row in ctx.logins if row[2].startswith("会员服务")]
    assert [row[1] for row in members] == [MEMBER_PASSWORD, MEMBER_PASSWORD, "（待激活）"]
    assert "激活码" in members[2][2]
    assert MemberAccount.objects.exclude(password="").count() == 2
    assert Application.objects.filter(status="pending").count() == 2
    assert Transfer.objects.filter(status="pending", reason__startswith="会员在线申请").count() == 1
    assert HelpRequest.objects.count() == 1 and RightsRequest.objects.count() == 1
    link = DelegateLink.objects.get()
    assert {Status.FILED, Status.ANSWERED} <= set(link.delegate.proposals.values_list("status", flat=True))
    r = client.post("/m/login/", {"id_number": members[0][0], "password": MEMBER_PASSWORD})
    assert r.status_code == 302
    body = client.get("/m/motions/").content.decode()
    assert "关于增设职工书屋的建议" in body and "已答复待反馈" in body
