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
    events = clerk.get("member-events/", {"from": "2024-01-01"}).json()["results"]  # not the transfers' member (2023)
    assert [(e["kind"], e["kind_label"], e["effective_on"], e["union"]["code"]) for e in events] == [
        ("joined", "入会", "2024-03-01", "A1")]
    assert clerk.get("member-events/", {"kind": "withdrawn"}).json()["results"] == []
    assert clerk.get("member-events/", {"membership": events[0]["membership"], "from": "2024-03-01"}).json()["results"]
    r = clerk.get("member-events/", {"from": "2024-13-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "from"


def _limited(row) -> bool:
    hidden = (row["from_union"], row["membership"], row["name"])
    assert row["limited"] == (hidden == (None, None, None)), row
    return row["limited"]


def test_transfers_show_each_side_what_the_pages_show_it(tree, personas, api_for):
    from gonghui.accounts.models import User
    from gonghui.members import services as members
    from gonghui.members.models import Membership, Transfer

    made = core_reads.make(tree, personas)
    a1_out = made["transfer"][0][0]  # 甲一 → 乙一, asked by 甲一's clerk
    b1_clerk = User.objects.get(username="b1_clerk")
    holder, b1 = api_for(personas.union_clerk), api_for(b1_clerk)
    row = holder.get(f"transfers/{a1_out}/").json()
    assert not _limited(row) and row["name"] == "周转会" and row["from_union"]["code"] == "A1"
    assert (row["to_union"]["code"], row["initiator"], row["status_label"]) == ("B1", "from", "待接收")
    assert not _limited(b1.get(f"transfers/{a1_out}/").json())  # the receiver decides it: the page names him
    # 乙一 asks for a member of 甲一 by ID number: it learns nothing of where he is, decided or not.
    person = Membership.objects.get(union=tree.union_a1, person__name="孙会员", ended_on=None)
    asked = members.transfer_request_in(actor=b1_clerk, to_union=tree.union_b1, id_number="430121198505050024",
                                        effective_on=tree.union_b1.founded_on.replace(year=2026), reason="入职乙一")
    assert isinstance(asked, Transfer) and asked.membership_id == person.pk
    for decided in (False, True):
        mine = b1.get(f"transfers/{asked.pk}/").json()
        assert _limited(mine) and "*" in mine["id_masked"] and mine["to_union"]["code"] == "B1", mine
        assert mine["status"] == ("accepted" if decided else "pending")
        listed = {r["id"]: r for r in b1.get("transfers/").json()["results"]}
        assert _limited(listed[asked.pk]) and not _limited(listed[a1_out])
        seen = holder.get(f"transfers/{asked.pk}/").json()
        assert not _limited(seen) and seen["name"] == "孙会员" and seen["membership"] == person.pk
        assert not _limited(api_for(personas.leader).get(f"transfers/{asked.pk}/").json())  # sees 甲一
        if not decided:
            members.transfer_accept(actor=personas.union_clerk, transfer=asked)
    assert api_for(personas.outsider).get("transfers/").status_code == 403
    assert holder.get("transfers/", {"org": "A1"}).json()["results"]
    r = holder.get("transfers/", {"org": "B1"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "org"
    assert [t["id"] for t in b1.get("transfers/", {"org": "B1", "initiator": "to"}).json()["results"]] == [asked.pk]


def test_member_events_are_the_persons_whole_timeline_as_the_member_page(tree, personas, api_for):
    from gonghui.accounts.models import User
    from gonghui.members import services as members
    from gonghui.members.models import Membership, Transfer

    made = core_reads.make(tree, personas)
    moved = Transfer.objects.get(pk=made["transfer"][0][0])
    old = moved.membership
    new = members.transfer_accept(actor=User.objects.get(username="b1_clerk"), transfer=moved)
    a1, b1 = api_for(personas.union_clerk), api_for(User.objects.get(username="b1_clerk"))
    # 甲一 still sees the ended membership, so the member page shows it the whole timeline, 乙一's rows too.
    timeline = a1.get("member-events/", {"member": old.pk}).json()["results"]
    assert {e["union"]["code"] for e in timeline} == {"A1", "B1"}, timeline
    assert {e["kind"] for e in timeline} >= {"joined", "transferred_out", "transferred_in"}, timeline
    assert {e["union"]["code"] for e in b1.get("member-events/", {"member": new.pk}).json()["results"]} == {"A1", "B1"}
    only = a1.get("member-events/", {"membership": old.pk}).json()["results"]
    assert {e["union"]["code"] for e in only} == {"A1"}
    # No one else's timeline: 乙一 sees none of 甲一's other members.
    stranger = Membership.objects.get(union=tree.union_a1, person__name="孙会员")
    assert b1.get("member-events/", {"member": stranger.pk}).json()["results"] == []
    for event in stranger.events.all():
        assert b1.get(f"member-events/{event.pk}/").status_code == 404


def test_org_terms_and_events_are_read_as_the_org_page(tree, personas, api_for):
    core_reads.make(tree, personas)
    clerk = api_for(personas.union_clerk)
    terms = clerk.get("org-terms/").json()["results"]
    assert {t["org"]["code"] for t in terms} == {"A1"} and terms[0]["number"] >= 1 and terms[0]["ends_on"]
    b1_term = tree.union_b1.terms.order_by("pk").first()
    assert clerk.get(f"org-terms/{b1_term.pk}/").status_code == 404
    events = clerk.get("org-events/", {"of": tree.union_a1.pk, "kind": "founded"}).json()["results"]
    assert [(e["kind_label"], e["effective_on"]) for e in events] == [("组建", "2020-03-01")]
    assert clerk.get("org-events/", {"of": tree.union_b1.pk}).json()["results"] == []
    r = clerk.get("org-events/", {"kind": "nonsense"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "kind"
    town = api_for(personas.town_clerk).get("org-events/", {"org": "A"}).json()["results"]
    assert {e["org"]["code"] for e in town} == {"A", "A1", "A2"}
