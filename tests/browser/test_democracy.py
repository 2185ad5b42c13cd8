"""A grass-roots clerk runs a congress session and a 提案 from filing to feedback in a real
Chromium: a vote below quorum is refused, an answer without result code is refused with the
input kept, then a disclosure with an opinion; once at desktop width, the lists (and the 建制情况 gaps
with their export) also at phone width."""

import re

import pytest
from playwright.sync_api import expect

from gonghui.democracy.models import Proposal, Status
from tests.democracy.conftest import make_congress

pytestmark = pytest.mark.browser


def panel(page, name: str, label: str):
    box = page.locator(f"#panel-{name}")
    button = box.get_by_role("button", name=label).first
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    expect(box.locator(".accordion-collapse")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(box.locator("form")).to_be_visible()
    return box


def submit(box, label: str):
    with box.page.expect_navigation():
        box.locator("form").get_by_role("button", name=label).click()


def test_a_session_and_a_proposal(page, server, tree, personas, login, shot):
    c, t, ds = make_congress(tree)
    login("union_clerk")
    page.goto(f"{server}/democracy/")
    page.get_by_role("link", name="甲一公司职工代表大会").click()
    expect(page.locator("#list-status")).to_have_text("已确认")

    box = panel(page, "session", "登记会议")
    box.get_by_label("召开日期").fill("2026-03-02")
    box.get_by_label("实到代表").fill("15")
    submit(box, "登记会议")
    expect(page.locator("#sessions")).to_contain_text("不足三分之二")
    shot("democracy-congress", full_page=True)
    box = panel(page, "motion", "登记议案表决")
    box.get_by_label("议案名称").fill("年度工资调整方案")
    box.get_by_label("赞成").fill("15")
    submit(box, "登记议案表决")
    expect(page.locator("main")).to_contain_text("不能进行表决")
    expect(page.locator("#panel-motion").get_by_label("议案名称")).to_have_value("年度工资调整方案")

    box = panel(page, "proposal", "登记提案")
    box.get_by_label("案由").fill("关于增加夜班供餐的提案")
    box.get_by_label("理由和建议").fill("夜班职工就餐不便，建议食堂增设夜宵")
    box.get_by_label("类别").select_option(label="生活后勤")
    box.get_by_label("提案人").select_option(label="代表1")
    box.get_by_label("提出日期").fill("2026-03-02")
    submit(box, "登记提案")
    expect(page.locator("#status")).to_have_text("待审查")
    shot("democracy-proposal")

    box = panel(page, "accept", "立案")
    box.get_by_label("审查日期").fill("2026-03-03")
    submit(box, "立案")
    box = panel(page, "assign", "交办")
    box.get_by_label("交办日期").fill("2026-03-05")
    box.get_by_label("主办部门").fill("后勤保障部")
    submit(box, "交办")
    expect(page.locator("main")).to_contain_text("2026")
    box = panel(page, "answer", "书面答复")
    box.get_by_label("答复日期").fill("2026-04-01")
    box.get_by_label("答复意见").fill("食堂已于四月起增设夜宵")
    submit(box, "书面答复")
    expect(page.locator("main")).to_contain_text("请选择办理结果")
    box = panel(page, "answer", "书面答复")
    expect(box.get_by_label("答复意见")).to_have_value("食堂已于四月起增设夜宵")
    box.get_by_label("办理结果").select_option(label="A 已解决或基本解决")
    submit(box, "书面答复")
    box = panel(page, "feedback", "提案人反馈")
    box.get_by_label("提案人意见").select_option(label="满意")
    box.get_by_label("反馈日期").fill("2026-04-05")
    submit(box, "提案人反馈")
    expect(page.locator("#status")).to_have_text("已反馈")
    expect(page.locator("#timeline")).to_contain_text("提案人反馈")
    assert Proposal.objects.get().status == Status.CLOSED
    shot("democracy-proposal-closed", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/democracy/proposals/")
    expect(page.locator("#proposals")).to_contain_text("关于增加夜班供餐的提案")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.goto(f"{server}/democracy/establishment/")
    page.get_by_role("link", name="未建厂务公开制度").click()
    expect(page.locator("#establishment")).to_be_visible()  # employers sit at their 属地, the town: none here
    expect(page.get_by_role("link", name="导出")).to_have_attribute("href", re.compile(r"view=no_system"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(f"{server}/democracy/disclosures/")
    page.get_by_role("link", name="登记公开记录").click()
    page.locator("#id_org").fill("A1")
    page.get_by_label("用人单位（厂务公开）").fill("甲一公司")
    page.get_by_label("公开形式").select_option(label="公开栏")
    page.get_by_label("期号").fill("1")
    page.locator("#id_title").fill("一季度厂务公开")
    page.get_by_label("第1项类别").select_option(label="业务招待费")
    page.get_by_label("第1项事项").fill("一季度业务招待费使用情况")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#items")).to_contain_text("一季度业务招待费使用情况")
    box = panel(page, "opinion", "登记意见")
    box.get_by_label("提出人").fill("代表2")
    box.get_by_label("意见内容").fill("请列出招待明细")
    submit(box, "登记意见")
    expect(page.locator("#opinions")).to_contain_text("待答复")
