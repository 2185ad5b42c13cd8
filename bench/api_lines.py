"""The work lines' API lists at city size (issue 24): the first page, the next page and one detail of
every line's list under /api/v1/, read through the application with a token of a system administrator
of the city root, each its wall time (median of `--repeat`) and its query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/api_lines.py gh_<you>_city [--repeat 3] [--org CODE]

The database is a kept bench database (a copy of the city template); a user `bench_api` with a grant
at the root and a token are created in it. The query count of a page must not depend on the data."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from volume import open_database  # noqa: E402

PREFIXES = ("contracts", "archives", "applications", "receipts", "refunds", "claims", "proposals", "model-workers",
            "honours", "activities", "appraisals", "submissions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--org", default="", help="also read each list filtered to this org code")
    args = parser.parse_args()
    os.environ.setdefault("GONGHUI_API_RATE", "100000/min")  # the bench reads more than a token may
    open_database(args.database, "api_lines")

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gonghui.accounts.models import Grant, Role, User
    from gonghui.api import registry, services
    from gonghui.orgs.models import Org

    settings.ALLOWED_HOSTS = ["*"]
    registry.load()  # as the URLconf does
    root = Org.objects.filter(depth=1).order_by("path").first()
    user, created = User.objects.get_or_create(username="bench_api", defaults={
        "display_name": "bench_api", "home_org": root, "must_change_password": False})
    if created:
        Grant.objects.create(user=user, org=root, role=Role.objects.get(name="系统管理员"))
    _token, raw = services.token_create(actor=user, user=user, name="bench", days=30)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def timed(url: str):
        times, queries, response = [], 0, None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            queries = len(ctx.captured_queries)
        return response, statistics.median(times), queries

    print(f"{'list':<14} {'rows':>9} {'page 1 ms':>9} {'q':>3} {'page 2 ms':>9} {'q':>3} {'detail ms':>9} {'q':>3}"
          + (f" {'org ' + args.org + ' ms':>12} {'q':>3}" if args.org else ""))
    for prefix in PREFIXES:
        viewset = registry.RESOURCES[prefix][0]
        rows = viewset.base_queryset(viewset()).count()
        r, t1, q1 = timed(f"/api/v1/{prefix}/")
        assert r.status_code == 200, (prefix, r.content[:300])
        body = r.json()
        t2 = q2 = td = qd = None
        if body["next"]:
            r2, t2, q2 = timed(body["next"])
            assert r2.status_code == 200
        if body["results"]:
            rd, td, qd = timed(f"/api/v1/{prefix}/{body['results'][0]['id']}/")
            assert rd.status_code == 200
        line = f"{prefix:<14} {rows:>9} {t1:>9.1f} {q1:>3} " + (
            f"{t2:>9.1f} {q2:>3} " if t2 is not None else f"{'–':>9} {'–':>3} ") + (
            f"{td:>9.1f} {qd:>3}" if td is not None else f"{'–':>9} {'–':>3}")
        if args.org:
            ro, to, qo = timed(f"/api/v1/{prefix}/?org={args.org}")
            assert ro.status_code == 200, (prefix, ro.content[:300])
            line += f" {to:>12.1f} {qo:>3}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
