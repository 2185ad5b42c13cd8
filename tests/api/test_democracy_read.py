"""Democracy's read resources (congresses, delegates, sessions, disclosures, disclosure systems): scoped
like the pages, nested rows in the detail only, 民主评议 results only with view_sensitive and logged."""

from gonghui.core import scope
from gonghui.core.models import AccessLog

from . import line_objects, read_objects


def _objects(tree, personas):
    line_objects.democracy(tree, personas)
    return read_objects.democracy(tree)


def test_congress_list_filters_and_detail(personas, tree, api_for):
    objs = _objects(tree, personas)
    (mine, _path), (theirs, _other) = objs["congress"]
    api = api_for(personas.town_clerk)
    rows = api.get("congresses/").json()["results"]
    assert [c["id"] for c in rows] == [mine]  # 乙's congress is outside 甲镇
    assert rows[0]["terms"] is None and rows[0]["established_on"] == "2021-01-10"
    assert rows[0]["employer"]["name"] == "甲一公司"
    assert api.get("congresses/", {"q": "甲一"}).json()["results"][0]["id"] == mine
    assert api.get("congresses/", {"q": "没有"}).json()["results"] == []
    r = api.get("congresses/", {"scope": "bogus"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "scope"
    detail = api.get(f"congresses/{mine}/").json()
    assert detail["terms"][0]["number"] == 1 and detail["terms"][0]["delegates"] == 3
    assert detail["covered"] == [] and detail["written_resolutions"] == []
    assert api.get(f"congresses/{theirs}/").status_code == 404


def test_delegates_by_congress(personas, tree, api_for):
    objs = _objects(tree, personas)
    congress = objs["congress"][0][0]
    api = api_for(personas.town_clerk)
    rows = api.get("delegates/", {"congress": congress}).json()["results"]
    assert len(rows) == 3 and {d["congress_id"] for d in rows} == {congress}
    assert api.get("delegates/", {"congress": objs["congress"][1][0]}).json()["results"] == []
    assert api.get("delegates/", {"congress": "x"}).status_code == 400


def test_session_detail_shows_evaluations_only_with_the_permission_and_logs_it(personas, tree, api_for):
    objs = _objects(tree, personas)
    pk = objs["congress_session"][0][0]
    clerk = api_for(personas.town_clerk)
    assert not scope.has_perm(personas.town_clerk, "democracy.view_sensitive")
    listed = clerk.get("congress-sessions/").json()["results"]
    assert [s["id"] for s in listed] == [pk] and listed[0]["motions"] is None
    detail = clerk.get(f"congress-sessions/{pk}/").json()
    assert detail["held_on"] == "2026-03-01" and detail["motions"][0]["passed"] is True
    assert detail["evaluations"] is None
    assert not AccessLog.objects.exists()
    admin = api_for(personas.town_admin)
    assert scope.has_perm(personas.town_admin, "democracy.view_sensitive")
    full = admin.get(f"congress-sessions/{pk}/").json()
    assert full["evaluations"][0]["name"] == "被评议人" and full["evaluations"][0]["excellent"] == 2
    assert AccessLog.objects.filter(object_type="democracy.evaluation").count() == 1
    assert clerk.get("congress-sessions/", {"held_from": "2026-03-02"}).json()["results"] == []
    assert clerk.get("congress-sessions/", {"held_from": "2026-13-01"}).status_code == 400


def test_disclosures_and_systems(personas, tree, api_for):
    objs = _objects(tree, personas)
    pk = objs["disclosure"][0][0]
    api = api_for(personas.union_clerk)
    rows = api.get("disclosures/", {"kind": "workplace"}).json()["results"]
    assert [d["id"] for d in rows] == [pk] and rows[0]["items"] is None
    assert api.get("disclosures/", {"kind": "union"}).json()["results"] == []
    detail = api.get(f"disclosures/{pk}/").json()
    assert detail["items"][0]["category_label"] == "发展规划与生产经营" and detail["opinions"] == []
    systems = api.get("disclosure-systems/", {"current": "true"}).json()["results"]
    assert [s["id"] for s in systems] == [objs["disclosure_system"][0][0]]
    assert api.get("disclosure-systems/", {"current": "false"}).json()["results"] == []
    assert api.get(f"disclosure-systems/{objs['disclosure_system'][1][0]}/").status_code == 404


def test_a_proposal_detail_has_its_history(personas, tree, api_for):
    pk = line_objects.democracy(tree, personas)["proposal"][0][0]
    api = api_for(personas.town_clerk)
    assert api.get("proposals/").json()["results"][0]["events"] is None
    assert api.post(f"proposals/{pk}/accept/", {"decided_on": "2026-03-05"}).status_code == 200
    events = api.get(f"proposals/{pk}/").json()["events"]
    assert events and events[-1]["on"] == "2026-03-05"
