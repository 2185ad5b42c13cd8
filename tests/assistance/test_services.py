"""Archives (category proposal, lifecycle), applications (four-eyes), payments (duplicate guard)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.assistance import services
from gonghui.assistance.models import (
    Application,
    ApplicationStatus,
    ArchiveEvent,
    ArchiveStatus,
    Category,
    Payment,
)
from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from tests.members.conftest import make_id

D = dt.date


# --- the category test on boundary incomes ----------------------------------------------------

@pytest.mark.parametrize("per_capita, expected", [
    ("699.99", Category.DEEP), ("700.00", Category.DEEP), ("700.01", Category.RELATIVE),
    ("1400.00", Category.RELATIVE), ("1400.01", ""),
])
def test_category_proposal_on_the_boundaries(per_capita, expected):
    assert services.propose_category(per_capita=Decimal(per_capita), standard=Decimal("700")) == expected


def test_accident_needs_losses_above_80_percent_of_annual_income():
    kw = {"per_capita": Decimal("5000"), "standard": Decimal("700"), "annual_income": Decimal("100000")}
    assert services.propose_category(accident_loss=Decimal("80000"), **kw) == ""
    assert services.propose_category(accident_loss=Decimal("80000.01"), **kw) == Category.ACCIDENT


def test_household_figures_deduct_rigid_expenses_and_count_only_those_living_together():
    class M:
        def __init__(self, income, together=True):
            self.monthly_income, self.lives_together = Decimal(income), together

    class E:
        def __init__(self, amount):
            self.annual_amount = Decimal(amount)

    f = services.household_figures(monthly_wage=1500, other_income=1200,
                                   family=[M(900), M(0), M(3000, together=False)], expenses=[E(6000), E(1200)])
    # (1500 + 900) × 12 + 1200 = 30000; (30000 − 7200) ÷ 12 ÷ 3 = 633.33
    assert f == {"annual_income": Decimal("30000.00"), "rigid_expense": Decimal("7200.00"), "household_size": 3,
                 "per_capita": Decimal("633.33")}


def test_archive_proposes_from_the_regional_standard_and_records_the_clerks_choice(tree, standard):
    a = services.archive_create(
        actor=None, org=tree.union_a1, head_name="王强", id_number=make_id(seq=11), created_on=D(2025, 3, 1),
        region_code="430121", main_cause="03", secondary_causes=["06", "09"], monthly_wage=2100,
        family=[{"name": "王妻", "relation": "spouse", "birth_date": D(1980, 1, 1), "gender": 2}])
    # 2100 × 12 ÷ 12 ÷ 2 = 1050: above 700, within 1400 → 相对
    assert (a.per_capita, a.standard, a.proposed_category, a.category) == (
        Decimal("1050.00"), Decimal("700.00"), Category.RELATIVE, Category.RELATIVE)
    assert a.status == ArchiveStatus.CREATED and a.no.startswith("KN2025")
    b = services.archive_create(
        actor=None, org=tree.union_a1, head_name="赵六", id_number=make_id(seq=12), created_on=D(2025, 3, 1),
        region_code="430121", main_cause="06", monthly_wage=2100, category=Category.DEEP)
    assert b.proposed_category == "" and b.category == Category.DEEP
    assert "系统建议：不符合；经办确认：深度困难" in b.events.get().note


def test_a_newer_standard_changes_the_proposal(tree, standard):
    services.standard_set(actor=None, region_code="430121", region_name="长沙县", year=2025, monthly="1100")
    a = services.archive_create(actor=None, org=tree.union_a1, head_name="王强", id_number=make_id(seq=11),
                                created_on=D(2025, 3, 1), region_code="430121", main_cause="03", monthly_wage=1050)
    assert (a.standard, a.category) == (Decimal("1100.00"), Category.DEEP)


@pytest.mark.parametrize("kwargs, field, message", [
    ({"main_cause": ""}, "main_cause", "主要致困原因"),
    ({"secondary_causes": ["01", "02", "03", "04"]}, "secondary_causes", "最多选择三项"),
    ({"secondary_causes": ["06"]}, "secondary_causes", "不能与主要致困原因相同"),
    ({"monthly_wage": 9000}, "category", "无法建议类别"),
    ({"region_code": "43"}, "region_code", "6位数字"),
    ({"id_number": "430121199001010011"}, "id_number", "校验位"),
    ({"monthly_wage": "-1"}, "monthly_wage", "不小于0"),
])
def test_archive_refusals(tree, standard, kwargs, field, message):
    args = {"actor": None, "org": tree.union_a1, "head_name": "王强", "id_number": make_id(seq=11),
            "created_on": D(2025, 3, 1), "region_code": "430121", "main_cause": "06", "monthly_wage": 500, **kwargs}
    with pytest.raises(ServiceError) as err:
        services.archive_create(**args)
    assert err.value.field == field and message in err.value.messages[0]


def test_one_open_archive_per_person_but_re_archiving_after_exit(tree, archive):
    a = archive(name="李困难")
    with pytest.raises(ServiceError, match="未出档"):
        services.archive_create(actor=None, org=tree.union_a2, head_name="李困难", id_number=a.id_number,
                                created_on=D(2025, 6, 1), region_code="430121", main_cause="06", monthly_wage=500)
    services.archive_exit(actor=None, archive=a, on=D(2025, 7, 1), status=ArchiveStatus.RECOVERED,
                          reason="连续6个月人均收入高于低保标准")
    again = services.archive_create(actor=None, org=tree.union_a2, head_name="李困难", id_number=a.id_number,
                                    created_on=D(2026, 1, 5), region_code="430121", main_cause="06", monthly_wage=500)
    assert again.pk != a.pk


def test_lifecycle_with_history_and_the_notice_period(tree, archive):
    a = archive(entered=None, created=D(2025, 1, 6))
    with pytest.raises(ServiceError, match="不能转为“在档”"):
        services.archive_enter(actor=None, archive=a, on=D(2025, 1, 6))
    services.archive_start_notice(actor=None, archive=a, on=D(2025, 1, 6))
    assert a.notice_until == D(2025, 1, 13)  # 5 working days from Monday 6 January
    with pytest.raises(ServiceError, match="公示期至 2025-01-13"):
        services.archive_enter(actor=None, archive=a, on=D(2025, 1, 10))
    services.archive_enter(actor=None, archive=a, on=D(2025, 1, 13))
    assert (a.status, a.entered_on, a.next_review_on) == (ArchiveStatus.ACTIVE, D(2025, 1, 13), D(2026, 1, 13))
    services.archive_start_review(actor=None, archive=a, on=D(2026, 1, 5))
    services.archive_pass_review(actor=None, archive=a, on=D(2026, 1, 10), category=Category.RELATIVE,
                                 monthly_wage=1800)
    assert (a.status, a.category, a.next_review_on, a.per_capita) == (
        ArchiveStatus.ACTIVE, Category.RELATIVE, D(2027, 1, 10), Decimal("900.00"))
    with pytest.raises(ServiceError, match="须填写原因"):
        services.archive_exit(actor=None, archive=a, on=D(2026, 8, 1), status=ArchiveStatus.RECOVERED, reason=" ")
    with pytest.raises(ServiceError, match="早于该档案上一次办理的日期"):
        services.archive_exit(actor=None, archive=a, on=D(2025, 8, 1), status=ArchiveStatus.RECOVERED, reason="x")
    services.archive_exit(actor=None, archive=a, on=D(2026, 8, 1), status=ArchiveStatus.RECOVERED, reason="再就业")
    assert (a.exited_on, a.exit_reason, a.next_review_on) == (D(2026, 8, 1), "再就业", None)
    kinds = list(a.events.order_by("effective_on", "id").values_list("kind", "to_status"))
    assert kinds == [("created", "created"), ("notice", "notice"), ("entered", "active"),
                     ("review_started", "review"), ("reviewed", "active"), ("recovered", "recovered")]
    with pytest.raises(ServiceError, match="当前状态为“已脱困”"):
        services.archive_start_review(actor=None, archive=a, on=D(2026, 9, 1))
    assert AuditEvent.objects.filter(action="assistance.archive.recovered", object_id=str(a.pk)).exists()


def test_an_archive_under_notice_can_only_be_withdrawn(archive):
    a = archive(entered=None)
    services.archive_start_notice(actor=None, archive=a, on=D(2025, 1, 6))
    with pytest.raises(ServiceError, match="只能“退出”"):
        services.archive_exit(actor=None, archive=a, on=D(2025, 1, 8), status=ArchiveStatus.RELIEVED, reason="异议")
    services.archive_exit(actor=None, archive=a, on=D(2025, 1, 8), status=ArchiveStatus.EXITED, reason="公示有异议")
    assert a.status == ArchiveStatus.EXITED


def test_services_check_scope(tree, personas, archive):
    a = archive(union=tree.union_b1)
    with pytest.raises(PermissionDenied):
        services.archive_start_review(actor=personas.town_clerk, archive=a, on=D(2026, 1, 5))


# --- applications: four eyes -------------------------------------------------------------------

def _apply(archive, actor, **kw):
    args = {"type": "medical", "amount_requested": "3000", "reason": "住院自付费用", "applied_on": D(2025, 3, 1)}
    return services.application_submit(actor=actor, archive=archive, **{**args, **kw})


def test_four_eyes_the_approver_is_neither_applicant_nor_reviewer(tree, personas, archive, four_eyes):
    a = archive()
    admin = personas.town_admin  # holds change, review and approve on 甲镇
    app = _apply(a, admin)
    with pytest.raises(ServiceError, match="审核人不能是申请经办人本人"):
        services.application_review(actor=admin, application=app, approve=True, on=D(2025, 3, 2))
    services.application_review(actor=four_eyes["reviewer"], application=app, approve=True, on=D(2025, 3, 2))
    with pytest.raises(ServiceError, match="审批人不能是申请经办人本人"):
        services.application_approve(actor=admin, application=app, approve=True, on=D(2025, 3, 3))
    with pytest.raises(ServiceError, match="审批人不能是审核人本人"):
        services.application_approve(actor=four_eyes["reviewer"], application=app, approve=True, on=D(2025, 3, 3))
    with pytest.raises(ServiceError, match="不能超过申请金额"):
        services.application_approve(actor=four_eyes["approver"], application=app, approve=True, on=D(2025, 3, 3),
                                     amount_approved="3000.01")
    services.application_approve(actor=four_eyes["approver"], application=app, approve=True, on=D(2025, 3, 3),
                                 amount_approved="2500")
    app.refresh_from_db()
    assert (app.status, app.amount_approved, app.approved_by_name) == (ApplicationStatus.APPROVED, Decimal("2500.00"),
                                                                       "approver")


def test_a_clerk_cannot_review_and_the_order_is_enforced(personas, archive, four_eyes):
    app = _apply(archive(), four_eyes["clerk"])
    with pytest.raises(PermissionDenied):
        services.application_review(actor=personas.union_clerk, application=app, approve=True, on=D(2025, 3, 2))
    with pytest.raises(ServiceError, match="不能审批"):
        services.application_approve(actor=four_eyes["approver"], application=app, approve=True, on=D(2025, 3, 2))
    with pytest.raises(ServiceError, match="须填写意见"):
        services.application_review(actor=four_eyes["reviewer"], application=app, approve=False, on=D(2025, 3, 2))
    services.application_review(actor=four_eyes["reviewer"], application=app, approve=False, on=D(2025, 3, 2),
                                note="材料不全")
    assert app.status == ApplicationStatus.REJECTED
    with pytest.raises(ServiceError, match="不能登记发放"):
        services.payment_record(actor=None, application=app, paid_on=D(2025, 3, 5), method="bank", fund_source="own")


def test_only_households_in_force_may_apply(archive, four_eyes):
    a = archive(entered=None)
    with pytest.raises(ServiceError, match="只有在档的困难家庭才能申请"):
        _apply(a, four_eyes["clerk"])


def test_golden_autumn_names_a_child_of_the_archive(archive, four_eyes):
    a, other = archive(name="甲"), archive(name="乙")
    with pytest.raises(ServiceError, match="须选择受助的子女"):
        _apply(a, four_eyes["clerk"], type="golden_autumn")
    with pytest.raises(ServiceError, match="本档案中登记的子女"):
        _apply(a, four_eyes["clerk"], type="golden_autumn", student=other.family.get())
    app = _apply(a, four_eyes["clerk"], type="golden_autumn", student=a.family.get())
    assert app.student.name == "李小妹" and app.archive == a


def _approved(archive, four_eyes, **kw):
    app = _apply(archive, four_eyes["clerk"], **kw)
    services.application_review(actor=four_eyes["reviewer"], application=app, approve=True, on=app.applied_on)
    services.application_approve(actor=four_eyes["approver"], application=app, approve=True, on=app.applied_on)
    return app


def test_payment_with_fund_source_and_the_duplicate_guard(tree, archive, four_eyes):
    a = archive()
    campaign = services.campaign_create(actor=None, org=tree.root, name="2025年两节送温暖", type="warmth",
                                        start_on=D(2025, 1, 1), end_on=D(2025, 2, 28), budget="10000")
    app = _approved(a, four_eyes, type="warmth", amount_requested="500", campaign=campaign, applied_on=D(2025, 1, 22))
    with pytest.raises(ServiceError, match="资金来源"):
        services.payment_record(actor=four_eyes["clerk"], application=app, paid_on=D(2025, 1, 23), method="bank",
                                fund_source="lottery")
    p = services.payment_record(actor=four_eyes["clerk"], application=app, paid_on=D(2025, 1, 23), method="cash",
                                fund_source="upper")
    assert (p.amount, p.fund_source_label, p.path, app.status) == (Decimal("500.00"), "上级工会补助", tree.union_a1.path,
                                                                   ApplicationStatus.PAID)
    with pytest.raises(ServiceError, match="已在活动“2025年两节送温暖”中领取过"):
        _apply(a, four_eyes["clerk"], type="warmth", amount_requested="300", campaign=campaign,
               applied_on=D(2025, 1, 25))
    # Even an application that slipped through (made before the payment) cannot be paid twice.
    second = Application.objects.create(archive=a, org=a.org, type="warmth", campaign=campaign,
                                        amount_requested=300, reason="x", applied_on=D(2025, 1, 22),
                                        status=ApplicationStatus.APPROVED, amount_approved=300,
                                        approved_on=D(2025, 1, 22))
    with pytest.raises(ServiceError, match="同一活动不能重复发放"):
        services.payment_record(actor=None, application=second, paid_on=D(2025, 1, 24), method="cash",
                                fund_source="own")
    assert Payment.objects.count() == 1


def test_campaign_rules(tree, archive, four_eyes):
    a = archive()
    c = services.campaign_create(actor=None, org=tree.town_b, name="乙街道助学", type="golden_autumn",
                                 start_on=D(2025, 8, 1), end_on=D(2025, 9, 30), budget="5000")
    with pytest.raises(ServiceError, match="不在活动“乙街道助学”的组织范围内"):
        _apply(a, four_eyes["clerk"], type="golden_autumn", student=a.family.get(), campaign=c,
               applied_on=D(2025, 8, 2))
    with pytest.raises(ServiceError, match="结束日期不能早于开始日期"):
        services.campaign_create(actor=None, org=tree.root, name="x", type="warmth", start_on=D(2025, 2, 1),
                                 end_on=D(2025, 1, 1), budget=1)
    with pytest.raises(ServiceError, match="不在活动组织单位的范围内"):
        services.campaign_add_targets(actor=None, campaign=c, archives=[a])


def test_pairing_is_one_to_one(tree, archive):
    a = archive()
    tv = services.helper_create(actor=None, org=tree.root, name="县电视台")
    other = services.helper_create(actor=None, org=tree.root, name="县财政局")
    p = services.pairing_create(actor=None, helper=tv, archive=a, pledged_on=D(2025, 2, 1))
    with pytest.raises(ServiceError, match="已与“县电视台”结对"):
        services.pairing_create(actor=None, helper=other, archive=a, pledged_on=D(2025, 2, 2))
    with pytest.raises(ServiceError, match="走访日期不能早于结对日期"):
        services.visit_record(actor=None, pairing=p, visited_on=D(2025, 1, 1), amount=600)
    services.pairing_end(actor=None, pairing=p, on=D(2025, 3, 1))
    services.pairing_create(actor=None, helper=other, archive=a, pledged_on=D(2025, 3, 2))


def test_audit_entries_hold_no_finances(tree, archive):
    a = archive(wage=1234)
    entry = AuditEvent.objects.filter(action="assistance.archive.created", object_id=str(a.pk)).get()
    assert "1234" not in str(entry.changes) and a.id_number not in str(entry.changes)
    assert ArchiveEvent.objects.filter(archive=a).count() == 3


def test_the_declared_household_size_divides_until_more_members_are_recorded(tree, standard):
    """Issue 15 item 7: a head earning 1,800 元 in a household of four, members not yet entered."""
    a = services.archive_create(actor=None, org=tree.union_a1, head_name="赵户主", id_number=make_id(seq=31),
                                created_on=D(2025, 3, 1), region_code="430121", main_cause="06", monthly_wage=1800,
                                household_size=4)
    assert (a.household_size, a.per_capita, a.category) == (4, Decimal("450.00"), Category.DEEP)
    for name, relation in (("赵妻", "spouse"), ("赵子", "child"), ("赵女", "child")):
        services.family_member_add(actor=None, archive=a, on=D(2025, 3, 2), name=name, relation=relation,
                                   birth_date=D(2010, 1, 1), gender=1)
    assert (a.household_size, a.per_capita, a.category) == (4, Decimal("450.00"), Category.DEEP)
    # A fifth person living together is more than was declared: the household counts them.
    services.family_member_add(actor=None, archive=a, on=D(2025, 3, 2), name="赵母", relation="parent",
                               birth_date=D(1950, 1, 1), gender=2)
    assert (a.household_size, a.per_capita) == (5, Decimal("360.00"))
    with pytest.raises(ServiceError, match="1至20人") as err:
        services.archive_update(actor=None, archive=a, on=D(2025, 3, 3), household_size=0)
    assert err.value.field == "household_size"


def test_a_changed_suggestion_is_refused_until_the_clerk_confirms_it(tree, standard, archive):
    live = archive(name="在档户", wage=1200, family=[])  # 1,200 for one person: 相对困难
    assert live.category == Category.RELATIVE
    child = {"name": "子", "relation": "child", "birth_date": D(2010, 1, 1), "gender": 1}
    with pytest.raises(services.CategoryUnconfirmed) as err:
        services.family_member_add(actor=None, archive=live, on=D(2025, 2, 1), **child)
    assert (err.value.current, err.value.proposed, err.value.field) == ("relative", "deep", "confirm_category")
    assert "由“相对困难”变为“深度困难”" in err.value.messages[0] and "1,200" not in err.value.messages[0]
    live.refresh_from_db()  # refused as a whole: no member, no new figures
    assert (live.family.count(), live.per_capita, live.category) == (0, Decimal("1200.00"), Category.RELATIVE)
    services.family_member_add(actor=None, archive=live, on=D(2025, 2, 1), confirm_category="deep", **child)
    live.refresh_from_db()
    assert (live.per_capita, live.proposed_category, live.category) == (Decimal("600.00"), "deep", "deep")
    assert "经办确认类别由“相对困难”调整为“深度困难”" in live.events.first().note
    entry = AuditEvent.objects.filter(action="assistance.archive.updated", object_id=str(live.pk)).last()
    assert entry.changes["category"] == ["relative", "deep"] and entry.changes["category_confirmed"] is True
    # The clerk may also keep the category; that is recorded the same way.
    services.archive_update(actor=None, archive=live, on=D(2025, 2, 2), monthly_wage=2000, confirm_category="deep")
    live.refresh_from_db()
    assert (live.proposed_category, live.category) == ("relative", "deep")
    assert "经办确认保持“深度困难”" in live.events.first().note
    # A change that leaves the suggestion where it was needs no confirmation.
    services.expense_add(actor=None, archive=live, on=D(2025, 2, 3), kind="medical", annual_amount=1200)
    assert live.category == "deep"


def test_a_head_who_is_a_member_is_linked_to_the_roster(tree, standard):
    from gonghui.members import services as members

    number = make_id(seq=55)
    m = members.member_join(actor=None, union=tree.union_a1, name="会员户主", id_number=number,
                            joined_on=D(2021, 1, 1))
    a = services.archive_create(actor=None, org=tree.union_a1, head_name="会员户主", id_number=number,
                                created_on=D(2025, 3, 1), region_code="430121", main_cause="06", monthly_wage=500)
    assert a.person == m.person
