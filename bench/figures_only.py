"""Only the figure rows of `bench/run.py` (each figure against its twin, root and one county, this
year to date), without the pages, tables and other optional rows that make a city run take a
quarter of an hour: for measuring one work line's figures on a database that holds its volumes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/figures_only.py --reuse gh_md_city --only mutual_aid. [--runs 3] [--explain]

The database must be migrated already (a first `bench/run.py --reuse` does that). Prints a Markdown
table (app and twin medians, ratio, the application's queries); exits 2 when an answer disagrees
with its twin.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402 - bench/ on the path first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", required=True, help="the database (migrated, with the city demo)")
    parser.add_argument("--only", action="append", default=[], metavar="PREFIX", help="figure code prefix (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    with run.BenchDatabase(keep=True, reuse=args.reuse):
        run.setup_django()
        from django.utils import timezone

        from gonghui.core.periods import Period
        from gonghui.orgs.models import Org

        period = Period.year_to_date(timezone.localdate())
        root = Org.objects.get(depth=1)
        county = run.county_of(root)
        load = os.getloadavg()[0]
        rows, _answers = run.measure_figures(args.runs, root, county, period, tuple(args.only), args.explain)
        print(f"\n{root.name} / {county.name}, {period.start}–{period.end}, {args.runs} runs, "
              f"load {load:.1f} → {os.getloadavg()[0]:.1f}\n")
        print("| figure | node | app ms | twin ms | ratio | app queries |")
        print("|---|---|---:|---:|---:|---:|")
        bad = False
        for row in rows:
            for where in ("root", "county"):
                side = getattr(row, where)
                if side is None:
                    continue
                twin = f"{side.sql_ms:.1f}" if side.sql_ms is not None else "–"
                ratio = f"{side.ratio:.2f}" if side.ratio is not None else "–"
                print(f"| `{row.code}` | {where} | {side.app_ms:.1f} | {twin} | {ratio} | {side.queries} |")
            if any(p.startswith("MISMATCH") for p in row.problems):
                bad = True
                print(f"|   {'; '.join(row.problems)} |")
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
