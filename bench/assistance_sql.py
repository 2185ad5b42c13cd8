"""Hand-written SQL twins of the hardship figures the seeds quote (issue 11 item 10): the
application funnel, 送温暖 by whom it reached, 工伤探望, 金秋助学 by school stage, and the
campaign figures with and without the campaign filter.

Each twin is what one would write directly against the database, with the same meaning as the
registry: the funnel is a cohort (applications made in the period, at the stage each had reached
by the cut-off, under the union's tree position on the cut-off); payment figures count payments
in the period at the path stored on each payment. `tests/assistance/test_application_figures.py`
keeps every twin equal to its registry figure, and `bench/stats.py` times them on the county.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

from decimal import Decimal

from hand_sql import successor

PLACED = "pl.path >= %s AND pl.path < %s AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)"

COHORT = f"""
SELECT {{what}}
FROM assistance_application a
JOIN orgs_orgplacement pl ON pl.org_id = a.org_id
{{join}}
WHERE {PLACED} AND a.applied_on >= %s AND a.applied_on <= %s {{stage}}
"""

# stage -> (extra join, condition as of the cut-off, amount column); each takes the cut-off once.
STAGES = {
    "applied": ("", "", "a.amount_requested"),
    "eligible": ("", "AND a.eligible_on <= %s", "a.amount_requested"),
    "reviewed": ("", "AND a.reviewed_on <= %s AND NOT (a.status = 'rejected' AND a.approved_on IS NULL)",
                 "a.amount_requested"),
    "approved": ("", "AND a.approved_on <= %s AND a.amount_approved IS NOT NULL", "a.amount_approved"),
    "paid": ("JOIN assistance_payment y ON y.application_id = a.id AND y.paid_on <= %s", "", "y.amount"),
}


def money(value) -> Decimal:
    """SQLite sums decimals as floats, PostgreSQL as numeric: both to the cent."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def funnel(stage: str, amount: bool):
    join, cond, column = STAGES[stage]
    what = f"COALESCE(SUM({column}), 0)" if amount else "COUNT(DISTINCT a.archive_id)"
    sql = COHORT.replace("{what}", what).replace("{join}", join).replace("{stage}", cond)

    def run(cursor, p, period):
        at = period.end
        params = [at] if join else []
        params += [p, successor(p), at, at, period.start, period.end]
        params += [at] if cond else []
        cursor.execute(sql, params)
        value = cursor.fetchone()[0]
        return money(value) if amount else value

    return run


PAYMENTS = """
SELECT {what}
FROM assistance_payment y {join}
WHERE y.paid_on >= %s AND y.paid_on <= %s AND y.path >= %s AND y.path < %s {cond}
"""


def payments(what: str, cond: str = "", *cond_params):
    """COUNT(DISTINCT …) or SUM(y.amount) of the period's payments under the path."""
    amount = what == "amount"
    sql = PAYMENTS.replace("{what}", "COALESCE(SUM(y.amount), 0)" if amount else f"COUNT(DISTINCT {what})")
    # The application only when the condition reads it (whom the aid reached, the school level).
    sql = sql.replace("{join}", "JOIN assistance_application a ON a.id = y.application_id" if "a." in cond else "")

    def run(cursor, p, period, campaign=None):
        extra, params = cond, list(cond_params)
        if campaign is not None:
            extra += " AND y.campaign_id = %s"
            params.append(campaign)
        cursor.execute(sql.replace("{cond}", extra), [period.start, period.end, p, successor(p), *params])
        value = cursor.fetchone()[0]
        return money(value) if amount else value

    return run


BENEFICIARIES = ("hardship", "retired", "model_worker", "disabled", "elderly_alone", "orphan", "other")
SCHOOL_STAGES = {"compulsory": ("primary", "junior"), "high": ("high", "vocational"),
                 "higher": ("college", "university", "postgraduate")}


def twins() -> dict:
    """metric code -> function(cursor, path on the cut-off, period[, campaign=…])."""
    out = {}
    for stage in STAGES:
        out[f"assistance.{stage}_persons"] = funnel(stage, amount=False)
        out[f"assistance.{stage}_amount"] = funnel(stage, amount=True)
    warmth = "AND y.type = 'warmth' AND a.beneficiary = %s"
    for b in BENEFICIARIES:
        out[f"assistance.warmth_{b}_persons"] = payments("y.archive_id", warmth, b)
        out[f"assistance.warmth_{b}_amount"] = payments("amount", warmth, b)
    out["assistance.injury_visit_persons"] = payments("y.archive_id", "AND y.type = 'injury_visit'")
    out["assistance.injury_visit_amount"] = payments("amount", "AND y.type = 'injury_visit'")
    for key, levels in SCHOOL_STAGES.items():
        cond = "AND y.type = 'golden_autumn' AND a.school_level IN (" + ", ".join(["%s"] * len(levels)) + ")"
        out[f"assistance.golden_autumn_{key}_students"] = payments("y.student_id", cond, *levels)
        out[f"assistance.golden_autumn_{key}_amount"] = payments("amount", cond, *levels)
    # Without the filter: every campaign's payments; with it, one campaign's.
    out["assistance.campaign_households"] = payments("y.archive_id", "AND y.campaign_id IS NOT NULL")
    out["assistance.campaign_amount"] = payments("amount", "AND y.campaign_id IS NOT NULL")
    return out
