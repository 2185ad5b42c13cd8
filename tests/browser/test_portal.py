"""The member portal's journey on a phone (390 × 844), issue 25's "Done when": a worker applies,
a clerk accepts on the staff side, the worker activates, sees his card, a second browser verifies
the QR link, the worker applies for 金秋助学 and answers a survey, and files a correction request
that the clerk closes; then he asks for a transfer and, as a 职工代表, files a 提案. Screenshots go to tests/screenshots (docs/screenshots/portal-* copies)."""

import re

import pytest
from playwright.sync_api import expect

from gonghui.core import clock
from gonghui.honours.services import survey_create
from tests.browser.conftest import PHONE
from tests.democracy.conftest import make_congress
from tests.members.conftest import make_id

pytestmark = pytest.mark.browser
PASSWORD = "Member-Passw0rd!"


def test_a_worker_joins_online_and_uses_the_portal_on_a_phone(page, server, tree, personas, login, shot, browser):
    page.set_viewport_size(PHONE)
    survey_create(actor=None, org=tree.union_a1, name="2026年会员评家", held_on=clock.today(),
                  items=["工会服务会员", "维护职工权益"])
    id_number = make_id(seq=7)

    # The worker applies: a wrong ID number is named on its field and the input is kept.
    page.goto(f"{server}/m/join/")
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("公民身份号码").fill(id_number[:-1] + ("0" if id_number[-1] != "0" else "1"))
    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_label("工作单位", exact=True).fill("甲一")
    page.locator(".picker-option", has_text="甲一公司").first.click()
    page.get_by_label("我已阅读并同意《个人信息保护告知书》").check()
    shot("portal-01-join")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("公民身份号码")
    expect(page.get_by_label("姓名")).to_have_value("李四")
    page.get_by_label("公民身份号码").fill(id_number)
    page.get_by_label("我已阅读并同意《个人信息保护告知书》").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("main")).to_contain_text("甲一公司工会")
    ref = page.locator("[data-ref]").inner_text().strip()
    shot("portal-02-submitted")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The clerk accepts on the staff side and reads out the activation code.
    staff = browser.new_page(viewport={"width": 1366, "height": 768})
    staff.goto(f"{server}/accounts/login/")
    staff.get_by_label("用户名").fill("union_clerk")
    staff.get_by_label("密码").fill("Test-Passw0rd!")
    staff.get_by_role("button", name="登录").click()
    staff.goto(f"{server}/m/staff/applications/")
    staff.get_by_role("link", name=ref).click()
    staff.get_by_role("button", name="批准入会并生成激活码").click()
    code = staff.locator("[data-activation-code]").inner_text().strip()
    staff.screenshot(path=str(shot_path("portal-08-staff-code")))

    # The worker sees the status, activates and sees his card.
    page.goto(f"{server}/m/join/status/")
    page.get_by_label("申请编号").fill(ref)
    page.get_by_label("公民身份号码").fill(id_number)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_contain_text("已批准入会")
    page.goto(f"{server}/m/activate/")
    page.get_by_label("公民身份号码").fill(id_number)
    page.get_by_label("激活码").fill(code)
    page.get_by_label("设置密码").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="设置密码并登录").click()
    expect(page.locator("main")).to_contain_text("您好，李四")
    page.get_by_role("navigation", name="会员服务").get_by_role("link", name="会员证").click()
    expect(page.locator("[data-card-no]")).to_contain_text("A1")
    expect(page.get_by_role("img", name="会员证验证二维码")).to_be_visible()
    # Drawn: visible only says the box is laid out, so wait for the image itself (it loads after the page).
    page.wait_for_function(
        "() => { const i = document.querySelector('img[alt=\"会员证验证二维码\"]');"
        " return i !== null && i.complete && i.naturalWidth > 0; }")
    shot("portal-03-card")
    link = page.locator("[data-verify-link]").get_attribute("href")

    # A second browser (no session) verifies the QR link: masked name, union, current.
    other = browser.new_context(viewport=PHONE)
    scan = other.new_page()
    scan.goto(link)
    expect(scan.locator("main")).to_contain_text("李*")
    expect(scan.locator("[data-current]")).to_contain_text("有效会员")
    assert "李四" not in scan.content()
    scan.screenshot(path=str(shot_path("portal-04-verify")))
    other.close()

    # 金秋助学 online.
    page.get_by_role("navigation", name="会员服务").get_by_role("link", name="帮扶").click()
    page.get_by_label("申请类型").select_option(label="金秋助学")
    page.get_by_label("家庭困难情况").fill("单亲家庭，母亲患病。")
    page.get_by_label("受助子女姓名（金秋助学）").fill("李小明")
    page.get_by_label("就读学校及年级（金秋助学）").fill("长沙县一中 高三")
    page.get_by_label("证明材料（可选）").set_input_files(
        files=[{"name": "录取通知书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 notice"}])
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("[data-help-status]").first).to_contain_text("待工会核实")
    shot("portal-05-help")

    # 会员评家.
    page.get_by_role("navigation", name="会员服务").get_by_role("link", name="评家").click()
    page.get_by_role("link", name=re.compile("2026年会员评家")).click()
    page.locator("fieldset").nth(0).get_by_label("满意", exact=True).check()
    page.locator("fieldset").nth(1).get_by_label("基本满意").check()
    shot("portal-06-survey")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("main")).to_contain_text("目前没有待填写的问卷")

    # A correction request that the clerk closes.
    page.get_by_role("navigation", name="会员服务").get_by_role("link", name="个人信息").click()
    page.get_by_label("请求类型").select_option(label="更正补充个人信息")
    page.get_by_label("请求内容").fill("手机号码已更换，请更正。")
    page.get_by_role("button", name="提交请求").click()
    expect(page.locator("[data-status]")).to_contain_text("办理中")
    shot("portal-07-rights")
    staff.goto(f"{server}/m/staff/rights/")
    staff.get_by_role("link", name="更正补充个人信息").click()
    staff.get_by_label("答复内容").fill("已在会员信息中更正手机号码。")
    staff.get_by_role("button", name="办结").click()
    expect(staff.locator("[data-status]")).to_contain_text("已办结")
    page.reload()
    expect(page.locator("[data-status]")).to_contain_text("已办结")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # He changes jobs: a transfer request to 甲二公司's union (which decides on its transfers page).
    page.goto(f"{server}/m/home/")
    page.get_by_role("link", name="换了工作单位：申请转会").click()
    page.get_by_label("新的工作单位", exact=True).fill("甲二")
    page.locator(".picker-option", has_text="甲二公司").first.click()
    page.get_by_role("button", name="提交转会申请").click()
    expect(page.locator("#transfers [data-status]").first).to_contain_text("待接收")
    shot("portal-09-transfer")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # He is a 职工代表: the clerk links his seat to him, and he files a 提案 on the phone.
    congress, term, delegates = make_congress(tree)
    staff.goto(f"{server}/m/staff/delegates/{delegates[0].pk}/")
    staff.get_by_label("该代表的公民身份号码").fill(id_number)
    staff.get_by_role("button", name="关联").click()
    expect(staff.locator("[data-link]")).to_contain_text("已关联会员 李四")
    page.goto(f"{server}/m/home/")
    page.get_by_role("link", name="我的提案（职工代表）").click()
    page.get_by_role("link", name="提出提案").click()
    page.get_by_label("案由").fill("关于夜班职工就餐的建议")
    page.get_by_label("类别").select_option(label="生活后勤")
    page.get_by_label("理由和建议").fill("夜班下班时食堂已关门，建议增设夜班餐。")
    page.get_by_role("button", name="提交提案").click()
    expect(page.locator("[data-status]")).to_contain_text("待审查")
    shot("portal-10-motion")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    staff.close()


def shot_path(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def test_a_member_adds_a_passkey_and_signs_in_with_it_on_a_phone(page, server, tree, shot):
    """通行密钥 with Chromium's virtual authenticator (a platform authenticator that verifies the
    user): added on the passkeys page after the password, then the sign-in page's button alone."""
    from tests.portal.conftest import make_member

    make_member(tree, seq=31)
    page.set_viewport_size(PHONE)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True}})

    page.goto(f"{server}/m/login/")
    page.get_by_label("公民身份号码").fill(make_id(seq=31))
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("link", name="通行密钥（免密码登录）").click()
    form = page.locator("[data-passkey-register]")
    form.get_by_label("名称").fill("我的手机")
    form.get_by_label("登录密码").fill(PASSWORD)
    form.get_by_role("button", name="添加通行密钥").click()
    expect(page.locator("main")).to_contain_text("已添加通行密钥“我的手机”")
    expect(page.locator("main .list-group")).to_contain_text("尚未使用")
    shot("portal-11-passkeys")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="退出").click()
    page.goto(f"{server}/m/login/")
    shot("portal-12-passkey-sign-in")
    page.get_by_role("button", name="使用通行密钥登录").click()
    expect(page).to_have_url(re.compile(r"/m/home/$"))
    expect(page.locator("h1")).to_contain_text("您好，李四")
    page.goto(f"{server}/m/passkeys/")
    expect(page.locator("main .list-group")).to_contain_text("上次使用")
