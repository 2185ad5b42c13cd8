"""A data-collection round in a real Chromium: the township clerk sends a form to its unions
(a bad field definition is refused and the input kept), the 甲一 clerk saves a draft and submits
(a wrong number refused by field), the township sees who has not reported, reminds them and
accepts the submission."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_round_from_sending_to_acceptance(page, server, tree, personas, login):
    login("town_clerk")
    page.goto(f"{server}/appraisal/")
    page.get_by_role("link", name="下发填报任务").click()
    page.get_by_label("发起单位").fill("A")
    page.get_by_label("任务名称").fill("建会进展月报")
    page.get_by_label("表单字段").fill("新建工会数|数字|必填|0-100\n召开职代会|单选||是")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("请列出至少两个互不相同的选项")
    expect(page.get_by_label("任务名称")).to_have_value("建会进展月报")
    page.get_by_label("表单字段").fill("新建工会数|数字|必填|0-100\n召开职代会|单选||是、否")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("建会进展月报")
    expect(page.locator("main")).to_contain_text("督导：未报单位（2）")

    page.get_by_role("button", name="退出").click()
    login("union_clerk")
    page.goto(f"{server}/appraisal/")
    page.get_by_role("link", name="建会进展月报").click()
    page.get_by_label("新建工会数").fill("两个")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("main")).to_contain_text("“新建工会数”应填数字")
    page.get_by_label("新建工会数").fill("2")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("h1")).to_contain_text("草稿")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("h1")).to_contain_text("已提交")

    page.get_by_role("button", name="退出").click()
    login("town_clerk")
    page.goto(f"{server}/appraisal/")
    page.locator("#rounds").get_by_role("link", name="建会进展月报").click()
    expect(page.locator("#submissions")).to_contain_text("甲二公司工会")
    expect(page.locator("#submissions")).not_to_contain_text("甲一公司工会")
    page.get_by_role("button", name="一键催报（1个单位）").click()
    expect(page.locator("#submissions")).to_contain_text("1次")
    page.get_by_role("link", name="已提交").click()
    page.locator("#submissions").get_by_role("link", name="甲一公司工会").click()
    page.get_by_role("button", name="采用").click()
    expect(page.locator("h1")).to_contain_text("已采用")


def test_a_file_field_refuses_a_wrong_type_and_keeps_the_accepted_file(page, server, tree, personas, login,
                                                                        tmp_path):
    login("town_clerk")
    page.goto(f"{server}/appraisal/rounds/new/")
    page.get_by_label("发起单位").fill("A")
    page.get_by_label("任务名称").fill("建会批复收集")
    page.get_by_label("表单字段").fill("新建工会数|数字|必填\n成立批复|文件|必填|1MB")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("成立批复（文件，必填）")

    page.get_by_role("button", name="退出").click()
    login("union_clerk")
    page.goto(f"{server}/appraisal/")
    page.get_by_role("link", name="建会批复收集").click()
    bad, good = tmp_path / "批复.exe", tmp_path / "批复.pdf"
    bad.write_bytes(b"MZ")
    good.write_bytes(b"%PDF-1.4 reply")
    page.get_by_label("新建工会数").fill("1")
    page.get_by_label("成立批复").set_input_files(str(bad))
    page.get_by_role("button", name="提交").click()
    expect(page.locator("main")).to_contain_text("类型不允许")
    expect(page.get_by_label("新建工会数")).to_have_value("1")
    page.get_by_label("成立批复").set_input_files(str(good))
    page.get_by_role("button", name="提交").click()
    expect(page.locator("h1")).to_contain_text("已提交")
    expect(page.locator("main").get_by_role("link", name="批复.pdf")).to_be_visible()
