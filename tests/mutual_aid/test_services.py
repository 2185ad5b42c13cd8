"""Plans as data, group enrolment (eligibility by row, coverage, premium, waiting period, renewal),
claims (waiting period, four-eyes, payout ending the cover) and what the audit log keeps."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.errors import ServiceError
from gonghui.core.models import AccessLog, AuditEvent
from gonghui.members import services as member_services
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import ClaimStatus, Decision, Item, ItemStatus
from gonghui.mutual_aid.services import Entry
from tests.members.conftest import make_id
from tests.mutual_aid.conftest import BENEFITS, NINGBO

D = dt.date


def test_plan_rules_are_data_and_checked(tree):
    with pytest.raises(ServiceError, match="给付类别"):
        services.plan_create(actor=None, org=tree.root, code="X", benefits=[], name="X", unit_premium="15")
    with pytest.raises(ServiceError, match="每份保费"):
        services.plan_create(actor=None, org=tree.root, code="X", name="X", unit_premium="0",
                             benefits=[{"code": "A", "name": "甲", "amount_per_unit": "100"}])


def test_plan_needs_the_plan_permission(tree, personas):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=personas.town_clerk, org=tree.root, code="X", name="X", unit_premium="15",
                             benefits=[{"code": "A", "name": "甲", "amount_per_unit": "100"}])


def test_batch_premium_cover_dates_and_waiting_period(women, enrol):
    people = women(n=5)
    batch = enrol(people[:4], units=2, eligible=5)
    assert (batch.enrolled_count, batch.units_total, batch.premium_total) == (4, 8, Decimal("120.00"))
    assert batch.sum_insured_total == Decimal("80000.00")  # 10,000 元/份 × 8 份
    assert batch.coverage_rate == Decimal("80.00")
    item = batch.items.first()
    assert item.start_on == D(2025, 3, 2)  # the day after enrolment
    assert item.end_on == D(2026, 3, 1)
    assert item.waiting_until == D(2025, 5, 30)  # 90 days: 2 Mar … 30 May
    assert not item.is_renewal


def test_coverage_below_the_minimum_is_refused_with_the_figures(women, enrol):
    people = women(n=5)
    with pytest.raises(ServiceError, match=r"参保率60.00%（3人÷符合条件5人）低于项目要求的80"):
        enrol(people[:3])
    assert not Item.objects.exists()


def test_eligible_count_comes_from_the_roster(tree, women, enrol):
    people = women(n=4)
    men = member_services.member_join(actor=None, union=tree.union_a1, name="男工", id_number=make_id(seq=900),
                                      joined_on=D(2024, 3, 1))
    assert men.person.gender == 1
    batch = enrol(people)
    assert batch.eligible_count == 4  # the man does not count in a women's plan


def test_refusals_by_row_and_nothing_saved(tree, women, enrol, term):
    ok = women(n=3)
    old = women(n=1, birth="19700101")  # 55 in 2025: past the women's retirement age 50
    man = member_services.member_join(actor=None, union=tree.union_a1, name="王男", id_number=make_id(seq=901),
                                      joined_on=D(2024, 3, 1)).person
    other_union = women(union=tree.union_b1, n=1)[0]
    entries = [Entry(units=1, person=ok[0], row=1), Entry(units=1, person=man, row=2),
               Entry(units=1, person=old[0], row=3), Entry(units=4, person=ok[1], row=4),
               Entry(units=1, person=other_union, row=5), Entry(units=1, person=ok[0], row=6),
               Entry(units=1, id_number=make_id(seq=950, female=True), name="赵外人", row=7)]
    with pytest.raises(ServiceError) as exc:
        services.batch_enrol(actor=None, term=term, union=tree.union_a1, enrolled_on=D(2025, 3, 1), entries=entries,
                             eligible_count=7)
    msg = exc.value.message
    assert "共6行不能参保，全部未保存" in msg
    assert "第2行：该项目仅限女性参保，王男为男性" in msg
    assert "第3行" in msg and "已达法定退休年龄（50岁）" in msg
    assert "第4行：份数应为1至3份" in msg
    assert "第5行" in msg and "不是甲一公司工会的在会会员" in msg
    assert "第6行" in msg and "与第1行重复" in msg
    assert "第7行：赵外人" in msg and "不在会员名册中，请先办理入会后再参保" in msg
    assert not Item.objects.exists()


def test_enrolled_twice_in_one_term_is_refused(women, enrol, term):
    people = women(n=2)
    batch = enrol(people[:1], eligible=1)
    with pytest.raises(ServiceError, match="已参加.*2025年度，同一期次不能重复参保"):
        services.batch_add(actor=None, batch=batch, enrolled_on=D(2025, 4, 1),
                           entries=[Entry(units=1, person=people[0])])


def test_renewal_within_30_days_keeps_continuity_without_waiting(plan, women, enrol):
    people = women(n=2)
    enrol(people, on=D(2025, 3, 1))
    t2 = services.term_create(actor=None, plan=plan, name="2026年度", opens_on=D(2026, 1, 1),
                              closes_on=D(2026, 12, 31))
    # Renewed before the old cover ends (1 Mar 2026): the new one follows it, no waiting period.
    b2 = enrol(people[:1], t=t2, on=D(2026, 2, 20), eligible=1)
    item = b2.items.get()
    assert item.is_renewal and item.waiting_until is None
    assert item.start_on == D(2026, 3, 2)
    # 31 days after the expiry: a first enrolment again, with its waiting period.
    b3 = enrol(people[1:], t=t2, on=D(2026, 4, 1), eligible=1)
    late = b3.items.get()
    assert not late.is_renewal and late.waiting_until == D(2026, 6, 30)


def test_scope_of_enrolment(tree, personas, women, enrol):
    people = women(union=tree.union_b1, n=1)
    with pytest.raises(PermissionDenied):
        enrol(people, union=tree.union_b1, eligible=1, actor=personas.town_clerk)


@pytest.fixture
def item(women, enrol):
    return enrol(women(n=1), units=2, eligible=1).items.get()


def _claim(item, diagnosed_on, benefit="A", registered_on=None, actor=None):
    return services.claim_register(actor=actor, item=item, registered_on=registered_on or diagnosed_on,
                                   diagnosis="乳腺浸润性导管癌", benefit_code=benefit, diagnosed_on=diagnosed_on,
                                   hospital="宁波市第一医院", treatment="surgery")


@pytest.mark.parametrize("diagnosed_on, decision, amount", [
    (D(2025, 3, 20), Decision.NONE, "0.00"),  # day 19 of the waiting period
    (D(2025, 3, 31), Decision.NONE, "0.00"),  # day 30
    (D(2025, 4, 1), Decision.CONDOLENCE, "1000.00"),  # day 31: 慰问金 only
    (D(2025, 5, 30), Decision.CONDOLENCE, "1000.00"),  # day 90, the last of the waiting period
    (D(2025, 5, 31), Decision.FULL, "20000.00"),  # after it: 10,000 元/份 × 2 份
])
def test_claim_inside_the_waiting_period(item, diagnosed_on, decision, amount):
    claim = _claim(item, diagnosed_on)
    assert (claim.decision, claim.amount) == (decision, Decimal(amount))


def test_carcinoma_in_situ_pays_its_class(item):
    assert _claim(item, D(2025, 7, 1), benefit="B").amount == Decimal("10000.00")


def test_claim_outside_the_cover_is_refused(item):
    with pytest.raises(ServiceError, match="不在保障期"):
        _claim(item, D(2025, 3, 1))  # the enrolment day itself is not covered


def test_four_eyes_payout_ends_cover_and_audit_has_no_diagnosis(item, four_eyes):
    claim = _claim(item, D(2025, 7, 1), registered_on=D(2025, 7, 10), actor=four_eyes["clerk"])
    services.claim_review(actor=four_eyes["reviewer"], claim=claim, on=D(2025, 7, 12))
    claim.refresh_from_db()
    with pytest.raises(ServiceError, match="审核人不能审批同一件理赔"):
        services.claim_approve(actor=four_eyes["reviewer"], claim=claim, on=D(2025, 7, 13))
    services.claim_approve(actor=four_eyes["approver"], claim=claim, on=D(2025, 7, 13))
    claim = services.claim_pay(actor=four_eyes["approver"], claim=claim, on=D(2025, 7, 20))
    assert claim.status == ClaimStatus.PAID and claim.paid_amount == Decimal("20000.00")
    item.refresh_from_db()
    assert item.status == ItemStatus.ENDED_PAID and item.ended_on == D(2025, 7, 20)
    with pytest.raises(ServiceError, match="不在保障期"):
        _claim(item, D(2025, 8, 1))
    logged = " ".join(str(e.changes) + e.object_label for e in AuditEvent.objects.filter(action__startswith="mutual_aid.claim"))
    assert logged and "乳腺" not in logged and "原发性" not in logged
    assert "乳腺" not in claim.diagnosis_cipher


def test_paid_out_person_cannot_enrol_again(item, plan, four_eyes, enrol):
    claim = _claim(item, D(2025, 7, 1))
    services.claim_review(actor=four_eyes["reviewer"], claim=claim, on=D(2025, 7, 2))
    services.claim_approve(actor=four_eyes["approver"], claim=claim, on=D(2025, 7, 3))
    services.claim_pay(actor=None, claim=claim, on=D(2025, 7, 4))
    t2 = services.term_create(actor=None, plan=plan, name="2026年度", opens_on=D(2026, 1, 1), closes_on=D(2026, 12, 31))
    with pytest.raises(ServiceError, match="已获本项目给付，保障责任已终止"):
        enrol([item.person], t=t2, on=D(2026, 2, 1), eligible=1)


def test_a_diagnosed_person_cannot_enrol_again_nor_claim_twice(item, plan, four_eyes, enrol, women):
    """未确诊 (DOMAIN 11.1): a plan whose payout ends the cover insures a first diagnosis only."""
    condolence = _claim(item, D(2025, 4, 15))  # day 45 of the waiting period: 慰问金 only
    services.claim_review(actor=four_eyes["reviewer"], claim=condolence, on=D(2025, 4, 16))
    services.claim_approve(actor=four_eyes["approver"], claim=condolence, on=D(2025, 4, 17))
    services.claim_pay(actor=None, claim=condolence, on=D(2025, 4, 20))
    item.refresh_from_db()
    assert item.status == ItemStatus.ACTIVE  # 慰问金 does not end the cover ...
    with pytest.raises(ServiceError, match="本项目只保障首次确诊"):
        _claim(item, D(2025, 7, 1))  # ... but the same disease is not claimed again after the waiting period
    # A claim still open tells a diagnosis too; a refused one (registered by mistake) does not.
    open_item = enrol(women(n=1), eligible=1, on=D(2025, 3, 2)).items.get()
    _claim(open_item, D(2025, 7, 1))
    refused_item = enrol(women(n=1), eligible=1, on=D(2025, 3, 3)).items.get()
    services.claim_reject(actor=four_eyes["reviewer"], claim=_claim(refused_item, D(2025, 7, 1)), on=D(2025, 7, 2),
                          reason="登记错误")
    t2 = services.term_create(actor=None, plan=plan, name="2026年度", opens_on=D(2026, 1, 1), closes_on=D(2026, 12, 31))
    entries = [Entry(units=1, person=i.person) for i in (item, open_item, refused_item)]
    with pytest.raises(services.Refused) as refused:
        services.batch_enrol(actor=None, term=t2, union=item.union, enrolled_on=D(2026, 2, 1), entries=entries,
                             eligible_count=3)
    assert [r for r, _ in refused.value.rows] == [1, 2]
    assert all("不符合“未确诊”的参保条件" in m for _, m in refused.value.rows)
    assert Item.objects.filter(term=t2).count() == 0
    batch = services.batch_enrol(actor=None, term=t2, union=item.union, enrolled_on=D(2026, 2, 1),
                                 entries=entries[2:], eligible_count=1)
    assert batch.items.get().person == refused_item.person


def test_a_plan_whose_payout_does_not_end_the_cover_pays_again(item, plan, four_eyes):
    services.plan_update(actor=None, plan=plan, payout_ends_cover=False)
    item = Item.objects.get(pk=item.pk)
    first = _claim(item, D(2025, 6, 1))
    services.claim_review(actor=four_eyes["reviewer"], claim=first, on=D(2025, 6, 2))
    services.claim_approve(actor=four_eyes["approver"], claim=first, on=D(2025, 6, 3))
    services.claim_pay(actor=None, claim=first, on=D(2025, 6, 4))
    assert _claim(item, D(2025, 8, 1)).decision == Decision.FULL


def test_claim_without_benefit_must_be_rejected(item, four_eyes):
    claim = _claim(item, D(2025, 3, 20))
    with pytest.raises(ServiceError, match="请作拒付处理"):
        services.claim_review(actor=four_eyes["reviewer"], claim=claim, on=D(2025, 3, 21))
    claim = services.claim_reject(actor=four_eyes["reviewer"], claim=claim, on=D(2025, 3, 21), reason="等待期前30日内确诊")
    assert claim.status == ClaimStatus.REJECTED


def test_reveal_needs_the_sensitive_permission_and_is_logged(item, personas):
    claim = _claim(item, D(2025, 7, 1))
    with pytest.raises(PermissionDenied):
        services.claim_reveal(user=personas.town_clerk, claim=claim)
    shown = services.claim_reveal(user=personas.county_admin, claim=claim)
    assert shown["diagnosis"] == "乳腺浸润性导管癌"
    assert AccessLog.objects.filter(object_type="mutual_aid.claim", object_id=str(claim.pk)).count() == 1


def test_a_four_year_plan_covers_48_months_for_its_premium(tree, women):
    """DOMAIN 11.1: 50 元/份 for 4 years as well as 15 元/份 for one: the term is the plan's data."""
    plan = services.plan_create(actor=None, org=tree.root, code="AK4", benefits=BENEFITS,
                                **{**NINGBO, "name": "女职工安康互助保障（四年期）", "unit_premium": "50", "term_months": 48})
    term = services.term_create(actor=None, plan=plan, name="2025-2028", opens_on=D(2025, 1, 1),
                                closes_on=D(2025, 12, 31))
    batch = services.batch_enrol(actor=None, term=term, union=tree.union_a1, enrolled_on=D(2025, 3, 1),
                                 entries=[Entry(units=3, person=p) for p in women(n=2)], eligible_count=2)
    item = batch.items.first()
    assert (item.premium, batch.premium_total) == (Decimal("150.00"), Decimal("300.00"))  # 50 × 3 份, exactly
    assert (item.start_on, item.end_on) == (D(2025, 3, 2), D(2029, 3, 1))
