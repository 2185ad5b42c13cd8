"""The 劳模 list import: all or nothing, errors by row, persons by ID number, idempotent."""

from gonghui.core.audit import AccessLog
from gonghui.honours.imports import WorkerImporter
from gonghui.honours.models import ModelWorker, Title
from tests.core.test_excel import make_xlsx
from tests.members.conftest import make_id

HEADERS = ["管理单位编码", "姓名", "公民身份号码", "称号", "级别", "授予年份", "是否中共党员", "现状", "去世日期"]


def sheet(*rows) -> bytes:
    return make_xlsx([HEADERS, *rows])


def test_a_person_with_two_titles_is_one_model_worker_and_reimport_changes_nothing(tree, personas):
    rows = [["A1", "钱一", make_id(seq=501), "省劳动模范", "省部级", 2015, "是", "", ""],
            ["A1", "钱一", make_id(seq=501), "市劳动模范", "地市级", 2010, "是", "", ""],
            ["A2", "孙二", make_id(seq=502), "全国五一劳动奖章", "全国", 2019, "否", "退休", ""]]
    result = WorkerImporter(actor=personas.town_clerk).run(sheet(*rows))
    assert result.ok, result.errors
    assert ModelWorker.objects.count() == 2 and Title.objects.count() == 3
    assert ModelWorker.objects.get(name="钱一").highest_level == "provincial"
    assert ModelWorker.objects.get(name="孙二").highest_level == "provincial"  # equivalence
    again = WorkerImporter(actor=personas.town_clerk).run(sheet(*rows))
    assert again.ok and (again.created, again.updated) == (0, 0) and again.unchanged == 3
    assert Title.objects.count() == 3


def test_any_bad_row_saves_nothing_and_names_row_and_column(tree, personas):
    rows = [["A1", "钱一", make_id(seq=511), "省劳动模范", "省部级", 2015, "", "", ""],
            ["A1", "赵二", make_id(seq=512), "市劳动模范", "", 2010, "", "", ""],  # no level
            ["B1", "李三", make_id(seq=513), "市劳动模范", "地市级", 2010, "", "", ""],  # out of scope
            ["A1", "钱一", make_id(seq=511), "省劳动模范", "省部级", 2015, "", "", ""],  # the same title twice
            ["A1", "周四", make_id(seq=514), "县劳动模范", "县级", "", "", "已故", ""]]  # no year, no death date
    result = WorkerImporter(actor=personas.town_clerk).run(sheet(*rows))
    got = {(e.row, e.column) for e in result.errors}
    assert (3, "级别") in got
    assert (4, "管理单位编码") in got
    assert any(e.row == 5 for e in result.errors)
    assert (6, "授予年份") in got and (6, "去世日期") in got
    assert ModelWorker.objects.count() == 0 and Title.objects.count() == 0
    assert all("不在您的管理范围内" in e.reason for e in result.errors if e.row == 4)
    assert not AccessLog.objects.exists()
