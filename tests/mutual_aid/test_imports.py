"""参保名册导入: 15/18-digit ID numbers, refusals by row with the reason, a person not on the roster,
a man in a women's plan, twice in one term, and nothing saved on any error."""

import datetime as dt
import io

import pytest
import xlsxwriter

from gonghui.core import excel
from gonghui.members import services as member_services
from gonghui.mutual_aid.models import Batch, Item
from tests.members.conftest import make_id

D = dt.date
HEADERS = ["序号", "姓名", "公民身份号码", "份数", "参保单位编码", "项目代码", "参保日期"]


def _xlsx(rows) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if isinstance(v, int):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    wb.close()
    return out.getvalue()


def _run(rows, actor=None):
    importer = excel.get_importer("mutual_aid_enrolment")(actor=actor)
    return importer.run(io.BytesIO(_xlsx(rows)))


def _row(i, person_or_name, number, units=1, union="A1", on="2025-03-01"):
    return [i, person_or_name, number, units, union, "AK", on]


@pytest.fixture
def four(women, term):
    return women(n=4, names=["赵一", "钱二", "孙三", "李四"])


def test_a_valid_roster_makes_one_batch_with_15_and_18_digit_numbers(four):
    # 李四's number in its old 15-digit form: 6-digit area, 2-digit year, no check character.
    n18 = four[3].id_number
    n15 = n18[:6] + n18[8:17]
    rows = [_row(i, p.name, p.id_number, 2) for i, p in enumerate(four[:3], start=1)] + [_row(4, "李四", n15, 1)]
    result = _run(rows)
    assert not result.errors and result.created == 4
    batch = Batch.objects.get()
    assert (batch.enrolled_count, batch.units_total, str(batch.premium_total)) == (4, 7, "105.00")
    assert batch.eligible_count == 4


def test_refusals_by_row_and_nothing_saved(tree, four):
    man = member_services.member_join(actor=None, union=tree.union_a1, name="王男", id_number=make_id(seq=777),
                                      joined_on=D(2024, 3, 1)).person
    outsider = make_id(seq=778, female=True)
    bad_check = four[3].id_number[:17] + ("0" if four[3].id_number[17] != "0" else "1")
    rows = [_row(1, "赵一", four[0].id_number), _row(2, "王男", man.id_number),
            _row(3, "周外", outsider), _row(4, "钱二", four[1].id_number, 5),
            _row(5, "李四", bad_check), _row(6, "孙三", four[2].id_number)]
    result = _run(rows)
    assert result.created == 0
    by_row = {e.row: e.reason for e in result.errors}
    assert by_row[6] and "公民身份号码校验位不正确" in by_row[6]  # row 5 of data is sheet row 6
    # The cell error stops the file before any row is checked against the roster.
    assert not Item.objects.exists() and not Batch.objects.exists()
    rows[4] = _row(5, "李四", four[3].id_number)
    result = _run(rows)
    by_row = {e.row: e.reason for e in result.errors}
    assert "该项目仅限女性参保，王男为男性" in by_row[3]
    assert "周外" in by_row[4] and "不在会员名册中，请先办理入会后再参保" in by_row[4]
    assert "份数应为1至3份" in by_row[5]
    assert set(by_row) == {3, 4, 5}
    assert not Item.objects.exists() and not Batch.objects.exists()


def test_twice_in_one_term_is_refused(four):
    assert _run([_row(i, p.name, p.id_number) for i, p in enumerate(four, start=1)]).created == 4
    result = _run([_row(1, "赵一", four[0].id_number, on="2025-05-01")])
    assert "已参加女职工安康互助保障 2025年度，同一期次不能重复参保" in result.errors[0].reason
    assert Item.objects.count() == 4


def test_the_same_person_twice_in_the_file_is_refused(four):
    result = _run([_row(1, "赵一", four[0].id_number), _row(2, "赵一", four[0].id_number)])
    assert result.errors and not Item.objects.exists()


def test_coverage_below_the_minimum_is_reported_and_nothing_saved(four):
    result = _run([_row(1, "赵一", four[0].id_number)])
    assert "低于项目要求的80" in result.errors[0].reason
    assert not Item.objects.exists()


def test_a_clerk_outside_the_union_may_not_enrol_it_nor_learn_that_it_exists(tree, personas, women, term):
    people = women(union=tree.union_b1, n=2)
    result = _run([_row(i, p.name, p.id_number, union="B1") for i, p in enumerate(people, start=1)],
                  actor=personas.town_clerk)
    # The same words as for a union code that does not exist.
    missing = _run([_row(1, people[0].name, people[0].id_number, union="ZZ404")], actor=personas.town_clerk)
    assert result.errors and not Item.objects.exists()
    assert result.errors[0].reason == missing.errors[0].reason.replace("ZZ404", "B1")


def test_a_file_of_several_units_makes_a_batch_each_and_one_audit_entry(tree, women, term):
    from gonghui.core.models import AuditEvent

    a1, b1 = women(n=2), women(union=tree.union_b1, n=2)
    rows = ([_row(i, p.name, p.id_number, 2) for i, p in enumerate(a1, start=1)]
            + [_row(i, p.name, p.id_number, union="B1") for i, p in enumerate(b1, start=3)])
    before = AuditEvent.objects.count()
    result = _run(rows)
    assert not result.errors and result.created == 4
    batches = {b.union.code: b for b in Batch.objects.select_related("union")}
    assert (batches["A1"].enrolled_count, batches["A1"].units_total, str(batches["A1"].premium_total)) == (2, 4, "60.00")
    assert (batches["B1"].enrolled_count, str(batches["B1"].sum_insured_total)) == (2, "20000.00")
    assert all(b.no.startswith("HZ2025-") for b in batches.values()) and batches["A1"].path == tree.union_a1.path
    assert Item.objects.filter(batch=batches["B1"], waiting_until__isnull=False).count() == 2
    entry = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1 and entry.action == "mutual_aid.batch.imported"
    assert entry.changes["batches"] == 2 and entry.changes["items"] == 4


def test_twice_in_one_term_across_the_units_of_one_file_is_refused(four):
    rows = [_row(i, p.name, p.id_number) for i, p in enumerate(four, start=1)]
    rows.append(_row(5, "赵一", four[0].id_number, on="2025-05-01"))  # another batch of the same term
    result = _run(rows)  # the file's own check (one plan, one ID number) finds it before the services
    assert "重复" in result.errors[0].reason and result.errors[0].row == 6
    assert not Item.objects.exists() and not Batch.objects.exists()
