"""A township clerk records a women's training (a refused measure first), finds it in the list with
its totals, then records a safety inspection and closes its rectification, in a real Chromium at
desktop and phone width."""

import pytest
from playwright.sync_api import expect

from gonghui.activities.models import Activity, Finding

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_activity_and_rectification_journey(page, server, tree, personas, login, shot):
    login("town_clerk")
    page.goto(f"{server}/activities/")
    page.get_by_role("link", name="登记活动").first.click()
    page.get_by_label("主办单位").fill("A1")  # a typed code still works beside the picker
    page.get_by_label("活动类型").select_option(label="女职工培训")
    page.get_by_label("活动名称").fill("女职工技能提升培训班")
    page.get_by_label("开始日期").fill("2026-03-08")
    page.get_by_label("期数/场次").fill("3")
    page.get_by_label("人数").fill("60")
    page.get_by_label("人次").fill("150")
    page.get_by_label("金额（元）").fill("2000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("活动类型“女职工培训”不登记金额，请留空。")
    expect(page.get_by_label("活动名称")).to_have_value("女职工技能提升培训班")  # the input is kept
    page.get_by_label("金额（元）").fill("")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("150 人次")
    assert Activity.objects.get().person_times == 150
    shot("activities-detail")

    page.goto(f"{server}/activities/?kind=women_training")
    expect(page.locator("[data-totals]")).to_contain_text("3 期（场），150 人次")
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("link", name="女职工技能提升培训班")).to_be_visible()
    shot("activities-list-phone")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(f"{server}/activities/safety/new/")
    page.get_by_label("组织单位").fill("A")
    page.get_by_label("检查类型").select_option(label="群众安全生产监督检查")
    page.get_by_label("检查日期").fill("2026-05-10")
    page.get_by_label("被检查单位").fill("甲一公司")
    page.get_by_role("button", name="保存").click()
    page.get_by_label("问题类别").select_option(label="事故隐患")
    page.get_by_label("问题描述").fill("消防通道堵塞")
    page.get_by_label("整改期限").fill("2026-05-20")
    page.get_by_role("button", name="登记问题").click()
    expect(page.locator("#findings")).to_contain_text("消防通道堵塞")
    page.get_by_label("整改完成日期").fill("2026-05-01")
    page.get_by_role("button", name="整改完成").click()
    expect(page.locator("main")).to_contain_text("整改完成日期不能早于发现日期2026-05-10。")
    page.get_by_label("整改完成日期").fill("2026-05-18")
    page.get_by_role("button", name="整改完成").click()
    expect(page.locator("#findings")).to_contain_text("2026年5月18日 整改完成")
    assert Finding.objects.get().closed_on.isoformat() == "2026-05-18"
    shot("activities-inspection")


def test_pick_attendees_and_attach_a_photo(page, server, tree, personas, login, shot, tmp_path):
    import datetime as dt

    from gonghui.activities import services
    from gonghui.activities.models import ActivityKind
    from gonghui.members import services as member_services
    from tests.members.conftest import make_id

    for i, name in enumerate(("林一", "林二", "周三")):
        member_services.member_join(actor=None, union=tree.union_a1, name=name, id_number=make_id(seq=350 + i),
                                    joined_on=dt.date(2024, 1, 2))
    a = services.activity_create(actor=None, org=tree.town_a, kind=ActivityKind.objects.get(code="women_training"),
                                 title="女职工读书班", start_on=dt.date(2026, 3, 8))
    login("town_clerk")
    page.goto(f"{server}/activities/{a.pk}/")
    page.get_by_role("link", name="从会员名册选择").click()
    page.get_by_label("查找会员").fill("林")
    page.get_by_role("button", name="查找").click()
    page.get_by_label("林一").check()
    page.get_by_label("林二").check()
    page.get_by_role("button", name="加入签到名单").click()
    expect(page.locator("main")).to_contain_text("签到名单（2 人）")
    photo = tmp_path / "现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    page.get_by_label("文件").set_input_files(str(photo))
    page.get_by_role("button", name="上传附件").click()
    expect(page.locator("#attachments")).to_contain_text("现场.png")
    page.set_viewport_size(PHONE)
    shot("activities-attendees-phone")
