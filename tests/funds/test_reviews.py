"""经审: reviews, term-end audits, findings and their rectification; the figures on known records."""

import pytest
from django.urls import reverse

from gonghui.core import clock
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.funds import services
from gonghui.funds.models import FundReview, ReviewFinding

from .conftest import D

REVIEWED_ON = D(2025, 3, 1)


def review(tree, org=None, kind="review", on=REVIEWED_ON, findings=(), **kw):
    return services.review_record(actor=None, org=org or tree.union_a1, kind=kind, period_start=D(2024, 1, 1),
                                  period_end=D(2024, 12, 31), reviewed_on=on, auditor="本会经审会",
                                  findings=findings, **kw)


def test_bad_input_is_refused_with_the_field(tree):
    bad = [dict(kind="term_audit"), dict(period_start=D(2025, 1, 1), period_end=D(2024, 1, 1)),
           dict(reviewed_on=D(2099, 1, 1)), dict(auditor=" "), dict(reported_on=D(2025, 2, 1)),
           dict(findings=[("", None, D(2025, 6, 1))]), dict(findings=[("凭证不全", None, D(2025, 1, 1))]),
           dict(findings=[("凭证不全", "-5", D(2025, 6, 1))])]
    fields = []
    for extra in bad:
        args = dict(actor=None, org=tree.union_a1, kind="review", period_start=D(2024, 1, 1),
                    period_end=D(2024, 12, 31), reviewed_on=D(2025, 3, 1), auditor="经审会")
        args.update(extra)
        with pytest.raises(ServiceError) as exc:
            services.review_record(**args)
        fields.append(exc.value.field)
    assert fields == ["chair_name", "period_end", "reviewed_on", "auditor", "reported_on", "findings", "findings",
                      "findings"]
    assert not FundReview.objects.exists() and not ReviewFinding.objects.exists()


def test_rectification_on_time_late_and_twice(tree):
    r = review(tree, findings=[("凭证不全", "120.5", D(2025, 5, 31)), ("未集体研究", None, D(2025, 6, 30))])
    first, second = r.findings.order_by("due_on")
    with pytest.raises(ServiceError):
        services.finding_rectify(actor=None, finding=first, rectified_on=D(2025, 4, 1), rectification="")
    with pytest.raises(ServiceError):
        services.finding_rectify(actor=None, finding=first, rectified_on=D(2025, 2, 1), rectification="补齐")
    assert services.finding_rectify(actor=None, finding=first, rectified_on=D(2025, 5, 31), rectification="补齐").on_time
    late = services.finding_rectify(actor=None, finding=second, rectified_on=D(2025, 7, 1), rectification="已研究")
    assert not late.on_time and late.state == "逾期整改"
    with pytest.raises(ServiceError):
        services.finding_rectify(actor=None, finding=first, rectified_on=D(2025, 6, 1), rectification="again")


def test_figures_with_twins_breakdown_and_a_move(tree):
    with clock.as_of(D(2025, 12, 31)):
        review(tree, findings=[("a", None, D(2025, 5, 31)), ("b", None, D(2025, 6, 30)), ("c", None, D(2026, 2, 1))])
        review(tree, org=tree.union_b1, kind="term_audit", chair_name="张三", on=D(2025, 4, 1),
               findings=[("d", None, D(2025, 8, 1))])
        review(tree, on=D(2024, 6, 1))  # another year
        a, b, c = ReviewFinding.objects.filter(review__org=tree.union_a1).order_by("due_on")
        services.finding_rectify(actor=None, finding=a, rectified_on=D(2025, 5, 1), rectification="ok")
        services.finding_rectify(actor=None, finding=b, rectified_on=D(2025, 7, 1), rectification="late")
        d = ReviewFinding.objects.get(review__org=tree.union_b1)
        services.finding_rectify(actor=None, finding=d, rectified_on=D(2025, 7, 1), rectification="ok")
        year = Period(D(2025, 1, 1), D(2025, 12, 31))
        got = {code: compute(code, tree.root, year).value for code in
               ("funds.reviews", "funds.term_audits", "funds.findings", "funds.findings_on_time")}
        assert got == {"funds.reviews": 2, "funds.term_audits": 1, "funds.findings": 4, "funds.findings_on_time": 2}
        # c is due next year: neither late nor counted
        rate = compute("funds.rectify_rate", tree.root, year)
        assert (rate.numerator, rate.denominator) == (2, 3)
        town = compute("funds.findings", tree.town_a, year).value
        assert town == 3


def test_pages_record_a_review_and_its_rectification(client, tree, personas):
    client.force_login(personas.town_clerk)
    page = client.post(reverse("funds:review_new"), {
        "org": tree.union_a1.code, "kind": "term_audit", "period_start": "2022-01-01", "period_end": "2024-12-31",
        "reviewed_on": "2025-03-01", "auditor": "甲镇经审会", "chair_name": ""})
    assert page.status_code == 200 and "离任主席" in page.content.decode()
    done = client.post(reverse("funds:review_new"), {
        "org": tree.union_a1.code, "kind": "term_audit", "period_start": "2022-01-01", "period_end": "2024-12-31",
        "reviewed_on": "2025-03-01", "auditor": "甲镇经审会", "chair_name": "张三"})
    r = FundReview.objects.get()
    assert done.status_code == 302 and r.org_path == tree.union_a1.path
    client.post(reverse("funds:finding_new", args=[r.pk]), {"description": "凭证不全", "amount": "", "due_on": "2025-06-30"})
    f = r.findings.get()
    client.post(reverse("funds:finding_rectify", args=[f.pk]), {"rectified_on": "2025-06-01", "rectification": "补齐"})
    f.refresh_from_db()
    assert f.on_time
    detail = client.get(reverse("funds:review_detail", args=[r.pk])).content.decode()
    assert "按期整改" in detail and "张三" in detail
    listing = client.get(reverse("funds:reviews")).content.decode()
    assert tree.union_a1.name in listing
