"""The Excel base: parsers, the two-phase importer, templates, error reports, the formula guard."""

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from gonghui.core import audit, excel
from gonghui.core.errors import ServiceError
from gonghui.core.excel import CellError, Column, ImportFileError
from gonghui.core.models import AuditEvent

D = dt.date


def make_xlsx(rows) -> bytes:
    """An xlsx whose first sheet holds `rows`; str cells as text, numbers as numbers, dates as dates."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("数据")
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, date_format)
            else:
                ws.write_number(r, c, value)
    wb.close()
    return out.getvalue()



@pytest.mark.parametrize(("value", "empty"), [
    (None, True), ("", True), (" ", True), ("\u3000\t", True), (" 张三 ", False), ("张三", False), ("a\n", False),
    (0, False), (0.0, False), (False, False), (D(2024, 3, 1), False),
])
def test_is_empty(value, empty):
    assert excel.is_empty(value) is empty


@pytest.mark.parametrize(("cells", "footer"), [
    (["填表说明：1.证件号码请填写18位居民身份证号码。"], True),
    (["", " ", "注：金额单位为元"], True),
    (["＊填表人：", "张三", "", "审核人："], True),
    (["430100", "填表说明"], False),  # a data row: its first filled cell is a code
    ([20240301, "说明"], False),
    (["说明", *range(8)], False),  # more than 8 filled cells: a data row that starts with 说明
    (["", ""], False),
])
def test_is_footer(cells, footer):
    assert excel.is_footer(cells) is footer


def read_back(data: bytes, sheet: int = 0) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(sheet).to_python()


def xml_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode()


# --- parsers ------------------------------------------------------------------------------

def test_int_parser_takes_calamine_floats_and_refuses_fractions():
    assert excel.parse_int(3.0) == 3
    assert excel.parse_int("1,200") == 1200
    assert excel.parse_int("") is None
    with pytest.raises(CellError, match="整数"):
        excel.parse_int(3.5)
    with pytest.raises(CellError, match="整数"):
        excel.parse_int("三")
    with pytest.raises(CellError, match="负数"):
        excel.parse_count(-1.0)


def test_date_parser_takes_date_cells_and_common_text_forms():
    assert excel.parse_date(dt.datetime(2024, 3, 1, 0, 0)) == D(2024, 3, 1)
    assert excel.parse_date(D(2024, 3, 1)) == D(2024, 3, 1)
    for text in ("2024-03-01", "2024/3/1", "2024年3月1日", " 2024-3-01 "):
        assert excel.parse_date(text) == D(2024, 3, 1), text
    assert excel.parse_date("") is None
    with pytest.raises(CellError, match="有效"):
        excel.parse_date("2024-02-30")
    with pytest.raises(CellError, match="日期"):
        excel.parse_date(45352.0)  # a serial number without a date format


def test_date_parser_takes_the_forms_official_sheets_use():
    """yyyy/MM/dd (the provincial template's hint), yyyy.mm.dd, yyyy年m月d日, yyyymmdd as text or
    typed into a number cell, full-width digits, and another system's date with a time."""
    for value in ("2024/03/01", "2024.03.01", "2024.3.1", "2024年03月01日", "20240301", 20240301.0,
                  "２０２４－０３－０１", "２０２４年３月１日", "2024-03-01 00:00:00", "2024/3/1 0:00"):
        assert excel.parse_date(value) == D(2024, 3, 1), value
    for bad in ("20240230", 20241301.0, "2024.02.30"):
        with pytest.raises(CellError, match="不是有效的日期"):
            excel.parse_date(bad)
    for bad in ("2024年3月", "三月一日", "2024-03-01 午后"):
        with pytest.raises(CellError, match="不是日期"):
            excel.parse_date(bad)


def test_headers_are_matched_without_their_hints_marks_and_line_breaks():
    assert excel.header_names("出生日期（格式：yyyy/MM/dd）")[:2] == ["出生日期(格式:yyyy/MM/dd)", "出生日期"]
    assert "证件号码" in excel.header_names("证件号码\n(填写18位身份证)")
    assert excel.header_names("*姓名") == ["姓名"] and excel.header_names("姓 名＊") == ["姓名"]
    assert excel.plain_header(excel.normalise_header("任期（年）")) == "任期"


def test_bool_and_choice_parsers_take_chinese_labels():
    assert excel.parse_bool("是") is True and excel.parse_bool("否") is False and excel.parse_bool("") is None
    with pytest.raises(CellError, match="是.*否"):
        excel.parse_bool("Y")
    parse = excel.choice([("state", "国有"), ("private", "民营")])
    assert parse("民营") == "private" and parse.choices == ("国有", "民营")
    with pytest.raises(CellError, match="“国有”、“民营”"):
        parse("私营")


def test_code_parser_refuses_numeric_cells_that_excel_has_mangled():
    assert excel.parse_code(" 0731-1 ") == "0731-1"
    with pytest.raises(CellError, match="文本") as info:
        excel.parse_code(1.101051990010112e17)
    assert "1.101051990010112e+17" in str(info.value)  # the clerk sees what Excel kept
    with pytest.raises(CellError, match="文本"):
        excel.parse_code(430121.0)


def test_checked_code_turns_the_identifier_check_into_a_cell_error():
    def check(code):
        if code != "OK":
            raise ServiceError(f"“{code}”不对。")
        return code

    parse = excel.checked_code(check)
    assert parse("OK") == "OK" and parse("") is None and parse.as_text
    with pytest.raises(CellError, match="不对"):
        parse("NO")


# --- the importer -----------------------------------------------------------------------------

class ToyImporter(excel.Importer):
    """Saves an audit entry per row, so the tests can see what reached the database."""

    kind = "toy"
    title = "玩具"
    columns = (
        Column("编码", "code", required=True, parse=excel.parse_code, max_length=5),
        Column("名称", "name", required=True),
        Column("人数", "count", parse=excel.parse_count),
        Column("日期(起)", "since", parse=excel.parse_date),
    )

    def clean_row(self, row):
        if row.get("name") == "坏":
            row.error("name", "名称不能是“坏”。")

    def row_keys(self, row):
        return [("code", row.get("code"))]

    def save_row(self, row):
        if row.get("name") == "拒":
            raise ServiceError("服务拒绝了这一行。", field="count")
        audit.record(actor=None, action="test.toy.saved", target=audit.Target("toy", row.get("code")),
                     changes={"name": row.get("name")})
        return excel.CREATED


def test_headers_are_matched_by_name_in_any_order_and_extra_columns_are_ignored(db):
    data = make_xlsx([
        ["序号", "名称", " 日期（起）", "编码*"],
        [1, "甲", D(2024, 1, 2), "A"],
        [2, None, None, None],  # only a 序号: a blank line, not an error
        [3, "乙", "2024/1/3", "B"],
    ])
    rows = ToyImporter().read(data)
    assert [(r.number, r.raw["code"], r.raw["name"]) for r in rows] == [(2, "A", "甲"), (4, "B", "乙")]
    result = ToyImporter().run(data)
    assert result.ok and (result.total, result.created) == (2, 2)


def test_missing_required_headers_and_unreadable_files_are_file_errors(db):
    with pytest.raises(ImportFileError, match="缺少必填列：编码"):
        ToyImporter().read(make_xlsx([["名称"], ["甲"]]))
    with pytest.raises(ImportFileError, match="无法读取"):
        ToyImporter().read(b"not an excel file")
    with pytest.raises(ImportFileError, match="没有数据"):
        ToyImporter().read(make_xlsx([["编码", "名称"]]))


def test_every_bad_cell_and_row_is_reported_and_nothing_is_saved(db):
    data = make_xlsx([
        ["编码", "名称", "人数", "日期(起)"],
        ["A", "甲", 3, D(2024, 1, 1)],
        ["TOOLONG", "乙", 2.5, "昨天"],
        [7.0, "", -1, None],
        ["A", "坏", None, None],
    ])
    before = AuditEvent.objects.count()
    result = ToyImporter().run(data)
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "编码"), (3, "人数"), (3, "日期(起)"), (4, "编码"), (4, "名称"), (4, "人数"), (5, "名称"), (5, "编码"),
    }
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)
    dup = next(e for e in result.errors if e.row == 5 and e.column == "编码")
    assert dup.reason == "与第 2 行重复。" and dup.value == "A"
    assert AuditEvent.objects.count() == before


def test_a_service_error_while_saving_becomes_a_row_error_and_rolls_everything_back(db):
    data = make_xlsx([["编码", "名称", "人数"], ["A", "甲", 1], ["B", "拒", 2], ["C", "丙", 3]])
    before = AuditEvent.objects.count()
    result = ToyImporter().run(data)
    assert [(e.row, e.column, e.value, e.reason) for e in result.errors] == [(3, "人数", "2", "服务拒绝了这一行。")]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert AuditEvent.objects.count() == before


def test_saved_rows_are_audited_as_an_import(db):
    ToyImporter().run(make_xlsx([["编码", "名称"], ["A", "甲"]]))
    event = AuditEvent.objects.get(action="test.toy.saved")
    assert event.source == "import" and event.object_id == "A"


def test_importers_are_registered_by_kind():
    assert excel.get_importer("orgs").kind == "orgs"  # found by autodiscovery of orgs/imports.py
    assert excel.get_importer("nothing") is None


# --- writing ------------------------------------------------------------------------------

def test_the_template_has_the_headers_text_codes_and_drop_downs():
    columns = (*ToyImporter.columns, Column("类型", "kind", parse=excel.choice([("a", "甲类"), ("b", "乙类")])))
    data = excel.template(columns, sheet_name="玩具")
    assert read_back(data)[0] == ["编码", "名称", "人数", "日期(起)", "类型"]
    sheet = xml_part(data, "xl/worksheets/sheet1.xml")
    assert 'type="list"' in sheet and "选项" in sheet
    assert 'numFmtId="49"' in xml_part(data, "xl/styles.xml")  # 49 is Excel's built-in text format "@"
    assert "必填" in xml_part(data, "xl/comments1.xml")
    assert ["甲类"] in read_back(data, sheet=2)  # the hidden list behind the drop-down


def test_the_error_report_is_the_same_sheet_with_an_error_column():
    data = make_xlsx([["编码", "名称"], ["A", "甲"], [12.0, "乙"]])
    errors = [excel.RowError(3, "编码", "12", "此列须为文本。"), excel.RowError(3, "", "", "整行有问题。")]
    rows = read_back(excel.error_report(data, errors, ToyImporter.columns))
    assert rows[0] == ["编码", "名称", "错误说明"]
    assert rows[1] == ["A", "甲", ""]
    assert rows[2][:2] == [12.0, "乙"] and rows[2][2] == "编码：此列须为文本；整行有问题。"


def test_text_that_would_start_a_formula_is_written_as_quoted_text():
    data = make_xlsx([["编码", "名称"], ["A", "=HYPERLINK(\"http://x\",\"点我\")"], ["B", "@SUM(1)"], ["C", "-1+2"]])
    report = excel.error_report(data, [excel.RowError(2, "名称", "", "坏")])
    rows = read_back(report)
    assert [r[1] for r in rows[1:]] == ['=HYPERLINK("http://x","点我")', "@SUM(1)", "-1+2"]
    assert "<f>" not in xml_part(report, "xl/worksheets/sheet1.xml")  # no formula anywhere
    assert 'quotePrefix="1"' in xml_part(report, "xl/styles.xml")


def test_a_corrected_error_report_can_be_uploaded_again(db):
    """The clerk fixes the cells in the report itself; the 错误说明 column is ignored on upload."""
    data = make_xlsx([["编码", "名称"], ["A", "甲"], ["B", ""]])
    first = ToyImporter().run(data)
    report = excel.error_report(data, first.errors, ToyImporter.columns)
    again = ToyImporter().run(report)
    assert [(e.row, e.column) for e in again.errors] == [(e.row, e.column) for e in first.errors] == [(3, "名称")]


def test_money_parser_gives_exact_cents_and_clear_errors():
    from decimal import Decimal

    from gonghui.core.excel import parse_money

    # A float cell of 700.01 must compare equal to a 700.01 standard, not 700.0099999….
    assert parse_money(700.01) == Decimal("700.01")
    assert parse_money("1,234.5元") == Decimal("1234.50")
    assert parse_money(12) == Decimal("12.00") and parse_money("") is None
    for bad, reason in (("abc", "不是金额"), ("-1", "不能为负数"), ("nan", "不是金额"), (True, "应为金额")):
        with pytest.raises(CellError, match=reason):
            parse_money(bad)
