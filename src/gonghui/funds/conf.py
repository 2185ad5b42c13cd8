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
    # 工会筹备金: an employer that should have a union (orgs REQUIRED_HEADCOUNT) and has none owes it
    # for the months from this date ("" : every month) ...
    "PREPARATION_FROM": "",
    # ... and from this many months after its registration (Chongqing: after a year without a union).
    "PREPARATION_GRACE_MONTHS": 0,
}

RULES = Rules("GONGHUI_FUNDS", DEFAULTS, title="工会经费")


def get(name: str):
    return RULES.get(name)


def preparation_from():
    """PREPARATION_FROM as a date, or None."""
    import datetime as dt

    from django.core.exceptions import ImproperlyConfigured

    raw = str(get("PREPARATION_FROM") or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"GONGHUI_FUNDS_PREPARATION_FROM=“{raw}”无效：应为日期，如 2025-01-01。") from exc
