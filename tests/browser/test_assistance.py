"""A household carried from archive to approved payment in a real Chromium: the clerk opens the
archive and applies, a second user reviews, a third approves, the clerk records the payment."""


import pytest
from playwright.sync_api import expect

from gonghui.assistance import services
from gonghui.assistance.models import Application, ApplicationStatus, Archive, Payment
from gonghui.core.models import AccessLog
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import make_user
from tests.members.conftest import make_id

pytestmark = pytest.mark.browser
# Screenshots go to tests/screenshots (not tracked); the user guide's copies in docs/screenshots
# are refreshed by hand from there, so a test run never changes tracked files.
DOCS = SCREENSHOTS


def snap(page, name):
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"assistance-{name}.png"), full_page=True)


def test_archive_to_approved_payment_with_three_people(page, server, tree, personas, login):
    services.standard_set(actor=None, region_code="430100", region_name="长沙市", year=2025, monthly="700")
    make_user("reviewer", tree.town_a, "审批")
    make_user("approver", tree.root, "审批")
    number = make_id("19800512", 33)

    # 1. The township clerk opens the archive; a wrong ID number is refused, the form keeps the input.
    login("town_clerk")
    page.goto(f"{server}/assistance/archives/new/")
    page.get_by_label("建档单位（工会代码）").fill("A1")
    page.get_by_label("户主姓名").fill("周困难")
    page.get_by_label("身份证号").fill("430121198005120011")
    page.get_by_label("户口所在地行政区划代码").fill("430121")
    page.get_by_label("家庭人口数（含户主）").fill("2")  # asked up front: the child is entered later
    page.get_by_label("本人月平均收入(元)").fill("1200")
    page.get_by_label("主要致困原因").select_option(label="患重特大疾病")
    page.get_by_label("建档日期").fill("2025-03-03")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("校验位不正确")
    expect(page.get_by_label("户主姓名")).to_have_value("周困难")
    page.get_by_label("身份证号").fill(number)
    snap(page, "01-create")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("周困难")
    # The clerk has no view_sensitive: finances are hidden.
    expect(page.locator("#per-capita")).to_have_text("***")

    # 2. A family member, the public notice, and entry once the notice is over.
    actions = page.get_by_role("group", name="办理")
    actions.get_by_role("link", name="添加家庭成员").click()
    page.get_by_label("姓名").fill("周小明")
    page.get_by_label("与户主关系").select_option(label="子女")
    page.get_by_label("出生日期").fill("2008-09-01")
    page.get_by_label("登记日期").fill("2025-03-03")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#family")).to_contain_text("子女 周**")
    # 1200 for the two people declared is 600 per head, 深度, from 建档 on; entering the child
    # changes neither the figures nor the category (it used to switch silently from 相对).
    expect(page.locator("main")).to_contain_text("深度困难")
    assert not page.get_by_label("确认困难类别").count()
    page.get_by_role("group", name="办理").get_by_role("link", name="提交公示").click()
    page.get_by_label("日期").fill("2025-03-03")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#archive-status")).to_have_text("公示中")
    page.get_by_role("group", name="办理").get_by_role("link", name="入档").click()
    page.get_by_label("日期").fill("2025-03-05")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("公示期至 2025-03-10 才结束")
    page.get_by_label("日期").fill("2025-03-10")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#archive-status")).to_have_text("在档")
    snap(page, "02-archive")

    # 3. The clerk applies for 医疗救助.
    page.get_by_role("group", name="办理").get_by_role("link", name="申请帮扶").click()
    page.get_by_label("帮扶类型").select_option(label="医疗救助")
    page.get_by_label("申请金额(元)").fill("3000")
    page.get_by_label("申请理由").fill("住院自付费用")
    page.get_by_label("申请日期").fill("2025-03-12")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#app-status")).to_have_text("待审核")
    app_url = page.url
    page.get_by_role("button", name="退出").click()

    # 4. A second person reviews; the reviewer may not also approve.
    login("reviewer")
    page.goto(app_url)
    page.get_by_label("日期").fill("2025-03-13")
    snap(page, "03-review")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#app-status")).to_have_text("待审批")
    # The reviewer holds 审批 too, but not for an application he reviewed: no form, the reason.
    expect(page.get_by_role("button", name="提交审批")).to_have_count(0)
    expect(page.locator("#four-eyes")).to_contain_text("审批人不能是审核人本人")
    page.get_by_role("button", name="退出").click()

    # 5. A third person approves a reduced amount.
    login("approver")
    page.goto(app_url)
    page.get_by_label("日期").fill("2025-03-14")
    page.get_by_label("批准金额(元)").fill("2500")
    page.get_by_role("button", name="提交审批").click()
    expect(page.locator("#app-status")).to_have_text("已批准待发放")
    expect(page.locator("#approved")).to_contain_text("批准 2,500.00元")
    page.get_by_role("button", name="退出").click()

    # 6. The clerk records the payment with its fund source.
    login("town_clerk")
    page.goto(app_url)
    page.get_by_role("link", name="登记发放").click()
    page.get_by_label("发放日期").fill("2025-03-15")
    page.get_by_label("资金来源").select_option(label="上级工会补助")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#app-status")).to_have_text("已发放")
    expect(page.locator("#paid")).to_contain_text("2,500.00元，银行卡，资金来源：上级工会补助")
    snap(page, "04-paid")

    app = Application.objects.get()
    assert (app.applied_by_name, app.reviewed_by_name, app.approved_by_name) == ("town_clerk", "reviewer", "approver")
    assert app.status == ApplicationStatus.PAID and Payment.objects.get().amount == 2500
    archive = Archive.objects.get()
    assert archive.per_capita == 600 and archive.category == "deep"  # 1200 ÷ 2 people
    assert not AccessLog.objects.exists()  # nobody saw the finances in full


def test_a_holder_of_view_sensitive_sees_finances_and_is_logged(page, server, tree, personas, login):
    services.standard_set(actor=None, region_code="430100", region_name="长沙市", year=2025, monthly="700")
    a = services.archive_create(actor=None, org=tree.union_a1, head_name="吴困难", id_number=make_id(seq=44),
                                created_on=services.dt.date(2025, 3, 3), region_code="430121", main_cause="06",
                                monthly_wage="987.65")
    login("town_admin")
    page.goto(f"{server}/assistance/archives/{a.pk}/")
    expect(page.locator("#per-capita")).to_have_text("987.65元")
    # The finances are open to this user, the ID and card numbers still masked like the phone.
    expect(page.locator("#finances")).to_contain_text(a.id_masked)
    expect(page.locator("#finances")).not_to_contain_text(a.id_number)
    snap(page, "05-full-view")
    assert AccessLog.objects.get().object_id == str(a.pk)
    page.get_by_label("查看事由").fill("核对发放账户")
    page.get_by_role("button", name="查看完整身份证号、银行卡号（留痕）").click()
    expect(page.locator("#full-id")).to_have_text(a.id_number)
    assert AccessLog.objects.latest("id").reason == "核对发放账户"


def test_campaign_progress_pairing_sentence_and_table(page, server, tree, personas, login):
    import datetime as dt

    today = dt.date.today()
    services.standard_set(actor=None, region_code="430100", region_name="长沙市", year=today.year - 1, monthly="700")
    homes = []
    for i, union in enumerate([tree.union_a1, tree.union_a1, tree.union_b1]):
        a = services.archive_create(actor=None, org=union, head_name=f"困难户{i}", id_number=make_id(seq=60 + i),
                                    created_on=today - dt.timedelta(days=60), region_code="430121", main_cause="06",
                                    monthly_wage=500)
        services.archive_take_over(actor=None, archive=a, entered_on=today - dt.timedelta(days=50))
        homes.append(a)
    c = services.campaign_create(actor=None, org=tree.root, name="两节送温暖", type="warmth",
                                 start_on=today - dt.timedelta(days=10), end_on=today + dt.timedelta(days=5),
                                 budget=2000)
    services.campaign_add_targets(actor=None, campaign=c, archives=homes)
    app = services.application_submit(actor=None, archive=homes[0], type="warmth", amount_requested=500,
                                      reason="慰问", applied_on=today, campaign=c)
    services.application_review(actor=None, application=app, approve=True, on=today)
    services.application_approve(actor=None, application=app, approve=True, on=today)
    services.payment_record(actor=None, application=app, paid_on=today, method="cash", fund_source="upper")
    tv = services.helper_create(actor=None, org=tree.root, name="县电视台")
    for h in homes[:2]:
        p = services.pairing_create(actor=None, helper=tv, archive=h, pledged_on=today)
    services.visit_record(actor=None, pairing=p, visited_on=today, amount=600)

    login("county_admin")
    page.goto(f"{server}/assistance/")
    expect(page.locator("#pairing-sentence")).to_contain_text("全县1个单位将帮扶2户困难家庭，已有1个单位共帮扶1户，帮扶资金达0.06万元")
    expect(page.locator("#figures")).to_contain_text("在档困难职工家庭")
    snap(page, "06-overview")
    page.get_by_role("link", name="帮扶活动").first.click()
    page.get_by_role("link", name="两节送温暖").click()
    expect(page.locator("#progress")).to_contain_text("1 / 3 户")
    expect(page.locator("#progress")).to_contain_text("1,500.00元")
    snap(page, "07-campaign")
    page.goto(f"{server}/todo/")
    expect(page.locator("main")).to_contain_text("两节送温暖：已发放 500.00元")
    page.goto(f"{server}/assistance/table/")  # forwards to the reports app's table
    page.get_by_role("button", name="查询").click()
    table = page.locator("#table")
    expect(table.locator("tr").nth(1)).to_contain_text("（本级）")
    expect(table.locator("tr").nth(2)).to_contain_text("甲镇工会联合会")
    expect(table.locator("tr").last).to_contain_text("合计")
    snap(page, "08-table")
