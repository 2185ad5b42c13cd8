"""Money is written one way everywhere (issue 15, item 12): 元 with thousands separators and two
decimals, 万元 rounded half up as the seeds do, always with a unit (core.money)."""

import re
from decimal import Decimal
from pathlib import Path

from django.template import Context, Template

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "gonghui" / "templates"


def render(text: str, **context) -> str:
    return Template("{% load gonghui %}" + text).render(Context(context))


def test_the_filters_write_yuan_and_wan_yuan_the_one_way():
    assert render("{{ v|money }}", v=Decimal("1234567.5")) == "1,234,567.50元"
    assert render('{{ v|money:"万元" }}', v=Decimal("364500")) == "36.45万元"
    assert render('{{ v|money:"万元" }}', v=Decimal("13173150")) == "1,317.32万元"  # half up
    assert render("{{ v|money }}", v=None) == "—"
    # A figure in a table whose unit column says 元: the number the same way, without the unit twice.
    assert render('{{ v|figure:"元" }}', v=Decimal("36450")) == "36,450.00"
    assert render('{{ v|figure:"人" }}', v=7034) == "7034"
    assert render('{{ v|figure:"元" }}', v=None) == "—"


def test_no_template_prints_an_amount_without_the_money_filter():
    # An amount printed as is: {{ p.amount }}, {{ c.budget }} (not a form's field, a date or a percentage).
    raw = re.compile(r"\{\{\s*(?!form\.)(\w+\.)*(\w*amount\w*|budget|paid|monthly|wage|\w*income)\s*\}\}")
    offenders = [f"{p.relative_to(TEMPLATES)}: {m.group(0)}" for p in TEMPLATES.rglob("*.html")
                 for m in raw.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []
