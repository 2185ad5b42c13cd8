"""The statistics pages: dashboard, drill-down, record lists, downloads, to-do and its count."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.core.metrics import REGISTRY

D = dt.date
H1 = "?preset=h1&year=2025"


def test_dashboard_shows_every_group_with_last_year_and_chart_data(client, data, personas):
    client.force_login(personas.county_admin)
    r = client.get(reverse("reports:index") + H1)
    assert r.status_code == 200
    page = r.content.decode()
    for m in REGISTRY.values():
        assert f'data-metric="{m.code}"' in page
    cell = re.search(r'data-metric="members.total">(\d+)', page)
    assert cell.group(1) == "7"
    assert "vendor/echarts/echarts.min.js" in page and 'id="chart-data"' in page
    import json

    raw = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    chart = json.loads(raw)
    assert chart["metric"] == "基层工会总数" and len(chart["trend"]) == 6
    assert ["甲镇工会联合会", 2.0] in chart["parts"]


def test_drill_down_from_figure_to_township_to_records(client, data, personas):
    client.force_login(personas.county_admin)
    page = client.get(reverse("reports:figure", args=["430121", "members.total"]) + H1).content.decode()
    assert "与合计一致" in page
    assert reverse("reports:figure", args=["A", "members.total"]) in page
    page = client.get(reverse("reports:figure", args=["A", "members.total"]) + H1).content.decode()
    assert re.search(r"甲一公司工会</a></td>\s*<td class=\"text-end part-value\">3<", page)
    page = client.get(reverse("reports:records", args=["A1", "members.total"]) + H1).content.decode()
    for name in ("李二", "王三", "孙五"):
        assert name in page
    assert "张一" not in page  # left on 1 Jun
    page = client.get(reverse("reports:records", args=["B", "members.new"]) + H1).content.decode()
    assert "周六（入会）" in page and "吴七（入会）" in page and "钱四" not in page


def test_drill_down_is_scoped(client, data, personas):
    client.force_login(personas.town_admin)
    assert client.get(reverse("reports:figure", args=["B", "members.total"])).status_code == 404
    assert client.get(reverse("reports:records", args=["B", "members.total"])).status_code == 404
    assert client.get(reverse("reports:figure", args=["A", "members.nonsense"])).status_code == 404
    # The township admin's dashboard starts at his township.
    page = client.get(reverse("reports:index") + H1).content.decode()
    assert "统计：甲镇工会联合会" in page and "乙街道总工会" not in page


def test_record_lists_need_the_work_lines_view_permission(client, data, personas):
    """Seeing statistics does not imply seeing the members behind them."""
    from gonghui.accounts.models import Role
    from tests.conftest import make_user

    role = Role.objects.create(name="仅统计", permissions=["stats.view"])
    user = make_user("stats_only", data.tree.root)
    from gonghui.accounts.models import Grant

    Grant.objects.create(user=user, org=data.tree.root, role=role)
    client.force_login(user)
    assert client.get(reverse("reports:figure", args=["A", "members.total"])).status_code == 200
    assert client.get(reverse("reports:records", args=["A", "members.total"])).status_code == 403


def test_bad_period_keeps_the_page_and_says_why(client, data, personas):
    client.force_login(personas.leader)
    r = client.get(reverse("reports:dashboard", args=["A"]), {"preset": "custom", "from": "2025-07-01",
                                                              "to": "2025-01-01"})
    assert r.status_code == 200 and "晚于截止日期" in r.content.decode()


def test_downloads(client, data, personas):
    client.force_login(personas.leader)
    r = client.get(reverse("reports:tables", args=["430121"]) + H1)
    assert r.status_code == 200 and "filename*=UTF-8''" in r["Content-Disposition"]
    wb = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    assert "会员发展" in wb.sheet_names
    r = client.get(reverse("reports:template_download", args=["430121"]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    # The leader may look, not manage.
    assert client.get(reverse("reports:targets", args=["430121"])).status_code == 403
    assert client.get(reverse("reports:template", args=["430121"])).status_code == 403


def test_dashboard_queries_do_not_grow_with_subordinates(client, data, personas):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.orgs import services as org_services
    from gonghui.orgs.models import OrgType

    client.force_login(personas.county_admin)
    url = reverse("reports:dashboard", args=["430121"]) + H1
    client.get(url)
    cache.clear()  # both views compute their figures (a cached view computes none: test_dashboard_cache.py)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(3):
        org_services.org_found(actor=None, parent=data.tree.root, name=f"新{i}镇工会联合会",
                               org_type=OrgType.TOWNSHIP_FED, founded_on=D(2020, 1, 1), code=f"N{i}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_todo_lists_every_reminder_by_due_date_and_counts_in_the_nav(client, tree, personas):
    from django.utils import timezone

    from gonghui.orgs import services as org_services
    from gonghui.orgs.models import OrgType

    # 甲一's term ended on 2023-03-01 (overdue); 甲五's ends in 30 days.
    today = timezone.localdate()
    elected = today.replace(year=today.year - 5) + dt.timedelta(days=30)
    org_services.org_found(actor=None, parent=tree.town_a, name="甲五公司工会", org_type=OrgType.GRASSROOTS,
                           founded_on=elected, elected_on=elected, term_years=5)
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:todo")).content.decode()
    sections = re.findall(r"<section .*?</section>", page, re.S)  # one per kind, soonest first
    dates = [re.findall(r"(\d{4}-\d{2}-\d{2})</td>", s) for s in sections]
    assert all(d == sorted(d) for d in dates) and sum(map(len, dates)) >= 2
    assert "data-todo-count" in page
    client.force_login(personas.outsider)
    page = client.get(reverse("core:todo")).content.decode()
    assert "暂无待办" in page and "data-todo-count" not in page


def test_home_and_stats_figures_link_to_their_breakdown(client, data, personas):
    client.force_login(personas.leader)
    for page in (client.get(reverse("core:workbench_figures")).content.decode(),
                 client.get(reverse("core:stats"), {"from": "2025-01-01", "to": "2025-06-30"}).content.decode()):
        link = re.search(r'href="(/reports/430121/figure/members\.total/\?[^"]+)"', page).group(1)
        r = client.get(link.replace("&amp;", "&"))
        assert r.status_code == 200 and "会员总数（人）：长沙县总工会按下级单位" in r.content.decode()


@pytest.fixture
def bare_metric():
    """A figure of another work line with neither a records hook nor a list page of its own."""
    from gonghui.core.metrics import REGISTRY, metric

    metric("petitions.test_bare", label="测试指标", unit="宗", group="测试")(lambda org, period, subs: 0)
    yield REGISTRY["petitions.test_bare"]
    del REGISTRY["petitions.test_bare"]


def test_records_fall_back_to_the_work_lines_list(client, data, personas, bare_metric):
    client.force_login(personas.county_admin)
    page = client.get(reverse("reports:records", args=["A", bare_metric.code])).content.decode()
    assert f'href="{reverse("petitions:index")}?org=A"' in page


def test_employer_records_need_the_employers_permission():
    from gonghui.reports.views import record_perm

    assert record_perm("orgs.employers_covered") == "employers.view"
    assert record_perm("orgs.unions_total") == "orgs.view"
    assert record_perm("mediation.cases") == "petitions.view"
    assert record_perm("pairing.amount") == "assistance.view"


def test_the_navigation_count_is_one_count_per_reminder(rf, tree, personas):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.core import reminders, scope
    from gonghui.core.context_processors import navigation

    request = rf.get("/")
    request.user = personas.county_admin
    request.session = SessionStore()
    scope.has_perm(personas.county_admin, "orgs.view")  # the grants, read once per request anyway
    with CaptureQueriesContext(connection) as first:
        navigation(request)
    with CaptureQueriesContext(connection) as again:
        navigation(request)  # counted once per request
    visible = [r for r in reminders.REGISTRY.values() if scope.has_perm(personas.county_admin, r.perm)]
    # A count per reminder (a reminder may need a second one, e.g. two kinds of deadline), no rows.
    assert len(first) <= 2 * len(visible) and len(again) == 0
    assert not any("LIMIT 0" in q["sql"] for q in first.captured_queries)
    todo = next(i for i in navigation(request)["nav_links"] if i["url"] == reverse("core:todo"))
    # 甲一's term ended in 2023, and the tree's one large employer without a union has not declared
    # last month's payroll for its 工会筹备金 (funds.preparation_undeclared).
    assert todo["badge"] == 2
