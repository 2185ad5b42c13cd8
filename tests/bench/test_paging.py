"""bench/paging.py agrees with the application on the small demo: its hand-written keyset pages
list the rows the application's pages list, first and deep, for the roster and the audit log, so
`make bench` cannot go red on a definition that moved (issue 14). Agreement only: nothing is timed
here (the runs are the bench's)."""

import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core import demo, paging
from gonghui.orgs.models import Org

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import paging as bench_paging  # noqa: E402


@dataclass
class Row:
    work: str
    app_ms: float
    sql_ms: float
    queries: int
    limit_ms: float | None = None
    ratio_target: float | None = 1.5


def test_the_paging_rows_agree_with_the_application(db, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    monkeypatch.setattr(paging, "SIZE", 7)  # deep pages in a small demo
    monkeypatch.setattr(paging, "COUNT_CAP", 30)  # and a count that says "更多"
    demo.build("small", 7, timezone.localdate(), progress=lambda _: None)
    checked = []

    def check(label, app, sql):
        checked.append(label)
        assert app == sql, label

    def once(app, sql, runs):
        app(), sql()
        return 1.0, 1.0

    def count_queries(func):
        return func(), []

    root = Org.objects.get(depth=1)
    b = SimpleNamespace(runs=1, rows=[], facts={}, Row=Row, paired_medians=once, count_queries=count_queries,
                        check=check, progress=lambda _msg: None, root=root, county=root,
                        admin=User.objects.get(username="admin"), today=timezone.localdate())
    bench_paging.measure(b)
    assert not b.facts.get("todo"), b.facts.get("todo")
    assert len(b.rows) == 10
    for key in ("roster", "audit"):
        assert b.facts[f"paging_{key}_rows"] > 2 * paging.SIZE
        for where in ("first", "deep"):
            assert f"paging {key} {where} page (rows)" in checked
            assert f"paging {key} {where} page as served" in checked
        assert f"paging {key} first page (count)" in checked
