"""The start page as each persona's workbench (issue 15, item 14): my to-do items, my drafts, the
quick actions I may use, notices from the level above; a read-only leader sees the figures and due
items of his subtree and no action he may not take."""

import datetime as dt
import re

from django.urls import reverse

from gonghui.assistance import services as assistance
from gonghui.bargaining.models import Status
from gonghui.core import clock, notices
from gonghui.core.models import AuditEvent, Notice
from gonghui.petitions import services as petitions
from tests.bargaining.conftest import open_contract
from tests.conftest import make_user
from tests.members.conftest import make_id
from tests.petitions.conftest import make_petition

D = dt.date
ACTIONS = ("新增会员（入会）", "登记信访", "困难职工建档", "开始集体协商")


def notices_on_home(client):
    found = re.search(r'id="wb-notices">(.*?)</ul>', client.get(reverse("core:home")).content.decode(), re.S)
    return found.group(1) if found else ""


def drafts_of(client):
    return client.get(reverse("core:workbench_drafts")).content.decode()


def test_each_persona_gets_the_quick_actions_he_may_use_and_no_other(client, tree, personas):
    for who in ("town_clerk", "union_clerk", "town_admin"):
        client.force_login(getattr(personas, who))
        page = client.get(reverse("core:home")).content.decode()
        actions = re.search(r'id="wb-actions">(.*?)</ul>', page, re.S).group(1)
        assert all(f">{label}<" in actions for label in ACTIONS), who
    client.force_login(personas.town_admin)  # 单位管理员 also registers employers
    assert ">登记用人单位<" in client.get(reverse("core:home")).content.decode()
    for who in ("leader", "outsider"):
        client.force_login(getattr(personas, who))
        page = client.get(reverse("core:home")).content.decode()
        assert 'id="wb-actions"' not in page and not any(label in page for label in ACTIONS), who


def test_the_leader_sees_the_figures_and_due_items_of_his_subtree_and_acts_on_nothing(client, tree, personas):
    client.force_login(personas.leader)  # 查阅 on the county
    page = client.get(reverse("core:home")).content.decode()
    assert f'hx-get="{reverse("core:workbench_figures")}"' in page
    figures = client.get(reverse("core:workbench_figures")).content.decode()
    assert "长沙县总工会" in figures and 'data-metric="orgs.unions_total"' in figures
    todo = client.get(reverse("core:workbench_todo")).content.decode()
    assert "甲一公司工会" in todo  # its term ended in 2023: overdue, in 甲镇 under the county
    assert "没有未完成的草稿" in drafts_of(client)
    assert "发布通知" not in client.get(reverse("core:notices")).content.decode()
    assert client.get(reverse("core:notice_new")).status_code == 403


def test_my_drafts_are_the_records_i_started_and_have_not_carried_through(client, tree, personas):
    clerk = personas.town_clerk
    petition = make_petition(tree.union_a1, actor=clerk, received_on=clock.today(), title="拖欠三个月工资")
    make_petition(tree.union_a2, actor=personas.county_admin, title="别人登记的信访")
    contract = open_contract(tree, actor=clerk, title="甲一公司2026年工资专项集体协议")
    archive = assistance.archive_create(
        actor=clerk, org=tree.union_a1, head_name="李困难", id_number=make_id(seq=700), created_on=D(2026, 3, 2),
        region_code="430121", main_cause="06", monthly_wage=500, category="deep")
    client.force_login(clerk)
    page = drafts_of(client)
    assert "拖欠三个月工资" in page and "登记（待受理）" in page
    assert "甲一公司2026年工资专项集体协议" in page and Status.REPRESENTATIVES.label in page
    assert "李困难" in page and "建档待公示" in page
    assert "别人登记的信访" not in page
    assert re.search(r"共 3 项", page)
    # Carried through: accepted, put on notice — they leave the list.
    petitions.petition_accept(actor=clerk, petition=petition, notice_on=clock.today())
    assistance.archive_start_notice(actor=clerk, archive=archive, on=D(2026, 3, 3))
    page = drafts_of(client)
    assert "拖欠三个月工资" not in page and "李困难" not in page and "甲一公司2026年工资专项集体协议" in page
    # Another clerk's start page does not list them; a user who no longer sees the line, none.
    client.force_login(personas.union_clerk)
    assert "没有未完成的草稿" in drafts_of(client)
    assert contract.pk


def test_a_federation_posts_a_notice_that_its_subtree_reads_on_the_start_page(client, tree, personas):
    b_clerk = make_user("b_clerk", tree.town_b, "业务经办")
    today = clock.today()
    client.force_login(personas.town_admin)  # 单位管理员 of 甲镇
    form = client.get(reverse("core:notice_new")).content.decode()
    assert "甲镇工会联合会" in form and "长沙县总工会" not in form  # he posts from his own node only
    r = client.post(reverse("core:notice_new"), {
        "org": tree.town_a.pk, "title": "请于本月底前报送会员统计", "body": "各基层工会按模板填报。",
        "valid_from": today.isoformat(), "valid_until": (today + dt.timedelta(days=10)).isoformat()})
    assert r.status_code == 302
    notice = Notice.objects.get()
    entry = AuditEvent.objects.filter(action="core.notice.posted").get()
    assert entry.object_id == str(notice.pk) and entry.org_path == tree.town_a.path
    for user, sees in ((personas.union_clerk, True), (personas.town_clerk, True), (b_clerk, False),
                       (personas.leader, False), (personas.town_admin, False)):  # the poster reads it on the list
        client.force_login(user)
        assert ("请于本月底前报送会员统计" in notices_on_home(client)) is sees, user.username
    client.force_login(personas.union_clerk)
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="wb-notices"' in home and "各基层工会按模板填报" in home and "甲镇工会联合会" in home
    assert "请于本月底前报送会员统计" in client.get(reverse("core:notices")).content.decode()
    assert client.get(reverse("core:notice_new")).status_code == 403  # 业务经办 does not post
    # Withdrawn, it leaves the start pages; only a poster of its node may withdraw it.
    client.force_login(b_clerk)
    assert client.post(reverse("core:notice_withdraw", args=[notice.pk])).status_code == 403
    client.force_login(personas.town_admin)
    assert client.post(reverse("core:notice_withdraw", args=[notice.pk])).status_code == 302
    assert AuditEvent.objects.filter(action="core.notice.withdrawn", object_id=str(notice.pk)).exists()
    client.force_login(personas.union_clerk)
    assert "请于本月底前报送会员统计" not in notices_on_home(client)


def test_a_notice_shows_only_within_its_validity(client, tree, personas):
    today = clock.today()
    current = notices.notice_post(actor=personas.county_admin, org=tree.root, title="本周通知", body="",
                                  valid_from=today, valid_until=today)
    Notice.objects.filter(pk=current.pk).update(valid_from=today - dt.timedelta(days=9),
                                                valid_until=today - dt.timedelta(days=1))  # now expired
    notices.notice_post(actor=personas.county_admin, org=tree.root, title="下周通知", body="",
                        valid_from=today + dt.timedelta(days=7), valid_until=today + dt.timedelta(days=14))
    notices.notice_post(actor=personas.county_admin, org=tree.root, title="县总通知", body="",
                        valid_from=today, valid_until=today + dt.timedelta(days=3))
    client.force_login(personas.leader)
    page = notices_on_home(client)
    assert "县总通知" in page and "本周通知" not in page and "下周通知" not in page
    listed = client.get(reverse("core:notices")).content.decode()
    assert "已过期" in listed and "未开始" in listed and "有效" in listed
    client.force_login(personas.outsider)
    assert notices_on_home(client) == ""


def test_bad_notices_are_refused_in_chinese_and_the_form_keeps_what_was_typed(client, tree, personas):
    today = clock.today()
    client.force_login(personas.town_admin)
    r = client.post(reverse("core:notice_new"), {
        "org": tree.town_a.pk, "title": "有效期填反了", "body": "",
        "valid_from": today.isoformat(), "valid_until": (today - dt.timedelta(days=1)).isoformat()})
    page = r.content.decode()
    assert r.status_code == 200 and "有效期至不能早于发布日期" in page and 'value="有效期填反了"' in page
    r = client.post(reverse("core:notice_new"), {
        "org": tree.town_a.pk, "title": "太长", "valid_from": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=400)).isoformat()})
    assert "有效期最长366天" in r.content.decode()
    r = client.post(reverse("core:notice_new"), {  # a node he does not hold: not among the choices
        "org": tree.town_b.pk, "title": "越权", "valid_from": today.isoformat(), "valid_until": today.isoformat()})
    assert r.status_code == 200 and not Notice.objects.exists()
