"""Working-day arithmetic on China's adjusted calendar.

The law counts some deadlines in calendar days (自然日: "15日内") and some in working days
(工作日: "5个工作日内"). A working day is Monday–Friday unless the `CalendarDay` table says
otherwise (holidays off, 调休 weekends on).

Calendar-day periods follow 民法典 §203: when the last day is a day off, the period ends on
the next working day. Working-day periods start counting on the day after the event.

Due dates are computed once, when the event is recorded, and stored on the record, so
lists never recompute them; `WorkCalendar.load` fetches the exceptions of a date range
in one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import audit, scope
from .errors import ServiceError
from .models import CalendarDay

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    @classmethod
    def load(cls, start: dt.date, end: dt.date) -> WorkCalendar:
        rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind")
        holidays = frozenset(d for d, k in rows if k == CalendarDay.Kind.HOLIDAY)
        workdays = frozenset(d for d, k in rows if k == CalendarDay.Kind.WORKDAY)
        return cls(holidays, workdays)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (n ≥ 1); n = 0 gives `start` itself."""
        day = start
        while n > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def add_days(self, start: dt.date, n: int) -> dt.date:
        """`start` + n calendar days, moved to the next working day if that is a day off."""
        day = start + dt.timedelta(days=n)
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days `end` is after `start`."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


# The longest run of days off China has had is 9 (a Spring Festival week plus weekends);
# loading `n * 2 + 40` days past the start covers any deadline of n working days.
def _span(n: int) -> dt.timedelta:
    return dt.timedelta(days=n * 2 + 40)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return WorkCalendar.load(start, start + _span(n)).add_working_days(start, n)


def add_days(start: dt.date, n: int) -> dt.date:
    """Calendar days with the 民法典 §203 roll-forward (see the module docstring)."""
    return WorkCalendar.load(start, start + _span(n)).add_days(start, n)


def due(start: dt.date, n: int, working: bool) -> dt.date:
    return add_working_days(start, n) if working else add_days(start, n)


def years_maintained() -> set[int]:
    return {d.year for d in CalendarDay.objects.dates("date", "year")}


def _require_manage(actor) -> None:
    """The calendar is national: `calendar.manage` on any node (None is the system itself)."""
    if actor is not None and not scope.has_perm(actor, "calendar.manage"):
        raise PermissionDenied("您没有维护节假日日历的权限。")


def set_day(*, actor, date: dt.date, kind: str, name: str = ""):
    """Add or change one exception day (a holiday, or a 调休 working weekend day)."""
    _require_manage(actor)
    if kind not in CalendarDay.Kind.values:
        raise ServiceError("类型只能是“放假”或“调休上班”。", field="kind")
    with transaction.atomic():
        day, created = CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
        audit.record(actor=actor, action="core.calendar.set", obj=day,
                     changes={"date": date.isoformat(), "kind": kind, "name": name, "created": created})
    return day


def remove_day(*, actor, date: dt.date) -> None:
    _require_manage(actor)
    with transaction.atomic():
        day = CalendarDay.objects.filter(date=date).first()
        if day is None:
            raise ServiceError(f"{date} 不在节假日日历中。")
        audit.record(actor=actor, action="core.calendar.removed", obj=day,
                     changes={"date": date.isoformat(), "kind": day.kind, "name": day.name})
        day.delete()
