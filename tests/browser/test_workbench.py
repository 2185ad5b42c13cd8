"""The start page and a large subtree's dashboard in a real Chromium: what the pages fetch after
they arrive (htmx fragments) does arrive, and the charts are drawn from a fetched fragment; the
workbench of each persona at desktop and phone width, and help in place (hints, guides)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from gonghui.core import clock, notices
from tests.browser.conftest import DESKTOP, PHONE
from tests.petitions.conftest import make_petition
from tests.reports.conftest import build_data

pytestmark = pytest.mark.browser


def test_the_workbench_loads_its_todo_and_figures_and_offers_the_clerks_actions(page, server, tree, personas,
                                                                                 login):
    build_data(tree)
    login("town_clerk")
    expect(page.get_by_role("heading", level=1)).to_have_text("甲镇工会联合会")
    expect(page.locator('#wb-figures [data-metric="members.total"]')).to_be_visible()
    expect(page.locator("#wb-todo")).not_to_contain_text("正在读取待办")
    expect(page.locator("#wb-todo")).to_contain_text("共")
    page.get_by_role("link", name="新增会员（入会）").click()
    expect(page).to_have_url(f"{server}/members/new/")


def test_a_large_subtrees_dashboard_fills_in_its_groups_and_charts(page, server, tree, personas, login, settings):
    settings.GONGHUI_DASHBOARD_INLINE_ORGS = 3  # the test county (7 orgs) loads progressively
    build_data(tree)
    login("county_admin")
    page.goto(f"{server}/reports/430121/?preset=h1&year=2025")
    expect(page.locator('[data-metric="members.total"]')).to_contain_text("7")
    expect(page.locator('[data-metric="orgs.unions_total"]')).to_be_visible()
    expect(page.locator("#chart-parts svg")).to_have_count(1)  # ECharts drew the fetched chart data
    # The groups further down are fetched as they are scrolled into view (hx-trigger "intersect").
    # Found and scrolled to inside the page in one step: htmx may swap a placeholder out meanwhile.
    for _ in range(60):
        if not page.evaluate("""() => { const el = document.querySelector("[aria-busy=true]");
                                        if (el) el.scrollIntoView(); return !!el; }"""):
            break
        page.wait_for_timeout(200)
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    expect(page.locator('[data-metric="orgs.unions_total"]')).to_be_visible()


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_each_persona_works_from_the_start_page_at_desktop_and_phone_width(page, server, tree, personas, login,
                                                                           shot):
    build_data(tree)
    today = clock.today()
    notices.notice_post(actor=personas.county_admin, org=tree.root, title="请于月底前报送半年工作总结",
                        body="各乡镇工会按新模板填报。", valid_from=today, valid_until=today + dt.timedelta(days=14))
    make_petition(tree.union_a1, actor=personas.town_clerk, received_on=today, title="拖欠三个月工资")
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.context.clear_cookies()
        login("town_clerk")
        # The notice from the county, his draft, his due items, then the figures below them.
        expect(page.locator("#wb-notices")).to_contain_text("请于月底前报送半年工作总结")
        expect(page.locator("#wb-drafts")).to_contain_text("拖欠三个月工资")
        expect(page.locator("#wb-drafts")).to_contain_text("登记（待受理）")
        expect(page.locator("#wb-todo")).to_contain_text("共")
        expect(page.locator('#wb-figures [data-metric="members.total"]')).to_be_visible()
        expect(page.locator("[aria-busy=true]")).to_have_count(0)
        assert page.locator("#wb-figures").bounding_box()["y"] > page.locator("#wb-drafts").bounding_box()["y"]
        for label in ("新增会员（入会）", "登记信访", "困难职工建档", "开始集体协商"):
            expect(page.locator("#wb-actions").get_by_role("link", name=label)).to_be_visible()
        assert no_horizontal_overflow(page), name
        shot(f"workbench-clerk-{name}", full_page=True)
        # The draft opens the petition.
        page.locator("#wb-drafts").get_by_role("link", name=re.compile("拖欠三个月工资")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("拖欠三个月工资")

        # The read-only leader: figures and due items of the county, no action to take.
        page.context.clear_cookies()
        login("leader")
        expect(page.get_by_role("heading", level=1)).to_have_text("长沙县总工会")
        expect(page.locator('#wb-figures [data-metric="orgs.unions_total"]')).to_be_visible()
        expect(page.locator("#wb-todo")).to_contain_text("甲一公司工会")
        expect(page.locator("#wb-notices")).to_contain_text("请于月底前报送半年工作总结")
        expect(page.locator("#wb-actions")).to_have_count(0)
        assert no_horizontal_overflow(page), name


def test_help_in_place_hints_under_each_field_and_a_guide_for_each_line(page, server, tree, personas, login):
    login("town_clerk")
    page.goto(f"{server}/members/new/")
    # The hint is under its field and is what a screen reader announces with it.
    joined = page.get_by_label("入会日期")
    hint_id = joined.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{hint_id}")).to_be_visible()
    expect(page.locator(f"#{hint_id}")).to_contain_text("不能晚于今天")
    expect(page.locator("#id_id_number_helptext")).to_contain_text("18位")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{server}/petitions/")
        page.get_by_role("link", name="使用说明").click()
        expect(page).to_have_url(f"{server}/guide/petitions/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("信访")
        expect(page.locator("article.guide table").first).to_be_visible()
        assert no_horizontal_overflow(page)  # wide tables scroll inside their own box
