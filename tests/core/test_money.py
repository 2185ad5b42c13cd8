"""One money format (core.money) for the pages (the `money` filter), the Word summary and the
exports, and one percentage (core.metrics.percent) for every rate the system shows."""

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.template import Context, Template

from gonghui.core import excel
from gonghui.core.metrics import Value, percent, rate
from gonghui.core.money import XLSX_FORMAT, format_money
from gonghui.reports import figures as F

SRC = Path(__file__).resolve().parents[2] / "src" / "gonghui"


@pytest.mark.parametrize(("amount", "unit", "text"), [
    (Decimal("75000"), "元", "75,000.00元"),
    (Decimal("1234567.891"), "元", "1,234,567.89元"),
    (Decimal("0.005"), "元", "0.01元"),  # half up, never half even
    ("2500", "元", "2,500.00元"),
    (Decimal("-1200.5"), "元", "-1,200.50元"),
    (Decimal("364500"), "万元", "36.45万元"),  # seed S0: 36.45万
    (Decimal("364550"), "万元", "36.46万元"),
    (Decimal("13173100"), "万元", "1,317.31万元"),  # seed S1: 1317.31万元
    (Decimal("9999.99"), "auto", "9,999.99元"),
    (Decimal("10000"), "auto", "1.00万元"),
    (Decimal("75000"), "", "75,000.00"),  # a cell under a "(元)" header
    (None, "元", "—"),
])
def test_format_money(amount, unit, text):
    assert format_money(amount, unit) == text


def test_money_is_never_truncated_by_the_rate_setting(settings):
    settings.GONGHUI_RATE_ROUNDING = "truncate"
    assert format_money(Decimal("364550"), "万元") == "36.46万元"
    assert F.fmt_number(Decimal("364550"), "元") == "36.46万元"


def test_the_template_filter_and_the_summary_use_it():
    html = Template('{% load gonghui %}{{ a|money }} {{ a|money:"万元" }} {{ a|money:"" }} {{ n|money }}').render(
        Context({"a": Decimal("75000"), "n": None}))
    assert html == "75,000.00元 7.50万元 75,000.00 —"
    assert F.fmt_number(Decimal("364500"), "元") == format_money(Decimal("364500"), "auto") == "36.45万元"


def _cell_format(data: bytes, ref: str) -> str:
    """The number format of one cell of the first sheet of an xlsx."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))  # noqa: S314 (a workbook this test just wrote)
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))  # noqa: S314
    formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind("m:numFmts/m:numFmt", ns)}
    xfs = list(styles.iterfind("m:cellXfs/m:xf", ns))
    cell = sheet.find(f".//m:c[@r='{ref}']", ns)
    return formats.get(xfs[int(cell.get("s", 0))].get("numFmtId"), "")


def test_exports_show_amounts_with_separators_and_keep_them_numbers():
    out = io.BytesIO()
    excel.write_table(out, ["姓名", "金额(元)", "人次"], [["张三", 75000.5, 3]])
    assert _cell_format(out.getvalue(), "B2") == XLSX_FORMAT
    assert _cell_format(out.getvalue(), "C2") == ""  # not money
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0).to_python()
    assert rows[1][1] == 75000.5


# --- percentages -----------------------------------------------------------------------------

def test_percent_follows_the_rounding_settings(settings):
    assert percent(67, 68) == Decimal("98.53") and percent(1, 0) is None and percent(0, None) is None
    settings.GONGHUI_RATE_DECIMALS = 1
    assert percent(Decimal("1000.00"), Decimal("3000.00")) == Decimal("33.3")
    settings.GONGHUI_RATE_ROUNDING = "truncate"
    settings.GONGHUI_RATE_DECIMALS = 0
    assert percent(67, 68) == Decimal("98")
    assert rate(67, 68) == Value(Decimal("98"), 67, 68)


def test_a_targets_completion_and_a_campaign_budget_use_the_same_rounding(settings):
    assert F.completion(Value(2), Decimal("3")) == Decimal("66.67")
    settings.GONGHUI_RATE_ROUNDING = "truncate"
    assert F.completion(Value(2), Decimal("3")) == Decimal("66.66")
    settings.GONGHUI_RATE_DECIMALS = 0
    assert F.completion(Value(58), Decimal("50")) == Decimal("116")


def test_no_percentage_is_computed_outside_core_metrics():
    hundred = re.compile(r"\*\s*100\b|\b100\s*\*")
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py")) if path.relative_to(SRC).as_posix() != "core/metrics.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hundred.search(line.split("#", 1)[0])
    ]
    assert offenders == [], "use gonghui.core.metrics.percent(): " + ", ".join(offenders)
