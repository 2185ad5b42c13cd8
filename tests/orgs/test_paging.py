"""The employers list pages by keyset (issue 14, item 5), in its order (属地工会, then name)."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.core import paging
from gonghui.orgs import conf, services
from gonghui.orgs.models import Coverage, Employer, required_q
from tests.core.pager import assert_walks, ids, links, walk

pytestmark = pytest.mark.django_db
EMPLOYERS = reverse("orgs:employers")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "SIZE", 3)


@pytest.fixture
def employers(tree):
    # Names shared between the two townships and within one (the id decides), sizes either side
    # of the threshold for a required union.
    for i in range(9):
        services.employer_create(actor=None, org=tree.town_a, name=f"甲{'东西南北'[i % 4]}公司", headcount=10 + 30 * i,
                                 women_count=1, registered_on=dt.date(2015, 1, 1))
    for i in range(4):
        services.employer_create(actor=None, org=tree.town_b, name=f"甲{'东西'[i % 2]}公司", headcount=50,
                                 women_count=1, registered_on=dt.date(2015, 1, 1))


def in_list_order(qs):
    return list(qs.order_by("org__path", "name", "pk").values_list("pk", flat=True))


def test_every_employer_once_in_order_and_back(client, personas, employers):
    client.force_login(personas.county_admin)
    expected = in_list_order(Employer.objects.all())
    assert len(expected) == 5 + 9 + 4
    assert_walks(client, EMPLOYERS, {}, expected, paging.SIZE)


def test_filters_survive_paging(client, personas, employers):
    client.force_login(personas.county_admin)
    expected = in_list_order(Employer.objects.filter(name__contains="东"))
    assert len(expected) > paging.SIZE
    assert_walks(client, EMPLOYERS, {"q": "东"}, expected, paging.SIZE)
    covered = Coverage.objects.filter(valid_to__isnull=True).values("employer")
    expected = in_list_order(Employer.objects.filter(required_q(conf.get("REQUIRED_HEADCOUNT")))
                             .exclude(pk__in=covered))
    assert len(expected) > paging.SIZE
    assert_walks(client, EMPLOYERS, {"uncovered": "1", "required": "1"}, expected, paging.SIZE)


def test_a_township_clerk_pages_only_through_the_township(client, personas, employers, tree):
    client.force_login(personas.town_clerk)
    pages, _ = walk(client, EMPLOYERS)
    seen = [pk for page in pages for pk in page]
    assert seen == in_list_order(Employer.objects.filter(org__path__startswith=tree.town_a.path))
    assert not Employer.objects.filter(pk__in=seen, org=tree.town_b).exists()


def test_a_bad_cursor_gives_the_first_page_with_a_message(client, personas, employers):
    client.force_login(personas.county_admin)
    first = client.get(EMPLOYERS, {"q": "东"})
    cursor = links(first)["next"].split("cursor=")[1]
    response = client.get(EMPLOYERS, {"q": "东", "cursor": cursor[2:]})
    assert ids(response) == ids(first) and "分页链接无效" in response.content.decode()


def test_a_cursor_whose_row_is_gone_gives_the_first_page_with_a_message(client, personas, employers):
    client.force_login(personas.county_admin)
    first = client.get(EMPLOYERS)
    boundary = Employer.objects.get(pk=ids(first)[-1])
    nxt = links(first)["next"]
    Employer.objects.filter(pk=boundary.pk).delete()  # no service deletes employers; the row just goes
    response = client.get(nxt)
    assert response.status_code == 200 and ids(response) == ids(client.get(EMPLOYERS))
    assert "分页起点的记录已不存在" in response.content.decode()


def test_the_org_search_pages_by_keyset_in_tree_order(client, personas, tree):
    """The org search (name, code or pinyin) walks its matches once, shallow first then by path, and
    back; no OFFSET left (issue 14)."""
    from gonghui.orgs.models import Org

    client.force_login(personas.county_admin)
    expected = list(Org.objects.filter(name__contains="工会").order_by("depth", "path").values_list("pk", flat=True))
    assert len(expected) > paging.SIZE
    assert_walks(client, reverse("orgs:tree"), {"q": "工会"}, expected, paging.SIZE)
    client.force_login(personas.town_clerk)
    pages, _ = walk(client, reverse("orgs:tree"), {"q": "工会"})
    seen = [pk for page in pages for pk in page]
    assert seen == [pk for pk in expected if Org.objects.get(pk=pk).path.startswith(tree.town_a.path)]
