"""Membership reminders: transfers waiting for the receiving union, retentions to check."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core import reminders as registry
from gonghui.members import reminders, services
from gonghui.members.models import Employment, Transfer

D = dt.date
TODAY = D(2025, 6, 20)


@pytest.fixture
def transfers(tree, join):
    """Hand-built requests: two into 甲二 (19 days and exactly 15 days old), one into 乙一 (new),
    and one into 甲二 already accepted."""
    def request(union, to_union, requested_on, status=Transfer.Status.PENDING):
        m = join(union=union, name=f"转{requested_on.day}")
        return Transfer.objects.create(membership=m, to_union=to_union, requested_on=requested_on,
                                       effective_on=requested_on, status=status)

    return {
        "late": request(tree.union_b1, tree.union_a2, D(2025, 6, 1)),
        "on_time": request(tree.union_a1, tree.union_a2, D(2025, 6, 5)),
        "new": request(tree.union_a1, tree.union_b1, D(2025, 6, 20)),
        "done": request(tree.union_b1, tree.union_a2, D(2025, 5, 2), status=Transfer.Status.ACCEPTED),
    }


@pytest.fixture
def retained(tree, join):
    """Retentions: back at work (甲一, overdue), never updated (甲二, due later), retired and
    unemployed (both fine), one in 乙一, and one already restored."""
    def retain(union, name, on, **kw):
        m = join(union=union, name=name, joined_on=D(2025, 3, 1), **kw)
        return services.member_retain(actor=None, membership=m, effective_on=on, reason="失业")

    working = retain(tree.union_a1, "再就业", D(2025, 5, 1), employment=Employment.EMPLOYED)
    stale = retain(tree.union_a2, "未更新", D(2025, 6, 10))
    retain(tree.union_a1, "退休者", D(2025, 5, 1), employment=Employment.RETIRED)
    retain(tree.union_a1, "失业者", D(2025, 5, 1), employment=Employment.UNEMPLOYED)
    other = retain(tree.union_b1, "乙会员", D(2025, 4, 1))
    back = retain(tree.union_a1, "已恢复", D(2025, 4, 1))
    services.member_restore(actor=None, membership=back, effective_on=D(2025, 5, 1))
    return {"working": working, "stale": stale, "other": other}


def test_pending_transfers_are_listed_for_the_receiving_union_with_their_wait(transfers, personas):
    items, n = reminders.transfer_pending(personas.town_clerk, TODAY, 10)
    # 甲镇 receives the two pending into 甲二; the one into 乙一 and the accepted one are not its duty.
    assert n == 2 and [i.org_name for i in items] == ["甲二公司工会", "甲二公司工会"]
    late, on_time = items
    assert late.overdue and late.due_on == D(2025, 6, 16)
    assert "转1（由乙一公司工会转入）待接收" in late.label and "已等待 19 天，超过 15 日" in late.label
    assert not on_time.overdue and on_time.due_on == TODAY and on_time.label.endswith("已等待 15 天")
    assert late.url == reverse("members:transfers")
    assert reminders.transfer_pending(personas.union_clerk, TODAY, 10) == ([], 0)
    items, n = reminders.transfer_pending(personas.county_admin, TODAY, 10)
    assert n == 3 and items[-1].org_name == "乙一公司工会" and not items[-1].overdue


def test_the_transfer_deadline_is_a_setting(transfers, personas, settings):
    settings.GONGHUI_MEMBERS = {"TRANSFER_ACCEPT_DAYS": 30}
    items, _ = reminders.transfer_pending(personas.town_clerk, TODAY, 10)
    assert [i.due_on for i in items] == [D(2025, 7, 1), D(2025, 7, 5)] and not any(i.overdue for i in items)


def test_retentions_the_roster_no_longer_supports_are_to_check(retained, personas):
    items, n = reminders.retained_check(personas.town_clerk, TODAY, 10)
    # Retired and unemployed members keep their retention; 乙一 is outside 甲镇; the restored one is active.
    assert n == 2 and [i.org_name for i in items] == ["甲一公司工会", "甲二公司工会"]
    working, stale = items
    assert working.overdue and working.due_on == D(2025, 5, 31)
    assert working.label.startswith("再就业自 2025-05-01 保留会籍，就业状态为“在岗”")
    assert working.url == reverse("members:detail", args=[retained["working"].pk])
    assert not stale.overdue and stale.due_on == D(2025, 7, 10)
    assert reminders.retained_check(personas.union_clerk, TODAY, 10)[1] == 1
    assert reminders.retained_check(personas.county_admin, TODAY, 10)[1] == 3


def test_the_retention_check_ends_when_the_roster_is_corrected(retained, personas, settings):
    services.person_update(actor=None, person=retained["working"].person, employment=Employment.UNEMPLOYED)
    settings.GONGHUI_MEMBERS = {"RETAINED_CHECK_DAYS": 5}
    items, n = reminders.retained_check(personas.town_clerk, TODAY, 10)
    assert n == 1 and items[0].due_on == D(2025, 6, 15) and items[0].overdue


def test_limit_zero_gives_the_counts_only(transfers, retained, personas):
    assert reminders.transfer_pending(personas.county_admin, TODAY, 0) == ([], 3)
    assert reminders.retained_check(personas.county_admin, TODAY, 0) == ([], 3)
    items, n = reminders.transfer_pending(personas.county_admin, TODAY, 1)
    assert len(items) == 1 and n == 3


def test_the_to_do_page_shows_them_to_clerks_only(transfers, retained, personas):
    codes = {r.code: (items, n) for r, items, n in registry.due_items(personas.town_clerk, TODAY)}
    assert codes["members.transfer_pending"][1] == 2 and codes["members.retained_check"][1] == 2
    # 查阅 may see the roster but decides nothing.
    codes = {r.code for r, _, _ in registry.due_items(personas.leader, TODAY)}
    assert not codes & {"members.transfer_pending", "members.retained_check"}


def test_queries_do_not_grow_with_the_items(transfers, retained, personas):
    user = personas.county_admin
    reminders.transfer_pending(user, TODAY, 10)  # the user's grants are read once and cached
    for func in (reminders.transfer_pending, reminders.retained_check):
        with CaptureQueriesContext(connection) as ctx:
            items, _ = func(user, TODAY, 10)
        assert len(items) == 3 and len(ctx.captured_queries) == 2  # the page of items and the count
