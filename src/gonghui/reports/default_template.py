"""The default work-summary template, built with python-docx (docxtpl tags in plain paragraphs,
so staff can open it in Word, restyle it and upload it as their own).

    python -m gonghui.reports.default_template out.docx   writes it to a file
"""

from __future__ import annotations

import io
import sys
from functools import cache

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"

TABLE_HEADERS = ["指标", "本期", "去年同期", "增减", "年度目标", "完成率", "上报值"]
ROW_FIELDS = ["label", "value", "last_year", "change", "target", "completion", "reported"]


def set_font(target, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Word uses the eastAsia font for Chinese text: python-docx's font.name sets only the Latin
    one, so the rFonts element gets eastAsia too (ECOSYSTEM, Word report)."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), name)


def _para(doc, text: str, style: str = "Normal", align=None):
    p = doc.add_paragraph(text, style=style)
    if align is not None:
        p.alignment = align
    return p


def build() -> bytes:
    doc = Document()
    set_font(doc.styles["Normal"], BODY_FONT, 14)
    doc.styles["Normal"].paragraph_format.first_line_indent = Pt(28)
    for name, font, size in [("Title", TITLE_FONT, 22), ("Heading 1", HEADING_FONT, 16),
                             ("Heading 2", "楷体_GB2312", 15)]:
        style = doc.styles[name]
        set_font(style, font, size, bold=name != "Heading 2")
        style.font.color.rgb = None
        style.paragraph_format.first_line_indent = Pt(0) if name == "Title" else Pt(28)
    _para(doc, "{{ title }}", "Title", WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{{ intro }}")
    _para(doc, "一、主要工作", "Heading 1")
    _para(doc, "{%p for s in sections %}")
    _para(doc, "（{{ s.number }}）{{ s.group }}", "Heading 2")
    _para(doc, "{%p for t in s.paragraphs %}")
    _para(doc, "{{ t }}")
    _para(doc, "{%p endfor %}")
    table = doc.add_table(rows=3, cols=len(TABLE_HEADERS))
    table.style = "Table Grid"
    for i, h in enumerate(TABLE_HEADERS):
        table.cell(0, i).text = h
    table.cell(1, 0).text = "{%tr for r in s.rows %}"
    for i, f in enumerate(ROW_FIELDS):
        table.cell(2, i).text = "{{ r." + f + " }}"
    # The closing tag sits in a row of its own (docxtpl drops the tag rows).
    extra = table.add_row()
    extra.cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.first_line_indent = Pt(0)
                for run in p.runs:
                    set_font(run, BODY_FONT, 10.5)
    _para(doc, "{%p if s.chart %}")
    _para(doc, "{{ s.chart }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")
    _para(doc, "二、存在的问题", "Heading 1")
    _para(doc, "{%p for item in problems %}")
    _para(doc, "{{ loop.index }}. {{ item }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "三、下一步工作安排", "Heading 1")
    _para(doc, "{%p for h in next_steps %}")
    _para(doc, "{{ h }}", "Heading 2")
    _para(doc, "（请填写）")
    _para(doc, "{%p endfor %}")
    _para(doc, "{{ signature }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ signed_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@cache
def default_bytes() -> bytes:
    return build()


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "summary-template.docx", "wb") as fh:
        fh.write(build())
