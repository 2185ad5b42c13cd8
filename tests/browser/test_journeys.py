"""What a union clerk does and sees, in a real Chromium: login, the tree, the lifecycle of a
union, employers and 组建率, the audit log, scope, lockout, and the layout on a phone.

Screenshots of the key steps go to tests/screenshots/ (gitignored).
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def open_nav(page, label):
    """Click a main-menu entry, opening the collapsed menu first on a narrow screen and then the
    entry's group (the menu groups the work lines in drop-downs)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#mainnav.show")).to_be_visible()  # Bootstrap adds .show once it has slid open
    entry = page.get_by_role("link", name=label, exact=True, include_hidden=True)
    link = page.locator("#mainnav").locator(entry)
    group = page.locator("#mainnav .dropdown").filter(has=entry)
    if group.count():
        group.locator(".dropdown-toggle").click()
    link.click()
    page.wait_for_load_state()


def open_action(page, label):
    page.get_by_role("group", name="操作").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def save(page):
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()


def event(kind, text):
    """A timeline entry "更名：old → new" (the template puts a line break before the colon)."""
    return re.compile(re.escape(kind) + r"\s*：" + re.escape(text))


def coverage_rate(page, server):
    page.goto(f"{server}/stats/")
    cell = page.locator('[data-metric="orgs.coverage_rate"]')
    expect(cell).to_be_visible()
    return cell.inner_text().strip()


def test_tree_lazy_expansion_and_detail(page, server, personas, tree, login, shot):
    login("county_admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("长沙县总工会")
    shot("01-home-county-admin")

    open_nav(page, "组织")
    expect(page.get_by_role("heading", name="工会组织")).to_be_visible()
    children = page.locator(f"#children-{tree.town_a.pk}")
    expect(children).to_be_empty()  # nothing below 甲镇 is loaded until it is expanded
    row = page.locator(".tree-row", has_text="甲镇工会联合会")
    expect(row).to_contain_text("基层工会 2")
    row.get_by_role("button", name="展开").click()  # htmx fetches the next level
    expect(children).to_contain_text("甲一公司工会")
    expect(children).to_contain_text("甲二公司工会")
    expect(page.locator(f"#children-{tree.town_b.pk}")).not_to_contain_text("乙一公司工会")
    shot("02-tree-expanded")

    children.get_by_role("link", name="甲一公司工会").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("甲一公司工会")
    expect(page).to_have_url(re.compile(rf"/orgs/{tree.union_a1.pk}/$"))
    expect(page.locator(".breadcrumb")).to_contain_text("长沙县总工会")
    expect(page.locator(".breadcrumb")).to_contain_text("甲镇工会联合会")
    expect(page.get_by_text("编码 A1")).to_be_visible()
    expect(page.locator(".card", has_text="覆盖单位")).to_contain_text("甲一公司")
    expect(page.locator("#timeline")).to_contain_text("组建")
    shot("03-org-detail", full_page=True)


def test_found_rename_move_reelect_with_history_and_audit(page, server, personas, tree, login, shot):
    login("county_admin")
    page.goto(f"{server}/orgs/{tree.town_a.pk}/")
    open_action(page, "组建下级")
    expect(page.get_by_role("heading", level=1)).to_have_text("在“甲镇工会联合会”下组建工会")
    page.get_by_label("工会名称").fill("甲五公司工会")
    expect(page.get_by_label("组织类型")).to_have_value("grassroots")
    page.get_by_label("成立(批准)日期").fill("2024-03-01")
    page.get_by_label("工会主席").fill("张三")
    shot("10-found-form", full_page=True)
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("已组建“甲五公司工会”。")
    expect(page.get_by_role("heading", level=1)).to_have_text("甲五公司工会")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("2024年3月1日 · county_admin")
    expect(timeline).to_contain_text("组建")
    new_url = page.url
    shot("11-founded")

    open_action(page, "更名")
    page.get_by_label("新名称").fill("甲五科技公司工会")
    page.get_by_label("更名日期").fill("2024-06-01")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("已更名。")
    expect(page.get_by_role("heading", level=1)).to_have_text("甲五科技公司工会")
    expect(timeline).to_contain_text(event("更名", "甲五公司工会 → 甲五科技公司工会"))

    open_action(page, "转移")
    page.get_by_label("转入的上级工会").select_option(label="乙街道总工会")
    page.get_by_label("转移日期").fill("2024-09-01")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("已转移。")
    expect(page.locator(".breadcrumb")).to_contain_text("乙街道总工会")
    expect(page.locator(".breadcrumb")).not_to_contain_text("甲镇")
    expect(timeline).to_contain_text(event("转移", "甲镇工会联合会 → 乙街道总工会"))

    open_action(page, "换届")
    page.get_by_label("选举日期").fill("2025-03-01")
    page.get_by_label("任期").select_option(label="5年")
    page.get_by_label("当选主席").fill("李四")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("已记录换届。")
    expect(timeline).to_contain_text(event("换届", "第1届，任期5年"))
    expect(page.locator(".card", has_text="基本情况")).to_contain_text("第1届，2025年3月1日 选举，任期5年")
    expect(page.locator(".card", has_text="历届")).to_contain_text("李四")
    # The newest step is on top; all four are on the timeline.
    kinds = timeline.locator("li b").all_inner_texts()
    assert kinds == ["换届", "转移", "更名", "组建"]
    assert page.url == new_url
    shot("12-history-timeline", full_page=True)

    # The move shows in the tree: under 乙街道 now, no longer under 甲镇.
    open_nav(page, "组织")
    page.locator(".tree-row", has_text="乙街道总工会").get_by_role("button", name="展开").click()
    expect(page.locator(f"#children-{tree.town_b.pk}")).to_contain_text("甲五科技公司工会")
    page.locator(".tree-row", has_text="甲镇工会联合会").get_by_role("button", name="展开").click()
    expect(page.locator(f"#children-{tree.town_a.pk}")).to_contain_text("甲一公司工会")
    expect(page.locator(f"#children-{tree.town_a.pk}")).not_to_contain_text("甲五")

    # 审计日志 has who renamed and moved it.
    open_nav(page, "审计日志")
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    table = page.locator("#audit-table")
    # The action shows in Chinese; its code is the cell's title.
    renamed = table.locator("tr").filter(has=page.locator('td[title="orgs.org.renamed"]'))
    moved = table.locator("tr").filter(has=page.locator('td[title="orgs.org.moved"]'))
    expect(renamed).to_have_count(1)
    expect(moved).to_have_count(1)
    expect(renamed).to_contain_text("county_admin")
    expect(renamed).to_contain_text("甲五科技公司工会")
    expect(moved).to_contain_text("county_admin")
    expect(moved).to_contain_text("乙街道总工会")
    shot("13-audit-log")

    page.get_by_label("动作").select_option("orgs.org.moved")  # shown as 转移 under 组织
    page.get_by_role("button", name="筛选").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator('td[title="orgs.org.moved"]')).to_have_count(1)


def test_rejected_form_keeps_what_was_typed(page, server, personas, tree, login, shot):
    login("county_admin")
    page.goto(f"{server}/orgs/{tree.town_a.pk}/found/")
    future = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_label("工会名称").fill("甲六公司工会")
    page.get_by_label("成立(批准)日期").fill(future.isoformat())
    page.get_by_label("联系电话").fill("0731-12345678")
    save(page)
    expect(page.locator(".invalid-feedback")).to_contain_text(f"成立日期（{future.isoformat()}）不能晚于今天。")
    expect(page.get_by_label("工会名称")).to_have_value("甲六公司工会")
    expect(page.get_by_label("成立(批准)日期")).to_have_value(future.isoformat())
    expect(page.get_by_label("联系电话")).to_have_value("0731-12345678")
    shot("20-found-rejected-future-date", full_page=True)

    # An empty required field: a Chinese message too, and the rest stays.
    page.get_by_label("工会名称").fill("")
    page.get_by_label("成立(批准)日期").fill("2024-01-01")
    save(page)
    expect(page.locator(".invalid-feedback")).to_contain_text("这个字段是必填项。")
    expect(page.get_by_label("联系电话")).to_have_value("0731-12345678")


def test_dissolve_refused_for_live_township_then_empty_union(page, server, personas, tree, login, shot):
    login("county_admin")
    page.goto(f"{server}/orgs/{tree.town_a.pk}/")
    open_action(page, "注销")
    page.get_by_label("注销日期").fill("2025-06-30")
    page.get_by_label("注销原因").fill("撤并")
    save(page)
    expect(page.locator(".invalid-feedback")).to_contain_text(
        "不能注销：“甲镇工会联合会”下还有2个未注销的下级组织，须先转出或注销。")
    expect(page.get_by_label("注销原因")).to_have_value("撤并")
    shot("30-dissolve-refused", full_page=True)

    page.goto(f"{server}/orgs/{tree.union_a2.pk}/")
    open_action(page, "注销")
    page.get_by_label("注销日期").fill("2025-06-30")
    page.get_by_label("注销原因").fill("企业关闭")
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("已注销。")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已注销")
    expect(page.locator("#timeline")).to_contain_text(event("注销", "企业关闭"))
    expect(page.get_by_role("group", name="操作")).to_have_count(0)  # nothing more to do with it
    shot("31-dissolved")

    open_nav(page, "组织")
    row = page.locator(".tree-row", has_text="甲镇工会联合会")
    expect(row).to_contain_text("基层工会 1")
    row.get_by_role("button", name="展开").click()
    expect(page.locator(f"#children-{tree.town_a.pk}").get_by_role("link", name="甲二公司工会")).to_have_class(
        re.compile("text-decoration-line-through"))


def test_employer_coverage_moves_the_coverage_rate(page, server, personas, tree, login, shot):
    login("county_admin")
    before = coverage_rate(page, server)
    assert before == "75.00"  # 3 of the 4 employers with ≥ 25 people are covered
    shot("40-stats-before", full_page=True)

    open_nav(page, "用人单位")
    page.get_by_role("link", name="登记用人单位").click()
    page.get_by_label("属地工会").select_option(label="甲镇工会联合会")
    page.get_by_label("单位名称").fill("甲五制造有限公司")
    page.get_by_label(re.compile(r"^职工人数(必填)?$")).fill("100")
    page.get_by_label("女职工人数").fill("40")
    page.get_by_label("成立日期").fill("2015-01-01")
    shot("41-employer-form", full_page=True)
    save(page)
    expect(page.get_by_role("alert")).to_contain_text("已登记“甲五制造有限公司”。")
    expect(page.get_by_role("heading", level=1)).to_have_text("甲五制造有限公司")
    expect(page.locator("dd", has_text="100 / 40 / 0")).to_be_visible()
    expect(page.locator("#coverages")).to_contain_text("尚未建会")
    employer_url = page.url

    assert coverage_rate(page, server) == "60.00"  # a new required employer without a union: 3 / 5

    page.goto(employer_url)
    page.get_by_label("覆盖工会编码").fill("A1")
    page.get_by_label("覆盖起始日期").fill("2024-01-01")
    page.get_by_role("button", name="记录覆盖").click()
    expect(page.get_by_role("alert")).to_contain_text("已记录“甲一公司工会”覆盖本单位。")
    expect(page.locator("#coverages")).to_contain_text("甲一公司工会：2024年1月1日 起")
    shot("42-employer-covered")

    after = coverage_rate(page, server)
    assert after == "80.00"  # 4 / 5
    row = page.locator("tr", has=page.locator('[data-metric="orgs.coverage_rate"]'))
    expect(row).to_contain_text("4 / 5")
    shot("43-stats-after", full_page=True)

    # Own level only: nothing is registered at the county itself.
    page.get_by_label("仅本级").check()
    page.get_by_role("button", name="查询").click()
    expect(page.locator('[data-metric="orgs.coverage_rate"]')).to_have_text("—")
    expect(page.get_by_text("仅本级。")).to_be_visible()


def test_uncovered_filter_lists_employers_without_any_union(page, server, personas, tree, login):
    login("county_admin")
    page.goto(f"{server}/orgs/employers/")
    page.get_by_label("仅应建会").check()
    page.get_by_label("仅未建会").check()
    page.get_by_role("button", name="筛选").click()
    table = page.locator("main table")
    expect(table).not_to_contain_text("甲一公司")  # covered
    expect(table).to_contain_text("甲三公司", timeout=2_000)  # 100 people, no union


def test_town_clerk_sees_only_his_township(page, server, personas, tree, login, shot):
    login("town_clerk")
    open_nav(page, "组织")
    cards = page.locator("main .card")
    expect(cards).to_have_count(1)
    expect(cards.first.locator("a.fw-semibold")).to_have_text("甲镇工会联合会")
    expect(page.locator("main")).not_to_contain_text("乙街道总工会")
    expect(page.locator("main")).not_to_contain_text("长沙县总工会")
    nav = page.locator("#mainnav")  # closed drop-downs hide their entries: look at the hidden ones too
    expect(nav.get_by_role("link", name="审计日志", include_hidden=True)).to_have_count(0)
    expect(nav.get_by_role("link", name="账号", include_hidden=True)).to_have_count(0)
    shot("50-town-clerk-tree")

    page.get_by_placeholder("名称、编码或拼音首字母").fill("yy")  # 乙一 by its initials: out of scope
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("main")).to_contain_text("没有找到。")
    page.get_by_label("搜索").fill("jy")  # 甲一
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("main table")).to_contain_text("甲一公司工会")

    response = page.goto(f"{server}/orgs/{tree.union_b1.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("未找到")
    expect(page.locator("main")).not_to_contain_text("乙一公司工会")
    shot("51-not-found-out-of-scope")


def test_login_lockout_after_five_failures(page, server, personas, login, shot):
    for attempt in range(5):
        login("union_clerk", f"Wrong-Passw0rd-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    shot("60-login-failed")
    login("union_clerk")  # the right password, too late
    alert = page.get_by_role("alert")
    # The words of a wrong password: the page must not tell that this username exists (issue 12).
    expect(alert).to_contain_text("用户名或密码错误，或尝试次数过多")
    expect(alert).not_to_contain_text("锁定")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("#mainnav")).to_have_count(0)
    shot("61-login-locked")

    login("town_clerk")  # others are not affected
    expect(page.locator("#mainnav")).to_have_count(1)


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_layout_desktop_and_phone(page, server, personas, tree, login, shot):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server}/accounts/login/")
    shot("70-login-desktop")
    login("county_admin")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_hidden()
    expect(page.locator("#mainnav").get_by_role("button", name="统计与总结")).to_be_visible()
    assert _no_horizontal_scroll(page)
    shot("71-desktop-1366x768")

    page.set_viewport_size(PHONE)
    page.goto(f"{server}/")
    expect(toggler).to_be_visible()
    expect(page.locator("#mainnav").get_by_role("button", name="统计与总结")).to_be_hidden()
    shot("72-phone-390x844")
    toggler.click()
    expect(page.locator("#mainnav.show")).to_be_visible()
    expect(page.locator("#mainnav").get_by_role("button", name="统计与总结")).to_be_visible()
    shot("73-phone-menu-open")
    page.locator("#mainnav").get_by_role("button", name="组织与会员").click()
    page.locator("#mainnav").get_by_role("link", name="组织", exact=True).click()
    expect(page.get_by_role("heading", name="工会组织")).to_be_visible()
    expect(toggler).to_be_visible()

    # The main pages fit the phone's width (wide tables scroll inside their own box).
    for path in ["/", "/orgs/", f"/orgs/{tree.union_a1.pk}/", f"/orgs/{tree.town_a.pk}/found/", "/stats/",
                 "/orgs/employers/", "/audit/", "/todo/"]:
        page.goto(f"{server}{path}")
        assert _no_horizontal_scroll(page), f"{path} scrolls sideways at 390 px"
    page.goto(f"{server}/orgs/{tree.union_a1.pk}/")
    shot("74-phone-org-detail", full_page=True)
    page.goto(f"{server}/stats/")
    rate = page.locator('[data-metric="orgs.coverage_rate"]')
    expect(rate).to_have_text("75.00")
    box = rate.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], "the 组建率 value is off screen on a phone"
    shot("75-phone-stats")
