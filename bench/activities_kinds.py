"""Issue 22's benchmark: the activity figures per kind for one county against their twins, and the
distinct-person count over a year for that county (target ≤ 500 ms), on a database that holds the
city demo and the volumes of bench/activities_volume.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/activities_kinds.py --reuse gh_ac_city [--runs 5] [--explain]

Like bench/run.py it checks each answer against the twin before timing (paired medians, one
warm-up each). Periods: this year to date (the dashboard's) and last calendar year (the annual
summary's). Prints a Markdown table; the exit status is 2 when an answer disagrees.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402 - bench/ on the path first

FAMILIES = ("sessions", "persons", "person_times", "units", "items", "amount")
FLAGS = {"sessions": "has_sessions", "persons": "has_persons", "person_times": "has_person_times",
         "units": "has_units", "items": "has_items", "amount": "has_money"}
PERSONS_TARGET_MS = 500.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", required=True, help="the database (migrated, with the city demo)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kinds", default="women_training,migrant_training,culture_sports,enterprise_visit,"
                                           "survey,labour_contest", help="kind codes, comma-separated")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    bad = False
    with run.BenchDatabase(keep=True, reuse=args.reuse):
        run.setup_django()
        import twins
        from django.db import connection
        from django.utils import timezone
        from hand_sql import path_on

        from gonghui.activities.models import ActivityKind, Attendance
        from gonghui.core.metrics import compute
        from gonghui.core.periods import Period
        from gonghui.orgs.models import Org

        all_twins = twins.all_twins()
        today = timezone.localdate()
        root = Org.objects.get(depth=1)
        county = run.county_of(root)
        periods = [("this year to date", Period.year_to_date(today)),
                   ("last year", Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)))]
        kinds = {k.code: k for k in ActivityKind.objects.filter(code__in=args.kinds.split(","))}
        print(f"{county.name} ({county.path}); {Attendance.objects.count():,} attendance rows in the database; "
              f"{args.runs} runs, load {run.os.getloadavg()[0]:.1f}\n")
        print("| figure | kind | period | value | app ms | SQL ms | ratio | queries |")
        print("|---|---|---|---:|---:|---:|---:|---:|")
        for label, period in periods:
            for family in FAMILIES:
                code = f"activities.{family}"
                twin = all_twins[code]
                for kind_code in [None, *[c for c, k in kinds.items() if getattr(k, FLAGS[family])]]:
                    filters = {"kind": kind_code} if kind_code else {}

                    def app(code=code, filters=filters, period=period):
                        return compute(code, county, period, filters=filters or None)

                    def sql(twin=twin, filters=filters, period=period):
                        with connection.cursor() as cursor:
                            return twin.run(cursor, path_on(cursor, county.pk, county.path, period.end), period,
                                            **filters)

                    got, captured = run.count_queries(app)
                    want, sql_captured = run.count_queries(sql)
                    if twin.answer(got) != want:
                        print(f"MISMATCH {code} {kind_code} {label}: app {twin.answer(got)!r}, twin {want!r}")
                        bad = True
                    app_ms, sql_ms = run.paired_medians(app, sql, args.runs)
                    flag = ""
                    if family == "persons" and app_ms > PERSONS_TARGET_MS:
                        flag = " (over 500 ms)"
                    print(f"| `{code}` | {kind_code or 'all kinds'} | {label} | {got.value} | {app_ms:.1f} | "
                          f"{sql_ms:.1f} | {app_ms / sql_ms if sql_ms else 0:.2f}{flag} | {len(captured)} |",
                          flush=True)
                    if args.explain and (family == "persons" or kind_code == next(iter(kinds), None)):
                        run.explain(captured, f"{code} {kind_code} {label}")
                        run.explain(sql_captured, f"{code} {kind_code} {label} (twin)")
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
