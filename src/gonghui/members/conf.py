"""Rules of the membership work line that a federation may change, with defaults (DOMAIN §2.4-§2.5).

Override in the deployment's settings as GONGHUI_MEMBERS = {...}; only the keys given replace
the defaults.
"""

from django.conf import settings

DEFAULTS = {
    # 转会: the receiving union confirms (接收) or returns (退回) a transfer within this many days
    # of the request (DOMAIN §2.5 "接收确认 within N days, config").
    "TRANSFER_ACCEPT_DAYS": 15,
    # 保留会籍 is for members who retired or lost their job (DOMAIN §2.4). A retained member whose
    # roster shows another employment status (back at work, or never updated) is to be restored,
    # transferred or corrected within this many days of the retention.
    "RETAINED_CHECK_DAYS": 30,
}


def get(key: str):
    return getattr(settings, "GONGHUI_MEMBERS", {}).get(key, DEFAULTS[key])
