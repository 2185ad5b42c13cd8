"""Issue 20's follow-ups: the quota recalculation prompt when an employer's headcount changes, the
提案 reported to the next session, 厂务公开 items by category, the 建制 page and my drafts."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.core import drafts
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.democracy import selectors
from gonghui.democracy import services as s
from gonghui.orgs.models import Employer

from .conftest import make_congress

D = dt.date
pytestmark = pytest.mark.django_db
YEAR = Period(D(2026, 1, 1), D(2026, 12, 31))


def test_a_headcount_that_moves_the_quota_prompts_a_recalculation(client, tree, personas):
    c, t, _ds = make_congress(tree)  # 30 staff: 30 delegates
    assert selectors.quota_prompt(c, t) == ""
    Employer.objects.filter(pk=tree.emp["a1"].pk).update(headcount=60)  # still under 100: the same quota
    c.employer.refresh_from_db()
    assert selectors.quota_prompt(c, t) == ""
    Employer.objects.filter(pk=tree.emp["a1"].pk).update(headcount=250)  # 40 + 7 × 1
    c.employer.refresh_from_db()
    assert "应不少于 47 名" in selectors.quota_prompt(c, t) and "按 30 人核定" in selectors.quota_prompt(c, t)
    client.force_login(personas.town_clerk)
    page = client.get(reverse("democracy:congress_detail", args=[c.pk])).content.decode()
    assert 'id="quota-prompt"' in page and "请重新核定代表名额" in page


def _answered(c, ds, n, filed_on, answered_on):
    p = s.proposal_file(actor=None, congress=c, title=f"提案{n}", content="内容", category="pay", proposer=ds[n],
                        filed_on=filed_on)
    s.proposal_accept(actor=None, proposal=p, decided_on=filed_on)
    s.proposal_assign(actor=None, proposal=p, assigned_on=filed_on, lead_dept="人力资源部")
    return s.proposal_answer(actor=None, proposal=p, answered_on=answered_on, answer="已办理", result_code="A")


def test_a_session_lists_the_proposals_answered_since_the_previous_one(client, tree, personas):
    c, _t, ds = make_congress(tree)
    first = s.session_record(actor=None, congress=c, held_on=D(2025, 3, 10), delegates_present=30)
    second = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 10), delegates_present=30)
    before = _answered(c, ds, 1, D(2025, 1, 5), D(2025, 2, 20))      # reported to the first
    between = _answered(c, ds, 2, D(2025, 3, 10), D(2025, 6, 1))     # reported to the second
    _answered(c, ds, 3, D(2026, 3, 10), D(2026, 5, 1))               # to the next one, not yet held
    reported = selectors.reported_proposals(c, [second, first])
    assert reported == {first.pk: [before], second.pk: [between]}
    client.force_login(personas.town_clerk)
    page = client.get(reverse("democracy:congress_detail", args=[c.pk])).content.decode()
    assert "向本次会议报告提案办理情况（上次会议以来答复 1 件）" in page and between.number in page


def test_workplace_items_by_category_add_up_to_the_items(tree):
    for day, items in ((D(2026, 3, 1), [("operations", "经营"), ("hospitality", "招待费"), ("hospitality", "差旅")]),
                       (D(2025, 3, 1), [("rules", "制度")])):
        s.disclosure_record(actor=None, org=tree.union_a1, employer=tree.emp["a1"], kind="workplace", form="board",
                            issue_no=1, disclosed_on=day, title="公开", items=items)
    s.disclosure_record(actor=None, org=tree.town_a, kind="union", form="board", issue_no=1,
                        disclosed_on=D(2026, 3, 1), title="会务", items=[("union_funds", "经费")])
    v = {c: compute(f"democracy.workplace_items_{c}", tree.root, YEAR).value
         for c in ("operations", "hospitality", "rules", "union_funds")}
    assert v == {"operations": 1, "hospitality": 2, "rules": 0, "union_funds": 0}
    assert compute("democracy.workplace_items", tree.root, YEAR).value == 3
    assert compute("democracy.workplace_items_hospitality", tree.town_b, YEAR).value == 0


def test_the_establishment_page_lists_the_gaps(client, tree, personas):
    make_congress(tree)
    s.disclosure_system_set(actor=None, employer=tree.emp["a2"], org=tree.union_a2, established_on=D(2025, 1, 1))
    client.force_login(personas.town_clerk)
    page = client.get(reverse("democracy:establishment")).content.decode()
    assert "共 2 家企业" in page and "甲一" in page and "甲二" in page and "乙一" not in page
    gaps = client.get(reverse("democracy:establishment") + "?view=no_congress").content.decode()
    assert "共 1 家企业" in gaps and tree.emp["a2"].name in gaps and tree.emp["a1"].name not in gaps
    gaps = client.get(reverse("democracy:establishment") + "?view=no_system").content.decode()
    assert "共 1 家企业" in gaps and tree.emp["a1"].name in gaps


def test_a_delegate_list_saved_as_draft_is_among_my_drafts(tree, personas):
    make_congress(tree, delegates=3, actor=personas.union_clerk)  # 3 of 30: saved as a draft
    found, total = drafts.mine(personas.union_clerk, 10)
    labels = [d.label for d, _kind in found]
    assert total == 1 and "代表名单" in labels[0]
    assert drafts.mine(personas.town_clerk, 10)[1] == 0  # someone else's


def _sheet(response):
    import io

    import openpyxl

    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_establishment_list_and_the_congress_list_export_as_filtered(client, tree, personas):
    """The 建制情况 gaps a clerk follows up, and the congress list, as sheets: the page's filter and
    scope, a regional congress named where it covers an employer."""
    make_congress(tree)
    make_congress(tree, key="b1")
    s.congress_create(actor=None, org=tree.town_a, name="甲镇区域性职工代表大会", established_on=D(2026, 2, 1),
                      scope_kind="regional", employers=[tree.emp["a2"], tree.emp["a3"]])
    s.disclosure_system_set(actor=None, employer=tree.emp["a1"], org=tree.union_a1, established_on=D(2025, 1, 1))
    client.force_login(personas.town_clerk)
    rows = _sheet(client.get(reverse("democracy:establishment_export")))
    assert rows[0] == ["企业", "属地", "职工人数", "职代会", "职代会名称", "厂务公开制度"]
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {tree.emp["a1"].name, tree.emp["a2"].name}  # 乙一 is out of scope; 甲三 has no union
    assert by_name[tree.emp["a1"].name][3:] == ["已建立", f"{tree.emp['a1'].name}职工代表大会", "已建立"]
    assert by_name[tree.emp["a2"].name][3:] == ["区域性、行业性职代会覆盖", "甲镇区域性职工代表大会", "未建立"]
    rows = _sheet(client.get(reverse("democracy:establishment_export") + "?view=no_system"))
    assert [r[0] for r in rows[1:]] == [tree.emp["a2"].name]
    rows = _sheet(client.get(reverse("democracy:congresses_export") + "?scope=regional"))
    assert rows[0][:3] == ["名称", "形式", "范围"] and len(rows) == 2
    assert rows[1][:5] == ["甲镇区域性职工代表大会", "职工代表大会", "区域性", None, 2]
    rows = _sheet(client.get(reverse("democracy:congresses_export")))
    assert sorted(r[0] for r in rows[1:]) == sorted([f"{tree.emp['a1'].name}职工代表大会", "甲镇区域性职工代表大会"])
    page = client.get(reverse("democracy:establishment") + "?view=no_system").content.decode()
    assert reverse("democracy:establishment_export") + "?view=no_system" in page
