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
