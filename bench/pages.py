"""Issue 14 item 3: the start page and the statistics dashboard, server time with rendering.

Rows (called by bench/run.py as `measure(b)`):

- `/` for the demo admin at the root: the workbench's first response (target 300 ms), also as the
  first page of a new session, and the two fragments it fetches after it arrives (to-do items;
  headline figures, first computation);
- `/reports/` at the root on first view (the figure cache cleared before each timed run): the first
  response, and the whole first view (the page and, on a large subtree, the group and chart
  fragments it fetches as soon as it arrives, one after another: the server's total work for
  what the first screen shows; target 1.5 s); then, once, scrolled to the end (every group,
  including those fetched when they come into view);
- the same dashboard when nothing changed since (served from the figure cache; target 200 ms);
- a county's dashboard on first view: the first response (target 500 ms) and the whole.

The SQL column of a dashboard row is the sum of its figures' hand-written twins (bench/twins/),
this year's and last year's, run one after another: what computing the figures alone costs when
written by hand. The start page computes no figure; its SQL column is the hand-written form of its
own reads (the user's last audit entries, the latest in scope), so its ratio is shown, not judged.
"""

from __future__ import annotations

import re
import time

START_LIMIT_MS = 300.0
DASHBOARD_LIMIT_MS = 1500.0
CACHED_LIMIT_MS = 200.0
COUNTY_FIRST_LIMIT_MS = 500.0

FRAGMENT = re.compile(r'hx-get="(/reports/[^"]+/(?:group|chart)/\?[^"]+)"(?: hx-trigger="([^"]+)")?')


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get("/todo/")  # the session's to-do badge is counted once per session, not per page
    return client


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def _whole(client, url: str, scrolled: bool = False) -> tuple[int, float]:
    """The page and every fragment it fetches as soon as it arrives (hx-trigger "load"), one after
    another; `scrolled`: also those fetched when scrolled into view (every group of the dashboard).
    (fragments fetched, the slowest one's ms)."""
    page = _get(client, url).content.decode()
    fragments = [u.replace("&amp;", "&") for u, trigger in FRAGMENT.findall(page)
                 if scrolled or trigger in ("", "load")]
    slowest = 0.0
    for u in fragments:
        started = time.perf_counter()
        _get(client, u)
        slowest = max(slowest, (time.perf_counter() - started) * 1000)
    return len(fragments), slowest


def _median_ms(func, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2]


def _twins_sql(org, periods):
    """A callable running every registered figure's twin for the node and each period, or None
    when bench/twins/ is not there. Figures without a twin are left out (and counted)."""
    try:
        import twins
    except ModuleNotFoundError:
        return None, 0
    from django.db import connection
    from hand_sql import path_on

    from gonghui.core.metrics import REGISTRY

    found = twins.all_twins()
    missing = sum(1 for code in REGISTRY if code not in found)

    def run():
        with connection.cursor() as cursor:
            for period in periods:
                p = path_on(cursor, org.pk, org.path, period.end)
                for code in REGISTRY:
                    if code in found:
                        found[code].run(cursor, p, period)

    return run, missing


def _workbench_sql(user):
    """The start page's reads written by hand: the user's last entries and the latest in scope."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq, created_at, action, object_label, org_path FROM core_auditevent "
                           "WHERE actor_id = %s ORDER BY created_at DESC LIMIT 8", [user.pk])
            cursor.fetchall()
            cursor.execute("SELECT seq, created_at, action, object_label, org_path FROM core_auditevent "
                           "WHERE org_path <> '' AND (actor_id IS NULL OR actor_id <> %s) ORDER BY seq DESC LIMIT 8",
                           [user.pk])
            cursor.fetchall()

    return run


def measure(b) -> None:
    from django.core.cache import cache

    from gonghui.core.periods import Period
    from gonghui.reports.figures import last_year

    runs = max(3, b.runs)
    period = Period.year_to_date(b.today)
    client = _client(b.admin)

    # --- the start page ---------------------------------------------------------------------
    b.progress("pages: the start page…")
    _, captured = b.count_queries(lambda: _get(client, "/"))
    app_ms, sql_ms = b.paired_medians(lambda: _get(client, "/"), _workbench_sql(b.admin), runs)
    b.rows.append(b.Row(f"start page `/` at {b.root.name} (workbench, first response)", app_ms, sql_ms,
                        len(captured), limit_ms=START_LIMIT_MS, ratio_target=None))
    def fresh_session():
        from django.test import Client

        fresh = Client()
        fresh.force_login(b.admin)
        return fresh

    sessions = []
    fresh_ms = _median_ms(lambda: _get(sessions[-1], "/"), runs, before=lambda: sessions.append(fresh_session()))
    new = fresh_session()
    _, captured = b.count_queries(lambda: _get(new, "/"))
    b.rows.append(b.Row("… the first `/` of a new session (right after login; the to-do badge is left to the "
                        "fragment)", fresh_ms, sql_ms, len(captured), limit_ms=START_LIMIT_MS, ratio_target=None))
    _, captured = b.count_queries(lambda: _get(client, "/workbench/todo/"))
    todo_ms = _median_ms(lambda: _get(client, "/workbench/todo/"), runs)
    b.rows.append(b.Row("… its to-do fragment `/workbench/todo/` (every reminder, fetched after the page)", todo_ms,
                        todo_ms, len(captured), ratio_target=None))
    _, captured = b.count_queries(lambda: (cache.clear(), _get(client, "/workbench/figures/")))
    figures_ms = _median_ms(lambda: _get(client, "/workbench/figures/"), runs, before=cache.clear)
    b.rows.append(b.Row("… its headline figures `/workbench/figures/` (4 figures, cache cleared)", figures_ms,
                        figures_ms, len(captured), ratio_target=None))

    # --- the dashboard ----------------------------------------------------------------------
    periods = (period, last_year(period))
    for org, label, first_limit, whole_limit in (
            (b.root, "root", None, DASHBOARD_LIMIT_MS),
            (b.county, "county", COUNTY_FIRST_LIMIT_MS, None)):
        if label == "county" and org.pk == b.root.pk:
            continue  # the county demo: its root is the county, measured above
        b.progress(f"pages: the dashboard of {org.name} (first view, then cached)…")
        url = f"/reports/{org.code}/"
        twins_sql, missing = _twins_sql(org, periods)
        sql_ms = _median_ms(twins_sql, max(1, runs // 2)) if twins_sql else 0.0
        note = (f"SQL: its figures' twins, both periods{f', {missing} figures without a twin' if missing else ''}"
                if twins_sql else "no twins")
        cache.clear()
        (fragments, _slowest), captured = b.count_queries(lambda url=url: _whole(client, url))
        first_ms = _median_ms(lambda url=url: _get(client, url), runs, before=cache.clear)
        b.rows.append(b.Row(f"dashboard `{url}` ({label}) first view: first response"
                            f"{f' ({fragments} groups and charts follow)' if fragments else ''}", first_ms, sql_ms,
                            len(captured), limit_ms=first_limit, ratio_target=None))
        # The whole first view (each run from an empty cache), and its slowest fragment in the same runs:
        # at city size one run computes every figure twice over (this year, last year).
        wholes, slowest = [], []
        for _ in range(runs):
            cache.clear()
            started = time.perf_counter()
            slowest.append(_whole(client, url)[1])
            wholes.append((time.perf_counter() - started) * 1000)
        wholes.sort()
        slowest.sort()
        b.rows.append(b.Row(f"… the whole first view: the page and the fragments it fetches at once, one after another ({note})",
                            wholes[len(wholes) // 2], sql_ms, len(captured), limit_ms=whole_limit,
                            ratio_target=1.5 if twins_sql else None))
        # Scrolled to the end: every group computed (the groups below the first screen are fetched
        # when they come into view), from an empty cache: the server's whole work for the page.
        cache.clear()
        started = time.perf_counter()
        (every, _slowest), captured_all = b.count_queries(lambda url=url: _whole(client, url, scrolled=True))
        if every > fragments:
            b.rows.append(b.Row(f"… scrolled to the end: the page and all {every} fragments one after another (every "
                                f"figure group; {note})", (time.perf_counter() - started) * 1000, sql_ms,
                                len(captured_all), ratio_target=None))
        if fragments:
            b.rows.append(b.Row("… its slowest fragment (the browser fetches them at once: with as many server "
                                "workers, the whole page is there after the page and this)", slowest[len(slowest) // 2],
                                sql_ms, len(captured), ratio_target=None))
        _whole(client, url, scrolled=True)  # every figure now cached
        _, captured = b.count_queries(lambda url=url: _get(client, url))
        cached_ms = _median_ms(lambda url=url: _get(client, url), runs)
        b.rows.append(b.Row(f"… dashboard `{url}` ({label}) when nothing changed since (figure cache)", cached_ms,
                            sql_ms, len(captured), limit_ms=CACHED_LIMIT_MS, ratio_target=None))
    cache.clear()
