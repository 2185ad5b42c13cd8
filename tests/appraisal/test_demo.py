"""The demo builder: schemes issued and partly scored, a round in every submission state."""

import datetime as dt
import random

import pytest

from gonghui.appraisal.demo import build_appraisal
from gonghui.appraisal.live import score_scheme
from gonghui.appraisal.models import AppraisalStatus, Scheme, Submission, SubmissionStatus
from gonghui.core import demo
from gonghui.orgs.demo import build_orgs

TODAY = dt.date(2026, 6, 30)
pytestmark = pytest.mark.django_db


def test_demo_schemes_and_rounds_cover_every_state():
    ctx = demo.DemoContext(demo.SIZES["small"], 7, TODAY, random.Random(7))
    build_orgs(ctx)
    build_appraisal(ctx)
    scheme = Scheme.objects.order_by("pk").first()
    assert scheme is not None and scheme.status == "issued"
    statuses = set(scheme.appraisals.values_list("status", flat=True))
    assert {AppraisalStatus.OPEN, AppraisalStatus.SUBMITTED, AppraisalStatus.REVIEWED} <= statuses
    result = score_scheme(scheme, today=TODAY)
    assert [r.rank for r in result.rows] == sorted(r.rank for r in result.rows)
    assert all(0 <= r.outcome.total <= 105 for r in result.rows)
    assert any(r.outcome.vetoed for r in result.rows) or len(result.rows) < 6
    assert set(Submission.objects.values_list("status", flat=True)) == set(SubmissionStatus.values)
