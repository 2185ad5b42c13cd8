"""A federation's own 催缴通知书 template: checked on upload (not a .docx, broken tags, unknown
variables refused with the reason, nothing kept), used for the letters to the employers of its
subtree instead of the built-in one (the nearest one up the tree wins), removable."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from gonghui.funds import documents, services
from gonghui.funds.models import LetterTemplate

from .conftest import D, receipt


def _docx(*paragraphs, rows=True) -> bytes:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if rows:
        table = doc.add_table(rows=3, cols=2)
        table.rows[0].cells[0].text = "{%tr for m in months %}"
        table.rows[1].cells[0].text = "{{ m.month }}"
        table.rows[1].cells[1].text = "欠{{ m.arrears }}元"
        table.rows[2].cells[0].text = "{%tr endfor %}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _text(content: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs), [[c.text for c in r.cells] for t in doc.tables for r in t.rows]


@pytest.mark.parametrize("name, content, message", [
    ("催缴函.doc", b"\xd0\xcf\x11\xe0", "必须是 Word 文档（.docx）"),
    ("催缴函.docx", b"not a zip", "不是有效的 Word 文档"),
    ("催缴函.docx", _docx("{{ employer_name }"), "语法错误"),
    ("催缴函.docx", _docx("{{ legal_person_phone }}"), "未定义的变量：legal_person_phone"),
])
def test_a_bad_template_is_refused_and_nothing_kept(tree, name, content, message):
    with pytest.raises(ServiceError, match=message):
        services.letter_template_upload(actor=None, org=tree.root, name=name, content=content)
    assert not LetterTemplate.objects.exists()


def test_a_grass_roots_union_sets_no_template(tree):
    with pytest.raises(ServiceError, match="基层工会不能设置"):
        services.letter_template_upload(actor=None, org=tree.union_a1, name="函.docx",
                                        content=_docx("{{ employer_name }}"))


def test_the_nearest_federations_template_prints_the_letter(client, funded, personas):
    services.declaration_record(actor=None, employer=funded.emp["a2"], month=D(2025, 3, 1), payroll_total="50000")
    receipt(funded, "LT1", "400", D(2025, 4, 10), emp="a2", month=D(2025, 3, 1))
    letter = reverse("funds:dunning", args=[funded.emp["a2"].pk])
    url = reverse("funds:letter_template")

    client.force_login(personas.county_admin)
    page = client.get(url).content.decode()
    assert "系统内置模板" in page and "用人单位名称" in page and "m.arrears" in page
    refused = client.post(url, {"file": SimpleUploadedFile("县总催缴函.docx", _docx("{{ nope }}"))})
    assert refused.status_code == 400 and "未定义的变量：nope" in refused.content.decode()
    assert not LetterTemplate.objects.exists()
    county = _docx("{{ federation }}催缴函 致{{ employer_name }}（{{ uscc }}）", "合计 {{ total }}")
    assert client.post(url, {"file": SimpleUploadedFile("县总催缴函.docx", county)}).status_code == 302
    assert "长沙县总工会：县总催缴函.docx" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="funds.letter_template.uploaded").exists()

    # The township clerk (under the county) prints with the county's template…
    client.force_login(personas.town_clerk)
    text, rows = _text(b"".join(client.get(letter).streaming_content))
    assert "甲镇工会联合会催缴函 致甲二公司" in text and "合计 600.00元" in text
    assert rows == [["2025年3月", "欠600.00元"]]
    # …until the township uploads its own, nearer one; a name with & renders (escaped, not broken XML).
    town = _docx("甲镇催缴：{{ employer_name }}", rows=False)
    assert client.post(url, {"file": SimpleUploadedFile("镇催缴函.docx", town)}).status_code == 302
    funded.emp["a2"].name = "甲二&<公司>"
    funded.emp["a2"].save(update_fields=["name"])
    text, _ = _text(b"".join(client.get(letter).streaming_content))
    assert "甲镇催缴：甲二&<公司>" in text
    downloaded = b"".join(client.get(reverse("funds:letter_template_download")).streaming_content)
    assert "甲镇催缴" in _text(downloaded)[0]

    # Removing the township's falls back to the county's; the grass-roots clerk may not set one.
    client.post(url, {"remove": "1"})
    assert documents.template_for(funded.town_a)[1] == "长沙县总工会：县总催缴函.docx"
    assert AuditEvent.objects.filter(action="funds.letter_template.removed").exists()
    client.force_login(personas.union_clerk)
    refused = client.post(url, {"file": SimpleUploadedFile("函.docx", town)})
    assert refused.status_code == 400 and "基层工会不能设置" in refused.content.decode()
    client.force_login(personas.leader)
    assert client.get(url).status_code == 403  # reading funds is not setting their letters


def test_the_built_in_template_passes_its_own_check():
    documents.check_template(documents.default_template())
