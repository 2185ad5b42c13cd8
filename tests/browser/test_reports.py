"""Statistics in a real Chromium: the dashboard with its charts, drill-down to a township and
to the records behind a figure, targets, the period lock, a refused template and the Word
summary download. Screenshots go to tests/screenshots (scripts/screenshots.py makes the user guide's)."""

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.reports.conftest import build_data

pytestmark = pytest.mark.browser

# Screenshots go to tests/screenshots (not tracked); the user guide's copies in docs/screenshots
# are refreshed by hand from there, so a test run never changes tracked files.
DOCS_SHOTS = SCREENSHOTS


@pytest.fixture
def doc_shot(page):
    DOCS_SHOTS.mkdir(exist_ok=True)

    def take(name: str, full_page: bool = False):
        page.screenshot(path=str(DOCS_SHOTS / f"reports-{name}.png"), full_page=full_page)

    return take


def test_dashboard_drill_down_records_and_summary(page, server, tree, personas, login, doc_shot):
    build_data(tree)
    login("county_admin")
    page.locator("#mainnav").get_by_role("button", name="统计与总结", exact=True).click()
    page.locator("#mainnav").get_by_role("link", name="报表与总结", exact=True).click()
    page.get_by_label("统计期间").select_option("h1")
    page.get_by_label("年度").fill("2025")
    page.get_by_role("button", name="查询").click()
    expect(page.locator('[data-metric="members.total"]')).to_contain_text("7")
    expect(page.locator("#chart-parts svg")).to_have_count(1)  # ECharts drew
    # Each chart is a named picture with its numbers in a collapsed table (issue 16): the monthly
    # trend's table opens with a row per month.
    expect(page.locator("#chart-trend")).to_have_attribute("role", "img")
    trend_table = page.get_by_role("group").filter(has=page.locator("summary", has_text="逐月：数据表"))
    expect(trend_table.locator("tbody tr").first).to_be_hidden()  # collapsed by default
    trend_table.locator("summary").click()
    expect(trend_table.locator("tbody tr")).to_have_count(6)  # January to June: the first half-year
    expect(page.locator("figure", has=page.locator("#chart-parts")).locator("caption")).to_contain_text("按下级单位")
    trend_table.locator("summary").click()  # closed again for the screenshot
    doc_shot("01-dashboard", full_page=True)

    # Figure → breakdown by township (parts add up) → a township → the records of one union.
    page.get_by_role("link", name="会员总数", exact=True).click()
    expect(page.locator("#sum-check")).to_contain_text("与合计一致")
    expect(page.locator("#total")).to_have_text("7")
    doc_shot("02-breakdown")
    page.locator("#breakdown").get_by_role("link", name="甲镇工会联合会").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("甲镇工会联合会按下级单位")
    page.locator("#breakdown tr", has_text="甲一公司工会").get_by_role("link", name="记录").click()
    records = page.locator("#records")
    for name in ("李二", "王三", "孙五"):
        expect(records).to_contain_text(name)
    expect(records).not_to_contain_text("张一")
    doc_shot("03-records")

    # Back to the county: targets, then the Word summary.
    page.goto(f"{server}/reports/430121/?preset=h1&year=2025")
    page.get_by_role("link", name="目标值与上报值").click()
    page.get_by_label("发展会员目标值").fill("5")
    page.get_by_label("入会率目标值").fill("一百")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("不是数字")
    expect(page.get_by_label("入会率目标值")).to_have_value("一百")
    page.get_by_label("入会率目标值").fill("99")
    page.get_by_label("会员总数上报值").fill("8")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("已保存")
    page.goto(f"{server}/reports/430121/?preset=h1&year=2025")
    with page.expect_download() as dl:
        page.get_by_role("link", name="生成工作总结").click()
    content = Path(dl.value.path()).read_bytes()
    paras = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    assert paras[0] == "长沙县总工会2025年上半年工作总结"
    assert any("发展会员目标5人，完成120.00%" in p for p in paras)
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载统计表").click()
    assert dl.value.suggested_filename.endswith(".xlsx")

    # Publish: lock the period, then a back-dated joining shows as a difference.
    page.get_by_role("button", name="锁定本期数据（总结发布后）").click()
    expect(page.locator("#lock-confirm")).to_contain_text("锁定后")  # it asks first
    # Locking computes and stores every figure of the period before the page answers: on a loaded
    # machine (a whole-suite run beside another saw it) that outlasts a click's default 10 s wait.
    page.get_by_role("button", name="确认锁定").click(timeout=60_000)
    expect(page.locator("#lock-note")).to_contain_text("锁定")
    from gonghui.members import services
    from tests.members.conftest import make_id

    services.member_join(actor=personas.county_admin, union=tree.union_a2, name="补录", joined_on=dt.date(2025, 6, 20),
                         id_number=make_id(seq=90))
    page.reload()
    expect(page.locator('[data-metric="members.total"]')).to_contain_text("7")
    expect(page.locator('[data-drift="members.total"]')).to_have_text("+1")
    expect(page.locator("#changes")).to_contain_text("补录")
    doc_shot("04-locked", full_page=True)


def test_a_broken_template_is_refused(page, server, tree, personas, login, doc_shot, tmp_path):
    login("county_admin")
    page.goto(f"{server}/reports/430121/template/")
    bad = tmp_path / "我的模板.docx"
    d = docx.Document()
    d.add_paragraph("{{ title }")
    d.save(str(bad))
    page.locator('input[type="file"]').set_input_files(str(bad))
    page.get_by_role("button", name="上传模板").click()
    expect(page.locator("#upload-error")).to_contain_text("语法错误")
    doc_shot("05-template-refused")
    expect(page.locator("#effective")).to_have_text("系统默认模板")


def test_reports_pages_fit_a_phone(page, server, tree, personas, login):
    from tests.browser.conftest import PHONE

    build_data(tree)
    login("county_admin")
    page.set_viewport_size(PHONE)
    for path in ("/reports/?preset=h1&year=2025", "/reports/430121/figure/members.total/?preset=h1&year=2025",
                 "/reports/A1/records/members.total/?preset=h1&year=2025", "/reports/430121/targets/",
                 "/reports/430121/template/", "/todo/"):
        page.goto(f"{server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


def test_typing_dates_under_a_preset_queries_those_dates(page, server, tree, personas, login):
    """Issue 15 item 4: dates typed with 统计期间 left on 本年 switch it to 自定义."""
    build_data(tree)
    login("county_admin")
    page.goto(f"{server}/reports/?preset=year&year=2025")
    page.get_by_label("开始日期（自定义）").fill("2025-01-01")
    page.get_by_label("截止日期（自定义）").fill("2025-06-30")
    expect(page.get_by_label("统计期间")).to_have_value("custom")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("main")).to_contain_text("2025年1月1日至2025年6月30日")
    expect(page.locator('[data-metric="members.total"]')).to_contain_text("7")
    # Choosing 上半年 again is what is asked for, whatever the date boxes hold.
    page.get_by_label("统计期间").select_option("h1")
    page.get_by_label("年度").fill("2024")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("main")).to_contain_text("2024年1月1日至2024年6月30日")
    expect(page.locator("#period-note")).to_have_count(0)


def test_the_chart_by_subordinate_labels_every_bar(page, server, tree, personas, login):
    """Issue 15 item 13: with 30 townships every bar of 按下级单位 carries its name (the chart
    scrolls inside its own box)."""
    import json

    from gonghui.orgs import services as org_services
    from gonghui.orgs.models import OrgType

    for i in range(28):
        town = org_services.org_found(actor=None, parent=tree.root, name=f"第{i + 1}镇工会", code=f"T{i:02d}",
                                      org_type=OrgType.TOWNSHIP_FED, founded_on=dt.date(2024, 1, 1))
        for j in range(i % 3 + 1):
            org_services.org_found(actor=None, parent=town, name=f"第{i + 1}镇{j}号工会", code=f"T{i:02d}{j}",
                                   org_type=OrgType.GRASSROOTS, founded_on=dt.date(2024, 1, 1))
    login("county_admin")
    page.goto(f"{server}/reports/430121/?preset=year&year=2025&metric=orgs.unions_total")
    expect(page.locator("#chart-parts svg")).to_have_count(1)
    names = [label for label, _ in json.loads(page.locator("#chart-data").text_content())["parts"]]
    assert len(names) == 31  # 本级, 甲镇, 乙街道 and the 28 new townships
    expect(page.locator(".chart-scroll #chart-parts")).to_have_count(1)
    shown = page.locator("#chart-parts svg text").all_text_contents()
    assert [t for t in shown if t in names] == names
    # A count axis steps in whole numbers.
    ticks = [t for t in shown if t.replace(".", "", 1).isdigit()]
    assert ticks and all("." not in t for t in ticks)
