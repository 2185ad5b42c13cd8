"""Org pages: thin views over the services; rejected forms keep what the user typed."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.core.models import AuditEvent
from gonghui.orgs import services
from gonghui.orgs.models import Coverage, Employer, Org, OrgType


def test_tree_shows_counts_and_expands_lazily(client, tree, personas):
    client.force_login(personas.county_admin)
    page = client.get(reverse("orgs:tree")).content.decode()
    assert "甲镇工会联合会" in page and "基层工会 2" in page
    assert "甲一公司工会" not in page  # loaded on expansion only
    part = client.get(reverse("orgs:children", args=[tree.town_a.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "甲一公司工会" in part and "<html" not in part


def test_tree_page_queries_do_not_grow_with_the_tree(client, tree, personas):
    client.force_login(personas.county_admin)
    client.get(reverse("orgs:tree"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("orgs:tree"))
    for i in range(15):
        services.org_found(actor=None, parent=tree.root, name=f"新镇{i}工会联合会", org_type=OrgType.TOWNSHIP_FED,
                           founded_on=dt.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("orgs:tree"))
    assert len(big) == len(small)


def test_township_clerk_sees_only_his_township(client, tree, personas):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("orgs:tree")).content.decode()
    assert "甲镇工会联合会" in page and "乙街道总工会" not in page and "长沙县总工会" not in page
    assert client.get(reverse("orgs:detail", args=[tree.union_b1.pk])).status_code == 404
    found = client.get(reverse("orgs:tree"), {"q": "乙"}).content.decode()
    assert "乙一公司工会" not in found


def test_search_by_name_code_and_pinyin_initials(client, tree, personas):
    client.force_login(personas.county_admin)
    for q in ("甲一", "A1", "jygsgh", "jiayi"):
        assert "甲一公司工会" in client.get(reverse("orgs:tree"), {"q": q}).content.decode(), q


def test_found_through_the_form(client, tree, personas):
    client.force_login(personas.town_clerk)
    response = client.post(reverse("orgs:found", args=[tree.town_a.pk]), {
        "name": "甲六公司工会", "org_type": OrgType.GRASSROOTS, "founded_on": "2025-06-01",
        "elected_on": "2025-06-01", "term_years": "3"})
    org = Org.objects.get(name="甲六公司工会")
    assert response["Location"] == reverse("orgs:detail", args=[org.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "组建" in detail and "2028年6月1日" in detail


def test_a_rejected_form_keeps_the_input_and_saves_nothing(client, tree, personas):
    client.force_login(personas.town_clerk)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    before = (Org.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("orgs:found", args=[tree.town_a.pk]), {
        "name": "未来工会", "org_type": OrgType.GRASSROOTS, "founded_on": future, "chair_name": "王五"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "不能晚于今天" in page
    assert 'value="未来工会"' in page and 'value="王五"' in page
    assert (Org.objects.count(), AuditEvent.objects.count()) == before


def test_rename_move_reelect_dissolve_pages(client, tree, personas):
    client.force_login(personas.county_admin)
    org = tree.union_a2
    assert client.post(reverse("orgs:rename", args=[org.pk]),
                       {"new_name": "甲二集团工会", "effective_on": "2025-07-01"}).status_code == 302
    assert client.post(reverse("orgs:move", args=[org.pk]),
                       {"new_parent": tree.town_b.pk, "effective_on": "2025-07-02"}).status_code == 302
    assert client.post(reverse("orgs:reelect", args=[org.pk]),
                       {"elected_on": "2025-08-01", "term_years": "3", "chair_name": "赵六"}).status_code == 302
    refused = client.post(reverse("orgs:dissolve", args=[tree.town_b.pk]),
                          {"dissolved_on": "2025-09-01", "reason": "撤并"})
    assert "未注销的下级组织" in refused.content.decode()
    assert client.post(reverse("orgs:dissolve", args=[org.pk]),
                       {"dissolved_on": "2025-09-01", "reason": "企业搬迁"}).status_code == 302
    org.refresh_from_db()
    assert org.path.startswith(tree.town_b.path) and org.is_dissolved and org.name == "甲二集团工会"
    timeline = client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    for word in ("更名", "转移", "换届", "注销"):
        assert word in timeline
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"orgs.org.renamed", "orgs.org.moved", "orgs.org.reelected", "orgs.org.dissolved"} <= actions


def test_move_offers_only_federations_in_scope(client, tree, personas):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("orgs:move", args=[tree.union_a1.pk])).content.decode()
    assert "乙街道总工会" not in page
    response = client.post(reverse("orgs:move", args=[tree.union_a1.pk]),
                           {"new_parent": tree.town_b.pk, "effective_on": "2025-01-01"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()


def test_employer_registration_and_coverage_change_the_coverage_rate(client, tree, personas):
    client.force_login(personas.county_admin)
    stats = client.get(reverse("core:stats"), {"to": "2025-12-31"}).content.decode()
    assert "3 / 4" in stats
    response = client.post(reverse("orgs:employer_create"), {
        "org": tree.town_a.pk, "name": "甲七公司", "ownership": "private", "headcount": "100", "women_count": "40",
        "migrant_count": "10", "uscc": ""})
    employer = Employer.objects.get(name="甲七公司")
    assert response["Location"] == reverse("orgs:employer_detail", args=[employer.pk])
    assert "3 / 5" in client.get(reverse("core:stats"), {"to": "2025-12-31"}).content.decode()
    bad = client.post(reverse("orgs:employer_detail", args=[employer.pk]),
                      {"union_code": "NOPE", "valid_from": "2025-06-01"})
    assert "未找到该编码的工会" in bad.content.decode()
    client.post(reverse("orgs:employer_detail", args=[employer.pk]), {"union_code": "A1", "valid_from": "2025-06-01"})
    assert Coverage.objects.filter(employer=employer).exists()
    assert "4 / 5" in client.get(reverse("core:stats"), {"to": "2025-12-31"}).content.decode()


def test_employer_form_errors_keep_input(client, tree, personas):
    client.force_login(personas.town_clerk)
    response = client.post(reverse("orgs:employer_create"), {
        "org": tree.town_a.pk, "name": "错码公司", "ownership": "private", "headcount": "10", "women_count": "20",
        "migrant_count": "0", "uscc": ""})
    page = response.content.decode()
    assert "不能大于职工人数" in page and 'value="错码公司"' in page
    assert not Employer.objects.filter(name="错码公司").exists()


def test_todo_lists_terms_due_in_scope(client, tree, personas):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:todo")).content.decode()
    assert "甲一公司工会" in page and "已逾期" in page  # term ended 2023-03-01
    assert "乙一公司工会" not in page


def test_audit_page_filters_by_subtree(client, tree, personas):
    services.org_rename(actor=personas.county_admin, org=tree.union_b1, new_name="乙一集团工会",
                        effective_on=dt.date(2025, 1, 1))
    client.force_login(personas.leader)
    page = client.get(reverse("core:audit"), {"org": "A"}).content.decode()
    assert "乙一集团工会" not in page and "甲一公司工会" in page
    page = client.get(reverse("core:audit"), {"action": "orgs.org.renamed"}).content.decode()
    assert "乙一公司工会 → 乙一集团工会" in page
    assert "日期" in client.get(reverse("core:audit"), {"from": "yesterday"}).content.decode()


def test_pages_send_security_headers(client, personas):
    client.force_login(personas.county_admin)
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_audit_page_shows_chinese_action_names_and_system_entries_to_tree_auditors(client, tree, personas):

    from django.db import transaction

    from gonghui.core import audit
    with transaction.atomic():
        audit.record(actor=None, action="core.demo.loaded", target=audit.Target("core.demo", "x", "演示"))
    services.org_rename(actor=None, org=tree.union_a1, new_name="甲一集团工会", effective_on=dt.date(2025, 1, 1))
    client.force_login(personas.leader)  # 查阅 on the root: sees system entries
    # The table, not the action filter above it (a drop-down of every action's name).
    page = client.get(reverse("core:audit")).content.decode().split('id="audit-table"')[1]
    assert "生成演示数据" in page and "更名" in page
    client.force_login(personas.town_admin)
    page = client.get(reverse("core:audit")).content.decode().split('id="audit-table"')[1]
    assert "生成演示数据" not in page and "甲一集团工会" in page


def test_edit_sets_the_funding_parent_and_keeps_input_on_error(client, tree, personas):
    client.force_login(personas.county_admin)
    url = reverse("orgs:edit", args=[tree.union_a1.pk])
    data = {"status": "active", "funding_parent": tree.root.pk, "address": "星沙1号", "womens_committee_on": "2999-01-01"}
    page = client.post(url, data).content.decode()
    assert "不能晚于今天" in page and 'value="星沙1号"' in page
    data["womens_committee_on"] = "2020-03-01"
    assert client.post(url, data).status_code == 302
    tree.union_a1.refresh_from_db()
    assert tree.union_a1.funding_parent == tree.root and tree.union_a1.address == "星沙1号"
    assert "经费收缴上级" in client.get(reverse("orgs:detail", args=[tree.union_a1.pk])).content.decode()


def test_uncovered_filter_keeps_employers_that_never_had_a_union(client, tree, personas):
    client.force_login(personas.county_admin)
    page = client.get(reverse("orgs:employers"), {"uncovered": "1"}).content.decode()
    assert "甲三公司" in page and "甲四商店" in page  # never covered
    assert "甲一公司" not in page and "乙一公司" not in page  # covered now


def test_the_current_work_line_alone_is_highlighted(client, personas):
    client.force_login(personas.county_admin)
    page = client.get(reverse("orgs:employers")).content.decode()
    assert page.count("active fw-semibold") == 1 and page.count('aria-current="page"') == 1
    assert 'dropdown-item active" href="/orgs/employers/" aria-current="page"' in page
    assert re.search(r'data-nav-group="组织与会员">\s*<button [^>]*class="nav-link dropdown-toggle active fw-semibold"', page)


def test_import_and_create_buttons_only_for_users_who_may_use_them(client, personas):
    client.force_login(personas.leader)
    assert "导入" not in client.get(reverse("orgs:tree")).content.decode()
    page = client.get(reverse("orgs:employers")).content.decode()
    assert "导入" not in page and "登记用人单位" not in page
    client.force_login(personas.town_clerk)
    assert "导入" in client.get(reverse("orgs:tree")).content.decode()


def test_stats_page_bad_dates_show_a_clear_error_and_keep_the_node(client, tree, personas):
    client.force_login(personas.county_admin)
    page = client.get(reverse("core:stats"), {"org": "A", "from": "2025-13-01", "to": "2025-12-31"}).content.decode()
    assert "开始日期“2025-13-01”格式不正确" in page and "甲镇工会联合会" in page
    page = client.get(reverse("core:stats"), {"from": "2025-12-31", "to": "2025-01-01"}).content.decode()
    assert "晚于截止日期" in page
    client.force_login(personas.town_clerk)
    assert client.get(reverse("core:stats"), {"org": "B"}).status_code == 404


def test_home_shows_the_headline_figures_after_the_page(client, tree, personas):
    client.force_login(personas.leader)
    page = client.get("/").content.decode()
    assert reverse("core:workbench_figures") in page  # fetched after the page (tests/core/test_workbench.py)
    page = client.get(reverse("core:workbench_figures")).content.decode()
    assert 'data-metric="members.total"' in page and 'data-metric="orgs.coverage_rate"' in page
