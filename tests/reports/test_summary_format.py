"""The work summary in the layout of GB/T 9704-2012, read back from the .docx (python-docx and the
XML itself): A4, the margins and the 22 × 28 grid, the font and size of each style, the "— 1 —"
page numbers at the outside corners, the figure tables, the charts' alternative text; and, where
LibreOffice is installed, the PDF it prints is A4 page by page (issue 16)."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from gonghui.core.periods import Period
from gonghui.reports import services, summary
from gonghui.reports.default_template import build

H1 = Period.half(2025, 1)
FONTS_CONF = Path(__file__).resolve().parents[2] / "scripts" / "fonts-gb9704.conf"  # the Windows fonts → Noto
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1], "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def w(el, attr: str):
    return el.get(f"{W}{attr}")


@pytest.fixture
def rendered(data):
    return docx.Document(io.BytesIO(summary.render(data.tree.root, H1)))


def test_the_page_is_a4_with_the_gb9704_margins_and_a_22_by_28_grid(rendered):
    sect = rendered.sections[0]._sectPr
    size, mar, grid = (sect.find(qn(t)) for t in ("w:pgSz", "w:pgMar", "w:docGrid"))
    assert (int(w(size, "w")), int(w(size, "h"))) == (twips(210), twips(297))
    assert [int(w(mar, k)) for k in ("top", "bottom", "left", "right")] == [twips(37), twips(35), twips(28), twips(26)]
    text_w = twips(210) - twips(28) - twips(26)
    text_h = twips(297) - twips(37) - twips(35)
    assert w(grid, "type") == "lines"
    pitch = int(w(grid, "linePitch"))
    assert 22 * pitch <= text_h < 23 * pitch
    # Word's character pitch when its character grid is switched on: Normal's 16 pt plus
    # charSpace/4096 pt.
    char_pitch = 16 + int(w(grid, "charSpace")) / 4096
    assert 28 <= text_w / 20 / char_pitch < 29
    # Without it, 28 body characters (16 pt, condensed by w:spacing in twentieths of a point) fit.
    normal = rendered.styles["Normal"]
    condensed = 16 + int(w(normal.element.rPr.find(qn("w:spacing")), "val")) / 20
    assert 28 <= text_w / 20 / condensed < 29


def style_font(doc, name: str) -> tuple[str, float, bool]:
    """(eastAsia font, size in pt, bold) of a style, following basedOn as Word does."""
    style = doc.styles[name]
    east = size = bold = None
    while style is not None:
        rpr = style.element.rPr
        if rpr is not None:
            rfonts = rpr.find(qn("w:rFonts"))
            if east is None and rfonts is not None:
                assert not any("Theme" in k or "theme" in k for k in rfonts.attrib), name  # themes win over names
                east = w(rfonts, "eastAsia")
            size = size if size is not None else style.font.size
            bold = bold if bold is not None else style.font.bold
        style = style.base_style
    return east, size.pt, bool(bold)


def test_each_style_has_its_gb9704_font_and_size():
    d = docx.Document(io.BytesIO(build()))
    assert style_font(d, "Title") == ("方正小标宋简体", 22, False)
    assert style_font(d, "Normal") == ("仿宋_GB2312", 16, False)
    assert style_font(d, "Heading 1") == ("黑体", 16, False)
    assert style_font(d, "Heading 2") == ("楷体_GB2312", 16, False)
    assert style_font(d, "Heading 3") == ("仿宋_GB2312", 16, True)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        el = d.styles[name].element
        assert el.find(f".//{W}pBdr") is None, name  # no rule under the title
        assert el.find(f".//{W}color") is None, name  # black, not the theme's blue
    # Without 方正小标宋简体 on the PC Word shows the title in 宋体 (the font table's altName).
    fonts = next(r.target_part for r in d.part.rels.values() if r.reltype.endswith("/fontTable"))
    assert re.search(rb'w:name="\xe6\x96\xb9\xe6\xad\xa3[^"]*"><w:altName w:val="\xe5\xae\x8b\xe4\xbd\x93"',
                     fonts.blob)


def test_the_text_uses_the_styles_and_has_no_placeholders(rendered):
    paras = rendered.paragraphs
    assert paras[0].style.name == "Title" and paras[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    by_text = {p.text: p.style.name for p in paras}
    assert by_text["一、主要工作"] == by_text["三、下一步工作安排"] == "Heading 1"
    assert by_text["（一）组织建设"] == "Heading 2"
    assert next(p for p in paras if p.text.startswith("截至6月30日，长沙县总工会共有会员")).style.name == "Normal"
    assert not [p.text for p in paras if "请填写" in p.text]
    # 三、: every line a （一） heading in the same style, none indented on its own.
    i = [p.text for p in paras].index("三、下一步工作安排")
    steps = [p for p in paras[i + 1:] if p.text.startswith("（")]
    assert len(steps) >= 2 and {p.style.name for p in steps} == {"Heading 2"}
    assert all(p._p.pPr.find(qn("w:ind")) is None for p in steps)


def footer_parts(footer) -> tuple[str, str, object]:
    """(text, field code, alignment) of a footer's paragraph."""
    p = footer.paragraphs[0]
    code = "".join(t.text for t in p._p.iter(qn("w:instrText"))).strip()
    return p.text, code, p.alignment


def test_page_numbers_are_dashed_at_the_outside_corners(rendered):
    assert rendered.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    sect = rendered.sections[0]
    assert footer_parts(sect.footer) == ("— 1 —", "PAGE", WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    assert footer_parts(sect.even_page_footer) == ("— 1 —", "PAGE", WD_ALIGN_PARAGRAPH.LEFT)
    for footer in (sect.footer, sect.even_page_footer):
        sizes = {r.font.size.pt for r in footer.paragraphs[0].runs}
        assert sizes == {14}  # 四号


def figure_tables(doc):
    return [t for t in doc.tables if t.rows[0].cells[0].text == "指标"]


def test_tables_repeat_their_header_never_split_rows_and_right_align_numbers(rendered):
    tables = figure_tables(rendered)
    assert len(tables) >= 5
    for t in tables:
        rows = t.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
        header = [c.text for c in rows[0].cells]
        assert header[:5] == ["指标", "单位", "本期", "去年同期", "增减"]
        # No targets or reported values were set: their columns are left out, not left empty.
        assert not {"年度目标", "完成率（%）", "上报值"} & set(header)
        for r in rows[1:]:
            for c in r.cells[2:]:
                assert c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
                assert re.fullmatch(r"[+-]?[\d,.]+|—", c.text), c.text  # the unit is in its own column
        widths = [int(w(col, "w")) for col in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert widths[0] == max(widths) and sum(widths) <= twips(156) + 10
    members = next(t for t in tables if any(c.text == "会员总数" for c in t.column_cells(0)))
    row = next(r for r in members.rows if r.cells[0].text == "会员总数")
    assert [c.text for c in row.cells] == ["会员总数", "人", "7", "2", "+5"]


def test_target_and_reported_columns_appear_where_they_have_values(data):
    services.target_set(actor=None, org=data.tree.root, metric_code="members.new", year=2025, value=5)
    services.reported_set(actor=None, org=data.tree.root, metric_code="members.total", period=H1, value=8)
    d = docx.Document(io.BytesIO(summary.render(data.tree.root, H1)))
    tables = figure_tables(d)
    members = next(t for t in tables if any(c.text == "发展会员" for c in t.column_cells(0)))
    assert [c.text for c in members.rows[0].cells][5:] == ["年度目标", "完成率（%）", "上报值"]
    rows = {r.cells[0].text: [c.text for c in r.cells][5:] for r in members.rows}
    assert rows["发展会员"] == ["5", "120.00", ""] and rows["会员总数"] == ["", "", "8"]
    others = [t for t in tables if t is not members]
    assert [[c.text for c in t.rows[0].cells] for t in others if len(t.rows[0].cells) != 5] == []


def test_every_picture_has_alternative_text(rendered):
    pictures = rendered.element.body.findall(".//wp:docPr", NS)
    assert pictures
    for pr in pictures:
        assert pr.get("title", "").endswith("按下级单位")
        assert pr.get("descr", "").startswith("横向柱状图：")
    assert any("甲镇工会联合会" in pr.get("descr") for pr in pictures)  # each bar's unit and figure


def test_a_federations_own_template_still_renders(data, personas):
    """An upload made from the old default (a table with units in its cells) keeps its table as
    it was; one made from the new default gets the same layout."""
    old = docx.Document()
    old.add_paragraph("{{ title }}")
    old.add_paragraph("{%p for s in sections %}")
    table = old.add_table(rows=4, cols=3)
    for i, h in enumerate(["项目", "本期", "年度目标"]):
        table.cell(0, i).text = h
    table.cell(1, 0).text = "{%tr for r in s.rows %}"
    for i, f in enumerate(["label", "value", "target"]):
        table.cell(2, i).text = "{{ r." + f + " }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    old.add_paragraph("{%p endfor %}")
    buf = io.BytesIO()
    old.save(buf)
    services.template_upload(actor=personas.county_admin, org=data.tree.root, name="旧模板.docx",
                             content=buf.getvalue())
    d = docx.Document(io.BytesIO(summary.render(data.tree.root, H1)))
    assert d.paragraphs[0].text == "长沙县总工会2025年上半年工作总结"
    members = next(t for t in d.tables if any(c.text == "会员总数" for c in t.column_cells(0)))
    assert [c.text for c in members.rows[0].cells] == ["项目", "本期", "年度目标"]  # left as it was
    assert next(r for r in members.rows if r.cells[0].text == "会员总数").cells[1].text == "7人"

    services.template_upload(actor=personas.county_admin, org=data.tree.root, name="新模板.docx", content=build())
    d = docx.Document(io.BytesIO(summary.render(data.tree.root, H1)))
    assert all(len(t.rows[0].cells) == 5 for t in figure_tables(d))


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")),
                    reason="LibreOffice (soffice) 或 pdfinfo 未安装：bash scripts/system-deps.sh 以 root 安装 "
                           "libreoffice-writer-nogui 和 poppler-utils")
def test_libreoffice_prints_the_summary_on_a4(data, tmp_path):
    src = tmp_path / "summary.docx"
    src.write_bytes(summary.render(data.tree.root, H1))
    # A profile of its own: another soffice running (another test, a user) would take the file.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)})
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(tmp_path / "summary.pdf")],
                          check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert pages >= 2 and len(sizes) == pages
    assert {(round(float(x)), round(float(y))) for x, y in sizes} == {(595, 842)}
