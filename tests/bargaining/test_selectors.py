"""One definition of an expiring contract (bargaining.selectors.expiring_q), used by the figure,
the registry's 三个月内到期 view and the renegotiation reminder."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.bargaining import services as s
from gonghui.bargaining.models import ContractType
from gonghui.core import clock, reminders
from gonghui.core.metrics import compute
from gonghui.core.periods import Period

from .test_metrics import contracts  # noqa: F401 (the fixture)

D = dt.date
DEC_31 = D(2026, 12, 31)
REGIONAL, ENTERPRISE = "甲镇区域性工资专项集体协议", "甲一公司2026年工资专项集体协议"


def three_views(client, user, tree):
    """(figure at the county, titles on the list page, titles in the reminder) on 31 Dec 2026."""
    figure = compute("bargaining.contracts_expiring", tree.root, Period(D(2026, 1, 1), DEC_31)).value
    client.force_login(user)
    with clock.as_of(DEC_31):
        page = client.get(reverse("bargaining:index"), {"view": "expiring"}).content.decode()
        due = {r.code: items for r, items, _ in reminders.due_items(user, clock.today())}
    listed = {t for t in (REGIONAL, ENTERPRISE) if t in page}
    reminded = {t for t in (REGIONAL, ENTERPRISE) if any(t in i.label for i in due.get("bargaining.expiring", []))}
    return figure, listed, reminded


@pytest.mark.django_db
def test_the_figure_the_list_and_the_reminder_agree(client, tree, personas, contracts, settings):  # noqa: F811
    # 31 Dec 2026: the regional agreement ends 31 Jan 2027, the enterprise one 31 Mar 2027.
    assert three_views(client, personas.county_admin, tree) == (2, {REGIONAL, ENTERPRISE}, {REGIONAL, ENTERPRISE})
    # One month ahead instead of three: only the regional one, in all three places.
    settings.GONGHUI_BARGAINING = {"EXPIRING_MONTHS": 1}
    assert three_views(client, personas.county_admin, tree) == (1, {REGIONAL}, {REGIONAL})


@pytest.mark.django_db
def test_a_renewal_under_way_silences_only_the_reminder(client, tree, personas, contracts):  # noqa: F811
    one = contracts[0]
    s.contract_open(actor=None, org=tree.union_a1, contract_type=ContractType.WAGE, title="甲一公司2027年续订",
                    opened_on=D(2026, 12, 1), employers=[tree.emp["a1"]], previous=one)
    assert three_views(client, personas.county_admin, tree) == (2, {REGIONAL, ENTERPRISE}, {REGIONAL})
