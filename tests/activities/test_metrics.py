"""Figures on hand-built records with known answers, each checked against its hand-written SQL
twin too: a union moved between townships, distinct persons across several activities, a kind
filter, rectification rates, service posts and publicity."""

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from gonghui.activities import services
from gonghui.activities.metrics import summary_sentences
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.orgs import services as org_services

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import twins  # noqa: E402
from hand_sql import path_on  # noqa: E402

D = dt.date
Y2025 = Period.year(2025)


def fig(code, org, period=Y2025, subs=True, **filters):
    """The registry's value, asserted equal to the twin's."""
    v = compute(code, org, period, subs, filters=filters or None)
    if subs:
        twin = twins.all_twins()[code]
        with connection.cursor() as cursor:
            p = path_on(cursor, org.pk, org.path, period.end)
            assert twin.answer(v) == twin.run(cursor, p, period, **filters), code
    return (v.numerator, v.denominator) if REGISTRY[code].is_rate else v.value


@pytest.fixture
def trainings(tree, kinds, people):
    """甲一 (in 甲镇) trains on 1 Mar and 1 Jun 2025 with lists; 甲一 moves to 乙街道 on 1 May 2025;
    乙一 holds a lecture without a list (typed 人次)."""
    p = people(5)
    wt = kinds["women_training"]
    a1 = services.activity_create(actor=None, org=tree.union_a1, kind=wt, title="女职工技能培训第一期",
                                  start_on=D(2025, 3, 1), sessions=2)
    services.attendance_set(actor=None, activity=a1, people=[(p[0], 2), (p[1], 2), (p[2], 1)])
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2025, 5, 1))
    tree.union_a1.refresh_from_db()
    a2 = services.activity_create(actor=None, org=tree.union_a1, kind=wt, title="女职工技能培训第二期",
                                  start_on=D(2025, 6, 1), sessions=1)
    services.attendance_set(actor=None, activity=a2, people=[(p[1], 1), (p[2], 1), (p[3], 1), (p[4], 1)])
    services.activity_create(actor=None, org=tree.union_b1, kind=kinds["women_training"], title="乙一培训",
                             start_on=D(2025, 7, 1), sessions=1, persons=20, person_times=30)
    services.activity_create(actor=None, org=tree.union_b1, kind=kinds["culture_sports"], title="趣味运动会",
                             start_on=D(2025, 8, 1), sessions=1, person_times=200, amount="3500.50")
    for org in (tree.root, tree.town_a, tree.town_b, tree.union_a1):
        org.refresh_from_db()
    return p


def test_sessions_and_person_times_follow_the_move(tree, trainings):
    # 甲镇 keeps the March training; 乙街道 gets June (甲一 there by then) and 乙一's two activities.
    assert fig("activities.sessions", tree.town_a) == 2
    assert fig("activities.sessions", tree.town_b) == 3
    assert fig("activities.sessions", tree.root) == 5
    assert fig("activities.person_times", tree.town_a) == 5
    assert fig("activities.person_times", tree.town_b) == 4 + 30 + 200
    assert fig("activities.person_times", tree.root, kind="women_training") == 39
    assert fig("activities.amount", tree.root) == Decimal("3500.50")
    assert fig("activities.amount", tree.root, kind="women_training") == Decimal("0.00")


def test_distinct_persons_across_activities(tree, trainings):
    # p1, p2 attended both trainings: the county counts 5 roster persons + 20 typed (no list).
    assert fig("activities.persons", tree.root, kind="women_training") == 25
    assert fig("activities.persons", tree.town_a) == 3
    assert fig("activities.persons", tree.town_b) == 4 + 20
    # Not additive: 3 + 24 ≠ 25 — a person trained in two townships is one person of the county.
    assert not REGISTRY["activities.persons"].is_additive
    # The breakdown gives each township's distinct count.
    b = REGISTRY["activities.persons"].breakdown(tree.root, Y2025)
    assert b[tree.town_b.path] == 24 and b[tree.town_a.path] == 3


def test_breakdown_parts_add_up(tree, trainings):
    b = REGISTRY["activities.person_times"].breakdown(tree.root, Y2025)
    assert sum(b.values()) == fig("activities.person_times", tree.root)
    b = REGISTRY["activities.sessions"].breakdown(tree.root, Y2025, kind="women_training")
    assert b == {tree.town_a.path: 2, tree.town_b.path: 2}


def test_records_behind_a_figure(tree, trainings):
    recs = REGISTRY["activities.person_times"].records(tree.root, Y2025, True, kind="women_training")
    labels = [recs.row(a).label for a in recs.queryset]
    assert labels[0] == "女职工培训：乙一培训（期数/场次1期，人数20人，人次30人次）"
    assert len(labels) == 3


def test_summary_sentence_per_kind(tree, trainings):
    s = summary_sentences(tree.root, Y2025)
    assert s["女职工工作"] == ["开展女职工培训4期，参训39人次（25人）"]
    assert s["宣传文化活动"] == ["开展文体活动1场，参加200人次，投入经费3,500.50元"]


def test_rectification_rate_and_overdue(tree):
    insp = services.inspection_create(actor=None, org=tree.town_a, kind="supervision", inspected_on=D(2025, 5, 10),
                                      suggestions=3, inspectors=6, findings=[
                                          {"kind": "hazard", "description": "a", "due_on": D(2025, 5, 20)},
                                          {"kind": "hazard", "description": "b", "due_on": D(2025, 6, 30)},
                                          {"kind": "violation", "description": "c", "on_spot": True}])
    a, b, _c = insp.findings.order_by("id")
    services.finding_close(actor=None, finding=a, closed_on=D(2025, 5, 18))
    services.finding_close(actor=None, finding=b, closed_on=D(2026, 1, 5))  # closed after the year
    assert fig("activities.findings", tree.root) == 3
    assert fig("activities.findings", tree.root, kind="hazard") == 2
    assert fig("activities.solved_on_spot", tree.root) == 1
    assert fig("activities.solved_later", tree.root) == 1  # a; b was closed after the year
    assert fig("activities.solved_later", tree.root, Period(D(2025, 1, 1), D(2026, 6, 30))) == 2
    assert fig("activities.rectification_rate", tree.root) == (2, 3)
    assert compute("activities.rectification_rate", tree.root, Y2025).value == Decimal("66.67")
    assert fig("activities.findings_overdue", tree.root) == 1  # b: due 30 Jun, open on 31 Dec
    assert fig("activities.findings_overdue", tree.root, Period.year(2026)) == 0
    assert fig("activities.suggestions", tree.root) == 3 and fig("activities.inspectors", tree.town_a) == 6
    assert fig("activities.inspections", tree.town_b) == 0


def test_service_posts_and_publicity(tree):
    post = services.post_create(actor=None, org=tree.union_a1, type="library", name="职工书屋",
                                opened_on=D(2024, 1, 1))
    services.post_create(actor=None, org=tree.town_b, type="outdoor", name="户外劳动者驿站", opened_on=D(2025, 9, 1))
    services.post_visits_record(actor=None, post=post, on=D(2025, 4, 1), visits=30)
    services.post_visits_record(actor=None, post=post, on=D(2025, 4, 2), visits=22)
    services.volunteer_record(actor=None, post=post, on=D(2025, 4, 1), volunteer="甲", hours="2.5")
    services.volunteer_record(actor=None, post=post, on=D(2025, 4, 2), volunteer="甲", hours="3")
    assert fig("activities.posts", tree.root) == 2
    assert fig("activities.posts", tree.root, type="library") == 1
    assert fig("activities.posts", tree.root, Period.year(2024)) == 1
    assert fig("activities.post_visits", tree.town_a) == 52
    assert fig("activities.volunteer_times", tree.root) == 2
    assert fig("activities.volunteer_hours", tree.root) == Decimal("5.5")
    services.publicity_create(actor=None, org=tree.root, kind="bulletin", title="工运信息第1期",
                              published_on=D(2025, 2, 1), entries=21)
    services.publicity_create(actor=None, org=tree.town_a, kind="paper", title="论文", published_on=D(2025, 2, 1))
    assert fig("activities.publicity", tree.root) == 2
    assert fig("activities.publicity", tree.town_a) == 1
    assert fig("activities.bulletin_entries", tree.root) == 21
    assert fig("activities.bulletin_entries", tree.root, subs=False) == 21


def test_work_summary_section_has_a_sentence_per_kind(tree, trainings):
    from gonghui.reports import summary

    ctx = summary.context(tree.root, Y2025)
    section = next(s for s in ctx["sections"] if s["group"] == "活动开展")
    assert "女职工工作方面，开展女职工培训4期，参训39人次（25人）。" in section["paragraphs"]
    assert any("共开展各类活动5期" in p for p in section["paragraphs"])


def test_a_subkind_counts_in_its_parent_and_speaks_inside_its_sentence(tree, kinds, trainings):
    """女职工技术培训 is a sub-kind (其中) of 女职工培训 as built in: its records count in the parent's
    figures and the summary says "其中技术培训2期" inside the parent's sentence, not on its own."""
    skills = kinds["women_skills"]
    skills.refresh_from_db()
    assert skills.parent == kinds["women_training"]
    services.activity_create(actor=None, org=tree.union_b1, kind=skills, title="女职工电工技能培训",
                             start_on=D(2025, 9, 1), sessions=2, persons=10, person_times=12)
    assert fig("activities.sessions", tree.root, kind="women_skills") == 2
    assert fig("activities.sessions", tree.root, kind="women_training") == 4 + 2
    assert fig("activities.person_times", tree.root, kind="women_training") == 39 + 12
    assert fig("activities.persons", tree.root, kind="women_training") == 25 + 10
    assert fig("activities.sessions", tree.root) == 4 + 2 + 1  # every kind: each record once
    s = summary_sentences(tree.root, Y2025)
    assert s["女职工工作"] == ["开展女职工培训6期，参训51人次（35人），其中技术培训2期"]


def test_a_subkind_has_one_level(tree, kinds):
    from gonghui.core.errors import ServiceError

    training, skills = kinds["women_training"], kinds["women_skills"]
    with pytest.raises(ServiceError, match="所属类型只能是没有所属类型的活动类型"):
        services.kind_create(actor=None, code="women_skills_2", name="女职工高级技能培训", has_sessions=True,
                             parent=skills)
    with pytest.raises(ServiceError, match="已有其中类型"):
        services.kind_update(actor=None, kind=training, parent=kinds["skills_training"])
    with pytest.raises(ServiceError, match="所属类型只能是"):
        services.kind_update(actor=None, kind=training, parent=training)
    lecture = services.kind_create(actor=None, code="women_law", name="女职工法律讲座", has_sessions=True,
                                   parent=kinds["women_lecture"])
    assert lecture.parent == kinds["women_lecture"]


def test_the_standard_table_has_a_row_per_subordinate_and_the_total(tree, trainings, client, personas):
    """活动与阵地统计表 (reports' standard tables): each township's figures on the cut-off, the move of
    甲一 followed (its March training stays with 甲镇), summing to the county's; page under activities.view."""
    from django.urls import reverse

    from gonghui.core.tables import TABLES
    from gonghui.reports import tables

    services.inspection_create(actor=None, org=tree.town_a, kind="patrol", inspected_on=D(2025, 3, 10),
                               findings=[{"kind": "problem", "description": "通道堵塞", "on_spot": True},
                                         {"kind": "hazard", "description": "电线老化", "due_on": D(2025, 4, 1)}])
    table = TABLES["activities"]
    headers = tables.headers(table)
    rows = {r.label: dict(zip(headers, r.cells, strict=True)) for r in tables.standard_rows(table, tree.root, Y2025)}
    assert rows["甲镇工会联合会"]["开展活动（期/场）"] == 2 and rows["乙街道总工会"]["开展活动（期/场）"] == 3
    assert rows["甲镇工会联合会"]["活动参加（人次）"] == 5 and rows["乙街道总工会"]["活动参加（人次）"] == 234
    total = rows["合计"]
    assert total["开展活动（期/场）"] == 5 == compute("activities.sessions", tree.root, Y2025).value
    assert (total["查出问题（项）"], total["已整改（项）"], total["逾期未整改（项）"]) == (2, 1, 1)
    assert total["活动经费（元）"] == 3500.5
    client.force_login(personas.county_admin)
    url = reverse("reports:table_activities")
    assert "活动与阵地统计表" in client.get(url, {"preset": "year", "year": "2025"}).content.decode()
    client.force_login(personas.outsider)
    assert client.get(url).status_code in (403, 404)


def test_a_back_dated_move_re_homes_every_row(tree, kinds, people):
    """The move is entered after the records but dated before them: activities, their attendance,
    findings, post visits and publicity all count under the new township (and the twins agree)."""
    p = people(3)
    a = services.activity_create(actor=None, org=tree.union_a1, kind=kinds["women_training"], title="培训",
                                 start_on=D(2025, 6, 1), sessions=2)
    services.attendance_set(actor=None, activity=a, people=[(p[0], 2), (p[1], 1)])
    services.inspection_create(actor=None, org=tree.union_a1, kind="supervision", inspected_on=D(2025, 6, 2),
                               findings=[{"kind": "hazard", "description": "隐患", "due_on": D(2025, 6, 30)}])
    post = services.post_create(actor=None, org=tree.union_a1, type="library", name="书屋", opened_on=D(2025, 1, 1))
    services.post_visits_record(actor=None, post=post, on=D(2025, 6, 3), visits=40)
    services.publicity_create(actor=None, org=tree.union_a1, kind="news", title="通讯", published_on=D(2025, 6, 4))
    codes = ("activities.sessions", "activities.persons", "activities.person_times", "activities.findings",
             "activities.post_visits", "activities.publicity")
    assert [fig(c, tree.town_a) for c in codes] == [2, 2, 3, 1, 40, 1]
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2025, 3, 1))
    for org in (tree.town_a, tree.town_b):
        org.refresh_from_db()
    assert [fig(c, tree.town_a) for c in codes] == [0, 0, 0, 0, 0, 0]
    assert [fig(c, tree.town_b) for c in codes] == [2, 2, 3, 1, 40, 1]
