"""Hand-written twins of the 民主管理 line's figures (src/gonghui/democracy/metrics.py).

Dated rows (sessions, votes, 提案, disclosures) stand where their union stood on the cut-off;
delegates where their congress's union stood; employer rates count each employer open on the
cut-off once at its 属地, over those covered then by a union that existed then (已建会企业).
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

from . import fraction, one, placed, value

PLACED = """JOIN orgs_orgplacement pl ON pl.org_id = x.org_id
  AND pl.path >= %s AND pl.path < %s AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)"""
LIVE = "{c}.established_on <= %s AND ({c}.ended_on IS NULL OR {c}.ended_on > %s)"


def _dated(table: str, column: str, what: str = "COUNT(*)", cond: str = "", extra: tuple = ()):
    sql = f"SELECT {what} FROM {table} x {PLACED} WHERE x.{column} >= %s AND x.{column} <= %s {cond}"

    def run(cursor, p, period):
        n = one(cursor, sql, [*placed(p, period.end), period.start, period.end, *extra])[0]
        return int(n or 0)

    return run


# --- employer rates ------------------------------------------------------------------------------

UNIONISED = f"""
SELECT COUNT(CASE WHEN {{met}} THEN 1 END), COUNT(*)
FROM orgs_employer x {PLACED}
WHERE (x.registered_on <= %s OR x.registered_on IS NULL) AND (x.closed_on IS NULL OR x.closed_on > %s)
  AND x.id IN (SELECT cv.employer_id FROM orgs_coverage cv JOIN orgs_org u ON u.id = cv.union_id
               WHERE cv.valid_from <= %s AND (cv.valid_to IS NULL OR cv.valid_to > %s)
                 AND (u.founded_on <= %s OR u.founded_on IS NULL)
                 AND (u.dissolved_on IS NULL OR u.dissolved_on > %s))
"""
OWN = f"""x.id IN (SELECT c.employer_id FROM democracy_congress c
                 WHERE c.scope = 'enterprise' AND c.employer_id IS NOT NULL AND {LIVE.format(c="c")})"""
REGIONAL = f"""x.id IN (SELECT ce.employer_id FROM democracy_congressemployer ce
                      JOIN democracy_congress c ON c.id = ce.congress_id WHERE {LIVE.format(c="c")})"""
SYSTEM = f"""x.id IN (SELECT s.employer_id FROM democracy_disclosuresystem s WHERE {LIVE.format(c="s")})"""


def employer_rate(met: str, nparams: int):
    sql = UNIONISED.replace("{met}", met)

    def run(cursor, p, period):
        at = period.end
        num, den = one(cursor, sql, [*[at] * (2 * nparams), *placed(p, at), at, at, at, at, at, at])
        return (int(num), int(den))

    return run


# --- delegates -----------------------------------------------------------------------------------

DELEGATES = f"""
SELECT COUNT(*) FROM democracy_delegate d
JOIN democracy_term t ON t.id = d.term_id
JOIN democracy_congress x ON x.id = t.congress_id {PLACED}
WHERE {LIVE.format(c="x")} AND t.started_on <= %s AND t.ends_on >= %s {{cond}}
"""


def delegates(women: bool):
    sql = DELEGATES.replace("{cond}", "AND d.gender = 'F'" if women else "")

    def run(cursor, p, period):
        at = period.end
        return one(cursor, sql, [*placed(p, at), at, at, at, at])[0]

    return run


# --- 提案 rates ----------------------------------------------------------------------------------

def acceptance_rate(cursor, p, period):
    num, den = one(cursor, f"""
        SELECT COUNT(CASE WHEN x.status <> 'rejected' THEN 1 END), COUNT(*)
        FROM democracy_proposal x {PLACED}
        WHERE x.filed_on >= %s AND x.filed_on <= %s AND x.decided_on <= %s""",
                   [*placed(p, period.end), period.start, period.end, period.end])
    return (int(num or 0), int(den))


def on_time_rate(cursor, p, period):
    num, den = one(cursor, f"""
        SELECT COUNT(CASE WHEN x.answered_on IS NOT NULL AND x.answered_on <= %s AND x.answered_on <= x.due_on
                          THEN 1 END), COUNT(*)
        FROM democracy_proposal x {PLACED}
        WHERE x.due_on >= %s AND x.due_on <= %s""",
                   [period.end, *placed(p, period.end), period.start, period.end])
    return (int(num or 0), int(den))


def satisfaction_rate(cursor, p, period):
    num, den = one(cursor, f"""
        SELECT COUNT(CASE WHEN x.feedback IN ('satisfied', 'fairly') THEN 1 END), COUNT(*)
        FROM democracy_proposal x {PLACED}
        WHERE x.feedback_on >= %s AND x.feedback_on <= %s""",
                   [*placed(p, period.end), period.start, period.end])
    return (int(num or 0), int(den))


# --- disclosures ---------------------------------------------------------------------------------

FORMS = ("congress_report", "board", "intranet", "meeting")


def _disclosure_twins(kind: str, form: str | None) -> dict:
    code = f"democracy.{kind}" + (f"_{form}" if form else "")
    cond = "AND x.kind = %s" + (" AND x.form = %s" if form else "")
    extra = (kind, form) if form else (kind,)
    return {
        f"{code}_issues": value(_dated("democracy_disclosure", "disclosed_on", cond=cond, extra=extra)),
        f"{code}_items": value(_dated("democracy_disclosure", "disclosed_on", "SUM(x.item_count)", cond, extra)),
    }


CATEGORIES = ("operations", "decisions", "rules", "contracts", "major", "evaluation", "hospitality", "union_funds",
              "other")
ITEMS = f"""
SELECT COUNT(*) FROM democracy_disclosureitem i
JOIN democracy_disclosure x ON x.id = i.disclosure_id {PLACED}
WHERE x.kind = 'workplace' AND i.category = %s AND x.disclosed_on >= %s AND x.disclosed_on <= %s
"""


def items_of(category: str):
    def run(cursor, p, period):
        return one(cursor, ITEMS, [*placed(p, period.end), category, period.start, period.end])[0]

    return run


BOARD = f"""
SELECT COUNT(*) FROM democracy_boardmember x {PLACED}
WHERE x.seat = %s AND x.elected_on <= %s AND (x.ends_on IS NULL OR x.ends_on >= %s)
"""


def board(seat: str):
    def run(cursor, p, period):
        at = period.end
        return one(cursor, BOARD, [*placed(p, at), seat, at, at])[0]

    return run


def twins() -> dict:
    return {
        "democracy.congress_rate": fraction(employer_rate(f"({OWN} OR {REGIONAL})", 2)),
        "democracy.regional_coverage_rate": fraction(employer_rate(REGIONAL, 1)),
        "democracy.disclosure_system_rate": fraction(employer_rate(SYSTEM, 1)),
        "democracy.sessions_held": value(_dated("democracy_session", "held_on")),
        "democracy.delegates": value(delegates(False)),
        "democracy.women_delegates": value(delegates(True)),
        "democracy.motions_passed": value(_dated("democracy_motion", "held_on", cond="AND x.passed = %s",
                                                 extra=(True,))),
        "democracy.sessions_extraordinary": value(_dated("democracy_session", "held_on", cond="AND x.kind = %s",
                                                         extra=("extraordinary",))),
        "democracy.resolutions": value(_dated("democracy_resolution", "adopted_on")),
        "democracy.written_resolutions": value(_dated("democracy_resolution", "adopted_on",
                                                      cond="AND x.written = %s", extra=(True,))),
        "democracy.proposals": value(_dated("democracy_proposal", "filed_on")),
        "democracy.acceptance_rate": fraction(acceptance_rate),
        "democracy.on_time_rate": fraction(on_time_rate),
        "democracy.satisfaction_rate": fraction(satisfaction_rate),
        **_disclosure_twins("workplace", None),
        **{k: v for form in FORMS for k, v in _disclosure_twins("workplace", form).items()},
        **_disclosure_twins("union", None),
        **{f"democracy.workplace_items_{c}": value(items_of(c)) for c in CATEGORIES},
        "democracy.worker_directors": value(board("director")),
        "democracy.worker_supervisors": value(board("supervisor")),
        "democracy.evaluations": value(_dated("democracy_evaluation", "held_on")),
        **{f"democracy.evaluations_{level}": value(_dated("democracy_evaluation", "held_on", cond="AND x.level = %s",
                                                          extra=(level,)))
           for level in ("leader", "cadre")},
    }
