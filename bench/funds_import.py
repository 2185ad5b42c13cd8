"""Issue 18's import benchmark: a 100,000-row 税务代收 list imported into the city demo.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/funds_import.py gh_fu_city [--rows 100000] [--keep]

Writes a sheet with the tax list's exact headers: one row per employer of the city (the first
`--rows` with a credit code, by id) for last month, received by the city federation, 1 % of them
with a credit code no employer has (they stay 待匹配). Then runs `gonghui import funds_tax FILE
--user admin`, the command users script, in a child process of its own and reports its wall time
and peak memory (getrusage of a small wrapper process, as bench/members_io.py does), checks what it
saved (every row a receipt, splits summing to it, the matched rows' declarations), runs the same
import again (it must add nothing) and, unless --keep, removes what the import added. Limits of
issue 18: 60 s and 1 GB.

Runs with the bench's fixed field and lookup keys (bench/run.py BenchDatabase), so it works on a
database bench/run.py built or --reuse'd.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import volume  # noqa: E402

LIMIT_S = 60.0
LIMIT_MB = 1024.0
PREFIX = "IMP-"


def setup(database: str) -> None:
    from run import setup_django

    volume.open_database(database, "funds_import", setup_django)


def write_sheet(path: Path, rows: int, today: dt.date) -> tuple[dt.date, int]:
    """The tax list: (its month, how many rows carry an unknown credit code)."""
    from stdnum.cn import uscc

    from gonghui.core import excel
    from gonghui.funds.imports import TaxListImporter
    from gonghui.orgs.models import Employer, Org

    root = Org.objects.get(depth=1)
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    received = min(today, month.replace(day=28) + dt.timedelta(days=7))
    employers = list(Employer.objects.filter(uscc__isnull=False).order_by("pk").values_list("pk", "uscc", "name",
                                                                                            "headcount")[:rows])
    unknown = 0
    out = []
    for i, (pk, code, name, heads) in enumerate(employers):
        if i % 100 == 99:
            body = f"92{pk:015d}"
            code, name, unknown = body + uscc.calc_check_digit(body), f"未登记单位{pk}", unknown + 1
        payroll = Decimal(max(heads or 0, 3) * (4000 + pk % 7 * 500))
        amount = (payroll * Decimal("0.02")).quantize(Decimal("0.01"))
        out.append([root.code, f"{PREFIX}{pk}-{month:%Y%m}", code, name, f"{month:%Y-%m}", str(payroll), str(amount),
                    received.isoformat(), ""])
    with path.open("wb") as f:
        excel.write_table(f, [c.header for c in TaxListImporter.columns], out, sheet_name="税务代收明细")
    return month, unknown


def check(rows: int, unknown: int, month: dt.date) -> str:
    from django.db.models import Count, Q, Sum

    from gonghui.funds.models import Declaration, Receipt, ReceiptSplit

    receipts = Receipt.objects.filter(reference__startswith=PREFIX)
    got = receipts.aggregate(n=Count("pk"), pending=Count("pk", filter=Q(status="pending")), s=Sum("amount"))
    splits = ReceiptSplit.objects.filter(receipt__reference__startswith=PREFIX).aggregate(s=Sum("amount"))["s"]
    decls = Declaration.objects.filter(month=month, employer__fund_receipts__reference__startswith=PREFIX).count()
    problems = []
    if got["n"] != rows or got["pending"] != unknown:
        problems.append(f"{got['n']} receipts ({got['pending']} pending), expected {rows} ({unknown})")
    if splits != got["s"]:
        problems.append(f"splits sum to {splits}, receipts to {got['s']}")
    if decls != rows - unknown:
        problems.append(f"{decls} declarations for {rows - unknown} matched rows")
    return "; ".join(problems)


def clean(month: dt.date) -> None:
    """Remove what the import added, and refresh the monthly summary of the keys it touched."""
    from django.db import connection

    from gonghui.funds import totals
    from gonghui.funds.models import Declaration, Receipt

    added = Receipt.objects.filter(reference__startswith=PREFIX)
    keys = totals.keys_of(added, Declaration.objects.filter(month=month, employer__fund_receipts__in=added))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM funds_declaration d USING funds_receipt r WHERE r.employer_id = d.employer_id "
                       "AND d.month = %s AND r.reference LIKE %s", [month, PREFIX + "%"])
        cursor.execute("DELETE FROM funds_receiptsplit s USING funds_receipt r WHERE r.id = s.receipt_id "
                       "AND r.reference LIKE %s", [PREFIX + "%"])
        cursor.execute("DELETE FROM funds_receipt WHERE reference LIKE %s", [PREFIX + "%"])
    totals.refresh(keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="the PostgreSQL database (on DATABASE_URL's server) holding the city demo")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the imported receipts")
    parser.add_argument("--profile", metavar="FILE", help="run the first import under cProfile, its stats to FILE "
                        "(read with python -m pstats; the time is then the profiled one)")
    args = parser.parse_args(argv)
    setup(args.database)
    from django.utils import timezone
    from members_io import run_child

    from gonghui.funds.models import Receipt

    today = timezone.localdate()
    if Receipt.objects.filter(reference__startswith=PREFIX).exists():
        raise SystemExit(f"{args.database} already holds receipts {PREFIX}…: run without --keep first to remove them")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "税务代收明细.xlsx"
        started = time.perf_counter()
        month, unknown = write_sheet(path, args.rows, today)
        size = path.stat().st_size / 1e6
        print(f"sheet: {args.rows:,} rows ({unknown:,} unknown codes), {size:.1f} MB, "
              f"written in {time.perf_counter() - started:.1f} s", flush=True)
        command = ["-m", "gonghui.cli", "import", "funds_tax", str(path), "--user", "admin"]
        profiled = ["-m", "cProfile", "-o", args.profile] if args.profile else []
        results = []
        for label in ("import", "re-import (no-op)"):
            seconds, peak, status, out, err = run_child(
                [sys.executable, *(profiled if label == "import" else []), *command])
            if status:
                print((out + err)[-3000:])
                raise SystemExit(f"{label}: exit status {status}")
            verdict = "ok" if seconds <= LIMIT_S and peak <= LIMIT_MB else "OVER"
            results.append((label, seconds, peak, verdict))
            print(f"{label}: {seconds:.1f} s, peak {peak:.0f} MB ({verdict}; limits {LIMIT_S:.0f} s, "
                  f"{LIMIT_MB:.0f} MB) — {out.strip()[-200:]}", flush=True)
            if label == "import":
                problem = check(args.rows, unknown, month)
                print(f"check: {problem or 'every row saved, splits equal the receipts, declarations made'}")
        if not args.keep:
            clean(month)
    return 0 if all(v == "ok" for *_, v in results) else 1


if __name__ == "__main__":
    sys.exit(main())
