"""Bargaining's writes beside the negotiation steps: the key terms, the signed text's scan (a real
file under the data dir) and the renewal, through the line's services (the same audit entry; a
refusal saves nothing and names the field; out of scope is 404)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.bargaining.models import Contract, Inspection
from gonghui.core.models import AuditEvent

from . import read_objects


def _refused(r, field):
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json", r.content.decode()
    assert r.json()["errors"][0]["field"] == field, r.json()


def _contracts(tree):
    ins = read_objects.bargaining(tree)["contract_inspection"]
    return [Inspection.objects.get(pk=pk).contract_id for pk, _path in ins]  # effective, under 甲一 and 乙一


def test_terms_scan_and_renewal(personas, tree, api_for, client):
    mine, theirs = _contracts(tree)
    api = api_for(personas.town_clerk)
    terms = {"wage_increase_pct": "6.50", "lowest_wage": "2100", "employees_covered": 40, "women_covered": 12,
             "migrants_covered": 5, "women_clauses": ["四期保护", "生育待遇"]}
    _refused(api.post(f"contracts/{mine}/terms/", {**terms, "wage_increase_pct": "300"}), "wage_increase_pct")
    _refused(api.post(f"contracts/{mine}/terms/", {**terms, "women_clauses": ["不存在的条款"]}), "women_clauses")
    assert Contract.objects.get(pk=mine).wage_increase_pct is None
    r = api.post(f"contracts/{mine}/terms/", terms)
    assert r.status_code == 200, r.content.decode()
    assert r.json()["wage_increase_pct"] == "6.50" and r.json()["lowest_wage"] == "2100.00"
    assert r.json()["women_clauses"] == ["四期保护", "生育待遇"]
    assert AuditEvent.objects.filter(action="bargaining.contract.terms", object_id=str(mine)).count() == 1
    assert api.post(f"contracts/{theirs}/terms/", terms).status_code == 404

    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.token}"}
    bad = SimpleUploadedFile("合同.docx", b"not a scan", content_type="application/octet-stream")
    r = client.post(f"/api/v1/contracts/{mine}/attach/", {"upload": bad}, **headers)
    _refused(r, "upload")
    assert not Contract.objects.get(pk=mine).attachment
    scan = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 signed text", content_type="application/pdf")
    r = client.post(f"/api/v1/contracts/{mine}/attach/", {"upload": scan}, **headers)
    assert r.status_code == 200, r.content.decode()
    assert r.json()["has_attachment"] is True
    with Contract.objects.get(pk=mine).attachment.open("rb") as f:
        assert f.read() == b"%PDF-1.4 signed text"
    assert AuditEvent.objects.filter(action="bargaining.contract.attached").count() == 1

    before = Contract.objects.count()
    r = api.post(f"contracts/{mine}/renew/", {"opened_on": "2026-11-05"})
    assert r.status_code == 201, r.content.decode()
    new = r.json()
    assert new["previous_id"] == mine and new["status"] == "representatives" and new["id"] != mine
    assert Contract.objects.count() == before + 1
    r = api.post(f"contracts/{mine}/renew/", {"opened_on": "2026-11-06"})  # already renewing
    assert r.status_code == 400 and "续订" in r.json()["detail"] and Contract.objects.count() == before + 1
    assert api.post(f"contracts/{theirs}/renew/", {"opened_on": "2026-11-05"}).status_code == 404
