"""Regional rules of collective bargaining (DOMAIN §3.2), with the national defaults.

A province overrides them by environment variable (GONGHUI_BARGAINING_REPLY_DAYS=10,
GONGHUI_BARGAINING_REPLY_WORKING_DAYS=true for Ningbo's "10 个工作日内书面回应") or in the
settings dict GONGHUI_BARGAINING = {"REPLY_DAYS": 10, "REPLY_WORKING_DAYS": True} (core.config).
"""

from gonghui.core.config import Rules

DEFAULTS = {
    "REPS_MIN": 3,  # per side
    "REPS_MAX": 10,
    "EXTERNAL_MAX_SHARE": (1, 3),  # external experts at most 1/3 of a side
    "REPLY_DAYS": 20, "REPLY_WORKING_DAYS": False,  # reply to the written offer
    "START_DAYS": 10, "START_WORKING_DAYS": True,  # first meeting after the reply
    "VOTE_DAYS": 15, "VOTE_WORKING_DAYS": True,  # draft to the 职代会
    "FILING_DAYS": 10, "FILING_WORKING_DAYS": False,  # file with 人社 after signing
    "REVIEW_DAYS": 15,  # no objection within 15 days of receipt: in force
    "PUBLISH_DAYS": 5, "PUBLISH_WORKING_DAYS": True,  # publish to the workers once in force
    "TERM_MIN_YEARS": 1, "TERM_MAX_YEARS": 3,
    "EXPIRING_MONTHS": 3,  # renegotiation should start this long before the end
    "WOMEN_CLAUSES": ["四期保护", "禁忌劳动保护", "定期健康检查和妇科病普查", "男女同工同酬", "生育待遇",
                      "教育和培训", "预防和制止性骚扰", "其他"],
}


RULES = Rules("GONGHUI_BARGAINING", DEFAULTS, title="集体协商")


def get(name: str):
    return RULES.get(name)
