"""The 参保单 (enrolment form) a union stamps: a Word document filled from a docxtpl template.

The built-in template is made here with python-docx (docxtpl tags in plain paragraphs and a
`{%tr for %}` row in the roster table), the way reports.default_template makes the summary's.
ID numbers are printed masked, as everywhere outside the full-view pages.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate

from gonghui.core import clock

from .models import Batch

COLUMNS = ("序号", "姓名", "公民身份号码", "份数", "保费(元)", "保障期", "续保")


def default_template() -> bytes:
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ plan_name }}参保单")
    run.bold, run.font.size = True, Pt(16)
    doc.add_paragraph("参保单号：{{ no }}　　期次：{{ term_name }}　　参保日期：{{ enrolled_on }}")
    doc.add_paragraph("参保单位（盖章）：{{ union_name }}")
    doc.add_paragraph("符合条件人数：{{ eligible }} 人　　参保人数：{{ enrolled }} 人　　参保率：{{ coverage }}%"
                      "（项目要求不低于 {{ min_coverage }}%）")
    doc.add_paragraph("参保份数：{{ units }} 份　　每份保费：{{ unit_premium }} 元　　保费合计：{{ premium }} 元"
                      "　　保障金额合计：{{ sum_insured }} 元")
    table = doc.add_table(rows=4, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for i in items %}"
    values = ("{{ i.row_no }}", "{{ i.name }}", "{{ i.id_masked }}", "{{ i.units }}", "{{ i.premium }}",
              "{{ i.start_on }}至{{ i.end_on }}", "{% if i.is_renewal %}是{% else %}否{% endif %}")
    for cell, text in zip(table.rows[2].cells, values, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("")
    doc.add_paragraph("经办人：__________　　工会负责人：__________　　（工会盖章）　　{{ printed_on }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def context(batch: Batch) -> dict:
    plan = batch.term.plan
    return {
        "plan_name": plan.name, "no": batch.no, "term_name": batch.term.name, "enrolled_on": batch.enrolled_on,
        "union_name": batch.union.name, "eligible": batch.eligible_count, "enrolled": batch.enrolled_count,
        "coverage": batch.coverage_rate if batch.coverage_rate is not None else "—", "min_coverage": plan.min_coverage,
        "units": batch.units_total, "unit_premium": plan.unit_premium, "premium": batch.premium_total,
        "sum_insured": batch.sum_insured_total, "printed_on": clock.today(),
        "items": list(batch.items.order_by("row_no", "pk").values(
            "row_no", "name", "id_masked", "units", "premium", "start_on", "end_on", "is_renewal")),
    }


def enrolment_form(batch: Batch) -> bytes:
    tpl = DocxTemplate(io.BytesIO(default_template()))
    tpl.render(context(batch))
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
