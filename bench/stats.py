"""Issue 7 part 9: every registered figure for a county at once, the dashboard's data, the
drill-down and the work summary, beside hand-written SQL.

Targets: all metrics of the registry for the county ≤ 2 s, the summary document ≤ 5 s (on
PostgreSQL). The SQL column of those two rows is the sum of the figures' twins (bench/twins/),
as bench/run.py timed them for the same county and period; each figure has its own line in
bench/run.py's figure table.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

from hand_sql import path_on
from twins import placed

ALL_METRICS_LIMIT_MS = 2000.0
SUMMARY_LIMIT_MS = 5000.0


# Members 在会 on the cut-off by the first tree step below the node, from the periods' own
# path (a period carries its union's path on the days it covers).
BY_TOWNSHIP = """
SELECT substr(s.path, 1, %s), COUNT(*) FROM members_memberstatusperiod s
WHERE s.status = 'active' AND s.path >= %s AND s.path < %s AND s.valid_from <= %s
  AND (s.valid_to IS NULL OR s.valid_to > %s)
GROUP BY substr(s.path, 1, %s)
"""


def members_by_child(cursor, p, period):
    at = period.end
    cursor.execute(BY_TOWNSHIP, [len(p) + 4, *placed(p, at), len(p) + 4])
    return dict(cursor.fetchall())


def measure(runs, rows, facts, Row, paired_medians, count_queries, check, period, county,  # noqa: N803
            twin_ms: dict) -> None:
    """Append the statistics rows to `rows` (bench/run.py's Row, helpers passed in), for `county`
    and `period`; `twin_ms` holds each figure's twin median for that county ({code: ms})."""
    import time

    from django.core.cache import cache
    from django.db import connection

    from gonghui.core.metrics import REGISTRY, compute_all
    from gonghui.reports import figures, summary

    at = period.end
    sql_total = sum(twin_ms.values())

    def all_metrics():
        return compute_all(county, period)

    values, captured = count_queries(all_metrics)
    started = time.perf_counter()
    all_metrics()
    timings = []
    for _ in range(max(1, runs // 2)):
        started = time.perf_counter()
        all_metrics()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    rows.append(Row(f"all {len(REGISTRY)} registered metrics for the county (`compute_all`)", timings[len(timings) // 2],
                    sql_total, len(captured), limit_ms=ALL_METRICS_LIMIT_MS, ratio_target=None))

    # The dashboard's data: every figure and last year's (on PostgreSQL last year's on a second
    # connection), checked against compute_all.
    ly = figures.last_year(period)
    last = compute_all(county, ly)

    def dashboard_data():
        cache.clear()  # a first view: figures() would otherwise serve the cached figures (core.figcache)
        return figures.figures(county, period)

    def dashboard_sql():
        return all_metrics(), compute_all(county, ly)

    got, captured = count_queries(dashboard_data)
    flat = {f.metric.code: (f.value, f.last_year) for figs in got.values() for f in figs}
    check("dashboard figures", flat, {code: (values[code], last[code]) for code in values})
    started = time.perf_counter()
    dashboard_data()
    data_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    dashboard_sql()
    sequential_ms = (time.perf_counter() - started) * 1000
    rows.append(Row("… with last year's too (`figures()`, the dashboard's and the summary's data; SQL column: "
                    "the same two `compute_all` one after the other)", data_ms, sequential_ms, len(captured),
                    ratio_target=None))

    # The drill-down: members.total by township, one grouped query, against the grouped SQL.
    def drill():
        return figures.breakdown("members.total", county, period)

    def drill_sql():
        with connection.cursor() as cursor:
            return members_by_child(cursor, path_on(cursor, county.pk, county.path, at), period)

    b, captured = count_queries(drill)
    check("members.total by township", {x.path: x.value.value for x in b.parts if x.value.value},
          {k: v for k, v in drill_sql().items() if v})
    rows.append(Row(f"drill-down `members.total` by subordinate ({len(b.children)} townships)",
                    *paired_medians(drill, drill_sql, runs), len(captured)))

    # The work summary: every figure, last year's, the problems, the charts, rendered to .docx.
    def document():
        cache.clear()  # the figures computed, not read from the figure cache
        return summary.render(county, period)

    started = time.perf_counter()
    content, captured = count_queries(document)
    doc_ms = (time.perf_counter() - started) * 1000
    rows.append(Row("work summary .docx for the county (figures, last year, problems, charts)", doc_ms, sql_total,
                    len(captured), limit_ms=SUMMARY_LIMIT_MS, ratio_target=None))
    others = [c for c in REGISTRY if c not in twin_ms]
    facts["stats"] = {"county": county, "period": period, "metrics": len(REGISTRY), "others": others,
                      "members": values.get("members.total"), "doc_kb": len(content) // 1024}
