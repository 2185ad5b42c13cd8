"""Regional rules of democratic management (DOMAIN §7), with Zhejiang's as defaults.

The delegate quota is data: bands of staff headcount, each with a base and a step, so a region
with other numbers sets GONGHUI_DEMOCRACY = {"QUOTA": [...]} in settings (or each key by
environment variable, e.g. GONGHUI_DEMOCRACY_PROPOSAL_DUE_MONTHS=2).
"""

from gonghui.core.config import Rules

DEFAULTS = {
    # Bands by staff headcount: from `min_staff` the quota is base + per_step × whole steps of
    # `step` staff above min_staff (P-ZJDM §10: <100 → ≥30; 100–1000 → 40 + 7 per extra 100;
    # 1000–5000 → 100 + 20 per extra 1000; ≥5000 → ≥200).
    "QUOTA": [
        {"min_staff": 0, "base": 30, "step": 0, "per_step": 0},
        {"min_staff": 100, "base": 40, "step": 100, "per_step": 7},
        {"min_staff": 1000, "base": 100, "step": 1000, "per_step": 20},
        {"min_staff": 5000, "base": 200, "step": 0, "per_step": 0},
    ],
    "MANAGERS_MAX_PCT": 20,  # 中高级管理人员 at most 20 % of the delegates
    "FRONTLINE_MIN_PCT": 50,  # 一线职工 at least 50 %
    "QUORUM": (2, 3),  # a session may vote with at least 2/3 of the delegates present
    "PROPOSAL_DUE_MONTHS": 3,  # an accepted 提案 is answered within 3 months of being assigned
    "OPINION_DAYS": 30,  # an opinion on a disclosure is answered within 30 days
}

RULES = Rules("GONGHUI_DEMOCRACY", DEFAULTS, title="民主管理")


def get(name: str):
    return RULES.get(name)


def quota(staff: int) -> int:
    """The least number of delegates for a headcount under the configured bands."""
    bands = sorted(get("QUOTA"), key=lambda b: b["min_staff"])
    band = bands[0]
    for b in bands:
        if staff >= b["min_staff"]:
            band = b
    extra = (staff - band["min_staff"]) // band["step"] if band.get("step") else 0
    return int(band["base"] + band.get("per_step", 0) * extra)
