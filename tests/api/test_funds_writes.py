"""Funds' 经费审查 writes: a review with its findings, a finding added later and its rectification,
through the line's services (the same audit entry; a refusal saves nothing and names the field; out
of scope is 404)."""

from gonghui.core.models import AuditEvent
from gonghui.funds.models import FundReview, ReviewFinding

from . import read_objects


def _refused(r, field):
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json", r.content.decode()
    assert r.json()["errors"][0]["field"] == field, r.json()


def test_a_review_its_findings_and_their_rectification(personas, tree, api_for):
    (mine, _), (theirs, _) = read_objects.funds(tree)["fund_review"]
    api = api_for(personas.town_clerk)
    review = {"org_code": "A1", "kind": "review", "period_start": "2025-07-01", "period_end": "2025-12-31",
              "reviewed_on": "2026-02-10", "auditor": "本会经费审查委员会"}
    reviews, findings = FundReview.objects.count(), ReviewFinding.objects.count()
    _refused(api.post("fund-reviews/", {**review, "period_end": "2025-06-30"}), "period_end")
    _refused(api.post("fund-reviews/", {**review, "kind": "term_audit"}), "chair_name")
    _refused(api.post("fund-reviews/", {**review, "org_code": "B1"}), "org_code")
    _refused(api.post("fund-reviews/", {**review, "findings": [{"description": "票据", "due_on": "2026-01-01"}]}),
             "findings")  # due before the review
    assert (FundReview.objects.count(), ReviewFinding.objects.count()) == (reviews, findings)
    r = api.post("fund-reviews/", {**review, "findings": [{"description": "部分票据不全", "amount": "1200",
                                                           "due_on": "2026-04-30"}]})
    assert r.status_code == 201, r.content.decode()
    new = r.json()
    assert new["findings_total"] == 1 and new["findings"][0]["amount"] == "1200.00"
    assert AuditEvent.objects.filter(object_id=str(new["id"]), action__startswith="funds.review").count() == 1

    _refused(api.post(f"fund-reviews/{new['id']}/findings/", {"description": "超支", "due_on": "2026-01-01"}),
             "due_on")
    r = api.post(f"fund-reviews/{new['id']}/findings/", {"description": "招待费超标准", "due_on": "2026-05-31"})
    assert r.status_code == 200 and r.json()["findings_total"] == 2 and r.json()["findings_open"] == 2
    assert AuditEvent.objects.filter(action="funds.finding.added").count() == 1

    first = new["findings"][0]["id"]
    _refused(api.post(f"fund-reviews/{new['id']}/rectify/", {"finding_id": first, "rectified_on": "2026-02-01",
                                                             "rectification": "补齐票据"}), "rectified_on")
    their_finding = ReviewFinding.objects.filter(review_id=theirs).first().pk
    _refused(api.post(f"fund-reviews/{new['id']}/rectify/", {"finding_id": their_finding,
                                                             "rectified_on": "2026-03-01", "rectification": "补齐"}),
             "finding_id")
    r = api.post(f"fund-reviews/{new['id']}/rectify/", {"finding_id": first, "rectified_on": "2026-03-01",
                                                        "rectification": "已补齐票据"})
    assert r.status_code == 200 and r.json()["findings_open"] == 1
    assert AuditEvent.objects.filter(action="funds.finding.rectified").count() == 1
    assert api.post(f"fund-reviews/{theirs}/findings/", {"description": "越界", "due_on": "2026-05-31"}) \
        .status_code == 404
    assert api.post(f"fund-reviews/{mine}/findings/", {"description": "甲的", "due_on": "2025-10-31"}).status_code == 200
