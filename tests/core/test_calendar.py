"""Working-day arithmetic on the seeded 2024–2026 calendar and on hand-made exceptions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.core import calendar
from gonghui.core.calendar import WorkCalendar
from gonghui.core.errors import ServiceError
from gonghui.core.models import CalendarDay

D = dt.date


@pytest.mark.django_db
def test_the_seeded_2026_spring_festival_and_its_working_saturdays():
    # Friday 13 Feb + 5 working days: Sat 14 Feb is a 调休 working day, 15–23 Feb are off.
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert calendar.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert calendar.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert calendar.add_working_days(D(2026, 2, 13), 6) == D(2026, 2, 28)  # Saturday, 调休


@pytest.mark.django_db
def test_national_day_2026():
    # Signed on Wed 30 Sep: 5 working days skip 1–7 Oct and Sun 4 Oct, counting Sat 10 Oct.
    assert calendar.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert calendar.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


@pytest.mark.django_db
def test_calendar_days_roll_forward_when_the_last_day_is_off():
    # 20 days from 12 Jan 2026 is Sun 1 Feb -> Mon 2 Feb; from 26 Jan it is Sun 15 Feb, in the
    # Spring Festival -> Tue 24 Feb.
    assert calendar.add_days(D(2026, 1, 12), 20) == D(2026, 2, 2)
    assert calendar.add_days(D(2026, 1, 26), 20) == D(2026, 2, 24)
    assert calendar.add_days(D(2026, 3, 2), 10) == D(2026, 3, 12)  # a Thursday: unchanged


@pytest.mark.django_db
def test_an_administrator_can_add_next_years_days(personas):
    calendar.set_day(actor=personas.county_admin, date=D(2027, 1, 1), kind="holiday", name="元旦")
    calendar.set_day(actor=personas.county_admin, date=D(2027, 1, 2), kind="workday", name="测试调休")
    assert 2027 in calendar.years_maintained()
    # Thu 31 Dec 2026 + 1 working day: Fri 1 Jan is off, Sat 2 Jan works.
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)
    calendar.remove_day(actor=personas.county_admin, date=D(2027, 1, 2))
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    with pytest.raises(ServiceError):
        calendar.remove_day(actor=personas.county_admin, date=D(2027, 1, 2))
    with pytest.raises(ServiceError):
        calendar.set_day(actor=personas.county_admin, date=D(2027, 1, 3), kind="maybe")
    with pytest.raises(PermissionDenied):  # a clerk cannot change the national calendar
        calendar.set_day(actor=personas.town_clerk, date=D(2027, 1, 3), kind="holiday")
    with pytest.raises(PermissionDenied):
        calendar.remove_day(actor=personas.town_clerk, date=D(2027, 1, 1))
    assert CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()


def plain_week():
    return WorkCalendar(frozenset(), frozenset())


days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
holiday_sets = st.frozensets(days, max_size=40)


@settings(max_examples=200, deadline=None)
@given(start=days, n=st.integers(min_value=1, max_value=60), holidays=holiday_sets, workdays=holiday_sets)
def test_working_day_properties(start, n, holidays, workdays):
    cal = WorkCalendar(holidays - workdays, workdays)
    end = cal.add_working_days(start, n)
    assert end > start
    assert cal.is_working_day(end)
    assert cal.working_days_between(start, end) == n  # exactly n working days, the last one included
    # Each extra working day moves the due date later.
    assert cal.add_working_days(start, n + 1) > end


@settings(max_examples=200, deadline=None)
@given(start=days, n=st.integers(min_value=0, max_value=90), holidays=holiday_sets)
def test_calendar_day_properties(start, n, holidays):
    cal = WorkCalendar(holidays, frozenset())
    end = cal.add_days(start, n)
    assert end >= start + dt.timedelta(days=n)
    assert cal.is_working_day(end)
    # Only days off lie between the nominal last day and the rolled-forward one.
    day = start + dt.timedelta(days=n)
    while day < end:
        assert not cal.is_working_day(day)
        day += dt.timedelta(days=1)


def test_a_plain_week_has_five_working_days():
    cal = plain_week()
    assert cal.add_working_days(D(2030, 1, 4), 5) == D(2030, 1, 11)  # Friday -> next Friday


@pytest.mark.django_db
def test_calendar_page_adds_and_keeps_input_on_error(client, personas):
    client.force_login(personas.county_admin)
    r = client.get("/calendar/?year=2026")
    assert r.status_code == 200 and "春节" in r.content.decode()
    r = client.post("/calendar/", {"date": "2027-02-06", "kind": "", "name": "春节调休"})
    assert r.status_code == 200 and "春节调休" in r.content.decode()
    assert not CalendarDay.objects.filter(date=D(2027, 2, 6)).exists()
    r = client.post("/calendar/", {"date": "2027-02-06", "kind": "workday", "name": "春节调休"})
    assert r.status_code == 302
    assert CalendarDay.objects.get(date=D(2027, 2, 6)).kind == "workday"
    r = client.post("/calendar/delete/", {"date": "2027-02-06"})
    assert r.status_code == 302 and not CalendarDay.objects.filter(date=D(2027, 2, 6)).exists()
