"""Assistance's read resources (campaigns, payments, helpers, pairings): the campaign's progress and
the pairing's visits in the detail only, money as strings, scoped like the pages."""

from . import line_objects, read_objects


def test_campaigns_payments_helpers_and_pairings(personas, tree, api_for):
    line_objects.assistance(tree, personas)
    objs = read_objects.assistance(tree)
    api = api_for(personas.town_clerk)
    campaigns = api.get("campaigns/").json()["results"]
    assert [c["id"] for c in campaigns] == [objs["campaign"][0][0]]
    c = campaigns[0]
    assert c["budget"] == "10000.00" and c["start_on"] == "2025-07-01" and c["progress"] is None
    progress = api.get(f"campaigns/{c['id']}/").json()["progress"]
    assert progress["amount"] == "800.00" and progress["households"] == 1 and progress["targets_reached"] == 1
    assert api.get("campaigns/", {"on": "2025-10-01"}).json()["results"] == []
    assert api.get("campaigns/", {"type": "x"}).status_code == 400
    targets = api.get("archives/", {"campaign": c["id"]}).json()["results"]
    assert len(targets) == 1 and "*" in targets[0]["id_number"]
    payments = api.get("assistance-payments/", {"campaign": c["id"]}).json()["results"]
    assert [p["id"] for p in payments] == [objs["assistance_payment"][0][0]]
    assert payments[0]["amount"] == "800.00" and payments[0]["fund_source_label"] == "本级工会经费"
    helpers = api.get("helpers/").json()["results"]
    assert [h["id"] for h in helpers] == [objs["helper"][0][0]]
    pairings = api.get("pairings/", {"open": "true"}).json()["results"]
    assert [p["id"] for p in pairings] == [objs["pairing"][0][0]] and pairings[0]["visits"] is None
    visits = api.get(f"pairings/{pairings[0]['id']}/").json()["visits"]
    assert visits == [{"id": visits[0]["id"], "visited_on": "2025-06-01", "visitors": "工会主席", "amount": "300.00",
                       "goods": "", "note": ""}]
    for prefix, kind in (("campaigns", "campaign"), ("assistance-payments", "assistance_payment"),
                         ("helpers", "helper"), ("pairings", "pairing")):
        assert api.get(f"{prefix}/{objs[kind][1][0]}/").status_code == 404  # 乙一's


def test_a_campaign_is_created_through_the_service(personas, tree, api_for):
    api = api_for(personas.town_clerk)
    data = {"org_code": "A", "name": "2026年送温暖", "type": "warmth", "start_on": "2026-01-10", "end_on": "2026-02-10",
            "budget": "20000"}
    r = api.post("campaigns/", data)
    assert r.status_code == 201 and r.json()["budget"] == "20000.00", r.content.decode()
    r = api.post("campaigns/", {**data, "end_on": "2026-01-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "end_on"
    r = api.post("campaigns/", {**data, "org_code": "B"})  # 乙镇: outside 甲镇's scope
    assert r.status_code in (400, 404)
    assert api.get("campaigns/").json()["count"] == 1
