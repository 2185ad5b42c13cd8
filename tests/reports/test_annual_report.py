"""Issue 17 item 7: the 全总 annual statistics report (基层工会统计年报汇总表).

Every cell of the demo's report against the hand-written SQL of bench/twins; the rows by 单位类别
adding up to the total; known answers on the hand-built tree; the CLI's workbook read back in the
official layout; the download and the check page under the scope policy."""

import datetime as dt
import io
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gonghui.core import demo
from gonghui.core.metrics import REGISTRY, compute
from gonghui.orgs.models import Employer, Org, OrgType
from gonghui.reports import annual
from tests.conftest import PASSWORD

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import twins  # noqa: E402
from hand_sql import path_on  # noqa: E402

TODAY = timezone.localdate()
TYPE_ROWS = ("enterprise", "institution", "government", "social", "individual", "other")
ENTERPRISE_ROWS = ("domestic", "hmt", "foreign")


@pytest.fixture
def small(db):
    return demo.build("small", 7, TODAY, progress=lambda _: None)


def _by_code(report):
    return {line.code: values for line, values in report.table1}


def _check_against_twins(org, year):
    """Each filled cell of the report of `org` against the twin of its figure: (cells, mismatches)."""
    report = annual.build(org, year)
    all_twins = twins.all_twins()
    period = report.period
    mismatches, checked = [], 0
    cells = [(line, cell, v) for line, vs in report.table1 for cell, v in zip(line.cells, vs, strict=True)]
    cells += [(line, line.cells[0], v) for line, v in report.table2]
    with connection.cursor() as cursor:
        p = path_on(cursor, org.pk, org.path, period.end)
        for line, cell, value in cells:
            if cell.missing:
                assert value is None, f"{line.label}: a cell without records must stay blank"
                continue
            twin = all_twins[cell.metric]
            sql = twin.run(cursor, p, period, **cell.filters)
            if twin.shape == "fraction":
                sql = dict(zip(("numerator", "denominator"), sql, strict=True))[cell.part]
            checked += 1
            if sql != value:
                mismatches.append(f"{org.name} {year} {line.code} {line.label} {cell.key}: report {value!r}, SQL {sql!r}")
    return report, checked, mismatches


def test_every_cell_of_the_demo_report_agrees_with_hand_written_sql(small):
    root = Org.objects.get(depth=1)
    town = Org.objects.filter(org_type__in=(OrgType.TOWNSHIP_FED, OrgType.TOWNSHIP_GEN)).order_by("path").first()
    for org in (root, town):
        for year in (TODAY.year, TODAY.year - 1):
            report, checked, mismatches = _check_against_twins(org, year)
            assert not mismatches, "\n".join(mismatches)
            assert checked == len(annual.table1()) * len(annual.T1_COLUMNS) + sum(
                1 for line in annual.table2() if not line.cells[0].missing)
    # The agreement means something: the demo's county has unions, employees and members in
    # several categories, and the total row is not zero.
    report = annual.build(root, TODAY.year)
    rows = _by_code(report)
    assert rows["01"][0] and rows["01"][2] and rows["01"][5]  # unions, employees, members
    assert sum(1 for code in ("03", "04", "05", "06", "07", "08", "09", "10") if rows[code][0]) >= 2


def test_the_rows_by_unit_type_add_up_to_the_total(small):
    root = Org.objects.get(depth=1)
    for year in (TODAY.year, TODAY.year - 1):
        report = annual.build(root, year)
        by_type = {unit_type: values for (line, values), (_label, unit_type) in zip(report.table1, annual.T1_ROWS,
                                                                                   strict=True)}
        total = by_type[None]
        for c in range(len(annual.T1_COLUMNS)):
            assert sum(by_type[t][c] for t in TYPE_ROWS) == total[c], annual.T1_COLUMNS[c][0]
            assert sum(by_type[t][c] for t in ENTERPRISE_ROWS) == by_type["enterprise"][c], annual.T1_COLUMNS[c][0]


def test_known_answers_on_the_hand_built_tree(data):
    # 乙一公司 becomes 港澳台商投资: its union 乙一 (moved under 甲镇 on 1 Aug 2025) goes to that row;
    # 乙二公司工会 covers no employer: 其他.
    tree = data.tree
    Employer.objects.filter(pk=tree.emp["b1"].pk).update(ownership="hmt", **_code("200"))
    report = annual.build(tree.root, 2025)
    rows = _by_code(report)
    #            unions joint staff women migrant members women migrant
    assert rows["01"] == [4, 0, 130, 40, 0, 7, 2, 1]
    assert rows["02"] == [3, 0, 130, 40, 0, 6, 2, 1]  # 企业
    assert rows["03"] == [2, 0, 90, 20, 0, 4, 1, 1]  # 内资: 甲一 (李二, 王三, 孙五), 甲二 (钱四)
    assert rows["04"] == [1, 0, 40, 20, 0, 2, 1, 0]  # 港澳台: 乙一 (赵一, 周六)
    assert rows["05"] == [0] * 8
    assert rows["10"] == [1, 0, 0, 0, 0, 1, 0, 0]  # 其他: 乙二 (吴七)
    # The town now holds 乙一: its report follows the tree on the cut-off.
    assert _by_code(annual.build(tree.town_a, 2025))["04"] == [1, 0, 40, 20, 0, 2, 1, 0]
    assert _by_code(annual.build(tree.town_b, 2025))["04"] == [0] * 8
    t2 = {line.label: v for line, v in report.table2}
    assert t2["建立女职工委员会的基层工会"] == 1  # 甲一
    assert t2["专职工会工作人员"] is None and t2["建立劳动争议调解委员会的单位"] is None
    # A cell is its figure: the unfiltered figure is the total's, as orgs and members count it.
    period = annual.period_of(2025)
    assert compute("annual.unions", tree.root, period).value == compute("orgs.unions_total", tree.root, period).value
    assert compute("annual.members", tree.root, period).value == compute("members.total", tree.root, period).value


def _code(code: str) -> dict:
    """The employer's 单位类别 code."""
    return {"unit_category": code}


def test_the_unit_category_code_decides_over_the_ownership_where_filled_in(data):
    tree = data.tree
    # 甲二公司: 民营 by its 单位性质, but 400 事业 by its code; 乙一公司: no code, so its 单位性质 (民营).
    Employer.objects.filter(pk=tree.emp["a2"].pk).update(ownership="private", unit_category="400")
    Employer.objects.filter(pk=tree.emp["b1"].pk).update(ownership="private", unit_category="")
    rows = _by_code(annual.build(tree.root, 2025))
    assert rows["06"] == [1, 0, 60, 8, 0, 1, 0, 0]  # 事业单位: 甲二 (钱四)
    assert rows["03"][:3] == [2, 0, 70]  # 内资: 甲一 (by its code or 单位性质) and 乙一 (单位性质)


def test_the_cli_writes_the_official_layout(data, tmp_path):
    out = tmp_path / "annual.xlsx"
    call_command("export_data", "annual-report", "--org", data.tree.root.code, "--year", "2025", "--out", str(out),
                 stdout=io.StringIO())
    report = annual.build(data.tree.root, 2025)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["表一", "表二", "核对说明"]
    ws = wb["表一"]
    assert ws["A1"].value == "长沙县总工会2025年度基层工会统计年报汇总表（表一）"
    assert "国统制〔2019〕107号" in ws["A2"].value
    assert [c.value for c in ws[5]] == ["指标名称", "代码", *(h for h, _t, _f in annual.T1_COLUMNS)]
    assert [c.value for c in ws[6]][:4] == ["甲", "乙", "1", "2"]
    for r, (line, values) in enumerate(report.table1, start=7):
        assert ws.cell(r, 1).value == line.label and ws.cell(r, 2).value == line.code
        assert [ws.cell(r, c).value for c in range(3, 3 + len(values))] == values
    assert ws.cell(7, 1).value == "总计" and ws.cell(16, 1).value == "其他"
    # Print-ready: A4, one page wide, title and header rows repeated.
    setup = ws.page_setup
    assert setup.paperSize == 9 and setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True and (setup.fitToWidth or 1) == 1
    assert ws.print_title_rows == "$1:$6" and ws.print_title_cols == "$A:$A"
    t2 = wb["表二"]
    assert [c.value for c in t2[5]] == ["指标名称", "计量单位", "代码", "本年"]
    labels = {t2.cell(r, 1).value: t2.cell(r, 4).value for r in range(7, 7 + len(report.table2))}
    assert labels["建立女职工委员会的基层工会"] == 1
    assert labels["专职工会工作人员"] is None  # no records: blank, never 0
    check = wb["核对说明"]
    keys = {check.cell(r, 4).value for r in range(3, check.max_row + 1)}
    assert "annual.unions?unit_type=hmt" in keys and "orgs.legal_person_rate#numerator" in keys
    reasons = [check.cell(r, 5).value for r in range(3, check.max_row + 1) if check.cell(r, 5).value]
    assert len(reasons) == sum(1 for line in annual.table2() if line.cells[0].missing)


def test_the_cli_refuses_a_bad_year(data, tmp_path):
    with pytest.raises(CommandError, match="统计年度“20x5”不正确"):
        call_command("export_data", "annual-report", "--year", "20x5", "--out", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match="不能同时使用"):
        call_command("export_data", "annual-report", "--year", "2025", "--from", "2025-01-01",
                     "--out", str(tmp_path / "a.xlsx"))


def test_the_download_obeys_scope(client, data, personas):
    tree = data.tree
    client.login(username="town_clerk", password=PASSWORD)
    # A township's clerk: his own township's report, not the county's nor the other township's.
    own = client.get(reverse("reports:annual_xlsx", args=[tree.town_a.code]) + "?year=2025")
    assert own.status_code == 200 and own["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(own.content))
    assert wb["表一"]["A1"].value.startswith("甲镇工会联合会2025年度")
    for code in (tree.root.code, tree.town_b.code):
        assert client.get(reverse("reports:annual_xlsx", args=[code]) + "?year=2025").status_code == 404
        assert client.get(reverse("reports:annual", args=[code]) + "?year=2025").status_code == 404
    client.logout()
    assert client.get(reverse("reports:annual_xlsx", args=[tree.root.code])).status_code == 302


def test_the_check_page_lists_the_cells_records_cannot_fill(client, data, personas):
    client.login(username="county_admin", password=PASSWORD)
    page = client.get(reverse("reports:annual", args=[data.tree.root.code]) + "?year=2025")
    assert page.status_code == 200
    html = page.content.decode()
    blank = [r for r in annual.check_rows() if r.reason]
    assert f"不能由系统记录填报的单元格（{len(blank)}个）" in html
    for reason in {r.reason for r in blank}:
        assert reason in html
    for r in annual.check_rows():
        assert (r.key or "无记录") in html
    assert reverse("reports:annual_xlsx", args=[data.tree.root.code]) + "?year=2025" in html
    # A bad year says so and shows this year's.
    bad = client.get(reverse("reports:annual", args=[data.tree.root.code]) + "?year=abc").content.decode()
    assert "统计年度“abc”不正确" in bad


def test_every_figure_the_report_names_is_registered():
    for row in annual.check_rows():
        if row.key:
            assert row.key.split("?")[0].split("#")[0] in REGISTRY, row.key
    assert dt.date(2025, 12, 31) == annual.period_of(2025, dt.date(2026, 3, 1)).end
    assert annual.period_of(2026, dt.date(2026, 3, 1)).end == dt.date(2026, 3, 1)
