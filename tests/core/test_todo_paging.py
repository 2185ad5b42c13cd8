"""The to-do page leaves nothing out without saying so (issue 15, item 1): the overview shows the
soonest items of each kind with "仅显示…共 N 项" and a link to the kind's own list, which pages to
its end; both filter by kind and by work line."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gonghui.core import views
from gonghui.orgs import services as org_services
from gonghui.orgs.models import OrgType

pytestmark = pytest.mark.django_db

TERMS = 11  # overdue terms seeded beyond the tree's own


@pytest.fixture
def many_terms(tree, monkeypatch):
    """TERMS unions under 甲镇 whose term has ended; small limits so that every cut shows."""
    monkeypatch.setattr(views, "TODO_PER_KIND", 3)
    monkeypatch.setattr(views, "TODO_PAGE", 4)
    today = timezone.localdate()
    for i in range(TERMS):
        elected = today.replace(year=today.year - 5) - dt.timedelta(days=10 + i)
        org_services.org_found(actor=None, parent=tree.town_a, name=f"到期{i:02d}公司工会",
                               org_type=OrgType.GRASSROOTS, founded_on=elected, elected_on=elected, term_years=5)


def names(html: str) -> list[str]:
    return re.findall(r"<td>(到期\d\d公司工会|[^<]*工会[^<]*)</td>", html)


def section(html: str, code: str) -> str:
    return re.search(rf'<section [^>]*data-todo-kind="{re.escape(code)}".*?</section>', html, re.S).group(0)


def test_the_overview_says_what_it_leaves_out_and_links_to_the_rest(client, personas, many_terms):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:todo")).content.decode()
    terms = section(page, "orgs.term_due")
    total = int(re.search(r"共 (\d+) 项", terms).group(1))
    assert total >= TERMS
    assert len(re.findall(r"<tr", terms)) == 1 + 3  # the header and the three soonest
    assert f"仅显示最早到期的前 3 项，共 {total} 项。" in terms
    assert 'href="?kind=orgs.term_due"' in terms


def test_a_kinds_list_pages_to_its_end_and_every_item_is_reachable(client, personas, many_terms):
    client.force_login(personas.town_clerk)
    url, seen, pages = reverse("core:todo") + "?kind=orgs.term_due", [], 0
    while url:
        page = client.get(url).content.decode()
        terms = section(page, "orgs.term_due")
        seen += names(terms)
        pages += 1
        nxt = re.search(r'rel="next" href="([^"]+)"', terms)
        url = reverse("core:todo") + nxt.group(1).replace("&amp;", "&") if nxt else None
    total = int(re.search(r"共 (\d+) 项", terms).group(1))
    assert len(seen) == total == len(set(seen)) and pages == -(-total // 4)
    assert {f"到期{i:02d}公司工会" for i in range(TERMS)} <= set(seen)
    assert f"第 {pages} / {pages} 页" in terms
    # A page past the end (items done meanwhile) shows the last page, not an empty one.
    page = client.get(reverse("core:todo"), {"kind": "orgs.term_due", "page": "999"}).content.decode()
    assert f"第 {pages} / {pages} 页" in page and names(section(page, "orgs.term_due"))


def test_the_filters_by_kind_and_by_work_line(client, personas, many_terms):
    client.force_login(personas.county_admin)
    page = client.get(reverse("core:todo")).content.decode()
    assert '<option value="orgs.term_due">' in page and '<option value="orgs">组织</option>' in page
    only_orgs = client.get(reverse("core:todo"), {"line": "orgs"}).content.decode()
    kinds = set(re.findall(r'data-todo-kind="([^"]+)"', only_orgs))
    assert kinds == {"orgs.term_due"}
    # A kind the user may not see, or that does not exist, is the overview.
    page = client.get(reverse("core:todo"), {"kind": "nope"}).content.decode()
    assert "仅显示最早到期的前 3 项" in page


def test_the_overview_costs_the_same_however_many_items_are_due(client, tree, personas, many_terms):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.county_admin)
    client.get(reverse("core:todo"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("core:todo"))
    today = timezone.localdate()
    for i in range(10):
        elected = today.replace(year=today.year - 6) - dt.timedelta(days=i)
        org_services.org_found(actor=None, parent=tree.town_a, name=f"更多{i}公司工会", org_type=OrgType.GRASSROOTS,
                               founded_on=elected, elected_on=elected, term_years=5)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("core:todo"))
    assert len(after) == len(before)
