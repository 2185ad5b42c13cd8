"""Load the issue-22 volumes into a city demo database: 500,000 activity records and about
5 million attendance rows, in set-based SQL (PostgreSQL only), then VACUUM ANALYZE.

    .venv/bin/python bench/activities_volume.py gh_ac_city            # 500,000 / ~5 M
    .venv/bin/python bench/activities_volume.py gh_ac_city --activities 50000

The database must hold the city demo, migrated (bench/run.py --reuse does that). Rows are spread
over last year and this year to date, over the grass-roots unions with at least 40 current members,
round-robin over the built-in kinds. Every second record of a kind that counts 人 or 人次 gets an
attendance list of 10–40 of its union's current members (1 or 2 sessions each), and its 人/人次
are then set from the list as the service does (`_recount`). The loaded rows are marked with
note = 'volume' so that a second run adds nothing (it reports what is there). Nothing here is
encrypted, so the bench's fixed keys do not matter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

MARK = "volume"
MIN_MEMBERS = 40

STEPS = (
    ("unions", """
        CREATE TEMP TABLE vol_unions AS
        SELECT row_number() OVER (ORDER BY o.path) - 1 AS rn, o.id, o.path, m.cnt
        FROM orgs_org o
        JOIN (SELECT union_id, count(*) AS cnt FROM members_membership WHERE ended_on IS NULL
              GROUP BY union_id HAVING count(*) >= %(min_members)s) m ON m.union_id = o.id
        WHERE o.org_type IN ('grassroots', 'joint_grassroots', 'community') AND o.dissolved_on IS NULL"""),
    ("members", """
        CREATE TEMP TABLE vol_members AS
        SELECT m.union_id, row_number() OVER (PARTITION BY m.union_id ORDER BY m.person_id) - 1 AS rn, m.person_id
        FROM members_membership m WHERE m.ended_on IS NULL AND m.union_id IN (SELECT id FROM vol_unions)"""),
    ("members index", "CREATE INDEX ON vol_members (union_id, rn); ANALYZE vol_members; ANALYZE vol_unions"),
    ("kinds", """
        CREATE TEMP TABLE vol_kinds AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS rn, k.* FROM activities_activitykind k WHERE k.builtin"""),
    ("activities", """
        INSERT INTO activities_activity (org_id, org_path, kind_id, title, start_on, end_on, sessions, persons,
            person_times, units, items, amount, from_attendance, co_organisers, place, note, created_at)
        SELECT u.id, u.path, k.id, k.name || '（批量）', d.on, d.on,
               CASE WHEN k.has_sessions THEN 1 + g %% 4 END,
               CASE WHEN k.has_persons THEN 10 + g %% 70 END,
               CASE WHEN k.has_person_times THEN 10 + g %% 70 + g %% 13 END,
               CASE WHEN k.has_units THEN 2 + g %% 28 END,
               CASE WHEN k.has_items THEN 5 + g %% 115 END,
               CASE WHEN k.has_money THEN (ARRAY[800, 1500, 3000, 5000])[1 + g %% 4] END,
               FALSE, '', '', %(mark)s, now()
        FROM generate_series(1::bigint, %(activities)s) g
        JOIN vol_unions u ON u.rn = (g * 7919) %% (SELECT count(*) FROM vol_unions)
        JOIN vol_kinds k ON k.rn = g %% (SELECT count(*) FROM vol_kinds)
        CROSS JOIN LATERAL (SELECT %(start)s::date + ((g * 37) %% %(days)s)::int AS on) d"""),
    ("listed", """
        UPDATE activities_activity a SET from_attendance = TRUE, persons = NULL, person_times = NULL
        FROM activities_activitykind k
        WHERE a.note = %(mark)s AND k.id = a.kind_id AND (k.has_persons OR k.has_person_times) AND a.id %% 2 = 0"""),
    ("attendance", """
        INSERT INTO activities_attendance (activity_id, person_id, times, kind_id, "on", path)
        SELECT a.id, m.person_id, 1 + (i %% 3 = 0)::int, a.kind_id, a.start_on, a.org_path
        FROM activities_activity a
        JOIN vol_unions u ON u.id = a.org_id
        CROSS JOIN LATERAL generate_series(0, 9 + a.id %% 31) i
        JOIN vol_members m ON m.union_id = a.org_id AND m.rn = (a.id * 7 + i) %% u.cnt
        WHERE a.note = %(mark)s AND a.from_attendance"""),
    ("recount", """
        UPDATE activities_activity a
        SET persons = CASE WHEN k.has_persons THEN t.n END, person_times = CASE WHEN k.has_person_times THEN t.s END
        FROM (SELECT activity_id, count(*) AS n, sum(times) AS s FROM activities_attendance GROUP BY activity_id) t,
             activities_activitykind k
        WHERE a.id = t.activity_id AND k.id = a.kind_id AND a.note = %(mark)s"""),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="the PostgreSQL database (on DATABASE_URL's server) holding the city demo")
    parser.add_argument("--activities", type=int, default=500_000)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    import psycopg

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    conninfo = urlunsplit(urlsplit(server)._replace(scheme="postgresql", path="/" + args.database))
    start = dt.date(args.today.year - 1, 1, 1)
    params = {"mark": MARK, "activities": args.activities, "start": start, "days": (args.today - start).days + 1,
              "min_members": MIN_MEMBERS}
    with psycopg.connect(conninfo, autocommit=True) as conn:
        have = conn.execute("SELECT count(*) FROM activities_activity WHERE note = %s", [MARK]).fetchone()[0]
        if have:
            print(f"{args.database} already holds {have:,} loaded activity records; nothing added.")
        else:
            with conn.transaction():
                # The rows are made consistent by construction (ids from the same database); skip
                # the per-row foreign-key triggers of the bulk insert, and build the attendance's
                # secondary indexes once after it rather than row by row (9k rows/s → the insert's
                # own speed). The primary key and the unique constraint stay in place.
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
                indexes = conn.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'activities_attendance' "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)").fetchall()
                for name, _definition in indexes:
                    conn.execute(f'DROP INDEX "{name}"')
                for name, sql in STEPS:
                    started = time.perf_counter()
                    for part in sql.split("; "):
                        cur = conn.execute(part, params)
                    print(f"  {name}: {cur.rowcount:,} rows, {time.perf_counter() - started:.0f} s", flush=True)
                started = time.perf_counter()
                for _name, definition in indexes:
                    conn.execute(definition)
                print(f"  {len(indexes)} attendance indexes rebuilt: {time.perf_counter() - started:.0f} s", flush=True)
            started = time.perf_counter()
            conn.execute("VACUUM ANALYZE activities_activity")
            conn.execute("VACUUM ANALYZE activities_attendance")
            print(f"  vacuum analyze: {time.perf_counter() - started:.0f} s")
        acts, att = conn.execute("SELECT (SELECT count(*) FROM activities_activity), "
                                 "(SELECT count(*) FROM activities_attendance)").fetchone()
        print(f"{args.database}: {acts:,} activity records, {att:,} attendance rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
