"""Issue 7 part 9: every registered figure for a county, the drill-down and the work summary,
each registry figure of the org and member work lines, and the hardship figures of issue 11
item 10 (bench/assistance_sql.py), beside the same figure in hand-written SQL.

Targets: all metrics of the registry for the county ≤ 2 s, the summary document ≤ 5 s (on
PostgreSQL). Figures without a hand-written twin here are timed inside "all metrics"; their
count is reported.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments and enum values; every value is a parameter

from __future__ import annotations

import datetime as dt

import assistance_sql
from hand_sql import GRASSROOTS, path_on, successor

ALL_METRICS_LIMIT_MS = 2000.0
SUMMARY_LIMIT_MS = 5000.0

IN_GRASSROOTS = "(" + ", ".join(f"'{t}'" for t in GRASSROOTS) + ")"
PLACED = "pl.path >= %s AND pl.path < %s AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)"
ACTIVE_ORG = "(o.founded_on <= %s OR o.founded_on IS NULL) AND (o.dissolved_on IS NULL OR o.dissolved_on > %s)"


def _placed(p: str, at: dt.date) -> list:
    return [p, successor(p), at, at]


def _one(cursor, sql: str, params: list):
    cursor.execute(sql, params)
    return cursor.fetchone()


# --- organisations ---------------------------------------------------------------------------

UNIONS_ON = f"""
SELECT o.id, o.womens_committee_on, o.legal_cert_issued_on
FROM orgs_org o JOIN orgs_orgplacement pl ON pl.org_id = o.id
WHERE {PLACED} AND o.org_type IN {IN_GRASSROOTS} AND {ACTIVE_ORG}
"""


def unions_total(cursor, p, period):
    at = period.end
    return _one(cursor, f"SELECT COUNT(*) FROM ({UNIONS_ON}) u", [*_placed(p, at), at, at])[0]


EVENTS = f"""
SELECT COUNT({{what}}) FROM orgs_orgevent e JOIN orgs_org o ON o.id = e.org_id
WHERE e.kind = %s AND e.effective_on >= %s AND e.effective_on <= %s AND e.path >= %s AND e.path < %s
  AND o.org_type IN {IN_GRASSROOTS}
"""


def org_events(kind, distinct=False):
    def run(cursor, p, period):
        sql = EVENTS.replace("{what}", "DISTINCT e.org_id" if distinct else "*")
        return _one(cursor, sql, [kind, period.start, period.end, p, successor(p)])[0]
    return run


MOVES = f"""
SELECT COUNT(*) FROM orgs_orgplacement pl
JOIN orgs_orgevent ev ON ev.id = pl.event_id JOIN orgs_org o ON o.id = pl.org_id
WHERE ev.kind = 'moved' AND pl.valid_from >= %s AND pl.valid_from <= %s AND o.org_type IN {IN_GRASSROOTS}
  AND {{inside}}
"""


def moves(outward: bool):
    def run(cursor, p, period):
        hi = successor(p)
        before = "(pl.prev_path >= %s AND pl.prev_path < %s)"
        after = "(pl.path >= %s AND pl.path < %s)"
        inside = f"{before} AND NOT {after}" if outward else f"{after} AND NOT {before}"
        return _one(cursor, MOVES.replace("{inside}", inside), [period.start, period.end, p, hi, p, hi])[0]
    return run


REQUIRED = """
WITH required AS (
    SELECT e.id FROM orgs_employer e JOIN orgs_orgplacement pl ON pl.org_id = e.org_id
    WHERE pl.path >= %s AND pl.path < %s AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)
      AND (e.registered_on <= %s OR e.registered_on IS NULL) AND (e.closed_on IS NULL OR e.closed_on > %s)
      AND (e.required_override = %s OR (e.required_override IS NULL AND e.headcount >= %s))
)
SELECT (SELECT COUNT(*) FROM required),
       (SELECT COUNT(*) FROM required r WHERE EXISTS (
           SELECT 1 FROM orgs_coverage c JOIN orgs_org u ON u.id = c.union_id
           WHERE c.employer_id = r.id AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
             AND (u.founded_on <= %s OR u.founded_on IS NULL) AND (u.dissolved_on IS NULL OR u.dissolved_on > %s)))
"""


def _required(cursor, p, period, threshold):
    at = period.end
    return _one(cursor, REQUIRED, [*_placed(p, at), at, at, True, threshold, at, at, at, at])


WOMENS = f"""
WITH u AS ({UNIONS_ON}),
per AS (
    SELECT c.union_id, SUM(e.women_count) AS women,
           MAX(CASE WHEN u.womens_committee_on <= %s THEN 1 ELSE 0 END) AS has
    FROM orgs_coverage c JOIN u ON u.id = c.union_id JOIN orgs_employer e ON e.id = c.employer_id
    WHERE c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
    GROUP BY c.union_id HAVING SUM(e.women_count) >= %s
)
SELECT COUNT(*), COALESCE(SUM(has), 0) FROM per
"""


def womens(threshold):
    def run(cursor, p, period):
        at = period.end
        required, built = _one(cursor, WOMENS, [*_placed(p, at), at, at, at, at, at, threshold])
        return int(built), int(required)
    return run


WOMENS_BY_MEMBERS = f"""
WITH u AS ({UNIONS_ON}),
required AS (
    SELECT s.union_id FROM members_memberstatusperiod s
    JOIN members_membership m ON m.id = s.membership_id JOIN members_person pe ON pe.id = m.person_id
    WHERE s.status = 'active' AND s.valid_from <= %s AND (s.valid_to IS NULL OR s.valid_to > %s) AND pe.gender = 2
      AND s.union_id IN (SELECT id FROM u)
    GROUP BY s.union_id HAVING COUNT(*) >= %s
)
SELECT COUNT(*), COUNT(CASE WHEN o.womens_committee_on <= %s THEN 1 END)
FROM orgs_org o WHERE o.id IN (SELECT union_id FROM required)
"""


def womens_by_members(threshold):
    """The default basis (DOMAIN F10): unions with at least `threshold` women members 在会 on the cut-off."""
    def run(cursor, p, period):
        at = period.end
        required, built = _one(cursor, WOMENS_BY_MEMBERS, [*_placed(p, at), at, at, at, at, threshold, at])
        return int(built), int(required)
    return run


def legal(cursor, p, period):
    at = period.end
    sql = f"SELECT COUNT(*), COUNT(CASE WHEN u.legal_cert_issued_on <= %s THEN 1 END) FROM ({UNIONS_ON}) u"
    total, done = _one(cursor, sql, [at, *_placed(p, at), at, at])
    return int(done), int(total)


def terms_overdue(elected_types):
    types = "(" + ", ".join(f"'{t}'" for t in elected_types) + ")"
    sql = f"""
    SELECT COUNT(*) FROM orgs_org o JOIN orgs_orgplacement pl ON pl.org_id = o.id
    WHERE {PLACED} AND o.org_type IN {types} AND {ACTIVE_ORG}
      AND (SELECT t.ends_on FROM orgs_orgterm t WHERE t.org_id = o.id AND t.elected_on <= %s
           ORDER BY t.elected_on DESC LIMIT 1) < %s
    """

    def run(cursor, p, period):
        at = period.end
        return _one(cursor, sql, [*_placed(p, at), at, at, at, at])[0]
    return run


# --- members ---------------------------------------------------------------------------------

ACTIVE_MEMBERS = f"""
SELECT COUNT(*) FROM members_memberstatusperiod s
JOIN orgs_orgplacement pl ON pl.org_id = s.union_id
{{join}}
WHERE s.status = 'active' AND s.valid_from <= %s AND (s.valid_to IS NULL OR s.valid_to > %s) AND {PLACED} {{cond}}
"""


def active_members(cond: str = ""):
    join = ("JOIN members_membership m ON m.id = s.membership_id JOIN members_person pe ON pe.id = m.person_id"
            if cond else "")

    def run(cursor, p, period):
        at = period.end
        sql = ACTIVE_MEMBERS.replace("{join}", join).replace("{cond}", f"AND {cond}" if cond else "")
        return _one(cursor, sql, [at, at, *_placed(p, at)])[0]
    return run


def member_events(*kinds):
    marks = ", ".join(["%s"] * len(kinds))
    sql = (f"SELECT COUNT(*) FROM members_memberevent e WHERE e.kind IN ({marks}) AND e.effective_on >= %s "
           "AND e.effective_on <= %s AND e.path >= %s AND e.path < %s")

    def run(cursor, p, period):
        return _one(cursor, sql, [*kinds, period.start, period.end, p, successor(p)])[0]
    return run


STAFF = f"""
SELECT COALESCE(SUM(e.headcount), 0) FROM orgs_coverage c
JOIN orgs_orgplacement pl ON pl.org_id = c.union_id JOIN orgs_employer e ON e.id = c.employer_id
WHERE c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s) AND {PLACED}
  AND (e.registered_on <= %s OR e.registered_on IS NULL) AND (e.closed_on IS NULL OR e.closed_on > %s)
"""


def membership_rate(cursor, p, period):
    at = period.end
    members = active_members()(cursor, p, period)
    staff = _one(cursor, STAFF, [at, at, *_placed(p, at), at, at])[0]
    return int(members), int(staff)


BY_TOWNSHIP = f"""
SELECT substr(pl.path, 1, %s), COUNT(*) FROM members_memberstatusperiod s
JOIN orgs_orgplacement pl ON pl.org_id = s.union_id
WHERE s.status = 'active' AND s.valid_from <= %s AND (s.valid_to IS NULL OR s.valid_to > %s) AND {PLACED}
GROUP BY substr(pl.path, 1, %s)
"""


def members_by_child(cursor, p, period):
    at = period.end
    cursor.execute(BY_TOWNSHIP, [len(p) + 4, at, at, *_placed(p, at), len(p) + 4])
    return dict(cursor.fetchall())


def hand_written(threshold: int, women_threshold: int, elected_types, women_basis: str = "members") -> dict:
    """metric code -> (function(cursor, path, period), how to compare the app's Value)."""
    value = lambda v: v.value  # noqa: E731
    fraction = lambda v: (v.numerator, v.denominator)  # noqa: E731
    return {
        "orgs.unions_total": (unions_total, value),
        "orgs.unions_new": (org_events("founded"), value),
        "orgs.reelections": (org_events("reelected", distinct=True), value),
        "orgs.renamed": (org_events("renamed", distinct=True), value),
        "orgs.dissolved": (org_events("dissolved"), value),
        "orgs.moved_out": (moves(outward=True), value),
        "orgs.moved_in": (moves(outward=False), value),
        "orgs.employers_required": (lambda c, p, per: _required(c, p, per, threshold)[0], value),
        "orgs.employers_covered": (lambda c, p, per: _required(c, p, per, threshold)[1], value),
        "orgs.coverage_rate": (lambda c, p, per: tuple(reversed(_required(c, p, per, threshold))), fraction),
        "orgs.womens_committee_rate": ((womens_by_members if women_basis == "members" else womens)(women_threshold),
                                       fraction),
        "orgs.legal_person_rate": (legal, fraction),
        "orgs.terms_overdue": (terms_overdue(elected_types), value),
        "members.total": (active_members(), value),
        "members.women": (active_members("pe.gender = 2"), value),
        "members.migrant_workers": (active_members("pe.is_migrant_worker = TRUE"), value),
        "members.new": (member_events("joined"), value),
        "members.transferred_in": (member_events("transferred_in"), value),
        "members.transferred_out": (member_events("transferred_out"), value),
        "members.left": (member_events("withdrawn", "expelled", "deceased"), value),
        "members.membership_rate": (membership_rate, fraction),
        **{code: (func, value) for code, func in assistance_sql.twins().items()},
    }


def measure(runs, rows, facts, Row, paired_medians, count_queries, check, cutoff) -> None:  # noqa: N803
    """Append the statistics rows to `rows` (bench/run.py's Row, helpers passed in)."""
    import time

    from django.db import connection
    from django.utils import timezone

    from gonghui.core.metrics import REGISTRY, compute, compute_all
    from gonghui.core.periods import Period
    from gonghui.orgs.models import ELECTED_TYPES, Org, OrgType
    from gonghui.reports import figures, summary

    root = Org.objects.get(depth=1)
    county = root if root.org_type == OrgType.COUNTY else Org.objects.filter(
        depth=2, org_type=OrgType.COUNTY).order_by("path").first() or root
    at = cutoff(timezone.localdate())
    period = Period(dt.date(at.year, 1, 1), at)
    from gonghui.members import conf as member_conf
    from gonghui.orgs import conf as org_conf

    hand = hand_written(org_conf.get("REQUIRED_HEADCOUNT"), member_conf.get("WOMENS_COMMITTEE_THRESHOLD"),
                        [t.value for t in ELECTED_TYPES], member_conf.get("WOMENS_COMMITTEE_BASIS"))
    sql_total = 0.0
    for code, (func, key) in hand.items():
        if code not in REGISTRY:
            continue

        def app(code=code):
            return compute(code, county, period)

        def sql(func=func):
            # The node's path on the cut-off is part of the work on both sides.
            with connection.cursor() as cursor:
                return func(cursor, path_on(cursor, county.pk, county.path, at), period)

        value, captured = count_queries(app)
        check(f"{code} for {county.name}", key(value), sql())
        app_ms, sql_ms = paired_medians(app, sql, runs)
        sql_total += sql_ms
        rows.append(Row(f"`{code}`, county", app_ms, sql_ms, len(captured)))

    def all_metrics():
        return compute_all(county, period)

    values, captured = count_queries(all_metrics)
    started = time.perf_counter()
    all_metrics()
    timings = []
    for _ in range(max(1, runs // 2)):
        started = time.perf_counter()
        all_metrics()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    rows.append(Row(f"all {len(REGISTRY)} registered metrics for the county (`compute_all`)", timings[len(timings) // 2],
                    sql_total, len(captured), limit_ms=ALL_METRICS_LIMIT_MS, ratio_target=None))

    # The dashboard's data: every figure and last year's (on PostgreSQL last year's on a second
    # connection), checked against compute_all.
    ly = figures.last_year(period)
    last = compute_all(county, ly)

    def dashboard_data():
        return figures.figures(county, period)

    def dashboard_sql():
        return all_metrics(), compute_all(county, ly)

    got, captured = count_queries(dashboard_data)
    flat = {f.metric.code: (f.value, f.last_year) for figs in got.values() for f in figs}
    check("dashboard figures", flat, {code: (values[code], last[code]) for code in values})
    started = time.perf_counter()
    dashboard_data()
    data_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    dashboard_sql()
    sequential_ms = (time.perf_counter() - started) * 1000
    rows.append(Row("… with last year's too (`figures()`, the dashboard's and the summary's data; SQL column: "
                    "the same two `compute_all` one after the other)", data_ms, sequential_ms, len(captured),
                    ratio_target=None))

    # The drill-down: members.total by township, one grouped query, against the grouped SQL.
    def drill():
        return figures.breakdown("members.total", county, period)

    def drill_sql():
        with connection.cursor() as cursor:
            return members_by_child(cursor, path_on(cursor, county.pk, county.path, at), period)

    b, captured = count_queries(drill)
    check("members.total by township", {x.path: x.value.value for x in b.parts if x.value.value},
          {k: v for k, v in drill_sql().items() if v})
    rows.append(Row(f"drill-down `members.total` by subordinate ({len(b.children)} townships)",
                    *paired_medians(drill, drill_sql, runs), len(captured)))

    # The work summary: every figure, last year's, the problems, the charts, rendered to .docx.
    def document():
        return summary.render(county, period)

    started = time.perf_counter()
    content, captured = count_queries(document)
    doc_ms = (time.perf_counter() - started) * 1000
    rows.append(Row("work summary .docx for the county (figures, last year, problems, charts)", doc_ms, sql_total,
                    len(captured), limit_ms=SUMMARY_LIMIT_MS, ratio_target=None))
    others = [c for c in REGISTRY if c not in hand]
    facts["stats"] = {"county": county, "period": period, "metrics": len(REGISTRY), "others": others,
                      "members": values.get("members.total"), "doc_kb": len(content) // 1024}
