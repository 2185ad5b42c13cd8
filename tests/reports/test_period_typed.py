"""Issue 15 item 4: dates typed under 上半年/本年 are not silently ignored."""

import datetime as dt
import re

from django.urls import reverse

from gonghui.reports.figures import TYPED_DATES_NOTE, period_from

D = dt.date
TODAY = D(2026, 12, 6)


def test_dates_typed_under_this_year_make_a_custom_period():
    # The form as shown for 本年 (1 Jan – today), the dates then changed by the clerk.
    choice = period_from({"preset": "year", "year": "2026", "from": "2026-01-01", "to": "2026-06-30",
                          "shown_from": "2026-01-01", "shown_to": "2026-12-06"}, TODAY)
    assert choice.preset == "custom" and choice.note == TYPED_DATES_NOTE
    assert (choice.period.start, choice.period.end) == (D(2026, 1, 1), D(2026, 6, 30))


def test_a_link_with_dates_other_than_the_presets_is_custom_too():
    choice = period_from({"preset": "year", "year": "2026", "from": "2026-01-01", "to": "2026-06-30"}, TODAY)
    assert choice.preset == "custom" and choice.period.end == D(2026, 6, 30)


def test_changing_the_preset_or_year_with_the_old_dates_left_keeps_the_preset():
    shown = {"from": "2026-03-01", "to": "2026-04-30", "shown_from": "2026-03-01", "shown_to": "2026-04-30"}
    choice = period_from({"preset": "h1", "year": "2025", **shown}, TODAY)
    assert choice.preset == "h1" and not choice.note
    assert (choice.period.start, choice.period.end) == (D(2025, 1, 1), D(2025, 6, 30))
    # The dates the preset itself fills in are not "typed" either (e.g. the lock form's hidden ones).
    choice = period_from({"preset": "year", "year": "2025", "from": "2025-01-01", "to": "2025-12-31"}, TODAY)
    assert choice.preset == "year" and not choice.note


def test_the_dashboard_shows_the_typed_period_and_says_so(client, data, personas):
    client.force_login(personas.leader)
    r = client.get(reverse("reports:dashboard", args=["A"]), {
        "preset": "year", "year": "2025", "from": "2025-01-01", "to": "2025-06-30",
        "shown_from": "2025-01-01", "shown_to": "2025-12-31"})
    page = r.content.decode()
    assert r.status_code == 200
    assert "2025年1月1日至2025年6月30日" in page and TYPED_DATES_NOTE in page
    assert '<option value="custom" selected>' in page
    # Members on 30 Jun 2025 under 甲镇: 甲一 3 + 甲二 1 (乙一 moved in only in August).
    assert re.search(r'data-metric="members.total">4\D', page)
