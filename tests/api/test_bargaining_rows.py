"""A contract's rows the contract page shows, as reads of their own (the representatives, the
history), the removal of a representative through the page's service, and the signed scan's
download link in the contract read (the page's download view). Scope per persona: test_matrix.py
and test_line_reads.py (read_objects)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.bargaining.models import Contract, Representative
from gonghui.core.models import AuditEvent
from tests.bargaining.conftest import add_reps, open_contract

from . import read_objects
from .test_bargaining_writes import _contracts, _refused


def test_representatives_and_history_are_read_where_the_contract_is(personas, tree, api_for):
    mine, theirs = _contracts(tree)
    api = api_for(personas.union_clerk)
    reps = api.get("contract-representatives/", {"contract": mine}).json()["results"]
    assert {r["name"] for r in reps} == set(Representative.objects.filter(contract_id=mine).values_list("name", flat=True))
    assert all(r["contract"]["id"] == mine and r["org"]["code"] == "A1" for r in reps)
    chiefs = api.get("contract-representatives/", {"contract": mine, "chief": "true", "side": "workers"}).json()
    assert [(r["name"], r["side_label"], r["is_chief"]) for r in chiefs["results"]] == [("职工代表1", "职工方", True)]
    assert api.get("contract-representatives/", {"contract": theirs}).json()["results"] == []
    other = Representative.objects.filter(contract_id=theirs).first()
    assert api.get(f"contract-representatives/{other.pk}/").status_code == 404
    events = api.get("contract-events/", {"contract": mine, "ordering": "on"}).json()["results"]
    assert events[0]["to_status"] == "representatives" and "effective" in {e["to_status"] for e in events}, events
    assert [e["on"] for e in events] == sorted(e["on"] for e in events)
    assert all(e["action_label"] and e["org"]["code"] == "A1" for e in events)
    detail = api.get(f"contract-events/{events[0]['id']}/")
    assert detail.status_code == 200 and detail["ETag"]
    r = api.get("contract-events/", {"from": "2026-13-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "from"


def test_removing_a_representative_as_the_contract_page_does(personas, tree, api_for):
    read_objects.bargaining(tree)
    api = api_for(personas.town_clerk)
    c = open_contract(tree)
    add_reps(c)
    gone = c.representatives.get(name="企业代表3")
    _refused(api.post(f"contracts/{c.pk}/remove_representative/", {}), "representative_id")
    elsewhere = Representative.objects.exclude(contract=c).filter(contract__org=tree.union_a1).first()
    _refused(api.post(f"contracts/{c.pk}/remove_representative/", {"representative_id": elsewhere.pk}),
             "representative_id")
    r = api.post(f"contracts/{c.pk}/remove_representative/", {"representative_id": gone.pk})
    assert r.status_code == 200, r.content.decode()
    assert "企业代表3" not in {x["name"] for x in r.json()["representatives"]}
    assert not Representative.objects.filter(pk=gone.pk).exists()
    entry = AuditEvent.objects.get(action="bargaining.representative.removed")
    assert entry.object_id == str(c.pk) and entry.changes["name"] == "企业代表3"
    # After the offer the page refuses it too (a vacancy is filled by a new representative).
    signed = elsewhere.contract
    r = api.post(f"contracts/{signed.pk}/remove_representative/", {"representative_id": elsewhere.pk})
    _refused(r, "representative_id")
    assert "补选" in r.json()["detail"] and Representative.objects.filter(pk=elsewhere.pk).exists()
    theirs = Representative.objects.filter(contract__org=tree.union_b1).first()
    r = api.post(f"contracts/{theirs.contract_id}/remove_representative/", {"representative_id": theirs.pk})
    assert r.status_code == 404


def test_the_signed_scan_is_downloaded_through_the_contract_pages_link(personas, tree, api_for, client):
    mine, _theirs = _contracts(tree)
    api = api_for(personas.town_clerk)
    assert api.get(f"contracts/{mine}/").json()["download_url"] is None
    scan = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 signed text", content_type="application/pdf")
    r = client.post(f"/api/v1/contracts/{mine}/attach/", {"upload": scan}, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert r.status_code == 200, r.content.decode()
    url = r.json()["download_url"]
    assert url == f"http://testserver/bargaining/{mine}/attachment/", url
    rows = api.get("contracts/", {"org": "A1"}).json()["results"]
    assert [c["download_url"] for c in rows if c["id"] == mine] == [url]
    client.force_login(personas.town_clerk)
    got = client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 signed text"
    assert Contract.objects.get(pk=mine).attachment
