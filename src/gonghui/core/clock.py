"""The one clock: "today" and "now" in the configured time zone (settings.TIME_ZONE), and month
arithmetic.

`datetime.date.today()` reads the server's own time zone: on a server kept in UTC it is still
yesterday in China from 00:00 to 08:00, so a date checked against it ("不能晚于今天") and the
same date shown on a page disagreed for eight hours a day. Every "today" in the code comes from
here; tests/core/test_clock.py fails on any other.
"""

from __future__ import annotations

import calendar
import contextlib
import contextvars
import datetime as dt

from django.utils import timezone

_as_of: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("gonghui_as_of", default=None)


def today() -> dt.date:
    """Today's date in the configured time zone (or the date set by `as_of`)."""
    return _as_of.get() or timezone.localdate()


def now() -> dt.datetime:
    """The current moment, aware, in the configured time zone (equal to timezone.now() as an
    instant; its .date() is today())."""
    return timezone.localtime()


@contextlib.contextmanager
def as_of(day: dt.date):
    """Replay past work as if today were `day` (the demo's reference date): dates after it are
    refused exactly as dates after the real today are for a clerk."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months (negative: back), kept on the same day of the month or the
    month's last day when that month is shorter: 31 Jan + 1 → 28/29 Feb, 29 Feb 2024 + 12 →
    28 Feb 2025 (the way 期限 "满一年" and 年度复核 count)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
