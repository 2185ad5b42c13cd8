"""Bargaining's read resources of a contract's negotiation (meetings, votes, inspections), scoped by the
contract's union; representatives and history in the contract's detail only."""

from . import read_objects


def test_meetings_votes_and_inspections(personas, tree, api_for):
    objs = read_objects.bargaining(tree)
    api = api_for(personas.town_clerk)
    meetings = api.get("contract-meetings/").json()["results"]
    assert [m["id"] for m in meetings] == [objs["contract_meeting"][0][0]]
    m = meetings[0]
    assert m["held_on"] == "2026-03-16" and m["outcome"] == "agreed" and m["org"]["code"] == "A1"
    contract = m["contract"]["id"]
    assert api.get("contract-meetings/", {"contract": contract, "outcome": "agreed"}).json()["results"] == meetings
    assert api.get("contract-meetings/", {"outcome": "continue"}).json()["results"] == []
    assert api.get("contract-meetings/", {"to": "2026-03-15"}).json()["results"] == []
    assert api.get("contract-meetings/", {"outcome": "x"}).status_code == 400
    votes = api.get("contract-votes/", {"passed": "true"}).json()["results"]
    assert [v["id"] for v in votes] == [objs["contract_vote"][0][0]] and votes[0]["votes_for"] == 30
    inspections = api.get("contract-inspections/", {"contract": contract}).json()["results"]
    assert inspections[0]["items_fulfilled"] == 9 and inspections[0]["checked_on"] == "2026-06-01"
    for prefix, kind in (("contract-meetings", "contract_meeting"), ("contract-votes", "contract_vote"),
                         ("contract-inspections", "contract_inspection")):
        assert api.get(f"{prefix}/{objs[kind][0][0]}/").status_code == 200
        assert api.get(f"{prefix}/{objs[kind][1][0]}/").status_code == 404  # 乙一's
    detail = api.get(f"contracts/{contract}/").json()
    assert len(detail["representatives"]) == 6 and detail["events"][0]["on"]
    assert api.get("contracts/").json()["results"][0]["representatives"] is None


def test_the_remaining_steps_of_a_negotiation_through_the_api(personas, tree, api_for):
    from gonghui.bargaining import services
    from gonghui.bargaining.models import ContractType, Side
    from gonghui.core.models import AuditEvent
    from tests.bargaining.conftest import D, add_reps

    c = services.contract_open(actor=None, org=tree.union_a1, contract_type=ContractType.WAGE, title="工资专项",
                               opened_on=D(2026, 3, 2), employers=[tree.emp["a1"]])
    add_reps(c)
    services.contract_offer(actor=None, contract=c, side=Side.WORKERS, offered_on=D(2026, 3, 2), topics="工资")
    services.contract_reply(actor=None, contract=c, replied_on=D(2026, 3, 10), accepted=True)
    api = api_for(personas.town_clerk)
    r = api.post(f"contracts/{c.pk}/prepare/", {"prepared_on": "2026-03-12", "recorder": "记录员", "topics": "产假",
                                                "prev_revenue": "1200.50"})
    assert r.status_code == 200, r.content.decode()
    # the service's rule (chairs alternate, the offering side first), naming the field
    r = api.post(f"contracts/{c.pk}/meetings/", {"held_on": "2026-03-16", "chair_side": "employer",
                                                 "attendees": "双方代表", "minutes": "记录", "outcome": "agreed"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "chair_side"
    r = api.post(f"contracts/{c.pk}/meetings/", {"held_on": "2026-03-16", "chair_side": "workers",
                                                 "attendees": "双方代表", "minutes": "记录", "outcome": "agreed"})
    assert r.status_code == 200 and r.json()["status"] == "voting", r.content.decode()
    assert api.get("contract-meetings/", {"contract": c.pk}).json()["results"][0]["round"] == 1
    r = api.post(f"contracts/{c.pk}/vote/", {"session_id": 999999, "votes_for": 30})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "session_id"
    r = api.post(f"contracts/{c.pk}/vote/", {"held_on": "2026-03-27", "total": 50, "present": 40, "votes_for": 30})
    assert r.status_code == 200 and r.json()["status"] == "passed", r.content.decode()
    r = api.post(f"contracts/{c.pk}/inspections/", {"checked_on": "2026-06-01", "items_checked": 5,
                                                    "items_fulfilled": 5})
    assert r.status_code == 400  # not in force yet: the service refuses, nothing saved
    assert not api.get("contract-inspections/", {"contract": c.pk}).json()["results"]
    for name, data in (("sign", {"signed_on": "2026-03-30", "start_on": "2026-04-01", "end_on": "2029-03-31"}),
                       ("file", {"filed_on": "2026-04-03", "department": "人社局"}),
                       ("object", {"objection_on": "2026-04-10", "note": "第5条须修改"})):
        r = api.post(f"contracts/{c.pk}/{name}/", data)
        assert r.status_code == 200, (name, r.content.decode())
    assert r.json()["status"] == "negotiating"
    assert AuditEvent.objects.filter(action__startswith="bargaining.contract.").count() >= 6
