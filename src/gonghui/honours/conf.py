"""Regional rules of the 劳模与荣誉 line, with defaults (DOMAIN §8, §9).

Override by environment variable (GONGHUI_HONOURS_RECHECK_YEARS=2) or in the settings dict
GONGHUI_HONOURS = {...}; only the keys given replace the defaults (core.config).
"""

from gonghui.core.config import Rules

DEFAULTS = {
    # 待遇级别 of titles that are not themselves a model-worker title, by the title's exact name
    # (DOMAIN §8.1: 全总 reply — 全国五一劳动奖章 → 省(部)级劳模待遇; Fujian, Zunyi — 省五一劳动奖章 →
    # 地市级). Values are level codes: national, provincial, city, county.
    "TREATMENT_EQUIVALENCES": {"全国五一劳动奖章": "provincial", "省五一劳动奖章": "city"},
    # 复查: a named honour is due for its re-check this many years after naming.
    "RECHECK_YEARS": 3,
    # Reminder window (days before the re-check date).
    "RECHECK_WARNING_DAYS": 60,
    "CAMPAIGN_WARNING_DAYS": 14,
    # 会员评家: a union passes when (满意 + 基本满意) ÷ valid answers reaches this share (%).
    "SURVEY_PASS_RATE": 80,
    # 健康体检 eligibility: model workers who are 国家工作人员 get the civil servants' check-up
    # elsewhere (S0), so a check-up campaign leaves them out unless this is false.
    "CHECKUP_EXCLUDES_CIVIL_SERVANTS": True,
}

RULES = Rules("GONGHUI_HONOURS", DEFAULTS, title="劳模与荣誉")


def get(key: str):
    return RULES.get(key)


def equivalences() -> dict[str, str]:
    return dict(get("TREATMENT_EQUIVALENCES"))

