import io

from gonghui.core import excel
from gonghui.funds.models import Declaration, MatchStatus, Receipt, ReceiptSplit

from .conftest import USCC, D, Decimal
from .import_cases import samples

TAX = ["收款工会编码", "电子税票号码", "统一社会信用代码", "单位名称", "所属期", "工资总额", "金额", "入库日期"]


def sheet(rows, headers=TAX) -> bytes:
    out = io.BytesIO()
    excel.write_table(out, headers, [[row.get(h, "") for h in headers] for row in rows])
    return out.getvalue()


def run(kind, rows, actor, **kw):
    return excel.get_importer(kind)(actor=actor, **kw).run(sheet(rows, [c.header for c in excel.get_importer(kind).columns]))


def test_tax_list_imported_matched_pending_and_reimport_is_a_no_op(funded, personas):
    rows = samples(funded, personas)["funds_tax"]
    result = run("funds_tax", rows, personas.town_clerk)
    assert result.ok, result.errors
    assert result.created == 2
    matched = Receipt.objects.get(reference="343012500000001")
    assert matched.employer == funded.emp["a1"] and matched.amount == Decimal("500.00")
    assert Declaration.objects.get(employer=funded.emp["a1"], month=D(2025, 3, 1)).due == Decimal("500.00")
    pending = Receipt.objects.get(reference="343012500000002")
    assert pending.status == MatchStatus.PENDING and pending.raw_name == "未登记的某公司"
    assert pending.amount == Decimal("1234.56") and pending.month == D(2025, 3, 1)
    assert sum(s.amount for s in ReceiptSplit.objects.filter(receipt=pending)) == Decimal("1234.56")
    again = run("funds_tax", rows, personas.town_clerk)
    assert again.ok and again.created == 0 and again.unchanged == 2
    assert Receipt.objects.count() == 2


def test_wrong_check_character_duplicate_and_changed_reference_save_nothing(funded, personas):
    rows = samples(funded, personas)["funds_tax"]
    bad_code = {**rows[0], "统一社会信用代码": USCC["a1"][:-1] + "1"}
    result = run("funds_tax", [rows[1], bad_code], personas.town_clerk)
    assert not result.ok and Receipt.objects.count() == 0
    err = result.errors[0]
    assert err.row == 3 and err.column == "统一社会信用代码" and "校验位" in err.reason
    dup = run("funds_tax", [rows[0], rows[0]], personas.town_clerk)
    assert not dup.ok and Receipt.objects.count() == 0
    assert run("funds_tax", [rows[0]], personas.town_clerk).ok
    changed = {**rows[0], "金额": "600"}
    result = run("funds_tax", [rows[1], changed], personas.town_clerk)
    assert not result.ok and "已登记" in result.errors[0].reason
    assert Receipt.objects.count() == 1


def test_money_to_the_cent_and_scope(funded, personas):
    rows = samples(funded, personas)["funds_direct"]
    result = run("funds_direct", rows, personas.town_clerk)
    assert result.ok, result.errors
    assert Receipt.objects.get(reference="ZJ-2025-002").amount == Decimal("99.99")
    other = [{**rows[0], "凭证号": "ZJ-9", "收款工会编码": funded.town_b.code}]
    result = run("funds_direct", other, personas.town_clerk)
    assert not result.ok and "不在您的管理范围内" in result.errors[0].reason


def test_bad_cells_named_by_row_and_column(funded, personas):
    rows = samples(funded, personas)["funds_tax"]
    bad = [{**rows[0], "金额": "abc"}, {**rows[1], "所属期": "2025-13"}, {**rows[1], "电子税票号码": "X3",
                                                                          "所属期": "2025-05", "入库日期": "2025-04-01"}]
    result = run("funds_tax", bad, personas.town_clerk)
    where = {(e.row, e.column) for e in result.errors}
    assert {(2, "金额"), (3, "所属期"), (4, "所属期")} <= where
    assert Receipt.objects.count() == 0


def test_dues_import_creates_corrects_and_is_idempotent(funded, personas):
    from gonghui.funds.models import DuesRecord

    rows = samples(funded, personas)["funds_dues"]
    result = run("funds_dues", rows, personas.town_clerk)
    assert result.ok and result.created == 2, result.errors
    assert DuesRecord.objects.get(union=funded.union_a2).wage_base == Decimal("240000.50")
    assert DuesRecord.objects.get(union=funded.union_a2).due == Decimal("1200.00")
    assert run("funds_dues", rows, personas.town_clerk).unchanged == 2
    changed = run("funds_dues", [{**rows[0], "实缴会费": "650"}], personas.town_clerk)
    assert changed.updated == 1
    out = run("funds_dues", [{**rows[0], "工会编码": funded.union_b1.code}], personas.town_clerk)
    assert not out.ok and "不在您的管理范围内" in out.errors[0].reason


def test_the_fast_credit_code_check_agrees_with_stdnum():
    """parse_uscc accepts a clean code with its own check (a tenth of a big import's time) and
    sends everything else through core.identifiers.clean_uscc: the two must agree code by code."""
    import random

    import pytest
    from stdnum.cn import uscc

    from gonghui.core.excel import CellError
    from gonghui.funds.imports import parse_uscc

    rng = random.Random(18)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = []
    for _ in range(3000):
        body = "".join(rng.choice("0123456789") for _ in range(8)) + "".join(rng.choice(alphabet) for _ in range(9))
        good = body + uscc.calc_check_digit(body)
        codes += [good, good[:-1] + rng.choice(alphabet), good.lower(), f" {good[:6]} {good[6:]} ",
                  good[:3] + "I" + good[4:], good[:9] + "O" + good[10:], "Ａ" + good[1:], good[:-1]]
    for code in codes:
        try:
            expected = uscc.validate(code.strip().upper().replace(" ", ""))
        except Exception:  # noqa: BLE001 - any stdnum refusal
            with pytest.raises(CellError):
                parse_uscc(code)
        else:
            assert parse_uscc(code) == expected, code
