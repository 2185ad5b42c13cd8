"""The dashboard's figures are cached on the data version: a view when nothing changed computes
none, any service write makes the next view recompute, and a node's cached figures are never
served for another node (issue 14, item 3)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core import figcache
from gonghui.core.metrics import REGISTRY, metric
from gonghui.core.models import AuditEvent
from gonghui.core.periods import Period
from gonghui.members import services as member_services
from tests.conftest import PASSWORD
from tests.members.conftest import make_id
from tests.petitions.conftest import make_petition

D = dt.date
H1 = "?preset=h1&year=2025"
# Tables only figures read; the page itself reads orgs, grants, locks, targets and the audit head.
FIGURE_TABLES = ("members_", "bargaining_", "petitions_", "assistance_", "orgs_employer", "orgs_coverage")


@pytest.fixture
def counted():
    """A registered figure that counts its computations (one per node and period asked)."""
    calls = []
    metric("probe.cache_probe", label="计数指标", unit="人", group="会员发展")(
        lambda org, period, subs: calls.append((org.code, period.start)) or 0)
    yield calls
    del REGISTRY["probe.cache_probe"]


def view(client, code="430121", query=H1):
    with CaptureQueriesContext(connection) as captured:
        r = client.get(reverse("reports:dashboard", args=[code]) + query)
    assert r.status_code == 200
    return r.content.decode(), captured


def figure_queries(captured):
    return [q["sql"] for q in captured if any(t in q["sql"] for t in FIGURE_TABLES)]


def cell(page, code):
    return re.search(rf'data-metric="{re.escape(code)}">([^<]+?) ', page).group(1)


def test_a_view_when_nothing_changed_computes_no_figure(client, data, personas, counted):
    client.force_login(personas.county_admin)
    first, captured_first = view(client)
    assert len(counted) == 2  # this year's and last year's
    assert figure_queries(captured_first)
    again, captured = view(client)
    assert counted[2:] == [] and figure_queries(captured) == []
    assert len(captured) < 25 < len(captured_first)
    assert cell(again, "members.total") == cell(first, "members.total") == "7"


def test_any_service_write_makes_the_next_view_recompute(client, data, personas, counted):
    t = data.tree
    client.force_login(personas.county_admin)
    page, _ = view(client)
    assert cell(page, "members.total") == "7" and cell(page, "petitions.total") == "0"
    member_services.member_join(actor=personas.county_admin, union=t.union_a2, name="补录", joined_on=D(2025, 6, 20),
                                id_number=make_id(seq=90))
    page, captured = view(client)
    assert cell(page, "members.total") == "8" and figure_queries(captured)
    make_petition(t.town_a, actor=personas.county_admin)
    page, _ = view(client)
    assert cell(page, "petitions.total") == "1" and cell(page, "members.total") == "8"
    assert len(counted) == 6  # three data versions, two periods each


def test_a_login_is_no_change_of_the_data(client, data, personas, counted):
    client.force_login(personas.county_admin)
    view(client)
    version = figcache.data_version()
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login.succeeded").exists()
    assert figcache.data_version() == version
    client.force_login(personas.county_admin)
    client.get(reverse("core:todo"))  # a new session counts its to-do badge here
    _, captured = view(client)
    assert figure_queries(captured) == [] and len(counted) == 2


def test_each_node_and_period_has_its_own_figures(client, data, personas):
    client.force_login(personas.county_admin)
    page, _ = view(client)
    assert cell(page, "members.total") == "7"
    # The township admin's dashboard (甲镇) right after: the county's cached figures are not his.
    client.force_login(personas.town_admin)
    page = client.get(reverse("reports:index") + H1).content.decode()
    assert "统计：甲镇工会联合会" in page and cell(page, "members.total") == "4"
    # Nor can he ask for the county's groups or charts.
    assert client.get(reverse("reports:dashboard_group", args=["430121"]) + H1).status_code == 404
    assert client.get(reverse("reports:dashboard_chart", args=["430121"]) + H1).status_code == 404
    # Another period of the same node is another figure.
    client.force_login(personas.county_admin)
    page, _ = view(client, query="?preset=year&year=2024")
    assert cell(page, "members.total") == "2"


def test_the_key_names_the_node_period_and_data_version(data):
    t = data.tree
    period = Period(D(2025, 1, 1), D(2025, 6, 30))
    v = figcache.data_version()
    keys = {figcache.key(v, "value", org, period, True, "members.total") for org in (t.root, t.town_a, t.town_b)}
    assert len(keys) == 3
    assert figcache.key(v, "value", t.root, period, True, "members.total") != figcache.key(
        v, "value", t.root, period, False, "members.total")
    member_services.member_join(actor=None, union=t.union_a2, name="补录", joined_on=D(2025, 6, 20),
                                id_number=make_id(seq=91))
    assert figcache.data_version() != v


def test_a_large_subtree_loads_its_groups_after_the_page(client, data, personas, settings, counted):
    settings.GONGHUI_DASHBOARD_INLINE_ORGS = 3  # the test county has 7 orgs
    client.force_login(personas.county_admin)
    client.get(reverse("core:todo"))  # the session's to-do badge (its count queries) comes from here
    page, captured = view(client)
    assert counted == [] and figure_queries(captured) == []
    assert "data-metric" not in page and 'id="chart-data"' not in page
    groups = re.findall(r'hx-get="(/reports/430121/group/\?[^"]+)"', page)
    assert len(groups) == len({m.group for m in REGISTRY.values()})
    assert 'hx-get="/reports/430121/chart/?' in page and 'aria-busy="true"' in page
    # The first groups come at once, the others when scrolled to (a page computes what it shows).
    triggers = re.findall(r'hx-get="/reports/430121/group/\?[^"]+" hx-trigger="([^"]+)"', page)
    assert triggers == ["load"] * 2 + ["intersect once"] * (len(groups) - 2)
    # Each group computes its own figures only.
    fragment = client.get(groups[0].replace("&amp;", "&")).content.decode()
    assert "组织建设" in fragment and 'data-metric="orgs.unions_total"' in fragment
    assert 'data-metric="members.total"' not in fragment
    chart = client.get(re.search(r'hx-get="(/reports/430121/chart/\?[^"]+)"', page).group(1).replace("&amp;", "&"))
    assert 'id="chart-data"' in chart.content.decode()
    # A group computed once is served in the page itself; the next group still to compute is fetched at once.
    page, captured = view(client)
    assert cell(page, "orgs.unions_total") and figure_queries(captured) == []
    assert re.findall(r'hx-get="/reports/430121/group/\?[^"]+" hx-trigger="([^"]+)"', page)[:2] == ["load", "load"]
    assert len(re.findall(r'hx-get="(/reports/430121/group/\?[^"]+)"', page)) == len(groups) - 1
    for url in groups[1:]:
        assert client.get(url.replace("&amp;", "&")).status_code == 200
    # Once every group was computed, the whole page is served at once from the cache.
    page, captured = view(client)
    assert cell(page, "members.total") == "7" and 'id="chart-data"' in page and figure_queries(captured) == []
    assert "hx-get=\"/reports/430121/group/" not in page
    assert client.get(reverse("reports:dashboard_group", args=["430121"]) + H1 + "&group=无此分组").status_code == 404
    # Another figure's charts, not cached yet: the figures come at once, the charts after the page.
    page, captured = view(client, query=H1 + "&metric=members.total")
    assert cell(page, "members.total") == "7" and figure_queries(captured) == []
    assert 'id="chart-data"' not in page and 'hx-get="/reports/430121/chart/?' in page and "metric=members.total" in page


def test_an_unknown_cache_url_is_refused_in_chinese_without_echoing_it(tmp_path):
    """django-environ's own error is English; a password in the URL must not reach the log."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "GONGHUI_DATA_DIR": str(tmp_path), "PYTHONPATH": str(src),
           "GONGHUI_CACHE_URL": "memcache-typo://:s3cret@cachehost:11211"}
    out = subprocess.run([sys.executable, "-c", "import gonghui.settings"], env=env, capture_output=True, text=True)
    assert out.returncode != 0
    assert "GONGHUI_CACHE_URL 的类型 'memcache-typo' 无法识别" in out.stderr
    assert "s3cret" not in out.stderr


def test_the_summary_of_an_unchanged_period_reads_its_figures_and_breakdowns_from_the_cache(data, personas, counted):
    """Issue 14: the summary computes its figures and its charts' and problems' breakdowns under the
    data version; rendered again when nothing changed, it reads no figure table, and a write makes
    it compute again."""
    from gonghui.reports import summary

    county = data.tree.root
    period = Period.half(2025, 1)
    with CaptureQueriesContext(connection) as first:
        summary.render(county, period)
    assert figure_queries(first) and len(counted) == 2
    with CaptureQueriesContext(connection) as again:
        summary.render(county, period)
    assert figure_queries(again) == [] and len(counted) == 2
    member_services.member_join(actor=personas.county_admin, union=data.tree.union_a2, name="补录",
                                joined_on=D(2025, 6, 20), id_number=make_id(seq=91))
    with CaptureQueriesContext(connection) as after:
        summary.render(county, period)
    assert figure_queries(after) and len(counted) == 4
