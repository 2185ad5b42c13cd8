"""Targets, reported values and period locks: services, bad input, and what the pages show."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from gonghui.core.periods import Period
from gonghui.members import services as member_services
from gonghui.reports import figures as F
from gonghui.reports import services, tables
from gonghui.reports.models import PeriodLock, ReportedValue, Target
from tests.members.conftest import make_id

D = dt.date
H1 = Period.half(2025, 1)


def figure(org, period, code):
    for figs in F.figures(org, period).values():
        for f in figs:
            if f.metric.code == code:
                return f
    raise KeyError(code)


def test_targets_and_reported_values_beside_the_computed_figure(data, personas):
    root = data.tree.root
    services.target_set(actor=personas.county_admin, org=root, metric_code="members.new", year=2025, value="10")
    services.target_set(actor=personas.county_admin, org=root, metric_code="members.membership_rate", year=2025,
                        value="99%")
    services.reported_set(actor=personas.county_admin, org=root, metric_code="members.total", period=H1, value="8")
    f = figure(root, H1, "members.new")
    assert (f.value.value, f.target, f.completion) == (6, Decimal("10.00"), Decimal("60.00"))
    assert f.last_year.value == 2 and f.change == 4  # 张一, 赵一 joined in H1 2024
    total = figure(root, H1, "members.total")
    assert (total.reported, total.reported_diff) == (Decimal("8.00"), Decimal("-1.00"))
    assert figure(root, H1, "members.membership_rate").target == Decimal("99.00")
    # Clearing with an empty value, audited.
    services.target_set(actor=personas.county_admin, org=root, metric_code="members.new", year=2025, value="")
    assert not Target.objects.filter(metric_code="members.new").exists()
    assert AuditEvent.objects.filter(action="reports.target.cleared").count() == 1


@pytest.mark.parametrize("code, value, message", [
    ("members.new", "十", "不是数字"), ("members.new", "-3", "超出范围"),
    ("members.membership_rate", "120", "不能超过 100%"), ("members.nonsense", "1", "不存在"),
])
def test_bad_targets_are_refused_in_chinese(data, personas, code, value, message):
    with pytest.raises(ServiceError) as err:
        services.target_set(actor=personas.county_admin, org=data.tree.root, metric_code=code, year=2025, value=value)
    assert message in err.value.messages[0]
    assert not Target.objects.exists()


def test_only_managers_in_scope_set_targets(data, personas):
    with pytest.raises(PermissionDenied):
        services.target_set(actor=personas.leader, org=data.tree.root, metric_code="members.new", year=2025, value=1)
    with pytest.raises(PermissionDenied):
        services.target_set(actor=personas.town_admin, org=data.tree.town_b, metric_code="members.new", year=2025,
                            value=1)


def test_the_targets_page_keeps_what_was_typed_on_error(client, data, personas):
    client.force_login(personas.town_admin)
    url = reverse("reports:targets", args=["A"])
    r = client.post(url, {"preset": "h1", "year": "2025", "target_members.new": "abc",
                          "target_members.total": "9", "reported_members.total": "5"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "不是数字" in body and 'value="abc"' in body
    assert 'value="9"' in body and "全部未保存" in body
    # Nothing of a refused form is saved.
    assert not Target.objects.exists() and not ReportedValue.objects.exists()
    r = client.post(url, {"preset": "h1", "year": "2025", "target_members.new": "12"})
    assert r.status_code == 302
    page = client.get(reverse("reports:dashboard", args=["A"]) + "?preset=h1&year=2025").content.decode()
    assert "12.00" in page


def test_a_locked_period_shows_its_snapshot_and_the_changes_since(client, data, personas):
    t = data.tree
    admin = personas.county_admin
    lock = services.period_lock(actor=admin, org=t.root, period=H1)
    assert lock.snapshot["values"]["members.total"]["value"] == 7
    assert lock.snapshot["parts"]["members.total"][t.town_a.path]["value"] == 4
    assert lock.snapshot["values"]["members.membership_rate"]["value"] == "5.38"  # kept exactly
    with pytest.raises(ServiceError, match="已锁定"):
        services.period_lock(actor=admin, org=t.root, period=H1)
    # A back-dated joining in H1, recorded after publication.
    member_services.member_join(actor=admin, union=t.union_a2, name="补录", joined_on=D(2025, 6, 20),
                                id_number=make_id(seq=90))
    f = figure(t.root, H1, "members.total")
    assert f.value.value == 7 and f.current.value == 8 and f.drift == 1
    assert figure(t.root, H1, "members.new").drift == 1
    assert figure(t.root, H1, "orgs.unions_total").drift is None  # unchanged
    changes, n = F.changes_since(lock)
    assert n == 1 and changes[0].action == "members.member.joined"
    client.force_login(admin)
    page = client.get(reverse("reports:dashboard", args=[t.root.code]) + "?preset=h1&year=2025").content.decode()
    assert "本期已于" in page and "补录" in page and "入会" in page
    assert 'data-metric="members.membership_rate">5.38 ' in page
    # So does the breakdown: 甲镇 published 4 (today 5), the total 7.
    page = client.get(reverse("reports:figure", args=[t.root.code, "members.total"]) + "?preset=h1&year=2025")
    body = page.content.decode()
    assert '<td class="text-end" id="total">7</td>' in body
    assert re.search(r"甲镇工会联合会</a></td>\s*<td class=\"text-end part-value\">4<", body)
    # The tables use the published numbers too.
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(__import__("io").BytesIO(tables.write(t.root, H1)))
    rows = wb.get_sheet_by_name("会员发展").to_python()
    assert "已锁定" in rows[1][0]
    total_row = next(r for r in rows if r[0] == "合计")
    assert total_row[1] == 7
    # Rates by subordinate too: 甲镇 published 4 / 90, today 5 / 90.
    rate_col = rows[3].index("入会率（%）")
    assert next(r for r in rows if r[0] == "甲镇工会联合会")[rate_col] == 4.44
    # Unlocking gives today's figures again.
    services.period_unlock(actor=admin, lock=lock)
    assert figure(t.root, H1, "members.total").value.value == 8


def test_lock_refuses_a_future_cut_off(data, personas):
    with pytest.raises(ServiceError, match="尚未到来"):
        services.period_lock(actor=personas.county_admin, org=data.tree.root, period=Period.year(2999))
    assert not PeriodLock.objects.exists()


def test_lock_and_unlock_through_the_pages(client, data, personas):
    client.force_login(personas.county_admin)
    # The button asks first (issue 15, item 12): what will be locked, and a 确认锁定 that locks.
    r = client.post(reverse("reports:lock", args=[data.tree.root.code]), {"preset": "h1", "year": "2025"})
    page = r.content.decode()
    assert r.status_code == 200 and PeriodLock.objects.count() == 0
    assert "确认锁定" in page and "长沙县总工会" in page and 'name="confirm" value="1"' in page
    assert "2025年1月1日" in page or "2025年上半年" in page or "2025-01-01" in page
    r = client.post(reverse("reports:lock", args=[data.tree.root.code]), {"preset": "h1", "year": "2025",
                                                                          "confirm": "1"})
    assert r.status_code == 302 and PeriodLock.objects.count() == 1
    r = client.post(reverse("reports:unlock", args=[data.tree.root.code]), {"preset": "h1", "year": "2025"})
    assert r.status_code == 302 and PeriodLock.objects.count() == 0
    client.force_login(personas.leader)
    r = client.post(reverse("reports:lock", args=[data.tree.root.code]), {"preset": "h1", "year": "2025"})
    assert r.status_code == 403
