"""Roster pages: scoped lists, search, masking, the full-view log, and the forms."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core.models import AccessLog, AuditEvent
from gonghui.members.models import Membership, MemberStatus, Person, Transfer
from tests.members.conftest import make_id

D = dt.date


def test_roster_is_scoped_masked_and_searchable(client, tree, personas, join):
    a = join(name="单丽", female=True, phone="13812345678", card_no="HN-7")
    join(name="曾国华", union=tree.union_b1)
    client.force_login(personas.town_clerk)
    page = client.get(reverse("members:roster")).content.decode()
    assert "单丽" in page and "曾国华" not in page  # 乙 is outside 甲镇
    assert a.person.id_number not in page and a.person.id_masked in page and "138****5678" in page
    for q in ("单", "shanli", "danli", "sl", "HN-7", a.person.id_last4, a.person.id_number):
        assert "单丽" in client.get(reverse("members:roster"), {"q": q}).content.decode(), q
    assert "单丽" not in client.get(reverse("members:roster"), {"q": "曾"}).content.decode()
    client.force_login(personas.county_admin)
    assert "曾国华" in client.get(reverse("members:roster"), {"q": "zeng"}).content.decode()
    assert "曾国华" in client.get(reverse("members:roster"), {"q": "ceng"}).content.decode()


def test_roster_filters(client, tree, personas, join):
    join(name="男甲", joined_on=D(2024, 3, 1))
    join(name="女乙", female=True, joined_on=D(2025, 3, 1), is_migrant_worker=True)
    client.force_login(personas.county_admin)

    def names(**params):
        page = client.get(reverse("members:roster"), params).content.decode()
        return {n for n in ("男甲", "女乙") if n in page}

    assert names(gender="2") == {"女乙"}
    assert names(migrant="1") == {"女乙"}
    assert names(joined_from="2025-01-01") == {"女乙"}
    assert names(org="B") == set()
    assert names(age_min="30", age_max="40") == {"男甲", "女乙"}  # born 1990
    assert names(age_min="50") == set()
    bad = client.get(reverse("members:roster"), {"joined_from": "soon", "gender": "2"}).content.decode()
    assert "已忽略" in bad and "女乙" in bad and "男甲" not in bad


def test_roster_queries_do_not_grow_with_the_page(client, tree, personas, join):
    client.force_login(personas.county_admin)
    join(name="甲")
    client.get(reverse("members:roster"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("members:roster"))
    for i in range(20):
        join(name=f"会员{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("members:roster"))
    assert len(many) == len(one)


def test_full_view_needs_the_permission_and_a_reason_and_is_logged(client, tree, personas, join):
    m = join(phone="13812345678")
    client.force_login(personas.town_clerk)  # 业务经办: no members.view_sensitive
    detail = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert "查看完整信息" not in detail and m.person.id_number not in detail
    assert client.post(reverse("members:reveal", args=[m.pk]), {"reason": "x"}).status_code == 403
    client.force_login(personas.town_admin)
    assert "查看完整信息" in client.get(reverse("members:detail", args=[m.pk])).content.decode()
    response = client.post(reverse("members:reveal", args=[m.pk]), {"reason": ""})
    assert response.status_code == 302 and AccessLog.objects.count() == 0
    shown = client.post(reverse("members:reveal", args=[m.pk]), {"reason": "核对身份"}).content.decode()
    assert m.person.id_number in shown and "13812345678" in shown
    assert AccessLog.objects.get().reason == "核对身份"


def test_join_through_the_form_keeps_input_on_error(client, tree, personas):
    client.force_login(personas.town_clerk)
    data = {"union_code": "A1", "name": "王五", "id_number": "430121199001010011", "joined_on": "2025-01-01",
            "ethnicity": "01", "employment": "1"}
    page = client.post(reverse("members:join"), data).content.decode()
    assert "校验位不正确" in page and 'value="王五"' in page and Person.objects.count() == 0
    data["union_code"] = "B1"
    assert "不在您的管理范围内" in client.post(reverse("members:join"), data).content.decode()
    data.update(union_code="A1", id_number=make_id(seq=9))
    response = client.post(reverse("members:join"), data)
    m = Membership.objects.get()
    assert response["Location"] == reverse("members:detail", args=[m.pk])
    assert AuditEvent.objects.filter(action="members.member.joined").exists()


def test_status_actions_through_the_pages(client, tree, personas, join):
    m = join()
    client.force_login(personas.town_clerk)
    page = client.post(reverse("members:retain", args=[m.pk]), {"effective_on": "2025-01-01", "reason": ""})
    assert "请填写保留会籍的原因" in page.content.decode()
    client.post(reverse("members:retain", args=[m.pk]), {"effective_on": "2025-01-01", "reason": "退休"})
    client.post(reverse("members:restore", args=[m.pk]), {"effective_on": "2025-02-01"})
    client.post(reverse("members:leave", args=[m.pk]),
                {"status": "withdrawn", "effective_on": "2025-03-01", "reason": "本人申请"})
    m.refresh_from_db()
    assert m.status == MemberStatus.WITHDRAWN
    detail = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    for word in ("保留会籍", "恢复会籍", "退会"):
        assert word in detail


def test_transfer_out_of_scope_then_accepted_by_the_receiving_union(client, tree, personas, join):
    m = join()
    client.force_login(personas.town_clerk)
    client.post(reverse("members:transfer", args=[m.pk]), {"to_union_code": "B1", "effective_on": "2025-04-01"})
    t = Transfer.objects.get()
    assert "等待" in client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert client.post(reverse("members:transfer_decide", args=[t.pk]), {"decision": "accept"}).status_code == 404
    client.force_login(personas.county_admin)
    assert "张三" in client.get(reverse("members:transfers")).content.decode()
    client.post(reverse("members:transfer_decide", args=[t.pk]), {"decision": "reject", "note": ""})
    t.refresh_from_db()
    assert t.status == Transfer.Status.PENDING  # a return needs a reason
    client.post(reverse("members:transfer_decide", args=[t.pk]), {"decision": "accept", "note": "同意"})
    assert Membership.objects.get(ended_on__isnull=True).union == tree.union_b1


def test_edit_keeps_the_phone_when_left_blank(client, tree, personas, join):
    m = join(phone="13812345678")
    client.force_login(personas.town_clerk)
    client.post(reverse("members:edit", args=[m.pk]), {"name": "张三丰", "ethnicity": "01", "employment": "1",
                                                      "phone": ""})
    p = Person.objects.get()
    assert p.name == "张三丰" and p.phone == "13812345678"


def test_access_log_page_lists_full_views_for_auditors_in_scope(client, tree, personas, join):
    m = join()
    client.force_login(personas.town_admin)
    client.post(reverse("members:reveal", args=[m.pk]), {"reason": "核对身份"})
    page = client.get(reverse("core:access_log")).content.decode()
    assert "核对身份" in page and "town_admin" in page
    other = join(union=tree.union_b1)
    client.force_login(personas.county_admin)
    client.post(reverse("members:reveal", args=[other.pk]), {"reason": "乙单位核查"})
    client.force_login(personas.town_admin)
    assert "乙单位核查" not in client.get(reverse("core:access_log")).content.decode()
