"""The petitions' rows, the mediations and the members' events (api/reads_core.py): persons masked as the pages show them,
in full only in a detail read with petitions.view_sensitive and then access-logged; an attachment's
download link only for the users the case page offers it to; the pages' filters. Their scope for
every persona and their queries: tests/api/test_line_reads.py (READ_SETS["core_reads"])."""

from gonghui.core import scope
from gonghui.core.models import AccessLog

from . import core_reads


def _sensitive(personas, tree):
    admin, clerk = personas.town_admin, personas.town_clerk
    assert scope.has_perm(admin, "petitions.view_sensitive", tree.union_a1.path)
    assert not scope.has_perm(clerk, "petitions.view_sensitive", tree.union_a1.path)
    assert scope.has_perm(clerk, "petitions.view", tree.union_a1.path)
    return admin, clerk


def test_petitioners_are_masked_and_in_full_only_with_the_permission_and_logged(tree, personas, api_for):
    core_reads.make(tree, personas)
    admin_user, clerk_user = _sensitive(personas, tree)
    admin, clerk = api_for(admin_user), api_for(clerk_user)
    row = clerk.get("petitioners/").json()["results"][0]
    assert row["masked"] and row["name"] != "赵信访" and "*" in row["id_number"] and "*" in row["phone"]
    assert row["address"] == "" and admin.get("petitioners/").json()["results"][0]["masked"]  # lists: masked
    before = AccessLog.objects.count()
    assert clerk.get(f"petitioners/{row['id']}/").json()["masked"] and AccessLog.objects.count() == before
    full = admin.get(f"petitioners/{row['id']}/").json()
    assert not full["masked"] and (full["name"], full["id_number"], full["phone"], full["address"]) == (
        "赵信访", "430121199001010015", "13900139001", "长沙县星沙街道")
    log = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (log.object_type, log.object_id, log.user_name) == ("petitions.petition", str(row["petition"]), "town_admin")


def test_mediation_applicants_are_masked_and_in_full_only_with_the_permission_and_logged(tree, personas, api_for):
    core_reads.make(tree, personas)
    admin_user, clerk_user = _sensitive(personas, tree)
    admin, clerk = api_for(admin_user), api_for(clerk_user)
    m = clerk.get("mediations/").json()["results"][0]
    assert m["masked"] and m["applicant_name"] != "钱申请" and "*" in m["applicant_phone"]
    assert m["amount_claimed"] == "3000.00" and m["state_label"] == "调解中" and m["org"]["code"] == "A1"
    before = AccessLog.objects.count()
    full = admin.get(f"mediations/{m['id']}/").json()
    assert (full["applicant_name"], full["applicant_phone"], full["masked"]) == ("钱申请", "13900139001", False)
    assert AccessLog.objects.count() == before + 1
    assert AccessLog.objects.order_by("-pk").first().object_type == "petitions.mediation"
    assert clerk.get("mediations/", {"state": "succeeded"}).json()["results"] == []
    r = clerk.get("mediations/", {"state": "nonsense"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "state"
    sessions = clerk.get("mediation-sessions/", {"mediation": m["id"]}).json()["results"]
    assert [(s["mediation"], s["held_on"], s["notes"]) for s in sessions] == [(m["id"], "2026-11-10", "双方陈述，约定再议")]


def test_a_cases_rows_and_the_attachment_link_as_the_case_page_offers_it(tree, personas, api_for):
    objects = core_reads.make(tree, personas)
    admin_user, clerk_user = _sensitive(personas, tree)
    admin, clerk = api_for(admin_user), api_for(clerk_user)
    pk = objects["petitioner"][0][0]
    petition = clerk.get(f"petitioners/{pk}/").json()["petition"]
    events = clerk.get("petition-events/", {"petition": petition}).json()["results"]
    assert {"登记", "申请延期", "上传附件"} <= {e["action"] for e in events}
    assert all(e["org"]["code"] == "A1" for e in events)
    ext = clerk.get("petition-extensions/", {"petition": petition, "state": "pending"}).json()["results"]
    assert [(e["requested_on"], e["reason"], e["state_label"]) for e in ext] == [("2026-11-20", "需调取工资台账", "待审批")]
    attachment = clerk.get("petition-attachments/", {"petition": petition}).json()["results"][0]
    assert (attachment["name"], attachment["size"], attachment["download_url"]) == ("来信.pdf", 13, None)
    shown = admin.get(f"petition-attachments/{attachment['id']}/").json()["download_url"]
    assert shown.endswith(f"/petitions/attachments/{attachment['id']}/")


def test_a_members_events_are_the_member_pages_timeline(tree, personas, api_for):
    core_reads.make(tree, personas)
    clerk = api_for(personas.union_clerk)  # 甲一 only
    events = clerk.get("member-events/").json()["results"]
    assert [(e["kind"], e["kind_label"], e["effective_on"], e["union"]["code"]) for e in events] == [
        ("joined", "入会", "2024-03-01", "A1")]
    assert clerk.get("member-events/", {"kind": "withdrawn"}).json()["results"] == []
    assert clerk.get("member-events/", {"membership": events[0]["membership"], "from": "2024-03-01"}).json()["results"]
    r = clerk.get("member-events/", {"from": "2024-13-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "from"
