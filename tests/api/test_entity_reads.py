"""The read resources of entities that had none (tests/api/entity_reads.py): rigid expenses only
with view_sensitive and every read access-logged, the refund account masked but in a detail read
with view_sensitive (logged), files as metadata with the page's download link only for whoever the
page lets download, the system's reference tables without `org`, and lists whose queries do not grow
with their rows. Scope for every persona: the permission matrix (tests/api/test_matrix.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.core import scope
from gonghui.core.models import AccessLog

from . import entity_reads, line_objects


def _objects(tree, personas):
    line_objects.make(tree, personas)
    return entity_reads.make(tree, personas)


def test_expenses_need_view_sensitive_and_each_read_is_logged_per_archive(tree, personas, api_for):
    objs = _objects(tree, personas)
    assert api_for(personas.town_clerk).get("archive-expenses/").status_code == 403  # 业务经办: no view_sensitive
    admin = api_for(personas.town_admin)  # 单位管理员 of 甲镇
    assert scope.has_perm(personas.town_admin, "assistance.view_sensitive")
    rows = admin.get("archive-expenses/").json()["results"]
    (pk, path), (out_pk, _) = objs["archive_expense"]
    assert [r["id"] for r in rows] == [pk]
    assert rows[0]["annual_amount"] == "1200.00" and rows[0]["kind_label"] == "医疗自付费用"
    assert rows[0]["org"]["code"] == "A1" and rows[0]["archive"]["head_name"] == "帮扶户"
    logs = AccessLog.objects.filter(user_id=personas.town_admin.pk, object_type="assistance.archive")
    assert [(e.object_id, e.fields, e.org_path) for e in logs.all()] == [
        (str(rows[0]["archive"]["id"]), ["expenses"], path)]
    assert admin.get(f"archive-expenses/{pk}/").status_code == 200 and logs.all().count() == 2
    assert admin.get(f"archive-expenses/{out_pk}/").status_code == 404 and logs.all().count() == 2
    assert admin.get("archive-expenses/", {"kind": "disaster"}).json()["results"] == []


def test_the_refund_account_is_masked_unless_view_sensitive_and_a_full_read_is_logged(tree, personas, api_for):
    objs = _objects(tree, personas)
    (pk, path), _ = objs["refund_formality"]
    clerk = api_for(personas.town_clerk)
    row = clerk.get("refund-formalities/").json()["results"][0]
    assert (row["id"], row["account"], row["masked"], row["missing"]) == (pk, "****5678", True, [])
    assert clerk.get(f"refund-formalities/{pk}/").json()["account"] == "****5678"
    logs = AccessLog.objects.filter(object_type="funds.refundformality")
    assert not logs.exists()
    admin = api_for(personas.town_admin)
    assert scope.has_perm(personas.town_admin, "funds.view_sensitive", path)
    assert admin.get("refund-formalities/").json()["results"][0]["account"] == "****5678"  # a list: masked
    assert not logs.exists()
    full = admin.get(f"refund-formalities/{pk}/").json()
    assert (full["account"], full["masked"]) == ("6222020012345678", False)
    assert [(e.user_id, e.object_id, e.fields) for e in logs] == [(personas.town_admin.pk, str(pk), ["account"])]
    assert clerk.get("refund-formalities/", {"complete": "false"}).json()["results"] == []


def test_files_are_metadata_with_the_pages_link_for_whoever_may_download(client, tree, personas, api_for):
    objs = _objects(tree, personas)
    clerk, admin = api_for(personas.town_clerk), api_for(personas.town_admin)
    for prefix, kind in (("application-documents", "application_document"), ("claim-documents", "claim_document")):
        pk = objs[kind][0][0]
        assert clerk.get(f"{prefix}/{pk}/").json()["download_url"] is None, prefix  # no view_sensitive
        row = admin.get(f"{prefix}/").json()["results"][0]
        assert row["id"] == pk and "file" not in row and row["download_url"].startswith("http://testserver/"), prefix
        client.force_login(personas.town_admin)
        r = client.get(row["download_url"])
        assert r.status_code == 200 and b"".join(r.streaming_content) == entity_reads.PDF, prefix
    assert AccessLog.objects.filter(user_id=personas.town_admin.pk, fields=["file"]).count() == 2
    upload = clerk.get("appraisal-uploads/").json()["results"][0]
    assert upload["download_url"].startswith("http://testserver/")
    assert upload["id"] == objs["appraisal_upload"][0][0] and upload["name"] == "案例.pdf" and upload["size"] == 13
    client.force_login(personas.town_clerk)
    assert b"".join(client.get(upload["download_url"]).streaming_content) == entity_reads.PDF
    entry = clerk.get(f"appraisal-entries/{upload['entry_id']}/").json()
    assert entry["self_score"] == "3.00" and entry["evidence"] == "创新案例两项" and entry["indicator"]["code"] == "2"
    assert clerk.get("appraisal-uploads/", {"entry": entry["id"]}).json()["results"] == [upload]
    templates = api_for(personas.county_admin).get("enrolment-form-templates/").json()["results"]
    assert {t["org"]["code"] for t in templates} == {"A", "B"} and "content" not in templates[0]


def test_reference_tables_are_the_systems_without_org(tree, personas, api_for, client):
    import json

    _objects(tree, personas)
    api = api_for(personas.union_clerk)
    standards = api.get("living-standards/", {"year": "2025", "region": "430121"}).json()["results"]
    assert [(s["region_name"], s["monthly"]) for s in standards] == [("长沙县", "700.00")]
    shares = api.get("fund-shares/", {"on": "2025-06-30"}).json()["results"]
    assert sorted((s["level"], s["percent"]) for s in shares) == [("county", "40.000"), ("grassroots", "60.000")]
    assert api.get("fund-shares/", {"on": "2024-12-31"}).json()["results"] == []
    assert api.get("fund-shares/", {"on": "2025-13-01"}).status_code == 400
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    for path in ("/api/v1/living-standards/", "/api/v1/fund-shares/"):
        assert "org" not in {p["name"] for p in schema["paths"][path]["get"]["parameters"]}, path


def test_the_lists_queries_do_not_grow_with_their_rows(tree, personas, api_for):
    """The county sees more rows of each list than the township: the same number of queries."""
    _objects(tree, personas)
    admin = api_for(personas.county_admin)
    town = api_for(personas.town_admin)
    for path, perm, kind in entity_reads.READS:
        url = path.removeprefix("/api/v1/")
        counts = []
        for api in (admin, town):
            if not scope.has_perm(api.user, perm):
                continue
            api.get(url)  # the token's first use writes its last-use time
            with CaptureQueriesContext(connection) as ctx:
                r = api.get(url)
            assert r.status_code == 200, (path, r.content[:200])
            counts.append((len(r.json()["results"]), len(ctx.captured_queries)))
        assert len({q for _rows, q in counts}) == 1, (path, counts)
        if kind not in entity_reads.SHARED and len(counts) == 2:
            assert counts[0][0] > counts[1][0], (path, counts)


def test_join_applications_and_rights_requests_read_as_the_staff_pages_show_them(tree, personas, api_for):
    objs = _objects(tree, personas)
    clerk = api_for(personas.town_clerk)
    (pending, _path), (out_pk, _) = objs["join_application"]
    rows = clerk.get("join-applications/", {"status": "pending"}).json()["results"]
    assert [r["id"] for r in rows] == [pending]
    row = rows[0]
    assert (row["name"], row["id_number"], row["phone"], row["status_label"]) == (
        "待审申请人", "430121********" + row["id_number"][-4:], "139****4321", "待审核")
    assert (row["union"]["code"], row["employer_name"], row["membership"]) == ("A1", "甲一公司", None)
    accepted = clerk.get("join-applications/", {"status": "accepted"}).json()["results"]
    assert len(accepted) == 1 and accepted[0]["membership"] is not None and accepted[0]["decided_at"]
    assert clerk.get(f"join-applications/{pending}/").json() == row
    assert clerk.get(f"join-applications/{out_pk}/").status_code == 404
    assert clerk.get("join-applications/", {"status": "open"}).status_code == 400
    (pk, _path), _ = objs["rights_request"]
    req = clerk.get(f"rights-requests/{pk}/").json()
    assert (req["kind_label"], req["detail"], req["status"], req["member_name"]) == (
        "更正补充个人信息", "手机号码应为13900000000", "open", "网上申请人")
    assert "*" in req["member_id_number"] and req["due_on"] >= req["received_on"]
    assert [r["id"] for r in clerk.get("rights-requests/", {"kind": "correct", "status": "open"}).json()["results"]] == [pk]
    assert clerk.get("rights-requests/", {"kind": "delete"}).json()["results"] == []
    assert not AccessLog.objects.exists()


def test_a_help_requests_hardship_needs_view_sensitive_and_each_full_read_is_logged(client, tree, personas, api_for):
    objs = _objects(tree, personas)
    (pk, path), (out_pk, _) = objs["help_request"]
    clerk, admin = api_for(personas.town_clerk), api_for(personas.town_admin)
    hidden = {"reason": None, "student_name": None, "school": None, "download_url": None, "masked": True}
    row = clerk.get(f"help-requests/{pk}/").json()  # 业务经办: no assistance.view_sensitive
    assert {k: row[k] for k in hidden} == hidden and row["has_attachment"] is True
    assert (row["kind_label"], row["status"], row["application"]) == ("金秋助学", "received", None)
    listed = admin.get("help-requests/").json()["results"]  # a list: never in full
    assert [r["id"] for r in listed] == [pk] and {k: listed[0][k] for k in hidden} == hidden
    logs = AccessLog.objects.filter(object_type="portal.helprequest")
    assert not logs.exists()
    assert scope.has_perm(personas.town_admin, "assistance.view_sensitive", path)
    full = admin.get(f"help-requests/{pk}/").json()
    assert (full["reason"], full["student_name"], full["school"], full["masked"]) == (
        "爱人患病，家庭收入低", "小明", "县一中高三", False)
    assert [(e.user_id, e.object_id, e.org_path) for e in logs] == [(personas.town_admin.pk, str(pk), path)]
    client.force_login(personas.town_admin)
    r = client.get(full["download_url"])
    assert r.status_code == 200 and b"".join(r.streaming_content) == entity_reads.PDF
    assert admin.get(f"help-requests/{out_pk}/").status_code == 404
    assert logs.all().count() == 2  # the page's download logged it too
    assert admin.get("help-requests/", {"registered": "true"}).json()["results"] == []
    assert admin.get("help-requests/", {"kind": "hardship"}).json()["results"] == []


def test_coverages_and_post_visitors_read_as_their_pages_list_them(tree, personas, api_for):
    from gonghui.orgs import services as org_services

    objs = _objects(tree, personas)
    clerk = api_for(personas.town_clerk)  # 甲镇: 甲一's and 甲二's coverages, not 乙一's
    rows = clerk.get("coverages/").json()["results"]
    assert sorted((r["union"]["code"], r["employer_name"], r["valid_from"], r["current"]) for r in rows) == [
        ("A1", "甲一公司", "2020-03-01", True), ("A2", "甲二公司", "2025-02-10", True)]
    (pk, _path), (out_pk, _) = objs["coverage"]
    assert clerk.get(f"coverages/{out_pk}/").status_code == 404
    org_services.coverage_end(actor=None, coverage=tree.union_a1.coverages.get(pk=pk), valid_to=entity_reads.D(2026, 1, 1))
    ended = clerk.get("coverages/", {"current": "false"}).json()["results"]
    assert [(r["id"], r["valid_to"], r["current"]) for r in ended] == [(pk, "2026-01-01", False)]
    assert [r["id"] for r in clerk.get("coverages/", {"employer": tree.emp["a1"].pk}).json()["results"]] == [pk]
    assert clerk.get("coverages/", {"of": tree.union_a2.pk, "current": "true"}).json()["results"][0]["union"][
        "code"] == "A2"
    (visit, _path), (out_visit, _) = objs["post_visit"]
    row = clerk.get(f"post-visits/{visit}/").json()
    assert (row["on"], row["visitor"], row["service"]) == ("2025-03-03", "来访职工", "法律咨询")
    assert clerk.get("post-visit-days/", {"post": row["post"]}).json()["results"][0]["visits"] == 1
    assert clerk.get(f"post-visits/{out_visit}/").status_code == 404
    assert clerk.get("post-visits/", {"to": "2025-03-02"}).json()["results"] == []


def test_targets_and_reported_values_are_read_beside_the_figures(tree, personas, api_for):
    objs = _objects(tree, personas)
    leader = api_for(personas.union_clerk)  # 甲一's clerk: its own, not 乙一's
    (pk, _path), (out_pk, _) = objs["target"]
    rows = leader.get("targets/", {"metric": "members.total", "year": "2025"}).json()["results"]
    assert [(r["id"], r["org"]["code"], r["metric_label"], r["value"]) for r in rows] == [
        (pk, "A1", rows[0]["metric_label"], "120.00")] and rows[0]["metric_label"]
    assert leader.get(f"targets/{out_pk}/").status_code == 404
    assert leader.get("targets/", {"year": "2024"}).json()["results"] == []
    (rv, _path), (out_rv, _) = objs["reported_value"]
    row = leader.get(f"reported-values/{rv}/").json()
    assert (row["start"], row["end"], row["value"], row["metric_code"]) == ("2025-01-01", "2025-12-31", "118.00",
                                                                             "members.total")
    assert leader.get(f"reported-values/{out_rv}/").status_code == 404
    assert leader.get("reported-values/", {"to": "2025-06-30"}).json()["results"] == []
