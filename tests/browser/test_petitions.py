"""A petition from intake to closure in a real Chromium: a forwarded case registered by the
township clerk (a rejected form keeps the input), accepted, handled, extended with the
approval of someone else, replied and closed; masking for the clerk, the logged full view
for the admin; and a mediation case to agreement. Screenshots go to tests/screenshots."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gonghui.core.models import AccessLog
from gonghui.petitions.models import Mediation, Petition, Status
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import make_user

pytestmark = pytest.mark.browser
# Screenshots go to tests/screenshots (not tracked); the user guide's copies in docs/screenshots
# are refreshed by hand from there, so a test run never changes tracked files.
DOCS_SHOTS = SCREENSHOTS


def ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def test_a_forwarded_petition_from_intake_to_closure(page, server, tree, personas, login):
    DOCS_SHOTS.mkdir(exist_ok=True)
    make_user("approver", tree.town_a, "审批")
    login("town_clerk")
    page.goto(f"{server}/petitions/")
    page.get_by_role("link", name="登记信访").click()
    page.get_by_label("承办单位编码").fill("A")
    page.get_by_label("渠道").select_option(label="上级转办")
    page.get_by_label("收到日期").fill(ago(10))
    page.get_by_label("诉求类别").select_option(label="欠薪")
    page.locator("#id_title").fill("拖欠三个月工资")
    page.get_by_label("转办单位").fill("市总工会")
    page.get_by_label("信访人姓名").fill("刘桂兰")
    page.get_by_label("性别").select_option(label="女")
    page.get_by_label("联系电话").fill("13912345678")
    # The clerk lists the petitioner again among the representatives (issue 15 item 8a): refused
    # on the field itself, and the input is kept.
    page.get_by_label("其他信访人或代表").fill("刘桂兰\n张建国\n李秀英")
    page.get_by_label("涉及人数").fill("12")
    page.get_by_label("所涉单位").fill("甲一公司")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("“刘桂兰”就是上面的信访人")
    page.get_by_label("其他信访人或代表").fill("张建国\n李秀英")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("上级转办的案件须填写转办文号")
    expect(page.locator("#id_title")).to_have_value("拖欠三个月工资")  # the form kept the input
    page.get_by_label("转办文号").fill("市工转〔2026〕12号")
    page.get_by_role("button", name="保存").click()

    expect(page.locator("#status")).to_have_text("登记（待受理）")
    expect(page.locator("h1")).to_contain_text("群体性")
    expect(page.locator("#petitioners")).to_contain_text("刘**")
    expect(page.locator("#petitioners")).to_contain_text("139****5678")
    expect(page.locator("main")).not_to_contain_text("刘桂兰")
    expect(page.locator("#current-due")).to_contain_text("受理告知期限")
    page.screenshot(path=str(DOCS_SHOTS / "petitions-detail.png"), full_page=True)

    actions = page.get_by_role("group", name="办理")
    actions.get_by_role("link", name="受理并告知").click()
    page.get_by_label("告知日期").fill(ago(8))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#status")).to_have_text("已受理")
    actions.get_by_role("link", name="登记办理情况").click()
    page.get_by_label("办理日期").fill(ago(6))
    page.locator("#id_note").fill("约谈企业负责人，核对工资表")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#timeline")).to_contain_text("约谈企业负责人")
    actions.get_by_role("link", name="申请延期").click()
    page.get_by_label("延期理由（须告知信访人）").fill("涉及12名职工，需劳动监察共同核查")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("待审批")
    p = Petition.objects.get()
    due_before = p.close_due

    page.get_by_role("button", name="退出").click()
    login("approver")
    page.goto(f"{server}/petitions/")
    page.get_by_role("link", name="待审批延期 1").click()
    page.get_by_role("link", name="审批").click()
    page.get_by_label("审批结果").select_option(label="批准延期30日")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#deadlines")).to_contain_text("已延期")
    p.refresh_from_db()
    assert p.extended and p.close_due > due_before

    page.get_by_role("button", name="退出").click()
    login("town_clerk")
    page.goto(f"{server}/petitions/{p.pk}/")
    actions.get_by_role("link", name="答复").click()
    page.get_by_label("答复日期").fill(ago(2))
    page.get_by_label("处理结果").select_option(label="支持")
    page.get_by_label("答复意见（处理意见书要点）").fill("企业补发工资共计 86,000 元")
    page.get_by_label("追回金额（元）").fill("86000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#status")).to_have_text("已答复")
    actions.get_by_role("link", name="办结").click()
    page.get_by_label("信访人满意度").select_option(label="满意")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#status")).to_have_text("已办结")
    expect(page.locator("#timeline")).to_contain_text("办结")
    p.refresh_from_db()
    assert p.status == Status.CLOSED and p.amount_recovered == 86000 and not p.close_late

    page.get_by_role("button", name="退出").click()
    login("town_admin")
    page.goto(f"{server}/petitions/{p.pk}/")
    page.get_by_label("查看事由").fill("电话回访满意度")
    page.get_by_role("button", name="查看完整信息（留痕）").click()
    expect(page.locator("#revealed-people")).to_contain_text("刘桂兰")
    expect(page.locator("#revealed-people")).to_contain_text("13912345678")
    assert AccessLog.objects.get().reason == "电话回访满意度"
    # Two more cases for the list: one whose notice date has passed, one being handled.
    from gonghui.petitions import services
    from tests.petitions.conftest import make_petition

    make_petition(tree.union_a1, received_on=timezone.localdate() - dt.timedelta(days=40), title="社保断缴",
                  category="insurance", channel="letter")
    handling = make_petition(tree.union_a2, received_on=timezone.localdate() - dt.timedelta(days=5),
                             title="孕期被调岗降薪", category="women", channel="phone")
    services.petition_accept(actor=None, petition=handling, notice_on=timezone.localdate())
    page.goto(f"{server}/petitions/")
    expect(page.locator("#petitions")).to_contain_text("已逾期")
    expect(page.locator("#petitions")).to_contain_text("已办结")
    page.screenshot(path=str(DOCS_SHOTS / "petitions-list.png"))
    page.goto(f"{server}/petitions/table/")  # forwards to the reports app's table
    expect(page.locator("#table")).to_contain_text("合计")
    page.screenshot(path=str(DOCS_SHOTS / "petitions-table.png"))


def test_a_mediation_case_to_agreement(page, server, tree, personas, login):
    login("town_clerk")
    page.goto(f"{server}/petitions/mediation/")
    page.get_by_role("link", name="受理调解申请").click()
    page.get_by_label("所属工会编码").fill("A1")
    page.get_by_label("调解组织").select_option(label="企业劳动争议调解委员会")
    page.get_by_label("申请（收到）日期").fill(ago(5))
    page.locator("#id_applicant_name").fill("赵六")
    page.get_by_label("被申请人（用人单位）").fill("甲一公司")
    page.get_by_label("争议类型").select_option(label="劳动报酬、工伤医疗费、经济补偿或者赔偿金")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#state")).to_have_text("调解中")
    expect(page.locator("main")).to_contain_text("调解期限")
    page.get_by_role("link", name="登记调解记录").click()
    page.get_by_label("调解记录").fill("双方到场，企业同意分期支付")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="结案").click()
    page.get_by_label("协议内容").fill("企业于本月底前支付加班费 6,000 元")
    page.get_by_label("协议金额（元）").fill("6000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#state")).to_have_text("调解成功")
    expect(page.locator("#sessions")).to_contain_text("双方到场")
    page.screenshot(path=str(DOCS_SHOTS / "petitions-mediation.png"), full_page=True)
    assert Mediation.objects.get().agreed_amount == 6000
