"""Hand-written SQL twins of the collective-bargaining figures (DOMAIN §3.6).

Contracts stand where their union stood on the cut-off (the union's placement then); employers
stand at their 属地 union's placement on the cut-off and count once each, however many contracts
bind them. "In force on `at`": effective on or before it, its term not yet ended (end_on >= at)
and not terminated (terminated_on > at). Employers bound by a contract are the subtree's employers
joined to their contract parties and grouped by employer, never a subquery run per employer.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from hand_sql import successor

from . import fraction, value

# The row's org (alias `x`) stood under the path on the cut-off: its placement then.
PLACED = """JOIN orgs_orgplacement pl ON pl.org_id = x.org_id
  AND pl.path >= %s AND pl.path < %s AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)"""
IN_FORCE = """c.effective_on <= %s AND (c.end_on IS NULL OR c.end_on >= %s)
  AND (c.terminated_on IS NULL OR c.terminated_on > %s)"""
EMPLOYER_OPEN = "(x.registered_on <= %s OR x.registered_on IS NULL) AND (x.closed_on IS NULL OR x.closed_on > %s)"
# 非公有制企业: what the 建制率 is measured on.
NON_PUBLIC = ("private", "hmt", "foreign", "individual")


def _placed(p: str, at: dt.date) -> list:
    return [p, successor(p), at, at]


def _one(cursor, sql: str, params: list):
    cursor.execute(sql, params)
    return cursor.fetchone()


def _marks(values) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


# --- contracts signed in the period ------------------------------------------------------------

SIGNED = f"""
SELECT {{what}} FROM bargaining_contract x {PLACED}
WHERE x.signed_on >= %s AND x.signed_on <= %s {{cond}}
"""


def signed(contract_type: str | None = None):
    sql = SIGNED.replace("{what}", "COUNT(*)").replace("{cond}", "AND x.contract_type = %s" if contract_type else "")

    def run(cursor, p, period):
        params = [*_placed(p, period.end), period.start, period.end]
        return _one(cursor, sql, params + ([contract_type] if contract_type else []))[0]

    return run


WAGE_SIGNED = SIGNED.replace("{cond}", "AND x.contract_type = 'wage' AND x.wage_increase_pct IS NOT NULL")


def avg_wage_increase_pct(cursor, p, period):
    """The mean agreed raise of the period's wage agreements that state one, to 0.01 half up;
    None when none does. Summed in SQL, divided here: SQLite averages decimals as floats."""
    total, n = _one(cursor, WAGE_SIGNED.replace("{what}", "SUM(x.wage_increase_pct), COUNT(*)"),
                    [*_placed(p, period.end), period.start, period.end])
    if not n:
        return None
    total = Decimal(str(total)).quantize(Decimal("0.01"))  # to the stored scale (SQLite sums floats)
    return (total / n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def increase_ge_10pct_share(cursor, p, period):
    num, den = _one(cursor, WAGE_SIGNED.replace("{what}", "COUNT(CASE WHEN x.wage_increase_pct >= 10 THEN 1 END), COUNT(*)"),
                    [*_placed(p, period.end), period.start, period.end])
    return (num, den)


# --- contracts as of the cut-off ---------------------------------------------------------------

CONTRACTS_ON = f"""
SELECT COUNT(*) FROM bargaining_contract x {PLACED}
WHERE {IN_FORCE.replace("c.", "x.")} {{cond}}
"""


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept on its day or the month's last (31 Jan + 1 → 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _expiring_months() -> int:
    from gonghui.bargaining import conf  # the setting in force (environment or settings)

    return int(conf.get("EXPIRING_MONTHS"))


def contracts_in_force(cursor, p, period):
    at = period.end
    return _one(cursor, CONTRACTS_ON.replace("{cond}", ""), [*_placed(p, at), at, at, at])[0]


def contracts_expiring(cursor, p, period):
    """In force on the cut-off and ending within EXPIRING_MONTHS after it (renegotiation due)."""
    at = period.end
    horizon = add_months(at, _expiring_months())
    return _one(cursor, CONTRACTS_ON.replace("{cond}", "AND x.end_on <= %s"), [*_placed(p, at), at, at, at, horizon])[0]


# --- employers (each once, at its 属地 on the cut-off) ------------------------------------------
# The employers of the subtree are joined to their contract parties and grouped by employer, so
# the plan can start from the subtree (placements → employers → parties by employer) instead of
# aggregating every contract party of the database first; a semi-join is `IN (SELECT …)`, which
# both databases run once (PostgreSQL as a semi-join, SQLite as an ephemeral index), not per row.

# Each employer open on the cut-off and bound then by a contract in force, with the largest
# headcount any of those contracts records for it (the size the coverage counts).
EMPLOYERS_BOUND = f"""
SELECT COUNT(*), COALESCE(SUM(b.employees), 0) FROM (
    SELECT x.id, MAX(ce.employees) AS employees
    FROM orgs_employer x {PLACED}
    JOIN bargaining_contractemployer ce ON ce.employer_id = x.id
    JOIN bargaining_contract c ON c.id = ce.contract_id
    WHERE {EMPLOYER_OPEN} AND {IN_FORCE}
    GROUP BY x.id
) b
"""


def _employers_bound(cursor, p, period):
    at = period.end
    return _one(cursor, EMPLOYERS_BOUND, [*_placed(p, at), at, at, at, at, at])


def employers_covered(cursor, p, period):
    return _employers_bound(cursor, p, period)[0]


def employees_covered(cursor, p, period):
    return int(_employers_bound(cursor, p, period)[1])


# The same, for the contracts of one scope (区域性, 行业性) only.
EMPLOYERS_BOUND_SCOPE = EMPLOYERS_BOUND.replace("WHERE ", "WHERE c.scope = %s AND ", 1)


def scope_contracts_in_force(scope: str):
    def run(cursor, p, period):
        at = period.end
        return _one(cursor, CONTRACTS_ON.replace("{cond}", "AND x.scope = %s"), [*_placed(p, at), at, at, at, scope])[0]

    return run


def scope_employers_bound(scope: str, column: int):
    def run(cursor, p, period):
        at = period.end
        return int(_one(cursor, EMPLOYERS_BOUND_SCOPE, [*_placed(p, at), scope, at, at, at, at, at])[column])

    return run


EMPLOYERS_SIGNED = f"""
SELECT COUNT(DISTINCT x.id)
FROM orgs_employer x {PLACED}
JOIN bargaining_contractemployer ce ON ce.employer_id = x.id
JOIN bargaining_contract c ON c.id = ce.contract_id
WHERE {EMPLOYER_OPEN} AND c.signed_on >= %s AND c.signed_on <= %s AND c.contract_type IN ('wage', 'general')
"""


def employers_signed(cursor, p, period):
    """Employers open on the cut-off that signed a wage agreement or a general contract in the
    period (as a party: a regional or industry contract counts for each employer it binds)."""
    at = period.end
    return _one(cursor, EMPLOYERS_SIGNED, [*_placed(p, at), at, at, period.start, period.end])[0]


# 已建会非公企业: non-public employers open on the cut-off and covered then by a union that existed
# then; the numerator: those of them bound on the cut-off by a contract of the type in force.
UNIONISED_BOUND = f"""
SELECT COALESCE(SUM(e.bound), 0), COUNT(*) FROM (
    SELECT x.id, MAX(CASE WHEN c.id IS NULL THEN 0 ELSE 1 END) AS bound
    FROM orgs_employer x {PLACED}
    LEFT JOIN bargaining_contractemployer ce ON ce.employer_id = x.id
    LEFT JOIN bargaining_contract c ON c.id = ce.contract_id AND c.contract_type = %s AND {IN_FORCE}
    WHERE {EMPLOYER_OPEN} AND x.ownership IN {_marks(NON_PUBLIC)}
      AND x.id IN (SELECT cv.employer_id
                   FROM orgs_coverage cv JOIN orgs_org u ON u.id = cv.union_id
                   WHERE cv.valid_from <= %s AND (cv.valid_to IS NULL OR cv.valid_to > %s)
                     AND (u.founded_on <= %s OR u.founded_on IS NULL)
                     AND (u.dissolved_on IS NULL OR u.dissolved_on > %s))
    GROUP BY x.id
) e
"""


# 已建职代会非公企业 (the 集体合同签订率's base): non-public employers open on the cut-off with a
# workers' congress then, their own or a regional/sectoral one covering them (民主管理).
LIVE = "c2.established_on <= %s AND (c2.ended_on IS NULL OR c2.ended_on > %s)"
WITH_CONGRESS_BOUND = UNIONISED_BOUND[:UNIONISED_BOUND.index("      AND x.id IN (SELECT cv.employer_id")] + f"""      AND (x.id IN (SELECT c2.employer_id FROM democracy_congress c2
                    WHERE c2.scope = 'enterprise' AND c2.employer_id IS NOT NULL AND {LIVE})
           OR x.id IN (SELECT ce2.employer_id FROM democracy_congressemployer ce2
                       JOIN democracy_congress c2 ON c2.id = ce2.congress_id WHERE {LIVE}))
    GROUP BY x.id
) e
"""


def coverage_rate(contract_type: str):
    def run(cursor, p, period):
        at = period.end
        params = [*_placed(p, at), contract_type, at, at, at, at, at, *NON_PUBLIC, at, at, at, at]
        num, den = _one(cursor, WITH_CONGRESS_BOUND if contract_type == "general" else UNIONISED_BOUND, params)
        return (int(num), den)

    return run


# --- fulfilment checks in the period -----------------------------------------------------------

FULFILMENT = f"""
SELECT COALESCE(SUM(i.items_fulfilled), 0), COALESCE(SUM(i.items_checked), 0)
FROM bargaining_inspection i
JOIN bargaining_contract x ON x.id = i.contract_id {PLACED}
WHERE i.checked_on >= %s AND i.checked_on <= %s
"""


def fulfilment_rate(cursor, p, period):
    """Clauses found fulfilled ÷ clauses checked, in the period's checks of contracts whose union
    stood under the node on the cut-off."""
    fulfilled, checked = _one(cursor, FULFILMENT, [*_placed(p, period.end), period.start, period.end])
    return (int(fulfilled), int(checked))


def twins() -> dict:
    return {
        "bargaining.contracts_signed": value(signed()),
        "bargaining.wage_agreements_signed": value(signed("wage")),
        "bargaining.womens_contracts_signed": value(signed("women")),
        "bargaining.employers_signed": value(employers_signed),
        "bargaining.employers_covered": value(employers_covered),
        "bargaining.employees_covered": value(employees_covered),
        "bargaining.contracts_in_force": value(contracts_in_force),
        "bargaining.contracts_expiring": value(contracts_expiring),
        "bargaining.wage_agreement_rate": fraction(coverage_rate("wage")),
        "bargaining.collective_contract_rate": fraction(coverage_rate("general")),
        "bargaining.womens_contract_rate": fraction(coverage_rate("women")),
        "bargaining.avg_wage_increase_pct": value(avg_wage_increase_pct),
        "bargaining.increase_ge_10pct_share": fraction(increase_ge_10pct_share),
        "bargaining.fulfilment_rate": fraction(fulfilment_rate),
        **{f"bargaining.{scope}_{name}": value(run) for scope in ("regional", "industry") for name, run in (
            ("contracts_in_force", scope_contracts_in_force(scope)),
            ("employers_covered", scope_employers_bound(scope, 0)),
            ("employees_covered", scope_employers_bound(scope, 1)))},
    }
