"""The start page and a large subtree's dashboard in a real Chromium: what the pages fetch after
they arrive (htmx fragments) does arrive, and the charts are drawn from a fetched fragment."""

import pytest
from playwright.sync_api import expect

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
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
