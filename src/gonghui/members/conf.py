"""Rules of the membership work line that a federation may change, with defaults (DOMAIN §2.4-§2.5).

Override by environment variable (GONGHUI_MEMBERS_TRANSFER_ACCEPT_DAYS=20) or in the settings
dict GONGHUI_MEMBERS = {...}; only the keys given replace the defaults (core.config).
"""

from gonghui.core.config import Rules

DEFAULTS = {
    # 转会: the receiving union confirms (接收) or returns (退回) a transfer within this many days
    # of the request (DOMAIN §2.5 "接收确认 within N days, config").
    "TRANSFER_ACCEPT_DAYS": 15,
    # 保留会籍 is for members who retired or lost their job (DOMAIN §2.4). A retained member whose
    # roster shows another employment status (back at work, or never updated) is to be restored,
    # transferred or corrected within this many days of the retention.
    "RETAINED_CHECK_DAYS": 30,
}


RULES = Rules("GONGHUI_MEMBERS", DEFAULTS, title="会员")

# 女职工组织组建率 (DOMAIN F10), platform-wide names kept from before: GONGHUI_WOMENS_COMMITTEE_*.
WOMENS_COMMITTEE = Rules("GONGHUI", {
    # 应建女职工委员会 on the union's 女会员 ("members", 《工会女职工委员会工作条例》) or on the women
    # employed by the employers it covers ("employees").
    "WOMENS_COMMITTEE_BASIS": "members",
    "WOMENS_COMMITTEE_THRESHOLD": 10,  # that many women or more (25 in some provinces)
}, title="女职工组织", flat=True, choices={"WOMENS_COMMITTEE_BASIS": ("members", "employees")})


def get(key: str):
    if key in WOMENS_COMMITTEE.defaults:
        return WOMENS_COMMITTEE.get(key)
    return RULES.get(key)
