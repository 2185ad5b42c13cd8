"""Documents of the appraisal line: the 目标管理责任书 (target responsibility letter) of one
subordinate, made from the scheme, its indicators in tree order with each rule in words and the
unit's targets for the year (reports.Target); and the 考核结果通报 (notice of the published
results) as an official document with a red masthead, filled from a docxtpl template made here
with python-docx like the other lines' documents."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docxtpl import DocxTemplate

from gonghui.core import clock
from gonghui.core.metrics import REGISTRY
from gonghui.reports.models import Target

from . import scoring
from .models import Appraisal, Indicator


def rule_text(ind: Indicator, target=None) -> str:
    """The scoring rule as the letter states it."""
    p, unit = ind.params or {}, (REGISTRY[ind.metric_code].unit if ind.metric_code in REGISTRY else "")
    f = scoring.fmt
    t = ind.rule_type
    if t == scoring.STEP:
        return "；".join(f"达到{f(lo)}{unit}得{f(sc)}分" for lo, sc in p.get("steps", [])) + "；低于最低一级不得分"
    if t == scoring.THRESHOLD:
        return f"达到{f(p['min'])}{unit}得满分，否则不得分"
    if t == scoring.DEDUCT:
        return f"每缺（每起）一项扣{f(p['per'])}分，扣完为止"
    if t == scoring.BONUS:
        return f"每项加{f(p['per'])}分，最多加{f(ind.max_score)}分"
    if t == scoring.RATIO:
        goal = p.get("target") or (f(target) if target is not None else "年度目标")
        return f"按完成比例计分（实际÷{goal}{unit if p.get('target') or target is not None else ''}×分值），最高得满分"
    if t == scoring.VETO:
        return "发生即一票否决（总分计0分，评为最低等次）"
    return "由考核组评分，须提供佐证材料"


def charter(appraisal: Appraisal) -> bytes:
    scheme = appraisal.scheme
    indicators = list(Indicator.objects.filter(scheme=scheme).select_related("parent"))
    targets = {t.metric_code: t.value for t in Target.objects.filter(
        org=appraisal.org, year=scheme.year, metric_code__in=[i.metric_code for i in indicators if i.metric_code])}
    kids: dict = {}
    for i in indicators:
        kids.setdefault(i.parent_id, []).append(i)
    ordered = []

    def walk(parent, depth):
        for i in sorted(kids.get(parent, []), key=lambda x: (x.position, x.pk)):
            ordered.append((i, depth))
            walk(i.pk, depth + 1)

    walk(None, 0)
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{scheme.year}年度目标管理责任书")
    run.bold, run.font.size = True, Pt(18)
    doc.add_paragraph(f"甲方：{scheme.org.name}")
    doc.add_paragraph(f"乙方：{appraisal.org.name}")
    doc.add_paragraph(f"为完成{scheme.year}年度工会工作目标任务，根据《{scheme.title}》，甲乙双方签订本责任书。"
                      f"考核满分{scoring.fmt(scheme.total_score)}分，等次为："
                      + "；".join(f"{name}（{scoring.fmt(lo)}分以上）" for name, lo in scheme.grades) + "。")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("编号", "考核指标", "分值", "年度目标", "计分标准"), strict=True):
        cell.text = text
    for ind, depth in ordered:
        m = REGISTRY.get(ind.metric_code)
        target = targets.get(ind.metric_code)
        cells = table.add_row().cells
        cells[0].text = ind.code
        cells[1].text = "　" * depth + ind.name + (f"（取数：{m.label}）" if m else "")
        cells[2].text = scoring.fmt(ind.max_score)
        cells[3].text = f"{scoring.fmt(target)}{m.unit}" if target is not None and m else "—"
        cells[4].text = "" if kids.get(ind.pk) else rule_text(ind, target)
    doc.add_paragraph("")
    doc.add_paragraph("本责任书一式两份，甲乙双方各执一份，自签订之日起生效。")
    doc.add_paragraph(f"甲方（盖章）：{scheme.org.name}　　　　乙方（盖章）：{appraisal.org.name}")
    doc.add_paragraph("负责人签字：　　　　　　　　　　负责人签字：")
    doc.add_paragraph("日期：　　年　　月　　日　　　　日期：　　年　　月　　日")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- 考核结果通报

RED = RGBColor(0xC0, 0x00, 0x00)
NOTICE_COLUMNS = ("名次", "单位", "总分", "等次", "备注")


def _font(run, name: str, size: float, bold: bool = False, color=None) -> None:
    run.font.name, run.font.size, run.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _red_rule(paragraph) -> None:
    """The red line under the masthead: the paragraph's bottom border."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def notice_template() -> bytes:
    """The built-in template: red masthead (issuer + 文件), document number, red rule, title in
    小标宋-style bold, body in 仿宋, the ranking table, the issuer and date at the right."""
    doc = Document()
    for section in doc.sections:
        section.top_margin, section.bottom_margin = Pt(105), Pt(100)
        section.left_margin, section.right_margin = Pt(80), Pt(75)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(head.add_run("{{ issuer }}文件"), "方正小标宋简体", 36, True, RED)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run("{{ doc_no }}"), "仿宋_GB2312", 16)
    _red_rule(number)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run("关于{{ year }}年度{{ target }}目标管理考核结果的通报"), "方正小标宋简体", 22, True)
    _font(doc.add_paragraph().add_run("各{{ target }}："), "仿宋_GB2312", 16)
    body = doc.add_paragraph()
    body.paragraph_format.first_line_indent = Pt(32)
    _font(body.add_run(
        "根据《{{ scheme_title }}》，{{ issuer }}对{{ count }}个{{ target }}{{ year }}年度目标管理工作进行了考核。"
        "考核满分{{ total_score }}分，经各单位自评、考核组审核评分，现将考核结果通报如下："
        "{% for g in grade_counts %}{{ g.name }}{{ g.count }}个{% if not loop.last %}，{% endif %}{% endfor %}。"),
        "仿宋_GB2312", 16)
    table = doc.add_table(rows=4, cols=len(NOTICE_COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, NOTICE_COLUMNS, strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for r in rows %}"
    for cell, text in zip(table.rows[2].cells, ("{{ r.rank }}", "{{ r.name }}", "{{ r.total }}", "{{ r.grade }}",
                                                "{{ r.note }}"), strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    closing = doc.add_paragraph()
    closing.paragraph_format.first_line_indent = Pt(32)
    _font(closing.add_run("希望受到表彰的单位再接再厉，其他单位对照考核细则查找差距、认真整改，"
                          "推动工会工作再上新台阶。"), "仿宋_GB2312", 16)
    doc.add_paragraph("")
    for text in ("{{ issuer }}", "{{ dated }}"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(text), "仿宋_GB2312", 16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def notice_context(scheme, result) -> dict:
    from .models import TargetKind

    target = {TargetKind.TOWNSHIP: "乡镇(街道)工会", TargetKind.GRASSROOTS: "基层工会"}.get(
        scheme.target_type, "下级工会")
    rows, counts = [], {}
    for r in result.rows:  # a published scheme scores from the values it was published with
        grade = r.outcome.grade
        counts[grade] = counts.get(grade, 0) + 1
        vetoed = "、".join(r.outcome.vetoed_by)
        rows.append({"rank": r.rank, "name": r.appraisal.org.name, "total": scoring.fmt(r.outcome.total),
                     "grade": grade, "note": f"一票否决：{vetoed}" if vetoed else ""})
    day = scheme.published_on or clock.today()
    short = scheme.org.short_name or scheme.org.name
    return {
        "issuer": scheme.org.name, "doc_no": f"{short}发〔{day.year}〕　　号", "year": scheme.year, "target": target,
        "scheme_title": scheme.title, "count": len(rows), "total_score": scoring.fmt(scheme.total_score),
        "grade_counts": [{"name": name, "count": counts[name]} for name, _ in scheme.grades if counts.get(name)],
        "rows": rows, "dated": f"{day:%Y年%-m月%-d日}",
    }


def results_notice(scheme) -> bytes:
    """考核结果通报 of a published scheme (the ranking, totals and grades as published)."""
    from .live import score_scheme

    tpl = DocxTemplate(io.BytesIO(notice_template()))
    tpl.render(notice_context(scheme, score_scheme(scheme)))
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
