"""Issue 21: 回头看 of 职工之家 ratings, with the honours' three outcomes (保留 / 限期整改 by a date /
撤销); the rating in force follows the outcome, the reminder lists ratings due, and the rating's
page records it for those who may approve."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.core.errors import ServiceError
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.honours import reminders, services
from gonghui.honours.models import HomeRating, HomeRecheck
from tests.conftest import make_user

D = dt.date
Y2029 = Period(D(2029, 1, 1), D(2029, 12, 31))


def test_a_rating_is_scheduled_kept_rectified_and_revoked(tree):
    r = services.home_rate(actor=None, org=tree.union_a1, level="model", rated_on=D(2025, 5, 1))
    assert r.recheck_on == D(2028, 5, 1) and r.rectify_by is None
    with pytest.raises(ServiceError, match="整改期限") as err:
        services.home_recheck(actor=None, rating=r, on=D(2028, 4, 1), inspector="县总工会", findings="台账不全",
                              outcome="rectify")
    assert err.value.field == "rectify_by"
    with pytest.raises(ServiceError, match="早于命名日期"):
        services.home_recheck(actor=None, rating=r, on=D(2025, 4, 1), inspector="县总工会", findings="台账不全",
                              outcome="keep")
    with pytest.raises(ServiceError, match="只有限期整改才填写整改期限"):
        services.home_recheck(actor=None, rating=r, on=D(2028, 4, 1), inspector="县总工会", findings="良好",
                              outcome="keep", rectify_by=D(2028, 6, 1))
    with pytest.raises(ServiceError, match="检查情况"):
        services.home_recheck(actor=None, rating=r, on=D(2028, 4, 1), inspector="县总工会", findings=" ",
                              outcome="keep")
    r.refresh_from_db()
    assert r.recheck_on == D(2028, 5, 1) and not HomeRecheck.objects.exists()  # refusals save nothing

    services.home_recheck(actor=None, rating=r, on=D(2028, 4, 1), inspector="县总工会", findings="台账不全",
                          outcome="rectify", rectify_by=D(2028, 7, 1), score=71)
    r.refresh_from_db()
    assert (r.rectify_by, r.recheck_on, r.revoked_on) == (D(2028, 7, 1), D(2028, 7, 1), None)
    with pytest.raises(ServiceError, match="已在限期整改中"):
        services.home_recheck(actor=None, rating=r, on=D(2028, 7, 2), inspector="县总工会", findings="仍未整改",
                              outcome="rectify", rectify_by=D(2028, 9, 1))
    services.home_recheck(actor=None, rating=r, on=D(2028, 7, 2), inspector="县总工会", findings="已整改到位",
                          outcome="keep")
    r.refresh_from_db()
    assert (r.rectify_by, r.recheck_on) == (None, D(2031, 7, 2))
    assert compute("honours.homes_rated", tree.root, Y2029).value == 1

    services.home_recheck(actor=None, rating=r, on=D(2029, 6, 30), inspector="县总工会", findings="工会已撤并",
                          outcome="revoke")
    r.refresh_from_db()
    assert (r.revoked_on, r.recheck_on) == (D(2029, 6, 30), None)
    assert list(r.rechecks.values_list("outcome", flat=True)) == ["rectify", "keep", "revoke"]
    # in force until the day of the 回头看 that revoked it
    assert compute("honours.homes_rated", tree.root, Period(D(2029, 1, 1), D(2029, 6, 29))).value == 1
    assert compute("honours.homes_rated", tree.root, Y2029).value == 0
    with pytest.raises(ServiceError, match="撤销或被新的评定替代"):
        services.home_recheck(actor=None, rating=r, on=D(2029, 7, 1), inspector="县总工会", findings="复核",
                              outcome="keep")


def test_a_new_rating_replaces_the_old_ones_schedule(tree):
    old = services.home_rate(actor=None, org=tree.union_a1, level="qualified", rated_on=D(2023, 1, 1))
    new = services.home_rate(actor=None, org=tree.union_a1, level="county", rated_on=D(2025, 1, 1))
    old.refresh_from_db()
    assert (old.revoked_on, old.recheck_on) == (D(2025, 1, 1), None) and new.recheck_on == D(2028, 1, 1)


def test_recheck_needs_the_approve_permission_in_scope(tree, personas):
    r = services.home_rate(actor=None, org=tree.union_b1, level="qualified", rated_on=D(2025, 1, 1))
    approver_a = make_user("approver_a", tree.town_a, "审批")
    with pytest.raises(PermissionDenied):  # union_b1 is outside 甲镇
        services.home_recheck(actor=approver_a, rating=r, on=D(2026, 1, 1), inspector="镇工会", findings="良好",
                              outcome="keep")
    assert not HomeRecheck.objects.exists()


def test_the_reminder_lists_ratings_due_and_deadlines(tree):
    r = services.home_rate(actor=None, org=tree.union_a1, level="qualified", rated_on=D(2022, 3, 1))
    services.home_rate(actor=None, org=tree.union_b1, level="qualified", rated_on=D(2022, 3, 1))
    approver = make_user("approver", tree.town_a, "审批")
    items, total = reminders.home_recheck_due(approver, D(2025, 2, 1), 10)
    assert total == 1 and "即将到期回头看" in items[0].label and not items[0].overdue  # 乙镇's is not theirs
    assert reminders.home_recheck_due(approver, D(2024, 1, 1), 10)[1] == 0
    items, _ = reminders.home_recheck_due(approver, D(2025, 3, 2), 10)
    assert "回头看已逾期" in items[0].label and items[0].overdue
    services.home_recheck(actor=None, rating=r, on=D(2025, 3, 2), inspector="镇工会", findings="制度不全",
                          outcome="rectify", rectify_by=D(2025, 4, 1))
    items, _ = reminders.home_recheck_due(approver, D(2025, 3, 15), 10)
    assert "整改期限将到" in items[0].label and items[0].due_on == D(2025, 4, 1)
    services.home_recheck(actor=None, rating=r, on=D(2025, 4, 1), inspector="镇工会", findings="整改到位",
                          outcome="keep")
    assert reminders.home_recheck_due(approver, D(2025, 4, 2), 10)[1] == 0


def test_the_ratings_page_records_a_recheck(client, tree, personas):
    from gonghui.core import clock

    today = clock.today()
    r = services.home_rate(actor=None, org=tree.union_a1, level="model", rated_on=today - dt.timedelta(days=400))
    url = reverse("honours:home_detail", args=[r.pk])
    client.force_login(personas.union_clerk)  # may view, may not approve
    page = client.get(url).content.decode()
    assert "模范职工之家" in page and "登记回头看" not in page
    assert client.post(url, {"r-on": f"{today}", "r-inspector": "县总工会", "r-findings": "良好",
                             "r-outcome": "keep"}).status_code == 403
    assert reverse("honours:home_detail", args=[r.pk]) in client.get(reverse("honours:homes")).content.decode()

    client.force_login(personas.county_admin)
    data = {"r-on": f"{today}", "r-inspector": "县总工会", "r-findings": "职工书屋未开放", "r-outcome": "rectify"}
    resp = client.post(url, data)
    body = resp.content.decode()
    assert resp.status_code == 200 and "限期整改须填写晚于检查日期的整改期限" in body and "职工书屋未开放" in body
    data["r-rectify_by"] = f"{today + dt.timedelta(days=60)}"
    assert client.post(url, data).status_code == 302
    r = HomeRating.objects.get(pk=r.pk)
    assert r.rectify_by == today + dt.timedelta(days=60)
    page = client.get(url).content.decode()
    assert "职工书屋未开放" in page and "限期整改中" in page
