"""To-do items: claims awaiting review / approval and payment, covers ending without renewal."""

import datetime as dt

from gonghui.core.reminders import REGISTRY
from gonghui.mutual_aid import services

D = dt.date


def _run(code, user, today):
    return REGISTRY[code].func(user, today, 10, 0)


def test_claims_waiting_for_each_step(women, enrol, four_eyes):
    item = enrol(women(n=1), eligible=1).items.get()
    claim = services.claim_register(actor=None, item=item, registered_on=D(2025, 7, 1), diagnosis="乳腺癌",
                                    benefit_code="A", diagnosed_on=D(2025, 7, 1), hospital="县医院",
                                    treatment="surgery")
    items, total = _run("mutual_aid.claims_to_review", four_eyes["reviewer"], D(2025, 7, 2))
    assert total == 1 and "待审核" in items[0].label and "乳腺" not in items[0].label
    assert _run("mutual_aid.claims_to_approve", four_eyes["approver"], D(2025, 7, 2))[1] == 0
    services.claim_review(actor=four_eyes["reviewer"], claim=claim, on=D(2025, 7, 2))
    assert _run("mutual_aid.claims_to_review", four_eyes["reviewer"], D(2025, 7, 3))[1] == 0
    assert _run("mutual_aid.claims_to_approve", four_eyes["approver"], D(2025, 7, 3))[1] == 1


def test_covers_ending_without_renewal(personas, plan, women, enrol):
    people = women(n=2)
    enrol(people, eligible=2)  # covers 2 Mar 2025 – 1 Mar 2026
    clerk = personas.union_clerk
    assert _run("mutual_aid.renewal", clerk, D(2026, 1, 15))[1] == 0  # 45 days before: not yet
    items, total = _run("mutual_aid.renewal", clerk, D(2026, 2, 10))
    assert total == 1 and "2026-03-01" in items[0].label
    t2 = services.term_create(actor=None, plan=plan, name="2026年度", opens_on=D(2026, 1, 1), closes_on=D(2026, 12, 31))
    enrol(people, t=t2, on=D(2026, 2, 12), eligible=2)
    assert _run("mutual_aid.renewal", clerk, D(2026, 2, 13))[1] == 0
