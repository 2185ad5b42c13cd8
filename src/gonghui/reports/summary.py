"""The work summary (工作总结) draft: a docxtpl Word template filled from the metric registry.

The context (documented in docs/summary-template.md) holds the title and period, one section per
metric group present in the registry with sentences carrying the figures, a table and a chart,
problems suggested from the data, and headings for next year's plans.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from decimal import Decimal

from django.utils import timezone

from gonghui.core import clock, docx_templates, figcache
from gonghui.core.metrics import HIGHER_BETTER, LOWER_BETTER, NEUTRAL, REGISTRY, SENTENCES, Value
from gonghui.core.metrics import groups as metric_groups
from gonghui.core.money import format_money
from gonghui.core.periods import Period
from gonghui.orgs.selectors import paths_remembered

from . import charts as drawing
from . import figures as F
from .default_template import MIN_LABEL_W, OPTIONAL_HEADERS, TABLE_HEADERS, TABLE_SIZE, TEXT_W, default_bytes
from .models import SummaryTemplate
from .tables import locked_breakdown

CHINESE_NUMBERS = "一二三四五六七八九十"
LOW_RATE_SHOWN = 3
CHART_MAX_BARS = 20  # a chart's bars: the largest subordinates, the others summed in the last

logger = logging.getLogger(__name__)


def section_number(i: int) -> str:
    if i < 10:
        return CHINESE_NUMBERS[i]
    return "十" + (CHINESE_NUMBERS[i - 10] if i > 10 else "") if i < 20 else str(i + 1)


def _delta(change, unit: str) -> str:
    if change is None or change == 0:
        return "持平" if change == 0 else ""
    word = "增加" if change > 0 else "减少"
    if unit == "%":
        return f"{word}{abs(change)}个百分点"
    return f"{word}{F.fmt_number(abs(change), unit)}"


def title_for(org, period: Period) -> str:
    # As the seeds do: a summary "至12月10日" is still the year's summary.
    y = period.end.year
    if period.start == dt.date(y, 1, 1):
        return f"{org.name}{y}年{'上半年' if period.end <= dt.date(y, 6, 30) else ''}工作总结"
    if period == Period.half(y, 2):
        return f"{org.name}{y}年下半年工作总结"
    return f"{org.name}工作总结（{period.label}）"


UNIT_WORDS = {"人数": "人", "户数": "户", "人次": "人次"}  # "帮扶户数12户" reads "帮扶12户"


def phrase(m) -> str:
    """How the figure reads before its value in a sentence: its declared phrase, else its label
    without a counting word its unit repeats ("送温暖慰问人数：困难职工" → "送温暖慰问困难职工",
    "金秋助学金额：高中阶段" → "高中阶段金秋助学金额")."""
    if m.phrase:
        return m.phrase
    head, _, tail = m.label.partition("：")
    for word, unit in UNIT_WORDS.items():
        if head.endswith(word) and m.unit == unit:
            head = head[: -len(word)]
    if not tail:
        return head
    return tail + head if head.endswith("金额") else head + tail


def noun(m) -> str:
    """The figure as the subject of a comparison ("发展会员增加4人"): its label, or its phrase for
    a label in two parts."""
    return phrase(m) if "：" in m.label else m.label


def _count_clauses(figs: list[F.Figure]) -> list[str]:
    """"共有会员7人（其中女会员2人、农民工会员1人）": each figure that is not zero by its phrase,
    its declared parts (Metric.part_of) in brackets after it; a part of a part is left to the
    table."""
    codes = {f.metric.code for f in figs}
    parts: dict[str, list[F.Figure]] = {}
    for f in figs:
        if f.metric.part_of in codes:
            parts.setdefault(f.metric.part_of, []).append(f)
    out = []
    for f in figs:
        if f.metric.is_rate or f.value.value in (None, 0) or f.metric.part_of in codes:
            continue
        text = f"{phrase(f.metric)}{F.fmt_number(f.value.value, f.metric.unit)}"
        inner = [p for p in parts.get(f.metric.code, []) if p.value.value not in (None, 0)]
        if inner:
            text += "（其中" + "、".join(f"{phrase(p.metric)}{F.fmt_number(p.value.value, p.metric.unit)}"
                                       for p in inner) + "）"
        out.append(text)
    return out


def section_paragraphs(org, period: Period, figs: list[F.Figure]) -> list[str]:
    """Sentences in the seeds' manner: "截至6月30日，全县新建基层工会163家，发展会员4481人。":
    each figure by its phrase, never "label：value"; a rate "达" its value when higher is better,
    "为" it otherwise (a share is no achievement)."""
    lead = F.cutoff_phrase(period)
    writer = SENTENCES.get(figs[0].metric.group) if figs else None
    covered = getattr(writer, "covers", frozenset())
    clauses = _count_clauses([f for f in figs if f.metric.code not in covered])
    counts = [f for f in figs if not f.metric.is_rate and f.value.value not in (None, 0) and not f.metric.part_of]
    rates = [f for f in figs if f.metric.is_rate and f.value.value is not None]
    out = []
    if clauses:
        out.append(f"{lead}，{org.name}" + "，".join(clauses) + "。")
    if rates:
        out.append("；".join(
            f"{f.metric.label}{'达' if f.metric.direction == HIGHER_BETTER else '为'}{F.fmt_number(f.value.value, '%')}"
            + (f"（{f.value.numerator}÷{f.value.denominator}）" if f.value.denominator else "")
            for f in rates) + "。")
    compared = [(f, f.change) for f in counts + rates if f.change and f.last_year is not None]
    if compared:
        out.append("与去年同期相比，" + "，".join(
            f"{noun(f.metric)}{_delta(c, f.metric.unit)}" for f, c in compared) + "。")
    targeted = [f for f in figs if f.completion is not None]
    if targeted:
        out.append("年度目标完成情况：" + "，".join(
            f"{noun(f.metric)}目标{F.fmt_number(f.target, f.metric.unit)}，完成{f.completion}%"
            if not f.metric.is_rate else
            f"{noun(f.metric)}目标{f.target}%，实际{F.fmt_number(f.value.value, '%')}"
            for f in targeted) + "。")
    if writer is not None:
        out += writer(org, period)
    if not out:
        out.append(f"{lead}，本项工作暂无统计数据。")
    return out


def _plain(value, unit: str) -> str:
    """A table cell's number without its unit (the table's 单位 column says it): 4481, 97.08,
    364,500.00 for 元."""
    return format_money(value, "") if unit == "元" and value is not None else F.fmt_number(value, "")


def table_rows(figs: list[F.Figure]) -> list[dict]:
    """A row per figure. value…reported carry the unit ("4481人", for sentences and older
    templates); the *_num fields are the bare numbers of the default template's table."""
    rows = []
    for f in figs:
        u = f.metric.unit
        rows.append({
            "code": f.metric.code, "label": f.metric.label, "unit": u,
            "value": F.fmt_number(f.value.value, u),
            "last_year": F.fmt_number(f.last_year.value, u) if f.last_year else "—",
            "change": "—" if f.change is None else _delta(f.change, u),
            "target": "" if f.target is None else F.fmt_number(f.target, u),
            "completion": "" if f.completion is None else f"{f.completion}%",
            "reported": "" if f.reported is None else F.fmt_number(f.reported, u),
            "num": _plain(f.value.value, u),
            "last_year_num": _plain(f.last_year.value, u) if f.last_year else "—",
            "change_num": "—" if f.change is None else ("+" if f.change > 0 else "-" if f.change < 0 else "")
            + _plain(abs(f.change), u),
            "target_num": "" if f.target is None else _plain(f.target, u),
            "completion_num": "" if f.completion is None else str(f.completion),
            "reported_num": "" if f.reported is None else _plain(f.reported, u),
        })
    return rows


def chart_bars(b: F.Breakdown) -> list[tuple[str, float]]:
    """(label, value) of each bar: the own level when not zero, each subordinate in tree order.
    A township's 75 unions make neither a readable chart nor a quick one (drawing costs per label):
    beyond CHART_MAX_BARS the largest keep their bars, in tree order, and the others share the last
    one (only additive figures are charted, so their sum means something)."""
    bars = [(p.label, float(p.value.value or 0)) for p in b.parts if not p.own or (p.value.value or 0)]
    if len(bars) <= CHART_MAX_BARS:
        return bars
    keep = set(sorted(range(len(bars)), key=lambda i: -bars[i][1])[:CHART_MAX_BARS - 1])
    rest = [v for i, (_, v) in enumerate(bars) if i not in keep]
    return [bar for i, bar in enumerate(bars) if i in keep] + [(f"其余{len(rest)}个单位", sum(rest))]


def chart_title(b: F.Breakdown) -> str:
    return f"{b.metric.label}（{b.metric.unit}）按下级单位"


def chart_description(b: F.Breakdown) -> str:
    """The chart's alternative text: what it shows and every bar's figure, for a screen reader
    (and for Word's 可选文字)."""
    return (f"横向柱状图：{chart_title(b)}。" + "；".join(
        f"{label}{F.fmt_number(Decimal(str(v)), b.metric.unit)}" for label, v in chart_bars(b)) + "。")


class ChartImage:
    """A picture for a docxtpl template, as docxtpl's InlineImage but with alternative text
    (wp:docPr descr and title, pic:cNvPr descr): Word reads it out and shows it as 可选文字."""

    def __init__(self, tpl, png: bytes, width, title: str, description: str):
        self.tpl, self.png, self.width, self.title, self.description = tpl, png, width, title, description

    def __html__(self) -> str:
        from docx.oxml.ns import qn

        inline = self.tpl.current_rendering_part.new_pic_inline(io.BytesIO(self.png), self.width, None)
        inline.docPr.set("descr", self.description)
        inline.docPr.set("title", self.title)
        for pr in inline.iter(qn("pic:cNvPr")):
            pr.set("descr", self.description)
        return f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    __str__ = __html__


COUNT_UNITS = frozenset({"人", "人次", "户", "家", "宗", "份"})  # whole numbers: no 0.5 on their axis


def chart_layout(b: F.Breakdown) -> drawing.Chart:
    """What the figure's chart shows (reports.charts): a labelled bar per unit, in tree order from
    the top, whole-number ticks for counts."""
    return drawing.layout(chart_title(b), chart_bars(b), b.metric.unit in COUNT_UNITS)


def chart_png(b: F.Breakdown) -> bytes:
    return drawing.bar_chart_png(chart_title(b), chart_bars(b), b.metric.unit in COUNT_UNITS)


def _shortfall(f: F.Figure) -> str:
    """The figure as a problem when it is on its bad side (Metric.direction), else "": below its
    target when higher is better; above its target, or above zero without one, when lower is
    better (an overdue count). A neutral figure (a share) is never a problem."""
    m, v = f.metric, f.value.value
    if v is None:
        return ""
    value = F.fmt_number(v, m.unit)
    if m.direction == HIGHER_BETTER and f.target is not None and v < f.target:
        return f"{m.label}{value}，未达到年度目标{F.fmt_number(f.target, m.unit)}。"
    if m.direction == LOWER_BETTER and f.target is not None and v > f.target:
        return f"{m.label}{value}，超过年度控制目标{F.fmt_number(f.target, m.unit)}。"
    if m.direction == LOWER_BETTER and f.target is None and not m.is_rate and v > 0:
        return f"{m.label}{value}，需督促按期办理。"
    return ""


def _ranked_rates() -> list[str]:
    """The rates whose subordinates `problems` ranks: a good direction and a set-based breakdown
    (a per-subordinate loop for every rate of every work line would cost seconds on a county,
    docs/benchmarks.md)."""
    return [m.code for m in REGISTRY.values() if m.is_rate and m.direction != NEUTRAL and m.breakdown is not None]


def rate_parts(org, period: Period, kids: dict, version: str | None = None) -> dict[str, F.Breakdown]:
    """{code: breakdown by subordinate} of the rates `problems` ranks. They need no figure, so
    the summary computes them on a connection of their own while the figures are computed (their
    totals are not read: `problems` compares with the figure). `version` (figcache.data_version()):
    each kept in the figure cache for that version."""
    with paths_remembered():
        return {code: F.remembered_breakdown(
            code, org, period, ("rate-parts",),
            lambda code=code: F.breakdown(code, org, period, total=Value(None), kids=kids), version=version)
            for code in _ranked_rates()}


def problems(org, period: Period, groups: dict[str, list[F.Figure]], kids: dict | None = None,
             parts: dict[str, F.Breakdown] | None = None) -> list[str]:
    """Suggestions drawn from the data, for the writer to keep or delete: each figure on its bad
    side (`_shortfall`: below target, an overdue count) and, for a rate with a good direction,
    the subordinates furthest on the bad side of it. `kids`: F.children_on(org, period.end), read
    once for every breakdown of the summary; `parts`: rate_parts(), computed beforehand."""
    kids = F.children_on(org, period.end) if kids is None else kids
    ranked = set(_ranked_rates())
    out = [text for figs in groups.values() for f in figs if (text := _shortfall(f))]
    for figs in groups.values():
        for f in figs:
            m = f.metric
            if m.code not in ranked or f.value.value is None:
                continue
            higher = m.direction == HIGHER_BETTER
            b = (parts or {}).get(m.code) or F.breakdown(m.code, org, period, total=f.value, kids=kids)
            worse = [p for p in b.children if p.org is not None and p.value.value is not None
                     and (p.value.value < f.value.value if higher else p.value.value > f.value.value)]
            worse = sorted(worse, key=lambda p: p.value.value, reverse=not higher)[:LOW_RATE_SHOWN]
            if worse:
                out.append(f"{m.label}（全辖区{f.value.value}%）{'偏低' if higher else '偏高'}的下级单位：" + "、".join(
                    f"{p.label}（{p.value.value}%）" for p in worse) + "。")
    if not out:
        out.append("（根据实际情况填写。）")
    return out


def context(org, period: Period, tpl=None) -> dict:
    """The template variables (docs/summary-template.md). `tpl` (a DocxTemplate) makes the charts.
    Every figure asks for the node's path on the cut-off: it is read once (paths_remembered)."""
    with paths_remembered():
        return _context(org, period, tpl)


def _remembered(func, org, period, version):
    """func(org, period, version=version) inside a paths_remembered() block: for the second
    connection's thread, which starts without the caller's memory."""
    with paths_remembered():
        return func(org, period, version=version)


def charts(org, period: Period, lock, kids: dict, tpl, version: str | None = None) -> dict[str, object]:
    """{group: chart} for the groups that get one: the group's first additive figure with a
    set-based breakdown that is not zero, by subordinate, when there are at least two. Read from
    the breakdowns alone (their totals are the figures), so that drawing need not wait for the
    figures of the whole registry. `version`: the breakdowns kept in the figure cache for it."""
    from docx.shared import Mm

    out = {}
    for group, metrics in metric_groups().items():
        for m in metrics:
            if not (m.is_additive and m.breakdown):
                continue
            b = F.remembered_breakdown(m.code, org, period, ("locked", lock.pk if lock else ""),
                                       lambda m=m: locked_breakdown(m.code, org, period, lock, kids=kids),
                                       version=version)
            if not (b.total.value or 0):
                continue
            if len(b.children) >= 2:
                out[group] = ChartImage(tpl, chart_png(b), Mm(150), chart_title(b), chart_description(b))
            break
    return out


def _context(org, period: Period, tpl=None) -> dict:
    # The figures (this year's and last year's) are database work and the charts are drawing
    # (CPU): on PostgreSQL the figures are computed on other connections while this thread
    # draws (F.in_parallel); elsewhere one after the other.
    # The data version first: whatever is written from now on is computed anew next time, and the
    # figures and breakdowns computed now are kept under it (core.figcache), so that the summary of
    # an unchanged period (or after the dashboard computed its figures) reads them from the cache.
    version = figcache.data_version()
    figures_job = F.in_parallel(lambda: _remembered(F.figures, org, period, version))
    lock = F.find_lock(org, period)
    kids = F.children_on(org, period.end)  # the subordinates' paths, once for every breakdown below
    # The rates' breakdowns for the problems need no figure: on a connection of their own too.
    parts_job = F.in_parallel(lambda: rate_parts(org, period, kids, version))
    drawn = charts(org, period, lock, kids, tpl, version) if tpl is not None else {}
    groups = figures_job()
    parts = parts_job()
    sections = []
    flat = {}
    for i, (group, figs) in enumerate(groups.items()):
        rows = table_rows(figs)
        for r in rows:
            flat[r["code"]] = r
        sections.append({"number": section_number(i), "group": group,
                         "paragraphs": section_paragraphs(org, period, figs), "rows": rows,
                         "chart": drawn.get(group, "")})
    today = clock.today()
    intro = (f"{F.cutoff_phrase(period)}，{org.name}围绕年度目标任务开展工作。现将{period.label}工作情况总结如下。")
    if lock is not None:
        intro += f"（本期数据已于{timezone.localtime(lock.locked_at):%Y年%-m月%-d日}锁定，文中数字为锁定时的数据。）"
    return {
        "title": title_for(org, period), "intro": intro, "org_name": org.name, "org_code": org.code,
        "period_text": period.label, "period_start": period.start, "period_end": period.end,
        "cutoff_phrase": F.cutoff_phrase(period), "locked": lock is not None,
        "sections": sections, "figures": flat, "problems": problems(org, period, groups, kids, parts),
        "next_steps": [f"（{section_number(i)}）{g}" for i, g in enumerate(groups)],
        "signature": org.name, "signed_on": f"{today:%Y年%-m月%-d日}",
    }


def template_for(org) -> tuple[bytes, str]:
    """The nearest template up the tree (a federation's upload serves its whole subtree)."""
    t = docx_templates.nearest(SummaryTemplate, org)
    if t is not None:
        return bytes(t.content), f"{t.org.name}：{t.name}"
    return default_bytes(), "系统默认模板"


def _text_width(text: str, size: float) -> int:
    """Twips a line of `text` takes at `size` pt: a Chinese character an em, the rest 0.6 (the
    digits of the fonts that stand in for 仿宋 are wider than half an em)."""
    return round(sum(1 if ord(c) >= 0x2E80 else 0.6 for c in text) * size * 20)


def fit_tables(document) -> None:
    """The figure tables of the default layout (header 指标, 单位, …; a federation's template
    keeping that header gets the same): the optional columns (年度目标, 完成率, 上报值) left out
    when no row has a value in them, each number column as wide as its widest number (a header
    may take two lines), the label column the rest of the type area."""
    from docx.oxml.ns import qn

    cell_margins = 2 * 108 + 40  # Table Grid's left and right cell margins, and a little air
    for table in document.tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        rows = [r._tr.findall(qn("w:tc")) for r in table.rows]
        if not rows or any(len(r) != len(grid) for r in rows):
            continue  # merged cells: not a figure table
        texts = [[tc.xpath("string(.)").strip() for tc in r] for r in rows]
        if texts[0][:2] != TABLE_HEADERS[:2]:
            continue
        keep = [i for i, h in enumerate(texts[0])
                if h not in OPTIONAL_HEADERS or any(t[i] for t in texts[1:])]
        for i in reversed(range(len(grid))):
            if i not in keep:
                grid[i].getparent().remove(grid[i])
                for r in rows:
                    r[i].getparent().remove(r[i])
        # A header of up to four characters on one line, a longer one ("完成率（%）") on two.
        headers = [_text_width(h, TABLE_SIZE) // (1 if len(h) <= 4 else 2) for h in texts[0]]
        widths = [max([_text_width(t[i], TABLE_SIZE) for t in texts[1:]] + [headers[i]]) + cell_margins
                  for i in keep[1:]]
        widths.insert(0, max(MIN_LABEL_W, TEXT_W - sum(widths)))
        for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            col.set(qn("w:w"), str(w))
        for r in table.rows:
            for cell, w in zip(r._tr.findall(qn("w:tc")), widths, strict=True):
                cell.get_or_add_tcPr().get_or_add_tcW().set(qn("w:w"), str(w))


def shows_charts(tpl) -> bool:
    """Whether the template places a chart (`s.chart`) anywhere: a federation's own template
    without one is filled without drawing any (reading the breakdowns and drawing cost the most
    of a summary's time after the figures)."""
    tpl.init_docx()
    return "chart" in tpl.patch_xml(tpl.get_xml())


def render(org, period: Period, template: bytes | None = None) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(template if template is not None else template_for(org)[0]))
    tpl.render(context(org, period, tpl if shows_charts(tpl) else None), autoescape=True)
    fit_tables(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def sample_context() -> dict:
    """Every documented variable with a plausible value, to try an uploaded template."""
    row = {"code": "members.new", "label": "发展会员", "unit": "人", "value": "4481人", "last_year": "4000人",
           "change": "增加481人", "target": "5000人", "completion": "89.62%", "reported": "",
           "num": "4481", "last_year_num": "4000", "change_num": "+481", "target_num": "5000", "completion_num": "89.62",
           "reported_num": ""}
    return {
        "title": "示例县总工会2026年上半年工作总结", "intro": "……", "org_name": "示例县总工会", "org_code": "0000",
        "period_text": "2026年1月1日至2026年6月30日", "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 6, 30), "cutoff_phrase": "截至6月30日", "locked": False,
        "sections": [{"number": "一", "group": "会员发展", "paragraphs": ["截至6月30日，发展会员4481人。"],
                      "rows": [row], "chart": ""}],
        "figures": {code: row for code in REGISTRY} | {"members.new": row},
        "problems": ["……"], "next_steps": ["（一）会员发展"], "signature": "示例县总工会", "signed_on": "2026年7月1日",
    }


def check_content(content: bytes) -> None:
    """Refuse a template that is not a Word document, has broken tags or uses unknown variables."""
    docx_templates.check_content(content, sample_context(), variables_hint=" docs/summary-template.md")
