"""Issue 21 item 4: teams (班组/集体) as records, 合理化建议 and 技术创新 with their figures, and the
contest-result import (all or nothing, row errors in Chinese, re-import changes nothing)."""

import datetime as dt
from decimal import Decimal

import pytest

from gonghui.core.errors import ServiceError
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.honours import services
from gonghui.honours.imports import ContestResultImporter
from gonghui.honours.models import Entry, Recipient, Team
from tests.core.test_excel import make_xlsx

D = dt.date
Y2025 = Period(D(2025, 1, 1), D(2025, 12, 31))


def test_teams_enter_contests_and_earn_collective_honours(tree):
    c = services.contest_create(actor=None, org=tree.root, name="全县技能竞赛", kind="skill", start_on=D(2025, 5, 1),
                                end_on=D(2025, 5, 31), events=["电工", "焊工"])
    elec, weld = c.events.order_by("id")
    services.entry_add(actor=None, event=elec, org=tree.union_a1, name="张", team="机修班")
    services.entry_add(actor=None, event=weld, org=tree.union_a1, name="王", team="机修班")
    services.entry_add(actor=None, event=elec, org=tree.union_b1, name="李", team="机修班")  # another union's
    services.entry_add(actor=None, event=elec, org=tree.union_b1, name="赵")
    assert Team.objects.count() == 2
    assert compute("honours.contest_teams", tree.root, Y2025).value == 2
    assert compute("honours.contest_teams", tree.town_a, Y2025).value == 1
    team = Team.objects.get(org=tree.union_a1)
    with pytest.raises(ServiceError, match="已有名为“机修班”"):
        services.team_create(actor=None, org=tree.union_a1, name="机修班")
    h = services.honour_apply(actor=None, org=tree.union_a1, recipient=Recipient.COLLECTIVE, recipient_name="机修班",
                              honour_type="pioneer", level="county", issuer="县总工会", year=2025,
                              applied_on=D(2025, 3, 1), team=team)
    assert h.team == team
    with pytest.raises(ServiceError, match="只能作为"):
        services.honour_apply(actor=None, org=tree.union_b1, recipient=Recipient.COLLECTIVE, recipient_name="机修班",
                              honour_type="pioneer", level="county", issuer="县总工会", year=2025,
                              applied_on=D(2025, 3, 1), team=team)


def test_suggestions_and_innovations_with_their_figures(tree):
    team = services.team_create(actor=None, org=tree.union_a1, name="技改小组", kind="project")
    s1 = services.innovation_add(actor=None, org=tree.union_a1, kind="suggestion", title="改进下料工序", proposer="张",
                                 submitted_on=D(2025, 2, 1))
    s2 = services.innovation_add(actor=None, org=tree.union_b1, kind="suggestion", title="节能照明", proposer="李",
                                 submitted_on=D(2025, 3, 1))
    services.innovation_add(actor=None, org=tree.union_b1, kind="suggestion", title="去年的建议", proposer="李",
                            submitted_on=D(2024, 3, 1))
    inn = services.innovation_add(actor=None, org=tree.union_a1, kind="innovation", title="焊接夹具", proposer="",
                                  team=team, submitted_on=D(2025, 4, 1))
    assert inn.proposer == "技改小组"
    with pytest.raises(ServiceError, match="提出人"):
        services.innovation_add(actor=None, org=tree.union_a1, kind="suggestion", title="无名", proposer="",
                                submitted_on=D(2025, 4, 1))
    services.innovation_decide(actor=None, item=s1, adopted=True, on=D(2025, 3, 1), benefit="12000.5", reward=500)
    services.innovation_decide(actor=None, item=s2, adopted=False, on=D(2025, 3, 5))
    services.innovation_decide(actor=None, item=inn, adopted=True, on=D(2026, 1, 5), benefit=80000)
    with pytest.raises(ServiceError, match="不能再次处理"):
        services.innovation_decide(actor=None, item=s1, adopted=False, on=D(2025, 4, 1))
    assert compute("honours.suggestions", tree.root, Y2025).value == 2
    assert compute("honours.suggestions_adopted", tree.root, Y2025).value == 1
    assert compute("honours.suggestion_benefit", tree.root, Y2025).value == Decimal("12000.50")
    assert compute("honours.innovations", tree.root, Y2025).value == 1
    assert compute("honours.innovation_benefit", tree.root, Y2025).value == Decimal("0.00")  # adopted in 2026
    assert compute("honours.suggestions", tree.town_a, Y2025).value == 1


HEADERS = ["竞赛名称", "项目", "参赛单位编码", "姓名", "公民身份号码", "队伍", "名次", "成绩", "奖项", "获得称号", "奖金(元)"]


def test_contest_result_import_is_all_or_nothing_and_updates_results(tree, personas, join):
    c = services.contest_create(actor=None, org=tree.town_a, name="甲镇技能竞赛", kind="skill", start_on=D(2025, 5, 1),
                                end_on=D(2025, 5, 31), events=["电工", "焊工"])
    member = join(tree.union_a1, "甲会员")
    number = member.person.id_number
    good = [["甲镇技能竞赛", "电工", "A1", "甲会员", number, "", 1, 95, "一等奖", "技术能手", 2000],
            ["甲镇技能竞赛", "焊工", "A1", "甲会员", number, "", 3, 80, "三等奖", "", 500],
            ["甲镇技能竞赛", "电工", "A1", "王选手", "", "机修班", "", "", "", "", ""]]
    bad = [*good,
           ["甲镇技能竞赛", "钳工", "A1", "李", "", "", "", "", "", "", ""],  # no such event
           ["甲镇技能竞赛", "电工", "B1", "乙", "", "", "", "", "", "", ""],  # outside the organiser
           ["乙镇竞赛", "电工", "A1", "丙", "", "", "", "", "", "", ""],  # no such contest
           ["甲镇技能竞赛", "电工", "A1", "甲会员", number, "", 2, "", "", "", ""]]  # twice in the file
    result = ContestResultImporter(actor=personas.town_clerk).run(make_xlsx([HEADERS, *bad]))
    got = {(e.row, e.column): e.reason for e in result.errors}
    assert "没有项目“钳工”" in got[(5, "项目")]
    assert any(r == 6 for r, _ in got) and any(r == 7 for r, _ in got) and any(r == 8 for r, _ in got)
    assert not Entry.objects.exists()
    result = ContestResultImporter(actor=personas.town_clerk).run(make_xlsx([HEADERS, *good]))
    assert result.ok, result.errors
    assert Entry.objects.count() == 3 and Entry.objects.filter(team_ref__name="机修班").count() == 1
    assert compute("honours.contest_participants", tree.town_a, Y2025).value == 2
    assert compute("honours.contest_prize", tree.town_a, Y2025).value == Decimal("2500.00")
    again = ContestResultImporter(actor=personas.town_clerk).run(make_xlsx([HEADERS, *good]))
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    good[2][6:9] = [2, 88, "二等奖"]
    again = ContestResultImporter(actor=personas.town_clerk).run(make_xlsx([HEADERS, *good]))
    assert again.ok and (again.created, again.updated) == (0, 1)
    assert Entry.objects.get(name="王选手").award == "二等奖" and c.events.count() == 2


def test_innovations_page_adds_and_decides(client, tree, personas):
    from django.urls import reverse

    from gonghui.honours.models import Innovation

    client.force_login(personas.town_clerk)
    url = reverse("honours:innovations")
    r = client.post(url, {"action": "add", "org_code": "A1", "kind": "suggestion", "title": "", "proposer": "张",
                          "submitted_on": "2025-02-01"})
    assert r.status_code == 200 and not Innovation.objects.exists()
    r = client.post(url, {"action": "add", "org_code": "A1", "kind": "suggestion", "title": "改进下料", "proposer": "",
                          "team": "机修班", "submitted_on": "2025-02-01"})
    assert r.status_code == 302
    item = Innovation.objects.get()
    assert item.team.name == "机修班"
    r = client.post(url, {"action": "decide", "d-item": item.pk, "d-adopted": "1", "d-on": "2025-03-01",
                          "d-benefit": "5000", "d-reward": "200"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "adopted" and item.benefit == Decimal("5000.00")
    assert "改进下料" in client.get(url + "?kind=suggestion").content.decode()


def test_standard_table_and_summary_sentences(tree, add_worker):
    from gonghui.core.metrics import SENTENCES
    from gonghui.core.tables import TABLES
    from gonghui.honours.models import CareKind, Level

    table = TABLES["honours"]
    assert table.title == "劳模与荣誉统计表" and "honours.suggestions" in table.metrics
    w = add_worker(tree.union_a1, "王省", [("省劳动模范", Level.PROVINCIAL, 2010)])
    add_worker(tree.union_b1, "李市", [("市劳动模范", Level.CITY, 2012), ("县劳动模范", Level.COUNTY, 2008)])
    services.care_record(actor=None, worker=w, kind=CareKind.FESTIVAL, served_on=D(2025, 7, 1), amount=600)
    services.innovation_add(actor=None, org=tree.union_a1, kind="suggestion", title="改进下料", proposer="张",
                            submitted_on=D(2025, 2, 1))
    text = "".join(SENTENCES["劳模与荣誉"](tree.root, Y2025))
    assert "共有劳模2人，其中省部级1人、地市级1人（一人多个称号按最高级别计）" in text
    assert "慰问劳模1人，发放慰问金600.00元" in text and "职工提出合理化建议1条" in text
    assert "竞赛" in text and "评选表彰" not in text  # nothing named: left out
