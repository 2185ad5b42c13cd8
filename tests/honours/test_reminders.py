import datetime as dt

from gonghui.honours import reminders, services
from gonghui.honours.models import HonourStatus, Level
from tests.conftest import make_user

D = dt.date


def test_honours_due_for_recheck_and_campaigns_not_served(tree, personas, add_worker):
    h = services.honour_apply(actor=None, org=tree.union_a1, recipient="collective", recipient_name="机修班",
                              honour_type="pioneer", level="county", issuer="县总工会", year=2022,
                              applied_on=D(2022, 3, 1))
    for to in (HonourStatus.REVIEW, HonourStatus.NOTICE, HonourStatus.NAMED):
        services.honour_move(actor=None, honour=h, to=to, on=D(2022, 4, 28))
    approver = make_user("approver", tree.town_a, "审批")
    items, total = reminders.recheck_due(approver, D(2025, 3, 15), 10)
    assert total == 1 and "即将到期复查" in items[0].label and not items[0].overdue
    items, total = reminders.recheck_due(approver, D(2025, 5, 1), 10)
    assert items[0].overdue
    assert reminders.recheck_due(approver, D(2024, 1, 1), 10)[1] == 0
    outsider = make_user("approver_b", tree.town_b, "审批")
    assert reminders.recheck_due(outsider, D(2025, 5, 1), 10)[1] == 0

    add_worker(tree.union_a1, "王省", [("省劳动模范", Level.PROVINCIAL, 2010)])
    services.campaign_create(actor=None, org=tree.town_a, name="体检", kind="checkup", start_on=D(2025, 1, 1),
                             end_on=D(2025, 6, 30))
    items, total = reminders.campaign_unserved(personas.town_clerk, D(2025, 6, 20), 10)
    assert total == 1 and "尚有1人未登记服务" in items[0].label
    assert reminders.campaign_unserved(personas.town_clerk, D(2025, 5, 1), 10)[1] == 0
