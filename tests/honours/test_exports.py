"""The 职工之家 and contest-result lists come out as workbooks of what the user may see (the union
picked on the page, or the whole scope), with the rows' states and results as the pages show them;
their queries do not grow with the rows."""

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.honours import services

D = dt.date


def _rows(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, r in enumerate(values) if r and r[0] in ("基层工会", "竞赛名称", "类别"))
    return values[start:]


def test_home_ratings_export_in_scope_with_their_state(client, tree, personas):
    old = services.home_rate(actor=None, org=tree.union_a1, level="qualified", rated_on=D(2022, 5, 1), issuer="县总工会")
    services.home_rate(actor=None, org=tree.union_a1, level="model", rated_on=D(2025, 5, 1), issuer="市总工会")
    services.home_rate(actor=None, org=tree.union_a2, level="advanced", rated_on=D(2025, 3, 1))
    services.home_rate(actor=None, org=tree.union_b1, level="county", rated_on=D(2025, 3, 1))
    client.force_login(personas.town_clerk)
    page = client.get(reverse("honours:homes")).content.decode()
    assert reverse("honours:home_export") in page
    rows = _rows(client.get(reverse("honours:home_export")))
    assert rows[0][:5] == ["基层工会", "级别", "命名日期", "命名单位", "状态"]
    body = rows[1:]
    assert len(body) == 3 and {r[0] for r in body} == {tree.union_a1.name, tree.union_a2.name}  # not 乙一
    old.refresh_from_db()
    replaced = next(r for r in body if r[3] == "县总工会")
    assert replaced[4] == "已撤销/被替代" and replaced[6] is None and old.revoked_on == D(2025, 5, 1)
    current = next(r for r in body if r[3] == "市总工会")
    assert current[1] == "模范职工之家" and current[4] == "有效" and current[6] is not None
    # The union picked on the page: only its ratings; a union out of scope is a 404, not the scope's rows.
    only = _rows(client.get(reverse("honours:home_export"), {"org": tree.union_a2.code}))[1:]
    assert [r[0] for r in only] == [tree.union_a2.name]
    for export in ("honours:home_export", "honours:worker_export", "honours:contest_export"):
        assert client.get(reverse(export), {"org": tree.union_b1.code}).status_code == 404, export


def test_contest_results_export_in_scope_and_flat(client, tree, personas):
    def contest(org, name, n):
        c = services.contest_create(actor=None, org=org, name=name, kind="skill", start_on=D(2025, 5, 1),
                                    end_on=D(2025, 5, 31), events=["电工"])
        for i in range(n):
            services.entry_add(actor=None, event=c.events.get(), org=org if org.depth > 2 else tree.union_a1,
                               name=f"{name}选手{i}", rank=i + 1, award="一等奖" if i == 0 else "",
                               title_earned="技术能手" if i == 0 else "", prize=2000 if i == 0 else 0, team="甲队")
        return c

    contest(tree.town_a, "甲镇电工赛", 2)
    contest(tree.union_b1, "乙一岗位赛", 1)
    client.force_login(personas.town_clerk)
    assert reverse("honours:contest_export") in client.get(reverse("honours:contests")).content.decode()
    with CaptureQueriesContext(connection) as few:
        rows = _rows(client.get(reverse("honours:contest_export")))
    assert rows[0][:3] == ["竞赛名称", "类别", "组织单位"]
    body = rows[1:]
    assert [r[6] for r in body] == ["甲镇电工赛选手0", "甲镇电工赛选手1"]  # 乙一's contest is out of scope
    first = body[0]
    assert first[5] == "电工" and first[8] == "甲队" and first[9] == 1 and first[11:13] == ["一等奖", "技术能手"]
    assert float(first[13]) == 2000
    for i in range(2, 8):
        services.entry_add(actor=None, event=tree.town_a.contests.get().events.get(), org=tree.union_a2,
                           name=f"加{i}", rank=i + 1)
    with CaptureQueriesContext(connection) as many:
        assert len(_rows(client.get(reverse("honours:contest_export")))) == 9
    assert len(many) == len(few)


def test_innovations_ledger_export_by_kind_in_scope(client, tree, personas):
    def item(org, kind, title, adopted=None):
        i = services.innovation_add(actor=None, org=org, kind=kind, title=title, proposer="张三",
                                    submitted_on=D(2025, 3, 1))
        if adopted is not None:
            services.innovation_decide(actor=None, item=i, adopted=adopted, on=D(2025, 4, 1), benefit="12000",
                                       reward="500")

    item(tree.union_a1, "suggestion", "改进下料工艺", adopted=True)
    item(tree.union_a2, "suggestion", "更换照明", adopted=False)
    item(tree.union_a1, "innovation", "焊接夹具")
    item(tree.union_b1, "suggestion", "乙一建议")
    client.force_login(personas.town_clerk)
    page = client.get(reverse("honours:innovations"), {"kind": "suggestion"}).content.decode()
    assert reverse("honours:innovation_export") + "?kind=suggestion" in page
    rows = _rows(client.get(reverse("honours:innovation_export")))
    assert {r[1] for r in rows[1:]} == {"改进下料工艺", "更换照明", "焊接夹具"}  # 乙一's is out of scope
    rows = _rows(client.get(reverse("honours:innovation_export"), {"kind": "suggestion"}))
    adopted = next(r for r in rows[1:] if r[1] == "改进下料工艺")
    assert len(rows) == 3 and adopted[6] == "已采纳" and float(adopted[8]) == 12000 and float(adopted[9]) == 500
    rejected = next(r for r in rows[1:] if r[1] == "更换照明")
    assert float(rejected[8]) == 0
