"""The 参保名册 import at size (issue 19: 20,000 rows in at most 15 s).

Builds a sheet of 20,000 rows (序号, 姓名, 公民身份号码, 份数, 参保单位编码, 项目代码, 参保日期) from the
demo's roster: every eligible woman of one grass-roots union after another (so each union's
coverage is 100 %), for a plan of the bench's own (code BENCHIMP, the Ningbo rules) with a term open
today. Then times the importer end to end as the import page's job runs it (`Importer.run`: read
the sheet, check every cell, find each person by her ID number, the plan's rules per row, one batch
per union, the 参保单 totals) as the demo `admin`, checks that every row was enrolled, and rolls
everything back, so the database is left as it was and the run can be repeated.

    # PostgreSQL: a database holding the city (or county) demo, e.g. a copy of the city template
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/mutual_aid_import.py --db gh_ma_city
    # SQLite: a data dir holding a demo (built here with --build when it has none); a small demo
    # lacks 20,000 eligible women, so --synthetic puts that many on 40 unions' rosters first
    .venv/bin/python bench/mutual_aid_import.py --data-dir /tmp/gh_ma_small --build small --synthetic 20000

The demo must have been built under the bench's fixed keys (bench/run.py BenchDatabase), as the
city template was; --build uses them too.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import volume  # noqa: E402

ROWS = 20_000
LIMIT_S = 15.0
HEADERS = ("序号", "姓名", "公民身份号码", "份数", "参保单位编码", "项目代码", "参保日期")


def setup(args) -> None:
    if args.db:
        volume.point_at(args.db, "mutual_aid_import")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["GONGHUI_DATA_DIR"] = str(Path(args.data_dir).resolve())
        volume.use_keys()
    os.environ["DEBUG"] = "0"
    volume.setup_django()
    if args.build:
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("demo", size=args.build, seed=1, if_empty=True, stdout=io.StringIO())
        print(f"demo {args.build} ready after {time.perf_counter() - started:.0f} s", flush=True)


def add_women(n: int, unions: int) -> None:
    """n synthetic in-service women on the rosters of the first `unions` grass-roots unions (inside
    the run's transaction, rolled back with it): a small demo then holds a sheet of 20,000 rows."""
    import datetime as dt
    import random

    from gonghui.core import crypto
    from gonghui.core.identifiers import id_check_char
    from gonghui.members.models import Membership, MemberStatus, Person
    from gonghui.orgs.models import GRASSROOTS_TYPES, Org

    rng = random.Random(19)
    ring = crypto.keyring()
    homes = list(Org.objects.filter(org_type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True)
                 .order_by("path").values_list("pk", flat=True)[:unions])
    people, seen = [], set()
    while len(people) < n:
        birth = dt.date(1977, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 25))
        body = f"430181{birth:%Y%m%d}{rng.randrange(0, 500) * 2:03d}"  # even: a woman
        if body in seen:
            continue
        seen.add(body)
        number = body + id_check_char(body)
        people.append(Person(name=f"导入测试{len(people):05d}", id_cipher=crypto.encrypt(number, ring),
                             id_hash=crypto.lookup_hash(number, ring), id_masked=crypto.mask_id(number),
                             id_last4=number[-4:], gender=2, birth_date=birth, first_joined_on=dt.date(2020, 1, 1)))
    Person.objects.bulk_create(people, batch_size=2000)
    Membership.objects.bulk_create([Membership(person=p, union_id=homes[i % len(homes)], started_on=dt.date(2020, 1, 1),
                                               status=MemberStatus.ACTIVE) for i, p in enumerate(people)],
                                   batch_size=2000)


def sheet(rows: int, today) -> tuple[bytes, int, int]:
    """The workbook, its row count and its unions."""
    import xlsxwriter

    from gonghui.core import crypto
    from gonghui.members.models import Person
    from gonghui.mutual_aid import services
    from gonghui.mutual_aid.models import Plan
    from gonghui.orgs.models import GRASSROOTS_TYPES, Org

    plan = Plan.objects.get(code="BENCHIMP")
    picked: list[tuple[str, list]] = []
    total = 0
    # Whole unions while they fit (the import takes at most 20,000 rows), then the first union whose
    # coverage stays at the plan's 80 % with just the rows still missing.
    for union in Org.objects.filter(org_type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True).order_by("path"):
        people = services.eligible_people(plan, union, today)
        gap = rows - total
        if not people or gap <= 0:
            if gap <= 0:
                break
            continue
        if len(people) <= gap:
            picked.append((union.code, people))
            total += len(people)
        elif gap * 5 >= len(people) * 4:
            picked.append((union.code, people[:gap]))
            total += gap
    if total < rows * 0.95:
        raise SystemExit(f"only {total:,} eligible women in the demo; a larger demo (or --synthetic) is needed")
    numbers = {}
    ring = crypto.keyring()
    ids = [p.pk for _, people in picked for p in people]
    for i in range(0, len(ids), 2000):
        for pk, cipher in Person.objects.filter(pk__in=ids[i:i + 2000]).values_list("pk", "id_cipher"):
            numbers[pk] = crypto.decrypt(cipher, ring)
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("参保名册")
    ws.write_row(0, 0, HEADERS)
    r = 0
    for code, people in picked:
        for p in people:
            r += 1
            ws.write_number(r, 0, r)
            ws.write_string(r, 1, p.name)
            ws.write_string(r, 2, numbers[p.pk])
            ws.write_number(r, 3, 1 + (p.pk % 5 == 0) + (p.pk % 11 == 0))
            ws.write_string(r, 4, code)
            ws.write_string(r, 5, "BENCHIMP")
            ws.write_string(r, 6, today.isoformat())
    wb.close()
    return out.getvalue(), r, len(picked)


class Statements:
    """A connection.execute_wrapper that times each statement the import sends (wall time seen by the
    client: the server's work plus the transfer)."""

    def __init__(self):
        self.seen: list[tuple[float, str, object, int]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seen.append((time.perf_counter() - started, sql, params, len(params) if many and params else 1))

    def show(self, n: int, elapsed: float) -> None:
        from django.db import connection

        total = sum(s for s, *_ in self.seen)
        print(f"{len(self.seen)} statements, {total:.1f} s of the import's {elapsed:.1f} s waiting on them", flush=True)
        for seconds, sql, params, _ in sorted(self.seen, key=lambda s: -s[0])[:n]:
            print(f"{seconds * 1000:9.0f} ms  {sql[:300]}")
            if connection.vendor == "postgresql" and sql.lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    print("\n".join("            " + line for (line,) in cursor.fetchall()))


def cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", help="PostgreSQL database on DATABASE_URL's server")
    where.add_argument("--data-dir", help="SQLite: the data dir holding the database")
    parser.add_argument("--build", choices=("small", "county", "city"), help="build this demo first if empty")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="run the import under cProfile and print its N costliest functions (cumulative)")
    parser.add_argument("--statements", type=int, default=0, metavar="N",
                        help="time every SQL statement of the import and print the N slowest (with the plan of "
                             "each SELECT among them, EXPLAIN ANALYZE inside the rolled-back transaction)")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="first put N synthetic women on the rosters of the first 40 unions (rolled back)")
    args = parser.parse_args(argv)
    setup(args)
    from django.db import connection, transaction

    from gonghui.accounts.models import User
    from gonghui.core import clock, excel
    from gonghui.mutual_aid import services
    from gonghui.mutual_aid.models import Item, Term
    from gonghui.orgs.models import Org

    today = clock.today()
    admin = User.objects.get(username="admin")
    with transaction.atomic():
        root = Org.objects.get(depth=1)
        plan = services.plan_create(
            actor=None, org=root, code="BENCHIMP", name="女职工安康互助保障（导入测试）", kind="women", sex=2,
            max_age_female=50, unit_premium="15", term_months=12, max_units=3, min_coverage="80", waiting_days=90,
            condolence_after_days=30, condolence_amount="1000", renewal_grace_days=30, payout_ends_cover=True,
            benefits=[{"code": "A", "name": "原发性乳腺癌、女性生殖器官癌", "amount_per_unit": "10000"}])
        term = services.term_create(actor=None, plan=plan, name="导入测试期", opens_on=today, closes_on=today)
        prepared = time.perf_counter()
        if args.synthetic:
            add_women(args.synthetic, 40)
        data, rows, unions = sheet(args.rows, today)
        print(f"sheet: {rows:,} rows of {unions:,} unions, {len(data) / 1e6:.1f} MB "
              f"({time.perf_counter() - prepared:.0f} s to prepare)", flush=True)
        importer = excel.get_importer("mutual_aid_enrolment")(actor=admin)
        started, cpu = time.perf_counter(), cpu_seconds()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            result = profiler.runcall(importer.run, io.BytesIO(data))
            elapsed = time.perf_counter() - started
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        elif args.statements:
            timed = Statements()
            with connection.execute_wrapper(timed):
                result = importer.run(io.BytesIO(data))
            elapsed = time.perf_counter() - started
            timed.show(args.statements, elapsed)
        else:
            result = importer.run(io.BytesIO(data))
            elapsed = time.perf_counter() - started
        # CPU time of this process and its reaped children (the sheet is parsed in a child), not the
        # database server's: what the import costs here whatever the load, which on a shared
        # 2-core machine stretches the wall time several-fold.
        cpu = cpu_seconds() - cpu
        enrolled = Item.objects.filter(term=term).count()
        transaction.set_rollback(True)
    if result.errors or enrolled != rows:
        print(f"FAILED: {len(result.errors)} errors (first: {result.errors[:1]}), {enrolled:,} of {rows:,} enrolled")
        return 2
    verdict = ("ok" if elapsed <= LIMIT_S else "MISSED") if rows >= ROWS * 0.95 else "fewer rows than the target's"
    print(f"{connection.vendor}: import of {rows:,} rows ({unions:,} batches) in {elapsed:.1f} s "
          f"(target {LIMIT_S:.0f} s for {ROWS:,}): {verdict}; {cpu:.1f} s CPU here and in the sheet reader; "
          f"load {os.getloadavg()[0]:.1f}")
    assert not Term.objects.filter(pk=term.pk).exists()
    return 0


if __name__ == "__main__":
    sys.exit(main())
