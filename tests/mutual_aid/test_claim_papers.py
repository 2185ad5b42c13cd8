"""A claim's papers (uploaded to the data dir, type and size limited, downloads only with
view_sensitive and logged) and the payee's bank account (encrypted, masked, a full view logged,
never in the audit log)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.core.errors import ServiceError
from gonghui.core.models import AccessLog, AuditEvent
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import ClaimDocument

D = dt.date
PDF = b"%PDF-1.4\n% a diagnosis\n"


@pytest.fixture
def claim(women, enrol):
    item = enrol(women(n=1, names=["孙理赔"]), eligible=1).items.get()
    return services.claim_register(actor=None, item=item, registered_on=D(2025, 7, 1), diagnosis="乳腺癌",
                                   benefit_code="A", diagnosed_on=D(2025, 7, 1), hospital="县医院",
                                   treatment="surgery")


@pytest.mark.parametrize("name, content, message", [
    ("病历.exe", b"MZ\x90\x00", "不是可接受的文件类型"),
    ("诊断证明.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名 .pdf 不符"),
    ("空白.pdf", b"", "是空文件"),
])
def test_bad_papers_are_refused(claim, name, content, message):
    with pytest.raises(ServiceError, match=message):
        services.claim_document_add(actor=None, claim=claim, file=SimpleUploadedFile(name, content), kind="diagnosis")
    assert not ClaimDocument.objects.exists()


def test_a_paper_over_10_mb_is_refused(claim):
    big = SimpleUploadedFile("病理报告.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ServiceError, match="超过 10 MB"):
        services.claim_document_add(actor=None, claim=claim, file=big, kind="pathology")


def test_upload_and_logged_download(client, personas, claim, settings):
    client.force_login(personas.union_clerk)
    url = reverse("mutual_aid:claim_document_add", args=[claim.pk])
    refused = client.post(url, {"doc-kind": "invoice", "doc-file": SimpleUploadedFile("发票.gif", b"GIF89a")})
    assert "不是可接受的文件类型" in refused.content.decode()
    response = client.post(url, {"doc-kind": "diagnosis", "doc-file": SimpleUploadedFile("孙理赔诊断证明.pdf", PDF)})
    assert response.status_code == 302
    doc = ClaimDocument.objects.get()
    # Kept in the data dir under a name of our own (the member's name stays in the row).
    assert doc.file.path.startswith(str(settings.DATA_DIR)) and "孙理赔" not in doc.file.name
    page = client.get(reverse("mutual_aid:claim_detail", args=[claim.pk])).content.decode()
    assert "孙理赔诊断证明.pdf" in page and reverse("mutual_aid:claim_document", args=[doc.pk]) not in page
    download = reverse("mutual_aid:claim_document", args=[doc.pk])
    assert client.get(download).status_code in (403, 404)
    client.force_login(personas.town_clerk)  # 甲镇: in scope, but no view_sensitive
    assert client.get(download).status_code in (403, 404)
    assert not AccessLog.objects.exists()
    client.force_login(personas.county_admin)
    got = client.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "孙理赔诊断证明.pdf" in got["Content-Disposition"] or "filename*" in got["Content-Disposition"]
    assert AccessLog.objects.filter(object_type="mutual_aid.claim_document", object_id=str(doc.pk)).count() == 1
    doc.file.delete(save=False)


def test_no_paper_after_payment_or_refusal(claim, four_eyes):
    services.claim_reject(actor=four_eyes["reviewer"], claim=claim, on=D(2025, 7, 2), reason="材料不全")
    claim.refresh_from_db()
    with pytest.raises(ServiceError, match="理赔已拒付，不能再上传材料"):
        services.claim_document_add(actor=None, claim=claim, file=SimpleUploadedFile("a.pdf", PDF), kind="other")


def test_payee_account_encrypted_masked_and_logged(client, personas, claim):
    client.force_login(personas.union_clerk)
    url = reverse("mutual_aid:claim_payee", args=[claim.pk])
    refused = client.post(url, {"payee-payee_name": "孙理赔", "payee-bank_name": "工商银行", "payee-account": "12ab"})
    assert "银行账号应为8至30位数字" in refused.content.decode() and 'value="工商银行"' in refused.content.decode()
    assert client.post(url, {"payee-payee_name": "孙理赔", "payee-bank_name": "工商银行长沙县支行",
                             "payee-account": "6222 0212 3456 7890"}).status_code == 302
    claim.refresh_from_db()
    assert claim.account_masked == "****7890" and "62220212" not in claim.account_cipher
    assert claim.account_number == "6222021234567890"
    page = client.get(reverse("mutual_aid:claim_detail", args=[claim.pk])).content.decode()
    assert "****7890" in page and "6222021234567890" not in page
    logged = str(list(AuditEvent.objects.filter(action="mutual_aid.claim.payee_set").values_list("changes", flat=True)))
    assert "****7890" in logged and "62220212" not in logged
    # Keeping the number: the name and bank change, the account stays.
    client.post(url, {"payee-payee_name": "孙理赔", "payee-bank_name": "建设银行", "payee-account": ""})
    claim.refresh_from_db()
    assert (claim.bank_name, claim.account_last4) == ("建设银行", "7890")
    reveal = reverse("mutual_aid:claim_account", args=[claim.pk])
    assert client.post(reveal, {"reveal-reason": "核对"}).status_code in (403, 404)
    client.force_login(personas.county_admin)
    unreasoned = client.post(reveal, {"reveal-reason": ""}).content.decode()
    assert "6222021234567890" not in unreasoned and "查看事由" in unreasoned and not AccessLog.objects.exists()
    shown = client.post(reveal, {"reveal-reason": "核对转账信息"}).content.decode()
    assert "6222021234567890" in shown
    entry = AccessLog.objects.get(object_type="mutual_aid.claim", object_id=str(claim.pk))
    assert entry.fields == ["account"] and entry.reason == "核对转账信息"


def test_payee_service_rules(claim, personas):
    with pytest.raises(ServiceError, match="请填写银行账号"):
        services.claim_payee_set(actor=None, claim=claim, payee_name="孙理赔", bank_name="工商银行", account=None)
    with pytest.raises(PermissionDenied):
        services.claim_account_reveal(user=personas.town_clerk, claim=claim, reason="x")
