"""The archive and application lists page by keyset (issue 14, item 5)."""

import pytest
from django.urls import reverse

from gonghui.assistance import services
from gonghui.assistance.models import Application, Archive
from gonghui.core import paging
from tests.core.pager import assert_walks, ids, links, walk

from .conftest import D

pytestmark = pytest.mark.django_db
ARCHIVES = reverse("assistance:archives")
APPLICATIONS = reverse("assistance:applications")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "SIZE", 3)


@pytest.fixture
def archives(tree, archive):
    made = []
    for i in range(10):  # shared creation dates: the id decides
        made.append(archive(tree.union_a1 if i % 2 else tree.union_a2, name=f"困难户{i}", created=D(2025, 1, 6 + i // 3),
                            female=i % 3 == 0))
    for i in range(4):
        made.append(archive(tree.union_b1, name=f"乙困难户{i}", created=D(2025, 1, 7)))
    return made


def newest_first(qs, field):
    return list(qs.order_by(f"-{field}", "-id").values_list("pk", flat=True))


def test_every_archive_once_newest_first_and_back(client, personas, archives):
    client.force_login(personas.county_admin)
    expected = newest_first(Archive.objects.all(), "created_on")
    assert len(expected) == 14
    assert_walks(client, ARCHIVES, {}, expected, paging.SIZE)


def test_archive_filters_survive_paging(client, personas, archives, tree):
    client.force_login(personas.county_admin)
    params = {"org": tree.town_a.code, "q": "困难户"}
    expected = newest_first(Archive.objects.filter(org__path__startswith=tree.town_a.path), "created_on")
    assert len(expected) == 10
    assert_walks(client, ARCHIVES, params, expected, paging.SIZE)
    expected = newest_first(Archive.objects.filter(gender=2), "created_on")
    assert len(expected) > paging.SIZE
    assert_walks(client, ARCHIVES, {"gender": "2"}, expected, paging.SIZE)


def test_a_township_clerk_pages_only_through_the_township(client, personas, archives, tree):
    client.force_login(personas.town_clerk)
    pages, _ = walk(client, ARCHIVES)
    seen = [pk for page in pages for pk in page]
    assert seen == newest_first(Archive.objects.filter(org__path__startswith=tree.town_a.path), "created_on")


def test_applications_page_with_their_filters(client, personas, archives, tree):
    for i, a in enumerate(archives):
        services.application_submit(actor=None, archive=a, type="living" if i % 2 else "medical",
                                    amount_requested=500, reason="生活困难", applied_on=D(2025, 2, 1 + i // 4))
    client.force_login(personas.county_admin)
    expected = newest_first(Application.objects.all(), "applied_on")
    assert len(expected) == 14
    assert_walks(client, APPLICATIONS, {}, expected, paging.SIZE)
    expected = newest_first(Application.objects.filter(type="living"), "applied_on")
    assert_walks(client, APPLICATIONS, {"type": "living"}, expected, paging.SIZE)
    client.force_login(personas.town_clerk)
    pages, _ = walk(client, APPLICATIONS)
    seen = [pk for page in pages for pk in page]
    assert seen == newest_first(Application.objects.filter(org__path__startswith=tree.town_a.path), "applied_on")


def test_a_bad_cursor_gives_the_first_page_with_a_message(client, personas, archives):
    client.force_login(personas.county_admin)
    first = client.get(ARCHIVES)
    cursor = links(first)["next"].split("cursor=")[1]
    response = client.get(ARCHIVES, {"cursor": cursor + "0"})
    assert ids(response) == ids(first) and "分页链接无效" in response.content.decode()
