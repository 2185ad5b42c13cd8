"""Property tests: the stored due dates obey the law's counting rules across the seeded
2024–2026 holiday calendar (calendar days roll forward past days off; working days skip
holidays and count 调休 weekends). The oracle below reads the calendar table itself."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core.models import CalendarDay
from gonghui.petitions import services

from .conftest import make_petition

D = dt.date
pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 10, 31))
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def working(day: dt.date) -> bool:
    row = CalendarDay.objects.filter(date=day).values_list("kind", flat=True).first()
    if row is not None:
        return row == CalendarDay.Kind.WORKDAY
    return day.weekday() < 5


def test_the_calendar_is_seeded_with_holidays():
    assert not working(D(2025, 10, 1)) and working(D(2025, 9, 28))  # a holiday, a 调休 Sunday


@SETTINGS
@given(start=starts, days=st.sampled_from([15, 30, 60]))
def test_calendar_day_periods_end_on_the_first_working_day_on_or_after_the_nominal_day(db, start, days):
    due = services.due(start, {15: "NOTICE", 30: "REVIEW", 60: "CONCLUDE"}[days])
    nominal = start + dt.timedelta(days=days)
    assert due >= nominal and working(due)
    day = nominal
    while day < due:  # everything skipped is a day off
        assert not working(day), (start, day)
        day += DAY


@SETTINGS
@given(start=starts)
def test_objection_period_is_exactly_five_working_days(db, start):
    due = services.due(start, "OBJECTION")
    assert working(due)
    count, day = 0, start
    while day < due:
        day += DAY
        count += working(day)
    assert count == 5


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(received=st.dates(min_value=D(2024, 1, 1), max_value=D(2025, 10, 31)), notice_after=st.integers(0, 20))
def test_stored_dates_follow_the_rules_and_lateness_matches_them(tree, today, received, notice_after):
    p = make_petition(tree.town_a, received_on=received, channel="forwarded")
    assert p.notice_due == services.due(received, "NOTICE")
    assert p.objection_due == services.due(received, "OBJECTION") and p.objection_due <= p.notice_due
    notice_on = received + dt.timedelta(days=notice_after)
    p = services.petition_accept(actor=None, petition=p, notice_on=notice_on)
    assert p.notice_late == (notice_on > p.notice_due)
    assert p.close_due == services.due(notice_on, "CONCLUDE") and p.close_due >= notice_on + dt.timedelta(days=60)
