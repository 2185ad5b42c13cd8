"""The import front door (core.excel, issue 17): the sheets clerks already keep, loaded as they are.

Fixtures are written with openpyxl to look like real sheets: a provincial member template with a
title block, a 填表单位 line, a two-row grouped header in merged cells, headers carrying hints,
line breaks and required marks, other names for our columns, a 填表说明 at the end and no union
column (the union is chosen at upload); the 全总 工会组织信息登记表 with its two groups. Each is
read by the real importers, through the web page (with its mapping step) and the command line.

Tree and personas: tests/conftest.py. The town clerk holds 业务经办 on 甲镇 (A: unions A1, A2);
乙一公司工会 (B1) is outside his scope.
"""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gonghui.core import excel
from gonghui.core.models import AuditEvent, ImportMapping
from gonghui.core.models_jobs import Job
from gonghui.members.imports import MemberImporter
from gonghui.members.models import Membership, Person
from gonghui.orgs.imports import OrgImporter
from tests.core.test_excel import read_back
from tests.members.conftest import make_id

D = dt.date
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The provincial template's columns, in its own words (B to J under the group 会员基本信息).
PROVINCIAL = ["*姓名", "性别", "证件类型", "证件号码\n(填写18位身份证)", "出生日期（格式：yyyy/MM/dd）", "学历",
              "户口性质", "联系电话", "籍贯"]


def workbook_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def provincial(people, *, unit="甲一公司工会", extra=(), footer=True) -> bytes:
    """A provincial member template as a union fills it: rows 1-3 title and 填表单位, rows 4-5 a
    grouped header (序号 and 入会日期 merged down, 会员基本信息 merged across), data from row 6,
    a 填表说明 under it. `people`: (name, id, id type, joined) tuples."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会员信息"
    ws["A1"] = "湖南省工会会员实名制信息采集表"
    ws.merge_cells("A1:K1")
    ws["A2"] = f"填表单位：{unit}（盖章）      填表日期：2026年12月1日"
    ws.merge_cells("A2:K2")
    ws["A4"], ws["B4"], ws["K4"] = "序号", "会员基本信息", "入会时间\n(yyyy-mm-dd)"
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:J4")
    ws.merge_cells("K4:K5")
    for i, header in enumerate(PROVINCIAL):
        ws.cell(row=5, column=2 + i, value=header)
    for i, header in enumerate(extra):
        ws.cell(row=5, column=12 + i, value=header)
    for n, (name, number, kind, joined) in enumerate(people, start=1):
        birth = f"{number[6:10]}/{number[10:12]}/{number[12:14]}" if kind == "居民身份证" else None
        ws.append([n, name, "男", kind, number, birth, "大学本科", "农村", "13812345678", "湖南长沙", joined])
    if footer:
        ws.append([])
        ws.append(["填表说明：1.证件号码请填写18位居民身份证号码；2.日期格式为yyyy/MM/dd。"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=11)
        ws.append(["3.本表由基层工会填报。"])
    return workbook_bytes(wb)


PEOPLE = [("张三", make_id(seq=1), "居民身份证", "2024/03/01"), ("李四", make_id(seq=2), "居民身份证", "2024年3月2日")]


def counts():
    return Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # job files
    return tmp_path


# --- reading -----------------------------------------------------------------------------------

def test_the_header_is_found_under_the_title_block_and_read_with_its_group_row(tree):
    layout = MemberImporter().inspect(provincial(PEOPLE))
    assert (layout.first_row, layout.header_row, layout.unit) == (4, 5, "甲一公司工会（盖章）")
    by_header = {h: excel.xl_col_to_name(i) for i, h in layout.matched.items()}
    assert by_header == {"姓名": "B", "性别": "C", "公民身份号码": "E", "出生日期": "F", "文化程度": "G",
                         "户籍类型": "H", "手机号码": "I", "入会日期": "K"}
    # 证件类型 guards 证件号码; 序号 is never data; 籍贯 is left for the clerk.
    assert [c.short for c in layout.unknown] == ["籍贯"]
    assert layout.missing == ["所在工会代码"] and not layout.union_column
    assert layout.sources["公民身份号码"] == "证件号码" and "姓名" not in layout.sources


def test_a_provincial_roster_is_imported_into_the_union_chosen_at_upload(tree):
    result = MemberImporter(union="A1", mapping={"籍贯": excel.IGNORE}).run(provincial(PEOPLE))
    assert result.ok, result.errors
    assert (result.total, result.created, result.header_row) == (2, 2, 5)
    joined = {m.person.name: (m.union.code, m.started_on) for m in Membership.objects.select_related("person", "union")}
    assert joined == {"张三": ("A1", D(2024, 3, 1)), "李四": ("A1", D(2024, 3, 2))}


def test_a_sheet_with_the_union_column_keeps_it(tree):
    data = provincial(PEOPLE, extra=["所在工会编码"])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.active["L6"], wb.active["L7"] = "A1", "A1"
    # 甲二公司工会 (A2) was founded in 2025: had the union chosen at upload been used, both rows would fail.
    result = MemberImporter(union="A2").run(workbook_bytes(wb))
    assert result.ok, result.errors
    assert set(Membership.objects.values_list("union__code", flat=True)) == {"A1"}


def test_without_a_union_the_missing_column_is_named(tree):
    with pytest.raises(excel.ImportFileError, match="缺少必填列：所在工会代码。表中未识别的列：J列“籍贯”"):
        MemberImporter().read(provincial(PEOPLE))


def test_bad_cells_are_refused_by_excel_row_and_the_sheets_column_and_nothing_is_saved(tree):
    people = [*PEOPLE, ("王五", "E12345678", "护照", "2024/03/01"), ("赵六", make_id(seq=4), "居民身份证", "2024/13/01")]
    before = counts()
    result = MemberImporter(union="A1").run(provincial(people))
    found = {(e.row, e.where, e.col) for e in result.errors}
    assert found == {(8, "证件号码（公民身份号码）", 4), (9, "入会时间（入会日期）", 10)}
    passport = next(e for e in result.errors if e.row == 8)
    assert "证件类型为“护照”" in passport.reason
    assert counts() == before
    # The error report: the title block as it was, 错误说明 in the header row found, the 说明 kept.
    report = read_back(excel.error_report(provincial(people), result.errors, MemberImporter.columns,
                                          header_row=result.header_row))
    assert report[0][0] == "湖南省工会会员实名制信息采集表"
    assert report[4][-1] == excel.ERROR_HEADER
    assert report[7][-1].startswith("证件号码（公民身份号码）：证件类型为“护照”")
    assert report[8][-1].startswith("入会时间（入会日期）：")
    assert report[10][0].startswith("填表说明")


def test_an_id_type_left_empty_counts_as_the_resident_card(tree):
    people = [(PEOPLE[0][0], PEOPLE[0][1], None, "2024/03/01")]
    result = MemberImporter(union="A1").run(provincial(people))
    assert result.ok and result.created == 1


def test_data_under_the_note_is_refused_not_dropped(tree):
    wb = openpyxl.load_workbook(io.BytesIO(provincial(PEOPLE)))
    wb.active.append([3, "王五", "男", "居民身份证", make_id(seq=5), None, None, None, None, None, "2024/03/01"])
    with pytest.raises(excel.ImportFileError, match="在第 9 行的说明之下仍有数据"):
        MemberImporter(union="A1").read(workbook_bytes(wb))


def test_the_registration_forms_two_groups_tell_its_two_credit_codes_apart(tree):
    """工会组织信息登记表: a 统一社会信用代码 under 工会组织所在单位信息 and another under 工会组织信息;
    the org import takes the union's, and reads 工会组织编码 / 工会组织名称 / 建会日期 as ours."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "工会组织信息登记表"
    ws.merge_cells("A1:H1")
    ws["A2"], ws["B2"], ws["D2"] = "序号", "工会组织所在单位信息", "工会组织信息"
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:C2")
    ws.merge_cells("D2:H2")
    for col, header in zip("BCDEFGH", ["单位名称", "统一社会信用代码", "工会组织编码", "工会组织名称", "组织类型",
                                       "统一社会信用代码", "建会日期"], strict=True):
        ws[f"{col}3"] = header
    ws.append([1, "甲三公司", "91430121MA4L000001", "A3", "甲三公司工会", "基层工会委员会", "81430121MA4L000002",
               "2024-05-01"])
    layout = OrgImporter().inspect(workbook_bytes(wb))
    assert layout.header_row == 3
    assert {h: excel.xl_col_to_name(i) for i, h in layout.matched.items()} == {
        "组织编码": "D", "工会名称": "E", "组织类型": "F", "统一社会信用代码": "G", "成立日期": "H"}
    assert [c.key for c in layout.unknown] == ["单位名称", "工会组织所在单位信息/统一社会信用代码"]


def test_a_numbering_row_under_a_forms_header_is_not_data(tree):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "工会代码", "入会日期"])
    ws.append(["1", "2", "3", "4"])
    ws.append(["张三", make_id(seq=1), "A1", "2024.03.01"])
    result = MemberImporter().run(workbook_bytes(wb))
    assert result.ok and result.created == 1


# --- the web page: the mapping step ------------------------------------------------------------------

def upload(client, data, name="会员采集表.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("core:import", args=["members"]), {"file": f})


def confirm(client, job, **choices):
    form = {"mapping_job": job.pk, **choices}
    return client.post(reverse("core:import", args=["members"]), form)


def test_an_unknown_column_and_a_missing_union_lead_to_the_mapping_step(client, tree, personas):
    client.force_login(personas.town_clerk)
    before = counts()
    response = upload(client, provincial(PEOPLE))
    page = response.content.decode()
    assert response.status_code == 200 and "确认列的对应关系" in page
    assert "第 <strong>5</strong> 行找到了列名" in page and "甲一公司工会（盖章）" in page
    job = response.context["job"]
    assert (job.status, job.params["step"]) == ("queued", "mapping")
    form = response.context["form"]
    assert form["col_9"].value() == excel.IGNORE and form["col_4"].value() == "公民身份号码"  # 籍贯, 证件号码
    assert "data-picker" in page and reverse("orgs:pick") in page  # the union picker
    assert counts() == before
    # The union is required when no column gives it.
    choices = {f.name: f.value() for _c, f in form.rows}
    response = confirm(client, job, **choices)
    assert response.status_code == 200 and "缺少必填列：所在工会代码" in response.content.decode()
    # Two columns for one of ours are refused.
    response = confirm(client, job, **{**choices, "col_9": "姓名", "union": "A1"})
    assert "都对应“姓名”，只能选一列" in response.content.decode()
    assert counts() == before
    response = confirm(client, job, **{**choices, "union": "A1"})
    assert response.status_code == 302 and response["Location"] == reverse("core:import", args=["members"])
    assert "导入会员完成：共 2 行，新增 2" in client.get(response["Location"]).content.decode()
    assert set(Membership.objects.values_list("union__code", flat=True)) == {"A1"}
    job.refresh_from_db()
    assert (job.status, job.params["union"], job.params["mapping"]["籍贯"]) == ("done", "A1", excel.IGNORE)


def test_the_mapping_is_remembered_for_the_uploader_and_the_layout(client, tree, personas):
    client.force_login(personas.town_clerk)
    job = upload(client, provincial(PEOPLE)).context["job"]
    form = upload(client, provincial(PEOPLE)).context["form"]  # a second upload waits too
    choices = {f.name: f.value() for _c, f in form.rows}
    confirm(client, job, **{**choices, "col_9": "会员证号", "union": "A1"})
    saved = ImportMapping.objects.get(user=personas.town_clerk, kind="members")
    assert saved.mapping["籍贯"] == "会员证号" and saved.mapping["证件号码(填写18位身份证)"] == "公民身份号码"
    # Next time the same layout comes, the page offers his choice pre-filled.
    response = upload(client, provincial([("王五", make_id(seq=7), "居民身份证", "2024/03/01")]))
    page = response.content.decode()
    assert "已按您上次导入同样格式的表时的选择预先填好" in page
    assert response.context["form"]["col_9"].value() == "会员证号"
    # Another uploader, or another layout, starts from what the front door recognised.
    client.force_login(personas.town_admin)
    assert upload(client, provincial(PEOPLE)).context["form"]["col_9"].value() == excel.IGNORE


def test_a_waiting_upload_can_be_continued_or_cancelled(client, tree, personas):
    client.force_login(personas.town_clerk)
    job = upload(client, provincial(PEOPLE)).context["job"]
    page = client.get(reverse("core:import", args=["members"])).content.decode()
    assert f'href="?map={job.pk}"' in page and "待确认列的对应关系" in page
    assert "确认列的对应关系" in client.get(reverse("core:import", args=["members"]) + f"?map={job.pk}").content.decode()
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200  # 我的任务 shows it waiting
    for junk in ("x", "9" * 40, "-1"):
        assert client.get(reverse("core:import", args=["members"]) + f"?map={junk}").status_code == 404
    client.force_login(personas.town_admin)  # not his upload
    assert client.get(reverse("core:import", args=["members"]) + f"?map={job.pk}").status_code == 404
    client.force_login(personas.town_clerk)
    response = client.post(reverse("core:import", args=["members"]), {"mapping_job": job.pk, "cancel": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "failed" and "已取消" in job.error and not Membership.objects.exists()


def test_our_own_template_goes_straight_through(client, tree, personas):
    client.force_login(personas.town_clerk)
    out = io.BytesIO()
    excel.write_table(out, ["姓名", "公民身份号码", "所在工会代码", "入会日期"], [["张三", make_id(seq=1), "A1", "2024-03-01"]])
    response = upload(client, out.getvalue())
    assert response.status_code == 302 and Membership.objects.count() == 1
    assert not ImportMapping.objects.exists()


def test_a_mapped_upload_over_the_synchronous_limit_runs_as_a_job(client, tree, personas, settings, monkeypatch):
    from gonghui.core import views_import

    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(views_import, "SYNC_MAX_ROWS", 1)
    client.force_login(personas.town_clerk)
    response = upload(client, provincial(PEOPLE))
    job, form = response.context["job"], response.context["form"]
    response = confirm(client, job, **{f.name: f.value() for _c, f in form.rows}, union="A1")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.result["created"]) == ("done", 2)


def test_a_refused_union_is_an_error_on_every_row_and_saves_nothing(client, tree, personas):
    client.force_login(personas.town_clerk)
    response = upload(client, provincial(PEOPLE))
    job, form = response.context["job"], response.context["form"]
    response = confirm(client, job, **{f.name: f.value() for _c, f in form.rows}, union="B1")  # out of his scope
    page = response.content.decode()
    assert "未保存任何数据" in page and "导入时选择的工会（所在工会代码）" in page
    assert not Membership.objects.exists()


# --- the command line ----------------------------------------------------------------------------

def test_the_command_line_takes_a_map_file_and_the_union(tree, personas, tmp_path, capsys):
    path = tmp_path / "采集表.xlsx"
    path.write_bytes(provincial(PEOPLE))
    with pytest.raises(CommandError, match="可用 --union 指定全部行所在的工会"):
        call_command("import_data", "members", str(path))
    mapping = tmp_path / "对应.txt"
    mapping.write_text("# 省平台模板\n籍贯 = 忽略\n\n证件号码 = 公民身份号码\n", encoding="utf-8")
    call_command("import_data", "members", str(path), "--map", str(mapping), "--union", "A1", "--user", "town_clerk")
    assert set(Membership.objects.values_list("union__code", flat=True)) == {"A1"}
    assert Membership.objects.count() == 2
    assert "以下列未导入" not in capsys.readouterr().err  # 籍贯 was ignored on purpose


def test_the_command_line_names_what_it_leaves_out_and_refuses_a_wrong_map(tree, tmp_path, capsys):
    path = tmp_path / "采集表.xlsx"
    path.write_bytes(provincial(PEOPLE))
    call_command("import_data", "members", str(path), "--union", "A1", "--dry-run")
    assert "以下列未导入：J列“籍贯”" in capsys.readouterr().err
    mapping = tmp_path / "对应.txt"
    mapping.write_text("籍贯 = 祖籍\n", encoding="utf-8")
    with pytest.raises(CommandError, match="列对应文件第 1 行：“祖籍”不是导入会员的列"):
        call_command("import_data", "members", str(path), "--map", str(mapping), "--union", "A1")
    mapping.write_text("籍贯\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 1 行应写成“表中列名 = 系统列名”"):
        call_command("import_data", "members", str(path), "--map", str(mapping), "--union", "A1")
    with pytest.raises(CommandError, match="不能用 --union"):
        call_command("import_data", "orgs", str(path), "--union", "A1")
    assert not Membership.objects.exists()


def test_the_command_line_reports_bad_rows_by_the_sheets_row_and_column(tree, tmp_path, capsys):
    path = tmp_path / "采集表.xlsx"
    path.write_bytes(provincial([*PEOPLE, ("王五", "E12345678", "护照", "2024/03/01")]))
    with pytest.raises(CommandError, match="发现 1 处错误，未保存任何数据"):
        call_command("import_data", "members", str(path), "--union", "A1")
    err = capsys.readouterr().err
    assert "\n8\t证件号码（公民身份号码）\t" in err and "证件类型为“护照”" in err
    report = read_back((tmp_path / "采集表-错误报告.xlsx").read_bytes())
    assert report[4][-1] == excel.ERROR_HEADER and "护照" in report[7][-1]
    assert not Membership.objects.exists()


def test_every_importer_reads_its_own_headers_whole_and_no_alias_is_two_columns(db):
    """The alias table must not take one importer's column for another of its columns."""
    excel.get_importer("")
    for kind, cls in excel.IMPORTERS.items():
        layout = cls().resolve(1, excel._sheet_columns([c.header for c in cls.columns]))
        assert layout.complete and len(layout.index) == len(cls.columns), (kind, layout.unknown, layout.repeated)
        assert not [name for name, held in cls.names().table.items() if held[1] is None], kind
