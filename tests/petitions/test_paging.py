"""The petition and mediation lists page by keyset (issue 14, item 5): newest first, every case once."""

import pytest
from django.urls import reverse

from gonghui.core import paging
from gonghui.petitions.models import Mediation, Petition
from tests.core.pager import assert_walks, ids, links, pages_of, walk

from .conftest import D, make_mediation, make_petition

pytestmark = pytest.mark.django_db
INDEX = reverse("petitions:index")
MEDIATIONS = reverse("petitions:mediation_list")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch, today):
    monkeypatch.setattr(paging, "SIZE", 4)


@pytest.fixture
def cases(tree):
    for i in range(13):  # three cases a day: ties on the date, the id decides
        make_petition(tree.union_a1 if i % 2 else tree.town_a, received_on=D(2025, 3, 3 + i // 3),
                      channel="visit" if i % 3 else "letter", title=f"拖欠工资{i}")
    for i in range(5):
        make_petition(tree.union_b1, received_on=D(2025, 3, 4), title=f"乙案{i}")


def newest_first(qs):
    return list(qs.order_by("-received_on", "-id").values_list("pk", flat=True))


def test_every_case_once_newest_first_and_back(client, personas, cases):
    client.force_login(personas.county_admin)
    expected = newest_first(Petition.objects.all())
    assert len(expected) == 18
    assert_walks(client, INDEX, {}, expected, paging.SIZE)


def test_filters_survive_paging(client, personas, cases, tree):
    client.force_login(personas.county_admin)
    params = {"channel": "visit", "org": tree.town_a.code, "received_from": "2025-03-04"}
    expected = newest_first(Petition.objects.filter(channel="visit", org__path__startswith=tree.town_a.path,
                                                    received_on__gte=D(2025, 3, 4)))
    assert len(expected) > paging.SIZE
    assert_walks(client, INDEX, params, expected, paging.SIZE)


def test_a_township_clerk_pages_only_through_the_township(client, personas, cases, tree):
    client.force_login(personas.town_clerk)
    pages, _ = walk(client, INDEX)
    seen = [pk for page in pages for pk in page]
    assert seen == newest_first(Petition.objects.filter(org__path__startswith=tree.town_a.path))
    assert not Petition.objects.filter(pk__in=seen, org=tree.union_b1).exists()


def test_a_bad_cursor_gives_the_first_page_with_a_message(client, personas, cases):
    client.force_login(personas.county_admin)
    first = client.get(INDEX)
    cursor = links(first)["next"].split("cursor=")[1]
    response = client.get(INDEX, {"cursor": cursor.upper()})
    assert ids(response) == ids(first) and "分页链接无效" in response.content.decode()


def test_keyset_orders_by_a_nullable_relation(tree, cases):
    """Ordering by the linked employer's name: a case without an employer has NULL there (a LEFT
    JOIN), whatever the employer's own column says, and still appears exactly once."""
    for i, p in enumerate(Petition.objects.order_by("pk")[:8]):
        if i % 3:
            Petition.objects.filter(pk=p.pk).update(employer=tree.emp["a1" if i % 2 else "b1"])
    for order in (("employer__name",), ("-employer__name",)):
        qs = Petition.objects.order_by(*order)
        tie = "-pk" if order[0].startswith("-") else "pk"
        expected = list(qs.order_by(*order, tie).values_list("pk", flat=True))
        forward, backward = pages_of(qs)
        assert [pk for p in forward for pk in p] == expected
        assert backward == forward[::-1]


@pytest.fixture
def mediations(tree):
    for i in range(11):  # three a day: ties on the date, the id decides
        make_mediation(tree.union_a1 if i % 2 else tree.town_a, applied_on=D(2025, 3, 3 + i // 3))
    for _ in range(4):
        make_mediation(tree.union_b1, applied_on=D(2025, 3, 4))


def test_the_mediation_list_walks_every_case_once_newest_first_and_back(client, personas, mediations):
    client.force_login(personas.county_admin)
    expected = list(Mediation.objects.order_by("-applied_on", "-id").values_list("pk", flat=True))
    assert len(expected) == 15
    _, responses = assert_walks(client, MEDIATIONS, {}, expected, paging.SIZE)
    assert "共 15 条" in responses[-1].content.decode()


def test_the_mediation_filters_and_scope_survive_paging(client, personas, mediations, tree):
    client.force_login(personas.county_admin)
    expected = list(Mediation.objects.filter(org__path__startswith=tree.town_a.path)
                    .order_by("-applied_on", "-id").values_list("pk", flat=True))
    assert len(expected) == 11
    assert_walks(client, MEDIATIONS, {"org": tree.town_a.code, "state": "open"}, expected, paging.SIZE)
    client.force_login(personas.town_clerk)
    pages, _ = walk(client, MEDIATIONS)
    assert [pk for page in pages for pk in page] == expected
