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

from gonghui.core import audit
from gonghui.core.excel import Formats, _workbook, write_cell
from gonghui.core.metrics import REGISTRY, Value, groups
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


def _sheet(wb, fmt, name: str, title: str, period: Period, lock, headers: list[str], rows: list[Row],
           has_rates: bool, note: str = ""):
    """A sheet in the standard layout: title, period line, header on row 4, rows, totals in bold."""
    ws = wb.add_worksheet(name[:31])
    ws.write_string(0, 0, title, fmt.get(bold=True, font_size=14))
    ws.write_string(1, 0, period_line(period, lock) + (f"；{note}" if note else ""))
    for c, h in enumerate(["单位", *headers]):
        ws.write_string(3, c, h, fmt.get(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True))
        ws.set_column(c, c, 24 if c == 0 else 14)
    money = {c for c, h in enumerate(headers, start=1) if is_money_header(h)}
    r = 4
    for row in rows:
        bold = row.kind == "total"
        write_cell(ws, fmt, r, 0, row.label, bold=bold, border=1)
        for c, v in enumerate(row.cells, start=1):
            write_cell(ws, fmt, r, c, _number(v), bold=bold, border=1,
                       **({"num_format": XLSX_FORMAT} if c in money else {}))
        r += 1
    if has_rates:
        ws.write_string(r + 1, 0, RATE_NOTE)
    return ws, r


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
        ws, r = _sheet(wb, fmt, group, f"{org.name}{group}统计表", period, lock, [c.header for c in columns], rows,
                       has_rates=False)
        total = rows[-1].cells
        if any(m.code in reported for m in metrics):
            write_cell(ws, fmt, r, 0, "上报值", border=1)
            write_cell(ws, fmt, r + 1, 0, "差额（计算数－上报值）", border=1)
            for c, (m, value) in enumerate(zip(metrics, total, strict=True), start=1):
                if m.code in reported:
                    write_cell(ws, fmt, r, c, float(reported[m.code]), border=1)
                    if value is not None:
                        write_cell(ws, fmt, r + 1, c, float(Decimal(value) - reported[m.code]), border=1)
            r += 2
        if any(m.is_rate for m in metrics):
            ws.write_string(r + 1, 0, RATE_NOTE)
    wb.close()
    return buf.getvalue() if out is None else b""


# ---------------------------------------------------------------- the work lines' tables

def headers(table: StandardTable) -> list[str]:
    return [c.header for c in table.columns]


def has_rates(table: StandardTable) -> bool:
    return any(REGISTRY[c.metric].is_rate and c.part == "value" for c in table.columns)


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
           has_rates=has_rates(table), note=table.note)
    wb.close()
    return buf.getvalue()
