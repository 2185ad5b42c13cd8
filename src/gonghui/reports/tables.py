"""The standard tables: one xlsx, a sheet per metric group, one row per direct subordinate plus
the node's own level and a totals row, the period and cut-off in the header."""

from __future__ import annotations

import io
from decimal import Decimal

from gonghui.core.excel import Formats, _workbook, write_cell
from gonghui.core.metrics import Value, groups
from gonghui.core.periods import Period

from . import figures as F
from .models import ReportedValue


def locked_breakdown(code: str, org, period: Period, lock) -> F.Breakdown:
    """The breakdown, with the published numbers when the period is locked (`lock` may be None)."""
    values = lock.snapshot.get("values", {}) if lock is not None else {}
    parts = lock.snapshot.get("parts", {}).get(code) if lock is not None else None
    total = Value.from_dict(values[code]) if code in values else None
    b = F.breakdown(code, org, period, total=total)
    if parts is not None:
        zero = {"value": None, "numerator": 0, "denominator": 0} if b.metric.is_rate else {"value": 0}
        for p in b.parts:
            p.value = Value.from_dict(parts.get(p.path, zero))
    return b


def _number(v: Value):
    if v.value is None:
        return None
    return float(v.value) if not isinstance(v.value, int) else v.value


def write(org, period: Period, out=None) -> bytes:
    lock = F.find_lock(org, period)
    reported = {r.metric_code: r.value for r in
                ReportedValue.objects.filter(org=org, start=period.start, end=period.end)}
    buf = out or io.BytesIO()
    wb = _workbook(buf)
    fmt = Formats(wb)
    for group, metrics in groups().items():
        ws = wb.add_worksheet(group[:31])
        ws.write_string(0, 0, f"{org.name}{group}统计表", fmt.get(bold=True, font_size=14))
        head = f"统计期间：{period.label}；截止日期：{period.end:%Y年%-m月%-d日}；存量指标取截止日数据，增量指标统计期间内发生数"
        if lock is not None:
            head += "；本期已锁定，数据为锁定时的快照"
        ws.write_string(1, 0, head)
        headers = ["单位"] + [f"{m.label}（{m.unit}）" for m in metrics]
        for c, h in enumerate(headers):
            ws.write_string(3, c, h, fmt.get(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True))
            ws.set_column(c, c, 24 if c == 0 else 14)
        bds = [locked_breakdown(m.code, org, period, lock) for m in metrics]
        labels = [p.label for p in bds[0].parts] if bds else []
        r = 4
        for i, label in enumerate(labels):
            write_cell(ws, fmt, r, 0, label, border=1)
            for c, b in enumerate(bds, start=1):
                write_cell(ws, fmt, r, c, _number(b.parts[i].value) if i < len(b.parts) else None, border=1)
            r += 1
        write_cell(ws, fmt, r, 0, "合计", bold=True, border=1)
        for c, b in enumerate(bds, start=1):
            write_cell(ws, fmt, r, c, _number(b.total), bold=True, border=1)
        r += 1
        if any(m.code in reported for m in metrics):
            write_cell(ws, fmt, r, 0, "上报值", border=1)
            write_cell(ws, fmt, r + 1, 0, "差额（计算数－上报值）", border=1)
            for c, (m, b) in enumerate(zip(metrics, bds, strict=True), start=1):
                if m.code in reported:
                    write_cell(ws, fmt, r, c, float(reported[m.code]), border=1)
                    if b.total.value is not None:
                        write_cell(ws, fmt, r + 1, c, float(Decimal(b.total.value) - reported[m.code]), border=1)
            r += 2
        rates = [m for m in metrics if m.is_rate]
        if rates:
            ws.write_string(r + 1, 0, "注：比率指标以百分数表示，合计行为全辖区的比率（分子、分母分别汇总后相除），不是各行之和。")
    wb.close()
    return buf.getvalue() if out is None else b""
