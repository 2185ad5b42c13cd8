"""Importing the org tree and employers from Excel: through the importer, the web page and the CLI.

The tree and personas are those of tests/conftest.py; the town clerk holds 业务经办 on 甲镇 (A).
"""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from stdnum.cn import uscc

from gonghui.core.models import AuditEvent
from gonghui.orgs import services
from gonghui.orgs.imports import EmployerImporter, OrgImporter
from gonghui.orgs.models import Coverage, Employer, Org, OrgEvent, OrgType
from tests.core.test_excel import make_xlsx, read_back, xml_part

D = dt.date
FOUNDED = D(2023, 5, 1)
ORG_HEADERS = ["组织编码", "工会名称", "组织类型", "上级组织编码", "成立日期", "本届选举日期", "任期(年)",
               "统一社会信用代码", "法人证书号", "发证日期", "地址"]
EMP_HEADERS = ["单位名称", "统一社会信用代码", "属地工会编码", "单位性质", "职工人数", "女职工人数", "世界500强",
               "应建会", "覆盖工会编码", "覆盖起始日期"]
GRASSROOTS = OrgType.GRASSROOTS.label


def code(n: int) -> str:
    """A valid USCC (GB 32100) numbered n."""
    body = f"91430121MA4L{n:05d}"
    return body + uscc.calc_check_digit(body)


def bad_check_char(n: int) -> str:
    good = code(n)
    return good[:-1] + ("0" if good[-1] != "0" else "1")


def org_row(code_, name, parent, founded=FOUNDED, org_type=GRASSROOTS, elected=None, years=None,
            uscc_=None, cert=None, issued=None, address=None):
    return [code_, name, org_type, parent, founded, elected, years, uscc_, cert, issued, address]


def good_org_file() -> bytes:
    return make_xlsx([
        ORG_HEADERS,
        # the sub-union comes before its parent: rows may come in any order
        org_row("A3-1", "甲三公司一车间分工会", "A3", org_type=OrgType.SUB_UNION.label),
        org_row("A3", "甲三公司工会", "A", elected=D(2023, 5, 1), years=3, uscc_=code(1), cert="工法证001",
                issued=D(2023, 6, 1)),
        org_row("A1", "甲一公司工会", "A", founded=D(2020, 3, 1), address="甲镇工业园1号"),
        org_row("A", "甲镇工会联合会", "430121", founded=D(1990, 1, 1), org_type=OrgType.TOWNSHIP_FED.label),
    ])


def counts():
    return (Org.objects.count(), OrgEvent.objects.count(), Employer.objects.count(), Coverage.objects.count(),
            AuditEvent.objects.count())


def errors_of(result):
    return {(e.row, e.column) for e in result.errors}


# --- orgs through the importer ------------------------------------------------------------

def test_a_good_org_file_saves_everything_and_writes_audit_entries(tree, personas):
    result = OrgImporter(actor=personas.town_clerk).run(good_org_file())
    assert result.ok, result.errors
    assert (result.total, result.created, result.updated, result.unchanged) == (4, 2, 1, 1)
    a3 = Org.objects.get(code="A3")
    assert Org.objects.get_parent(a3) == tree.town_a and a3.uscc == code(1) and a3.term_years == 3
    assert Org.objects.get_parent(Org.objects.get(code="A3-1")) == a3
    assert Org.objects.get(code="A1").address == "甲镇工业园1号"
    entries = AuditEvent.objects.filter(source="import")
    assert entries.filter(action="orgs.org.founded").count() == 2
    assert entries.filter(action="orgs.org.updated", object_label="甲一公司工会").exists()
    assert set(entries.values_list("actor_name", flat=True)) == {"town_clerk"}


def test_importing_the_same_org_file_again_changes_nothing(tree, personas):
    OrgImporter(actor=personas.town_clerk).run(good_org_file())
    before = counts()
    again = OrgImporter(actor=personas.town_clerk).run(good_org_file())
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert counts() == before


def test_every_bad_org_row_is_reported_with_its_excel_row_and_column_and_nothing_is_saved(tree, personas):
    data = make_xlsx([
        ORG_HEADERS,
        org_row("X1", "新一公司工会", "A"),                                                    # 2: fine
        org_row("X2", "新二公司工会", "A", uscc_=bad_check_char(2), issued=D(2023, 6, 1)),   # 3
        org_row("X3", "新三公司工会", "ZZZ"),                                                  # 4
        org_row("X4", None, "A"),                                                             # 5
        org_row(12345, "新五公司工会", "A"),                                                   # 6
        org_row("X1", "新六公司工会", "A"),                                                    # 7
        org_row("X7", "新七公司工会", "B"),                                                    # 8: 乙, not his
        org_row("X8", "新八公司工会", "A", elected=D(2023, 5, 1), years=4),                   # 9
    ])
    before = counts()
    result = OrgImporter(actor=personas.town_clerk).run(data)
    assert errors_of(result) == {
        (3, "统一社会信用代码"), (4, "上级组织编码"), (5, "工会名称"), (6, "组织编码"), (7, "组织编码"),
        (8, "上级组织编码"), (9, "任期(年)"),
    }
    by_row = {e.row: e for e in result.errors}
    assert "校验位" in by_row[3].reason
    assert by_row[4].value == "ZZZ" and "不存在" in by_row[4].reason
    assert by_row[5].reason == "必填，不能为空。"
    assert by_row[6].value == "12345" and "文本" in by_row[6].reason
    assert by_row[7].reason == "与第 2 行重复。"
    assert by_row[8].reason == by_row[4].reason.replace("ZZZ", "B")  # out of scope reads like missing
    assert "3年或5年" in by_row[9].reason
    assert counts() == before


def test_existing_orgs_are_not_renamed_moved_or_retyped_by_an_import(tree, personas):
    data = make_xlsx([
        ORG_HEADERS,
        org_row("A1", "甲一公司新名工会", "A", founded=D(2020, 3, 1)),
        org_row("A2", "甲二公司工会", "A1", founded=D(2025, 2, 10)),
        org_row("A1", "甲一公司工会", "A", founded=D(2020, 3, 1), org_type=OrgType.JOINT_GRASSROOTS.label),
    ])
    result = OrgImporter(actor=personas.town_clerk).run(data)
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "更名" in reasons[(2, "工会名称")]
    assert "转移" in reasons[(3, "上级组织编码")]
    assert "变更类型" in reasons[(4, "组织类型")]


def test_a_file_that_names_an_org_outside_the_users_scope_is_refused_on_that_row(tree, personas):
    data = make_xlsx([ORG_HEADERS, org_row("B1", "乙一公司工会", "B", founded=D(2021, 6, 1))])
    result = OrgImporter(actor=personas.town_clerk).run(data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "组织编码")]


def test_parents_that_point_at_each_other_are_a_cycle(tree, personas):
    # Branch unions may nest (models.CHILD_TYPES), so only the cycle is wrong here.
    data = make_xlsx([ORG_HEADERS, org_row("C1", "丙一分工会", "C2", org_type=OrgType.SUB_UNION.label),
                      org_row("C2", "丙二分工会", "C1", org_type=OrgType.SUB_UNION.label)])
    result = OrgImporter(actor=None).run(data)
    assert errors_of(result) == {(2, "上级组织编码"), (3, "上级组织编码")}
    assert "循环" in result.errors[0].reason


def test_a_service_error_in_the_save_phase_becomes_a_row_error_and_rolls_back_everything(tree, personas):
    future = dt.date.today() + dt.timedelta(days=30)
    data = make_xlsx([ORG_HEADERS, org_row("X1", "新一公司工会", "A"), org_row("X2", "新二公司工会", "A", founded=future)])
    before = counts()
    result = OrgImporter(actor=personas.town_clerk).run(data)
    assert [(e.row, e.column) for e in result.errors] == [(3, "成立日期")]
    assert "不能晚于今天" in result.errors[0].reason
    assert (result.created, result.updated) == (0, 0)
    assert counts() == before
    assert not Org.objects.filter(code="X1").exists()  # row 2 was saved, then rolled back


def test_a_crash_in_the_middle_leaves_no_half_saved_import(tree, personas, monkeypatch):
    real, calls = services.org_found, []

    def crash_on_second(**kwargs):
        calls.append(kwargs["code"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "org_found", crash_on_second)
    data = make_xlsx([ORG_HEADERS, org_row("X1", "新一公司工会", "A"), org_row("X2", "新二公司工会", "A")])
    before = counts()
    with pytest.raises(RuntimeError):
        OrgImporter(actor=personas.town_clerk).run(data)
    assert counts() == before


# --- employers through the importer -------------------------------------------------------

def good_employer_file() -> bytes:
    return make_xlsx([
        EMP_HEADERS,
        ["甲五公司", code(5), "A", "民营", 120, 40, "否", None, "A2", D(2025, 3, 1)],
        ["甲六小店", None, "A", "个体经济组织", 3, 1, None, "否", None, None],
        ["甲三公司", None, "A", None, 110, None, None, None, None, None],  # exists: name + 属地
    ])


def test_a_good_employer_file_creates_updates_and_starts_coverage(tree, personas):
    result = EmployerImporter(actor=personas.town_clerk).run(good_employer_file())
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    e5 = Employer.objects.get(uscc=code(5))
    assert (e5.org, e5.headcount, e5.women_count, e5.is_fortune500) == (tree.town_a, 120, 40, False)
    assert Coverage.objects.get(employer=e5, valid_to__isnull=True).union == tree.union_a2
    assert Employer.objects.get(name="甲六小店").required_override is False
    a3 = Employer.objects.get(pk=tree.emp["a3"].pk)
    assert (a3.headcount, a3.women_count) == (110, 50)  # a blank cell leaves the value as it was
    assert AuditEvent.objects.filter(source="import", action="orgs.coverage.started").count() == 1
    before = counts()
    again = EmployerImporter(actor=personas.town_clerk).run(good_employer_file())
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert counts() == before


def test_bad_employer_rows_are_all_reported_and_nothing_is_saved(tree, personas):
    data = make_xlsx([
        EMP_HEADERS,
        ["甲五公司", bad_check_char(5), "A", "民营", 10, 2, None, None, None, None],   # 2
        ["乙五公司", None, "B", "民营", 10, 2, None, None, None, None],                 # 3: not his
        ["甲七公司", None, "A", "私营", 10, 20, "不是", None, None, None],               # 4
        ["甲八公司", code(8), "A", None, 10, None, None, None, "A1", None],             # 5
        ["甲九公司", code(8), "A", None, 10, None, None, None, None, None],             # 6
        ["甲二公司", None, "A", None, 60, None, None, None, "A1", D(2025, 3, 1)],       # 7: covered by A2
    ])
    before = counts()
    result = EmployerImporter(actor=personas.town_clerk).run(data)
    assert errors_of(result) == {
        (2, "统一社会信用代码"), (3, "属地工会编码"), (4, "单位性质"), (4, "女职工人数"), (4, "世界500强"),
        (5, "覆盖起始日期"), (6, "统一社会信用代码"), (7, "覆盖工会编码"),
    }
    assert counts() == before


def test_a_coverage_the_service_refuses_rolls_back_the_whole_employer_file(tree, personas):
    data = make_xlsx([EMP_HEADERS, ["甲五公司", code(5), "A", None, 10, None, None, None, None, None],
                      ["甲六公司", code(6), "A", None, 10, None, None, None, "A", D(2025, 3, 1)]])
    before = counts()
    result = EmployerImporter(actor=personas.town_clerk).run(data)
    assert [(e.row, e.column) for e in result.errors] == [(3, "覆盖工会编码")]
    assert "只有基层工会" in result.errors[0].reason
    assert counts() == before


# --- the web pages (core's import pages; every importer's page is tested in tests/core/test_import_pages.py)

@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def upload(client, kind, data, name="导入.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("core:import", args=[kind]), {"file": f})


def test_the_import_page_offers_the_template_and_the_template_has_the_headers(client, personas, data_dir):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:import", args=["orgs"])).content.decode()
    assert "下载模板" in page and reverse("core:import_template", args=["orgs"]) in page
    for kind, importer in (("orgs", OrgImporter), ("employers", EmployerImporter)):
        response = client.get(reverse("core:import_template", args=[kind]))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        data = b"".join(response.streaming_content)
        assert read_back(data)[0] == [c.header for c in importer.columns]


def test_a_good_upload_reports_the_counts(client, tree, personas, data_dir):
    client.force_login(personas.town_clerk)
    response = upload(client, "orgs", good_org_file())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "新增 2，更新 1，未变 1" in page
    assert Org.objects.filter(code="A3").exists()
    assert AuditEvent.objects.filter(action="orgs.org.founded", source="import").count() == 2


def test_a_bad_upload_lists_every_error_and_offers_the_error_report(client, tree, personas, data_dir):
    client.force_login(personas.town_clerk)
    data = make_xlsx([ORG_HEADERS, org_row("X1", "=HYPERLINK(\"http://evil\",\"点我\")", "ZZZ"),
                      org_row("X2", "新二公司工会", "A", elected=D(2023, 5, 1), years=4)])
    before = counts()
    response = upload(client, "orgs", data)
    page = response.content.decode()
    assert response.status_code == 200 and "未保存任何数据" in page and "2</strong> 处错误" in page
    assert "上级组织编码" in page and "3年或5年" in page
    assert counts() == before
    report = client.get(reverse("jobs:download", args=[response.context["job"].pk]))
    assert report.status_code == 200
    content = b"".join(report.streaming_content)
    rows = read_back(content)
    assert rows[0][-1] == "错误说明"
    assert "上级组织编码：" in rows[1][-1] and "任期(年)：" in rows[2][-1]
    assert rows[1][1] == '=HYPERLINK("http://evil","点我")'  # kept as text, never a live formula
    assert "<f>" not in xml_part(content, "xl/worksheets/sheet1.xml")
    assert 'quotePrefix="1"' in xml_part(content, "xl/styles.xml")


def test_an_error_report_is_only_for_the_user_who_uploaded_it(client, tree, personas, data_dir):
    client.force_login(personas.town_clerk)
    job = upload(client, "orgs", make_xlsx([ORG_HEADERS, org_row("X1", "新一", "ZZZ")])).context["job"]
    client.force_login(personas.town_admin)  # holds orgs.import too, on the same town
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_file_that_is_not_excel_is_refused_with_a_message(client, tree, personas, data_dir):
    client.force_login(personas.town_clerk)
    response = upload(client, "orgs", b"name,code\n", name="list.xlsx")
    assert response.status_code == 200 and "无法读取该文件" in response.content.decode()
    response = upload(client, "orgs", make_xlsx([["名称"], ["甲"]]))
    assert "缺少必填列：组织编码" in response.content.decode()


def test_anonymous_users_are_sent_to_login_and_others_are_refused(client, personas, data_dir):
    urls = [reverse("core:import", args=["orgs"]), reverse("core:import_template", args=["employers"])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for persona in (personas.outsider, personas.leader):  # no grant / read-only: no orgs.import
        client.force_login(persona)
        for url in urls:
            assert client.get(url).status_code == 403, url


def test_the_tree_and_employer_pages_link_to_the_import(client, personas):
    client.force_login(personas.town_clerk)
    assert reverse("core:import", args=["orgs"]) in client.get(reverse("orgs:tree")).content.decode()
    assert reverse("core:import", args=["employers"]) in client.get(reverse("orgs:employers")).content.decode()


# --- the command line ---------------------------------------------------------------------

def write(tmp_path, data: bytes, name="file.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_cli_imports_as_a_user_and_prints_a_summary(tree, personas, tmp_path, capsys):
    call_command("import_data", "orgs", write(tmp_path, good_org_file()), "--user", "town_clerk")
    assert "导入组织完成：共 4 行，新增 2，更新 1，未变 1。" in capsys.readouterr().out
    assert set(AuditEvent.objects.filter(source="import").values_list("actor_name", flat=True)) == {"town_clerk"}


def test_the_cli_without_a_user_runs_as_the_system(tree, tmp_path, capsys):
    call_command("import_data", "employers", write(tmp_path, good_employer_file()))
    assert "新增 2，更新 1，未变 0" in capsys.readouterr().out
    entries = AuditEvent.objects.filter(source="import")
    assert entries.exists() and set(entries.values_list("actor_id", flat=True)) == {None}


def test_the_cli_prints_every_error_and_saves_nothing(tree, personas, tmp_path, capsys):
    data = make_xlsx([ORG_HEADERS, org_row("X1", "新一", "ZZZ"), org_row(7.0, "新二", "A")])
    report = tmp_path / "errors.xlsx"
    before = counts()
    with pytest.raises(CommandError, match="2 处错误，未保存任何数据"):
        call_command("import_data", "orgs", write(tmp_path, data), "--user", "town_clerk",
                     "--error-report", str(report))
    err = capsys.readouterr().err
    assert "2\t上级组织编码\tZZZ\t" in err and "3\t组织编码\t7\t" in err
    assert read_back(report.read_bytes())[0][-1] == "错误说明"
    assert counts() == before


def test_the_cli_refuses_bad_arguments_without_a_traceback(tree, personas, tmp_path):
    path = write(tmp_path, good_org_file())
    with pytest.raises(CommandError, match="未知的导入种类"):
        call_command("import_data", "nosuchkind", path)
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_data", "orgs", str(tmp_path / "missing.xlsx"))
    with pytest.raises(CommandError, match="不存在或已停用"):
        call_command("import_data", "orgs", path, "--user", "nobody")
    with pytest.raises(CommandError, match="没有导入权限"):
        call_command("import_data", "orgs", path, "--user", "leader")
    with pytest.raises(CommandError, match="无法读取"):
        call_command("import_data", "orgs", write(tmp_path, b"junk", "junk.xlsx"))
