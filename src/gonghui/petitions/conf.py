"""Regional rules of the petitions work line (DOMAIN §5.3, §5.5), with the national defaults.

Defaults follow 《信访工作条例》(2022) and 《劳动争议调解仲裁法》. A federation changes a rule by
environment variable (GONGHUI_PETITIONS_CONCLUDE_DAYS=45) or in the settings dict
GONGHUI_PETITIONS = {"CONCLUDE_DAYS": 45} (core.config). Each deadline is two keys:
<RULE>_DAYS and <RULE>_WORKING_DAYS; working days count on the holiday calendar, calendar days
roll forward past a holiday at the end (民法典 §203, core.calendar.due).
"""

from gonghui.core.config import Rules

# The deadlines: get("NOTICE") gives (days, working).
DEADLINES = ("NOTICE", "OBJECTION", "CONCLUDE", "EXTENSION", "REVIEW_REQUEST", "REVIEW", "MEDIATION")

DEFAULTS = {
    "CATEGORIES": [
        ("wages", "欠薪"), ("contract", "劳动合同"), ("insurance", "社会保险"), ("injury", "工伤"),
        ("women", "女职工权益"), ("bargaining", "集体协商"), ("other", "其他"),
    ],
    "NOTICE_DAYS": 15, "NOTICE_WORKING_DAYS": False,  # 受理告知: 15 days from receipt (§23)
    "OBJECTION_DAYS": 5, "OBJECTION_WORKING_DAYS": True,  # 对转办有异议: 5 working days (§23)
    "CONCLUDE_DAYS": 60, "CONCLUDE_WORKING_DAYS": False,  # 办结: 60 days from acceptance (§34)
    "EXTENSION_DAYS": 30, "EXTENSION_WORKING_DAYS": False,  # one extension of at most 30 days (§34)
    # 复查/复核 may be requested within 30 days of the reply, and is answered within 30 days (§35, §36).
    "REVIEW_REQUEST_DAYS": 30, "REVIEW_REQUEST_WORKING_DAYS": False,
    "REVIEW_DAYS": 30, "REVIEW_WORKING_DAYS": False,
    "MEDIATION_DAYS": 15, "MEDIATION_WORKING_DAYS": False,  # 调解: 15 days (劳动争议调解仲裁法 §14)
    "WARN_DAYS": 5,  # reminders start this many days before a due date
    "GROUP_SIZE": 5,  # 群体性: 5 or more petitioners
    "MAX_REPRESENTATIVES": 5,  # collective visits elect at most 5 representatives (§20)
}

RULES = Rules("GONGHUI_PETITIONS", DEFAULTS, title="信访与调解")


def get(key: str):
    if key in DEADLINES:
        return RULES.get(f"{key}_DAYS"), RULES.get(f"{key}_WORKING_DAYS")
    return RULES.get(key)


def categories() -> list[tuple[str, str]]:
    return list(get("CATEGORIES"))


def category_label(code: str) -> str:
    return dict(categories()).get(code, code)
