"""Issue 14 item 4: every standard table and the Word summary, for the root and for one county.

Rows: each work line's registered table (`core.tables`, rows + its .xlsx), the workbook of every
metric group (`reports.tables.write`) and the work summary .docx (`reports.summary.render`), each
with its query count (a number that must not grow with the subordinates; tests/reports/
test_table_queries.py checks that) and its time against the absolute target of 3 s.

The SQL column is the sum of the figures' hand-written twins (bench/twins/) for the same node and
period, run one after the other: the totals the table or summary shows. It is a reference, not a
like-for-like twin (a table also computes every subordinate's part, the summary last year's figures
as well as this year's, its problems and a chart), so the rows carry no ratio target. Where a
figure has no twin yet the SQL column leaves it out and the row says so.

On PostgreSQL the summary computes its figures on two other connections while it draws the charts
(reports.figures.in_parallel): its query count is the drawing thread's only. The test that the
counts do not grow with the subordinates runs everything on one connection.

Every run starts from an empty cache: the dashboards' figure cache (core.figcache) would otherwise
answer the summary's figures from the previous run.

The table's totals row is checked against the twins (`b.check`): the table and the SQL agree.
"""

# ruff: noqa: S608 - no SQL is assembled here; the twins hold theirs

from __future__ import annotations

TARGET_MS = 3000.0


def _twins() -> dict:
    try:
        import twins
    except ModuleNotFoundError:
        return {}
    return twins.all_twins()


def measure(b) -> None:
    from django.core.cache import cache
    from django.db import connection

    from gonghui.core.metrics import REGISTRY, percent
    from gonghui.core.periods import Period
    from gonghui.core.tables import TABLES
    from gonghui.reports import figures as F
    from gonghui.reports import summary
    from gonghui.reports import tables as T

    all_twins = _twins()
    period = Period.year_to_date(b.today)
    periods = (period, F.last_year(period))
    nodes = [("city root" if b.root.pk != b.county.pk else "root", b.root)]
    if b.county.pk != b.root.pk:
        nodes.append(("county", b.county))

    def twin_sum(org, codes, pers):
        """The twins of `codes` for `org`, one after the other: {code: answer} of the first period."""
        from hand_sql import path_on

        out = {}
        with connection.cursor() as cursor:
            for per in pers:
                p = path_on(cursor, org.pk, org.path, per.end)
                for code in codes:
                    if code in all_twins:
                        answer = all_twins[code].run(cursor, p, per)
                        out.setdefault(code, answer)
        return out

    def fresh(func):
        def run():
            cache.clear()
            return func()

        return run

    for where, org in nodes:
        works = []
        for table in TABLES.values():
            def rows(table=table, org=org):
                content = T.write_standard(table, org, period, T.standard_rows(table, org, period))
                return content

            works.append((f"standard table {table.title} (`{table.key}`, rows + .xlsx) for the {where}", rows,
                          table.metrics, (period,), table))
        works.append((f"workbook of every metric group (`reports.tables.write`) for the {where}",
                      lambda org=org: T.write(org, period), list(REGISTRY), (period,), None))
        works.append((f"work summary .docx (`gonghui summary`) for the {where}",
                      lambda org=org: summary.render(org, period), list(REGISTRY), periods, None))
        for label, app, codes, pers, table in works:
            b.progress(f"tables_rows: {label}…")
            missing = [c for c in codes if c not in all_twins]

            def sql(org=org, codes=codes, pers=pers):
                return twin_sum(org, codes, pers)

            if table is not None:
                _check_totals(b, label, table, org, period, sql(), all_twins, percent, T)
            _, captured = b.count_queries(fresh(app))
            app_ms, sql_ms = b.paired_medians(fresh(app), sql, b.runs)
            if missing:
                label += f" (SQL column without {len(missing)} figure(s) that have no twin)"
            b.rows.append(b.Row(label, app_ms, sql_ms, len(captured), limit_ms=TARGET_MS, ratio_target=None))
            b.facts.setdefault("tables_rows", {})[label] = {"queries": len(captured), "missing_twins": missing}


def _check_totals(b, label, table, org, period, answers, all_twins, percent, T) -> None:
    """The table's totals row against the twins, column by column."""
    total = T.standard_rows(table, org, period)[-1].cells
    got, want = {}, {}
    for column, cell in zip(table.columns, total, strict=True):
        twin = all_twins.get(column.metric)
        if twin is None:
            continue
        answer = answers[column.metric]
        if twin.shape == "fraction":
            num, den = answer
            expected = {"numerator": num, "denominator": den, "value": percent(num, den)}[column.part]
        else:
            expected = answer
        got[column.header], want[column.header] = cell, expected
    b.check(f"{label}: totals row", got, want)
