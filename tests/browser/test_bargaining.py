"""A township clerk runs a wage negotiation through all six steps in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from gonghui.bargaining.models import Contract, Status

pytestmark = pytest.mark.browser


def panel(page, name: str, label: str):
    """Open the step's panel on the contract page and return it."""
    box = page.locator(f"#panel-{name}")
    button = box.get_by_role("button", name=label).first
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    # Bootstrap marks the panel "collapsing" while it slides open and "show" once it is open:
    # typing into a form that is still moving can miss.
    expect(box.locator(".accordion-collapse")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(box.locator("form")).to_be_visible()
    return box


def submit(box, label: str):
    # Wait for the page that answers the post before looking at it (or filling the next form).
    with box.page.expect_navigation():
        box.locator("form").get_by_role("button", name=label).click()


def test_six_steps_to_a_published_contract(page, server, tree, personas, login, shot):
    login("town_clerk")
    page.goto(f"{server}/bargaining/")
    page.get_by_role("link", name="启动集体协商").click()
    page.get_by_label("工会").fill("A1")  # a typed code still works beside the picker
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("合同类型").select_option(label="工资专项集体协议")
    page.get_by_label("合同名称").fill("甲一公司2026年工资专项集体协议")
    page.get_by_label("启动日期").fill("2026-03-02")
    page.get_by_label("甲一公司").check()
    page.get_by_role("button", name="启动").click()
    expect(page.locator("#status")).to_have_text("产生代表")

    # Step 1: three representatives a side, a chief each.
    for side, names in (("职工方", ["张建国", "李红", "王强"]), ("企业方", ["赵总", "钱经理", "孙主管"])):
        for i, name in enumerate(names):
            box = panel(page, "rep", "登记协商代表")
            box.get_by_label("一方").select_option(label=side)
            box.get_by_label("姓名").fill(name)
            if i == 0:
                box.get_by_label("首席代表").check()
            submit(box, "登记协商代表")
            expect(page.locator("#reps")).to_contain_text(name)

    # Step 2: the offer, with its reply deadline, and the reply.
    box = panel(page, "offer", "发出要约")
    box.get_by_label("要约方").select_option(label="职工方")
    box.get_by_label("要约日期").fill("2026-03-02")
    box.get_by_label("要约议题").fill("2026年度职工工资增长幅度、最低工资标准")
    submit(box, "发出要约")
    expect(page.locator("#status")).to_have_text("要约待回应")
    box = panel(page, "reply", "记录对方回应")
    box.get_by_label("回应日期").fill("2026-03-10")
    box.get_by_label("回应结果").select_option(label="同意协商")
    submit(box, "记录对方回应")

    # Step 3: preparation.
    box = panel(page, "prepare", "记录协商准备")
    box.get_by_label("准备完成日期").fill("2026-03-12")
    box.get_by_label("记录员").fill("周记录")
    box.get_by_label("上年职工平均工资（元/月）").fill("5200")
    submit(box, "记录协商准备")
    expect(page.locator("main")).to_contain_text("记录员 周记录")

    # Step 4: a meeting chaired by the wrong side is refused and keeps what was typed.
    box = panel(page, "meeting", "记录协商会议")
    box.get_by_label("会议日期").fill("2026-03-16")
    box.get_by_label("主持方").select_option(label="企业方")
    box.get_by_label("出席人员").fill("双方代表6人、记录员")
    box.get_by_label("会议记录").fill("职工方提出增长12%，企业方提出8%，双方同意10%。")
    box.get_by_label("结果").select_option(label="达成一致")
    submit(box, "记录协商会议")
    box = page.locator("#panel-meeting")
    expect(box).to_contain_text("本次应由职工方首席代表主持")
    expect(box.get_by_label("会议记录")).to_have_value("职工方提出增长12%，企业方提出8%，双方同意10%。")
    box.get_by_label("主持方").select_option(label="职工方")
    submit(box, "记录协商会议")
    expect(page.locator("#status")).to_have_text("待职代会审议")
    expect(page.locator("#next-due")).to_contain_text("2026年4月7日")  # 15 working days after 16 Mar, 清明 (4–6 Apr) skipped

    # Step 5: the congress vote and the signatures.
    box = panel(page, "vote", "记录职代会审议")
    box.get_by_label("审议日期").fill("2026-03-27")
    box.get_by_label("应到代表（职工）人数").fill("50")
    box.get_by_label("实到人数").fill("40")
    box.get_by_label("赞成").fill("36")
    submit(box, "记录职代会审议")
    expect(page.locator("#status")).to_have_text("审议通过待签字")
    box = panel(page, "sign", "签字")
    box.get_by_label("签字日期").fill("2026-03-30")
    box.get_by_label("期限起").fill("2026-04-01")
    box.get_by_label("期限止").fill("2027-03-31")
    submit(box, "签字")
    expect(page.locator("#next-due")).to_contain_text("2026年4月9日")
    box = panel(page, "terms", "填写主要条款")
    box.get_by_label("工资增长幅度（%）").fill("10")
    submit(box, "填写主要条款")

    # Step 6: filing, deemed effect after 15 days, publication.
    box = panel(page, "file", "报送人社部门审查")
    box.get_by_label("报送日期").fill("2026-04-03")
    submit(box, "报送人社部门审查")
    expect(page.locator("main")).to_contain_text("2026年4月18日")
    shot("bargaining-01-filed", full_page=True)
    box = panel(page, "publish", "向职工公布")
    box.get_by_label("公布日期").fill("2026-04-22")
    submit(box, "向职工公布")
    expect(page.locator("#status")).to_have_text("已公布履行中")
    shot("bargaining-02-published", full_page=True)

    c = Contract.objects.get()
    assert c.status == Status.PUBLISHED and c.effective_on.isoformat() == "2026-04-18"
    assert c.meetings.count() == 1 and c.votes.get().passed
    page.goto(f"{server}/bargaining/?view=in_force")
    expect(page.locator("#contracts")).to_contain_text("甲一公司2026年工资专项集体协议")
    page.goto(f"{server}/bargaining/table/?start=2026-01-01&end=2026-06-30")
    expect(page.locator("#table")).to_contain_text("合计")
    shot("bargaining-03-table")
