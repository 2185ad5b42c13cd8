"""Settings of the 工会经费 line (core.config): GONGHUI_FUNDS = {"LATE_FEE_PERCENT_PER_DAY": "0.5"}
or the environment variable GONGHUI_FUNDS_LATE_FEE_PERCENT_PER_DAY=0.5."""

from decimal import Decimal

from gonghui.core.config import Rules

DEFAULTS = {
    # A month's 2 % is due by this day of the next month (Shanghai: the 15th; DOMAIN §6.1).
    "PAY_BY_DAY": 15,
    # 滞纳金: percent of the unpaid amount per day after the due day; 0 charges none. National law
    # sets no rate; Chongqing charges 0.5 % a day (DOMAIN §6.1).
    "LATE_FEE_PERCENT_PER_DAY": Decimal("0"),
    # The late fee never exceeds the unpaid amount itself (Chongqing: capped at the principal).
    "LATE_FEE_CAPPED": True,
}

RULES = Rules("GONGHUI_FUNDS", DEFAULTS, title="工会经费")


def get(name: str):
    return RULES.get(name)
