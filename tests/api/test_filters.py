"""The list filters are the pages' filters (same forms, same selectors, same order); a value the page
would refuse is a 400 naming the field."""

import datetime as dt

from gonghui.members import services as member_services
from gonghui.petitions import services as petition_services


def test_member_filters(personas, tree, api_for):
    for i, (name, idn) in enumerate([("赵男", "430121199001010015"), ("钱女", "430121199001010023")]):
        member_services.member_join(actor=None, union=tree.union_a1, name=name, id_number=idn,
                                    joined_on=dt.date(2024, 1, 1 + i))
    api = api_for(personas.town_clerk)
    assert [m["name"] for m in api.get("members/", {"gender": "2"}).json()["results"]] == ["钱女"]
    assert [m["name"] for m in api.get("members/", {"joined_from": "2024-01-02"}).json()["results"]] == ["钱女"]
    assert len(api.get("members/", {"age_min": "30", "age_max": "40"}).json()["results"]) == 2
    r = api.get("members/", {"age_min": "abc"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "age_min" and "年龄自" in r.json()["detail"]
    r = api.get("members/", {"status": "ended"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "status"


def test_petition_filters(personas, tree, api_for):
    for channel, day in (("visit", 2), ("letter", 5)):
        petition_services.petition_register(actor=None, org=tree.union_a1, channel=channel,
                                            received_on=dt.date(2026, 11, day), title=f"{channel}欠薪",
                                            category="wages", petitioners=[{"name": "王五"}])
    api = api_for(personas.town_clerk)
    rows = api.get("petitions/").json()["results"]
    assert [p["channel"] for p in rows] == ["letter", "visit"]  # newest first, as the page
    assert [p["channel"] for p in api.get("petitions/", {"channel": "visit"}).json()["results"]] == ["visit"]
    assert len(api.get("petitions/", {"received_from": "2026-11-03"}).json()["results"]) == 1
    assert len(api.get("petitions/", {"q": "letter"}).json()["results"]) == 1
    assert len(api.get("petitions/", {"status": "registered", "org": "A1"}).json()["results"]) == 2
    r = api.get("petitions/", {"received_to": "2026-13-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "received_to"


def test_employer_and_org_filters(personas, tree, api_for):
    api = api_for(personas.town_clerk)
    names = [e["name"] for e in api.get("employers/", {"uncovered": "true"}).json()["results"]]
    assert names == ["甲三公司", "甲四商店"]
    assert [e["name"] for e in api.get("employers/", {"required": "1", "uncovered": "1"}).json()["results"]] == [
        "甲三公司"]
    assert [e["name"] for e in api.get("employers/", {"q": "四"}).json()["results"]] == ["甲四商店"]
    assert [o["code"] for o in api.get("orgs/", {"q": "甲二"}).json()["results"]] == ["A2"]
    assert api.get("orgs/", {"q": "乙"}).json()["results"] == []  # out of his scope
