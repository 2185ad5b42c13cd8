import datetime as dt

from gonghui.assistance import reminders, services

D = dt.date


def test_reminders_for_reviews_notices_and_unspent_campaigns(tree, personas, archive):
    due = archive(name="复核户", entered=D(2025, 1, 20))  # next review 2026-01-20
    archive(name="未到期", entered=D(2025, 6, 20))
    noticed = archive(name="公示户", entered=None, created=D(2025, 12, 29))
    services.archive_start_notice(actor=None, archive=noticed, on=D(2026, 1, 5))  # until 2026-01-12
    archive(name="乙户", union=tree.union_b1, created=D(2024, 12, 2), entered=D(2024, 12, 20))
    c = services.campaign_create(actor=None, org=tree.town_a, name="两节送温暖", type="warmth",
                                 start_on=D(2025, 12, 1), end_on=D(2026, 1, 20), budget=1000)
    today = D(2026, 1, 10)
    items, n = reminders.review_due(personas.town_clerk, today, 10)
    assert n == 1 and items[0].label.startswith("复核户") and items[0].due_on == D(2026, 1, 20)
    assert not items[0].overdue and due.next_review_on == D(2026, 1, 20)
    items, n = reminders.notice_ending(personas.town_clerk, today, 10)
    assert n == 1 and items[0].due_on == D(2026, 1, 12) and "即将期满" in items[0].label
    items, n = reminders.campaign_unspent(personas.town_clerk, today, 10)
    assert n == 1 and "尚余 1,000.00元" in items[0].label and items[0].url.endswith(f"/campaigns/{c.pk}/")
    # The county sees 乙's overdue review too; the town clerk does not.
    items, n = reminders.review_due(personas.county_admin, today, 10)
    assert n == 2 and items[0].overdue
