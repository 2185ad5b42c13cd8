"""The standard tables: one row per direct subordinate (as the tree stood on the cut-off) plus the
node's own level and a totals row, the period and cut-off in the header.

Two kinds, one machinery: the workbook of every metric group (`write`, a sheet per group) and the
tables the work lines declare (`core.tables.register_table`, one page and one sheet each). Every
cell is a part of a metric's breakdown, the published one when the period is locked.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from gonghui.core import audit, excel
from gonghui.core.excel import Formats, _workbook, write_cell
from gonghui.core.metrics import REGISTRY, Value, groups, rate_decimals
from gonghui.core.money import XLSX_FORMAT, is_money_header
from gonghui.core.periods import Period
from gonghui.core.tables import Column, StandardTable
from gonghui.orgs.selectors import path_on, paths_remembered

from . import figures as F
from .models import ReportedValue


def locked_breakdown(code: str, org, period: Period, lock, kids: dict | None = None) -> F.Breakdown:
    """The breakdown, with the published numbers when the period is locked (`lock` may be None).

    A figure published with its parts is read from the snapshot alone: a part published under a
    subordinate that a back-dated edit has moved since stays a row of its own."""
    values = lock.snapshot.get("values", {}) if lock is not None else {}
    parts = lock.snapshot.get("parts", {}).get(code) if lock is not None else None
    if code in values and parts is not None:
        at = period.end
        kids = F.children_on(org, at) if kids is None else kids
        raw = {path: Value.from_dict(v) for path, v in parts.items()}
        return F.assemble(REGISTRY[code], org, period, path_on(org, at), kids, raw, Value.from_dict(values[code]))
    total = Value.from_dict(values[code]) if code in values else None
    return F.breakdown(code, org, period, total=total, kids=kids)


def _number(v):
    if v is None:
        return None
    return float(v) if isinstance(v, Decimal) else v


@dataclass
class Row:
    label: str
    cells: list
    org: object = None
    kind: str = "child"  # own, child, other (a path no subordinate holds on the cut-off), total


def table_rows(columns, org, period: Period, lock, own_label: str | None = None) -> list[Row]:
    """Own level, each direct subordinate on the cut-off, any other path a figure falls under,
    and the total: one breakdown per metric (shared subordinates), a cell per column. The node's
    path on the cut-off is read once for all of them (paths_remembered)."""
    with paths_remembered():
        kids = F.children_on(org, period.end)
        bds = {code: locked_breakdown(code, org, period, lock, kids=kids)
               for code in dict.fromkeys(c.metric for c in columns)}
        own = path_on(org, period.end)
    others = sorted({p.path for b in bds.values() for p in b.parts if p.org is None} - {own})

    def cells(path):
        return [getattr(bds[c.metric].at(path), c.part) for c in columns]

    rows = [Row(own_label if own_label is not None else f"{org.name}（{F.OWN_LABEL}）", cells(own), org, "own")]
    rows += [Row(child.name, cells(path), child) for path, child in kids.items()]
    rows += [Row(F.OTHER_LABEL, cells(path), None, "other") for path in others]
    rows.append(Row("合计", [getattr(bds[c.metric].total, c.part) for c in columns], None, "total"))
    return rows


def period_line(period: Period, lock) -> str:
    head = f"统计期间：{period.label}；截止日期：{period.end:%Y年%-m月%-d日}；存量指标取截止日数据，增量指标统计期间内发生数"
    if lock is not None:
        head += "；本期已锁定，数据为锁定时的快照"
    return head


RATE_NOTE = "注：比率指标以百分数表示，合计行为全辖区的比率（分子、分母分别汇总后相除），不是各行之和。"


def rate_format() -> str:
    """Rates show the configured decimals always (80.60, not 80.6 beside 66): GONGHUI_RATE_DECIMALS."""
    decimals = rate_decimals()
    return "0." + "0" * decimals if decimals > 0 else "0"


def _cell_formats(headers: list[str], rates: set[int]) -> list[dict]:
    """The number format of each figure column (1-based, after 单位): rates, 元, or as written."""
    rate = rate_format()
    return [{"num_format": rate} if c in rates else {"num_format": XLSX_FORMAT} if is_money_header(h) else {}
            for c, h in enumerate(headers, start=1)]


def _line(ws, fmt, r: int, last: int, text: str, widths: list[float], **props):
    """A line of text across the whole table (title, period, note), wrapped inside the printed
    width instead of running past the last column (and off the page)."""
    f = fmt.get(text_wrap=True, valign="top", **props)
    if last > 0:
        ws.merge_range(r, 0, r, last, text, f)
    else:
        ws.write_string(r, 0, text, f)
    lines = excel.wrapped_lines(text, sum(widths))
    if lines > 1 or props.get("font_size"):
        ws.set_row(r, (props.get("font_size", 11) + 7) * lines)


def _sheet(wb, fmt, name: str, title: str, period: Period, lock, headers: list[str], rows: list[Row],
           has_rates: bool, note: str = "", rates: frozenset[int] = frozenset()):
    """A sheet in the standard layout: title, period line, header on row 4, rows, totals in bold;
    `rates` are the (1-based) columns holding a rate's value. Printed on A4 (core.excel.print_ready)."""
    ws = wb.add_worksheet(name[:31])
    formats = _cell_formats(headers, rates)
    all_headers = ["单位", *headers]
    # 单位 as wide as the longest name; a figure as wide as its number, its header wrapped.
    widths = [max([excel._width("单位"), *(min(40, excel.text_width(r.label) + 2) for r in rows)])]
    for c in range(len(headers)):
        shown = [f"{v:,.2f}" for r in rows if isinstance(v := _number(r.cells[c]), int | float)]
        # A header takes at most two lines up to 20 wide (an orphan "）" on a third line reads badly).
        two_lines = min(20, -(-excel.text_width(headers[c]) // 2) + 3)
        widths.append(max([12, two_lines, *(len(t) + 3 for t in shown)]))
    last = len(widths) - 1
    _line(ws, fmt, 0, last, title, widths, bold=True, font_size=14)
    _line(ws, fmt, 1, last, period_line(period, lock) + (f"；{note}" if note else ""), widths)
    head = fmt.get(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True, align="center", valign="vcenter")
    ws.set_row(3, excel.header_height(all_headers, widths))
    for c, h in enumerate(all_headers):
        ws.write_string(3, c, h, head)
        ws.set_column(c, c, widths[c])
    r = 4
    for row in rows:
        bold = row.kind == "total"
        write_cell(ws, fmt, r, 0, row.label, bold=bold, border=1)
        for c, v in enumerate(row.cells, start=1):
            write_cell(ws, fmt, r, c, _number(v), bold=bold, border=1, **formats[c - 1])
        r += 1
    if has_rates:
        _line(ws, fmt, r + 1, last, RATE_NOTE, widths)
    excel.print_ready(ws, widths=widths, title_rows=(0, 3), key_columns=1, title=title, period=period.label,
                cutoff=period.end)
    return ws, r, formats, widths


def write(org, period: Period, out=None) -> bytes:
    """A sheet per metric group, a column per figure, with the reported values under the totals."""
    lock = F.find_lock(org, period)
    reported = {r.metric_code: r.value for r in
                ReportedValue.objects.filter(org=org, start=period.start, end=period.end)}
    buf = out or io.BytesIO()
    wb = _workbook(buf)
    fmt = Formats(wb)
    for group, metrics in groups().items():
        columns = [Column(m.code, f"{m.label}（{m.unit}）") for m in metrics]
        rows = table_rows(columns, org, period, lock, own_label=F.OWN_LABEL)
        rates = frozenset(c for c, m in enumerate(metrics, start=1) if m.is_rate)
        ws, r, formats, widths = _sheet(wb, fmt, group, f"{org.name}{group}统计表", period, lock,
                                        [c.header for c in columns], rows, has_rates=False, rates=rates)
        total = rows[-1].cells
        if any(m.code in reported for m in metrics):
            write_cell(ws, fmt, r, 0, "上报值", border=1)
            write_cell(ws, fmt, r + 1, 0, "差额（计算数－上报值）", border=1)
            for c, (m, value) in enumerate(zip(metrics, total, strict=True), start=1):
                if m.code in reported:
                    write_cell(ws, fmt, r, c, float(reported[m.code]), border=1, **formats[c - 1])
                    if value is not None:
                        write_cell(ws, fmt, r + 1, c, float(Decimal(value) - reported[m.code]), border=1,
                                   **formats[c - 1])
            r += 2
        if rates:
            _line(ws, fmt, r + 1, len(widths) - 1, RATE_NOTE, widths)
    wb.close()
    return buf.getvalue() if out is None else b""


# ---------------------------------------------------------------- the work lines' tables

def headers(table: StandardTable) -> list[str]:
    return [c.header for c in table.columns]


def rate_columns(table: StandardTable) -> frozenset[int]:
    """The (1-based, after 单位) columns showing a rate's value (not its numerator or denominator)."""
    return frozenset(i for i, c in enumerate(table.columns, start=1)
                     if REGISTRY[c.metric].is_rate and c.part == "value")


def has_rates(table: StandardTable) -> bool:
    return bool(rate_columns(table))


def standard_rows(table: StandardTable, org, period: Period, lock=None) -> list[Row]:
    return table_rows(table.columns, org, period, lock)


def export_standard(user, table: StandardTable, org, period: Period, rows: list[Row], lock=None) -> bytes:
    """The table's workbook as a download (page or `gonghui export table`), access-logged when the
    table says its rows concern people."""
    content = write_standard(table, org, period, rows, lock)
    if table.access_logged:
        audit.log_access(user=user, kind="export", object_type=f"{table.key}.table",
                         fields=["单位", *headers(table)], org_path=org.path,
                         reason=f"导出{table.title}：{org.name} {period.label}")
    return content


def write_standard(table: StandardTable, org, period: Period, rows: list[Row], lock=None) -> bytes:
    buf = io.BytesIO()
    wb = _workbook(buf)
    fmt = Formats(wb)
    _sheet(wb, fmt, table.title, f"{org.name}{table.title}", period, lock, headers(table), rows,
           has_rates=has_rates(table), note=table.note, rates=rate_columns(table))
    wb.close()
    return buf.getvalue()
