"""Load the issue-18 volumes into a city demo database: 24 months of 工会经费 for every employer
(100,100 in the city demo, less the demo's own 30 with funds rows): one receipt and one payroll
declaration per employer and month, about 2.4 M of each, in set-based SQL (PostgreSQL only), then
VACUUM ANALYZE; then the monthly summary (funds_monthlytotal) rebuilt from every row, also when
the rows were loaded by an earlier run.

    .venv/bin/python bench/funds_volume.py gh_fu_city                 # 24 months, every employer
    .venv/bin/python bench/funds_volume.py gh_fu_city --months 12 --splits
    .venv/bin/python bench/funds_volume.py gh_fu_bench --add-employers 100000   # a smaller demo, enlarged

The database must hold the city demo, migrated (bench/run.py --reuse does that). The months are the
24 before last month (so every receipt is in the past); a receipt arrives 1–25 days into the next
month, via the tax bureau (three in four) or direct. Each row counts where the services would put it:
the union covering the employer on the row's date (declarations on their 所属期, receipts on their
入库日期), else the employer's territorial federation (then the money is 工会筹备金), at that org's
path on that date (its placement then). The payroll follows the headcount; one employer in seven pays
60 % of what it owes, so 收缴率 is not 100 %. `--splits` also writes the 60/40 split rows (4.8 M; no
figure reads them). Loaded rows carry references starting VOL-, so a second run adds nothing.
`--add-employers N` first adds N synthetic employers without a union (valid credit codes 91999999…,
names 量测单位…) spread over the townships, for a demo smaller than the city (once: a second run
adds none).
Nothing here is encrypted, so the bench's fixed keys do not matter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

PREFIX = "VOL-"

STEPS = (
    ("employers", """
        CREATE TEMP TABLE vol_emp AS
        SELECT e.id, COALESCE(e.uscc, '') AS uscc, e.org_id, GREATEST(COALESCE(e.headcount, 0), 3) AS heads
        FROM orgs_employer e
        WHERE NOT EXISTS (SELECT 1 FROM funds_declaration d WHERE d.employer_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM funds_receipt r WHERE r.employer_id = e.id)
        ORDER BY e.id LIMIT %(employers)s"""),
    ("months", """
        CREATE TEMP TABLE vol_rows AS
        SELECT e.id AS employer_id, e.uscc, e.org_id AS home_id, e.heads, m.month::date AS month, m.i,
               (m.month + interval '1 month' + (e.id %% 25) * interval '1 day')::date AS received_on
        FROM vol_emp e
        CROSS JOIN LATERAL (SELECT (%(first)s::date + g * interval '1 month') AS month, g AS i
                            FROM generate_series(0, %(months)s - 1) g) m"""),
    ("attribution", """
        CREATE TEMP TABLE vol_attr AS
        SELECT v.*, COALESCE(cm.union_id, v.home_id) AS decl_org, COALESCE(cr.union_id, v.home_id) AS rec_org
        FROM vol_rows v
        LEFT JOIN LATERAL (SELECT c.union_id FROM orgs_coverage c WHERE c.employer_id = v.employer_id
                           AND c.valid_from <= v.month AND (c.valid_to IS NULL OR c.valid_to > v.month)
                           ORDER BY c.valid_from DESC LIMIT 1) cm ON TRUE
        LEFT JOIN LATERAL (SELECT c.union_id FROM orgs_coverage c WHERE c.employer_id = v.employer_id
                           AND c.valid_from <= v.received_on AND (c.valid_to IS NULL OR c.valid_to > v.received_on)
                           ORDER BY c.valid_from DESC LIMIT 1) cr ON TRUE"""),
    ("paths", """
        CREATE TEMP TABLE vol_final AS
        SELECT a.*, COALESCE(pm.path, om.path) AS decl_path, COALESCE(pr.path, orr.path) AS rec_path,
               CASE WHEN om.org_type IN ('grassroots', 'joint_grassroots', 'community')
                    THEN 'allocation' ELSE 'preparation' END AS decl_kind,
               CASE WHEN orr.org_type IN ('grassroots', 'joint_grassroots', 'community')
                    THEN 'allocation' ELSE 'preparation' END AS rec_kind,
               round(a.heads * (4000 + (a.employer_id %% 7) * 500) * (1 + (a.i %% 12) * 0.01), 2) AS payroll
        FROM vol_attr a
        JOIN orgs_org om ON om.id = a.decl_org
        JOIN orgs_org orr ON orr.id = a.rec_org
        LEFT JOIN LATERAL (SELECT p.path FROM orgs_orgplacement p WHERE p.org_id = a.decl_org
                           AND p.valid_from <= a.month AND (p.valid_to IS NULL OR p.valid_to > a.month)
                           ORDER BY p.valid_from DESC LIMIT 1) pm ON TRUE
        LEFT JOIN LATERAL (SELECT p.path FROM orgs_orgplacement p WHERE p.org_id = a.rec_org
                           AND p.valid_from <= a.received_on AND (p.valid_to IS NULL OR p.valid_to > a.received_on)
                           ORDER BY p.valid_from DESC LIMIT 1) pr ON TRUE"""),
    ("amounts", """
        ALTER TABLE vol_final ADD COLUMN due numeric(14, 2), ADD COLUMN amount numeric(14, 2);
        UPDATE vol_final SET due = round(payroll * 0.02, 2),
                             amount = CASE WHEN employer_id %% 7 = 3 THEN round(payroll * 0.02 * 0.6, 2)
                                           ELSE round(payroll * 0.02, 2) END"""),
    ("receipts", """
        INSERT INTO funds_receipt (reference, channel, kind, status, employer_id, raw_uscc, raw_name, month,
                                   payroll_base, amount, received_on, org_id, org_path, note, created_at)
        SELECT %(prefix)s || f.employer_id || '-' || to_char(f.month, 'YYYYMM'),
               CASE WHEN f.employer_id %% 4 = 0 THEN 'direct' ELSE 'tax' END, f.rec_kind, 'matched',
               f.employer_id, f.uscc, '', f.month, f.payroll, f.amount, f.received_on, f.rec_org, f.rec_path, '', now()
        FROM vol_final f ORDER BY f.received_on, f.employer_id"""),
    ("declarations", """
        INSERT INTO funds_declaration (employer_id, month, employees, payroll_total, due, paid, kind, org_id,
                                       org_path, created_at)
        SELECT f.employer_id, f.month, f.heads, f.payroll, f.due, f.amount, f.decl_kind, f.decl_org, f.decl_path, now()
        FROM vol_final f ORDER BY f.month, f.employer_id"""),
)

SPLITS = ("splits", """
        INSERT INTO funds_receiptsplit (receipt_id, level, percent, amount)
        SELECT r.id, s.level, s.pct, CASE WHEN s.level = 'grassroots' THEN trunc(r.amount * 0.6, 2)
                                          ELSE r.amount - trunc(r.amount * 0.6, 2) END
        FROM funds_receipt r
        CROSS JOIN (VALUES ('grassroots', 60.000), ('county', 40.000)) s(level, pct)
        WHERE r.reference LIKE %(like)s""")


# The monthly summary the money figures read (funds.totals.rebuild in SQL): every row again, as
# the services would have kept it, whatever was there before; stored month by month in path order,
# as the services' refreshes append them, so a subtree's months lie in a few pages each.
TOTALS = """
        DELETE FROM funds_monthlytotal;
        INSERT INTO funds_monthlytotal (org_path, month, due, paid, arrears, preparation_due, preparation_paid,
                                        received)
        SELECT x.org_path, x.month, SUM(x.due), SUM(x.paid), SUM(x.arrears), SUM(x.pdue), SUM(x.ppaid), SUM(x.received)
        FROM (SELECT d.org_path, d.month, d.due, d.paid, GREATEST(d.due - d.paid, 0) AS arrears,
                     CASE WHEN d.kind = 'preparation' THEN d.due ELSE 0 END AS pdue,
                     CASE WHEN d.kind = 'preparation' THEN d.paid ELSE 0 END AS ppaid, 0 AS received
              FROM funds_declaration d
              UNION ALL
              SELECT r.org_path, date_trunc('month', r.received_on)::date, 0, 0, 0, 0, 0, r.amount
              FROM funds_receipt r) x
        GROUP BY x.org_path, x.month
        ORDER BY x.month, x.org_path"""


SYNTHETIC = "量测单位"


def add_employers(conn, n: int) -> None:
    from stdnum.cn import uscc

    have = conn.execute("SELECT count(*) FROM orgs_employer WHERE name LIKE %s", [SYNTHETIC + "%"]).fetchone()[0]
    if have:
        print(f"  employers: {have:,} synthetic employers already there; none added")
        return
    towns = [r[0] for r in conn.execute("SELECT id FROM orgs_org WHERE org_type IN ('township_fed', 'township_gen') "
                                        "ORDER BY path")]
    started = time.perf_counter()
    columns = ("name", "uscc", "ownership", "industry", "headcount", "women_count", "migrant_count", "is_fortune500",
               "is_above_scale", "registered_on", "region_code", "address", "contact_person", "contact_phone",
               "name_pinyin", "name_initials", "created_at", "updated_at", "org_id", "name_norm", "economic_type",
               "org_code", "unit_category")
    with conn.cursor() as cur, cur.copy(f"COPY orgs_employer ({', '.join(columns)}) FROM STDIN") as copy:
        for i in range(n):
            body = f"91999999{i:09d}"
            name = f"{SYNTHETIC}{i:06d}有限公司"
            copy.write_row((name, body + uscc.calc_check_digit(body), "private", "", 5 + i % 200, 0, 0, False, False,
                            dt.date(2015, 1, 1), "", "", "", "", "", "", "now", "now", towns[i % len(towns)], name,
                            "", "", ""))
    print(f"  employers: {n:,} synthetic employers added, {time.perf_counter() - started:.0f} s", flush=True)


def first_month(today: dt.date, months: int) -> dt.date:
    """The first of `months` months that end with the month before last."""
    index = today.year * 12 + today.month - 1 - 2 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="the PostgreSQL database (on DATABASE_URL's server) holding the city demo")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--employers", type=int, default=1_000_000, help="at most this many employers")
    parser.add_argument("--splits", action="store_true", help="also write the split rows (two a receipt)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--add-employers", type=int, default=0, help="first add this many synthetic employers")
    args = parser.parse_args(argv)
    import psycopg

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    conninfo = urlunsplit(urlsplit(server)._replace(scheme="postgresql", path="/" + args.database))
    params = {"prefix": PREFIX, "like": PREFIX + "%", "months": args.months, "employers": args.employers,
              "first": first_month(args.today, args.months)}
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if args.add_employers:
            add_employers(conn, args.add_employers)
            conn.execute("ANALYZE orgs_employer")
        have = conn.execute("SELECT count(*) FROM funds_receipt WHERE reference LIKE %s", [PREFIX + "%"]).fetchone()[0]
        if have:
            print(f"{args.database} already holds {have:,} loaded receipts; nothing added.")
        else:
            total = time.perf_counter()
            with conn.transaction():
                # Consistent by construction (ids from the same database): skip the per-row
                # foreign-key triggers of the bulk insert.
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute("SET LOCAL work_mem = '256MB'")
                for name, sql in STEPS + ((SPLITS,) if args.splits else ()):
                    started = time.perf_counter()
                    for part in sql.split(";\n"):
                        cur = conn.execute(part, params)
                    print(f"  {name}: {cur.rowcount:,} rows, {time.perf_counter() - started:.0f} s", flush=True)
            started = time.perf_counter()
            for table in ("funds_receipt", "funds_declaration") + (("funds_receiptsplit",) if args.splits else ()):
                conn.execute(f"VACUUM ANALYZE {table}")
            print(f"  vacuum analyze: {time.perf_counter() - started:.0f} s; "
                  f"loaded in {time.perf_counter() - total:.0f} s")
        started = time.perf_counter()
        with conn.transaction():
            for part in TOTALS.split(";\n"):
                cur = conn.execute(part)
        conn.execute("VACUUM ANALYZE funds_monthlytotal")
        print(f"  monthly totals: {cur.rowcount:,} rows, {time.perf_counter() - started:.0f} s", flush=True)
        receipts, decls = conn.execute("SELECT (SELECT count(*) FROM funds_receipt), "
                                       "(SELECT count(*) FROM funds_declaration)").fetchone()
        print(f"{args.database}: {receipts:,} receipts, {decls:,} declarations "
              f"({params['first']:%Y-%m} for {args.months} months)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
