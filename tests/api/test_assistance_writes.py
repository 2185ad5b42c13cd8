"""Assistance's writes beside the archives and applications: a campaign's target list, helpers,
one-to-one pairings and their visits, through the line's services (the same audit entry; a refusal
saves nothing and names the field; out of scope is 404)."""

from gonghui.assistance.models import CampaignTarget, Helper, Pairing, Visit
from gonghui.core.models import AuditEvent

from . import line_objects, read_objects


def _refused(r, field):
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json", r.content.decode()
    assert r.json()["errors"][0]["field"] == field, r.json()


def test_targets_helpers_pairings_and_visits(personas, tree, api_for):
    archives = line_objects.assistance(tree, personas)["archive"]
    objs = read_objects.assistance(tree)
    (mine, _), (theirs, _) = objs["campaign"]
    (archive, _), (their_archive, _) = archives
    (pairing, _), (their_pairing, _) = objs["pairing"]
    api = api_for(personas.town_clerk)

    targets = CampaignTarget.objects.count()
    events = {a: AuditEvent.objects.filter(action=f"assistance.{a}").count() for a in (
        "campaign.targets_added", "visit.recorded", "pairing.ended", "pairing.created")}
    _refused(api.post(f"campaigns/{mine}/targets/", {"archive_ids": [archive, their_archive]}), "archive_ids")
    assert CampaignTarget.objects.count() == targets
    r = api.post(f"campaigns/{mine}/targets/", {"archive_ids": [archive]})  # already listed: skipped, not doubled
    assert r.status_code == 200, r.content.decode()
    assert CampaignTarget.objects.count() == targets
    assert AuditEvent.objects.filter(action="assistance.campaign.targets_added").count() == \
        events["campaign.targets_added"] + 1
    assert api.post(f"campaigns/{theirs}/targets/", {"archive_ids": [archive]}).status_code == 404

    _refused(api.post("helpers/", {"org_code": "A1", "name": " ", "kind": "unit"}), "name")
    _refused(api.post("helpers/", {"org_code": "B1", "name": "乙公司", "kind": "unit"}), "org_code")
    r = api.post("helpers/", {"org_code": "A1", "name": "县供电公司", "kind": "unit", "contact": "王"})
    assert r.status_code == 201, r.content.decode()
    helper = r.json()["id"]
    assert AuditEvent.objects.filter(action="assistance.helper.created", object_id=str(helper)).count() == 1

    # the household is paired already: one helper at a time
    _refused(api.post("pairings/", {"helper_id": helper, "archive_id": archive, "pledged_on": "2025-08-01"}),
             "archive_id")
    _refused(api.post("pairings/", {"helper_id": helper, "archive_id": their_archive, "pledged_on": "2025-08-01"}),
             "archive_id")
    _refused(api.post(f"pairings/{pairing}/end/", {"on": "2025-04-01"}), "on")  # before the pledge
    r = api.post(f"pairings/{pairing}/end/", {"on": "2025-07-31", "reason": "换帮扶单位"})
    assert r.status_code == 200 and r.json()["ended_on"] == "2025-07-31"
    assert api.post(f"pairings/{their_pairing}/end/", {"on": "2025-07-31"}).status_code == 404
    pairings = Pairing.objects.count()
    r = api.post("pairings/", {"helper_id": helper, "archive_id": archive, "pledged_on": "2025-08-01",
                               "commitment": "每季度走访"})
    assert r.status_code == 201, r.content.decode()
    new = r.json()["id"]
    assert Pairing.objects.count() == pairings + 1 and r.json()["helper"]["name"] == "县供电公司"

    visits = Visit.objects.count()
    _refused(api.post(f"pairings/{new}/visits/", {"visited_on": "2025-07-01", "amount": "100"}), "visited_on")
    _refused(api.post(f"pairings/{new}/visits/", {"visited_on": "2025-09-01", "amount": "-1"}), "amount")
    assert Visit.objects.count() == visits
    r = api.post(f"pairings/{new}/visits/", {"visited_on": "2025-09-01", "amount": "300.50", "visitors": "工会主席"})
    assert r.status_code == 200, r.content.decode()
    assert r.json()["visits"][0]["amount"] == "300.50"
    assert AuditEvent.objects.filter(action="assistance.visit.recorded").count() == events["visit.recorded"] + 1
    for a in ("pairing.ended", "pairing.created"):
        assert AuditEvent.objects.filter(action=f"assistance.{a}").count() == events[a] + 1, a
    assert Helper.objects.filter(name="乙公司").count() == 0
