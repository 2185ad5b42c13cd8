"""Regional rules of the hardship work line, with defaults (DOMAIN §4).

Override by environment variable (GONGHUI_ASSISTANCE_NOTICE_DAYS=7) or in the settings dict
GONGHUI_ASSISTANCE = {...}; only the keys given replace the defaults (core.config). The
minimum-living standard itself (低保标准) is data, maintained per region and year on the 低保标准
page, not a setting.
"""

from decimal import Decimal

from gonghui.core.config import Rules

DEFAULTS = {
    # 公示: how long the public notice of a new archive lasts, and whether in working days.
    "NOTICE_DAYS": 5,
    "NOTICE_WORKING_DAYS": True,
    # 年度复核: an archive in force is due for review this many months after entry / last review.
    "REVIEW_MONTHS": 12,
    # Category tests (安庆/青岛 rules): per-capita ≤ standard → 深度; ≤ 2 × standard → 相对.
    "RELATIVE_MULTIPLIER": Decimal("2"),
    # 意外致困: hardship costs (losses) above this share of the household's annual income.
    "ACCIDENT_LOSS_SHARE": Decimal("0.8"),
    # 资金来源 of payments (code, label); DOMAIN §4.3 keeps a funding source on every payment.
    "FUND_SOURCES": [("own", "本级工会经费"), ("upper", "上级工会补助"), ("donation", "社会捐赠"),
                     ("admin", "行政（财政）资金")],
    # Reminder windows (days before the date).
    "REVIEW_WARNING_DAYS": 30,
    "NOTICE_WARNING_DAYS": 3,
    "CAMPAIGN_WARNING_DAYS": 14,
    # 困难类别 of the older scheme (DOMAIN §4.1), still written on archive forms: what each becomes on
    # import. 低保户 (below the 低保 line) is 深度困难, 低保边缘户 (within 150 % of it) 相对困难,
    # 意外致困户 意外致困. A region that read its old archives otherwise changes the mapping here.
    "LEGACY_CATEGORIES": {"低保户": "deep", "低保边缘户": "relative", "意外致困户": "accident"},
}


RULES = Rules("GONGHUI_ASSISTANCE", DEFAULTS, title="困难帮扶")


def get(key: str):
    return RULES.get(key)


def fund_sources() -> list[tuple[str, str]]:
    return list(get("FUND_SOURCES"))


def fund_source_label(code: str) -> str:
    return dict(fund_sources()).get(code, code)


def legacy_categories() -> dict[str, str]:
    """Old category label → current category code (Category), as configured."""
    return dict(get("LEGACY_CATEGORIES"))
