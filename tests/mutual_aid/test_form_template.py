"""A federation's own 参保单 template: checked on upload (not a .docx, broken tags, unknown
variables refused), used for its subtree's batches instead of the built-in one, removable."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from gonghui.mutual_aid import documents, services
from gonghui.mutual_aid.models import FormTemplate


def _docx(*paragraphs, rows=True) -> bytes:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if rows:
        table = doc.add_table(rows=3, cols=2)
        table.rows[0].cells[0].text = "{%tr for i in items %}"
        table.rows[1].cells[0].text = "{{ i.name }}"
        table.rows[1].cells[1].text = "{{ i.units }}份"
        table.rows[2].cells[0].text = "{%tr endfor %}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("参保单.doc", b"\xd0\xcf\x11\xe0", "必须是 Word 文档（.docx）"),
    ("参保单.docx", b"not a zip", "不是有效的 Word 文档"),
    ("参保单.docx", _docx("{{ union_name }"), "语法错误"),
    ("参保单.docx", _docx("{{ member_phone }}"), "未定义的变量：member_phone"),
])
def test_a_bad_template_is_refused(tree, name, content, message):
    with pytest.raises(ServiceError, match=message):
        services.form_template_upload(actor=None, org=tree.root, name=name, content=content)
    assert not FormTemplate.objects.exists()


def test_the_federations_template_is_used_below_it(client, tree, personas, women, enrol):
    batch = enrol(women(n=1, names=["周模板"]), eligible=1)
    client.force_login(personas.county_admin)
    url = reverse("mutual_aid:form_template")
    assert "系统内置模板" in client.get(url).content.decode()
    refused = client.post(url, {"file": SimpleUploadedFile("我的模板.docx", _docx("{{ nope }}"))})
    assert refused.status_code == 400 and "未定义的变量：nope" in refused.content.decode()
    own = _docx("{{ union_name }}互助保障参保确认书", "编号 {{ no }}，保费 {{ premium }} 元")
    assert client.post(url, {"file": SimpleUploadedFile("县总参保单.docx", own)}).status_code == 302
    assert "长沙县总工会：县总参保单.docx" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="mutual_aid.template.uploaded").exists()
    # A union clerk of 甲一 (under the county) prints with it.
    client.force_login(personas.union_clerk)
    response = client.get(reverse("mutual_aid:batch_docx", args=[batch.pk]))
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "甲一公司工会互助保障参保确认书" in text and f"编号 {batch.no}，保费 15.00 元" in text
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["周模板", "1份"]
    assert client.get(url).status_code == 403  # setting templates is the plan-setter's
    client.force_login(personas.county_admin)
    client.post(url, {"remove": "1"})
    assert not FormTemplate.objects.exists()
    assert documents.template_for(tree.union_a1)[1] == "系统内置模板"


def test_the_built_in_template_passes_its_own_check():
    documents.check_template(documents.default_template())
