"""The 全总 annual statistics report (基层工会统计年报汇总表) for any node of the tree.

What it follows. The 全国工会统计调查制度 (制定机关 中华全国总工会, 批准机关 国家统计局, 国统制〔2019〕107号)
asks every grass-roots union to fill the 基层工会调查表 (2021 edition: a cover with the union's code,
name, 行政区划, 组织类型 单独/联合基层工会, then 表一 to 表八), and every federation to file the summary
of its area. No public copy of the summary's official row and column layout could be confirmed, so
this report follows the closest well-supported one: the summary tables the federations publish in
the statistical yearbooks (中国工会统计年鉴 and the provincial and city yearbooks' 工会组织基本情况):

- 表一 基层工会组织和会员情况, by 单位类别 in rows — 企业 (其中 内资企业, 港澳台商投资企业, 外商投资企业),
  事业单位, 机关, 社会组织, 个体经济组织, 其他 — with 基层工会数, 联合基层工会, 职工人数 (#女职工, #农民工)
  and 会员人数 (#女会员, #农民工会员) in columns, the statistical form's 甲/乙/1/2/… column numbers;
- 表二 基层工会工作情况: 女职工委员会, 经费审查组织, 法人资格, 联合工会涵盖单位 and 会员, 专职/兼职工会工作
  人员, 职代会 and its delegates, 厂务公开, 董事会 and 职工董事, 劳动法律监督, 劳动争议调解委员会,
  集体合同 and the hardship archive, each with its 计量单位 and 代码.

Every cell is a registered figure (core.metrics; the report's own in annual_figures.py), named by
its key (`annual.unions?unit_type=hmt`, `orgs.legal_person_rate#numerator`). A cell no record can
fill is left blank, never estimated: `Cell.missing` says why, and the 核对说明 sheet and the check
page list those cells with their reasons and every other cell with its key.

Stock figures are taken on the cut-off: 31 December of the year, or today for the year still
running; a union is counted where it stood in the tree then.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from gonghui.core import clock, excel
from gonghui.core.excel import Formats, _workbook, write_cell
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period

from .annual_figures import UNIT_TYPES

TITLE = "基层工会统计年报汇总表"
BASIS = ("制定机关：中华全国总工会　批准机关：国家统计局　批准文号：国统制〔2019〕107号　"
         "表式参照2021年度基层工会调查表及工会统计年鉴汇总表")
BLANK_NOTE = "空白单元格：系统中没有可据以统计的记录，需按实际情况另行填报（原因见“核对说明”表）。"

NO_STAFF = "系统未登记工会工作人员（专职、兼职）信息，没有可统计的记录。"
NO_BOARD = "系统未登记用人单位是否建立董事会，没有可统计的记录。"
NO_DIRECTOR_GENDER = "民主管理登记职工董事时不记录性别，不能据以统计女性职工董事人数。"
NO_SUPERVISION = "系统未登记工会劳动法律监督组织，没有可统计的记录。"
NO_MEDIATION = ("信访与调解业务记录的是调解案件及其调解组织类别，未登记各单位是否建立劳动争议调解委员会，"
                "不能据以统计单位数。")


@dataclass(frozen=True)
class Cell:
    """One figure cell: a registered figure (with its filters and which part of its value), or
    the reason no record can fill it."""

    metric: str = ""
    filters: dict = field(default_factory=dict)
    part: str = "value"  # value, numerator or denominator (a rate's)
    missing: str = ""

    @property
    def key(self) -> str:
        """How the cell names its figure: code, ?filters, #part (a rate's numerator)."""
        if self.missing:
            return ""
        out = self.metric + "".join(f"?{k}={v}" for k, v in self.filters.items())
        return out + (f"#{self.part}" if self.part != "value" else "")

    def value(self, org, period: Period):
        if self.missing:
            return None
        v = compute(self.metric, org, period, True, filters=self.filters or None)
        return getattr(v, self.part)


@dataclass(frozen=True)
class Line:
    label: str
    code: str  # the form's 代码 (行次)
    cells: tuple[Cell, ...]
    unit: str = ""


# 表一: columns (header, the total row's figure, the figure a unit-type row filters).
T1_COLUMNS = (
    ("基层工会数（个）", "orgs.unions_total", "annual.unions"),
    ("#联合基层工会（个）", "annual.joint_unions", "annual.joint_unions"),
    ("职工人数（人）", "annual.employees", "annual.employees"),
    ("#女职工（人）", "annual.women_employees", "annual.women_employees"),
    ("#农民工（人）", "annual.migrant_employees", "annual.migrant_employees"),
    ("会员人数（人）", "members.total", "annual.members"),
    ("#女会员（人）", "members.women", "annual.women_members"),
    ("#农民工会员（人）", "members.migrant_workers", "annual.migrant_members"),
)
T1_ROWS = (
    ("总计", None),
    ("企业", "enterprise"),
    ("　其中：内资企业", "domestic"),
    ("　　　　港澳台商投资企业", "hmt"),
    ("　　　　外商投资企业", "foreign"),
    ("事业单位", "institution"),
    ("机关", "government"),
    ("社会组织", "social"),
    ("个体经济组织", "individual"),
    ("其他", "other"),
)


def table1() -> list[Line]:
    out = []
    for i, (label, unit_type) in enumerate(T1_ROWS, start=1):
        if unit_type is None:
            cells = tuple(Cell(total) for _h, total, _typed in T1_COLUMNS)
        else:
            cells = tuple(Cell(typed, {"unit_type": unit_type}) for _h, _total, typed in T1_COLUMNS)
        out.append(Line(label, f"{i:02d}", cells))
    return out


def _t2(label: str, unit: str, cell: Cell) -> tuple:
    return label, unit, cell


T2_ROWS = (
    _t2("建立女职工委员会的基层工会", "个", Cell("annual.womens_committees")),
    _t2("建立工会经费审查组织的基层工会", "个", Cell("annual.audit_committees")),
    _t2("取得工会法人资格的基层工会", "个", Cell("orgs.legal_person_rate", part="numerator")),
    _t2("联合工会涵盖单位数", "个", Cell("annual.joint_covered_units")),
    _t2("联合工会会员人数", "人", Cell("annual.joint_members")),
    _t2("专职工会工作人员", "人", Cell(missing=NO_STAFF)),
    _t2("兼职工会工作人员", "人", Cell(missing=NO_STAFF)),
    # 民主管理 (DOMAIN §7.4): the units are the 已建会企业 at their 属地 with a 职代会 (their own or a
    # regional/sectoral one) or a 厂务公开 system on the cut-off; delegates and 职工董事 in office then.
    _t2("建立职工代表大会制度的单位", "个", Cell("democracy.congress_rate", part="numerator")),
    _t2("职代会职工代表人数", "人", Cell("democracy.delegates")),
    _t2("　其中：女性", "人", Cell("democracy.women_delegates")),
    _t2("实行厂务公开的单位", "个", Cell("democracy.disclosure_system_rate", part="numerator")),
    _t2("建立董事会的单位", "个", Cell(missing=NO_BOARD)),
    _t2("职工董事人数", "人", Cell("democracy.worker_directors")),
    _t2("　其中：女性", "人", Cell(missing=NO_DIRECTOR_GENDER)),
    _t2("建立工会劳动法律监督组织的单位", "个", Cell(missing=NO_SUPERVISION)),
    _t2("建立劳动争议调解委员会的单位", "个", Cell(missing=NO_MEDIATION)),
    _t2("有效集体合同", "份", Cell("bargaining.contracts_in_force")),
    _t2("集体合同覆盖职工人数", "人", Cell("bargaining.employees_covered")),
    _t2("在档困难职工家庭", "户", Cell("assistance.archives_total")),
)


def table2() -> list[Line]:
    return [Line(label, f"{i:02d}", (cell,), unit) for i, (label, unit, cell) in enumerate(T2_ROWS, start=1)
            if cell.missing or cell.metric in REGISTRY]


SHEETS = (("表一", "基层工会组织和会员情况（按单位类别分）"), ("表二", "基层工会工作情况"))


def period_of(year: int, today: dt.date | None = None) -> Period:
    """The report's period: the calendar year, cut off today while it runs."""
    today = today or clock.today()
    p = Period.year(year)
    return Period(p.start, today) if p.start <= today < p.end else p


@dataclass
class CheckRow:
    sheet: str
    row: str
    column: str
    key: str
    reason: str = ""


def check_rows() -> list[CheckRow]:
    """Every cell of the report: its figure key, or why it stays blank."""
    out = []
    for line in table1():
        for (header, _t, _f), cell in zip(T1_COLUMNS, line.cells, strict=True):
            out.append(CheckRow("表一", f"{line.code} {line.label.strip('　')}", header, cell.key, cell.missing))
    for line in table2():
        cell = line.cells[0]
        out.append(CheckRow("表二", f"{line.code} {line.label.strip('　')}", f"本年（{line.unit}）", cell.key,
                            cell.missing))
    return out


def notes(org, period: Period) -> list[str]:
    """What a reader must know of the filled cells: where 单位类别 comes from, what 其他 holds, and
    that 职工人数 are today's recorded headcounts."""
    source = "用人单位的“单位类别”代码（未填代码的按其“单位性质”：国有、集体、民营计内资企业）"
    other = compute("annual.unions", org, period, True, filters={"unit_type": "other"}).value
    return [
        f"基层工会的单位类别取其截止日覆盖的用人单位的{source}；覆盖多个单位的联合基层工会取职工人数最多的单位。",
        f"“其他”行为截止日未覆盖任何存续用人单位的基层工会（村、社区工会等）及其会员，以及不属于基层工会的"
        f"分工会、工会组织员单位的会员；本表中共{other}个基层工会计入“其他”，可在组织信息中为其登记覆盖单位后重新统计。",
        "职工人数、女职工、农民工取用人单位登记的人数（系统不保存人数的历史变化，往年报表按现在登记的人数计）。",
        BLANK_NOTE,
    ]


@dataclass
class Report:
    org: object
    period: Period
    year: int
    table1: list[tuple[Line, list]]
    table2: list[tuple[Line, object]]
    notes: list[str]

    @property
    def title(self) -> str:
        return f"{self.org.name}{self.year}年度{TITLE}"


def build(org, year: int, today: dt.date | None = None) -> Report:
    period = period_of(year, today)
    t1 = [(line, [c.value(org, period) for c in line.cells]) for line in table1()]
    t2 = [(line, line.cells[0].value(org, period)) for line in table2()]
    return Report(org, period, year, t1, t2, notes(org, period))


# ---------------------------------------------------------------- the workbook

def _head(ws, fmt, widths, title: str, report: Report, subtitle: str) -> None:
    last = len(widths) - 1
    ws.merge_range(0, 0, 0, last, title, fmt.get(bold=True, font_size=14, align="center", valign="vcenter"))
    ws.set_row(0, 24)
    small = fmt.get(text_wrap=True, valign="top", font_size=9)
    ws.merge_range(1, 0, 1, last, BASIS, small)
    ws.set_row(1, 13 * excel.wrapped_lines(BASIS, sum(widths) * 1.2))
    line = (f"{subtitle}　综合单位：{report.org.name}　统计年度：{report.year}年　"
            f"截止日期：{report.period.end:%Y年%-m月%-d日}")
    ws.merge_range(2, 0, 2, last, line, fmt.get(text_wrap=True, valign="top"))
    ws.set_row(2, 15 * excel.wrapped_lines(line, sum(widths)))


def _header_row(ws, fmt, r: int, headers: list[str], widths: list[float]) -> None:
    head = fmt.get(bold=True, border=1, text_wrap=True, align="center", valign="vcenter")
    ws.set_row(r, excel.header_height(headers, widths))
    for c, h in enumerate(headers):
        ws.write_string(r, c, h, head)
        ws.set_column(c, c, widths[c])


def _numbers_row(ws, fmt, r: int, labels: list[str]) -> None:
    """The statistical form's column numbers: 甲, 乙 for the text columns, 1, 2, … for the figures."""
    f = fmt.get(border=1, align="center", font_size=9)
    for c, text in enumerate(labels):
        ws.write_string(r, c, text, f)


def _notes(ws, fmt, r: int, widths, lines: list[str]) -> None:
    last = len(widths) - 1
    for text in lines:
        ws.merge_range(r, 0, r, last, text, fmt.get(text_wrap=True, valign="top", font_size=9))
        ws.set_row(r, 13 * excel.wrapped_lines(text, sum(widths) * 1.2))
        r += 1


def _sheet1(wb, fmt, report: Report) -> None:
    name, subtitle = SHEETS[0]
    ws = wb.add_worksheet(name)
    headers = ["指标名称", "代码", *(h for h, _t, _f in T1_COLUMNS)]
    widths = [26, 6, *([11] * len(T1_COLUMNS))]
    _head(ws, fmt, widths, f"{report.title}（{name}）", report, f"{name} {subtitle}")
    _header_row(ws, fmt, 4, headers, widths)
    _numbers_row(ws, fmt, 5, ["甲", "乙", *(str(i) for i in range(1, len(T1_COLUMNS) + 1))])
    r = 6
    for line, values in report.table1:
        bold = line.code == "01"
        write_cell(ws, fmt, r, 0, line.label, border=1, bold=bold)
        write_cell(ws, fmt, r, 1, line.code, border=1, align="center")
        for c, v in enumerate(values, start=2):
            write_cell(ws, fmt, r, c, v, border=1, bold=bold)
        r += 1
    _notes(ws, fmt, r + 1, widths, report.notes)
    excel.print_ready(ws, widths=widths, title_rows=(0, 5), key_columns=1, title=report.title,
                      period=report.period.label, cutoff=report.period.end)


def _sheet2(wb, fmt, report: Report) -> None:
    name, subtitle = SHEETS[1]
    ws = wb.add_worksheet(name)
    headers = ["指标名称", "计量单位", "代码", "本年"]
    widths = [34, 9, 6, 14]
    _head(ws, fmt, widths, f"{report.title}（{name}）", report, f"{name} {subtitle}")
    _header_row(ws, fmt, 4, headers, widths)
    _numbers_row(ws, fmt, 5, ["甲", "乙", "丙", "1"])
    r = 6
    for line, value in report.table2:
        write_cell(ws, fmt, r, 0, line.label, border=1)
        write_cell(ws, fmt, r, 1, line.unit, border=1, align="center")
        write_cell(ws, fmt, r, 2, line.code, border=1, align="center")
        write_cell(ws, fmt, r, 3, value, border=1)
        r += 1
    _notes(ws, fmt, r + 1, widths, [BLANK_NOTE])
    excel.print_ready(ws, widths=widths, title_rows=(0, 5), key_columns=1, title=report.title,
                      period=report.period.label, cutoff=report.period.end)


def _check_sheet(wb, fmt, report: Report) -> None:
    ws = wb.add_worksheet("核对说明")
    headers = ["表", "行", "栏", "指标代码", "不能由记录填报的原因"]
    widths = [6, 28, 18, 44, 50]
    last = len(widths) - 1
    ws.merge_range(0, 0, 0, last, f"{report.title}核对说明：每个单元格的指标代码或留空原因",
                   fmt.get(bold=True, font_size=12))
    _header_row(ws, fmt, 1, headers, widths)
    wrap = fmt.get(border=1, text_wrap=True, valign="top")
    for r, row in enumerate(check_rows(), start=2):
        for c, v in enumerate((row.sheet, row.row, row.column, row.key, row.reason)):
            ws.write_string(r, c, v, wrap)
    excel.print_ready(ws, widths=widths, title_rows=(0, 1), key_columns=0, title=report.title,
                      period=report.period.label, cutoff=report.period.end)


def write(report: Report) -> bytes:
    buf = io.BytesIO()
    wb = _workbook(buf)
    fmt = Formats(wb)
    _sheet1(wb, fmt, report)
    _sheet2(wb, fmt, report)
    _check_sheet(wb, fmt, report)
    wb.close()
    return buf.getvalue()


def filename(report: Report) -> str:
    return f"{report.org.name}{report.year}年度{TITLE}.xlsx"


def unit_type_label(key: str) -> str:
    return UNIT_TYPES[key][0]
