"""Settings of the 互助保障 line (core.config): GONGHUI_MUTUAL_AID = {"SINCE_YEAR": 2012} or the
environment variable GONGHUI_MUTUAL_AID_SINCE_YEAR=2012."""

from gonghui.core.config import Rules

DEFAULTS = {
    "SINCE_YEAR": 2010,  # 参保人次 counts enrolments since 1 January of this year (S2 "自XX年以来累计")
    "RENEWAL_REMINDER_DAYS": 30,  # covers ending within this many days are listed for renewal
}

RULES = Rules("GONGHUI_MUTUAL_AID", DEFAULTS, title="互助保障")


def get(name: str):
    return RULES.get(name)
