import datetime as dt
import io

from gonghui.activities import services
from gonghui.activities.exports import ActivityLedger
from gonghui.activities.reminders import rectification_due
from gonghui.core import clock

D = dt.date


def test_overdue_and_soon_due_rectifications_are_reminded_in_scope(tree, personas):
    today = clock.today()
    insp = services.inspection_create(actor=None, org=tree.town_a, kind="supervision", inspected_on=today - dt.timedelta(days=20),
                                      employer_name="甲一公司", findings=[
                                          {"kind": "hazard", "description": "逾期的", "due_on": today - dt.timedelta(days=1)},
                                          {"kind": "hazard", "description": "将到期", "due_on": today + dt.timedelta(days=3)},
                                          {"kind": "hazard", "description": "还早", "due_on": today + dt.timedelta(days=30)},
                                          {"kind": "violation", "description": "现场", "on_spot": True}])
    services.inspection_create(actor=None, org=tree.town_b, kind="patrol", inspected_on=today - dt.timedelta(days=20),
                               findings=[{"kind": "problem", "description": "乙的", "due_on": today - dt.timedelta(days=2)}])
    items, total = rectification_due(personas.town_clerk, today, 10)
    assert total == 2 and [i.overdue for i in items] == [True, False]
    assert items[0].label == "事故隐患：逾期的（甲一公司）整改已逾期"
    services.finding_close(actor=None, finding=insp.findings.get(description="逾期的"), closed_on=today)
    assert rectification_due(personas.town_clerk, today, 10)[1] == 1
    assert rectification_due(personas.county_admin, today, 10)[1] == 2


def test_the_ledger_exporter_follows_scope(tree, personas, kinds):
    services.activity_create(actor=None, org=tree.union_a1, kind=kinds["lecture"], title="甲讲座", start_on=D(2025, 3, 1))
    services.activity_create(actor=None, org=tree.union_b1, kind=kinds["lecture"], title="乙讲座", start_on=D(2025, 3, 1))
    rows = list(ActivityLedger(personas.town_clerk).rows())
    assert [r[3] for r in rows] == ["甲讲座"]
    assert ActivityLedger(personas.county_admin).write(io.BytesIO()) == 2
