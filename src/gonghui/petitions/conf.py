"""Regional rules of the petitions work line, overridable in settings (GONGHUI_PETITIONS).

Defaults follow 《信访工作条例》(2022) and 《劳动争议调解仲裁法》 (DOMAIN §5.3, §5.5). Each
deadline is (days, working): `working=True` counts working days on the holiday calendar,
otherwise calendar days with the 民法典 §203 roll-forward (core.calendar.due).
"""

from django.conf import settings

DEFAULTS = {
    "CATEGORIES": [
        ("wages", "欠薪"), ("contract", "劳动合同"), ("insurance", "社会保险"), ("injury", "工伤"),
        ("women", "女职工权益"), ("bargaining", "集体协商"), ("other", "其他"),
    ],
    "NOTICE": (15, False),  # 受理告知: 15 days from receipt (§23)
    "OBJECTION": (5, True),  # 对转办有异议: 5 working days (§23)
    "CONCLUDE": (60, False),  # 办结: 60 days from acceptance (§34)
    "EXTENSION": (30, False),  # one extension of at most 30 days (§34)
    "REVIEW_REQUEST": (30, False),  # 复查/复核 may be requested within 30 days of the reply (§35, §36)
    "REVIEW": (30, False),  # 复查/复核 answered within 30 days (§35, §36)
    "MEDIATION": (15, False),  # 调解: 15 days from receipt of the application (劳动争议调解仲裁法 §14)
    "WARN_DAYS": 5,  # reminders start this many days before a due date
    "GROUP_SIZE": 5,  # 群体性: 5 or more petitioners
    "MAX_REPRESENTATIVES": 5,  # collective visits elect at most 5 representatives (§20)
}


def get(key: str):
    return getattr(settings, "GONGHUI_PETITIONS", {}).get(key, DEFAULTS[key])


def categories() -> list[tuple[str, str]]:
    return list(get("CATEGORIES"))


def category_label(code: str) -> str:
    return dict(categories()).get(code, code)
