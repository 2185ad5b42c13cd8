"""The main menu (issue 15, item 10): the work lines' entries grouped in drop-downs, so the bar keeps
one line at 1366 px; the groups open with the mouse and the keyboard and lead to the pages; the
to-do count is a badge; at phone width the menu collapses behind the toggler and still works."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

GROUPS = {"组织与会员": ["组织", "用人单位", "会员"], "权益保障": ["集体协商", "信访调解"], "帮扶服务": ["困难帮扶"],
          "统计与总结": ["统计", "报表与总结"], "系统": ["我的任务", "账号", "审计日志", "节假日"]}


def test_the_menu_is_one_line_at_1366_and_its_groups_lead_to_the_pages(page, server, tree, personas, login, shot):
    page.set_viewport_size(DESKTOP)
    login("county_admin")
    nav = page.locator("#mainnav")
    # One line: the bar is as tall as one entry (plus its padding), and no label breaks.
    heights = page.evaluate("""() => {
        const bar = document.querySelector('.navbar-gonghui');
        const links = [...document.querySelectorAll('#mainnav .navbar-nav > .nav-item > .nav-link')];
        const cs = getComputedStyle(bar);
        return {bar: bar.getBoundingClientRect().height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom),
                tops: links.map(l => Math.round(l.getBoundingClientRect().top)),
                link: Math.max(...links.map(l => l.getBoundingClientRect().height)),
                lineHeight: Math.max(...links.map(l => parseFloat(getComputedStyle(l).lineHeight))),
                inner: Math.max(...links.map(l => l.getBoundingClientRect().height
                    - parseFloat(getComputedStyle(l).paddingTop) - parseFloat(getComputedStyle(l).paddingBottom)))};
    }""")
    assert len(set(heights["tops"])) == 1, f"the entries stand on several rows: {heights}"
    assert heights["inner"] <= heights["lineHeight"] + 1, f"a label wraps: {heights}"
    assert heights["bar"] <= heights["link"] + 12, f"the bar is taller than one entry: {heights}"  # the brand's line
    expect(nav.locator(".navbar-nav > .nav-item")).to_have_count(2 + len(GROUPS))  # 首页, 待办 and the groups
    # The start page counts the to-do items after it arrived; its fragment puts the count on the badge:
    # 甲一's ended term, and the large employer without a union that owes last month's 工会筹备金.
    expect(nav.get_by_role("link", name="待办").locator("[data-todo-count]")).to_have_text("2")
    shot("80-nav-desktop")

    # Every group opens and holds its pages; one of them is followed.
    for group, labels in GROUPS.items():
        toggle = nav.get_by_role("button", name=group, exact=True)
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        for label in labels:
            expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
        page.keyboard.press("Escape")
        expect(toggle).to_have_attribute("aria-expanded", "false")
    nav.get_by_role("button", name="组织与会员", exact=True).click()
    shot("81-nav-group-open")
    nav.get_by_role("link", name="用人单位", exact=True).click()
    expect(page).to_have_url(f"{server}/orgs/employers/")
    expect(nav.get_by_role("button", name="组织与会员", exact=True)).to_have_class(
        "nav-link dropdown-toggle active fw-semibold")
    # Other pages show the count kept in the session (the same two items); the to-do page agrees.
    expect(nav.get_by_role("link", name="待办").locator("[data-todo-count]")).to_have_text("2")

    # The keyboard: focus the group, open it with Enter, arrow down to an entry, Enter follows it.
    toggle = nav.get_by_role("button", name="权益保障", exact=True)
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(nav.get_by_role("link", name="集体协商", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server}/bargaining/")

    page.goto(f"{server}/todo/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2")


def test_the_menu_collapses_at_phone_width(page, server, tree, personas, login, shot):
    page.set_viewport_size(PHONE)
    login("town_clerk")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.get_by_role("button", name="组织与会员", exact=True)).to_be_hidden()
    toggler.click()
    expect(page.locator("#mainnav.show")).to_be_visible()
    group = page.get_by_role("button", name="组织与会员", exact=True)
    group.click()
    link = page.locator("#mainnav").get_by_role("link", name="会员", exact=True)
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "a menu entry is off screen"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("82-nav-phone-open")
    link.click()
    expect(page).to_have_url(f"{server}/members/")
    # A township clerk has no 系统 entries beyond his own tasks, and no 审计日志 or 账号 at all.
    nav = page.locator("#mainnav")
    expect(nav.get_by_role("link", name="审计日志", include_hidden=True)).to_have_count(0)
    expect(nav.get_by_role("link", name="账号", include_hidden=True)).to_have_count(0)


def test_the_todo_page_filters_by_kind_and_fits_a_phone(page, server, tree, personas, login, shot):
    login("county_admin")
    for size, name in ((DESKTOP, "83-todo-desktop"), (PHONE, "84-todo-phone")):
        page.set_viewport_size(size)
        page.goto(f"{server}/todo/")
        page.get_by_label("类别").select_option("orgs.term_due")
        page.get_by_role("button", name="筛选").click()
        expect(page.locator("section[data-todo-kind]")).to_have_count(1)
        expect(page.locator('section[data-todo-kind="orgs.term_due"]')).to_contain_text("甲一公司工会")
        expect(page.locator("[data-pager]")).to_contain_text("共 1 项")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"/todo/ scrolls at {size}"
        shot(name)
