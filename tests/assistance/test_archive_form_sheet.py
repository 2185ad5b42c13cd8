"""Issue 17 item 5: the 困难职工档案表 roster as a county fills it today, imported without a single
manual change (title rows, the form's headers and labels, codes, full-width brackets, a 15-digit ID
number), or refused by row and column with nothing saved."""

import datetime as dt
from io import BytesIO

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.assistance.imports import ArchiveFormImporter
from gonghui.assistance.models import Archive, ArchiveEvent, FamilyMember
from gonghui.core import crypto
from tests.assistance.archive_form_sheet import (
    DAUGHTER_ID,
    FIRST,
    NEW_ID,
    SECOND,
    SON_ID,
    WRONG_CHECK,
    form_sheet,
)
from tests.members.conftest import make_id

D = dt.date


def _upload(content: bytes):
    return SimpleUploadedFile("困难职工档案表.xlsx", content)


def test_the_form_as_a_county_fills_it_is_imported_without_a_change(client, personas, standard):
    client.force_login(personas.town_clerk)
    url = reverse("core:import", args=["assistance_archive_form"])
    r = client.post(url, {"file": _upload(form_sheet([FIRST, SECOND]))})
    assert Archive.objects.count() == 2, r.content.decode()[-3000:]
    a = Archive.objects.get(head_name="钱困难")
    # The 15-digit number is stored upgraded, and found by the 18-digit one.
    assert a.id_number == NEW_ID and a.id_masked == crypto.mask_id(NEW_ID)
    assert (a.gender, a.birth_date) == (1, D(1975, 3, 15))
    assert Archive.objects.filter(id_hash__in=crypto.lookup_hashes(NEW_ID)).get() == a
    # Codes and labels of the form stored as codes; the old category as configured.
    assert (a.category, a.ethnicity, a.political, a.health, a.work_status) == ("deep", "01", "01", "05", "laid_off")
    assert (a.model_worker_type, a.is_model_worker, a.housing_type, a.housing_area) == ("0", False, "05", "2")
    assert (a.marital, a.hukou_type, a.unit_nature, a.enterprise_status) == ("40", "1", "4", "2")
    assert (a.medical_insurance, a.self_help, a.is_single_parent, a.is_zero_employment) == ("1", False, True, False)
    assert (a.main_cause, a.secondary_causes, a.org.name) == ("06", ["09", "03"], "甲一公司工会")
    assert (a.address, a.bank_name, a.bank_branch, a.bank_account) == (
        "星沙街道开元路8号", "中国农业银行", "长沙县星沙支行", "6228480012345678901")
    assert (a.filed_by_name, a.checked_by_name, a.entered_by_name) == ("赵建档", "孙审核", "李录入")
    assert a.declared_annual_income == 15600 and a.annual_income == 14400  # as filled; the test's own sum
    assert (a.status, a.entered_on) == ("active", D(2024, 3, 1))
    assert "原困难类别“低保户”按“深度困难”导入" in a.events.get(kind=ArchiveEvent.Kind.ENTERED).note
    m = a.family.get()
    assert (m.name, m.relation, m.birth_date, m.gender, m.id_number) == ("钱小妹", "child", D(2010, 5, 1), 2,
                                                                         DAUGHTER_ID)
    assert m.id_masked == crypto.mask_id(DAUGHTER_ID) and m.id_hash in crypto.lookup_hashes(DAUGHTER_ID)
    assert (m.ethnicity, m.health, m.medical_insurance, m.marital, m.hukou_type, m.identity, m.school) == (
        "01", "01", "2", "10", "1", "11", "长沙县第一中学")
    b = Archive.objects.get(head_name="孙困难")
    assert (b.category, b.health, b.disability, b.model_worker_type, b.is_model_worker) == (
        "relative", "15", "5", "3", True)
    assert (b.housing_area, b.hukou_type, b.medical_insurance, b.declared_size) == ("2", "2", "3", 3)
    # Importing the same sheet again changes nothing.
    client.post(url, {"file": _upload(form_sheet([FIRST, SECOND]))})
    assert Archive.objects.count() == 2 and FamilyMember.objects.count() == 1


def test_a_bad_cell_is_refused_by_row_and_column_and_nothing_is_saved(personas, standard):
    bad = {**SECOND, "*健康状况": "感冒", "家庭成员1姓名": "孙小", "家庭成员1关系": "儿子",
           "家庭成员1身份证号": WRONG_CHECK}
    result = ArchiveFormImporter(actor=personas.town_clerk).run(form_sheet([FIRST, bad]))
    assert not result.ok and Archive.objects.count() == 0 and FamilyMember.objects.count() == 0
    found = {(e.row, e.column.strip("*")): e.reason for e in result.errors}
    # The title, the 填报单位 line and the header are rows 1-3: the second household is row 5.
    assert "“感冒”不是健康状况的代码或名称" in found[(5, "健康状况")]
    assert "校验位" in found[(5, "家庭成员1身份证号")]
    assert {e.row for e in result.errors} == {5}


def test_other_spellings_of_the_form_and_the_union_chosen_at_upload(personas, standard):
    """A roster with the older copies' headers (户主姓名, 公民身份号码, 开户网点, 成员1…), the region by
    name, two family members, and no 建档单位 column: the union comes from the upload."""
    headers = ["户主姓名", "公民身份号码", "户口所在地", "本人月收入", "致困主要原因", "建档时间", "开户网点",
               "成员1姓名", "成员1关系", "成员1出生日期", "成员2姓名", "成员2关系", "成员2身份证号", "成员2身份"]
    row = ["周困难", make_id(seq=96), "湖南省长沙市长沙县", 900, "下岗失业", "2024年3月2日", "星沙支行",
           "周大", "妻", "1976-02-03", "周二", "长子", SON_ID, "学生"]
    out = BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, headers)
    for j, value in enumerate(row):
        ws.write_string(1, j, value) if isinstance(value, str) else ws.write_number(1, j, value)
    wb.close()
    result = ArchiveFormImporter(actor=personas.town_clerk, union="A1").run(out.getvalue())
    assert result.ok and result.created == 1, result.errors
    a = Archive.objects.get()
    assert (a.org.code, a.region_code, a.main_cause, a.created_on, a.bank_branch) == (
        "A1", "430121", "03", D(2024, 3, 2), "星沙支行")
    spouse, son = a.family.order_by("id")
    assert (spouse.relation, spouse.id_masked, son.relation, son.identity, son.birth_date) == (
        "spouse", "", "child", "11", D(2010, 5, 1))
    assert son.id_hash in crypto.lookup_hashes(SON_ID) and son.id_masked == crypto.mask_id(SON_ID)


def test_a_union_out_of_scope_reads_as_one_that_does_not_exist(personas, standard):
    """乙一 (B1) exists but is not the town clerk's; ZZ9 exists nowhere: the same error, nothing saved."""
    result = ArchiveFormImporter(actor=personas.town_clerk).run(
        form_sheet([{**FIRST, "建档单位": "B1"}, {**SECOND, "建档单位": "ZZ9"}]))
    assert not result.ok and Archive.objects.count() == 0
    reasons = {e.row: e.reason for e in result.errors if e.column.startswith("建档单位")}
    assert reasons == {4: "未找到编码或名称为“B1”的组织，或不在您的管理范围内。",
                       5: "未找到编码或名称为“ZZ9”的组织，或不在您的管理范围内。"}
