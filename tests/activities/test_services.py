import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.activities import services
from gonghui.activities.models import Activity, ActivityKind, Attendance, Finding
from gonghui.activities.seeds import BUILTIN, seed_kinds
from gonghui.core.audit import AuditEvent
from gonghui.core.errors import ServiceError

D = dt.date


def test_builtin_kinds_are_seeded_once_and_cover_the_seeds(kinds):
    assert len(kinds) == len(BUILTIN)
    assert seed_kinds(ActivityKind) == 0  # idempotent
    training = kinds["women_training"]
    assert (training.has_sessions, training.has_persons, training.has_person_times, training.has_money) == (
        True, True, True, False)
    assert kinds["survey"].item_word == "份" and not kinds["survey"].has_sessions


def test_a_new_kind_is_data_and_records_carry_its_measures(tree, personas):
    kind = services.kind_create(actor=personas.county_admin, code="reading_club", name="读书会", section="culture",
                                has_sessions=True, session_word="场", has_person_times=True)
    a = services.activity_create(actor=personas.union_clerk, org=tree.union_a1, kind=kind, title="春季读书会",
                                 start_on=D(2025, 4, 1), sessions=2, person_times=40)
    assert (a.sessions, a.person_times, a.persons, a.org_path) == (2, 40, None, tree.union_a1.path)
    assert a.measures() == [("期数/场次", 2, "场"), ("人次", 40, "人次")]
    assert AuditEvent.objects.filter(action="activities.activity.created").count() == 1


def test_kind_management_needs_the_manage_code(personas):
    with pytest.raises(PermissionDenied):
        services.kind_create(actor=personas.town_clerk, code="x", name="某活动", has_sessions=True)
    with pytest.raises(ServiceError, match="至少选择一项"):
        services.kind_create(actor=personas.county_admin, code="x", name="某活动", has_sessions=False)


def test_a_measure_the_kind_does_not_carry_is_refused(tree, kinds):
    with pytest.raises(ServiceError, match="不登记金额") as exc:
        services.activity_create(actor=None, org=tree.union_a1, kind=kinds["women_training"], title="培训",
                                 start_on=D(2025, 3, 8), sessions=1, amount="100")
    assert exc.value.field == "amount"
    assert not Activity.objects.exists()


def test_person_times_below_persons_refused(tree, kinds):
    with pytest.raises(ServiceError, match="人次（50）不能少于人数（60）"):
        services.activity_create(actor=None, org=tree.union_a1, kind=kinds["women_training"], title="培训",
                                 start_on=D(2025, 3, 8), persons=60, person_times=50)


def test_dates_checked(tree, kinds):
    with pytest.raises(ServiceError, match="结束日期不能早于开始日期"):
        services.activity_create(actor=None, org=tree.union_a1, kind=kinds["lecture"], title="讲座",
                                 start_on=D(2025, 3, 8), end_on=D(2025, 3, 1))
    with pytest.raises(ServiceError, match="不能晚于今天"):
        services.activity_create(actor=None, org=tree.union_a1, kind=kinds["lecture"], title="讲座",
                                 start_on=D(2099, 3, 8))


def test_scope_is_required(tree, personas, kinds):
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=personas.union_clerk, org=tree.union_b1, kind=kinds["lecture"], title="讲座",
                                 start_on=D(2025, 3, 8))
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=personas.leader, org=tree.union_a1, kind=kinds["lecture"], title="讲座",
                                 start_on=D(2025, 3, 8))


def test_attendance_computes_persons_and_person_times(tree, kinds, people):
    a = services.activity_create(actor=None, org=tree.union_a1, kind=kinds["women_training"], title="培训",
                                 start_on=D(2025, 3, 8), sessions=3)
    p = people(3)
    services.attendance_set(actor=None, activity=a, people=[(p[0], 3), (p[1], 2), (p[2], 1)])
    a.refresh_from_db()
    assert (a.persons, a.person_times, a.from_attendance) == (3, 6, True)
    assert set(Attendance.objects.values_list("path", flat=True)) == {tree.union_a1.path}
    # Typed figures are refused once the list gives them.
    with pytest.raises(ServiceError, match="按名单自动统计"):
        services.activity_update(actor=None, activity=a, title="培训", start_on=D(2025, 3, 8), sessions=3,
                                 person_times=10)
    with pytest.raises(ServiceError, match="重复"):
        services.attendance_set(actor=None, activity=a, people=[(p[0], 1), (p[0], 1)])
    a.refresh_from_db()
    assert a.persons == 3  # nothing saved on the refused list


def test_attendance_refused_for_a_kind_without_people(tree, kinds, people):
    a = services.activity_create(actor=None, org=tree.union_a1, kind=kinds["enterprise_visit"], title="走访",
                                 start_on=D(2025, 3, 8), units=5)
    with pytest.raises(ServiceError, match="不能上传签到名单"):
        services.attendance_set(actor=None, activity=a, people=[(people(1)[0], 1)])


def test_rectification_closed_before_found_refused(tree, personas):
    insp = services.inspection_create(actor=personas.town_clerk, org=tree.town_a, kind="supervision",
                                      inspected_on=D(2025, 5, 10), employer=tree.emp["a1"], inspectors=4,
                                      findings=[{"kind": "hazard", "severity": "major", "description": "消防通道堵塞",
                                                 "due_on": D(2025, 5, 20)},
                                                {"kind": "violation", "description": "未戴安全帽", "on_spot": True}])
    hazard, spot = insp.findings.order_by("id")
    assert spot.closed_on == D(2025, 5, 10) and hazard.closed_on is None
    with pytest.raises(ServiceError, match="不能早于发现日期2025-05-10"):
        services.finding_close(actor=personas.town_clerk, finding=hazard, closed_on=D(2025, 5, 9))
    services.finding_close(actor=personas.town_clerk, finding=hazard, closed_on=D(2025, 5, 25))
    with pytest.raises(ServiceError, match="已于2025-05-25整改完成"):
        services.finding_close(actor=personas.town_clerk, finding=hazard, closed_on=D(2025, 5, 26))
    late = AuditEvent.objects.get(action="activities.finding.closed")
    assert late.changes["late"] is True


def test_finding_needs_a_due_date_not_before_it_was_found(tree):
    with pytest.raises(ServiceError, match="第1项问题：整改期限不能早于"):
        services.inspection_create(actor=None, org=tree.town_a, kind="patrol", inspected_on=D(2025, 5, 10),
                                   findings=[{"kind": "problem", "description": "x", "due_on": D(2025, 5, 1)}])
    assert not Finding.objects.exists()


def test_service_post_visits_and_volunteers(tree):
    post = services.post_create(actor=None, org=tree.town_a, type="centre", name="先锋号职工服务中心",
                                opened_on=D(2024, 1, 1), rooms=10, functions="心理咨询室、法律援助室")
    services.post_visits_record(actor=None, post=post, on=D(2025, 3, 1), visits=30)
    row = services.post_visits_record(actor=None, post=post, on=D(2025, 3, 1), visits=35)
    assert row.visits == 35 and post.visit_days.count() == 1
    with pytest.raises(ServiceError, match="阵地未开放"):
        services.post_visits_record(actor=None, post=post, on=D(2023, 3, 1), visits=3)
    shift = services.volunteer_record(actor=None, post=post, on=D(2025, 3, 1), volunteer="王志愿", hours="3.5")
    assert shift.hours == Decimal("3.5")
    with pytest.raises(ServiceError, match="不超过24小时"):
        services.volunteer_record(actor=None, post=post, on=D(2025, 3, 1), volunteer="王志愿", hours="30")


def test_publicity_entries_only_for_bulletins(tree):
    item = services.publicity_create(actor=None, org=tree.root, kind="bulletin", title="工运信息第3期",
                                     published_on=D(2025, 3, 1), issue_no="3", entries=22)
    assert item.entries == 22
    with pytest.raises(ServiceError, match="只有工运信息"):
        services.publicity_create(actor=None, org=tree.root, kind="paper", title="论文", published_on=D(2025, 3, 1),
                                  entries=3)


def test_copy_last_years_activities(tree, kinds):
    services.activity_create(actor=None, org=tree.union_a1, kind=kinds["lecture"], title="三八讲座",
                             start_on=D(2024, 3, 8), sessions=1, person_times=80)
    copies = services.activities_copy_year(actor=None, org=tree.union_a1, from_year=2024, to_year=2025)
    assert [(c.title, c.start_on, c.sessions, c.person_times) for c in copies] == [("三八讲座", D(2025, 3, 8), 1, None)]
