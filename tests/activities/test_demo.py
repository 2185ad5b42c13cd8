"""The demo builder: lists and typed figures, open, closed, on-the-spot and overdue findings,
figures non-empty."""

import datetime as dt
import random

from gonghui.activities.demo import build_activities
from gonghui.activities.models import Activity, Attendance, Finding, PostVisitDay
from gonghui.core import demo
from gonghui.core.metrics import compute
from gonghui.core.periods import Period

TODAY = dt.date(2026, 3, 15)


def _build(seed=3):
    ctx = demo.DemoContext(demo.SIZES["small"], seed, TODAY, random.Random(seed))
    for b in demo.ordered():
        if b.app in ("orgs", "members"):
            b.func(ctx)
    build_activities(ctx)
    return ctx


def test_demo_has_every_state_and_figures(db):
    ctx = _build()
    assert Activity.objects.filter(from_attendance=True).exists()
    assert Activity.objects.filter(from_attendance=False, person_times__isnull=False).exists()
    assert Attendance.objects.count() > 50 and PostVisitDay.objects.exists()
    assert Finding.objects.filter(on_spot=True).exists() and Finding.objects.filter(closed_on__isnull=True).exists()
    assert Finding.objects.filter(on_spot=False, closed_on__isnull=False).exists()
    root, year = ctx.data["root"], Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    for code in ("activities.sessions", "activities.persons", "activities.person_times", "activities.post_visits",
                 "activities.findings", "activities.publicity"):
        assert compute(code, root, Period(dt.date(2025, 1, 1), TODAY)).value, code
    assert compute("activities.findings_overdue", root, year).value > 0
