"""The picker (core.pickers) in a real Chromium at desktop and phone width: type part of a name,
pick with the keyboard, save; and /bargaining/new/, whose drop-down stopped at 500 unions."""

import pytest
from playwright.sync_api import expect

from gonghui.members.models import Membership
from tests.browser.conftest import DESKTOP, PHONE
from tests.members.conftest import make_id

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_union_is_picked_by_typing_part_of_its_name(page, server, tree, personas, login, shot, size):
    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    login("town_clerk")
    page.goto(f"{server}/members/new/")
    union = page.get_by_label("所在工会代码")
    union.press_sequentially("公司")
    listbox = page.get_by_role("listbox")
    option = listbox.get_by_role("option", name="甲二公司工会")
    expect(option).to_be_visible()
    expect(option).to_contain_text("长沙县总工会 › 甲镇工会联合会 › 甲二公司工会")
    expect(listbox.get_by_role("option")).to_have_count(2)  # 甲一, 甲二: never 乙一, another township's
    union.press("ArrowDown")
    union.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(union).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    shot(f"picker-{size}")
    union.press("Enter")  # picks; does not submit the form
    expect(union).to_have_value("A2")
    expect(listbox).to_be_hidden()
    expect(union).to_have_attribute("aria-expanded", "false")

    page.get_by_label("姓名").fill("王五")
    page.get_by_label("公民身份号码").fill(make_id("19900101", 5))
    page.get_by_label("入会日期").fill("2025-03-01")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("王五")
    assert Membership.objects.get(person__name="王五").union == tree.union_a2


def test_escape_closes_the_list_and_keeps_what_was_typed(page, server, tree, personas, login):
    login("town_clerk")
    page.goto(f"{server}/members/new/")
    union = page.get_by_label("所在工会代码")
    union.press_sequentially("jygs")  # pinyin initials of 甲一公司
    expect(page.get_by_role("option", name="甲一公司工会")).to_be_visible()
    union.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(union).to_have_value("jygs")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_bargaining_can_start_at_a_union_past_the_500th(page, server, tree, personas, login, size):
    """Issue 15: the drop-down held 500 unions; every union in scope is now choosable."""
    from gonghui.orgs import services as org_services
    from gonghui.orgs.models import OrgType

    for i in range(501):
        org_services.org_found(actor=None, parent=tree.town_a, name=f"丙{i:03d}公司工会", org_type=OrgType.GRASSROOTS,
                               founded_on=tree.union_a1.founded_on, code=f"C{i:03d}")
    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    login("town_clerk")
    page.goto(f"{server}/bargaining/new/")
    union = page.get_by_label("工会")
    union.press_sequentially("丙50")
    expect(page.get_by_role("option", name="丙500公司工会")).to_be_visible()
    union.press("ArrowDown")
    union.press("Enter")
    expect(union).to_have_value("C500")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("main")).to_contain_text("主持协商的工会：丙500公司工会")
