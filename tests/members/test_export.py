"""Exporting the roster to Excel: the roster's filter, masking by permission, the access log,
formula injection, big exports as a job, and the round trip back through the import."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.accounts.models import Grant, Role
from gonghui.core.models import AccessLog
from gonghui.core.models_jobs import Job
from gonghui.members import exports
from gonghui.members.imports import MemberImporter
from tests.conftest import make_user
from tests.core.test_excel import read_back, xml_part
from tests.members.conftest import make_id

D = dt.date
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def members(tree, join):
    """Two members of 甲一 (one with a name that is a formula), one of 甲二, one of 乙一."""
    return {
        "a1": join(name="李丽", female=True, id_number=make_id("19880215", 7, female=True), phone="13812345678",
                   card_no="HN-1", hukou="2", is_migrant_worker=True),
        "evil": join(name='=HYPERLINK("http://evil","点我")', id_number=make_id(seq=8), phone="13900001111"),
        "a2": join(name="王强", union=tree.union_a2, id_number=make_id(seq=9), joined_on=D(2025, 3, 1)),
        "b1": join(name="赵六", union=tree.union_b1, id_number=make_id(seq=10)),
    }


def export(client, **params):
    response = client.get(reverse("members:export"), params)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"], response.status_code
    content = b"".join(response.streaming_content)
    return content, read_back(content)


def by_name(rows):
    return {r[0]: r for r in rows[1:]}


def test_the_export_has_the_import_columns_and_the_scope_of_the_user(client, personas, members):
    client.force_login(personas.town_clerk)
    _, rows = export(client)
    assert rows[0] == [c.header for c in MemberImporter.columns] + ["所在工会", "会籍状态", "农民工"]
    assert set(by_name(rows)) == {"李丽", '=HYPERLINK("http://evil","点我")', "王强"}  # 乙一 is out of scope
    li = by_name(rows)["李丽"]
    at = {h: i for i, h in enumerate(rows[0])}
    assert li[2:4] == ["女", "汉族"] and [li[at[h]] for h in ("所在工会代码", "入会日期", "会员证号", "所在工会",
                                                               "会籍状态", "农民工")] == [
        "A1", D(2024, 3, 1), "HN-1", "甲一公司工会", "在会", "是"]


def test_id_numbers_and_phones_are_masked_without_the_sensitive_permission(client, personas, members):
    client.force_login(personas.town_clerk)  # 业务经办: export, but not view_sensitive
    _, rows = export(client)
    li = by_name(rows)["李丽"]
    person = members["a1"].person
    assert (li[1], li[7]) == (person.id_masked, "138****5678")
    assert person.id_number not in str(rows)


def test_full_values_need_both_sensitive_and_export_on_the_org(client, tree, personas, members):
    client.force_login(personas.town_admin)  # 单位管理员 on 甲镇: both permissions
    _, rows = export(client)
    assert by_name(rows)["李丽"][1] == members["a1"].person.id_number
    assert by_name(rows)["李丽"][7] == "13812345678"
    sensitive_only = Role.objects.create(name="只看敏感", permissions=["members.view", "members.view_sensitive"])
    viewer = make_user("viewer", tree.town_a, "只看敏感")
    client.force_login(viewer)
    assert client.get(reverse("members:export")).status_code == 403
    # export on 甲镇 but view_sensitive only on 甲二: 甲一's rows stay masked, 甲二's are full
    mixed = make_user("mixed", tree.town_a, "业务经办")
    Grant.objects.create(user=mixed, org=tree.union_a2, role=sensitive_only)
    client.force_login(mixed)
    _, rows = export(client)
    assert by_name(rows)["李丽"][1] == members["a1"].person.id_masked
    assert by_name(rows)["王强"][1] == members["a2"].person.id_number


def test_each_export_writes_one_access_log_entry_with_the_count_and_the_filter(client, personas, members):
    client.force_login(personas.town_admin)
    number = members["a1"].person.id_number
    export(client, q=number, org="A1", status="active")
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user_name, entry.object_type) == ("export", "town_admin", "members.membership")
    assert "导出会员名册 1 行" in entry.reason and "其中 1 行含完整身份证号和手机号" in entry.reason
    assert "单位=A1" in entry.reason and "会籍状态=在会" in entry.reason
    assert number not in entry.reason and members["a1"].person.id_masked in entry.reason
    assert entry.org_path == members["a1"].union.path and "公民身份号码" in entry.fields
    client.force_login(personas.town_clerk)
    export(client, q="13812345678")
    assert AccessLog.objects.count() == 2
    last = AccessLog.objects.first()
    assert "身份证号、手机号已脱敏" in last.reason and "13812345678" not in last.reason


def test_cells_that_start_a_formula_are_written_as_text(client, personas, members):
    client.force_login(personas.county_admin)
    content, rows = export(client)
    assert '=HYPERLINK("http://evil","点我")' in by_name(rows)
    assert "<f>" not in xml_part(content, "xl/worksheets/sheet1.xml")
    assert 'quotePrefix="1"' in xml_part(content, "xl/styles.xml")


def test_the_export_takes_the_roster_filters(client, tree, personas, members):
    client.force_login(personas.county_admin)
    assert set(by_name(export(client, org="A")[1])) == {"李丽", '=HYPERLINK("http://evil","点我")', "王强"}
    assert set(by_name(export(client, org="B1")[1])) == {"赵六"}
    assert set(by_name(export(client, gender="2")[1])) == {"李丽"}
    assert set(by_name(export(client, migrant="1")[1])) == {"李丽"}
    assert set(by_name(export(client, q="王")[1])) == {"王强"}
    assert set(by_name(export(client, joined_from="2025-01-01")[1])) == {"王强"}


def test_an_org_outside_the_export_scope_or_a_bad_filter_goes_back_to_the_roster(client, personas, members):
    client.force_login(personas.town_clerk)
    response = client.get(reverse("members:export"), {"org": "B1"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("members:roster"))
    assert AccessLog.objects.count() == 0
    response = client.get(reverse("members:export"), {"age_min": "abc"}, follow=True)
    assert "筛选条件有误" in response.content.decode()


def test_the_export_needs_the_export_permission(client, personas, members):
    client.force_login(personas.leader)
    assert client.get(reverse("members:export")).status_code == 403


def test_a_big_export_runs_as_a_job_whose_file_is_downloaded_from_the_job_page(client, personas, members,
                                                                                  settings, monkeypatch):
    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", 2)
    client.force_login(personas.town_admin)
    page = client.get(reverse("members:export"), {"org": "A"})
    assert page.status_code == 200 and "共有 <strong>3</strong> 名会员" in page.content.decode()
    assert not Job.objects.exists() and not AccessLog.objects.exists()  # a GET starts nothing
    response = client.post(reverse("members:export"), {"org": "A", "q": ""})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.status, job.kind, job.total, job.result["rows"]) == ("done", "members.export", 3, 3)
    assert "共导出 3 行" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    rows = read_back(b"".join(download.streaming_content))
    assert len(rows) == 4 and by_name(rows)["李丽"][1] == members["a1"].person.id_number
    assert AccessLog.objects.get().reason.startswith("导出会员名册 3 行")
    client.force_login(personas.town_clerk)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_full_export_imports_back_unchanged(client, personas, members):
    client.force_login(personas.county_admin)
    content, _ = export(client, org="A")
    result = MemberImporter(actor=personas.county_admin).run(content)
    assert result.ok, result.errors
    assert (result.total, result.created, result.updated, result.unchanged) == (3, 0, 0, 3)


def test_a_member_whose_employer_was_given_by_code_exports_its_registered_name_and_imports_back(
        client, tree, personas, join):
    from gonghui.orgs.models import Employer
    from tests.orgs.test_services import make_uscc

    employer, code = tree.emp["a1"], make_uscc()
    Employer.objects.filter(pk=employer.pk).update(uscc=code)
    join(name="周七", employer=Employer.objects.get(pk=employer.pk))  # by code: no name of the roster's own
    client.force_login(personas.county_admin)
    content, rows = export(client, org="A")
    at = {h: i for i, h in enumerate(rows[0])}
    zhou = by_name(rows)["周七"]
    assert (zhou[at["工作单位"]], zhou[at["工作单位统一社会信用代码"]]) == (employer.name, code)
    result = MemberImporter(actor=personas.county_admin).run(content)
    assert result.ok, result.errors
    assert (result.total, result.unchanged) == (1, 1)
