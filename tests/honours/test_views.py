"""The pages: list with filters and totals, masked detail and logged reveal, forms that keep input,
the honour workflow and a care campaign served from its page."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core.audit import AccessLog
from gonghui.honours import services
from gonghui.honours.models import CareRecord, Honour, Level, Title
from tests.conftest import make_user

D = dt.date


def test_list_filters_and_totals(client, tree, personas, add_worker):
    add_worker(tree.union_a1, "王省", [("省劳动模范", Level.PROVINCIAL, 2010)], is_party_member=True)
    add_worker(tree.union_a1, "李市", [("市劳动模范", Level.CITY, 2012)])
    add_worker(tree.union_b1, "赵外", [("市劳动模范", Level.CITY, 2012)])
    client.force_login(personas.town_clerk)
    page = client.get(reverse("honours:index")).content.decode()
    assert "王省" in page and "李市" in page and "赵外" not in page and "共 2 人劳模" in page
    page = client.get(reverse("honours:index"), {"level": "provincial"}).content.decode()
    assert "王省" in page and "李市" not in page
    page = client.get(reverse("honours:index"), {"org": "B1"}).content.decode()
    assert "不在您的查看范围内" in page and "赵外" not in page


def test_list_queries_do_not_grow_with_rows(client, tree, personas, add_worker):
    client.force_login(personas.county_admin)
    for i in range(3):
        add_worker(tree.union_a1, f"甲{i}", [("县劳动模范", Level.COUNTY, 2010)])
    client.get(reverse("honours:index"))  # warm the per-process caches (code tables, settings)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("honours:index"))
    for i in range(12):
        add_worker(tree.union_a2, f"乙{i}", [("县劳动模范", Level.COUNTY, 2011)])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("honours:index"))
    assert len(many) == len(few)


def test_detail_is_masked_and_reveal_is_logged(client, tree, personas, add_worker):
    w = add_worker(tree.union_a1, "王省", [("省劳动模范", Level.PROVINCIAL, 2010)])
    client.force_login(personas.town_clerk)
    page = client.get(reverse("honours:worker_detail", args=[w.pk])).content.decode()
    assert w.id_masked in page and w.id_number not in page
    assert client.post(reverse("honours:worker_reveal", args=[w.pk])).status_code == 403
    boss = make_user("boss", tree.root, "系统管理员")
    client.force_login(boss)
    page = client.post(reverse("honours:worker_reveal", args=[w.pk])).content.decode()
    assert w.id_number in page
    assert AccessLog.objects.filter(object_type="honours.modelworker", object_id=str(w.pk), kind="reveal").exists()


def test_title_form_keeps_input_on_error(client, tree, personas, add_worker):
    w = add_worker(tree.union_a1, "王省")
    client.force_login(personas.town_clerk)
    r = client.post(reverse("honours:title_add", args=[w.pk]), {"name": "省劳动模范模范", "level": "", "year": "2010",
                                                               "conferred_by": "省人民政府"})
    page = r.content.decode()
    assert r.status_code == 200 and "缺少级别" in page and "省劳动模范模范" in page and "省人民政府" in page
    assert not Title.objects.exists()
    r = client.post(reverse("honours:title_add", args=[w.pk]), {"name": "省劳动模范", "level": "provincial",
                                                               "year": "2010"})
    assert r.status_code == 302 and Title.objects.count() == 1


def test_honour_through_the_workflow_pages(client, tree, personas):
    client.force_login(personas.town_clerk)
    r = client.post(reverse("honours:honour_apply"), {"org_code": "A1", "recipient": "collective",
                                                      "recipient_name": "机修班", "honour_type": "pioneer",
                                                      "level": "county", "issuer": "长沙县总工会", "year": "2025",
                                                      "applied_on": "2025-03-01"})
    h = Honour.objects.get()
    assert r.status_code == 302
    approver = make_user("approver", tree.root, "审批")
    client.force_login(approver)
    for to, on in (("review", "2025-03-10"), ("notice", "2025-04-01"), ("named", "2025-04-28")):
        assert client.post(reverse("honours:honour_detail", args=[h.pk]), {"to": to, "on": on}).status_code == 302
    h.refresh_from_db()
    assert h.status == "named" and h.named_on == D(2025, 4, 28)


def test_campaign_page_lists_who_is_due_and_serves(client, tree, personas, add_worker):
    w = add_worker(tree.union_a1, "王省", [("省劳动模范", Level.PROVINCIAL, 2010)])
    add_worker(tree.union_a1, "公务员", [("省劳动模范", Level.PROVINCIAL, 2010)], is_civil_servant=True)
    c = services.campaign_create(actor=None, org=tree.town_a, name="体检", kind="checkup", start_on=D(2025, 1, 1),
                                 end_on=D(2025, 12, 31))
    client.force_login(personas.town_clerk)
    page = client.get(reverse("honours:campaign_detail", args=[c.pk])).content.decode()
    assert "王省" in page and "公务员" not in page
    client.post(reverse("honours:campaign_serve", args=[c.pk, w.pk]), {"served_on": "2025-05-01"})
    assert CareRecord.objects.filter(campaign=c, worker=w).exists()
    assert "已服务 <strong>1</strong> 人" in client.get(reverse("honours:campaign_detail", args=[c.pk])).content.decode()


def test_honour_page_scores_takes_member_review_and_records_a_recheck(client, tree, personas):
    import datetime as dt

    from gonghui.honours import services
    from gonghui.honours.models import HonourStatus, Recipient

    system = services.indicator_system_create(actor=None, org=tree.root, name="先锋号考核", honour_type="pioneer",
                                              indicators=[{"name": "业绩", "weight": 60}, {"name": "管理", "weight": 40}])
    h = services.honour_apply(actor=None, org=tree.union_a1, recipient=Recipient.COLLECTIVE, recipient_name="机修班组",
                              honour_type="pioneer", level="county", issuer="县总工会", year=2025,
                              applied_on=dt.date(2025, 3, 1))
    leaves = {n.name: n.pk for n in system.indicators.all()}
    client.force_login(personas.union_clerk)
    url = reverse("honours:honour_detail", args=[h.pk])
    page = client.get(url).content.decode()
    assert "自评 / 评审打分" in page and "回头看（复查）" not in page
    data = {"action": "score", "s-stage": "self", "s-system": system.pk, f"s-i{leaves['业绩']}": "70",
            f"s-i{leaves['管理']}": "30"}
    r = client.post(url, data)
    assert r.status_code == 200 and "0至60.00分" in r.content.decode()
    data[f"s-i{leaves['业绩']}"] = "55"
    assert client.post(url, data).status_code == 302
    h.refresh_from_db()
    assert h.self_score == 85 and h.status == HonourStatus.SELF
    from gonghui.core import clock

    today = clock.today()  # the self-scoring step is dated today
    for to in ("review", "notice", "named"):
        services.honour_move(actor=None, honour=h, to=to, on=today)
    client.force_login(personas.county_admin)
    on, until = today + dt.timedelta(days=1), today + dt.timedelta(days=90)
    r = client.post(url, {"action": "recheck", "r-on": f"{on}", "r-inspector": "县总工会", "r-findings": "台账不全",
                          "r-outcome": "rectify"})
    assert r.status_code == 200 and "整改期限" in r.content.decode()
    r = client.post(url, {"action": "recheck", "r-on": f"{on}", "r-inspector": "县总工会", "r-findings": "台账不全",
                          "r-outcome": "rectify", "r-rectify_by": f"{until}"})
    assert r.status_code == 302
    h.refresh_from_db()
    assert h.status == HonourStatus.RECTIFY and "台账不全" in client.get(url).content.decode()


def test_honour_form_picks_a_team_in_scope(client, tree, personas):
    """The 班组/集体 input suggests the teams of the unions the clerk may act for; the honour
    is tied to the named team (its own union's, else the one below, else a new team)."""
    from gonghui.honours.models import Team

    services.team_create(actor=None, org=tree.union_a1, name="机修一班")
    services.team_create(actor=None, org=tree.union_b1, name="机修二班")
    client.force_login(personas.town_clerk)
    page = client.get(reverse("honours:honour_apply")).content.decode()
    assert reverse("honours:pick_teams") in page
    options = client.get(reverse("honours:pick_teams"), {"q": "机修", "perm": "honours.change"}).content.decode()
    assert "机修一班" in options and "机修二班" not in options
    data = {"org_code": "TA", "recipient": "collective", "recipient_name": "机修一班", "team": "机修一班",
            "honour_type": "pioneer", "level": "county", "issuer": "长沙县总工会", "year": "2025",
            "applied_on": "2025-03-01"}
    r = client.post(reverse("honours:honour_apply"), {**data, "org_code": tree.town_a.code})
    assert r.status_code == 302
    assert Honour.objects.get().team == Team.objects.get(name="机修一班")
    page = client.get(r["Location"]).content.decode()
    assert "班组/集体：机修一班（甲一公司工会）" in page
    r = client.post(reverse("honours:honour_apply"), {**data, "org_code": tree.union_a2.code, "team": "新班组"})
    assert r.status_code == 302 and Team.objects.get(name="新班组").org == tree.union_a2
    r = client.post(reverse("honours:honour_apply"), {**data, "org_code": tree.union_a2.code, "recipient": "person",
                                                      "team": "又一班"})
    assert r.status_code == 200 and "个人荣誉不填写班组/集体" in r.content.decode()
    assert not Team.objects.filter(name="又一班").exists()
