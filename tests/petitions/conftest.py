import datetime as dt

import pytest

from gonghui.core import clock
from gonghui.petitions import services

D = dt.date
MARCH_3 = D(2025, 3, 3)


def make_petition(org, *, actor=None, received_on=MARCH_3, channel="visit", name="王小花", gender=2,
                  title="拖欠工资", category="wages", **kw):
    kw.setdefault("petitioners", [{"name": name, "gender": gender, "phone": "13800001234"}])
    if channel == "forwarded":
        kw.setdefault("source_org_name", "市总工会")
        kw.setdefault("source_ref", "市工信转〔2025〕1号")
    return services.petition_register(actor=actor, org=org, channel=channel, received_on=received_on, title=title,
                                      category=category, **kw)


def make_mediation(org, *, actor=None, applied_on=MARCH_3, **kw):
    kw.setdefault("applicant_name", "李四")
    kw.setdefault("employer_name", "甲一公司")
    kw.setdefault("dispute_type", "pay")
    kw.setdefault("body", "township")
    return services.mediation_register(actor=actor, org=org, applied_on=applied_on, **kw)


@pytest.fixture
def today():
    """Pin today (core.clock), so the tests do not age."""
    day = D(2025, 12, 31)
    with clock.as_of(day):
        yield day
