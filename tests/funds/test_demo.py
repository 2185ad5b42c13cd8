import datetime as dt

from gonghui.core import demo
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.core.reminders import REGISTRY as REMINDERS
from gonghui.funds.models import MatchStatus, Receipt, Refund, RefundFormality, RefundStatus
from gonghui.orgs.models import Org

TODAY = dt.date(2026, 6, 20)


def test_small_demo_has_every_status_and_figures(db):
    demo.build("small", 7, TODAY, progress=lambda _: None)
    assert Receipt.objects.filter(status=MatchStatus.PENDING).exists()
    assert Receipt.objects.filter(status=MatchStatus.MATCHED).count() > 100
    assert set(Refund.objects.values_list("status", flat=True)) >= {RefundStatus.PREPARED, RefundStatus.APPROVED,
                                                                    RefundStatus.PAID}
    assert RefundFormality.objects.filter(completed_on__isnull=True).exists()
    root = Org.objects.get(depth=1)
    period = Period(dt.date(2026, 1, 1), TODAY)
    assert compute("funds.payers", root, period).value > 0
    assert compute("funds.arrears", root, period).value > 0
    rate = compute("funds.collection_rate", root, period)
    assert 0 < rate.value < 100


def test_reminders_list_arrears_and_refunds_to_approve(db):
    from tests.conftest import make_user

    demo.build("small", 7, TODAY, progress=lambda _: None)
    root = Org.objects.get(depth=1)
    approver = make_user("demo_approver", root, "审批")
    items, total = REMINDERS["funds.arrears"].func(approver, TODAY, 5, 0)
    assert total > 0 and items[0].overdue and "欠缴" in items[0].label
    items, total = REMINDERS["funds.refund_approval"].func(approver, TODAY, 5, 0)
    assert total == Refund.objects.filter(status=RefundStatus.PREPARED).count() > 0
