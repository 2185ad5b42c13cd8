"""A negotiation driven through the services like a clerk would, to any status."""

import datetime as dt

import pytest

from gonghui.bargaining import services as s
from gonghui.bargaining.models import ContractType, Meeting, Side, Status

D = dt.date
W, E = Side.WORKERS, Side.EMPLOYER


def add_reps(contract, n=3, actor=None):
    for side, prefix in ((W, "职工"), (E, "企业")):
        for i in range(n):
            s.representative_add(actor=actor, contract=contract, side=side, name=f"{prefix}代表{i + 1}",
                                 is_chief=i == 0)


def open_contract(tree, actor=None, contract_type=ContractType.WAGE, opened_on=None, title=None):
    return s.contract_open(actor=actor, org=tree.union_a1, contract_type=contract_type,
                           title=title or "甲一公司2026年工资专项集体协议", opened_on=opened_on or D(2026, 3, 2),
                           employers=[tree.emp["a1"]])


# The happy path, one step per status, with its dates (2026: 清明 4–6 April is off).
def step(contract, target, actor=None):
    c = contract
    if target == Status.OFFERED:
        return s.contract_offer(actor=actor, contract=c, side=W, offered_on=D(2026, 3, 2), topics="2026年工资调整")
    if target == Status.PREPARING:
        c = s.contract_reply(actor=actor, contract=c, replied_on=D(2026, 3, 10), accepted=True)
        return s.contract_prepare(actor=actor, contract=c, prepared_on=D(2026, 3, 12), recorder="记录员甲",
                                  topics="工资增幅、最低工资")
    if target == Status.NEGOTIATING:
        s.meeting_add(actor=actor, contract=c, held_on=D(2026, 3, 16), chair_side=W, attendees="双方代表6人",
                      minutes="职工方提出增幅12%，企业方提出8%。", outcome=Meeting.Outcome.CONTINUE,
                      next_on=D(2026, 3, 20))
        return c
    if target == Status.VOTING:
        s.meeting_add(actor=actor, contract=c, held_on=D(2026, 3, 20), chair_side=E, attendees="双方代表6人",
                      minutes="双方同意增幅10%。", outcome=Meeting.Outcome.AGREED)
        return c
    if target == Status.PASSED:
        s.vote_record(actor=actor, contract=c, held_on=D(2026, 3, 27), body="congress", total=50, present=40,
                      votes_for=30, votes_against=6, abstentions=4)
        return c
    if target == Status.SIGNED:
        return s.contract_sign(actor=actor, contract=c, signed_on=D(2026, 3, 30), start_on=D(2026, 4, 1),
                               end_on=D(2027, 3, 31))
    if target == Status.FILED:
        return s.contract_file(actor=actor, contract=c, filed_on=D(2026, 4, 3), department="长沙县人力资源和社会保障局")
    if target == Status.PUBLISHED:
        return s.contract_publish(actor=actor, contract=c, published_on=D(2026, 4, 22), method="厂务公开栏")
    raise AssertionError(target)


PATH = [Status.OFFERED, Status.PREPARING, Status.NEGOTIATING, Status.VOTING, Status.PASSED, Status.SIGNED,
        Status.FILED, Status.PUBLISHED]


def drive(tree, target, actor=None, **kw):
    c = open_contract(tree, actor=actor, **kw)
    add_reps(c, actor=actor)
    if target == Status.REPRESENTATIVES:
        return c
    for status in PATH:
        c = step(c, status, actor=actor)
        c.refresh_from_db()
        if status == target:
            return c
    raise AssertionError(target)


@pytest.fixture
def drive_to(tree):
    return lambda target, **kw: drive(tree, target, **kw)
