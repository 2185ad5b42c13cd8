"""A figure's breakdown and its records, as the figure and record pages show them."""

import datetime as dt

from gonghui.members import services as member_services


def _members(tree):
    for union, idn in ((tree.union_a1, "430121199001010015"), (tree.union_a2, "430121199001010031"),
                       (tree.union_b1, "430121199001010058")):
        member_services.member_join(actor=None, union=union, name="会员", id_number=idn, joined_on=dt.date(2025, 3, 1))


def test_breakdown_by_subordinate(personas, tree, api_for):
    _members(tree)
    api = api_for(personas.town_clerk)
    r = api.get("stats/members.total/breakdown/", {"org": "A", "to": "2026-06-30"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["metric"]["label"] and body["total"]["value"] == 2 and body["adds_up"]
    assert [(p["label"], p["value"]) for p in body["parts"]] == [("本级", 0), ("甲一公司工会", 1), ("甲二公司工会", 1)]
    assert api.get("stats/members.total/breakdown/", {"org": "B"}).status_code == 404  # out of scope
    assert api.get("stats/no.such/breakdown/", {"org": "A"}).status_code == 404
    r = api.get("stats/members.total/breakdown/", {"org": "A", "to": "2026-02-30"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "to"


def test_records_masked_and_paged(personas, tree, api_for):
    _members(tree)
    api = api_for(personas.town_clerk)
    r = api.get("stats/members.total/records/", {"org": "A", "to": "2026-06-30", "size": 1})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert len(body["results"]) == 1 and body["next"] and body["count"] == 2
    assert "430121199001010015" not in r.content.decode()
    r = api.get("stats/orgs.coverage_rate/records/", {"org": "A", "to": "2026-06-30"})
    names = {row["label"] for row in r.json()["results"]}
    assert r.json()["part"] == "gap" and "甲三公司" in names and "甲一公司" not in names
    r = api.get("stats/orgs.coverage_rate/records/", {"org": "A", "to": "2026-06-30", "part": "met"})
    assert {row["label"] for row in r.json()["results"]} >= {"甲一公司"}
    r = api.get("stats/orgs.coverage_rate/records/", {"org": "A", "part": "x"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "part"
    assert api_for(personas.leader).get("stats/members.total/records/", {"org": "A"}).status_code in (200, 403)
