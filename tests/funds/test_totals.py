"""The monthly summary (funds.totals, MonthlyTotal) always equals what the detail rows add up to,
whichever service wrote or moved them; and the money figures read from it give what the detail
gives, for periods that cover whole months and for periods that cut into months."""

import pytest

from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.funds import bulk, services, totals
from gonghui.funds.models import MonthlyTotal, Receipt
from gonghui.orgs import services as org_services

from .conftest import USCC, D, Decimal, receipt


def assert_summary_is_the_detail():
    stored, detail = totals.stored_totals(), totals.detail_totals()
    assert stored == detail
    assert stored, "the scenario wrote rows"


def test_every_write_keeps_the_summary_equal_to_the_detail(funded):
    t = funded
    receipt(t, "R1", "500", D(2025, 3, 15), month=D(2025, 2, 1), payroll="25000")  # matched, declares
    receipt(t, "R2", "100.01", D(2025, 3, 31), month=D(2025, 2, 1))  # pays the same declaration
    receipt(t, "R3", "333.33", D(2025, 2, 5), emp="a3", month=D(2025, 1, 1), payroll="20000")  # 筹备金, arrears
    pending = receipt(t, "R4", "77.77", D(2025, 4, 1), emp="", name="未登记公司", month=D(2025, 3, 1))
    assert_summary_is_the_detail()
    services.declaration_record(actor=None, employer=t.emp["a2"], month=D(2025, 3, 1), payroll_total="10000")
    services.declaration_record(actor=None, employer=t.emp["a1"], month=D(2025, 2, 1), payroll_total="40000")  # corrected
    assert_summary_is_the_detail()
    services.receipt_match(actor=None, receipt=pending, employer=t.emp["a2"])  # moves it to the union, pays March
    assert_summary_is_the_detail()
    bulk.receipts_bulk(actor=None, channel="tax", lines=[
        bulk.Line(1, t.town_a, "B1", Decimal("20.00"), D(2025, 4, 2), USCC["a3"], "甲三公司", D(2025, 3, 1),
                  Decimal("1000")),
        bulk.Line(2, t.town_a, "B2", Decimal("5.55"), D(2025, 4, 3), USCC["a1"], "甲一公司", D(2025, 2, 1)),
        bulk.Line(3, t.town_a, "B3", Decimal("9.99"), D(2025, 4, 3), "", "另一未登记公司"),
    ])
    assert_summary_is_the_detail()
    # a back-dated coverage moves 甲三's rows from the township (筹备金) to the union
    org_services.coverage_start(actor=None, union=t.union_a2, employer=t.emp["a3"], valid_from=D(2025, 3, 1))
    assert_summary_is_the_detail()
    # a back-dated move of a union re-homes its rows from that day
    receipt(t, "R5", "700", D(2025, 3, 20), emp="b1", month=D(2025, 3, 1), payroll="50000")
    org_services.org_move(actor=None, org=t.union_b1, new_parent=t.town_a, effective_on=D(2025, 3, 1))
    assert_summary_is_the_detail()
    assert MonthlyTotal.objects.filter(org_path__startswith=t.town_a.path, month=D(2025, 3, 1)).exists()


def test_rebuild_gives_the_same_summary(funded):
    receipt(funded, "R1", "500", D(2025, 3, 15), month=D(2025, 2, 1), payroll="25000")
    receipt(funded, "R2", "12.34", D(2025, 5, 2), emp="a3", month=D(2025, 4, 1), payroll="1000")
    kept = totals.stored_totals()
    MonthlyTotal.objects.all().delete()
    totals.rebuild()
    assert totals.stored_totals() == kept == totals.detail_totals()


@pytest.mark.parametrize("start,end", [
    (D(2025, 1, 1), D(2025, 12, 31)),  # whole months only
    (D(2025, 3, 16), D(2025, 4, 2)),  # across a month boundary, no whole month
    (D(2025, 3, 10), D(2025, 3, 20)),  # inside one month
    (D(2025, 2, 6), D(2025, 5, 1)),  # part, whole March and April, part
    (D(2025, 3, 1), D(2025, 4, 2)),  # whole March, part of April
])
def test_figures_from_the_summary_equal_the_detail(funded, start, end):
    t = funded
    for i, (on, amount) in enumerate([(D(2025, 2, 5), "1.01"), (D(2025, 3, 1), "10"), (D(2025, 3, 15), "100"),
                                      (D(2025, 3, 31), "1000"), (D(2025, 4, 1), "10000"), (D(2025, 4, 3), "0.5"),
                                      (D(2025, 5, 1), "7")]):
        receipt(t, f"R{i}", amount, on, emp="a1" if i % 2 else "a3", month=on.replace(day=1), payroll="30000")
    period = Period(start, end)
    for org in (t.root, t.town_a, t.union_a1):
        detail = Receipt.objects.filter(org_path__startswith=org.path, received_on__gte=start, received_on__lte=end)
        expected = sum((r.amount for r in detail), Decimal("0.00"))
        assert compute("funds.total", org, period).value == expected
    assert compute("funds.due", t.root, period).value == sum(
        (d.due for d in services.Declaration.objects.filter(month__gte=start.replace(day=1), month__lte=end)),
        Decimal("0.00"))


def test_two_clerks_recording_at_once_leave_the_summary_equal_to_the_detail(transactional_db, funded):
    """Two receipts of the same union and month saved in overlapping transactions (PostgreSQL: two
    connections). The second's refresh must wait for the first to commit, or it sums the detail
    without the first's receipt and overwrites the first's summary row (or collides with it)."""
    import threading
    import time

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time: no overlap to test")
    t = funded
    first_saved, errors = threading.Event(), []

    def second_clerk():
        try:
            first_saved.wait(10)
            with transaction.atomic():
                receipt(t, "C2", "200", D(2025, 3, 16), month=D(2025, 2, 1))
        except Exception as exc:  # reported below: the main thread's assert shows it
            errors.append(exc)
        finally:
            connections.close_all()

    other = threading.Thread(target=second_clerk)
    other.start()
    with transaction.atomic():
        receipt(t, "C1", "100", D(2025, 3, 15), month=D(2025, 2, 1), payroll="25000")
        first_saved.set()
        time.sleep(1.0)  # the second clerk's save and refresh run now, before this commit
    other.join(20)
    assert not errors, errors
    assert Receipt.objects.filter(reference__in=["C1", "C2"]).count() == 2
    assert_summary_is_the_detail()
