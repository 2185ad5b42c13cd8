"""`make bench`: the application's figures against the same figures in hand-written SQL.

Builds the `city` demo (about 20,000 unions and 100,000 employers) in a database of its
own, then times each piece of work through the application and through hand-written SQL
(bench/hand_sql.py, and every registered figure's twin in bench/twins/) in the same run, checks
that both give the same answer, and prints the tables with the ratio and the targets
(ARCHITECTURE §6, issue 14). At city size it also builds the `county` demo in a second database
and times every figure there, in a child process, for the growth ratio: a county inside the
city against the same county alone. See docs/benchmarks.md.

    .venv/bin/python bench/run.py                      # SQLite, in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py
                                                       # PostgreSQL: a fresh gonghui_bench_<pid>

It never touches the user's data: SQLite lives in a temporary GONGHUI_DATA_DIR, and on
PostgreSQL the database named in DATABASE_URL is only used to create and drop its own.
A missed target is reported, not failed: the exit status is 0 unless the application and
the SQL (a figure and its twin included) disagree (2) or the run itself breaks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import volume
from report import verdict

HERE = Path(__file__).resolve().parent

RATIO_TARGET = 1.5
GROWTH_TARGET = 1.5  # issue 14 item 1: a county inside the city against the county demo alone
# The other helpers' rows (bench/<name>.py with measure(b)), run in this order when present.
OPTIONAL_MODULES = ("pages", "tables_rows", "search", "paging")
PAGE_TARGET_MS = 300.0
ROSTER_TARGET_MS = 150.0  # issue 3 part 9: the roster's first page, subtree filter and name search
TOTAL_TARGET_MS = 1000.0  # issue 3 part 9: members.total for the root as of a date
SURNAME = "张"  # the roster search: the names that start with it


class Mismatch(Exception):
    """The application and the hand-written SQL gave different answers."""


@dataclass
class Row:
    work: str
    app_ms: float
    sql_ms: float
    queries: int
    limit_ms: float | None = None  # an absolute target as well (the pages, the members figures)
    ratio_target: float | None = RATIO_TARGET

    @property
    def ratio(self) -> float:
        return self.app_ms / self.sql_ms if self.sql_ms else float("inf")

    def misses(self) -> list[str]:
        out = []
        if self.ratio_target is not None and self.ratio > self.ratio_target:
            out.append(f"ratio {self.ratio:.2f} > {self.ratio_target}")
        if self.limit_ms is not None and self.app_ms > self.limit_ms:
            out.append(f"{self.app_ms:.1f} ms > {self.limit_ms:.0f} ms")
        return out


@dataclass
class Side:
    """One figure for one node: the application's median, its twin's, the application's queries."""

    app_ms: float
    sql_ms: float | None  # None: no twin
    queries: int

    @property
    def ratio(self) -> float | None:
        if self.sql_ms is None:
            return None
        return self.app_ms / self.sql_ms if self.sql_ms else float("inf")


@dataclass
class FigureRow:
    """A registered figure at the root and in one county, and the same county's figure when the
    county demo stands alone (its growth ratio, issue 14 item 1)."""

    code: str
    root: Side | None = None
    county: Side | None = None
    alone_ms: float | None = None
    problems: list[str] = field(default_factory=list)  # no twin, a disagreement

    @property
    def growth(self) -> float | None:
        if self.county is None or not self.alone_ms:
            return None
        return self.county.app_ms / self.alone_ms

    @property
    def mismatched(self) -> bool:
        return any(p.startswith("MISMATCH") for p in self.problems)

    def misses(self) -> list[str]:
        out = list(self.problems)
        for where, side in (("root", self.root), ("county", self.county)):
            if side is not None and side.ratio is not None and side.ratio > RATIO_TARGET:
                out.append(f"{where} ratio {side.ratio:.2f} > {RATIO_TARGET}")
        if self.growth is not None and self.growth > GROWTH_TARGET:
            out.append(f"growth {self.growth:.2f} > {GROWTH_TARGET}")
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
        # Fixed keys for the bench's synthetic members: a database kept with --keep outlives
        # its data dir, and --reuse must still decrypt and look up what was encrypted then.
        os.environ["GONGHUI_FIELD_KEY"] = volume.FIELD_KEY
        os.environ["GONGHUI_LOOKUP_KEY"] = volume.LOOKUP_KEY
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

    from gonghui.members import demo_data

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    demo_data.PROGRESS = progress  # the city's million members take a few minutes
    call_command("demo", size=size, seed=1, if_empty=True, stdout=io.StringIO())
    demo_data.PROGRESS = None
    progress(f"  demo ready after {time.perf_counter() - started:.0f} s; analysing…")
    with connection.cursor() as cursor:
        # On PostgreSQL also VACUUM: it sets the visibility map after the bulk load, as
        # autovacuum would soon do anyway, and keeps autovacuum from starting mid-measurement.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


def progress(message: str) -> None:
    print(message, flush=True)


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


def measure(runs: int, do_explain: bool, with_stats: bool = True, only: tuple[str, ...] = ()) \
        -> tuple[list[Row], dict, list[FigureRow]]:
    import hand_sql as hand
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from gonghui.accounts.models import User
    from gonghui.core.periods import Period
    from gonghui.orgs import selectors
    from gonghui.orgs.models import Employer, Org

    load = os.getloadavg()[0]
    today = timezone.localdate()
    # The figures as the start page and the dashboard show them: this year to date.
    period = Period.year_to_date(today)
    root = Org.objects.get(depth=1)
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
                    len(captured), limit_ms=PAGE_TARGET_MS))
    rows.append(Row("… its data only: `children_with_counts(root)`", *paired_medians(page_data, page_sql, runs),
                    len(data_captured)))
    if do_explain:
        explain(captured, "root tree page")
        hi = hand.successor(root.path)
        length = len(root.path) + 4
        explain_sql(hand.TREE_CHILDREN, [length, root.path, hi, root.depth, length, root.path, hi, root.depth + 1],
                    "root tree page")

    # Every registered figure, for the root and for one county, against its twin.
    county = county_of(root)
    figs, answers = measure_figures(runs, root, county, period, only, do_explain)
    facts = {
        "today": today,
        "load": load,
        "orgs": Org.objects.count(),
        "employers": Employer.objects.count(),
        "answers": answers,
        "county": county,
        "period": period,
        "todo": [],
    }
    measure_members(runs, do_explain, rows, facts)
    # The county's twins, summed, are the SQL side of "all metrics" and of the summary (bench/stats.py).
    twin_ms = {f.code: s.sql_ms for f in figs if (s := f.county or f.root) and s.sql_ms is not None}
    if with_stats:
        import stats

        progress("Statistics: every registered figure at once, the dashboard's data, the drill-down and the "
                 "work summary…")
        stats.measure(runs, rows, facts, Row, paired_medians, count_queries, check, period, county, twin_ms)
    b = SimpleNamespace(runs=runs, rows=rows, facts=facts, Row=Row, paired_medians=paired_medians,
                        count_queries=count_queries, check=check, progress=progress, root=root, county=county,
                        admin=User.objects.get(username="admin"), today=today)
    run_optional(b)
    return rows, facts, figs


def county_of(root):
    """The first county under the root (the city demo), or the root when the demo is one county."""
    from gonghui.orgs.models import Org, OrgType

    if root.org_type == OrgType.COUNTY:
        return root
    return Org.objects.filter(depth=2, org_type=OrgType.COUNTY).order_by("path").first() or root


def selected(code: str, only: tuple[str, ...]) -> bool:
    return not only or any(code.startswith(prefix) for prefix in only)


def app_median(func: Callable[[], object], runs: int) -> float:
    """Median ms of `func` after one warm-up (the application alone: the county demo's side of
    the growth ratio, in bench/child.py)."""
    func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_figures(runs: int, root, county, period, only: tuple[str, ...], do_explain: bool) \
        -> tuple[list[FigureRow], dict]:
    """Every registered figure for the root and the county against its twin (bench/twins/): the
    answers checked equal, then both timed. A disagreement is recorded on the row, not raised, so
    that one run lists them all (the run then exits 2). Returns the rows and the answers
    ({"root"|"county": {code: Value}})."""
    import twins
    from django.db import connection
    from hand_sql import path_on

    from gonghui.core.metrics import REGISTRY, compute

    all_twins = twins.all_twins()
    nodes = [("root", root)] + ([("county", county)] if county.pk != root.pk else [])
    codes = [code for code in REGISTRY if selected(code, only)]
    answers: dict[str, dict] = {where: {} for where, _ in nodes}
    out = []
    progress(f"Every registered figure ({len(codes)}) for {root.name}"
             + (f" and {county.name}" if len(nodes) > 1 else "") + f", {period.start}–{period.end}, "
             f"against its twin in bench/twins/ ({sum(c in all_twins for c in codes)} of them have one)…")
    for i, code in enumerate(codes, 1):
        row = FigureRow(code)
        twin = all_twins.get(code)
        if twin is None:
            row.problems.append("no twin")
        for where, org in nodes:
            def app(code=code, org=org):
                return compute(code, org, period)

            def sql(twin=twin, org=org):
                # The node's path on the cut-off is part of the work on both sides.
                with connection.cursor() as cursor:
                    return twin.run(cursor, path_on(cursor, org.pk, org.path, period.end), period)

            value, captured = count_queries(app)
            answers[where][code] = value
            if twin is None:
                side = Side(app_median(app, runs), None, len(captured))
            else:
                want, sql_captured = count_queries(sql)
                if twin.answer(value) != want:
                    row.problems.append(f"MISMATCH {where}: app {twin.answer(value)!r}, twin {want!r}")
                side = Side(*paired_medians(app, sql, runs), len(captured))
            setattr(row, where, side)
            if do_explain:
                explain(captured, f"{code}, {where}")
                if twin is not None:
                    explain(sql_captured, f"{code}, {where} (twin)")
        out.append(row)
        cells = "; ".join(f"{w} {s.app_ms:.1f} / {s.sql_ms if s.sql_ms is not None else float('nan'):.1f} ms"
                          for w, s in (("root", row.root), ("county", row.county)) if s)
        progress(f"  [{i}/{len(codes)}] {code}: {cells}" + ("  " + "; ".join(row.problems) if row.problems else ""))
    return out, answers


def run_optional(b) -> None:
    """The rows of the other benchmark modules present (bench/<name>.py defining measure(b))."""
    for name in OPTIONAL_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        progress(f"{name}: measuring…")
        module.measure(b)


def cutoff(today: dt.date) -> dt.date:
    """The last 30 June up to today: "members as of 30 June" (issue 3)."""
    june = dt.date(today.year, 6, 30)
    return june if june <= today else dt.date(today.year - 1, 6, 30)


def measure_members(runs: int, do_explain: bool, rows: list[Row], facts: dict) -> None:
    """Issue 3 part 9: the roster's first page (subtree filter + name search) and
    `members.total` as of a date, each beside the hand-written SQL."""
    import hand_sql as hand
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from gonghui.accounts.models import User
    from gonghui.core.metrics import compute
    from gonghui.core.periods import Period
    from gonghui.members import selectors
    from gonghui.members.models import Membership
    from gonghui.orgs.models import Org, OrgType

    facts["members"] = Membership.objects.filter(ended_on__isnull=True).count()
    if not facts["members"]:
        facts["todo"].append("members: the demo has no members, so the member rows were skipped")
        return
    admin = User.objects.get(username="admin")
    root = Org.objects.get(depth=1)
    child = Org.objects.filter(depth=2).order_by("path").first()
    child_label = "one county" if root.org_type == OrgType.CITY else "one township"
    town = Org.objects.filter(org_type__in=(OrgType.TOWNSHIP_FED, OrgType.TOWNSHIP_GEN)).order_by("path").first()
    facts["town"] = town
    size = 50

    # The roster's first page: one township's subtree, names starting with 张, as the admin.
    def roster():
        return list(selectors.roster(admin, org=town, q=SURNAME)[:size])

    def roster_sql():
        with connection.cursor() as cursor:
            return hand.roster_page(cursor, town.path, SURNAME, size)

    roster()  # the admin's grants are read once and cached on the user, as in a request
    got, captured = count_queries(roster)
    want = roster_sql()
    check("roster first page", [(m.pk, m.person.name) for m in got], [(r[0], r[1]) for r in want])
    facts["roster"] = (len(want), want[0][1] if want else "")
    label = f"roster first page: `roster(admin, org=township, q=\"{SURNAME}\")[:{size}]`"
    rows.append(Row(label, *paired_medians(roster, roster_sql, runs), len(captured), limit_ms=ROSTER_TARGET_MS))
    if do_explain:
        explain(captured, "roster first page")
        explain_sql(hand.ROSTER_PAGE, hand.roster_params(town.path, SURNAME, size), "roster first page")

    # The same through the page, rendered, as the demo admin.
    try:
        url = reverse("members:roster")
    except NoReverseMatch:
        url = ""
        facts["todo"].append("members roster page: `members:roster` is not in the URLconf yet")
    if url:
        client = Client()
        client.force_login(admin)
        query = {"org": town.code, "q": SURNAME}

        def page():
            response = client.get(url, query)
            if response.status_code != 200:
                raise Mismatch(f"GET {url} answered {response.status_code}")
            return response

        response, captured = count_queries(page)
        shown = [int(pk) for pk in re.findall(r'href="/members/(\d+)/"', response.content.decode())]
        check("roster page (members shown)", shown, [r[0] for r in want])
        rows.append(Row(f"… the township's page `{url}?org=…&q={SURNAME}` (server time, rendered)",
                        *paired_medians(page, roster_sql, runs), len(captured), limit_ms=ROSTER_TARGET_MS))
        if do_explain:
            explain(captured, "roster page")

    # The same search over the admin's whole scope (the roster without a unit filter).
    def roster_all():
        return list(selectors.roster(admin, q=SURNAME)[:size])

    def roster_all_sql():
        with connection.cursor() as cursor:
            return hand.roster_page(cursor, root.path, SURNAME, size)

    got, captured = count_queries(roster_all)
    want_all = roster_all_sql()
    check("roster first page, whole scope", [(m.pk, m.person.name) for m in got], [(r[0], r[1]) for r in want_all])
    rows.append(Row(f"… over the whole scope: `roster(admin, q=\"{SURNAME}\")[:{size}]`",
                    *paired_medians(roster_all, roster_all_sql, runs), len(captured), limit_ms=ROSTER_TARGET_MS))
    if do_explain:
        explain(captured, "roster first page, whole scope")
        explain_sql(hand.ROSTER_PAGE, hand.roster_params(root.path, SURNAME, size), "roster first page, whole scope")

    # members.total as of 30 June, for the root and for its first child.
    at = cutoff(timezone.localdate())
    period = Period(dt.date(at.year, 1, 1), at)
    facts["cutoff"] = at
    for org, where, limit in ((root, "root", TOTAL_TARGET_MS), (child, child_label, None)):
        def app(org=org):
            return compute("members.total", org, period).value

        def sql(org=org):
            with connection.cursor() as cursor:
                return hand.members_total(cursor, org.pk, org.path, at)

        value, captured = count_queries(app)
        check(f"members.total {where}", value, sql())
        facts[f"total {where}"] = value
        rows.append(Row(f"`members.total`, {where}, as of {at}", *paired_medians(app, sql, runs), len(captured),
                        limit_ms=limit))
        if do_explain:
            explain(captured, f"members.total {where}")
            explain_sql(hand.MEMBERS_TOTAL, hand.members_total_params(org.path, at), f"members.total {where}")


# --- the county demo alone (the growth ratio) ------------------------------------------------


def county_alone(db: BenchDatabase, runs: int, codes: list[str], today: dt.date, keep: bool,
                 reuse: str) -> dict:
    """Every figure's application time for the root of the `county` demo built alone, in a
    database of its own (a second temporary data dir on SQLite, `gonghui_bench_<pid>_county` on
    PostgreSQL), measured by bench/child.py in a process of its own (Django holds one database
    per process). Runs before the city's measurements, never beside them: two cores."""
    env = dict(os.environ)
    name = ""
    if db.vendor == "postgresql":
        import psycopg

        name = reuse or f"gonghui_bench_{os.getpid()}_county"
        if not reuse:
            with psycopg.connect(db._admin_conninfo(), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(db.server_url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
        data_dir = Path(tempfile.mkdtemp(prefix="gonghui-bench-county-"))
    else:
        env.pop("DATABASE_URL", None)
        data_dir = Path(reuse).resolve() if reuse else Path(tempfile.mkdtemp(prefix="gonghui-bench-county-"))
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    env["GONGHUI_DATA_DIR"] = str(data_dir)
    params = {"size": "county", "runs": runs, "codes": codes, "today": today.isoformat()}
    try:
        done = subprocess.run([sys.executable, str(HERE / "child.py"), "figures", json.dumps(params)], env=env,
                              stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"the county demo's figures (bench/child.py) failed with status {done.returncode}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if keep or reuse:
            print(f"Kept the county demo's database; reuse it with --reuse-county {name or data_dir}")
        elif name:
            import psycopg

            with psycopg.connect(db._admin_conninfo(), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name or not (keep or reuse):
            shutil.rmtree(data_dir, ignore_errors=True)


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
        result = verdict(r.misses(), informational)
        lines.append(f"| {r.work} | {r.app_ms:.1f} | {r.sql_ms:.1f} | {r.ratio:.2f} | {r.queries} | {result} |")
    return "\n".join(lines)


def bulk_report(bulk: list, informational: bool) -> list[str]:
    import members_io as io_rows

    return [
        "",
        f"Bulk work, each once, end to end in a child process (peak RSS of that process). Targets: import ≤ "
        f"{io_rows.IMPORT_LIMIT_S:.0f} s and ≤ {io_rows.MEMORY_LIMIT_MB:.0f} MB, export ≤ "
        f"{io_rows.EXPORT_LIMIT_S:.0f} s. Floor: the import's rows loaded with COPY (PostgreSQL) or executemany "
        "(SQLite), rolled back; the export's rows in one SELECT written with XlsxWriter.",
        "",
        io_rows.table(bulk, informational),
    ]


def member_facts(facts: dict) -> list[str]:
    if not facts.get("members"):
        return []
    n, first = facts["roster"]
    return [
        f"Members: {facts['members']:,} current memberships; 在会 on {facts['cutoff']}: {facts['total root']:,} "
        f"under the root, {next(v for k, v in facts.items() if k.startswith('total one')):,} under its first "
        f"child. Roster of {facts['town'].name} (`{facts['town'].code}`), names starting with {SURNAME}: "
        f"{n} rows on the first page, the first {first}.",
    ]


def stats_facts(facts: dict) -> list[str]:
    st = facts.get("stats")
    if not st:
        return []
    others = ", ".join(f"`{c}`" for c in st["others"]) or "none"
    return [
        f"Statistics (issue 7) for {st['county'].name} (`{st['county'].code}`), {st['period'].label}: "
        f"{st['metrics']} registered metrics, 会员总数 {st['members'].value:,}; the summary document is "
        f"{st['doc_kb']} KB. Targets: all metrics ≤ 2 s, the document ≤ 5 s; their SQL column is the sum of the "
        f"hand-written figures' medians. Figures without a hand-written twin yet (timed inside all metrics): "
        f"{others}.",
    ]


def answer_facts(facts: dict) -> list[str]:
    answers = facts.get("answers", {})
    root, county = answers.get("root", {}), answers.get("county", answers.get("root", {}))
    if "orgs.unions_total" not in root:
        return []
    rate = root.get("orgs.coverage_rate")
    return [
        f"Answers (equal on both sides): unions under the root {root['orgs.unions_total'].value:,}, under "
        f"{facts['county'].name} {county['orgs.unions_total'].value:,}"
        + (f"; coverage rate {rate.numerator} / {rate.denominator} = {rate.value}%." if rate else "."),
    ]


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def figure_table(figs: list[FigureRow], facts: dict, informational: bool, growth_note: str) -> str:
    """One line per registered figure: the root and the county, each app / twin / ratio / queries,
    then the growth ratio against the county demo alone, and the verdict."""
    county = facts["county"]
    lines = [
        f"Every registered figure ({len(figs)}), {facts['period'].start} – {facts['period'].end}, "
        f"against its hand-written twin (bench/twins/), for the root and for {county.name} (`{county.code}`). "
        f"Targets: each ratio ≤ {RATIO_TARGET}; growth (the county's app ms here ÷ the same figure's app ms "
        f"in the `county` demo alone) ≤ {GROWTH_TARGET}. {growth_note}",
        "",
        "| figure | root app ms | root twin ms | root ratio | root queries | county app ms | county twin ms "
        "| county ratio | county queries | county alone ms | growth | result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for f in figs:
        r, c = f.root, f.county
        lines.append(
            f"| `{f.code}` | {_ms(r and r.app_ms)} | {_ms(r and r.sql_ms)} | {_ratio(r and r.ratio)} | "
            f"{r.queries if r else '—'} | {_ms(c and c.app_ms)} | {_ms(c and c.sql_ms)} | {_ratio(c and c.ratio)} | "
            f"{c.queries if c else '—'} | {_ms(f.alone_ms)} | {_ratio(f.growth)} | "
            f"{verdict(f.misses(), informational)} |")
    return "\n".join(lines)


def report(rows: list[Row], facts: dict, vendor: str, build_s: float, runs: int, size: str,
           bulk: list | None = None, figs: list[FigureRow] | None = None, growth_note: str = "") -> str:
    import django

    informational = vendor != "postgresql"
    head = [
        f"## {database_version()}, {facts['today']}",
        "",
        (f"Demo `{size}` (seed 1): " if build_s else "Demo: ")
        + f"{facts['orgs']:,} orgs, {facts['employers']:,} employers; "
        + (f"built, migrated and analysed in {build_s:.0f} s." if build_s else "reused (--reuse).")
        + f" Median of {runs} runs after one warm-up, application and SQL runs interleaved. Python "
        f"{platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"load average {facts['load']:.1f} at the start.",
        *answer_facts(facts),
        *member_facts(facts),
        *stats_facts(facts),
        f"Targets: ratio ≤ {RATIO_TARGET}, root page ≤ {PAGE_TARGET_MS:.0f} ms server time, roster first page "
        f"≤ {ROSTER_TARGET_MS:.0f} ms, `members.total` for the root ≤ {TOTAL_TARGET_MS:.0f} ms"
        + (" (stated for PostgreSQL; informational here)." if informational else "."),
        "",
        table(rows, informational),
        *(["", figure_table(figs, facts, informational, growth_note)] if figs else []),
        *(bulk_report(bulk, informational) if bulk else []),
        *(["", *(f"TODO: {t}" for t in facts["todo"])] if facts["todo"] else []),
    ]
    return "\n".join(head) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement (default 7)")
    parser.add_argument("--size", default="city", help="demo size (default city; small/county for a quick try)")
    parser.add_argument("--explain", action="store_true", help="print the plan of every query measured")
    parser.add_argument("--no-io", dest="io", action="store_false",
                        help="skip the member export and import rows (they take a few minutes)")
    parser.add_argument("--no-stats", dest="stats", action="store_false",
                        help="skip the statistics rows (every metric, the drill-down, the work summary)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--reuse", metavar="DIR_OR_DB", default="",
                        help="run on a database kept by --keep (SQLite data dir or PostgreSQL database name)")
    parser.add_argument("--no-growth", dest="growth", action="store_false",
                        help="skip the county demo built alone (the growth ratio column)")
    parser.add_argument("--reuse-county", metavar="DIR_OR_DB", default="",
                        help="the county demo's database kept by an earlier --keep run, for the growth ratio")
    parser.add_argument("--only", metavar="PREFIX", action="append", default=[],
                        help="only the figures whose code starts with PREFIX (repeatable; default every figure)")
    args = parser.parse_args(argv)

    with BenchDatabase(keep=args.keep, reuse=args.reuse) as db:
        setup_django()
        what = "reusing" if args.reuse else f"building the `{args.size}` demo (a few minutes for the city) in"
        print(f"Benchmark on {db.vendor}: {what} {db.pg_name or db.data_dir}…", flush=True)
        build_s = build_data(args.size)
        if args.reuse:
            build_s = 0.0
        alone, growth_note = growth_baseline(db, args)
        try:
            rows, facts, figs = measure(args.runs, args.explain, args.stats, tuple(args.only))
        except Mismatch as err:
            print(f"\nMISMATCH: {err}", file=sys.stderr)
            return 2
        for f in figs:
            f.alone_ms = alone.get(f.code)
        if not alone:
            facts["todo"].append(f"growth ratio not measured: {growth_note}")
        bulk: list = []
        if args.io and facts.get("members"):
            import members_io

            print(f"\nExport and import ({members_io.EXPORT_ROWS:,} and {members_io.IMPORT_ROWS:,} rows; a few "
                  "minutes)…", flush=True)
            try:
                bulk, more, reason = members_io.measure(progress, facts["today"])
            except members_io.Failed as err:
                print(f"\nFAILED: {err}", file=sys.stderr)
                return 2
            facts.update(more)
            if reason:
                facts["todo"].append(f"import/export rows not measured: {reason}")
        elif not args.io:
            facts["todo"].append("import/export rows skipped (--no-io)")
        if alone:
            from gonghui.core.metrics import compute

            size = {k: compute(code, facts["county"], facts["period"]).value or 0
                    for k, code in (("members", "members.total"), ("unions", "orgs.unions_total"))}
            growth_note = growth_note.format(**size)
        text = report(rows, facts, db.vendor, build_s, args.runs, args.size, bulk, figs,
                      growth_note if alone else "Growth: not measured in this run (see TODO).")

    print("\n" + text)
    misses = [f"{r.work}: {'; '.join(r.misses())}" for r in [*rows, *bulk] if r.misses()]
    misses += [f"`{f.code}`: {'; '.join(f.misses())}" for f in figs if f.misses()]
    title = "Targets missed:" if db.vendor == "postgresql" else "Targets missed (informational on SQLite):"
    print("\n".join([title, *(f"  - {m}" for m in misses)]) if misses else "All targets met.")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    out = results / f"{db.vendor}-{facts['today']}.md"
    out.write_text(f"# gonghui benchmark\n\n{text}")
    print(f"Written to {out.relative_to(HERE.parent)}")
    wrong = [f.code for f in figs if f.mismatched]
    if wrong:
        print(f"\nMISMATCH: the application and the twin disagree on {', '.join(wrong)}", file=sys.stderr)
        return 2
    return 0


def growth_baseline(db: BenchDatabase, args) -> tuple[dict, str]:
    """({code: app ms for the county demo's root}, a note for the report); empty when the demo
    has no county inside it (small, county) or --no-growth."""
    from django.utils import timezone

    from gonghui.core.metrics import REGISTRY
    from gonghui.orgs.models import Org

    if not args.growth:
        return {}, "--no-growth"
    root = Org.objects.get(depth=1)
    if county_of(root).pk == root.pk:
        return {}, f"the `{args.size}` demo has no county inside a city (the growth ratio needs `--size city`)"
    codes = [code for code in REGISTRY if selected(code, tuple(args.only))]
    progress(f"Growth baseline: the `county` demo alone, every figure for its root ({len(codes)}), in a "
             "database of its own (bench/child.py)…")
    got = county_alone(db, args.runs, codes, timezone.localdate(), args.keep, args.reuse_county)
    return got["ms"], (f"County alone: the `county` demo (seed 1) built in a database of its own; "
                       f"{got['members']:,} members 在会 and {got['unions']:,} unions under its root {got['root']} "
                       "(the county inside the city: {members:,} and {unions:,}; the ratio compares the time, "
                       "not the time per member); application alone, median of "
                       f"{args.runs} runs after one warm-up.")


if __name__ == "__main__":
    sys.exit(main())
