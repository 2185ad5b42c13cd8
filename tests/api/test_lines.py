"""The work lines' API resources (each line's api.py): writes through the lines' services, masking and
access logging of sensitive data, the list pages' filters. Scope and permissions per persona are in
test_matrix.py."""

import datetime as dt

from gonghui.assistance.models import Archive
from gonghui.core.models import AccessLog, AuditEvent

from . import line_objects


def test_a_negotiation_through_the_api(personas, tree, api_for):
    api = api_for(personas.town_clerk)
    r = api.post("contracts/", {"org_code": "A1", "contract_type": "wage", "title": "2026年工资专项集体协议",
                                "opened_on": "2026-03-02", "employer_ids": [tree.emp["a1"].pk]})
    assert r.status_code == 201, r.content.decode()
    cid = r.json()["id"]
    assert r.json()["status"] == "representatives" and r.json()["parties"][0]["name"] == "甲一公司"
    for i, (side, name) in enumerate([("workers", n) for n in ("张工", "王工", "赵工")]
                                     + [("employer", n) for n in ("李总", "周经理", "吴经理")]):
        r = api.post(f"contracts/{cid}/representatives/", {"side": side, "name": name, "is_chief": i in (0, 3)})
        assert r.status_code == 200, r.content.decode()
    r = api.post(f"contracts/{cid}/offer/", {"side": "workers", "offered_on": "2026-03-05", "topics": "工资增长"})
    assert r.status_code == 200, r.content.decode()
    assert r.json()["status"] == "offered" and r.json()["reply_due_on"]
    assert AuditEvent.objects.filter(action="bargaining.contract.offered").count() == 1
    # a step out of order is refused by the service, in Chinese
    r = api.post(f"contracts/{cid}/sign/", {"signed_on": "2026-03-06", "start_on": "2026-04-01",
                                            "end_on": "2029-03-31"})
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    # an employer outside the union's area: the service's message, naming the field
    r = api.post("contracts/", {"org_code": "A1", "contract_type": "wage", "title": "越界", "opened_on": "2026-03-02",
                                "employer_ids": [tree.emp["b1"].pk]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "employer_ids"
    # the list's filters are the page's; an unknown code is a 400 naming the parameter
    assert [c["id"] for c in api.get("contracts/", {"view": "negotiating"}).json()["results"]] == [cid]
    assert api.get("contracts/", {"view": "in_force"}).json()["results"] == []
    r = api.get("contracts/", {"status": "bogus"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "status"


def test_archives_are_masked_and_a_full_read_is_logged(personas, tree, api_for):
    objs = line_objects.assistance(tree, personas)
    pk = objs["archive"][0][0]
    clerk = api_for(personas.town_clerk)  # 业务经办: no view_sensitive
    listed = clerk.get("archives/").json()["results"]
    assert listed and all(a["masked"] and a["sensitive"] is None and a["family"] is None for a in listed)
    assert all("*" in a["id_number"] for a in listed)
    detail = clerk.get(f"archives/{pk}/").json()
    assert detail["masked"] and detail["sensitive"] is None
    assert not AccessLog.objects.exists()
    assert clerk.post(f"archives/{pk}/reveal/", {"reason": "核对"}).status_code == 403
    admin = api_for(personas.town_admin)  # 单位管理员 of 甲镇: view_sensitive
    full = admin.get(f"archives/{pk}/").json()
    assert not full["masked"] and full["sensitive"]["monthly_wage"] == "500.00" and "*" in full["id_number"]
    assert AccessLog.objects.filter(object_type="assistance.archive", object_id=str(pk)).count() == 1
    r = admin.post(f"archives/{pk}/reveal/", {"reason": ""})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "reason"
    shown = admin.post(f"archives/{pk}/reveal/", {"reason": "核对银行卡"}).json()
    assert shown["id_number"] == Archive.objects.get(pk=pk).id_number
    assert AccessLog.objects.filter(object_type="assistance.archive").count() == 2
    # the page's filter
    # the page's filter: entered 2025-03-20, its yearly review is due
    assert [a["id"] for a in clerk.get("archives/", {"review_due": "true", "org": "A"}).json()["results"]] == [pk]
    assert clerk.get("archives/", {"review_due": "maybe"}).status_code == 400


def test_an_application_keeps_four_eyes(personas, tree, api_for):
    from tests.conftest import make_user

    objs = line_objects.assistance(tree, personas)
    archive = objs["archive"][0][0]
    clerk = api_for(personas.town_clerk)
    r = clerk.post("applications/", {"archive_id": archive, "type": "medical", "amount_requested": "800.00",
                                     "reason": "住院", "applied_on": "2025-05-01"})
    assert r.status_code == 201, r.content.decode()
    app = r.json()["id"]
    admin = api_for(personas.town_admin)
    r = admin.post(f"applications/{app}/review/", {"approve": True, "on": "2025-05-02"})
    assert r.status_code == 200 and r.json()["status"] == "reviewed"
    r = admin.post(f"applications/{app}/approve/", {"approve": True, "on": "2025-05-03"})
    assert r.status_code == 400 and "审核人" in r.json()["detail"]  # the reviewer may not approve
    approver = api_for(make_user("approver", tree.town_a, "审批"))
    r = approver.post(f"applications/{app}/approve/", {"approve": True, "on": "2025-05-03", "amount_approved": "600"})
    assert r.status_code == 200 and r.json()["amount_approved"] == "600.00"


def test_a_claims_diagnosis_only_with_the_permission_and_logged(personas, tree, api_for):
    pk = line_objects.mutual_aid(tree, personas)["claim"][0][0]
    clerk = api_for(personas.town_clerk).get(f"claims/{pk}/").json()
    assert clerk["masked"] and clerk["diagnosis"] is None and "*" in clerk["id_number"]
    assert not AccessLog.objects.exists()
    full = api_for(personas.town_admin).get(f"claims/{pk}/").json()
    assert not full["masked"] and full["diagnosis"]
    assert AccessLog.objects.filter(object_type="mutual_aid.claim").count() == 1


def test_the_newer_lines_write_through_their_services(personas, tree, api_for):
    api = api_for(personas.town_clerk)
    r = api.post("activities/", {"org_code": "A", "kind": "lecture", "title": "法律讲座", "start_on": "2025-06-01",
                                 "sessions": 1})
    assert r.status_code == 201, r.content.decode()
    assert api.get("activities/", {"from": "2025-06-01", "q": "法律"}).json()["results"][0]["id"] == r.json()["id"]
    assert api.get("activities/", {"from": "06/01/2025"}).status_code == 400
    r = api.post("activities/", {"org_code": "A", "kind": "lecture", "title": "x", "start_on": "9999-12-31"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "start_on"  # no overflow in the services
    r = api.post("activities/", {"org_code": "A", "kind": "nope", "title": "x", "start_on": "2025-06-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "kind"
    r = api.post("honours/", {"org_code": "A1", "recipient": "collective", "recipient_name": "电工班",
                              "honour_type": "pioneer", "level": "county", "issuer": "县总工会", "year": 2025,
                              "applied_on": "2025-03-01"})
    assert r.status_code == 201 and r.json()["status"] == "applied", r.content.decode()
    objs = line_objects.democracy(tree, personas)
    pid = objs["proposal"][0][0]
    r = api.post(f"proposals/{pid}/accept/", {"decided_on": "2026-03-05"})
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.content.decode()
    assert AuditEvent.objects.filter(object_type__contains="proposal").exists()
    assert dt.date.fromisoformat(r.json()["decided_on"]) == dt.date(2026, 3, 5)
