"""The users list pages by keyset (issue 14, item 5): ordered by unit then user name, every account
once, the search kept on every page, a township administrator never paging into another township."""

import pytest
from django.urls import reverse

from gonghui.accounts.models import User
from gonghui.core import paging
from tests.conftest import make_user
from tests.core.pager import assert_walks, walk

pytestmark = pytest.mark.django_db
USERS = reverse("accounts:users")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "SIZE", 4)


@pytest.fixture
def accounts(tree, personas):
    for i in range(9):
        user = make_user(f"clerk{i % 4}{i}", [tree.union_a1, tree.town_a, tree.union_b1][i % 3])
        User.objects.filter(pk=user.pk).update(display_name=f"经办{i}")


def listed(qs):
    return list(qs.order_by("home_org__path", "username", "pk").values_list("pk", flat=True))


def test_every_account_once_by_unit_and_name_and_back(client, personas, accounts):
    client.force_login(personas.county_admin)
    expected = listed(User.objects.filter(home_org__isnull=False))
    assert len(expected) > 3 * paging.SIZE
    assert_walks(client, USERS, {}, expected, paging.SIZE)


def test_the_search_survives_paging(client, personas, accounts):
    client.force_login(personas.county_admin)
    expected = listed(User.objects.filter(username__contains="clerk"))
    assert len(expected) == 11  # and the personas town_clerk and union_clerk
    assert_walks(client, USERS, {"q": "clerk"}, expected, paging.SIZE)
    expected = listed(User.objects.filter(display_name__contains="经办"))
    assert_walks(client, USERS, {"q": "经办"}, expected, paging.SIZE)


def test_a_township_administrator_pages_only_through_the_township(client, personas, accounts, tree):
    client.force_login(personas.town_admin)
    pages, _ = walk(client, USERS)
    assert [pk for page in pages for pk in page] == listed(
        User.objects.filter(home_org__path__startswith=tree.town_a.path))
