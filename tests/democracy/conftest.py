"""A congress of 甲一公司 (30 staff, 12 women) built through the services like a clerk would."""

import datetime as dt

import pytest

from gonghui.democracy import services as s

D = dt.date


def add_delegates(term, n, *, women=0, managers=0, frontline=0, prefix="代表", actor=None):
    out = []
    for i in range(n):
        out.append(s.delegate_add(actor=actor, term=term, name=f"{prefix}{i + 1}", gender="F" if i < women else "M",
                                  constituency=f"第{i % 3 + 1}车间", is_manager=frontline <= i < frontline + managers,
                                  is_frontline=i < frontline))
    return out


def make_congress(tree, key="a1", union=None, delegates=30, women=12, managers=4, frontline=20, staff=None,
                  actor=None, established_on=None):
    emp = tree.emp[key]
    established_on = established_on or D(2021, 1, 10)
    union = union or {"a1": tree.union_a1, "a2": tree.union_a2, "b1": tree.union_b1}[key]
    c = s.congress_create(actor=actor, org=union, name=f"{emp.name}职工代表大会", established_on=established_on,
                          employer=emp)
    t = s.term_open(actor=actor, congress=c, number=1, started_on=established_on, ends_on=D(2026, 12, 31),
                    staff=staff or emp.headcount, women_staff=emp.women_count)
    ds = add_delegates(t, delegates, women=women, managers=managers, frontline=frontline, actor=actor)
    s.delegates_confirm(actor=actor, term=t)
    t.refresh_from_db()
    return c, t, ds


@pytest.fixture
def congress(tree):
    return make_congress(tree)
