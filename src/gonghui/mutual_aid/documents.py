"""The 参保单 (enrolment form) a union stamps: a Word document filled from a docxtpl template.

The built-in template is made here with python-docx (docxtpl tags in plain paragraphs and a
`{%tr for %}` row in the roster table), the way reports.default_template makes the summary's.
A federation may upload its own (FormTemplate): the nearest one up the union's tree is used. An
upload is refused unless it renders with the variables below (VARIABLES), so a broken template
is found when it is uploaded, not when a union needs its form. ID numbers are printed masked,
as everywhere outside the full-view pages.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate

from gonghui.core import clock, docx_templates

from .models import Batch, FormTemplate

# The variables a template may use (the guide lists them for the federations' own templates).
VARIABLES = {
    "plan_name": "项目名称", "no": "参保单号", "term_name": "期次", "enrolled_on": "参保日期",
    "union_name": "参保单位", "eligible": "符合条件人数", "enrolled": "参保人数", "coverage": "参保率(%)",
    "min_coverage": "项目要求的最低参保率(%)", "units": "参保份数", "unit_premium": "每份保费(元)",
    "premium": "保费合计(元)", "sum_insured": "保障金额合计(元)", "printed_on": "打印日期",
    "items": "参保人员（表格中一行一人，各人的变量见下）",
}
# What each row of `items` holds, written i.<name> inside the table's row.
ITEM_VARIABLES = {
    "row_no": "序号", "name": "姓名", "id_masked": "公民身份号码(遮蔽)", "units": "份数", "premium": "保费(元)",
    "start_on": "保障起始日", "end_on": "保障终止日", "is_renewal": "是否续保",
}

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


def sample_context() -> dict:
    """A context with every variable, for checking an uploaded template."""
    import datetime as dt
    from decimal import Decimal

    day = dt.date(2025, 3, 1)
    item = {"row_no": 1, "name": "张三", "id_masked": "430121********0021", "units": 1, "premium": Decimal("15.00"),
            "start_on": day, "end_on": dt.date(2026, 3, 1), "is_renewal": False}
    return {"plan_name": "女职工安康互助保障", "no": "HZ2025-000001", "term_name": "2025年度", "enrolled_on": day,
            "union_name": "示例公司工会", "eligible": 2, "enrolled": 2, "coverage": Decimal("100.00"),
            "min_coverage": Decimal("80.00"), "units": 2, "unit_premium": Decimal("15.00"),
            "premium": Decimal("30.00"), "sum_insured": Decimal("20000.00"), "printed_on": day,
            "items": [item, {**item, "row_no": 2, "name": "李四", "is_renewal": True}]}


def check_template(content: bytes) -> None:
    """Refuse a template that is not a Word document, has broken tags or unknown variables."""
    docx_templates.check_content(content, sample_context(), variables_hint="“参保单模板”页", document="参保单")


def template_for(org) -> tuple[bytes, str]:
    """The nearest federation's template up the tree, else the built-in one: (content, label)."""
    t = docx_templates.nearest(FormTemplate, org)
    if t is not None:
        return bytes(t.content), f"{t.org.name}：{t.name}"
    return default_template(), "系统内置模板"


def enrolment_form(batch: Batch) -> bytes:
    tpl = DocxTemplate(io.BytesIO(template_for(batch.union)[0]))
    tpl.render(context(batch), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
