import datetime as dt
import io

from gonghui.activities.imports import ActivityImporter, AttendanceImporter
from gonghui.activities.models import Activity, Attendance
from gonghui.core import excel
from tests.members.conftest import make_id

from .import_cases import samples

D = dt.date


def xlsx(importer, rows) -> bytes:
    headers = [c.header for c in importer.columns]
    out = io.BytesIO()
    excel.write_table(out, headers, [[row.get(h, "") for h in headers] for row in rows])
    return out.getvalue()


def run(cls, rows, actor):
    return cls(actor=actor).run(io.BytesIO(xlsx(cls, rows)))


def test_activities_import_and_reimport_adds_nothing(tree, personas):
    rows = samples(tree, personas)["activities"]
    result = run(ActivityImporter, rows, personas.town_clerk)
    assert not result.errors and result.created == 2
    a = Activity.objects.get(title="女职工技能培训")
    assert (a.sessions, a.persons, a.person_times, a.org_path) == (2, 40, 75, tree.union_a1.path)
    again = run(ActivityImporter, rows, personas.town_clerk)
    assert (again.created, again.unchanged) == (0, 2)


def test_activities_import_refuses_bad_measures_and_saves_nothing(tree, personas):
    rows = samples(tree, personas)["activities"]
    before = Activity.objects.count()
    bad = [{**rows[0], "金额（元）": "500"}, {**rows[0], "活动名称": "二期", "人数": "80", "人次": "75"},
           {**rows[1], "主办单位编码": "B1"}, {**rows[1], "活动类型": "不存在的类型", "活动名称": "x"}]
    result = run(ActivityImporter, bad, personas.town_clerk)
    errors = {(e.row, e.column): e.reason for e in result.errors}
    assert errors[(2, "金额（元）")] == "活动类型“女职工培训”不登记金额，请留空。"
    assert errors[(3, "人次")] == "人次（75）不能少于人数（80）。"
    assert errors[(4, "主办单位编码")] == "主办单位编码“B1”不存在，或不在您的管理范围内。"
    assert errors[(5, "活动类型")].startswith("活动类型“不存在的类型”不存在")
    assert Activity.objects.count() == before


def test_attendance_import_computes_persons_and_lists_unknown_ids(tree, personas):
    rows = samples(tree, personas)["activities_attendance"]
    unknown = {"活动编号": rows[0]["活动编号"], "姓名": "孙三", "身份证号码": make_id(seq=499)}
    result = run(AttendanceImporter, [*rows, unknown], personas.town_clerk)
    assert [(e.row, e.column, e.reason[:13]) for e in result.errors] == [(4, "身份证号码", "该身份证号码不在会员名册中")]
    assert "*" in result.errors[0].value  # masked
    assert not Attendance.objects.exists()
    result = run(AttendanceImporter, rows, personas.town_clerk)
    assert result.created == 2
    a = Activity.objects.get(pk=rows[0]["活动编号"])
    assert (a.persons, a.person_times, a.from_attendance) == (2, 4, True)
    again = run(AttendanceImporter, rows, personas.town_clerk)
    assert again.unchanged == 2 and Attendance.objects.count() == 2


def test_attendance_import_checks_names_and_scope(tree, personas):
    rows = samples(tree, personas)["activities_attendance"]
    result = run(AttendanceImporter, [{**rows[0], "姓名": "别人"}], personas.town_clerk)
    assert result.errors[0].column == "姓名" and "不一致" in result.errors[0].reason
    result = run(AttendanceImporter, rows, personas.outsider)
    assert result.errors[0].reason.endswith("不存在，或不在您的管理范围内。")


def test_attendance_import_of_the_rest_only_when_confirmed(tree, personas):
    rows = samples(tree, personas)["activities_attendance"]
    unknown = {"活动编号": rows[0]["活动编号"], "姓名": "孙三", "身份证号码": make_id(seq=498)}
    refused = run(AttendanceImporter, [*rows, unknown], personas.town_clerk)
    assert "只导入名册中有的人员" in refused.errors[0].reason and not Attendance.objects.exists()
    importer = AttendanceImporter(actor=personas.town_clerk, skip_unknown=True)
    result = importer.run(io.BytesIO(xlsx(AttendanceImporter, [*rows, unknown])))
    assert not result.errors and (result.created, result.unchanged) == (2, 1) and importer.skipped == [4]
    a = Activity.objects.get(pk=rows[0]["活动编号"])
    assert (a.persons, a.person_times) == (2, 4)
    # A name that differs is still an error: only numbers missing from the roster are skipped.
    bad = AttendanceImporter(actor=personas.town_clerk, skip_unknown=True).run(
        io.BytesIO(xlsx(AttendanceImporter, [{**rows[0], "姓名": "别人"}, unknown])))
    assert [e.column for e in bad.errors] == ["姓名"]


def test_activities_import_is_set_based(tree, personas, django_assert_max_num_queries):
    base = samples(tree, personas)["activities"][0]
    rows = [{**base, "活动名称": f"女职工培训第{i}期", "开始日期": f"2026-02-{i:02d}"} for i in range(1, 26)]
    with django_assert_max_num_queries(40):
        result = run(ActivityImporter, rows, personas.town_clerk)
    assert not result.errors and result.created == 25
    assert Activity.objects.filter(title__startswith="女职工培训第", org_path=tree.union_a1.path).count() == 25
    again = run(ActivityImporter, rows + [{**base, "活动名称": "新一期"}], personas.town_clerk)
    assert (again.created, again.unchanged) == (1, 25)


def test_bulk_create_refuses_by_row_and_saves_nothing(tree, personas):
    from gonghui.activities import services
    from gonghui.activities.models import ActivityKind

    kind = ActivityKind.objects.get(code="women_training")
    items = [services.NewActivity(org=tree.union_a1, kind=kind, title="甲", start_on=D(2026, 3, 1),
                                  measures={"persons": 5, "person_times": 3}, row=2),
             services.NewActivity(org=tree.union_b1, kind=kind, title="乙", start_on=D(2026, 3, 1), row=3),
             services.NewActivity(org=tree.union_a1, kind=kind, title="丙", start_on=D(2026, 3, 1), row=4)]
    before = Activity.objects.count()
    try:
        services.activities_bulk_create(actor=personas.town_clerk, items=items)
    except services.BulkErrors as exc:
        assert [(r, f) for r, f, _m in exc.errors] == [(2, "person_times"), (3, "org")]
        assert str(exc.messages[0]).startswith("第2行：人次（3）不能少于人数（5）")
    else:
        raise AssertionError("not refused")
    assert Activity.objects.count() == before


def test_the_template_offers_the_active_kinds_including_a_new_one(personas):
    from openpyxl import load_workbook

    from gonghui.activities import services
    from gonghui.activities.models import ActivityKind

    services.kind_create(actor=personas.county_admin, code="reading_club", name="读书会", has_sessions=True)
    ActivityKind.objects.filter(code="lecture").update(active=False)
    wb = load_workbook(io.BytesIO(excel.template(ActivityImporter.columns)))
    offered = [row[0] for row in wb["选项"].iter_rows(values_only=True)]
    names = list(ActivityKind.objects.filter(active=True).order_by("order", "id").values_list("name", flat=True))
    assert offered == names and "读书会" in offered and "专题讲座" not in offered
