"""Rules of the organisation work line that a federation may change (DOMAIN §1, §0.4).

Platform-wide names kept from before: set GONGHUI_REQUIRED_HEADCOUNT=50 in the environment, or
GONGHUI = {"REQUIRED_HEADCOUNT": 50} in the settings (core.config).
"""

from gonghui.core.config import Rules

DEFAULTS = {
    # 应建会: an employer with at least this many employees should have a union (工会法 §11: 25).
    "REQUIRED_HEADCOUNT": 25,
    # 换届提醒: warn this many days before a union's term ends.
    "TERM_WARNING_DAYS": 90,
}

RULES = Rules("GONGHUI", DEFAULTS, title="组织", flat=True)


def get(key: str):
    return RULES.get(key)
