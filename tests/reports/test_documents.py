"""The work summary (.docx read back with python-docx), the template upload, the standard tables
(read back with calamine) and the command line."""

import datetime as dt
import io

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.core.errors import ServiceError
from gonghui.core.metrics import groups
from gonghui.core.periods import Period
from gonghui.reports import services, summary, tables
from gonghui.reports.default_template import build
from gonghui.reports.models import SummaryTemplate

D = dt.date
H1 = Period.half(2025, 1)


def read_docx(content: bytes):
    d = docx.Document(io.BytesIO(content))
    return d, [p.text for p in d.paragraphs]


def test_summary_has_the_seeds_shape_and_figures(data, personas):
    services.target_set(actor=None, org=data.tree.root, metric_code="members.new", year=2025, value=5)
    d, paras = read_docx(summary.render(data.tree.root, H1))
    text = "\n".join(paras)
    assert paras[0] == "长沙县总工会2025年上半年工作总结"
    assert "一、主要工作" in paras and "二、存在的问题" in paras and "三、下一步工作安排" in paras
    # A section per metric group present in the registry, numbered （一）（二）…
    for i, group in enumerate(groups()):
        assert f"（{summary.section_number(i)}）{group}" in paras
    assert "截至6月30日，长沙县总工会共有基层工会4家，新建基层工会2家" in text
    assert "共有会员7人（其中女会员2人、农民工会员1人），新发展会员6人" in text
    assert "与去年同期相比" in text and "发展会员增加4人" in text
    assert "发展会员目标5人，完成120.00%" in text
    assert "入会率达5.38%（7÷130）" in text
    # Problems drawn from the data: the township with the lowest membership rate.
    assert "入会率（全辖区5.38%）偏低的下级单位：甲镇工会联合会（4.44%）" in text
    # Tables: a header row and one row per figure; charts where a breakdown has ≥ 2 subordinates.
    members_table = next(t for t in d.tables if any(c.text == "会员总数" for c in t.column_cells(0)))
    row = next(r for r in members_table.rows if r.cells[0].text == "会员总数")
    assert [c.text for c in row.cells][:4] == ["会员总数", "人", "7", "2"]  # the unit in its column
    assert len(d.inline_shapes) >= 1


def test_titles_follow_the_period():
    from types import SimpleNamespace

    org = SimpleNamespace(name="甲镇工会联合会")
    assert summary.title_for(org, Period.half(2025, 1)) == "甲镇工会联合会2025年上半年工作总结"
    assert summary.title_for(org, Period(D(2025, 1, 1), D(2025, 12, 10))) == "甲镇工会联合会2025年工作总结"
    assert summary.title_for(org, Period.half(2025, 2)) == "甲镇工会联合会2025年下半年工作总结"
    assert summary.title_for(org, Period(D(2025, 3, 1), D(2025, 5, 31))) == (
        "甲镇工会联合会工作总结（2025年3月1日至2025年5月31日）")


def test_summary_fonts_use_the_east_asian_slot():
    d = docx.Document(io.BytesIO(build()))
    rfonts = d.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    assert d.styles["Heading 1"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"


def docx_with(*lines: str) -> bytes:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("总结.docx", b"not a zip file", "不是有效的 Word 文档"),
    ("总结.docx", docx_with("{{ title }", "{% for s in sections %}"), "语法错误"),
    ("总结.docx", docx_with("{{ title }}", "{{ leader_name }}"), "未定义的变量：leader_name"),
    ("总结.doc", docx_with("{{ title }}"), "必须是 Word 文档（.docx）"),
])
def test_a_broken_template_is_refused_with_a_clear_message(data, personas, name, content, message):
    with pytest.raises(ServiceError) as err:
        services.template_upload(actor=personas.county_admin, org=data.tree.root, name=name, content=content)
    assert message in err.value.messages[0]
    assert not SummaryTemplate.objects.exists()


def test_an_uploaded_template_serves_the_subtree(client, data, personas):
    t = data.tree
    content = docx_with("{{ title }}", "会员：{{ figures['members.total'].value }}", "{{ org_name }}")
    client.force_login(personas.town_admin)
    r = client.post(reverse("reports:template", args=["A"]),
                    {"file": io.BytesIO(b"junk")}, format="multipart")
    assert r.status_code == 400
    up = io.BytesIO(content)
    up.name = "甲镇模板.docx"
    r = client.post(reverse("reports:template", args=["A"]), {"file": up})
    assert r.status_code == 302
    _, paras = read_docx(summary.render(t.union_a1, H1))
    assert paras == ["甲一公司工会2025年上半年工作总结", "会员：3人", "甲一公司工会"]
    # 乙 still uses the system default.
    assert summary.template_for(t.town_b)[1] == "系统默认模板"
    r = client.get(reverse("reports:summary", args=["A"]) + "?preset=h1&year=2025")
    assert r.status_code == 200 and r["Content-Type"].endswith("wordprocessingml.document")
    assert read_docx(r.content)[1][1] == "会员：4人"


def test_standard_tables_sheet_per_group_rows_per_subordinate_and_totals(data):
    t = data.tree
    wb = CalamineWorkbook.from_filelike(io.BytesIO(tables.write(t.root, H1)))
    assert wb.sheet_names == list(groups())
    rows = wb.get_sheet_by_name("会员发展").to_python()
    assert rows[0][0] == "长沙县总工会会员发展统计表"
    assert "2025年1月1日至2025年6月30日" in rows[1][0] and "截止日期：2025年6月30日" in rows[1][0]
    header = rows[3]
    col = header.index("会员总数（人）")
    body = {r[0]: r[col] for r in rows[4:] if r[0]}
    assert body["本级"] == 0 and body["甲镇工会联合会"] == 4 and body["乙街道总工会"] == 3 and body["合计"] == 7
    assert "上报值" not in body
    services.reported_set(actor=None, org=t.root, metric_code="members.total", period=H1, value="8")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(tables.write(t.root, H1))).get_sheet_by_name("会员发展").to_python()
    body = {r[0]: r[col] for r in rows[4:] if r[0]}
    assert body["上报值"] == 8 and body["差额（计算数－上报值）"] == -1


def test_command_line_summary_and_tables(data, tmp_path):
    out = tmp_path / "s.docx"
    call_command("summary", "--org", "430121", "--from", "2025-01-01", "--to", "2025-06-30", "--out", str(out))
    assert read_docx(out.read_bytes())[1][0] == "长沙县总工会2025年上半年工作总结"
    x = tmp_path / "t.xlsx"
    call_command("export_data", "tables", "--org", "A", "--to", "2025-06-30", "--out", str(x))
    assert "会员发展" in CalamineWorkbook.from_path(str(x)).sheet_names
    tpl = tmp_path / "tpl.docx"
    tpl.write_bytes(docx_with("{{ org_name }}：{{ figures['members.new'].value }}"))
    call_command("summary", "--org", "A", "--to", "2025-06-30", "--out", str(out), "--template", str(tpl))
    assert read_docx(out.read_bytes())[1] == ["甲镇工会联合会：4人"]
    with pytest.raises(CommandError, match="不存在"):
        call_command("summary", "--org", "NOPE", "--to", "2025-06-30", "--out", str(out))
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("export_data", "tables", "--org", "A", "--to", "2025-13-01", "--out", str(x))
    with pytest.raises(CommandError, match="未知的导出内容"):
        call_command("export_data", "nope", "--org", "A", "--to", "2025-06-30", "--out", str(x))
    tpl.write_bytes(docx_with("{{ nope }}"))
    with pytest.raises(CommandError, match="未定义的变量"):
        call_command("summary", "--org", "A", "--to", "2025-06-30", "--out", str(out), "--template", str(tpl))


def test_a_percentage_without_a_fraction_is_written_alone(data):
    from decimal import Decimal

    from gonghui.core.metrics import REGISTRY, Metric, Value
    from gonghui.reports.figures import Figure

    m = Metric("test.avg_increase", "平均工资增长幅度", "%", "测试", lambda *a: None)
    assert "test.avg_increase" not in REGISTRY
    text = summary.section_paragraphs(data.tree.root, H1, [Figure(m, Value(Decimal("10.68")))])
    assert text == ["平均工资增长幅度为10.68%。"]  # neutral by default: "达" only when higher is better
