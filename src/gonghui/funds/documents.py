"""The 工会经费催缴通知书 (dunning letter) to an employer in arrears: a Word document filled from a
docxtpl template, made here with python-docx like the other lines' documents."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db.models import F
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate

from gonghui.core import clock
from gonghui.core.money import format_money

from .models import Declaration
from .services import late_fee

COLUMNS = ("所属期", "工资总额(元)", "应缴(元)", "已缴(元)", "欠缴(元)", "滞纳金(元)")


def default_template() -> bytes:
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("工会经费催缴通知书")
    run.bold, run.font.size = True, Pt(16)
    doc.add_paragraph("{{ employer_name }}：")
    doc.add_paragraph("根据《中华人民共和国工会法》第四十三条，建立工会组织的用人单位应按每月全部职工工资总额的百分之二"
                      "向工会拨缴经费（未建立工会的缴纳工会筹备金）。经核对，截至{{ as_of }}，贵单位以下月份的"
                      "工会经费尚未缴足，合计欠缴 {{ total }}{% if fees %}，按规定计收滞纳金 {{ fees }}{% endif %}：")
    table = doc.add_table(rows=4, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for m in months %}"
    for cell, text in zip(table.rows[2].cells, ("{{ m.month }}", "{{ m.payroll }}", "{{ m.due }}", "{{ m.paid }}",
                                                "{{ m.arrears }}", "{{ m.fee }}"), strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("请于收到本通知之日起十五日内补缴。逾期不缴的，工会可依照《工会法》第四十四条向人民法院申请"
                      "支付令，并可按规定加收滞纳金。")
    doc.add_paragraph("统一社会信用代码：{{ uscc }}")
    doc.add_paragraph("")
    doc.add_paragraph("{{ federation }}（盖章）")
    doc.add_paragraph("{{ printed_on }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def arrears_rows(employer, as_of):
    return Declaration.objects.filter(employer=employer, due__gt=F("paid"), month__lte=as_of).order_by("month")


def dunning_letter(employer, as_of=None) -> bytes:
    as_of = as_of or clock.today()
    rows = list(arrears_rows(employer, as_of))
    total = sum((d.due - d.paid for d in rows), Decimal("0.00"))
    fees = {d.pk: late_fee(d, as_of) for d in rows}
    fee_total = sum(fees.values(), Decimal("0.00"))
    tpl = DocxTemplate(io.BytesIO(default_template()))
    tpl.render({
        "employer_name": employer.name, "uscc": employer.uscc or "—", "as_of": f"{as_of:%Y年%-m月%-d日}",
        "total": format_money(total), "fees": format_money(fee_total) if fee_total else "", "federation": employer.org.name, "printed_on": f"{clock.today():%Y年%-m月%-d日}",
        "months": [{"month": f"{d.month:%Y年%-m月}", "payroll": d.payroll_total, "due": d.due, "paid": d.paid,
                    "arrears": d.due - d.paid, "fee": fees[d.pk]} for d in rows],
    })
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
