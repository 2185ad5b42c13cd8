"""Money as the pages, the Word summary and the exports write it (DOMAIN §0.4, §12.3).

Amounts are Decimal 元 to the cent. Text shows 元 with thousands separators and two decimals
(75,000.00元); the summary writes large amounts in 万元 as the seeds do (36.45万元, 1,317.31万元),
two decimals rounded half up. Money is never truncated: GONGHUI_RATE_ROUNDING is for rates only.
Excel cells keep the number (so they still add up) and show it with XLSX_FORMAT.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WAN = Decimal(10000)
XLSX_FORMAT = "#,##0.00"  # the cell format of 元 columns: thousands separators, two decimals
UNITS = ("元", "万元", "auto", "")  # "": the number only, under a "(元)" column header


def format_money(amount, unit: str = "元") -> str:
    """`amount` (元) as text: unit "元" → 75,000.00元, "万元" → 7.50万元, "auto" → 万元 from
    10,000 元 up and 元 below (how the summary states a figure), "" → 75,000.00 (a table cell
    under a "(元)" header). None or "" → "—"."""
    if amount is None or amount == "":
        return "—"
    if unit not in UNITS:
        raise ValueError(f"unknown money unit: {unit!r}")
    value = Decimal(str(amount))
    if unit == "万元" or (unit == "auto" and abs(value) >= WAN):
        return f"{(value / WAN).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}万元"
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}{unit if unit == '' else '元'}"


def is_money_header(header: str) -> bool:
    """Export columns in 元 say so in their header ("金额(元)", "帮扶金额（元）")."""
    return header.endswith(("(元)", "（元）"))
