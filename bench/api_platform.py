"""The platform's API reads at city size (issue 24): the list filters of orgs, employers, members and
petitions, a figure's breakdown and its records, read through the application with a token of a system
administrator of the city root; each its wall time (median of `--repeat`) and its query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/api_platform.py gh_<you>_city [--repeat 3]

The database is a kept bench database (a copy of the city template); the user `bench_api` with a grant
at the root and a token are created in it (as bench/api_lines.py does)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from volume import open_database  # noqa: E402

URLS = [
    "/api/v1/orgs/?q=zg",
    "/api/v1/employers/?uncovered=true&required=true",
    "/api/v1/members/?gender=2&age_min=30&age_max=40",
    "/api/v1/members/?joined_from=2024-01-01&migrant=1",
    "/api/v1/petitions/?status=registered",
    "/api/v1/petitions/?overdue=true",
    "/api/v1/stats/members.total/breakdown/",
    "/api/v1/stats/orgs.coverage_rate/breakdown/",
    "/api/v1/stats/members.total/records/",
    "/api/v1/stats/orgs.coverage_rate/records/?part=gap",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("GONGHUI_API_RATE", "100000/min")
    open_database(args.database, "api_platform")

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gonghui.accounts.models import Grant, Role, User
    from gonghui.api import services
    from gonghui.orgs.models import Org

    settings.ALLOWED_HOSTS = ["*"]
    root = Org.objects.filter(depth=1).order_by("path").first()
    user, created = User.objects.get_or_create(username="bench_api", defaults={
        "display_name": "bench_api", "home_org": root, "must_change_password": False})
    if created:
        Grant.objects.create(user=user, org=root, role=Role.objects.get(name="系统管理员"))
    _token, raw = services.token_create(actor=user, user=user, name="bench", days=30)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    print(f"{'request':<58} {'status':>6} {'ms':>9} {'q':>3}")
    for url in URLS:
        times, queries, r = [], 0, None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            queries = len(ctx.captured_queries)
        print(f"{url:<58} {r.status_code:>6} {statistics.median(times):>9.1f} {queries:>3}", flush=True)


if __name__ == "__main__":
    main()
