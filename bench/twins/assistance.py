"""Hand-written SQL twins of the hardship and 一对一帮扶 figures (DOMAIN §4.6).

Each twin is what one would write directly against the database, with the registry's meaning:

- stock figures (archives 在档 on the cut-off, pairings open then) count each archive or helper
  under its union's (federation's) placement on the cut-off; an archive's category on the cut-off
  is the one its latest event up to that date recorded (a window over the events, not a subquery
  per archive);
- flow figures (archive events, payments, visits) count rows dated in the period at the path
  stored on each row;
- the application funnel is a cohort (issue 11 item 10): applications made in the period, at the
  stage each had reached by the cut-off, under the union's placement on the cut-off.

Persons and households are distinct archives (or 金秋助学 students), 人次 payments, 元 sums to the
cent. `tests/bench/test_twins.py` keeps every twin equal to its registry figure on the small
demo, `tests/assistance/test_application_figures.py` the issue-11 ones on hand-built records.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

from decimal import Decimal

from hand_sql import successor

from . import value

PLACED = "pl.path >= %s AND pl.path < %s AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)"
CATEGORIES = ("deep", "relative", "accident")


def money(amount) -> Decimal:
    """SQLite sums decimals as floats, PostgreSQL as numeric: both to the cent."""
    return Decimal(str(amount or 0)).quantize(Decimal("0.01"))


def _placed(p: str, at) -> list:
    return [p, successor(p), at, at]


def _one(cursor, sql: str, params: list):
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


# --- archives 在档 on the cut-off ----------------------------------------------------------------

IN_FORCE = f"""
FROM assistance_archive x
JOIN orgs_orgplacement pl ON pl.org_id = x.org_id AND {PLACED}
WHERE x.entered_on <= %s AND (x.exited_on IS NULL OR x.exited_on > %s)
"""


def archives_total(cursor, p, period):
    at = period.end
    return _one(cursor, f"SELECT COUNT(*) {IN_FORCE}", [*_placed(p, at), at, at])


# The latest event up to the cut-off of each archive in force (ties on the date: the later row).
BY_CATEGORY = f"""
SELECT COUNT(*) FROM (
    SELECT e.category,
           ROW_NUMBER() OVER (PARTITION BY e.archive_id ORDER BY e.effective_on DESC, e.id DESC) AS latest
    FROM assistance_archive x
    JOIN orgs_orgplacement pl ON pl.org_id = x.org_id AND {PLACED}
    JOIN assistance_archiveevent e ON e.archive_id = x.id AND e.effective_on <= %s
    WHERE x.entered_on <= %s AND (x.exited_on IS NULL OR x.exited_on > %s)
) ev
WHERE ev.latest = 1 AND ev.category = %s
"""


def archives_in(category: str):
    def run(cursor, p, period):
        at = period.end
        return _one(cursor, BY_CATEGORY, [*_placed(p, at), at, at, at, category])

    return run


EVENTS = """
SELECT COUNT(*) FROM assistance_archiveevent e
WHERE e.kind IN ({kinds}) AND e.effective_on >= %s AND e.effective_on <= %s AND e.path >= %s AND e.path < %s
"""


def events(*kinds: str):
    sql = EVENTS.replace("{kinds}", ", ".join(["%s"] * len(kinds)))

    def run(cursor, p, period):
        return _one(cursor, sql, [*kinds, period.start, period.end, p, successor(p)])

    return run


# --- the application funnel (a cohort) -----------------------------------------------------------

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


def funnel(stage: str, amount: bool):
    join, cond, column = STAGES[stage]
    what = f"COALESCE(SUM({column}), 0)" if amount else "COUNT(DISTINCT a.archive_id)"
    sql = COHORT.replace("{what}", what).replace("{join}", join).replace("{stage}", cond)

    def run(cursor, p, period):
        at = period.end
        params = [at] if join else []
        params += [p, successor(p), at, at, period.start, period.end]
        params += [at] if cond else []
        found = _one(cursor, sql, params)
        return money(found) if amount else found

    return run


# --- payments in the period, at the path stored on each ------------------------------------------

PAYMENTS = """
SELECT {what}
FROM assistance_payment y {join}
WHERE y.paid_on >= %s AND y.paid_on <= %s AND y.path >= %s AND y.path < %s {cond}
"""


def payments(what: str, cond: str = "", *cond_params):
    """Of the period's payments under the path (and `cond`): "amount" Σ amount, "count" the
    payments, else COUNT(DISTINCT what)."""
    select = {"amount": "COALESCE(SUM(y.amount), 0)", "count": "COUNT(*)"}.get(what, f"COUNT(DISTINCT {what})")
    sql = PAYMENTS.replace("{what}", select)
    # The application only when the condition reads it (whom the aid reached, the school level).
    sql = sql.replace("{join}", "JOIN assistance_application a ON a.id = y.application_id" if "a." in cond else "")

    def run(cursor, p, period, campaign=None):
        extra, params = cond, list(cond_params)
        if campaign is not None:
            extra += " AND y.campaign_id = %s"
            params.append(campaign)
        found = _one(cursor, sql.replace("{cond}", extra), [period.start, period.end, p, successor(p), *params])
        return money(found) if what == "amount" else found

    return run


BENEFICIARIES = ("hardship", "retired", "model_worker", "disabled", "elderly_alone", "orphan", "other")
SCHOOL_STAGES = {"compulsory": ("primary", "junior"), "high": ("high", "vocational"),
                 "higher": ("college", "university", "postgraduate")}


# --- 一对一帮扶: helpers and pairings stand at the federation that registered the helper ----------

UNITS_PLEDGED = f"""
SELECT COUNT(*)
FROM assistance_helper x
JOIN orgs_orgplacement pl ON pl.org_id = x.org_id AND {PLACED}
JOIN (SELECT DISTINCT pa.helper_id FROM assistance_pairing pa
      WHERE pa.pledged_on <= %s AND (pa.ended_on IS NULL OR pa.ended_on > %s)) op ON op.helper_id = x.id
"""

HOUSEHOLDS_PLEDGED = f"""
SELECT COUNT(DISTINCT pa.archive_id)
FROM assistance_pairing pa
JOIN assistance_helper x ON x.id = pa.helper_id
JOIN orgs_orgplacement pl ON pl.org_id = x.org_id AND {PLACED}
WHERE pa.pledged_on <= %s AND (pa.ended_on IS NULL OR pa.ended_on > %s)
"""


def pledged(sql: str):
    def run(cursor, p, period):
        at = period.end
        return _one(cursor, sql, [*_placed(p, at), at, at])

    return run


# Visits in the period at the path stored on each (the helper's federation's then).
VISITS = """
SELECT {what}
FROM assistance_visit v {join}
WHERE v.visited_on >= %s AND v.visited_on <= %s AND v.path >= %s AND v.path < %s
"""


def visits(what: str):
    """"amount": Σ the visits' money; else COUNT(DISTINCT what) of the pairings visited."""
    if what == "amount":
        sql = VISITS.replace("{what}", "COALESCE(SUM(v.amount), 0)").replace("{join}", "")
    else:
        sql = (VISITS.replace("{what}", f"COUNT(DISTINCT {what})")
               .replace("{join}", "JOIN assistance_pairing pa ON pa.id = v.pairing_id"))

    def run(cursor, p, period):
        found = _one(cursor, sql, [period.start, period.end, p, successor(p)])
        return money(found) if what == "amount" else found

    return run


def seed_twins() -> dict:
    """The figures the seeds quote that issue 11 item 10 registered (funnel, 送温暖 by whom it
    reached, 工伤探望, 金秋助学 by school stage, campaigns): code -> function."""
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
    # Without the filter: every campaign's payments; with it (campaign=id), one campaign's.
    out["assistance.campaign_households"] = payments("y.archive_id", "AND y.campaign_id IS NOT NULL")
    out["assistance.campaign_amount"] = payments("amount", "AND y.campaign_id IS NOT NULL")
    return out


def base_twins() -> dict:
    """The archive, payment and 一对一帮扶 figures of the standard table and the summaries."""
    out = {"assistance.archives_total": archives_total}
    for category in CATEGORIES:
        out[f"assistance.archives_{category}"] = archives_in(category)
    out["assistance.archives_new"] = events("entered")
    out["assistance.archives_exited"] = events("recovered", "relieved", "exited")
    out["assistance.households_helped"] = payments("y.archive_id")
    out["assistance.person_times"] = payments("count")
    out["assistance.amount"] = payments("amount")
    out["assistance.golden_autumn_students"] = payments("y.student_id", "AND y.type = 'golden_autumn'")
    out["assistance.golden_autumn_amount"] = payments("amount", "AND y.type = 'golden_autumn'")
    out["assistance.warmth_persons"] = payments("y.archive_id", "AND y.type = 'warmth'")
    out["assistance.warmth_amount"] = payments("amount", "AND y.type = 'warmth'")
    out["pairing.units_pledged"] = pledged(UNITS_PLEDGED)
    out["pairing.households_pledged"] = pledged(HOUSEHOLDS_PLEDGED)
    out["pairing.units_active"] = visits("pa.helper_id")
    out["pairing.households_helped"] = visits("pa.archive_id")
    out["pairing.amount"] = visits("amount")
    return out


def twins() -> dict:
    return {code: value(func) for code, func in {**base_twins(), **seed_twins()}.items()}
