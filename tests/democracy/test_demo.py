"""The small demo has democracy records in every 提案 status, some late, and the figures agree
with their SQL twins on it."""

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from gonghui.core import demo
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.democracy.models import Opinion, Proposal, Status
from gonghui.orgs.models import Org

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from hand_sql import path_on  # noqa: E402
from twins.democracy import twins  # noqa: E402

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_small_demo(db):
    demo.build("small", 7, TODAY, progress=lambda _: None)
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Proposal.objects.filter(status=Status.ASSIGNED, due_on__lt=TODAY).exists()  # late answers
    assert Opinion.objects.filter(answered_on__isnull=True, due_on__lt=TODAY).exists()
    root = Org.objects.get(depth=1)
    period = Period.year_to_date(TODAY)
    nonzero = set()
    with connection.cursor() as cursor:
        p = path_on(cursor, root.pk, root.path, period.end)
        for code, twin in twins().items():
            app = twin.answer(compute(code, root, period))
            assert app == twin.run(cursor, p, period), code
            if app not in (0, None, (0, 0)):
                nonzero.add(code)
    codes = {c for c in REGISTRY if c.startswith("democracy.")}
    assert len(nonzero) >= 0.8 * len(codes), sorted(codes - nonzero)
