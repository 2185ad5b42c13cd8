"""A model worker registered, given a title and a 慰问, in a real Chromium at desktop and phone
width: bad input refused with the input kept; then an honour applied for and named, and the
职工之家 and contest lists offer their exports. Screenshots for the guide go to tests/screenshots."""

import pytest
from playwright.sync_api import expect

from gonghui.honours.models import CareRecord, Honour, ModelWorker
from tests.conftest import make_user
from tests.members.conftest import make_id

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_register_a_model_worker_and_name_an_honour(page, server, tree, personas, login, shot):
    make_user("approver", tree.root, "审批")
    login("town_clerk")
    page.goto(f"{server}/honours/workers/new/")
    page.get_by_label("管理单位").fill("A1")
    page.get_by_label("姓名").fill("王劳模")
    page.get_by_label("公民身份号码").fill("430121198005120011")
    page.get_by_label("登记日期").fill("2024-03-01")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("校验")
    expect(page.get_by_label("姓名")).to_have_value("王劳模")
    page.get_by_label("公民身份号码").fill(make_id("19800512", 41))
    page.get_by_role("button", name="保存").click()

    # The title form: without a level it is refused and keeps the input.
    expect(page.get_by_role("heading", level=1)).to_contain_text("登记称号")
    page.get_by_label("称号").fill("全国五一劳动奖章")
    page.get_by_label("授予年份").fill("2019")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("缺少级别")
    expect(page.get_by_label("称号")).to_have_value("全国五一劳动奖章")
    page.get_by_label("级别", exact=True).select_option(label="全国")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#titles")).to_contain_text("省部级")  # 待遇级别 by equivalence

    page.get_by_role("link", name="登记关爱服务").click()
    page.get_by_label("服务类别").select_option(label="节日慰问")
    page.get_by_label("服务日期").fill("2025-07-01")
    page.get_by_label("金额(元)").fill("600")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#care")).to_contain_text("600.00元")
    shot("honours-worker")
    w = ModelWorker.objects.get()
    assert w.highest_level == "provincial" and CareRecord.objects.get().worker == w

    # The list at phone width: masked ID, the person found by the level filter.
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/honours/?level=provincial")
    expect(page.locator("#workers")).to_contain_text("王劳模")
    expect(page.locator("#workers")).to_contain_text(w.id_masked)

    # An honour applied for by the clerk, named by the approver.
    page.goto(f"{server}/honours/honours/new/")
    page.get_by_label("申报单位").fill("A1")
    page.get_by_label("获得者（个人姓名或集体名称）").fill("机修班组")
    page.get_by_label("对象").select_option(label="集体")
    page.get_by_label("荣誉类别").select_option(label="工人先锋号")
    page.get_by_label("级别").select_option(label="县级")
    page.get_by_label("授予单位").fill("长沙县总工会")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#honour-status")).to_have_text("申报")
    h = Honour.objects.get()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("button", name="退出").click()
    login("approver")
    for step in ("评审", "公示", "已命名"):
        page.goto(f"{server}/honours/honours/{h.pk}/")
        page.get_by_label("下一步").select_option(label=step)
        page.get_by_role("button", name="提交").click()
        expect(page.locator("#honour-status")).to_have_text(step)
    shot("honours-honour")

    # The 职工之家 and contest lists, each with its export (the contests' at phone width).
    page.goto(f"{server}/honours/homes/")
    expect(page.get_by_role("link", name="导出")).to_be_visible()
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/honours/contests/")
    expect(page.get_by_role("link", name="导出竞赛成绩")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
