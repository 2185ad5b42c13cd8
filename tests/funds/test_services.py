from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.audit import AuditEvent
from gonghui.core.errors import ServiceError
from gonghui.funds import services
from gonghui.funds.models import Declaration, FundKind, MatchStatus, Receipt, ReceiptSplit, RefundStatus
from tests.conftest import make_user

from .conftest import D, receipt


def test_receipt_matched_by_uscc_counts_under_the_union_and_pays_the_declaration(funded):
    r = receipt(funded, "SP001", "1234.56", D(2025, 3, 15), month=D(2025, 2, 1), payroll="61728")
    assert r.status == MatchStatus.MATCHED and r.employer == funded.emp["a1"]
    assert r.org == funded.union_a1 and r.org_path == funded.union_a1.path and r.kind == FundKind.ALLOCATION
    decl = Declaration.objects.get(employer=funded.emp["a1"], month=D(2025, 2, 1))
    assert decl.due == Decimal("1234.56") and decl.paid == Decimal("1234.56")
    assert AuditEvent.objects.filter(action="funds.receipt.recorded", object_id=str(r.pk)).exists()


def test_employer_without_union_pays_preparation_fund_under_its_federation(funded):
    r = receipt(funded, "SP002", "200", D(2025, 3, 15), emp="a3", month=D(2025, 2, 1), payroll="10000")
    assert r.kind == FundKind.PREPARATION and r.org == funded.town_a


def test_unknown_uscc_kept_pending_with_raw_code_then_matched(funded, personas):
    from .conftest import valid_uscc

    code = valid_uscc("91430121MA4L00090")
    r = services.receipt_record(actor=personas.town_clerk, org=funded.town_a, reference="SP003", channel="tax",
                                amount="500", received_on=D(2025, 4, 1), uscc=code, name="甲三有限公司",
                                month=D(2025, 3, 1), payroll_base="25000")
    assert r.status == MatchStatus.PENDING and r.raw_uscc == code and r.raw_name == "甲三有限公司"
    assert r.org == funded.town_a and r.employer is None
    from gonghui.orgs.models import Employer
    Employer.objects.filter(pk=funded.emp["a4"].pk).update(uscc=None)
    services.receipt_match(actor=personas.town_clerk, receipt=r, employer=funded.emp["a4"])
    r.refresh_from_db()
    assert r.status == MatchStatus.MATCHED and r.employer == funded.emp["a4"]
    assert Declaration.objects.get(employer=funded.emp["a4"]).paid == Decimal("500.00")
    with pytest.raises(ServiceError, match="已匹配"):
        services.receipt_match(actor=personas.town_clerk, receipt=r, employer=funded.emp["a4"])


def test_matching_refuses_an_employer_with_another_code(funded, personas):
    from .conftest import valid_uscc

    r = receipt(funded, "SP004", "10", D(2025, 4, 1), emp=valid_uscc("91430121MA4L00080"), name="某公司",
                org=funded.town_a)
    with pytest.raises(ServiceError, match="不一致"):
        services.receipt_match(actor=personas.town_clerk, receipt=r, employer=funded.emp["a1"])


def test_bad_receipts_refused(funded):
    receipt(funded, "SP005", "10", D(2025, 4, 1))
    with pytest.raises(ServiceError, match="已登记"):
        receipt(funded, "SP005", "10", D(2025, 4, 1))
    with pytest.raises(ServiceError, match="校验位"):
        receipt(funded, "SP006", "10", D(2025, 4, 1), emp="91430121MA4L000011")
    with pytest.raises(ServiceError, match="金额"):
        receipt(funded, "SP007", "abc", D(2025, 4, 1))
    with pytest.raises(ServiceError, match="大于0"):
        receipt(funded, "SP008", "0", D(2025, 4, 1))
    with pytest.raises(ServiceError, match="晚于今天"):
        receipt(funded, "SP009", "10", D(2099, 4, 1))
    with pytest.raises(ServiceError, match="所属期"):
        receipt(funded, "SP010", "10", D(2025, 4, 1), month=D(2025, 5, 1))
    assert Receipt.objects.count() == 1


def test_receipt_out_of_scope_refused(funded, personas):
    with pytest.raises(PermissionDenied):
        services.receipt_record(actor=personas.town_clerk, org=funded.town_b, reference="X1", channel="tax",
                                amount="1", received_on=D(2025, 1, 1), name="乙")


def test_split_adds_up_to_the_cent_with_the_remainder_on_the_declared_level(funded):
    services.share_table_set(actor=None, valid_from=D(2025, 1, 1),
                             shares={"grassroots": "60", "county": "13.333", "city": "13.333", "province": "13.334"},
                             remainder="city")
    r = receipt(funded, "SP020", "100.01", D(2025, 2, 1))
    parts = {s.level: s.amount for s in ReceiptSplit.objects.filter(receipt=r)}
    assert sum(parts.values()) == Decimal("100.01")
    assert parts["grassroots"] == Decimal("60.00") and parts["county"] == Decimal("13.33")
    assert parts["province"] == Decimal("13.33") and parts["city"] == Decimal("13.35")
    # Before the table: the default 60/40.
    old = receipt(funded, "SP021", "0.05", D(2024, 12, 1))
    parts = {s.level: s.amount for s in ReceiptSplit.objects.filter(receipt=old)}
    assert parts == {"grassroots": Decimal("0.03"), "county": Decimal("0.02")}


def test_share_table_validated(funded, personas):
    with pytest.raises(ServiceError, match="之和应为100%"):
        services.share_table_set(actor=None, valid_from=D(2025, 1, 1), shares={"grassroots": "60", "county": "30"},
                                 remainder="county")
    with pytest.raises(ServiceError, match="尾差"):
        services.share_table_set(actor=None, valid_from=D(2025, 1, 1), shares={"grassroots": "60", "county": "40"},
                                 remainder="city")
    with pytest.raises(PermissionDenied):
        services.share_table_set(actor=personas.town_clerk, valid_from=D(2025, 1, 1),
                                 shares={"grassroots": "60", "county": "40"}, remainder="county")


def _complete(tree, union=None, on=None):
    return services.formality_save(actor=None, union=union or tree.union_a1, bank_name="长沙银行",
                                   account_name="甲一公司工会委员会", account="6222 0200 1234 5678",
                                   certificate_no="工法证字第0001号", agreement_on=D(2025, 1, 5), on=on or D(2025, 1, 10))


def test_formality_complete_encrypts_and_masks_the_account(funded):
    f = services.formality_save(actor=None, union=funded.union_a1, bank_name="长沙银行", account="6222020012345678",
                                on=D(2025, 1, 3))
    assert not f.is_complete and f.missing == ["法人资格证书", "返还协议"]
    f = _complete(funded)
    assert f.is_complete and f.completed_on == D(2025, 1, 3 + 7)
    assert f.account_number == "6222020012345678" and "1234" not in f.account_cipher
    assert f.account_masked == "****5678"
    entry = AuditEvent.objects.filter(action="funds.formality.saved").last()
    assert "6222020012345678" not in str(entry.changes)
    with pytest.raises(ServiceError, match="8至30位数字"):
        services.formality_save(actor=None, union=funded.union_a1, account="12ab")
    with pytest.raises(ServiceError, match="不是基层工会"):
        services.formality_save(actor=None, union=funded.town_a, account="6222020012345678", bank_name="x")


def test_refund_four_eyes_and_payment(funded, personas, approver):
    receipt(funded, "SP030", "1000", D(2025, 2, 10))
    receipt(funded, "SP031", "500", D(2025, 3, 10))
    clerk = personas.town_clerk
    with pytest.raises(ServiceError, match="返还手续未完善"):
        services.refund_prepare(actor=clerk, union=funded.union_a1, start=D(2025, 1, 1), end=D(2025, 3, 31),
                                on=D(2025, 4, 1))
    _complete(funded)
    refund = services.refund_prepare(actor=clerk, union=funded.union_a1, start=D(2025, 1, 1), end=D(2025, 3, 31),
                                     on=D(2025, 4, 1))
    assert refund.amount == Decimal("900.00") and refund.status == RefundStatus.PREPARED
    with pytest.raises(ServiceError, match="重叠"):
        services.refund_prepare(actor=clerk, union=funded.union_a1, start=D(2025, 3, 1), end=D(2025, 3, 31),
                                on=D(2025, 4, 1))
    with pytest.raises(PermissionDenied):
        services.refund_approve(actor=clerk, refund=refund, on=D(2025, 4, 2))
    refund = services.refund_approve(actor=approver, refund=refund, on=D(2025, 4, 2))
    assert refund.status == RefundStatus.APPROVED and refund.approved_by == approver
    with pytest.raises(ServiceError, match="不能审批"):
        services.refund_approve(actor=approver, refund=refund, on=D(2025, 4, 2))
    refund = services.refund_pay(actor=clerk, refund=refund, paid_on=D(2025, 4, 5))
    assert refund.status == RefundStatus.PAID


def test_preparer_cannot_approve_own_refund(funded, personas):
    receipt(funded, "SP040", "1000", D(2025, 2, 10))
    _complete(funded)
    admin = make_user("boss", funded.root, "系统管理员")
    refund = services.refund_prepare(actor=admin, union=funded.union_a1, start=D(2025, 2, 1), end=D(2025, 2, 28),
                                     on=D(2025, 3, 1))
    with pytest.raises(ServiceError, match="制单人不能审批"):
        services.refund_approve(actor=admin, refund=refund, on=D(2025, 3, 2))
    refund = services.refund_refuse(actor=personas.county_admin, refund=refund, reason="金额待核")
    assert refund.status == RefundStatus.REFUSED


def test_declaration_corrected_and_arrears(funded):
    d = services.declaration_record(actor=None, employer=funded.emp["a2"], month=D(2025, 3, 9), payroll_total="50000")
    assert d.month == D(2025, 3, 1) and d.due == Decimal("1000.00") and d.kind == FundKind.ALLOCATION
    receipt(funded, "SP050", "400", D(2025, 4, 10), emp="a2", month=D(2025, 3, 1))
    d = services.declaration_record(actor=None, employer=funded.emp["a2"], month=D(2025, 3, 1), payroll_total="60000")
    assert d.due == Decimal("1200.00") and d.paid == Decimal("400.00") and d.arrears == Decimal("800.00")


def test_dues_recorded_corrected_and_refused(funded):
    d = services.dues_record(actor=None, union=funded.union_a1, month=D(2025, 3, 20), members=28,
                             wage_base="140000.00", paid="650")
    assert d.month == D(2025, 3, 1) and d.due == Decimal("700.00") and d.org_path == funded.union_a1.path
    d = services.dues_record(actor=None, union=funded.union_a1, month=D(2025, 3, 1), members=28,
                             wage_base="140000.00", paid="700")
    assert d.paid == Decimal("700.00")
    with pytest.raises(ServiceError, match="不是基层工会"):
        services.dues_record(actor=None, union=funded.town_a, month=D(2025, 3, 1), members=1, wage_base="1", paid="0")
    with pytest.raises(ServiceError, match="负数"):
        services.dues_record(actor=None, union=funded.union_a1, month=D(2025, 3, 1), members=-1, wage_base="1",
                             paid="0")


def test_back_dated_coverage_moves_the_employers_receipts_and_declarations(funded):
    """甲三公司 had no union: its money was 筹备金 under 甲镇. A union covering it from a past date
    takes its receipts from that day and its declarations from that month on."""
    from gonghui.orgs import services as org_services

    jan = receipt(funded, "C1", "100", D(2025, 2, 10), emp="a3", month=D(2025, 1, 1), payroll="5000")
    mar = receipt(funded, "C2", "100", D(2025, 4, 10), emp="a3", month=D(2025, 3, 1), payroll="5000")
    assert mar.kind == "preparation" and mar.org == funded.emp["a3"].org
    org_services.coverage_start(actor=None, union=funded.union_a2, employer=funded.emp["a3"], valid_from=D(2025, 3, 1))
    jan.refresh_from_db()
    mar.refresh_from_db()
    assert (jan.org, jan.kind) == (funded.emp["a3"].org, "preparation")
    assert (mar.org, mar.org_path, mar.kind) == (funded.union_a2, funded.union_a2.path, "allocation")
    decls = {d.month: (d.org, d.kind) for d in services.Declaration.objects.filter(employer=funded.emp["a3"])}
    assert decls[D(2025, 3, 1)] == (funded.union_a2, "allocation")
    assert decls[D(2025, 1, 1)] == (funded.emp["a3"].org, "preparation")


def test_late_fee_per_the_configured_rule(funded, settings):
    decl = services.declaration_record(actor=None, employer=funded.emp["a1"], month=D(2025, 3, 1),
                                       payroll_total="10000")  # due 200.00, by 2025-04-15
    assert services.late_fee(decl, D(2025, 5, 15)) == Decimal("0.00")  # no rate configured
    settings.GONGHUI_FUNDS = {"LATE_FEE_PERCENT_PER_DAY": Decimal("0.5")}
    assert services.late_fee(decl, D(2025, 4, 15)) == Decimal("0.00")
    assert services.late_fee(decl, D(2025, 4, 25)) == Decimal("10.00")  # 200 × 0.5 % × 10 days
    assert services.late_fee(decl, D(2026, 4, 25)) == Decimal("200.00")  # capped at the principal
    settings.GONGHUI_FUNDS = {"LATE_FEE_PERCENT_PER_DAY": Decimal("0.5"), "LATE_FEE_CAPPED": False}
    assert services.late_fee(decl, D(2026, 4, 25)) == Decimal("375.00")


def test_declaration_page_records_the_payroll(client, funded, personas):
    from django.urls import reverse

    client.force_login(personas.town_clerk)
    bad = client.post(reverse("funds:declaration_new"), {"employer": funded.emp["a1"].name, "month": "2099-01-01",
                                                         "payroll_total": "10000"})
    assert bad.status_code == 200 and "不能晚于今天" in bad.content.decode()
    ok = client.post(reverse("funds:declaration_new"), {"employer": funded.emp["a1"].name, "month": "2025-03-01",
                                                        "payroll_total": "10000", "employees": "12"})
    assert ok.status_code == 302
    assert Declaration.objects.get(employer=funded.emp["a1"]).due == Decimal("200.00")


def test_undeclared_preparation_fund_is_reminded_from_the_configured_date(funded, personas, settings):
    from gonghui.core import clock
    from gonghui.funds.reminders import preparation_undeclared
    from gonghui.orgs.models import Employer

    Employer.objects.filter(pk=funded.emp["a3"].pk).update(headcount=80, registered_on=D(2024, 9, 1))
    with clock.as_of(D(2025, 5, 20)):
        items, n = preparation_undeclared(personas.town_clerk, D(2025, 5, 20), 10)
        assert [i.label for i in items] == ["甲三公司 2025年4月应缴工会筹备金，未申报工资总额"] and n == 1
        settings.GONGHUI_FUNDS = {"PREPARATION_GRACE_MONTHS": 12}  # registered less than a year before April
        assert preparation_undeclared(personas.town_clerk, D(2025, 5, 20), 10)[1] == 0
        settings.GONGHUI_FUNDS = {"PREPARATION_FROM": "2025-06-01"}
        assert preparation_undeclared(personas.town_clerk, D(2025, 5, 20), 10)[1] == 0
        settings.GONGHUI_FUNDS = {}
        services.declaration_record(actor=None, employer=funded.emp["a3"], month=D(2025, 4, 1), payroll_total="9000")
        assert preparation_undeclared(personas.town_clerk, D(2025, 5, 20), 10)[1] == 0
