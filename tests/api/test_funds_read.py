"""Funds' read resources (declarations, dues, 经审 reviews): the pages' filters, money as strings, ISO
dates, findings in the review's detail, receipt splits in the receipt's detail."""

from . import line_objects, read_objects


def test_declarations_dues_and_reviews(personas, tree, api_for):
    objs = read_objects.funds(tree)
    api = api_for(personas.town_clerk)
    rows = api.get("declarations/").json()["results"]
    assert [d["id"] for d in rows] == [objs["declaration"][0][0]]
    d = rows[0]
    assert d["month"] == "2025-05-01" and d["due"] == "2000.00" and d["arrears"] == "2000.00"
    assert api.get("declarations/", {"arrears": "true", "q": "甲一"}).json()["results"] == rows
    assert api.get("declarations/", {"month_from": "2025-05-31"}).json()["results"] == rows  # its month
    assert api.get("declarations/", {"month_from": "2025-06-01"}).json()["results"] == []
    assert api.get("declarations/", {"arrears": "maybe"}).status_code == 400
    dues = api.get("dues/").json()["results"]
    assert [r["id"] for r in dues] == [objs["dues"][0][0]] and dues[0]["paid"] == "400.00"
    assert dues[0]["due"] == "500.00" and dues[0]["union"]["code"] == "A1"
    reviews = api.get("fund-reviews/", {"open_only": "true"}).json()["results"]
    assert [r["id"] for r in reviews] == [objs["fund_review"][0][0]]
    assert reviews[0]["findings_open"] == 1 and reviews[0]["findings"] is None
    detail = api.get(f"fund-reviews/{reviews[0]['id']}/").json()
    assert detail["findings"][0]["amount"] == "120.50" and detail["findings"][0]["due_on"] == "2025-09-30"
    assert api.get("fund-reviews/", {"kind": "term_audit"}).json()["results"] == []
    for prefix, kind in (("declarations", "declaration"), ("dues", "dues"), ("fund-reviews", "fund_review")):
        assert api.get(f"{prefix}/{objs[kind][1][0]}/").status_code == 404  # 乙一's


def test_a_receipt_detail_has_its_split(personas, tree, api_for):
    pk = line_objects.funds(tree, personas)["receipt"][0][0]
    api = api_for(personas.county_admin)
    splits = api.get(f"receipts/{pk}/").json()["splits"]
    assert splits and sum(float(s["amount"]) for s in splits) == 1000.0
    assert all(isinstance(s["amount"], str) for s in splits)


def test_declarations_and_dues_are_recorded_through_the_services(personas, tree, api_for):
    from gonghui.core.models import AuditEvent

    api = api_for(personas.town_clerk)
    r = api.post("declarations/", {"employer_id": tree.emp["a1"].pk, "month": "2025-06-15", "payroll_total": "50000"})
    assert r.status_code == 201, r.content.decode()
    assert r.json()["month"] == "2025-06-01" and r.json()["due"] == "1000.00"
    r = api.post("declarations/", {"employer_id": tree.emp["b1"].pk, "month": "2025-06-15", "payroll_total": "1"})
    assert r.status_code == 404 or r.json()["errors"][0]["field"] == "employer_id"  # 乙一 is outside 甲镇
    r = api.post("dues/", {"union_code": "A1", "month": "2025-06-01", "members": 10, "wage_base": "40000",
                           "paid": "200"})
    assert r.status_code == 201 and r.json()["due"] == "200.00", r.content.decode()
    r = api.post("dues/", {"union_code": "A", "month": "2025-06-01", "members": 10, "wage_base": "40000", "paid": "200"})
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"  # a federation pays no 会费
    r = api.post("dues/", {"union_code": "A1", "month": "2025-06-01", "members": 10, "wage_base": "-1", "paid": "0"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "wage_base"
    assert AuditEvent.objects.filter(action__startswith="funds.").count() == 2
