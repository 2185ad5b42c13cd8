"""Every exported sheet prints on A4 (core.excel.print_ready): the list exports, the import templates
and the error reports, read back with openpyxl as Excel and LibreOffice read them."""

import datetime as dt
import io

import openpyxl
import xlsxwriter

from gonghui.core import clock, excel
from gonghui.core.excel import Column

FOOTER = "第 &P 页 共 &N 页"


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def written(headers, rows, **kw) -> bytes:
    out = io.BytesIO()
    excel.write_table(out, headers, rows, **kw)
    return out.getvalue()


def assert_one_page_wide(ws, orientation: str):
    setup = ws.page_setup
    assert setup.orientation == orientation
    assert int(setup.paperSize) == excel.A4_PAPER
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    # fitToWidth 1 is the file format's default, which XlsxWriter leaves out (openpyxl: None);
    # with fitToPage on and fitToHeight 0 this means "one page wide, as many pages high as needed".
    assert (setup.fitToWidth or 1) == 1 and int(setup.fitToHeight) == 0
    assert ws.oddFooter.center.text == FOOTER


LEDGER = ["编号", "姓名", "身份证号", "单位", "事由", "诉求金额(元)", "收到日期", "联系电话", "状态", "处理结果",
          "追回金额(元)", "满意度", "是否逾期"]


def test_a_wide_list_prints_landscape_one_page_wide_with_its_header_and_first_column_on_every_page(db):
    rows = [[f"X{i:05d}", "张三", "430121199001011234", "甲镇工会联合会", "=拖欠工资", 1234567.5,
             dt.date(2025, 3, 1), "13800000000", "已办结", "已追回", 1200, "满意", "否"] for i in range(300)]
    ws = load(written(LEDGER, rows, sheet_name="信访台账", text_columns=[0, 2, 7])).active
    assert_one_page_wide(ws, "landscape")
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"
    assert ws.freeze_panes == "B2"
    assert all(c.alignment.wrap_text for c in ws[1])
    # Sized by what the rows hold, not only the header: an ID number is not cut to "4301211990".
    assert ws.column_dimensions["C"].width >= 20
    money = LEDGER.index("诉求金额(元)") + 1
    assert ws.cell(2, money).number_format == "#,##0.00" and ws.cell(2, money).value == 1234567.5
    assert ws.cell(2, LEDGER.index("追回金额(元)") + 1).number_format == "#,##0.00"
    assert ws.oddHeader.left.text == "信访台账"
    assert ws.oddHeader.right.text == f"导出日期：{clock.today():%Y年%-m月%-d日}"
    assert ws.max_row == 301 and ws["E2"].value == "=拖欠工资" and ws["E2"].quotePrefix  # still never a formula


def test_a_narrow_list_stays_portrait():
    ws = load(written(["序号", "姓名", "单位"], [[1, "李四", "乙一公司工会"]], sheet_name="公示")).active
    assert_one_page_wide(ws, "portrait")


def test_a_long_header_wraps_in_a_row_high_enough_for_all_of_it():
    header = "其中：经县级以上劳动争议仲裁委员会裁决后又向人民法院提起诉讼并已结案的案件数量（宗）"
    ws = load(written(["单位", header], [["甲", 1]])).active
    width = ws.column_dimensions["B"].width
    lines = excel.wrapped_lines(header, width)
    assert lines >= 3 and ws.cell(1, 2).alignment.wrap_text
    assert ws.row_dimensions[1].height >= excel.LINE_HEIGHT * lines


def test_print_ready_states_the_period_and_cut_off_when_given():
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("表")
    excel.print_ready(ws, widths=[24, 14, 14], title_rows=(0, 3), key_columns=1, title="A&B统计表",
                      period="2025年1月1日至2025年6月30日", cutoff=dt.date(2025, 6, 30))
    wb.close()
    ws = load(out.getvalue()).active
    assert ws.oddHeader.left.text == "A&&B统计表"  # "&&" prints one "&"; a lone "&" starts a field code
    assert ws.oddHeader.right.text == "统计期间：2025年1月1日至2025年6月30日　截止日期：2025年6月30日"
    assert ws.print_title_rows == "$1:$4" and ws.freeze_panes == "B5"
    assert_one_page_wide(ws, "portrait")


class Toy(excel.Importer):
    kind = "toy_print"
    columns = [
        Column("编码", "code", required=True, parse=excel.parse_code),
        Column("名称", "name", required=True),
        Column("人数", "count", parse=excel.parse_count),
    ]

    def save_row(self, row):
        return excel.CREATED


def test_a_template_with_its_print_setup_still_imports_once_filled_in(db):
    data = excel.template(Toy.columns, sheet_name="组织")
    wb = load(data)
    ws = wb["组织"]
    assert_one_page_wide(ws, "portrait")
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
    # The clerk fills it in (openpyxl keeps the page setup) and uploads it again.
    ws.append(["A01", "甲", 3])
    ws.append(["A02", "乙", None])
    filled = io.BytesIO()
    wb.save(filled)
    assert load(filled.getvalue())["组织"].print_title_rows == "$1:$1"
    result = Toy().run(filled.getvalue(), dry_run=True)
    assert result.ok and result.created == 2


def test_an_error_report_prints_like_the_rest_and_reads_back_as_the_same_sheet(db):
    data = written(["编码", "名称", "人数"], [["A01", "甲", 1], ["A02", "", 2]])
    rows = Toy().read(data)
    Toy().validate(rows)
    errors = Toy().errors(rows)
    assert len(errors) == 1
    report = excel.error_report(data, errors, Toy.columns)
    ws = load(report).active
    assert_one_page_wide(ws, "portrait")
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["编码", "名称", "人数", excel.ERROR_HEADER]
    # Corrected in place, the report imports (its 错误说明 column is ignored).
    ws["B3"] = "乙"
    fixed = io.BytesIO()
    ws.parent.save(fixed)
    assert Toy().run(fixed.getvalue(), dry_run=True).ok


def test_the_header_height_counts_the_longest_header():
    assert excel.header_height(["单位", "短"], [24, 14]) == excel.LINE_HEIGHT + 4
    assert excel.header_height(["单位", "很长" * 10], [24, 14]) == excel.LINE_HEIGHT * 4 + 4
