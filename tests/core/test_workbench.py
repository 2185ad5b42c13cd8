"""The start page: a workbench of quick actions, to-do items, recent records and a few headline
figures fetched after the page; it computes no figure itself (issue 14, item 3)."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.core.metrics import REGISTRY, metric
from gonghui.members import services as member_services
from gonghui.orgs import services as org_services
from gonghui.orgs.models import OrgType
from tests.conftest import PASSWORD
from tests.members.conftest import make_id
from tests.petitions.conftest import make_petition
from tests.reports.conftest import build_data

D = dt.date


def home_queries(client):
    with CaptureQueriesContext(connection) as captured:
        r = client.get(reverse("core:home"))
    assert r.status_code == 200
    return len(captured)


def test_the_start_page_computes_no_figure_whatever_the_registry_holds(client, tree, personas):
    client.force_login(personas.county_admin)
    client.get(reverse("core:home"))  # the navigation's to-do badge is counted once per session
    before = home_queries(client)
    assert before <= 15
    # Twenty more registered figures that count their computations change nothing.
    calls, codes = [], [f"probe.wb_test_{i}" for i in range(20)]
    try:
        for code in codes:
            metric(code, label="测试指标", unit="人", group="测试")(
                lambda org, period, subs, code=code: calls.append(code) or 0)
        assert home_queries(client) == before
        assert "data-metric" not in client.get(reverse("core:home")).content.decode()
        assert calls == []
    finally:
        for code in codes:
            REGISTRY.pop(code, None)


def test_the_first_start_page_of_a_session_leaves_the_todo_count_to_its_fragment(client, tree, personas):
    client.force_login(personas.town_clerk)  # 甲一's term ended in 2023: one overdue item at least
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("core:home")).content.decode()
    assert not [q for q in captured if "COUNT" in q["sql"] and "term_ends_on" in q["sql"]]  # no reminder counted
    assert ">待办</a>" in page
    todo = client.get(reverse("core:workbench_todo")).content.decode()
    n = int(re.search(r"共 (\d+) 项", todo).group(1))
    assert n >= 1 and re.search(rf">待办 <span [^>]*data-todo-count[^>]*>{n}</span></a>",
                                client.get(reverse("core:home")).content.decode())


def test_the_page_fetches_its_todo_and_figures_after_it_arrived(client, tree, personas):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:home")).content.decode()
    assert f'hx-get="{reverse("core:workbench_todo")}"' in page
    assert f'hx-get="{reverse("core:workbench_figures")}"' in page
    # Accessible: each part of the workbench has a heading the region is labelled by.
    for heading in ("快捷操作", "待办事项", "主要指标", "我最近办理的", "本辖区最近变动"):
        assert heading in page
    assert 'aria-labelledby="wb-todo-h"' in page


def test_quick_actions_are_the_declared_ones_the_user_may_use(client, tree, personas):
    client.force_login(personas.town_clerk)  # 业务经办: records members and petitions
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("members:join")}">新增会员（入会）<' in page
    assert f'href="{reverse("petitions:register")}">登记信访<' in page
    client.force_login(personas.leader)  # 查阅: looks only
    page = client.get(reverse("core:home")).content.decode()
    assert "新增会员" not in page and "登记信访" not in page and 'id="wb-actions"' not in page
    client.force_login(personas.outsider)
    page = client.get(reverse("core:home")).content.decode()
    assert "尚未获得任何单位的授权" in page and "wb-todo" not in page


def test_the_todo_fragment_lists_the_users_due_items_only(client, tree, personas):
    today = timezone.localdate()
    elected = today.replace(year=today.year - 5) + dt.timedelta(days=30)
    for parent, name in ((tree.town_a, "甲五公司工会"), (tree.town_b, "乙五公司工会")):
        org_services.org_found(actor=None, parent=parent, name=name, org_type=OrgType.GRASSROOTS,
                               founded_on=elected, elected_on=elected, term_years=5)
    client.force_login(personas.town_clerk)  # 甲镇
    page = client.get(reverse("core:workbench_todo")).content.decode()
    assert "甲五公司工会" in page and "即将届满" in page
    assert "乙五公司工会" not in page
    assert re.search(r"共 \d+ 项", page)
    # The navigation badge counts what the fragment counted.
    total = int(re.search(r"共 (\d+) 项", page).group(1))
    assert re.search(rf"data-todo-count[^>]*>{total}</span>", client.get(reverse("core:home")).content.decode())


def test_recent_records_are_the_users_own_and_others_in_his_scope(client, tree, personas):
    member_services.member_join(actor=personas.town_clerk, union=tree.union_a1, name="甲一新会员",
                                joined_on=D(2025, 3, 1), id_number=make_id(seq=301))
    member_services.member_join(actor=personas.county_admin, union=tree.union_a2, name="甲二新会员",
                                joined_on=D(2025, 3, 1), id_number=make_id(seq=302))
    member_services.member_join(actor=personas.county_admin, union=tree.union_b1, name="乙一新会员",
                                joined_on=D(2025, 3, 1), id_number=make_id(seq=303))
    make_petition(tree.town_a, actor=personas.county_admin, name="信访人甲")
    assert client.post(reverse("accounts:login"), {"username": "town_clerk", "password": PASSWORD}).status_code == 302
    page = client.get(reverse("core:home")).content.decode()
    mine = re.search(r'id="wb-mine">(.*?)</table>', page, re.S).group(1)
    others = re.search(r'id="wb-scope">(.*?)</table>', page, re.S).group(1)
    assert "甲一新会员" in mine and "入会" in mine and "甲一公司工会" in mine
    assert "登录" not in page  # sign-ins are no records (the login below writes one)
    assert "甲二新会员" in others and "county_admin" in others
    assert "甲一新会员" not in others  # his own are listed once, under his own
    assert "乙一新会员" not in page  # 乙街道 is outside 甲镇
    # The leader (查阅, whole county) sees the members' records but not the petitions' (no petitions.view).
    client.force_login(personas.leader)
    page = client.get(reverse("core:home")).content.decode()
    assert "乙一新会员" in page and "甲二新会员" in page
    petition_labels = {e for e in re.findall(r"<td>([^<]*信访[^<]*)</td>", page)}
    assert petition_labels == set()
    client.force_login(personas.town_clerk)  # 业务经办 holds petitions.view on 甲镇
    assert "登记信访案件" in client.get(reverse("core:home")).content.decode()


def test_headline_figures_are_the_users_node_and_cached_until_a_write(client, tree, personas):
    t = build_data(tree).tree
    client.force_login(personas.town_admin)  # 甲镇
    url = reverse("core:workbench_figures")
    page = client.get(url).content.decode()
    assert "甲镇工会联合会" in page and "长沙县总工会" not in page
    total = int(re.search(r'data-metric="members.total">(\d+)', page).group(1))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).content.decode() == page
    assert not [q for q in captured if "members_" in q["sql"]]  # served from the cache
    member_services.member_join(actor=personas.town_admin, union=t.union_a2, name="新会员", joined_on=D(2025, 3, 5),
                                id_number=make_id(seq=401))
    page = client.get(url).content.decode()
    assert int(re.search(r'data-metric="members.total">(\d+)', page).group(1)) == total + 1
