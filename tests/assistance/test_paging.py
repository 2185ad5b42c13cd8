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


# --- campaigns, pairings and helpers: keyset too, no OFFSET left (issue 14) ----------------------

CAMPAIGNS = reverse("assistance:campaigns")
PAIRINGS = reverse("assistance:pairings")


def test_campaigns_walk_once_newest_first_and_back(client, personas, tree):
    for i in range(8):  # shared start dates: the id decides
        services.campaign_create(actor=None, org=tree.town_a if i % 2 else tree.town_b, name=f"活动{i}", type="warmth",
                                 start_on=D(2025, 1, 1 + i // 3), end_on=D(2025, 3, 1), budget="1000")
    client.force_login(personas.county_admin)
    from gonghui.assistance.models import Campaign

    expected = newest_first(Campaign.objects.all(), "start_on")
    assert_walks(client, CAMPAIGNS, {}, expected, paging.SIZE)
    client.force_login(personas.town_clerk)
    pages, _ = walk(client, CAMPAIGNS)
    assert [pk for page in pages for pk in page] == newest_first(Campaign.objects.filter(org=tree.town_a), "start_on")


def test_pairings_and_helpers_page_by_keyset_each_under_its_own_cursor(client, personas, tree, archive, monkeypatch):
    import html
    import re

    from gonghui.assistance.models import Helper, Pairing

    helpers = [services.helper_create(actor=None, org=tree.town_a, name=f"单位{i}") for i in range(5)]
    archives = [archive(tree.union_a1, name=f"结对户{i}") for i in range(7)]
    for i, a in enumerate(archives):
        services.pairing_create(actor=None, helper=helpers[i % 5], archive=a, pledged_on=D(2025, 2, 1 + i // 2))
    client.force_login(personas.county_admin)
    expected = newest_first(Pairing.objects.all(), "pledged_on")
    _, responses = assert_walks(client, PAIRINGS, {}, expected, paging.SIZE)  # the helpers fit on one page
    # The helpers' own pager: `helpers` cursor, back to #helpers, the pairings' cursor kept.
    monkeypatch.setattr(paging, "PART", 2)
    second = responses[1]
    rows, url = [], second.request["PATH_INFO"] + "?" + second.request["QUERY_STRING"]
    while url:
        response = client.get(url)
        assert ids(response) == ids(second)
        rows += [h.pk for h in response.context["helpers"].items]
        nxt = re.search(r'rel="next" href="([^"]*#helpers)"', response.content.decode())
        url = html.unescape(nxt.group(1)).split("#")[0] if nxt else None
        assert nxt is None or "cursor=" in nxt.group(1)  # the pairings' page is kept
        assert len(rows) < 20
    assert rows == list(Helper.objects.order_by("org__path", "name", "pk").values_list("pk", flat=True))
