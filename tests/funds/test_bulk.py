"""The set-based receipt path (funds.bulk) gives what the one-receipt service gives, row by row."""

import pytest

from gonghui.core.audit import AuditEvent
from gonghui.funds import bulk, services
from gonghui.funds.models import Declaration, Receipt, ReceiptSplit

from .conftest import USCC, D, Decimal


def lines(tree):
    a = tree.town_a
    return [
        bulk.Line(1, a, "T1", Decimal("500.00"), D(2025, 4, 15), USCC["a1"], "甲一公司", D(2025, 3, 1), Decimal("25000")),
        bulk.Line(2, a, "T2", Decimal("100.01"), D(2025, 4, 16), USCC["a1"], "甲一公司", D(2025, 3, 1)),
        # 甲二公司 is covered from 2025-02-10: before, its money counts under the township as 筹备金
        bulk.Line(3, a, "T3", Decimal("333.33"), D(2025, 2, 5), USCC["a2"], "甲二公司", D(2025, 1, 1), Decimal("9000")),
        bulk.Line(4, a, "T4", Decimal("77.77"), D(2025, 4, 1), USCC["a2"], "甲二公司", D(2025, 3, 1), Decimal("3888.50")),
        bulk.Line(5, a, "T5", Decimal("1234.56"), D(2025, 4, 16), "", "未登记的某公司", D(2025, 3, 1)),
        # 乙一公司 is not under 甲镇: kept 待匹配 like the one-receipt path does
        bulk.Line(6, a, "T6", Decimal("10.00"), D(2025, 4, 16), USCC["b1"], "乙一公司", D(2025, 3, 1)),
    ]


def snapshot():
    receipts = {r.reference: (r.employer_id, r.org_id, r.org_path, r.kind, r.status, r.amount, r.month)
                for r in Receipt.objects.all()}
    splits = sorted((s.receipt.reference, s.level, s.amount) for s in ReceiptSplit.objects.select_related("receipt"))
    decls = sorted((d.employer_id, d.month, d.payroll_total, d.due, d.paid, d.kind, d.org_id, d.org_path)
                   for d in Declaration.objects.all())
    return receipts, splits, decls


def test_bulk_gives_what_the_service_gives(funded):
    # a declaration made before, paid by the import
    services.declaration_record(actor=None, employer=funded.emp["a3"], month=D(2025, 3, 1), payroll_total="1000")
    extra = bulk.Line(7, funded.town_a, "T7", Decimal("20.00"), D(2025, 4, 2), USCC["a3"], "甲三公司", D(2025, 3, 1))
    for line in [*lines(funded), extra]:
        services.receipt_record(actor=None, org=line.org, reference=line.reference, channel="tax", amount=line.amount,
                                received_on=line.received_on, uscc=line.uscc, name=line.name, month=line.month,
                                payroll_base=line.payroll_base)
    one_by_one = snapshot()
    ReceiptSplit.objects.all().delete()
    Receipt.objects.all().delete()
    Declaration.objects.exclude(employer=funded.emp["a3"]).delete()
    Declaration.objects.update(paid=0)
    before = AuditEvent.objects.count()
    made = bulk.receipts_bulk(actor=None, channel="tax", lines=[*lines(funded), extra], title="税务代收经费明细")
    assert made == 7
    assert snapshot() == one_by_one
    assert AuditEvent.objects.count() == before + 1
    entry = AuditEvent.objects.order_by("-seq").first()
    assert entry.action == "funds.import" and entry.changes["rows"] == 7 and entry.changes["pending"] == 2


def test_bad_lines_are_named_and_nothing_is_saved(funded):
    good = lines(funded)
    services.receipt_record(actor=None, org=funded.town_a, reference="OLD", channel="tax", amount="1",
                            received_on=D(2025, 1, 2), uscc=USCC["a1"])
    bad = [good[0],
           bulk.Line(2, funded.town_a, "T1", Decimal("1"), D(2025, 4, 1), USCC["a1"]),
           bulk.Line(3, funded.town_a, "OLD", Decimal("1"), D(2025, 4, 1), USCC["a1"]),
           bulk.Line(4, funded.town_a, "X4", Decimal("1"), D(2099, 1, 1), USCC["a1"]),
           bulk.Line(5, funded.town_a, "X5", Decimal("-1"), D(2025, 4, 1), "", ""),
           bulk.Line(6, funded.town_a, "X6", Decimal("1"), D(2025, 4, 1), USCC["a1"], month=D(2025, 5, 1))]
    with pytest.raises(bulk.Refused) as refused:
        bulk.receipts_bulk(actor=None, channel="tax", lines=bad)
    where = {(row, field) for row, field, _ in refused.value.rows}
    assert where == {(2, "reference"), (3, "reference"), (4, "received_on"), (5, "amount"), (5, "uscc"),
                     (6, "month")}
    assert Receipt.objects.count() == 1


def test_import_of_another_federations_union_is_refused(funded, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        bulk.receipts_bulk(actor=personas.town_clerk, channel="tax",
                           lines=[bulk.Line(1, funded.town_b, "Y1", Decimal("1"), D(2025, 4, 1), USCC["b1"])])
