"""The small demo has the honours line's newer records too (teams with a 工人先锋号, 回头看 of every
outcome, 合理化建议 and 技术创新成果, a contest entered by teams, a re-graded title), and the line's
figures agree with their SQL twins on it."""

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from gonghui.core import demo
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.honours.models import Entry, Honour, Innovation, Recheck, Team, TitleLevel
from gonghui.orgs.models import Org

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from hand_sql import path_on  # noqa: E402
from twins.honours import twins  # noqa: E402

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_small_demo(db):
    demo.build("small", 7, TODAY, progress=lambda _: None)
    assert Team.objects.filter(kind="squad").exists() and Team.objects.filter(kind="project").exists()
    assert Honour.objects.filter(team__isnull=False, status="named").exists()
    assert set(Recheck.objects.values_list("outcome", flat=True)) == {"keep", "rectify", "revoke"}
    assert set(Innovation.objects.values_list("kind", "status").distinct()) >= {
        ("suggestion", "adopted"), ("suggestion", "rejected"), ("suggestion", "submitted"), ("innovation", "adopted")}
    assert Entry.objects.filter(team_ref__isnull=False, event__contest__kind="labour").exists()
    assert TitleLevel.objects.filter(valid_to__isnull=False).exists()
    root = Org.objects.get(depth=1)
    nonzero = set()
    with connection.cursor() as cursor:
        for period in (Period.year_to_date(TODAY), Period.year_to_date(TODAY.replace(year=TODAY.year - 1, month=12,
                                                                                        day=31))):
            p = path_on(cursor, root.pk, root.path, period.end)
            for code, twin in twins().items():
                app = twin.answer(compute(code, root, period))
                assert app == twin.run(cursor, p, period), code
                if app not in (0, None, (0, 0)):
                    nonzero.add(code)
    codes = {c for c in REGISTRY if c.startswith("honours.")}
    assert len(nonzero) >= 0.9 * len(codes), sorted(codes - nonzero)
