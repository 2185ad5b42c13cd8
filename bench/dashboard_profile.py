"""Where the dashboard's and the work summary's time goes (issue 14, item 3), on a kept bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<kept bench db> .venv/bin/python bench/dashboard_profile.py [--top 25] [--summary]

Prints, for the root (and the first county): every registered figure timed alone (this year so far
and last year's same period), the slowest first with its share of the total; then `figures()` (what
the dashboard and the summary compute: both periods, last year's on a second connection on
PostgreSQL) from an empty figure cache, with and without the shared reads of core.metrics.sharing;
with --summary, the work summary's context in its phases. The bench's fixed keys are set, so the
synthetic members decrypt. Nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")

import volume  # noqa: E402

volume.use_keys(override=False)


def ms(func):
    started = time.perf_counter()
    out = func()
    return (time.perf_counter() - started) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--no-county", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from gonghui.core import clock
    from gonghui.core.periods import Period
    from gonghui.orgs.models import Org
    from gonghui.reports import figures as F

    root = Org.objects.get(depth=1)
    county = Org.objects.filter(depth=2, path__startswith=root.path).order_by("path").first()
    period = Period.year_to_date(clock.today())
    ly = F.last_year(period)
    nodes = [root] + ([county] if county is not None and not args.no_county else [])
    for org in nodes:
        profile(org, period, ly, args)


def profile(org, period, ly, args) -> None:
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from gonghui.core import metrics as M
    from gonghui.reports import figures as F

    print(
        f"\n== {org.name} ({org.code}), {len(M.REGISTRY)} figures, {period.start} – {period.end} and last year's"
    )
    rows = []
    for code in M.REGISTRY:
        M.compute(code, org, period)  # warm
        a, _ = ms(lambda code=code: M.compute(code, org, period))
        b, _ = ms(lambda code=code: M.compute(code, org, ly))
        rows.append((a + b, a, b, code))
    rows.sort(reverse=True)
    total = sum(r[0] for r in rows)
    print(f"every figure alone, both periods: {total:.0f} ms")
    by_line: dict[str, float] = {}
    for r in rows:
        by_line[r[3].split(".")[0]] = by_line.get(r[3].split(".")[0], 0) + r[0]
    print("by line: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(by_line.items(), key=lambda kv: -kv[1])))
    for both, a, b, code in rows[: args.top]:
        print(f"  {code:48s} {a:8.1f} {b:8.1f}  {100 * both / total:5.1f}%")
    for label, use_sharing in (
        ("figures() without shared reads", False),
        ("figures() with shared reads", True),
    ):
        times = []
        for _ in range(2):
            cache.clear()
            reset_queries()
            if use_sharing:
                t, _ = ms(lambda: F.figures(org, period))
            else:
                real = M.sharing
                from contextlib import nullcontext

                M.sharing = nullcontext
                import gonghui.core.figcache as FC

                FC.sharing = nullcontext
                try:
                    t, _ = ms(lambda: F.figures(org, period))
                finally:
                    M.sharing = real
                    FC.sharing = real
            times.append(t)
        print(f"{label}: {min(times):.0f} ms (best of 2, empty figure cache)")
    if args.summary:
        from gonghui.reports import summary

        cache.clear()
        with CaptureQueriesContext(connection) as q:
            t, _ = ms(lambda: summary.render(org, period))
        print(f"work summary .docx: {t:.0f} ms, {len(q)} queries on this connection")
        cache.clear()
        t, kids = ms(lambda: F.children_on(org, period.end))
        print(f"  children_on: {t:.0f} ms")
        t, _ = ms(lambda: F.figures(org, period))
        print(f"  figures (both years): {t:.0f} ms")
        from gonghui.reports.summary import problems

        groups = F.figures(org, period)
        t, _ = ms(lambda: problems(org, period, groups, kids))
        print(f"  problems (the rates' breakdowns): {t:.0f} ms")
        import io

        from docxtpl import DocxTemplate

        tpl = DocxTemplate(io.BytesIO(summary.template_for(org)[0]))
        t, _ = ms(lambda: summary.charts(org, period, None, kids, tpl))
        print(f"  charts (breakdowns and drawing): {t:.0f} ms")


if __name__ == "__main__":
    main()
