"""The standard tables print as a federation files them (issue 16): A4, landscape when wide, one page
wide, title rows and 单位 on every page, frozen at the data, headers wrapped, rates with the
configured decimals, money with separators, the period and cut-off in the page header and
"第 1 页 共 1 页" in the footer. Read back with openpyxl, and printed to PDF by LibreOffice."""

import io
import math
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from gonghui.core import excel
from gonghui.core.periods import Period
from gonghui.core.tables import TABLES
from gonghui.reports import tables

H1 = Period.half(2025, 1)
pytestmark = pytest.mark.django_db
RATE = re.compile(r"[（(]%[)）]$")


def widths(ws) -> list[float]:
    """Each column's width: a <col> element covers a run of equal columns (min..max), which
    openpyxl files under the run's first letter only."""
    out = [excel.DEFAULT_WIDTH] * ws.max_column
    for dim in ws.column_dimensions.values():
        for c in range(dim.min, min(dim.max, ws.max_column) + 1):
            out[c - 1] = dim.width
    return out


def assert_print_ready(ws, rate_format="0.00"):
    setup = ws.page_setup
    wide = sum(widths(ws)) > excel.PORTRAIT_WIDTH
    assert setup.orientation == ("landscape" if wide else "portrait"), ws.title
    assert int(setup.paperSize) == excel.A4_PAPER
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    # fitToWidth 1 is the format's default, left out of the file (openpyxl: None).
    assert (setup.fitToWidth or 1) == 1 and int(setup.fitToHeight) == 0
    assert ws.print_title_rows == "$1:$4" and ws.print_title_cols == "$A:$A"
    assert ws.freeze_panes == "B5"
    headers = [c.value for c in ws[4]]
    assert headers[0] == "单位" and all(c.alignment.wrap_text for c in ws[4])
    lines = max(excel.wrapped_lines(h, w) for h, w in zip(headers, widths(ws), strict=True))
    assert ws.row_dimensions[4].height >= excel.LINE_HEIGHT * lines
    assert ws.oddHeader.right.text == f"统计期间：{H1.label}　截止日期：2025年6月30日"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    # The body: the rows after the header up to the totals (and reported values), not the note.
    last = max(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value and ws.cell(r, 1).value != tables.RATE_NOTE)
    for c, header in enumerate(headers[1:], start=2):
        cells = [ws.cell(r, c) for r in range(5, last + 1)]
        if RATE.search(header):
            assert {x.number_format for x in cells} == {rate_format}, (ws.title, header)
        elif excel.is_money_header(header):
            assert {x.number_format for x in cells} == {"#,##0.00"}, (ws.title, header)
    return headers


def test_every_sheet_of_the_standard_tables_is_print_ready(data):
    wb = openpyxl.load_workbook(io.BytesIO(tables.write(data.tree.root, H1)))
    seen = [assert_print_ready(ws) for ws in wb]
    assert any(RATE.search(h) for hs in seen for h in hs)  # rates were checked, not skipped
    assert {ws.page_setup.orientation for ws in wb} == {"landscape", "portrait"}  # both cases occur
    assert wb["会员发展"].oddHeader.left.text == "长沙县总工会会员发展统计表"


def test_rates_show_the_configured_decimals(data, settings):
    settings.GONGHUI_RATE_DECIMALS = 1
    wb = openpyxl.load_workbook(io.BytesIO(tables.write(data.tree.root, H1)))
    for ws in wb:
        assert_print_ready(ws, rate_format="0.0")


def test_every_registered_table_downloads_print_ready(client, data, personas):
    client.force_login(personas.county_admin)
    for key, table in TABLES.items():
        r = client.get(reverse(f"reports:table_{key}"), {"preset": "h1", "year": "2025", "format": "xlsx"})
        ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
        headers = assert_print_ready(ws)
        assert headers[1:] == tables.headers(table)
        assert ws.oddHeader.left.text == f"长沙县总工会{table.title}"
    money = openpyxl.load_workbook(io.BytesIO(client.get(reverse("reports:table_petitions"), {
        "preset": "h1", "year": "2025", "format": "xlsx"}).content)).active
    assert "追回金额(元)" in [c.value for c in money[4]]  # the money branch above was exercised


def calc_available() -> bool:
    soffice = shutil.which("soffice")
    # Writer alone (the summary's PDF) cannot open a workbook: Calc's library must be there too.
    return bool(soffice and shutil.which("pdfinfo")
                and (Path(soffice).resolve().parent / "libsclo.so").exists())


ROWS_PER_PAGE = 25  # a landscape A4 page at 100 % holds about 30 rows of 11 pt


@pytest.mark.skipif(not calc_available(),
                    reason="LibreOffice Calc (soffice, libreoffice-calc-nogui) 或 pdfinfo 未安装："
                           "以 root 运行 bash scripts/system-deps.sh 安装后本测试才会运行")
def test_libreoffice_prints_each_table_one_page_wide_on_a4(data, tmp_path):
    content = tables.write(data.tree.root, H1)
    (tmp_path / "tables.xlsx").write_bytes(content)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    # A profile of its own: another soffice running (another test, a user) would take the file.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "tables.xlsx")],
                   check=True, capture_output=True, timeout=180)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(tmp_path / "tables.pdf")],
                          check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    # Portrait without fit-to-width, these 7+ sheets came out 22 pages: the columns spilled over.
    assert pages <= sum(math.ceil(ws.max_row / ROWS_PER_PAGE) for ws in wb)
    assert pages == len(wb.worksheets)  # the test data's tables are short: a page each
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info, re.M)
    assert len(sizes) == pages  # every page is A4
    printed = ["landscape" if float(w) > float(h) else "portrait" for w, h in sizes]
    assert printed == [ws.page_setup.orientation for ws in wb]
