from decimal import Decimal

from django.urls import reverse

from gonghui.core.audit import AccessLog
from gonghui.funds import services
from gonghui.funds.models import MatchStatus, Receipt, RefundStatus, SplitShare
from tests.conftest import make_user

from .conftest import D, receipt, valid_uscc


def test_receipts_list_filters_totals_and_export(client, funded, personas):
    # References no CSRF token can spell (its letters are [A-Za-z0-9]): "V2" once turned up inside one.
    receipt(funded, "税-V1", "100.10", D(2025, 3, 1))
    receipt(funded, "税-V2", "200.20", D(2025, 4, 1), emp="b1")
    client.force_login(personas.town_clerk)
    page = client.get(reverse("funds:index"))
    body = page.content.decode()
    assert "税-V1" in body and "税-V2" not in body and "100.10" in body
    page = client.get(reverse("funds:index"), {"received_from": "2025-03-02"})
    assert "税-V1" not in page.content.decode()
    export = client.get(reverse("funds:export_receipts"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_pending_receipt_matched_through_the_page(client, funded, personas):
    r = services.receipt_record(actor=None, org=funded.town_a, reference="P1", channel="tax", amount="300",
                                received_on=D(2025, 4, 1), uscc=valid_uscc("91430121MA4L00070"), name="甲四")
    client.force_login(personas.town_clerk)
    assert "P1" in client.get(reverse("funds:pending")).content.decode()
    response = client.post(reverse("funds:receipt_match", args=[r.pk]), {"employer": "不存在的公司"})
    assert "未找到" in response.content.decode()
    response = client.post(reverse("funds:receipt_match", args=[r.pk]), {"employer": "甲四商店"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == MatchStatus.MATCHED and r.employer == funded.emp["a4"]


def test_receipt_form_keeps_input_on_error(client, funded, personas):
    client.force_login(personas.town_clerk)
    response = client.post(reverse("funds:receipt_new"), {
        "org": funded.town_a.code, "reference": "F1", "channel": "tax", "uscc": "91430121MA4L000011",
        "name": "某公司", "amount": "12.34", "received_on": "2025-04-01"})
    body = response.content.decode()
    assert response.status_code == 200 and "校验位" in body and "某公司" in body
    assert not Receipt.objects.exists()


def test_account_masked_and_reveal_logged(client, funded, personas):
    services.formality_save(actor=None, union=funded.union_a1, bank_name="长沙银行", account="6222020012345678",
                            on=D(2025, 1, 1))
    client.force_login(personas.town_clerk)
    body = client.get(reverse("funds:formalities")).content.decode()
    assert "****5678" in body and "6222020012345678" not in body
    assert client.post(reverse("funds:formality_reveal", args=[funded.union_a1.pk]), {"reason": "核对"}).status_code == 403
    client.force_login(personas.town_admin)
    response = client.post(reverse("funds:formality_reveal", args=[funded.union_a1.pk]), {"reason": "核对返还账户"})
    assert "6222020012345678" in response.content.decode()
    assert AccessLog.objects.filter(object_type="funds.refundformality", reason="核对返还账户").exists()


def test_refund_page_four_eyes(client, funded, personas):
    receipt(funded, "R1", "1000", D(2025, 2, 1))
    services.formality_save(actor=None, union=funded.union_a1, bank_name="长沙银行", account="6222020012345678",
                            certificate_no="证1", agreement_on=D(2025, 1, 2), on=D(2025, 1, 3))
    admin = personas.town_admin
    client.force_login(admin)
    response = client.post(reverse("funds:refund_new"), {"union": funded.union_a1.code, "start": "2025-01-01",
                                                         "end": "2025-03-31", "on": "2025-04-01"})
    assert response.status_code == 302
    refund = funded.union_a1.fund_refunds.get()
    assert refund.amount == Decimal("600.00")
    client.post(reverse("funds:refund_approve", args=[refund.pk]), {"on": "2025-04-02"})
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PREPARED
    client.force_login(make_user("approver2", funded.root, "审批"))
    client.post(reverse("funds:refund_approve", args=[refund.pk]), {"on": "2025-04-02"})
    refund.refresh_from_db()
    assert refund.status == RefundStatus.APPROVED


def test_shares_page_only_for_manage(client, funded, personas):
    data = {"valid_from": "2025-01-01", "remainder": "county", "pct_grassroots": "60", "pct_county": "40"}
    client.force_login(personas.town_admin)
    assert client.get(reverse("funds:shares")).status_code == 200
    assert client.post(reverse("funds:shares"), data).status_code == 403
    client.force_login(personas.county_admin)
    bad = client.post(reverse("funds:shares"), {**data, "pct_county": "30"})
    assert "之和应为100%" in bad.content.decode()
    assert client.post(reverse("funds:shares"), data).status_code == 302
    assert SplitShare.objects.count() == 2


def test_dunning_letter_lists_the_months_in_arrears(client, funded, personas):
    import io

    from docx import Document

    services.declaration_record(actor=None, employer=funded.emp["a2"], month=D(2025, 3, 1), payroll_total="50000")
    receipt(funded, "DN1", "400", D(2025, 4, 10), emp="a2", month=D(2025, 3, 1))
    client.force_login(personas.town_clerk)
    response = client.get(reverse("funds:dunning", args=[funded.emp["a2"].pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows
                                                                 for c in r.cells)
    assert "甲二公司" in text and "600.00" in text and "2025年3月" in text
    assert client.get(reverse("funds:dunning", args=[funded.emp["b1"].pk])).status_code == 404
