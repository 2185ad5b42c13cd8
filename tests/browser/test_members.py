"""The member roster in a real Chromium: search by pinyin, masked data, the logged full view,
joining through the form and a transfer into another township accepted by the county."""

import pytest
from playwright.sync_api import expect

from gonghui.core.models import AccessLog
from gonghui.members.models import Membership
from tests.members.conftest import make_id

pytestmark = pytest.mark.browser


def test_roster_search_masking_and_full_view(page, server, tree, personas, login, shot):
    from gonghui.members import services

    number = make_id("19850316", 21, female=True)
    services.member_join(actor=None, union=tree.union_a1, name="单丽", id_number=number, phone="13812345678",
                         joined_on=tree.union_a1.founded_on, card_no="HN-21")
    login("town_admin")
    page.goto(f"{server}/members/")
    page.get_by_label("查找").fill("shanli")
    page.get_by_role("button", name="筛选").click()
    table = page.locator("#roster")
    expect(table).to_contain_text("单丽")
    expect(table).to_contain_text(number[:6] + "********" + number[-4:])
    expect(table).not_to_contain_text(number)
    expect(table).to_contain_text("138****5678")
    shot("70-roster-search")
    table.get_by_role("link", name="单丽").click()
    expect(page.locator("#id-number")).to_have_text(number[:6] + "********" + number[-4:])
    page.get_by_label("查看事由").fill("核对身份")
    page.get_by_role("button", name="查看完整信息（留痕）").click()
    expect(page.locator("#full-id")).to_have_text(number)
    shot("71-member-full-view")
    assert AccessLog.objects.get().reason == "核对身份"


def test_join_then_transfer_accepted_by_the_receiving_union(page, server, tree, personas, login):
    login("town_clerk")
    page.goto(f"{server}/members/")
    page.get_by_role("link", name="登记入会").click()
    page.get_by_label("所在工会代码").fill("A1")
    page.get_by_label("姓名").fill("王五")
    page.get_by_label("公民身份号码").fill("430121199001010011")  # wrong check character
    page.get_by_label("入会日期").fill("2024-05-01")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("校验位不正确")
    expect(page.get_by_label("姓名")).to_have_value("王五")
    page.get_by_label("公民身份号码").fill(make_id("19900101", 5))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("王五")

    page.get_by_role("group", name="办理").get_by_role("link", name="转会").click()
    page.get_by_label("转入工会代码").fill("B1")
    page.get_by_label("转会日期").fill("2025-03-01")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("等待")

    page.get_by_role("button", name="退出").click()
    login("county_admin")
    page.goto(f"{server}/members/transfers/")
    page.get_by_role("button", name="接收").click()
    expect(page.locator("main")).to_contain_text("已接收 王五")
    assert Membership.objects.get(ended_on__isnull=True).union == tree.union_b1


def test_a_member_of_another_township_is_asked_for_by_id_number(page, server, tree, personas, login, shot):
    """Issue 12: the join form does not name the other union; the clerk asks for a transfer by
    ID number and the holding union lets the member go."""
    from gonghui.members import services
    from tests.conftest import make_user

    number = make_id("19880808", 7)
    services.member_join(actor=None, union=tree.union_b1, name="乙会员", id_number=number,
                         joined_on=tree.union_b1.founded_on)
    make_user("b1_clerk", tree.union_b1, "业务经办")
    login("union_clerk")
    page.goto(f"{server}/members/new/")
    page.get_by_label("所在工会代码").fill("A1")
    page.get_by_label("姓名").fill("乙会员")
    page.get_by_label("公民身份号码").fill(number)
    page.get_by_label("入会日期").fill("2025-01-01")
    page.get_by_role("button", name="保存").click()
    main = page.locator("main")
    expect(main).to_contain_text("不能在此办理入会")
    expect(main).not_to_contain_text("乙一公司工会")

    page.goto(f"{server}/members/")
    page.get_by_role("link", name="转会").click()
    page.get_by_label("转入工会代码").fill("A1")
    page.get_by_label("公民身份号码").fill(number)
    page.get_by_label("转会日期").fill("2025-01-01")
    page.get_by_role("button", name="提交转入申请").click()
    expect(main).to_contain_text("已提交转入申请")
    expect(main).to_contain_text("待接收")
    expect(main).not_to_contain_text("乙一公司工会")
    shot("members-transfer-requested")

    page.get_by_role("button", name="退出").click()
    login("b1_clerk")
    page.goto(f"{server}/members/transfers/")
    page.get_by_role("button", name="同意转出").click()
    expect(page.locator("main")).to_contain_text("已同意 乙会员 转出到“甲一公司工会”")
    assert Membership.objects.get(ended_on__isnull=True).union == tree.union_a1
