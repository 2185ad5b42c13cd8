"""The navigation's to-do badge is counted once and kept in the session for a few minutes;
the to-do page always counts afresh and updates it."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gonghui.orgs import services as org_services
from gonghui.orgs.models import OrgType

pytestmark = pytest.mark.django_db


def badge(html: str) -> str:
    """The 待办 entry with its badge, e.g. "待办 3" ("待办" when nothing is due)."""
    m = re.search(r">待办(?: <span [^>]*data-todo-count[^>]*>(\d+)</span>)?</a>", html)
    return "待办" + (f" {m.group(1)}" if m.group(1) else "")


def test_the_badge_is_cached_and_the_todo_page_refreshes_it(client, tree, personas):
    client.force_login(personas.town_clerk)
    first = badge(client.get("/orgs/").content.decode())
    with CaptureQueriesContext(connection) as cached:
        second = badge(client.get("/orgs/").content.decode())
    assert first == second
    assert not any("COUNT" in q["sql"] and "term_ends_on" in q["sql"] for q in cached)  # no reminder counted
    # A new overdue term: the badge catches up on the to-do page.
    today = timezone.localdate()
    elected = today.replace(year=today.year - 5) - dt.timedelta(days=3)
    org_services.org_found(actor=None, parent=tree.town_a, name="甲六公司工会", org_type=OrgType.GRASSROOTS,
                           founded_on=elected, elected_on=elected, term_years=5)
    assert badge(client.get("/orgs/").content.decode()) == first
    todo = badge(client.get("/todo/").content.decode())
    assert todo != first and badge(client.get("/orgs/").content.decode()) == todo
