"""The democracy pages as a clerk uses them: lists, forms that keep input on error, workflow
steps, exports, and records out of scope."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.democracy import services as s
from gonghui.democracy.models import Congress, Disclosure, Proposal, Status

from .conftest import make_congress

D = dt.date
pytestmark = pytest.mark.django_db


def _rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_congress_pages(client, tree, personas):
    c, t, ds = make_congress(tree)
    make_congress(tree, key="b1")
    client.force_login(personas.town_clerk)
    page = client.get(reverse("democracy:index")).content.decode()
    assert "甲一公司职工代表大会" in page and "乙一公司" not in page and "共 1 个职代会" in page
    page = client.get(reverse("democracy:congress_detail", args=[c.pk])).content.decode()
    assert "已确认" in page and "代表1" in page and "登记会议" in page
    assert client.get(reverse("democracy:congress_detail", args=[Congress.objects.get(org=tree.union_b1).pk])
                      ).status_code == 404
    rows = _rows(client.get(reverse("democracy:delegates_export", args=[c.pk])))
    assert rows[0][:3] == ["工会编码", "届次", "姓名"] and len(rows) == 31


def test_create_congress_picks_the_union_then_keeps_input_on_error(client, tree, personas):
    client.force_login(personas.town_clerk)
    r = client.get(reverse("democracy:congress_create"), {"code": "A1"})
    assert r.status_code == 302 and r.url.endswith(f"?org={tree.union_a1.pk}")
    url = r.url
    bad = {"org": tree.union_a1.pk, "name": "甲一公司职工代表大会", "kind": "congress", "scope_kind": "enterprise",
           "established_on": "2021-01-10"}
    page = client.post(url, bad).content.decode()
    assert "单个企业的职代会请选择用人单位" in page and "甲一公司职工代表大会" in page
    r = client.post(url, {**bad, "employer": tree.emp["a1"].pk})
    assert r.status_code == 302 and Congress.objects.get().employer == tree.emp["a1"]


def test_vote_below_quorum_is_refused_on_the_page(client, tree, personas):
    c, t, ds = make_congress(tree)
    session = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 1), delegates_present=15)
    client.force_login(personas.union_clerk)
    r = client.post(reverse("democracy:congress_step", args=[c.pk, "motion"]),
                    {"motion-session": session.pk, "motion-title": "工资方案", "motion-votes_for": 15,
                     "motion-votes_against": 0, "motion-abstentions": 0})
    page = r.content.decode()
    assert r.status_code == 422 and "不能进行表决" in page and "工资方案" in page


def test_delegate_list_breaking_a_rule_is_a_draft_on_the_page(client, tree, personas):
    c, t, ds = make_congress(tree, delegates=25)
    client.force_login(personas.union_clerk)
    page = client.get(reverse("democracy:congress_detail", args=[c.pk])).content.decode()
    assert "草稿" in page and "代表名额：职工 30 人应不少于 30 名代表，现有 25 名" in page


def test_proposal_through_the_pages(client, tree, personas):
    c, t, ds = make_congress(tree)
    client.force_login(personas.union_clerk)
    r = client.post(reverse("democracy:congress_step", args=[c.pk, "proposal"]), {
        "proposal-title": "改善食堂", "proposal-content": "增加夜班供餐", "proposal-category": "life",
        "proposal-proposer": ds[0].pk, "proposal-cosigners": [ds[1].pk, ds[2].pk], "proposal-filed_on": "2026-03-02"})
    p = Proposal.objects.get()
    assert r.status_code == 302 and r.url == reverse("democracy:proposal_detail", args=[p.pk])

    def step(name, data):
        return client.post(reverse("democracy:proposal_step", args=[p.pk, name]),
                           {f"{name}-{k}": v for k, v in data.items()})

    assert step("accept", {"decided_on": "2026-03-03"}).status_code == 302
    assert step("assign", {"assigned_on": "2026-03-05", "lead_dept": "后勤部"}).status_code == 302
    r = step("answer", {"answered_on": "2026-04-01", "answer": "已增加夜班供餐"})
    assert r.status_code == 422 and "请选择办理结果" in r.content.decode() and "已增加夜班供餐" in r.content.decode()
    assert step("answer", {"answered_on": "2026-04-01", "answer": "已增加", "result_code": "A"}).status_code == 302
    # The feedback form offers only the proposer; another delegate's id is refused by the form.
    assert step("feedback", {"delegate": ds[1].pk, "feedback": "satisfied", "feedback_on": "2026-04-03"}
                ).status_code == 422
    assert step("feedback", {"delegate": ds[0].pk, "feedback": "satisfied", "feedback_on": "2026-04-03"}
                ).status_code == 302
    p.refresh_from_db()
    assert p.status == Status.CLOSED
    page = client.get(reverse("democracy:proposal_detail", args=[p.pk])).content.decode()
    assert "提案人反馈" in page and "A 已解决或基本解决" in page
    page = client.get(reverse("democracy:proposals"), {"status": "closed"}).content.decode()
    assert "改善食堂" in page and "共 1 件提案" in page
    rows = _rows(client.get(reverse("democracy:proposals_export")))
    assert rows[1][1] == "改善食堂" and rows[1][4] == "代表2、代表3"


def test_disclosure_pages(client, tree, personas):
    client.force_login(personas.town_clerk)
    url = reverse("democracy:disclosure_create")
    data = {"org": "A1", "kind": "workplace", "form": "board", "issue_no": 1, "disclosed_on": "2026-03-01",
            "title": "一季度厂务公开", "item1_category": "operations", "item1_title": "经营情况"}
    page = client.post(url, data).content.decode()
    assert "厂务公开请选择用人单位" in page and "一季度厂务公开" in page
    r = client.post(url, {**data, "employer": "甲一公司"})
    d = Disclosure.objects.get()
    assert r.status_code == 302 and d.item_count == 1
    r = client.post(reverse("democracy:disclosure_step", args=[d.pk, "opinion"]),
                    {"opinion-raised_on": "2026-03-05", "opinion-raised_by": "代表1", "opinion-content": "请公开明细"})
    assert r.status_code == 302
    page = client.get(reverse("democracy:disclosure_detail", args=[d.pk])).content.decode()
    assert "请公开明细" in page and "待答复" in page
    page = client.get(reverse("democracy:disclosures"), {"form": "board"}).content.decode()
    assert "一季度厂务公开" in page
    assert _rows(client.get(reverse("democracy:disclosures_export")))[1][4] == "一季度厂务公开"
    r = client.post(url, {**data, "org": "B1", "employer": "乙一公司"})
    assert "不在您的管理范围内" in r.content.decode() and Disclosure.objects.count() == 1


def test_new_term_form_follows_the_union_term_and_the_employer(client, tree, personas):
    """DOMAIN §7: a congress's 届 is aligned with its union committee's. The 登记新一届 form comes
    filled with the union's current 届 (number and dates) and the employer's staff and women; once
    that number is registered, it offers the next one."""
    from gonghui.orgs import services as org_services

    org_services.org_reelect(actor=None, org=tree.union_a1, elected_on=D(2023, 3, 1), term_years=5)
    c = s.congress_create(actor=None, org=tree.union_a1, name="甲一公司职工代表大会", established_on=D(2021, 1, 10),
                          employer=tree.emp["a1"])
    client.force_login(personas.union_clerk)

    def term_form():
        panels = client.get(reverse("democracy:congress_detail", args=[c.pk])).context["panels"]
        return next(form for name, _label, form in panels if name == "term")

    assert term_form().initial == {"number": 2, "started_on": D(2023, 3, 1), "ends_on": D(2028, 3, 1),
                                   "staff": 30, "women_staff": 12}
    s.term_open(actor=None, congress=c, number=2, started_on=D(2023, 3, 1), ends_on=D(2028, 3, 1), staff=30)
    assert term_form().initial["number"] == 3


def test_a_disclosure_system_is_recorded_from_the_establishment_gaps(client, tree, personas):
    """厂务公开建制率 counts the systems recorded here: an employer out of the union's reach is refused
    with the input kept and nothing saved; a second system in force is refused by name."""
    from gonghui.core.metrics import compute
    from gonghui.core.periods import Period
    from gonghui.democracy.models import DisclosureSystem

    client.force_login(personas.town_clerk)
    url = reverse("democracy:disclosure_system_create")
    gaps = client.get(reverse("democracy:establishment") + "?view=no_system").content.decode()
    assert f"{url}?employer=" in gaps
    page = client.get(url + "?employer=" + tree.emp["a1"].name).content.decode()
    assert f'value="{tree.emp["a1"].name}"' in page
    r = client.post(url, {"org": tree.union_a1.code, "employer": tree.emp["b1"].name, "established_on": "2026-03-01",
                          "leader": "张厂长"})
    page = r.content.decode()
    assert "不在所选工会的范围内" in page and "张厂长" in page and not DisclosureSystem.objects.exists()
    r = client.post(url, {"org": tree.union_a1.code, "employer": tree.emp["a1"].name, "established_on": "2026-03-01",
                          "leader": "张厂长"})
    assert r.status_code == 302 and DisclosureSystem.objects.get().employer == tree.emp["a1"]
    r = client.post(url, {"org": tree.union_a1.code, "employer": tree.emp["a1"].name, "established_on": "2026-03-02"})
    assert "已建立厂务公开制度" in r.content.decode() and DisclosureSystem.objects.count() == 1
    rate = compute("democracy.disclosure_system_rate", tree.town_a, Period(D(2026, 1, 1), D(2026, 6, 30)))
    assert (rate.numerator, rate.denominator) == (1, 2)
    client.force_login(personas.leader)  # read-only: no form, no link
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("democracy:establishment")).content.decode()


def test_a_congress_is_ended_on_its_page(client, tree, personas):
    c, t, ds = make_congress(tree)
    client.force_login(personas.union_clerk)
    step = reverse("democracy:congress_step", args=[c.pk, "end"])
    r = client.post(step, {"end-ended_on": "2020-01-01"})
    assert r.status_code == 422 and "不能早于建立日期" in r.content.decode()
    assert client.post(step, {"end-ended_on": "2026-06-30"}).status_code == 302
    c.refresh_from_db()
    assert c.ended_on == D(2026, 6, 30)
    page = client.get(reverse("democracy:congress_detail", args=[c.pk])).content.decode()
    assert "2026年6月30日 撤销" in page or "2026-06-30 撤销" in page
    assert 'id="panel-end"' not in page and 'id="panel-session"' in page
