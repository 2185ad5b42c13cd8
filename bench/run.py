"""`make bench`: the application's figures against the same figures in hand-written SQL.

Builds the `city` demo (about 20,000 unions and 100,000 employers) in a database of its
own, then times each piece of work through the application and through hand-written SQL
(bench/hand_sql.py) in the same run, checks that both give the same answer, and prints a table
with the ratio and the targets (ARCHITECTURE §6). See docs/benchmarks.md.

    .venv/bin/python bench/run.py                      # SQLite, in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py
                                                       # PostgreSQL: a fresh gonghui_bench_<pid>

It never touches the user's data: SQLite lives in a temporary GONGHUI_DATA_DIR, and on
PostgreSQL the database named in DATABASE_URL is only used to create and drop its own.
A missed target is reported, not failed: the exit status is 0 unless the application and
the SQL disagree (2) or the run itself breaks.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent

RATIO_TARGET = 1.5
PAGE_TARGET_MS = 300.0


class Mismatch(Exception):
    """The application and the hand-written SQL gave different answers."""


@dataclass
class Row:
    work: str
    app_ms: float
    sql_ms: float
    queries: int
    page: bool = False  # the root page: also held to PAGE_TARGET_MS

    @property
    def ratio(self) -> float:
        return self.app_ms / self.sql_ms if self.sql_ms else float("inf")

    def misses(self) -> list[str]:
        out = []
        if self.ratio > RATIO_TARGET:
            out.append(f"ratio {self.ratio:.2f} > {RATIO_TARGET}")
        if self.page and self.app_ms > PAGE_TARGET_MS:
            out.append(f"{self.app_ms:.1f} ms > {PAGE_TARGET_MS:.0f} ms")
        return out


# --- the database of our own ---------------------------------------------------------------


class BenchDatabase:
    """SQLite in a temporary data dir, or a fresh PostgreSQL database next to DATABASE_URL's."""

    def __init__(self, keep: bool, reuse: str = ""):
        self.keep = keep or bool(reuse)
        self.reuse = reuse
        self.server_url = os.environ.get("DATABASE_URL", "")
        self.vendor = "postgresql" if self.server_url else "sqlite"
        if reuse and self.vendor == "sqlite":
            self.data_dir = Path(reuse).resolve()
        else:
            self.data_dir = Path(tempfile.mkdtemp(prefix="gonghui-bench-"))
        (self.data_dir / "static").mkdir(exist_ok=True)  # whitenoise warns about a missing STATIC_ROOT
        self.pg_name = reuse if reuse and self.vendor == "postgresql" else ""

    def _admin_conninfo(self) -> str:
        parts = urlsplit(self.server_url)
        return urlunsplit(parts._replace(scheme="postgresql"))

    def __enter__(self) -> BenchDatabase:
        os.environ["GONGHUI_DATA_DIR"] = str(self.data_dir)
        if self.server_url:
            scheme = urlsplit(self.server_url).scheme
            if not scheme.startswith("postgres"):
                raise SystemExit(f"DATABASE_URL: only PostgreSQL is supported, not {scheme!r}")
            import psycopg

            if not self.pg_name:
                self.pg_name = f"gonghui_bench_{os.getpid()}"
                with psycopg.connect(self._admin_conninfo(), autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{self.pg_name}"')
            parts = urlsplit(self.server_url)
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + self.pg_name))
        else:
            os.environ.pop("DATABASE_URL", None)
        return self

    def __exit__(self, *exc) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        if self.keep:
            print(f"\nKept the bench database; run again on it with --reuse {self.pg_name or self.data_dir}")
        elif self.pg_name:
            import psycopg

            with psycopg.connect(self._admin_conninfo(), autocommit=True) as conn:
                try:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
                except psycopg.errors.SyntaxError:  # before PostgreSQL 13
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
        if self.pg_name or not self.keep:  # on PostgreSQL the data dir only holds generated keys
            shutil.rmtree(self.data_dir, ignore_errors=True)


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings"
    os.environ["DEBUG"] = "0"  # measure the production configuration, without query logging
    # Plain static names: the bench does not run collectstatic into its temporary data dir.
    os.environ["GONGHUI_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    import django

    django.setup()
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")


def build_data(size: str) -> float:
    """Migrate, build the demo (unless reusing a database that has it) and ANALYZE."""
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", size=size, seed=1, if_empty=True, stdout=io.StringIO())
    with connection.cursor() as cursor:
        # On PostgreSQL also VACUUM: it sets the visibility map after the bulk load, as
        # autovacuum would soon do anyway, and keeps autovacuum from starting mid-measurement.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


# --- measuring -----------------------------------------------------------------------------


def paired_medians(app: Callable[[], object], sql: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median ms of each, after one warm-up each, the runs interleaved (app, SQL, app, ...)
    so that load from elsewhere on the machine weighs on both sides alike."""
    app(), sql()
    app_times, sql_times = [], []
    for _ in range(runs):
        for func, times in ((app, app_times), (sql, sql_times)):
            started = time.perf_counter()
            func()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(app_times), statistics.median(sql_times)


def count_queries(func: Callable[[], object]) -> tuple[object, list[dict]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return result, list(ctx.captured_queries)


def check(work: str, app, sql) -> None:
    if app != sql:
        raise Mismatch(f"{work}: the application gives {app!r}, the SQL gives {sql!r}")


def explain(captured: list[dict], title: str) -> None:
    """Print the plan of every SELECT the application issued (--explain)."""
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    print(f"\n### {title}")
    for q in captured:
        sql = q["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        print(f"\n-- {q['time']} s\n{sql}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("   ", " | ".join(str(c) for c in row))


def explain_sql(sql: str, params: list, title: str) -> None:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    print(f"\n### {title} (hand-written SQL)\n{sql.strip()}\n-- params {params}")
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        for row in cursor.fetchall():
            print("   ", " | ".join(str(c) for c in row))


def measure(runs: int, do_explain: bool) -> tuple[list[Row], dict]:
    import hand_sql as hand
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from gonghui.accounts.models import User
    from gonghui.core.metrics import compute
    from gonghui.core.periods import Period
    from gonghui.orgs import selectors
    from gonghui.orgs.models import Employer, Org

    load = os.getloadavg()[0]
    today = timezone.localdate()
    period = Period.year_to_date(today)
    threshold = settings.GONGHUI["REQUIRED_HEADCOUNT"]
    root = Org.objects.get(depth=1)
    county = Org.objects.filter(depth=2).order_by("path").first()
    rows: list[Row] = []

    # The root tree page, as the demo admin, rendering included.
    client = Client()
    client.force_login(User.objects.get(username="admin"))

    def page():
        response = client.get("/orgs/")
        if response.status_code != 200:
            raise Mismatch(f"GET /orgs/ answered {response.status_code}")
        return response

    def page_sql():
        with connection.cursor() as cursor:
            return hand.tree_children(cursor, root.path, root.depth)

    def page_data():
        return selectors.children_with_counts(root)

    response, captured = count_queries(page)
    data = page_sql()
    # The numbers on the page (shown for federations, not for grass-roots unions) and the
    # selector's, child by child, against the SQL.
    shown = [int(n) for n in re.findall(r"基层工会 (\d+)</span>", response.content.decode())]
    check("root tree page (numbers shown)", shown, [r[4] for r in data if r[2] not in hand.GRASSROOTS])
    children, data_captured = count_queries(page_data)
    check("root tree page (children)", [(c.pk, c.path, c.unions) for c in children],
          [(r[0], r[1], r[4]) for r in data])
    rows.append(Row("root tree page `/orgs/` (server time, rendered)", *paired_medians(page, page_sql, runs),
                    len(captured), page=True))
    rows.append(Row("… its data only: `children_with_counts(root)`", *paired_medians(page_data, page_sql, runs),
                    len(data_captured)))
    if do_explain:
        explain(captured, "root tree page")
        hi = hand.successor(root.path)
        length = len(root.path) + 4
        explain_sql(hand.TREE_CHILDREN, [length, root.path, hi, root.depth, length, root.path, hi, root.depth + 1],
                    "root tree page")

    # Subtree counts and the coverage rate through the metric registry.
    def figure(code, org, label, sql_func, key):
        def app():
            return compute(code, org, period)

        def sql():
            with connection.cursor() as cursor:
                return sql_func(cursor, org.pk, org.path)

        value, captured = count_queries(app)
        check(label, key(value), sql())
        rows.append(Row(label, *paired_medians(app, sql, runs), len(captured)))
        if do_explain:
            explain(captured, label)
            p = org.path
            if code == "orgs.unions_total":
                explain_sql(hand.UNIONS_TOTAL, [p, hand.successor(p), today, today, today, today], label)
            else:
                explain_sql(hand.COVERAGE, hand.coverage_params(p, today, threshold), label)
        return value

    def unions(cursor, pk, path):
        return hand.unions_total(cursor, pk, path, today)

    def cover(cursor, pk, path):
        return hand.coverage(cursor, pk, path, today, threshold)

    n_root = figure("orgs.unions_total", root, "`orgs.unions_total`, root (city)", unions, lambda v: v.value)
    n_county = figure("orgs.unions_total", county, "`orgs.unions_total`, one county", unions, lambda v: v.value)
    rate = figure("orgs.coverage_rate", root, "`orgs.coverage_rate`, root (city)", cover,
                  lambda v: (v.numerator, v.denominator))
    figure("orgs.coverage_rate", county, "`orgs.coverage_rate`, one county", cover,
           lambda v: (v.numerator, v.denominator))

    facts = {
        "today": today,
        "load": load,
        "orgs": Org.objects.count(),
        "employers": Employer.objects.count(),
        "unions_root": n_root.value,
        "unions_county": n_county.value,
        "coverage": f"{rate.numerator} / {rate.denominator} = {rate.value}%",
    }
    return rows, facts


# --- reporting -----------------------------------------------------------------------------


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            return f"PostgreSQL {version.split()[0]} (collation {cursor.fetchone()[0]})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def table(rows: list[Row], informational: bool) -> str:
    lines = [
        "| work | app median ms | SQL median ms | ratio | queries | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        misses = r.misses()
        result = ("MISS: " + "; ".join(misses)) if misses else "PASS"
        if informational:
            result = ("miss" if misses else "pass") + " (informational)"
        lines.append(f"| {r.work} | {r.app_ms:.1f} | {r.sql_ms:.1f} | {r.ratio:.2f} | {r.queries} | {result} |")
    return "\n".join(lines)


def report(rows: list[Row], facts: dict, vendor: str, build_s: float, runs: int, size: str) -> str:
    import django

    informational = vendor != "postgresql"
    head = [
        f"## {database_version()}, {facts['today']}",
        "",
        f"Demo `{size}` (seed 1): {facts['orgs']:,} orgs, {facts['employers']:,} employers; "
        + (f"built, migrated and analysed in {build_s:.0f} s." if build_s else "reused (--reuse).")
        + f" Median of {runs} runs after one warm-up, application and SQL runs interleaved. Python "
        f"{platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"load average {facts['load']:.1f} at the start.",
        f"Answers (equal on both sides): unions under the root {facts['unions_root']:,}, under the county "
        f"{facts['unions_county']:,}; coverage rate {facts['coverage']}.",
        f"Targets: ratio ≤ {RATIO_TARGET}, root page ≤ {PAGE_TARGET_MS:.0f} ms server time"
        + (" (stated for PostgreSQL; informational here)." if informational else "."),
        "",
        table(rows, informational),
    ]
    return "\n".join(head) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement (default 7)")
    parser.add_argument("--size", default="city", help="demo size (default city; small/county for a quick try)")
    parser.add_argument("--explain", action="store_true", help="print the plan of every query measured")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--reuse", metavar="DIR_OR_DB", default="",
                        help="run on a database kept by --keep (SQLite data dir or PostgreSQL database name)")
    args = parser.parse_args(argv)

    with BenchDatabase(keep=args.keep, reuse=args.reuse) as db:
        setup_django()
        what = "reusing" if args.reuse else f"building the `{args.size}` demo (a minute or two) in"
        print(f"Benchmark on {db.vendor}: {what} {db.pg_name or db.data_dir}…", flush=True)
        build_s = build_data(args.size)
        if args.reuse:
            build_s = 0.0
        try:
            rows, facts = measure(args.runs, args.explain)
        except Mismatch as err:
            print(f"\nMISMATCH: {err}", file=sys.stderr)
            return 2
        text = report(rows, facts, db.vendor, build_s, args.runs, args.size)

    print("\n" + text)
    misses = [f"{r.work}: {'; '.join(r.misses())}" for r in rows if r.misses()]
    title = "Targets missed:" if db.vendor == "postgresql" else "Targets missed (informational on SQLite):"
    print("\n".join([title, *(f"  - {m}" for m in misses)]) if misses else "All targets met.")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    out = results / f"{db.vendor}-{facts['today']}.md"
    out.write_text(f"# gonghui benchmark\n\n{text}")
    print(f"Written to {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
