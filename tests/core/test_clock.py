"""The one clock (core.clock): today in the configured time zone, month arithmetic, and a scan
of the source that fails on any other clock."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from gonghui.core import clock

D = dt.date
SRC = Path(__file__).resolve().parents[2] / "src" / "gonghui"
# date.today() / datetime.now() / datetime.today() read the server's own zone; a bare
# timezone.localdate() is a second clock beside clock.today() (it ignores clock.as_of).
OTHER_CLOCKS = re.compile(r"\b(?:date\.today|datetime\.now|datetime\.today|localdate)\(")


def at_utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_no_other_clock_in_the_source():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "clock.py" and path.parent.name == "core":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if OTHER_CLOCKS.search(line.split("#", 1)[0]):
                offenders.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert offenders == [], "use gonghui.core.clock.today() / now():\n" + "\n".join(offenders)


def test_the_scan_sees_each_form():
    for line in ("x = dt.date.today()", "datetime.now()", "datetime.datetime.today()", "timezone.localdate()"):
        assert OTHER_CLOCKS.search(line), line
    assert not OTHER_CLOCKS.search("timezone.now()") and not OTHER_CLOCKS.search("clock.today()")


def test_a_server_clock_at_2330_utc_is_already_tomorrow_in_shanghai(monkeypatch, settings):
    # The server's clock (Django's timezone.now, which reads the system clock in UTC) says
    # 30 June 23:30 UTC: in China it is 1 July 07:30.
    settings.TIME_ZONE = "Asia/Shanghai"
    monkeypatch.setattr(timezone, "now", lambda: at_utc(2025, 6, 30, 23, 30))
    assert clock.today() == D(2025, 7, 1)
    assert clock.now().date() == D(2025, 7, 1) and clock.now().utcoffset() == dt.timedelta(hours=8)
    assert clock.now() == at_utc(2025, 6, 30, 23, 30)  # the same instant
    settings.TIME_ZONE = "UTC"  # a federation configured in UTC: still 30 June
    assert clock.today() == D(2025, 6, 30)


def test_as_of_replays_a_past_day_and_is_undone():
    real = clock.today()
    with clock.as_of(D(2024, 12, 31)):
        assert clock.today() == D(2024, 12, 31)
        with clock.as_of(D(2023, 1, 1)):
            assert clock.today() == D(2023, 1, 1)
        assert clock.today() == D(2024, 12, 31)
    assert clock.today() == real


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2025, 3, 15), 3, D(2025, 6, 15)),
    (D(2025, 11, 30), 3, D(2026, 2, 28)),  # end of a shorter month
    (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2025, 12, 1), 1, D(2026, 1, 1)),  # over the year end
    (D(2025, 1, 31), -2, D(2024, 11, 30)),  # backwards
    (D(2025, 3, 1), -36, D(2022, 3, 1)),
    (D(2025, 5, 5), 0, D(2025, 5, 5)),
])
def test_add_months(day, months, expected):
    assert clock.add_months(day, months) == expected
