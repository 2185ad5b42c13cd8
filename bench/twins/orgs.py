"""Hand-written twins of the organisation figures (src/gonghui/orgs/metrics.py, DOMAIN §1.7).

A union is a grass-roots union; stock figures are taken on the period's end (the cut-off), each
org under its placement then; flow figures count dated events in the period under the path
stored on the event (or on the placement, for moves).
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments and enum values; every value is a parameter

from __future__ import annotations

from hand_sql import GRASSROOTS, successor

from . import ACTIVE_ORG, PLACED, Twin, fraction, one, placed, value

IN_GRASSROOTS = "(" + ", ".join(f"'{t}'" for t in GRASSROOTS) + ")"

# Grass-roots unions that exist on the cut-off and stand under the node then: one placement row
# per union (placements of one org do not overlap), found by the path range.
UNIONS = f"""
SELECT COUNT(*), COUNT(CASE WHEN o.legal_cert_issued_on <= %s THEN 1 END)
FROM orgs_orgplacement pl JOIN orgs_org o ON o.id = pl.org_id
WHERE {PLACED} AND o.org_type IN {IN_GRASSROOTS} AND {ACTIVE_ORG}
"""


def _unions(cursor, p, period):
    at = period.end
    total, legal = one(cursor, UNIONS, [at, *placed(p, at), at, at])
    return int(total), int(legal)


def unions_total(cursor, p, period):
    return _unions(cursor, p, period)[0]


def legal_person_rate(cursor, p, period):
    total, legal = _unions(cursor, p, period)
    return legal, total


EVENTS = f"""
SELECT COUNT({{what}}) FROM orgs_orgevent e JOIN orgs_org o ON o.id = e.org_id
WHERE e.path >= %s AND e.path < %s AND e.kind = %s AND e.effective_on >= %s AND e.effective_on <= %s
  AND o.org_type IN {IN_GRASSROOTS}
"""


def events(kind: str, distinct: bool = False):
    """Events of `kind` in the period at a path in the subtree; `distinct`: the orgs they befell."""
    sql = EVENTS.replace("{what}", "DISTINCT e.org_id" if distinct else "*")

    def run(cursor, p, period):
        return one(cursor, sql, [p, successor(p), kind, period.start, period.end])[0]

    return run


# Moves are the placements a `moved` event opened: in from outside the subtree (the new path
# inside, the previous one not) or out of it (the reverse). A move between two subordinates is
# internal and counts for neither.
MOVES = f"""
SELECT COUNT(*) FROM orgs_orgplacement pl
JOIN orgs_orgevent ev ON ev.id = pl.event_id JOIN orgs_org o ON o.id = pl.org_id
WHERE {{inside}} AND pl.valid_from >= %s AND pl.valid_from <= %s AND ev.kind = 'moved'
  AND o.org_type IN {IN_GRASSROOTS}
"""


def moves(outward: bool):
    before = "pl.prev_path >= %s AND pl.prev_path < %s"
    after = "pl.path >= %s AND pl.path < %s"
    # The range that must hold comes first: it is the one an index on the path serves.
    inside = f"{before} AND NOT ({after})" if outward else f"{after} AND NOT ({before})"
    sql = MOVES.replace("{inside}", inside)

    def run(cursor, p, period):
        hi = successor(p)
        return one(cursor, sql, [p, hi, p, hi, period.start, period.end])[0]

    return run


# Employers that should have a union (应建会: the override, else the headcount threshold), open on
# the cut-off, whose owning org stands under the node then; covered = by a coverage valid then of a
# union that exists then. The covered set is a join with DISTINCT (an employer may hold several
# coverage rows), not a subquery per employer.
# The owners first (the orgs of the subtree that hold employers: a few federations among many
# unions), then their employers by the index on the owner. Joining the placements to the employers
# directly makes PostgreSQL expect hundreds of employers per org of the subtree and hash-join a
# full scan of the employers: 18 ms instead of 3.6 ms for a county of the city demo (the root:
# 38 ms instead of 31 ms, where every employer is in the subtree anyway).
REQUIRED = f"""
SELECT e.id FROM orgs_employer e
WHERE e.org_id IN (
    SELECT pl.org_id FROM orgs_orgplacement pl
    WHERE {PLACED} AND EXISTS (SELECT 1 FROM orgs_employer x WHERE x.org_id = pl.org_id))
  AND (e.registered_on <= %s OR e.registered_on IS NULL) AND (e.closed_on IS NULL OR e.closed_on > %s)
  AND (e.required_override = %s OR (e.required_override IS NULL AND e.headcount >= %s))
"""

COVERED = f"""
SELECT DISTINCT c.employer_id FROM orgs_coverage c
JOIN required r ON r.id = c.employer_id JOIN orgs_org o ON o.id = c.union_id
WHERE c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s) AND {ACTIVE_ORG}
"""

# Each figure asks only for what it shows: the required count alone, the covered count alone, or
# both from one CTE (used twice, so PostgreSQL materialises it once).
EMPLOYERS = {
    "required": f"SELECT COUNT(*) FROM ({REQUIRED}) r",
    "covered": f"WITH required AS ({REQUIRED}) SELECT COUNT(*) FROM ({COVERED}) c",
    "both": f"WITH required AS ({REQUIRED}), covered AS ({COVERED}) "
            "SELECT (SELECT COUNT(*) FROM required), (SELECT COUNT(*) FROM covered)",
}


def _threshold() -> int:
    from gonghui.orgs import conf  # the setting in force (environment or settings)

    return int(conf.get("REQUIRED_HEADCOUNT"))


def _employers(cursor, p, period, what: str) -> tuple:
    at = period.end
    params = [*placed(p, at), at, at, True, _threshold()]
    if what != "required":
        params += [at, at, at, at]
    return one(cursor, EMPLOYERS[what], params)


def employers_required(cursor, p, period):
    return int(_employers(cursor, p, period, "required")[0])


def employers_covered(cursor, p, period):
    return int(_employers(cursor, p, period, "covered")[0])


def coverage_rate(cursor, p, period):
    required, covered = _employers(cursor, p, period, "both")
    return int(covered), int(required)


# Orgs of an elected type, existing and under the node on the cut-off, whose latest term elected
# by then had ended before it: the latest election per org by a grouped MAX, then its term.
TERMS_OVERDUE = f"""
WITH units AS (
    SELECT o.id FROM orgs_orgplacement pl JOIN orgs_org o ON o.id = pl.org_id
    WHERE {PLACED} AND o.org_type IN {{elected}} AND {ACTIVE_ORG}
),
latest AS (
    SELECT t.org_id, MAX(t.elected_on) AS elected_on
    FROM orgs_orgterm t JOIN units u ON u.id = t.org_id
    WHERE t.elected_on <= %s
    GROUP BY t.org_id
)
SELECT COUNT(DISTINCT l.org_id) FROM latest l
JOIN orgs_orgterm t ON t.org_id = l.org_id AND t.elected_on = l.elected_on
WHERE t.ends_on < %s
"""


def terms_overdue(cursor, p, period):
    from gonghui.orgs.models import ELECTED_TYPES  # the type list in force, not a copy

    at = period.end
    sql = TERMS_OVERDUE.replace("{elected}", "(" + ", ".join(f"'{t.value}'" for t in ELECTED_TYPES) + ")")
    return one(cursor, sql, [*placed(p, at), at, at, at, at])[0]


def twins() -> dict[str, Twin]:
    return {
        "orgs.unions_total": value(unions_total),
        "orgs.unions_new": value(events("founded")),
        "orgs.reelections": value(events("reelected", distinct=True)),
        "orgs.renamed": value(events("renamed", distinct=True)),
        "orgs.dissolved": value(events("dissolved")),
        "orgs.moved_out": value(moves(outward=True)),
        "orgs.moved_in": value(moves(outward=False)),
        "orgs.employers_required": value(employers_required),
        "orgs.employers_covered": value(employers_covered),
        "orgs.coverage_rate": fraction(coverage_rate),
        "orgs.legal_person_rate": fraction(legal_person_rate),
        "orgs.terms_overdue": value(terms_overdue),
    }
