"""The delegate list import: all or nothing, errors by row, idempotent, list checked after."""

import io

import pytest

from gonghui.core import excel
from gonghui.democracy.imports import DelegateImporter
from gonghui.democracy.models import Delegate, ListStatus, Term

from .import_cases import samples

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in DelegateImporter.columns]


def _sheet(rows) -> io.BytesIO:
    out = io.BytesIO()
    excel.write_table(out, HEADERS, [[r.get(h, "") for h in HEADERS] for r in rows])
    out.seek(0)
    return out


def _run(rows, actor):
    return DelegateImporter(actor=actor).run(_sheet(rows))


def test_bad_rows_save_nothing_and_are_named(tree, personas):
    rows = samples(tree, personas)["democracy_delegates"]
    bad = [*rows, {**rows[0], "姓名": "王五", "性别": "未知"}, {**rows[0], "姓名": "赵六", "届次": 2},
           {**rows[0], "工会编码": "B1", "姓名": "钱七"}, {**rows[0], "姓名": "孙八", "中高级管理人员": "是"}, rows[0]]
    result = _run(bad, personas.town_clerk)
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "不是可选值" in reasons[(4, "性别")]
    assert "尚未登记第2届" in reasons[(5, "届次")]
    assert "不在您的管理范围内" in reasons[(6, "工会编码")]
    assert "不能同时是一线职工" in reasons[(7, "一线职工")]
    assert any("重复" in e.reason and e.row == 8 for e in result.errors)
    assert Delegate.objects.count() == 0


def test_good_rows_are_saved_once_and_the_list_checked(tree, personas):
    rows = samples(tree, personas)["democracy_delegates"]
    result = _run(rows, personas.town_clerk)
    assert not result.errors and result.created == 2
    term = Term.objects.get()
    # 2 delegates for 30 staff: kept as a draft naming the quota.
    assert term.list_status == ListStatus.DRAFT and term.violations[0].startswith("代表名额")
    again = _run(rows, personas.town_clerk)
    assert again.unchanged == 2 and Delegate.objects.count() == 2
