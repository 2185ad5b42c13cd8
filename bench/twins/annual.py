"""Hand-written twins of the annual statistics report's figures (src/gonghui/reports/annual_figures.py).

A grass-roots union's 单位类别 is the category of the employer it covers on the cut-off, the largest
by headcount (then the lowest id) when it covers several, read from the employer's 单位类别 code where
it is filled in, else from its 单位性质; a union covering no open employer is 其他. Every figure
takes `unit_type` (a row of 表一) or none (all rows).
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments and code values; every value is a parameter

from __future__ import annotations

from . import ACTIVE_ORG, PLACED, Twin, one, placed, value
from .orgs import IN_GRASSROOTS


def _largest_sql(union: str, column: str) -> str:
    """`column` of the union `union`'s largest covered employer open on the cut-off (by headcount,
    then id), a blank code as none; takes four parameters (the cut-off four times)."""
    return f"""(SELECT NULLIF(e.{column}, '') FROM orgs_coverage c JOIN orgs_employer e ON e.id = c.employer_id
     WHERE c.union_id = {union} AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
       AND (e.registered_on <= %s OR e.registered_on IS NULL) AND (e.closed_on IS NULL OR e.closed_on > %s)
     ORDER BY e.headcount DESC, e.id LIMIT 1)"""


def _row(unit_type: str | None, own: str = "cat_own", code: str = "cat_code") -> str:
    """The condition on the category columns for the row `unit_type` (None: every row): the
    单位类别 code where filled in, else the 单位性质; 其他: no covered employer."""
    from gonghui.reports.annual_figures import UNIT_TYPES

    if unit_type is None:
        return "1 = 1"
    if unit_type == "other":
        return f"{own} IS NULL"
    _label, ownerships, prefixes = UNIT_TYPES[unit_type]
    by_own = f"{own} IN (" + ", ".join(f"'{o}'" for o in ownerships) + ")"
    by_code = " OR ".join(f"substr({code}, 1, 1) = '{p}'" for p in prefixes) or "1 = 0"
    return f"(({code} IS NULL AND {by_own}) OR {by_code})"


# The grass-roots unions standing under the node on the cut-off, each with its category.
UNIONS = """
SELECT o.id, o.org_type, o.womens_committee_on, o.audit_committee_on, {own} AS cat_own, {code} AS cat_code
FROM orgs_orgplacement pl JOIN orgs_org o ON o.id = pl.org_id
WHERE {placed} AND o.org_type IN {grassroots} AND {active}
"""


def _unions_cte() -> str:
    return UNIONS.format(own=_largest_sql("o.id", "ownership"), code=_largest_sql("o.id", "unit_category"), placed=PLACED,
                         grassroots=IN_GRASSROOTS, active=ACTIVE_ORG)


def _unions_params(p, at) -> list:
    return [at] * 8 + [*placed(p, at), at, at]


def unions(cond: str = ""):
    """Unions of the row; `cond` a further condition on the union row `u`."""

    def run(cursor, p, period, unit_type=None):
        at = period.end
        sql = f"WITH u AS ({_unions_cte()}) SELECT COUNT(*) FROM u WHERE {_row(unit_type)} {cond}"
        return one(cursor, sql, _unions_params(p, at))[0]

    return run


def employees(column: str):
    """Σ `column` of the open employers covered on the cut-off by the row's unions."""

    def run(cursor, p, period, unit_type=None):
        at = period.end
        sql = f"""WITH u AS ({_unions_cte()})
        SELECT COALESCE(SUM(e.{column}), 0) FROM orgs_coverage c JOIN orgs_employer e ON e.id = c.employer_id
        WHERE c.union_id IN (SELECT id FROM u WHERE {_row(unit_type)})
          AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
          AND (e.registered_on <= %s OR e.registered_on IS NULL) AND (e.closed_on IS NULL OR e.closed_on > %s)"""
        return int(one(cursor, sql, [*_unions_params(p, at), at, at, at, at])[0])

    return run


ACTIVE_MEMBERS = ("s.status = 'active' AND s.path >= %s AND s.path < %s AND s.valid_from <= %s "
                  "AND (s.valid_to IS NULL OR s.valid_to > %s)")


def members(cond: str = ""):
    """Members 在会 on the cut-off under the node whose union is of the row: a grass-roots union of
    that category existing then; 其他: anyone in no grass-roots union with a category."""

    def run(cursor, p, period, unit_type=None):
        at = period.end
        extra = f"AND {cond}" if cond else ""
        if unit_type is None:
            sql = f"SELECT COUNT(*) FROM members_memberstatusperiod s WHERE {ACTIVE_MEMBERS} {extra}"
            return one(cursor, sql, placed(p, at))[0]
        # Only the unions under the node on the cut-off are classified: theirs are the members counted.
        row = "cat_own IS NOT NULL" if unit_type == "other" else _row(unit_type)
        sql = f"""WITH u AS ({_unions_cte()}) SELECT COUNT(*) FROM members_memberstatusperiod s
        WHERE {ACTIVE_MEMBERS} {extra} AND s.union_id {"NOT IN" if unit_type == "other" else "IN"} (
            SELECT id FROM u WHERE {row})"""
        return one(cursor, sql, [*_unions_params(p, at), *placed(p, at)])[0]

    return run


def joint_covered_units(cursor, p, period):
    at = period.end
    sql = f"""WITH u AS ({_unions_cte()})
    SELECT COUNT(DISTINCT c.employer_id) FROM orgs_coverage c JOIN orgs_employer e ON e.id = c.employer_id
    WHERE c.union_id IN (SELECT id FROM u WHERE org_type = 'joint_grassroots')
      AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
      AND (e.registered_on <= %s OR e.registered_on IS NULL) AND (e.closed_on IS NULL OR e.closed_on > %s)"""
    return one(cursor, sql, [*_unions_params(p, at), at, at, at, at])[0]


def joint_members(cursor, p, period):
    at = period.end
    sql = f"""SELECT COUNT(*) FROM members_memberstatusperiod s JOIN orgs_org o ON o.id = s.union_id
    WHERE {ACTIVE_MEMBERS} AND o.org_type = 'joint_grassroots'"""
    return one(cursor, sql, placed(p, at))[0]


def committees(column: str):
    def run(cursor, p, period):
        at = period.end
        sql = f"WITH u AS ({_unions_cte()}) SELECT COUNT(*) FROM u WHERE {column} <= %s"
        return one(cursor, sql, [*_unions_params(p, at), at])[0]

    return run


def twins() -> dict[str, Twin]:
    return {
        "annual.unions": value(unions()),
        "annual.joint_unions": value(unions("AND org_type = 'joint_grassroots'")),
        "annual.employees": value(employees("headcount")),
        "annual.women_employees": value(employees("women_count")),
        "annual.migrant_employees": value(employees("migrant_count")),
        "annual.members": value(members()),
        "annual.women_members": value(members("s.gender = 2")),
        "annual.migrant_members": value(members("s.migrant = TRUE")),
        "annual.joint_covered_units": value(joint_covered_units),
        "annual.joint_members": value(joint_members),
        "annual.womens_committees": value(committees("womens_committee_on")),
        "annual.audit_committees": value(committees("audit_committee_on")),
    }
