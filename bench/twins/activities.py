"""Hand-written twins of the 活动与阵地 line's figures (src/gonghui/activities/metrics.py).

Flow figures count rows dated in the period at the path stored on each row (activities,
attendance, visit days, volunteer shifts, inspections, findings, publicity); service posts open
on the cut-off count under their union's placement then. A kind filter is the kind's code.
人 counts each roster person on the period's attendance lists once, plus the 人 typed on
activities without a list. Money and hours are compared exactly.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

from decimal import Decimal

from hand_sql import successor

from . import PLACED, fraction, placed, value

RANGE = "{col} >= %s AND {col} < %s"


def _one(cursor, sql: str, params: list):
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def _dec(x, places: str) -> Decimal:
    return Decimal(str(x or 0)).quantize(Decimal(places))


def _range(p: str) -> list:
    return [p, successor(p)]


# A kind and its sub-kinds (其中), whose records count in the parent's figures too.
KIND_IDS = ("(SELECT id FROM activities_activitykind WHERE code = %s OR parent_id = "
            "(SELECT id FROM activities_activitykind WHERE code = %s))")
ACTIVITY_KIND = f" AND a.kind_id IN {KIND_IDS}"


def _activities(p, period, kind):
    where = (f"FROM activities_activity a WHERE {RANGE.format(col='a.org_path')} "
             "AND a.start_on >= %s AND a.start_on <= %s")
    params = [*_range(p), period.start, period.end]
    if kind is not None:
        where += ACTIVITY_KIND
        params += [kind, kind]
    return where, params


def sum_of(column: str):
    def run(cursor, p, period, kind=None):
        where, params = _activities(p, period, kind)
        total = _one(cursor, f"SELECT SUM(a.{column}) {where}", params)
        return _dec(total, "0.01") if column == "amount" else int(total or 0)

    return run


def persons(cursor, p, period, kind=None):
    sql = (f"SELECT COUNT(DISTINCT t.person_id) FROM activities_attendance t WHERE {RANGE.format(col='t.path')} "
           "AND t.on >= %s AND t.on <= %s")
    params = [*_range(p), period.start, period.end]
    if kind is not None:
        sql += f" AND t.kind_id IN {KIND_IDS}"
        params += [kind, kind]
    listed = _one(cursor, sql.replace("t.on", 't."on"'), params)
    where, params = _activities(p, period, kind)
    typed = _one(cursor, f"SELECT SUM(a.persons) {where} AND a.from_attendance = %s", [*params, False])
    return listed + int(typed or 0)


def posts(cursor, p, period, type=None):
    at = period.end
    sql = (f"SELECT COUNT(*) FROM activities_servicepost s JOIN orgs_orgplacement pl ON pl.org_id = s.org_id "
           f"AND {PLACED} WHERE s.opened_on <= %s AND (s.closed_on IS NULL OR s.closed_on > %s)")
    params = [*placed(p, at), at, at]
    if type is not None:
        sql += " AND s.type = %s"
        params.append(type)
    return _one(cursor, sql, params)


def post_rows(table: str, aggregate: str, places: str | None = None):
    def run(cursor, p, period, type=None):
        sql = (f'SELECT {aggregate} FROM {table} r JOIN activities_servicepost s ON s.id = r.post_id '
               f'WHERE {RANGE.format(col="r.path")} AND r."on" >= %s AND r."on" <= %s')
        params = [*_range(p), period.start, period.end]
        if type is not None:
            sql += " AND s.type = %s"
            params.append(type)
        result = _one(cursor, sql, params)
        return _dec(result, places) if places else int(result or 0)

    return run


def _inspections(p, period, kind):
    where = (f"FROM activities_inspection i WHERE {RANGE.format(col='i.org_path')} "
             "AND i.inspected_on >= %s AND i.inspected_on <= %s")
    params = [*_range(p), period.start, period.end]
    if kind is not None:
        where += " AND i.kind = %s"
        params.append(kind)
    return where, params


def inspections(aggregate: str):
    def run(cursor, p, period, kind=None):
        where, params = _inspections(p, period, kind)
        return int(_one(cursor, f"SELECT {aggregate} {where}", params) or 0)

    return run


def _findings(p, period, kind):
    where = (f"FROM activities_finding f WHERE {RANGE.format(col='f.path')} "
             "AND f.found_on >= %s AND f.found_on <= %s")
    params = [*_range(p), period.start, period.end]
    if kind is not None:
        where += " AND f.kind = %s"
        params.append(kind)
    return where, params


def findings(extra: str = ""):
    def run(cursor, p, period, kind=None):
        where, params = _findings(p, period, kind)
        return _one(cursor, f"SELECT COUNT(*) {where} {extra}", params)

    return run


def rectification_rate(cursor, p, period, kind=None):
    where, params = _findings(p, period, kind)
    cursor.execute(f"SELECT COUNT(*), SUM(CASE WHEN f.closed_on IS NOT NULL AND f.closed_on <= %s THEN 1 ELSE 0 END) "
                   f"{where}", [period.end, *params])
    n, done = cursor.fetchone()
    return (int(done or 0), n)


def solved_later(cursor, p, period, kind=None):
    where, params = _findings(p, period, kind)
    return _one(cursor, f"SELECT COUNT(*) {where} AND f.on_spot = FALSE AND f.closed_on IS NOT NULL "
                        "AND f.closed_on <= %s", [*params, period.end])


def findings_overdue(cursor, p, period):
    at = period.end
    return _one(cursor, f"SELECT COUNT(*) FROM activities_finding f WHERE {RANGE.format(col='f.path')} "
                        "AND f.found_on <= %s AND f.due_on < %s AND (f.closed_on IS NULL OR f.closed_on > %s)",
                [*_range(p), at, at, at])


def publicity(cursor, p, period, kind=None):
    sql = (f"SELECT COUNT(*) FROM activities_publicityitem x WHERE {RANGE.format(col='x.org_path')} "
           "AND x.published_on >= %s AND x.published_on <= %s")
    params = [*_range(p), period.start, period.end]
    if kind is not None:
        sql += " AND x.kind = %s"
        params.append(kind)
    return _one(cursor, sql, params)


def bulletin_entries(cursor, p, period):
    return int(_one(cursor, f"SELECT SUM(x.entries) FROM activities_publicityitem x WHERE "
                            f"{RANGE.format(col='x.org_path')} AND x.published_on >= %s AND x.published_on <= %s "
                            "AND x.kind = %s", [*_range(p), period.start, period.end, "bulletin"]) or 0)


def _ankang(p, period):
    return (f"FROM activities_ankangentry e WHERE {RANGE.format(col='e.org_path')} AND e.year >= %s AND e.year <= %s",
            [*_range(p), period.start.year, period.end.year])


def ankang(aggregate: str, extra: str = ""):
    def run(cursor, p, period):
        where, params = _ankang(p, period)
        return int(_one(cursor, f"SELECT {aggregate} {where} {extra}", params) or 0)

    return run


def _visits(p, period, kind):
    where = (f"FROM activities_personvisit v WHERE {RANGE.format(col='v.org_path')} "
             "AND v.visited_on >= %s AND v.visited_on <= %s")
    params = [*_range(p), period.start, period.end]
    if kind is not None:
        where += " AND v.kind = %s"
        params.append(kind)
    return where, params


def visits(aggregate: str, places: str | None = None):
    def run(cursor, p, period, kind=None):
        where, params = _visits(p, period, kind)
        result = _one(cursor, f"SELECT {aggregate} {where}", params)
        return _dec(result, places) if places else int(result or 0)

    return run


def twins() -> dict:
    out = {f"activities.{col}": value(sum_of(col)) for col in ("sessions", "person_times", "units", "items")}
    out["activities.amount"] = value(sum_of("amount"))
    out["activities.persons"] = value(persons)
    out["activities.posts"] = value(posts)
    out["activities.post_visits"] = value(post_rows("activities_postvisitday", "SUM(r.visits)"))
    out["activities.volunteer_times"] = value(post_rows("activities_volunteershift", "COUNT(*)"))
    out["activities.volunteer_hours"] = value(post_rows("activities_volunteershift", "SUM(r.hours)", "0.1"))
    out["activities.inspections"] = value(inspections("COUNT(*)"))
    out["activities.inspectors"] = value(inspections("SUM(i.inspectors)"))
    out["activities.suggestions"] = value(inspections("SUM(i.suggestions)"))
    out["activities.findings"] = value(findings())
    out["activities.solved_on_spot"] = value(findings("AND f.on_spot = %s".replace("%s", "TRUE")))
    out["activities.solved_later"] = value(solved_later)
    out["activities.rectification_rate"] = fraction(rectification_rate)
    out["activities.findings_overdue"] = value(findings_overdue)
    out["activities.publicity"] = value(publicity)
    out["activities.bulletin_entries"] = value(bulletin_entries)
    out["activities.ankang_employers"] = value(ankang("COUNT(*)"))
    out["activities.ankang_participants"] = value(ankang("SUM(e.participants)"))
    out["activities.ankang_winners"] = value(ankang("COUNT(*)", "AND e.result IN ('winner', 'group', 'organiser')"))
    out["activities.person_visits"] = value(visits("COUNT(*)"))
    out["activities.persons_visited"] = value(visits("COUNT(DISTINCT v.person_id)"))
    out["activities.visit_amount"] = value(visits("SUM(v.amount)", "0.01"))
    return out
