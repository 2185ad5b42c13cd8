"""The contract registry pages by keyset (issue 14, item 5) in each tab's order, including the
tab ordered by a step's due date, which is empty (NULL) for contracts still choosing
representatives."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.bargaining import services as s
from gonghui.bargaining.models import Contract, ContractType, Side
from gonghui.core import paging
from tests.core.pager import assert_walks, ids, links, walk

from .conftest import add_reps

pytestmark = pytest.mark.django_db
INDEX = reverse("bargaining:index")
D = dt.date


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "SIZE", 3)


@pytest.fixture
def contracts(tree):
    made = []
    types = [ContractType.WAGE, ContractType.GENERAL]
    for i in range(11):
        # Shared opening dates (the id decides), every other one offered: a due date, shared too.
        opened = D(2025, 3, 1 + i // 3)
        c = s.contract_open(actor=None, org=tree.union_a1, contract_type=types[i % 2], title=f"甲一合同{i:02d}",
                            opened_on=opened, employers=[tree.emp["a1"]])
        if i % 2:
            add_reps(c)
            c = s.contract_offer(actor=None, contract=c, side=Side.WORKERS, offered_on=D(2025, 3, 10 + i % 3),
                                 topics="工资调整")
        made.append(c)
    for i in range(5):
        made.append(s.contract_open(actor=None, org=tree.union_b1, contract_type=ContractType.WAGE,
                                    title=f"乙一合同{i}", opened_on=D(2025, 3, 2), employers=[tree.emp["b1"]]))
    return made


def test_every_contract_once_newest_first_and_back(client, personas, contracts):
    client.force_login(personas.county_admin)
    expected = list(Contract.objects.order_by("-opened_on", "-pk").values_list("pk", flat=True))
    assert len(expected) == 16
    assert_walks(client, INDEX, {}, expected, paging.SIZE)


def test_the_due_date_tab_pages_through_contracts_without_a_due_date(client, personas, contracts):
    client.force_login(personas.county_admin)
    pages, _ = walk(client, INDEX, {"view": "negotiating"})
    got = [pk for page in pages for pk in page]
    dated = list(Contract.objects.filter(next_due_on__isnull=False).order_by("next_due_on", "pk")
                 .values_list("pk", flat=True))
    undated = list(Contract.objects.filter(next_due_on__isnull=True).order_by("pk").values_list("pk", flat=True))
    assert dated and undated
    assert sorted(got) == sorted(dated + undated)  # every negotiation once
    # Where the undated ones go is the database's (NULLs last on PostgreSQL, first on SQLite);
    # within the dated ones the order is by due date, then id.
    assert [pk for pk in got if pk in set(dated)] == dated
    assert got in (dated + undated, undated + dated)
    assert_walks(client, INDEX, {"view": "negotiating"}, got, paging.SIZE)


def test_filters_survive_paging(client, personas, contracts, tree):
    client.force_login(personas.county_admin)
    params = {"type": ContractType.WAGE, "org": tree.union_a1.code, "q": "合同"}
    expected = list(Contract.objects.filter(contract_type=ContractType.WAGE, org=tree.union_a1)
                    .order_by("-opened_on", "-pk").values_list("pk", flat=True))
    assert len(expected) > paging.SIZE
    assert_walks(client, INDEX, params, expected, paging.SIZE)


def test_a_township_clerk_pages_only_through_the_township(client, personas, contracts, tree):
    client.force_login(personas.town_clerk)
    for view in ("all", "negotiating"):
        pages, _ = walk(client, INDEX, {"view": view})
        seen = [pk for page in pages for pk in page]
        assert len(seen) == 11
        assert not Contract.objects.filter(pk__in=seen, org=tree.union_b1).exists()


def test_a_cursor_of_one_tab_is_not_taken_by_another(client, personas, contracts):
    client.force_login(personas.county_admin)
    first = client.get(INDEX, {"view": "negotiating"})
    cursor = links(first)["next"].split("cursor=")[1]
    response = client.get(INDEX + "?view=all&cursor=" + cursor)
    assert response.status_code == 200
    assert ids(response) == ids(client.get(INDEX, {"view": "all"}))
    assert "分页链接无效" in response.content.decode()
