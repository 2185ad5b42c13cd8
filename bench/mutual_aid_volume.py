"""Load the issue-19 volumes into a city demo database: at least 300,000 互助保障 enrolment items
and 5,000 claims, in set-based SQL (PostgreSQL only), then VACUUM ANALYZE.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/mutual_aid_volume.py gh_ma_city [--items 300000] [--claims 5000]

The database must hold the city demo, migrated (bench/run.py --reuse does that). The demo's own
plan (code 0001) keeps its two terms (a template built without this line gets the demo's plan
with none, and this year's term is loaded first); the loader adds earlier yearly terms (2025年度, 2024年度, …,
through the services) until the items reach the target: in each, every grass-roots union that
existed then enrols its in-service women who had joined by then and were under the plan's age
limit, on a day in January–April, under its placement path on that day (as batch_enrol would),
one to three 份 each, first enrolments with their 90-day waiting period. Claims are then added on
loaded items until the target: registered 35–300 days into the cover, a sixth rejected, a sixth
awaiting review, a sixth awaiting approval, the rest paid (a payout ends the cover, as the plan
says). Diagnoses are encrypted under the bench's fixed keys (bench/run.py BenchDatabase) so the
claim pages still decrypt them. Loaded batch and claim numbers start with VOL, so a second run adds
only what is still missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import volume  # noqa: E402

DIAGNOSES = ("乳腺浸润性导管癌", "宫颈鳞状细胞癌", "卵巢浆液性癌", "乳腺导管原位癌", "宫颈原位癌")

BATCHES = """
INSERT INTO mutual_aid_batch (term_id, union_id, path, no, enrolled_on, eligible_count, enrolled_count,
                              units_total, premium_total, sum_insured_total, created_by_id, created_at)
SELECT %(term)s, o.id, COALESCE(pl.path, o.path), 'VOL' || %(year)s::text || '-' || o.id, d.on_date, 0, 0, 0, 0, 0,
       NULL, now()
FROM orgs_org o
CROSS JOIN LATERAL (SELECT make_date(%(year)s::int, (1 + o.id %% 4)::int, (1 + o.id %% 28)::int) AS on_date) d
LEFT JOIN LATERAL (SELECT p.path FROM orgs_orgplacement p WHERE p.org_id = o.id AND p.valid_from <= d.on_date
                   AND (p.valid_to IS NULL OR p.valid_to > d.on_date) ORDER BY p.valid_from DESC LIMIT 1) pl ON TRUE
WHERE o.org_type IN ('grassroots', 'joint_grassroots', 'community')
  AND (o.founded_on IS NULL OR o.founded_on <= d.on_date)
  AND (o.dissolved_on IS NULL OR o.dissolved_on > d.on_date)
  AND NOT EXISTS (SELECT 1 FROM mutual_aid_batch b WHERE b.term_id = %(term)s AND b.union_id = o.id)
"""

ITEMS = """
INSERT INTO mutual_aid_item (batch_id, term_id, plan_id, union_id, person_id, path, row_no, name, id_masked, units,
                             premium, sum_insured, enrolled_on, start_on, end_on, waiting_until, is_renewal, status,
                             ended_on)
SELECT c.batch_id, %(term)s, %(plan)s, c.union_id, c.person_id, c.path,
       row_number() OVER (PARTITION BY c.batch_id ORDER BY c.person_id), c.name, c.id_masked, c.units,
       %(premium)s * c.units, %(per_unit)s * c.units, c.enrolled_on, c.enrolled_on + 1,
       (c.enrolled_on + 1 + interval '12 months' - interval '1 day')::date, c.enrolled_on + %(waiting)s::int,
       FALSE, 'active', NULL
FROM (SELECT b.id AS batch_id, b.union_id, b.path, b.enrolled_on, p.id AS person_id, p.name, p.id_masked,
             1 + (CASE WHEN p.id %% 5 = 0 THEN 1 ELSE 0 END) + (CASE WHEN p.id %% 11 = 0 THEN 1 ELSE 0 END) AS units
      FROM mutual_aid_batch b
      JOIN members_membership m ON m.union_id = b.union_id AND m.ended_on IS NULL AND m.status = 'active'
                                 AND m.started_on <= b.enrolled_on
      JOIN members_person p ON p.id = m.person_id AND p.gender = 2 AND p.employment = %(employed)s
                            AND p.birth_date > (b.enrolled_on - interval '50 years')::date
      WHERE b.term_id = %(term)s
      ORDER BY b.id, p.id
      LIMIT %(limit)s) c
"""

TOTALS = """
UPDATE mutual_aid_batch b SET enrolled_count = t.n, eligible_count = t.n + t.n / 12, units_total = t.u,
       premium_total = t.p, sum_insured_total = t.s
FROM (SELECT batch_id, count(*) AS n, sum(units) AS u, sum(premium) AS p, sum(sum_insured) AS s
      FROM mutual_aid_item WHERE term_id = %(term)s GROUP BY batch_id) t
WHERE b.id = t.batch_id
"""

EMPTY_BATCHES = """
DELETE FROM mutual_aid_batch b WHERE b.term_id = %(term)s
  AND NOT EXISTS (SELECT 1 FROM mutual_aid_item i WHERE i.batch_id = b.id)
"""

CLAIMS = """
INSERT INTO mutual_aid_claim (item_id, union_id, person_id, path, no, registered_on, diagnosis_cipher, benefit_cipher,
                              diagnosed_on, hospital, treatment, decision, amount, status, registered_by_id,
                              reviewed_by_id, reviewed_on, approved_by_id, approved_on, paid_on, paid_amount,
                              rejected_on, reason, payee_name, bank_name, account_cipher, account_last4, created_at)
SELECT c.item_id, c.union_id, c.person_id, COALESCE(pl.path, c.path), 'VOLLP-' || c.item_id, c.registered_on,
       (%(diagnoses)s::text[])[1 + c.item_id %% 5], (%(benefits)s::text[])[1 + c.item_id %% 5], c.diagnosed_on,
       CASE WHEN c.item_id %% 2 = 0 THEN '县人民医院' ELSE '市妇幼保健院' END,
       CASE WHEN c.item_id %% 3 = 0 THEN 'inpatient' ELSE 'surgery' END, 'full', c.amount,
       CASE c.step WHEN 5 THEN 'rejected' WHEN 4 THEN 'registered' WHEN 3 THEN 'reviewed' ELSE 'paid' END,
       NULL, NULL, CASE WHEN c.step IN (3, 0, 1, 2) THEN c.registered_on + 3 END, NULL,
       CASE WHEN c.step IN (0, 1, 2) THEN c.registered_on + 3 END,
       CASE WHEN c.step IN (0, 1, 2) THEN c.registered_on + 10 END,
       CASE WHEN c.step IN (0, 1, 2) THEN c.amount END,
       CASE WHEN c.step = 5 THEN c.registered_on END,
       CASE WHEN c.step = 5 THEN '经核查不符合给付条件' ELSE '' END, '', '', '', '', now()
FROM (SELECT i.id AS item_id, i.union_id, i.person_id, i.path, i.units,
             d.diagnosed_on, d.diagnosed_on + 7 AS registered_on,
             CASE WHEN i.id %% 5 IN (3, 4) THEN 5000 ELSE 10000 END * i.units AS amount, i.id %% 6 AS step
      FROM mutual_aid_item i
      CROSS JOIN LATERAL (SELECT i.start_on + (35 + i.id %% 265)::int AS diagnosed_on) d
      WHERE i.status = 'active' AND (i.waiting_until IS NULL OR i.waiting_until < d.diagnosed_on) AND d.diagnosed_on <= i.end_on
        AND d.diagnosed_on + 20 <= %(today)s
        AND NOT EXISTS (SELECT 1 FROM mutual_aid_claim x WHERE x.item_id = i.id)
      ORDER BY md5(i.id::text)
      LIMIT %(limit)s) c
LEFT JOIN LATERAL (SELECT p.path FROM orgs_orgplacement p WHERE p.org_id = c.union_id
                   AND p.valid_from <= c.registered_on AND (p.valid_to IS NULL OR p.valid_to > c.registered_on)
                   ORDER BY p.valid_from DESC LIMIT 1) pl ON TRUE
"""

END_PAID = """
UPDATE mutual_aid_item i SET status = 'paid_out', ended_on = c.paid_on
FROM mutual_aid_claim c WHERE c.item_id = i.id AND c.no LIKE 'VOLLP-%%' AND c.status = 'paid' AND i.ended_on IS NULL
"""


def setup(database: str) -> None:
    volume.open_database(database, "mutual_aid_volume")


def step(cursor, name: str, sql: str, params: dict) -> int:
    started = time.perf_counter()
    cursor.execute(sql, params)
    print(f"  {name}: {cursor.rowcount:,} rows, {time.perf_counter() - started:.1f} s", flush=True)
    return cursor.rowcount


def load_items(cursor, target: int, today: dt.date) -> None:
    from gonghui.members.models import Employment
    from gonghui.mutual_aid import services
    from gonghui.mutual_aid.models import Item, Plan, Term

    plan = Plan.objects.filter(code="0001").first()
    if plan is None:
        # A city template built without this line (the lead's, 2026-12-07) has no demo plan: the
        # demo's own, at the root, with no terms yet (the loop below starts at this year's).
        from gonghui.mutual_aid.demo import BENEFITS, WOMEN_PLAN
        from gonghui.orgs.models import Org

        plan = services.plan_create(actor=None, org=Org.objects.get(depth=1), code="0001", benefits=BENEFITS,
                                    **WOMEN_PLAN)
        print("no demo plan 0001: created it (the demo's 女职工安康互助保障)", flush=True)
    per_unit = plan.sum_insured_per_unit
    year = min(Term.objects.filter(plan=plan).values_list("opens_on__year", flat=True), default=today.year + 1)
    while (have := Item.objects.count()) < target:
        year -= 1
        term = Term.objects.filter(plan=plan, name=f"{year}年度").first() or services.term_create(
            actor=None, plan=plan, name=f"{year}年度", opens_on=dt.date(year, 1, 1), closes_on=dt.date(year, 12, 31))
        print(f"{have:,} items; loading the term {term.name}", flush=True)
        params = {"term": term.pk, "plan": plan.pk, "year": year, "premium": plan.unit_premium, "per_unit": per_unit,
                  "waiting": plan.waiting_days, "employed": str(Employment.EMPLOYED), "limit": target - have}
        step(cursor, "batches", BATCHES, params)
        added = step(cursor, "items", ITEMS, params)
        step(cursor, "batch totals", TOTALS, params)
        step(cursor, "batches left empty", EMPTY_BATCHES, params)
        if not added:
            raise SystemExit(f"no eligible women for {year}: the database holds no city demo roster?")


def load_claims(cursor, target: int, today: dt.date) -> None:
    from gonghui.core import crypto
    from gonghui.mutual_aid.models import Claim

    have = Claim.objects.count()
    if have >= target:
        return
    print(f"{have:,} claims; loading {target - have:,}", flush=True)
    names = ("原发性乳腺癌、女性生殖器官癌",) * 3 + ("原位癌",) * 2
    params = {"diagnoses": [crypto.encrypt(d) for d in DIAGNOSES], "benefits": [crypto.encrypt(b) for b in names],
              "today": today, "limit": target - have}
    step(cursor, "claims", CLAIMS, params)
    step(cursor, "covers ended by a payout", END_PAID, {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="the PostgreSQL database (on DATABASE_URL's server) holding the city demo")
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--claims", type=int, default=5_000)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    setup(args.database)
    from django.db import connection, transaction

    from gonghui.mutual_aid.models import Batch, Claim, Item

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        load_items(cursor, args.items, args.today)
        load_claims(cursor, args.claims, args.today)
    with connection.cursor() as cursor:
        for table in ("mutual_aid_batch", "mutual_aid_item", "mutual_aid_claim"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"{args.database}: {Batch.objects.count():,} batches, {Item.objects.count():,} items, "
          f"{Claim.objects.count():,} claims ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
