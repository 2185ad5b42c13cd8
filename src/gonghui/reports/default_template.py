"""The default work-summary template, built with python-docx (docxtpl tags in plain paragraphs,
so staff can open it in Word, restyle it and upload it as their own).

The layout is GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm (top, bottom, left,
right), 22 lines of 28 characters, title 二号 小标宋, body 三号 仿宋_GB2312, headings 一、 黑体,
（一） 楷体_GB2312, 1. 仿宋 bold, page numbers 四号 "— 1 —" at the outside corners.

    python -m gonghui.reports.default_template out.docx   writes it to a file
"""

from __future__ import annotations

import io
import math
import sys
from functools import cache

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
# Word shows a missing font with its fontTable altName: a PC without the 方正 or _GB2312 fonts
# (most have only the Windows ones) still gets 宋体, 仿宋, 楷体 instead of a default Latin face.
ALT_FONTS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING2_FONT: "楷体", HEADING_FONT: "黑体", "宋体": "SimSun"}

TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE, TABLE_SIZE = 22, 16, 14, 10.5  # 二号, 三号, 四号, 五号

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
FOOTER_DISTANCE = Mm(22)  # the page number's top 7 mm under the type area: 35 − 7 − one 四号 line
LINES, CHARS = 22, 28


def twips(length) -> int:
    return round(length.pt * 20)


TEXT_W = twips(PAGE_W) - twips(MARGIN_LEFT) - twips(MARGIN_RIGHT)  # 8844 twips, 156 mm
TEXT_H = twips(PAGE_H) - twips(MARGIN_TOP) - twips(MARGIN_BOTTOM)  # 12756 twips, 225 mm
# Word's document grid: lines every linePitch twips; characters every (Normal's East Asian size +
# charSpace/4096) pt. Both rounded down, or the 22nd line or the 28th character no longer fits.
LINE_PITCH = TEXT_H // LINES  # 579
CHAR_SPACE = math.floor((TEXT_W / 20 / CHARS - BODY_SIZE) * 4096)  # -849
CONDENSE = math.floor((TEXT_W / CHARS) - BODY_SIZE * 20)  # -5 twentieths of a point
# A line grid: 22 lines in Word and LibreOffice alike. The 28 characters come from the body's
# characters set 0.25 pt closer (CONDENSE), not from a character grid ("linesAndChars"):
# LibreOffice gives a 16 pt character two cells of a 15.79 pt grid and snaps every run of digits
# to whole cells, which spreads lines and breaks them early ("截至6 月30 日，…"). charSpace stays
# in the grid, so choosing 指定行和字符网格 in Word's 页面设置 shows 28 characters a line.
GRID_TYPE = "lines"

TABLE_HEADERS = ["指标", "单位", "本期", "去年同期", "增减", "年度目标", "完成率（%）", "上报值"]
ROW_FIELDS = ["label", "unit", "num", "last_year_num", "change_num", "target_num", "completion_num", "reported_num"]
# Columns the summary leaves out of a table when none of its rows has a value in them
# (summary.drop_empty_columns): without targets or reported values they would stand empty.
OPTIONAL_HEADERS = ("年度目标", "完成率（%）", "上报值")
# Twips of each column in the template (the summary fits them to their content): 单位 and the
# numbers narrow, the label the rest of the 156 mm.
UNIT_W, NUMBER_W = 660, 930
MIN_LABEL_W = 8 * 210 + 256  # 8 characters of 五号 and the cell margins
TABLE_WIDTHS = [TEXT_W - UNIT_W - 6 * NUMBER_W, UNIT_W] + [NUMBER_W] * 6

# The order Word requires of these elements' children (it refuses a file that breaks it).
CHILD_ORDER = {
    "w:pPr": ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"],
    "w:rPr": ["w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
              "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
              "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight",
              "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"],
    "w:trPr": ["w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
               "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"],
}


def _strip_theme_fonts(rpr) -> None:
    """Theme font attributes (asciiTheme, eastAsiaTheme…) win over the named fonts in Word, so
    python-docx's default styles would keep Calibri/MS Mincho whatever the names say."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is not None:
        for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)


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
    _strip_theme_fonts(rpr)
    rpr.find(qn("w:rFonts")).set(qn("w:eastAsia"), name)


def _set(parent, tag: str, **attrs) -> object:
    """The child `tag` of `parent` (created in its schema place when absent) with these w:
    attributes."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        order = CHILD_ORDER.get(parent.tag.replace(qn("w:"), "w:"), [])
        later = {qn(t) for t in order[order.index(tag) + 1:]} if tag in order else set()
        nxt = next((c for c in parent if c.tag in later), None)
        if nxt is None:
            parent.append(el)
        else:
            nxt.addprevious(el)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def _indent(ppr, first_chars: int = 0, left_chars: int = 0, right_chars: int = 0) -> None:
    """Indents in characters (w:*Chars, hundredths of a character) as Word's 首行缩进 2 字符 does,
    with the twips equivalent for readers that ignore the Chars attributes."""
    unit = BODY_SIZE * 20
    ind = _set(ppr, "w:ind", firstLineChars=first_chars, firstLine=first_chars * unit // 100,
               leftChars=left_chars, left=left_chars * unit // 100,
               rightChars=right_chars, right=right_chars * unit // 100)
    ind.attrib.pop(qn("w:hanging"), None)


def _style(doc, name: str, font: str, size: float, bold: bool, first_chars: int = 200):
    style = doc.styles[name]
    set_font(style, font, size, bold=bold)
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:spacing", "w:kern", "w:bCs"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing", "w:spacing"):  # no rule under the title
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)
    _set(ppr, "w:spacing", before=0, after=0, line=240, lineRule="auto")
    _indent(ppr, first_chars)
    return style


def _page_setup(doc) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = PAGE_W, PAGE_H
    sec.top_margin, sec.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    sec.left_margin, sec.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    sec.header_distance, sec.footer_distance = Mm(15), FOOTER_DISTANCE
    _set(sec._sectPr, "w:docGrid", type=GRID_TYPE, linePitch=LINE_PITCH, charSpace=CHAR_SPACE)
    # Odd pages' numbers at the right, even pages' at the left: the outside corners when printed
    # on both sides (GB/T 9704 7.5).
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(sec.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(sec.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _run(p, text: str = ""):
    r = p.add_run(text)
    set_font(r, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    return r


def _page_number(p, align) -> None:
    """"— 1 —": a PAGE field between em dashes, 一字 in from the outside edge."""
    p.alignment = align
    ppr = p._p.get_or_add_pPr()
    _set(ppr, "w:snapToGrid", val=0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        _indent(ppr, right_chars=100)
    else:
        _indent(ppr, left_chars=100)
    _run(p, "— ")
    for kind in ("begin", None, "separate", "1", "end"):
        r = _run(p)
        if kind is None:
            r._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
        elif kind == "1":
            r.text = "1"
        else:
            r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))
    _run(p, " —")


def _font_table(doc) -> None:
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = parse_xml(part.blob)
    for name, alt in ALT_FONTS.items():
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{"modern" if name == HEADING_FONT else "roman"}"/><w:pitch w:val="variable"/></w:font>'))
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _defaults(doc) -> None:
    """Document defaults without theme fonts, 10 pt spacing or English language: Chinese text."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _strip_theme_fonts(rpr)
    _set(rpr, "w:rFonts", ascii=BODY_FONT, hAnsi=BODY_FONT, eastAsia=BODY_FONT)
    _set(rpr, "w:lang", val="en-US", eastAsia="zh-CN")
    # The character grid is measured from this size in LibreOffice (from Normal's in Word): the
    # same 三号 in both, or LibreOffice spreads every line to half its characters.
    _set(rpr, "w:sz", val=BODY_SIZE * 2)
    _set(rpr, "w:szCs", val=BODY_SIZE * 2)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set(ppr, "w:spacing", after=0, line=240, lineRule="auto")


def _para(doc, text: str, style: str = "Normal", align=None, first_chars: int | None = None, **ind):
    p = doc.add_paragraph(text, style=style)
    if align is not None:
        p.alignment = align
    if first_chars is not None or ind:
        _indent(p._p.get_or_add_pPr(), first_chars or 0, **ind)
    return p


def _table(doc) -> None:
    """The figures of a section: a header row repeated on every page, rows that never split
    across a page, numbers right-aligned (their unit in the 单位 column, not in each cell)."""
    table = doc.add_table(rows=3, cols=len(TABLE_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    _set(tblpr, "w:tblW", w=TEXT_W, type="dxa")
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), TABLE_WIDTHS, strict=True):
        col.set(qn("w:w"), str(w))
    for i, h in enumerate(TABLE_HEADERS):
        table.cell(0, i).text = h
    table.cell(1, 0).text = "{%tr for r in s.rows %}"
    for i, f in enumerate(ROW_FIELDS):
        table.cell(2, i).text = "{{ r." + f + " }}"
    # The closing tag sits in a row of its own (docxtpl drops the tag rows).
    extra = table.add_row()
    extra.cells[0].text = "{%tr endfor %}"
    for n, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        _set(trpr, "w:cantSplit")
        if n == 0:
            _set(trpr, "w:tblHeader")
        for i, cell in enumerate(row.cells):
            cell.width = TABLE_WIDTHS[i]
            for p in cell.paragraphs:
                ppr = p._p.get_or_add_pPr()
                _indent(ppr)
                _set(ppr, "w:snapToGrid", val=0)  # table lines at their own height, not the 三号 grid's
                if n == 0 or i == 1:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif i > 1:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in p.runs:
                    set_font(run, BODY_FONT, TABLE_SIZE, bold=n == 0)


def build() -> bytes:
    doc = Document()
    _defaults(doc)
    _page_setup(doc)
    _font_table(doc)
    normal = _style(doc, "Normal", BODY_FONT, BODY_SIZE, False)
    # Characters 0.25 pt closer: GB/T's 28 a line are 15.79 pt apart for 16 pt type (GRID_TYPE).
    _set(normal.element.get_or_add_rPr(), "w:spacing", val=CONDENSE)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # 两端对齐, as Word's 公文 templates
    title = _style(doc, "Title", TITLE_FONT, TITLE_SIZE, False, first_chars=0)
    # 空一行 under the title (GB/T 9704 7.3.3); its 22 pt characters would take two grid cells each.
    _set(title.element.get_or_add_pPr(), "w:spacing", after=LINE_PITCH)
    _set(title.element.get_or_add_pPr(), "w:snapToGrid", val=0)
    for name, font, bold in [("Heading 1", HEADING_FONT, False), ("Heading 2", HEADING2_FONT, False),
                             ("Heading 3", BODY_FONT, True)]:
        _style(doc, name, font, BODY_SIZE, bold)
    _para(doc, "{{ title }}", "Title", WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{{ intro }}")
    _para(doc, "一、主要工作", "Heading 1")
    _para(doc, "{%p for s in sections %}")
    _para(doc, "（{{ s.number }}）{{ s.group }}", "Heading 2")
    _para(doc, "{%p for t in s.paragraphs %}")
    _para(doc, "{{ t }}")
    _para(doc, "{%p endfor %}")
    _table(doc)
    _para(doc, "{%p if s.chart %}")
    _para(doc, "{{ s.chart }}", align=WD_ALIGN_PARAGRAPH.CENTER, first_chars=0)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")
    _para(doc, "二、存在的问题", "Heading 1")
    _para(doc, "{%p for item in problems %}")
    # Body text, not the 1. heading style: each item is a whole sentence the writer keeps or edits.
    _para(doc, "{{ loop.index }}. {{ item }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "三、下一步工作安排", "Heading 1")
    _para(doc, "{%p for h in next_steps %}")
    _para(doc, "{{ h }}", "Heading 2")
    _para(doc, "{%p endfor %}")
    # 落款 and date 右空四字 (GB/T 9704 7.3.5), two lines under the text.
    sig = _para(doc, "{{ signature }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=400)
    _set(sig._p.get_or_add_pPr(), "w:spacing", before=2 * LINE_PITCH)
    _para(doc, "{{ signed_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=400)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@cache
def default_bytes() -> bytes:
    return build()


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "summary-template.docx", "wb") as fh:
        fh.write(build())
