"""Hand-written twins of the membership figures (src/gonghui/members/metrics.py, DOMAIN §2.6) and
of 女职工组织组建率 (`orgs.womens_committee_rate`, registered by the members app).

Stock figures count the status periods 在会 (status `active`) valid on the cut-off, in unions
standing under the node on that date; flow figures count member events in the period under the
path stored on each event.

A status period carries its union's path on the days it covers (split where the union moved)
and the person's gender and 农民工 flag (members.models.MemberStatusPeriod), so the stock twins
read the periods alone by a path range, as one would by hand on this schema
(tests/members/test_period_paths.py keeps those copies right); the staff side of 入会率 joins the
coverages to the placements.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

from hand_sql import successor

from . import ACTIVE_ORG, PLACED, Twin, fraction, one, placed, value
from .orgs import IN_GRASSROOTS

# Periods 在会 valid on the cut-off in the subtree: served by the index (status, path, valid_from)
# that includes valid_to, gender and migrant.
ACTIVE = ("s.status = 'active' AND s.path >= %s AND s.path < %s AND s.valid_from <= %s "
          "AND (s.valid_to IS NULL OR s.valid_to > %s)")

MEMBERS = f"SELECT COUNT(*) FROM members_memberstatusperiod s WHERE {ACTIVE} {{cond}}"


def active_members(cond: str = ""):
    """Members 在会 on the cut-off under the node; `cond` a condition on the period `s`."""
    sql = MEMBERS.replace("{cond}", f"AND {cond}" if cond else "")

    def run(cursor, p, period):
        at = period.end
        return one(cursor, sql, [*placed(p, at)])[0]

    return run


EVENTS = """
SELECT COUNT(*) FROM members_memberevent e
WHERE e.path >= %s AND e.path < %s AND e.kind IN ({kinds}) AND e.effective_on >= %s AND e.effective_on <= %s
"""


def events(*kinds: str):
    sql = EVENTS.replace("{kinds}", ", ".join(["%s"] * len(kinds)))

    def run(cursor, p, period):
        return one(cursor, sql, [p, successor(p), *kinds, period.start, period.end])[0]

    return run


# 入会率: members 在会 ÷ the headcount of the open employers that unions under the node cover on
# the cut-off; both in one round trip.
RATE = f"""
SELECT ({MEMBERS.replace("{cond}", "")}),
       (SELECT COALESCE(SUM(e.headcount), 0) FROM orgs_coverage c
        JOIN orgs_orgplacement pl ON pl.org_id = c.union_id JOIN orgs_employer e ON e.id = c.employer_id
        WHERE {PLACED} AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
          AND (e.registered_on <= %s OR e.registered_on IS NULL) AND (e.closed_on IS NULL OR e.closed_on > %s))
"""


def membership_rate(cursor, p, period):
    at = period.end
    members, staff = one(cursor, RATE, [*placed(p, at), *placed(p, at), at, at, at, at])
    return int(members), int(staff)


# 女职工组织组建率 (DOMAIN F10): of the grass-roots unions existing under the node on the cut-off,
# those that should have a 女职工委员会 (at least the threshold of women) and those that have one
# by then. The women are counted on the basis in force (GONGHUI_WOMENS_COMMITTEE_BASIS): its
# women members 在会 ("members"), or the women employed by the employers it covers ("employees").
UNIONS = f"""
SELECT o.id, o.womens_committee_on FROM orgs_orgplacement pl JOIN orgs_org o ON o.id = pl.org_id
WHERE {PLACED} AND o.org_type IN {IN_GRASSROOTS} AND {ACTIVE_ORG}
"""

# The unions of the subtree with enough women members, from the periods alone (grouped by union),
# then the unions among them that are grass-roots and exist on the cut-off.
WOMEN_BY_MEMBERS = f"""
WITH women AS (
    SELECT s.union_id FROM members_memberstatusperiod s
    WHERE {ACTIVE} AND s.gender = 2
    GROUP BY s.union_id HAVING COUNT(*) >= %s
)
SELECT COUNT(*), COUNT(CASE WHEN o.womens_committee_on <= %s THEN 1 END)
FROM women w JOIN orgs_org o ON o.id = w.union_id
WHERE o.org_type IN {IN_GRASSROOTS} AND {ACTIVE_ORG}
"""

WOMEN_BY_EMPLOYEES = f"""
WITH u AS ({UNIONS}),
required AS (
    SELECT u.id, u.womens_committee_on FROM u
    JOIN orgs_coverage c ON c.union_id = u.id JOIN orgs_employer e ON e.id = c.employer_id
    WHERE c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
    GROUP BY u.id, u.womens_committee_on HAVING SUM(e.women_count) >= %s
)
SELECT COUNT(*), COUNT(CASE WHEN womens_committee_on <= %s THEN 1 END) FROM required
"""


def womens_committee_rate(cursor, p, period):
    from gonghui.members import conf  # the basis and threshold in force

    at = period.end
    threshold = int(conf.get("WOMENS_COMMITTEE_THRESHOLD"))
    if conf.get("WOMENS_COMMITTEE_BASIS") == "members":
        required, built = one(cursor, WOMEN_BY_MEMBERS, [*placed(p, at), threshold, at, at, at])
    else:
        required, built = one(cursor, WOMEN_BY_EMPLOYEES, [*placed(p, at), at, at, at, at, threshold, at])
    return int(built), int(required)


def twins() -> dict[str, Twin]:
    return {
        "members.total": value(active_members()),
        "members.women": value(active_members("s.gender = 2")),
        "members.migrant_workers": value(active_members("s.migrant = TRUE")),
        "members.new": value(events("joined")),
        "members.transferred_in": value(events("transferred_in")),
        "members.transferred_out": value(events("transferred_out")),
        "members.left": value(events("withdrawn", "expelled", "deceased")),
        "members.membership_rate": fraction(membership_rate),
        "orgs.womens_committee_rate": fraction(womens_committee_rate),
    }
