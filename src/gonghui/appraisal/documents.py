"""The 目标管理责任书 (target responsibility letter) of one subordinate: a Word document made from
the scheme, its indicators in tree order with each rule in words, and the unit's targets for the
year from the targets table (reports.Target)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

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
