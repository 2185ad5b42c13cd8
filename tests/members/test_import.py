"""Importing the member roster from Excel: the importer, the bulk path, the web page (with a
background job for big files) and the CLI.

Tree and personas: tests/conftest.py. The town clerk holds 业务经办 on 甲镇 (A: unions A1, A2);
乙一公司工会 (B1) is outside his scope.
"""

import datetime as dt
import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from gonghui.core import crypto
from gonghui.core.identifiers import id_check_char, parse_id_number
from gonghui.core.models import AuditEvent
from gonghui.core.models_jobs import Job
from gonghui.members import bulk, services
from gonghui.members.imports import MemberImporter
from gonghui.members.models import Hukou, MemberEvent, Membership, MemberStatus, MemberStatusPeriod, Person
from gonghui.orgs import services as org_services
from tests.core.test_excel import make_xlsx, read_back, xml_part
from tests.members.conftest import make_id
from tests.orgs.test_imports import code as uscc_code

D = dt.date
HEADERS = ["姓名", "公民身份号码", "性别", "民族", "出生日期", "文化程度", "政治面貌", "手机号码", "户籍类型",
           "就业状态", "工作单位统一社会信用代码", "所在工会代码", "入会日期", "会员证号"]
# Columns added by issue 17 (tests/members/test_import_employers.py, test_import_history.py).
LATER_HEADERS = ["工作单位", "单位地址", "是否农民工会员", "会籍变化类型", "变化日期", "变化原因", "转出/转入工会"]
JOINED = D(2024, 3, 1)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def row(name="张三", id_number=None, seq=1, *, gender=None, ethnicity="汉族", birth=None, education="大学本科",
        political="群众", phone="13812345678", hukou="城镇", employment="在岗", uscc=None, union="A1",
        joined=JOINED, card=None):
    id_number = make_id(seq=seq) if id_number is None else id_number
    return [name, id_number, gender, ethnicity, birth, education, political, phone, hukou, employment, uscc, union,
            joined, card]


def sheet(*rows) -> bytes:
    return make_xlsx([HEADERS, *rows])


def counts():
    return (Person.objects.count(), Membership.objects.count(), MemberStatusPeriod.objects.count(),
            MemberEvent.objects.count(), AuditEvent.objects.count())


def errors_of(result):
    return {(e.row, e.column) for e in result.errors}


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def employer(tree):
    return org_services.employer_create(actor=None, org=tree.town_a, name="甲五工厂", uscc=uscc_code(5),
                                        headcount=80)


# --- the template -------------------------------------------------------------------------------

def test_the_template_has_the_headers_in_order_text_ids_and_drop_downs(client, personas):
    client.force_login(personas.town_clerk)
    response = client.get(reverse("core:import_template", args=["members"]))
    content = b"".join(response.streaming_content)
    assert read_back(content)[0] == [*HEADERS, *LATER_HEADERS]
    sheet_xml = xml_part(content, "xl/worksheets/sheet1.xml")
    # drop-downs for 性别 C, 民族 D, 文化程度 F, 政治面貌 G, 户籍类型 I, 就业状态 J, 是否农民工会员 Q, 会籍变化类型 R
    for col in "CDFGIJQR":
        assert f'sqref="{col}2:{col}1048576"' in sheet_xml, col
    assert sheet_xml.count("<dataValidation ") == 8
    assert 'numFmtId="49"' in xml_part(content, "xl/styles.xml")  # the ID and phone columns are text
    cols = {c.header: c for c in MemberImporter.columns}
    assert cols["公民身份号码"].is_text and cols["手机号码"].is_text


# --- a good file ----------------------------------------------------------------------------------

def test_a_good_file_joins_everyone_with_one_audit_entry(tree, personas, employer):
    data = sheet(
        row("李丽", make_id("19880215", 7, female=True), gender="女", birth=D(1988, 2, 15), hukou="农村",
            uscc=uscc_code(5), card="HN0001"),
        row("王强", seq=8, ethnicity="回族", hukou="农村", employment="退休", union="A2", joined=D(2025, 3, 1),
            phone=13912345678),  # a phone typed as a number survives Excel
        row("赵六", seq=9, ethnicity=None, education=None, political=None, phone=None, hukou=None, employment=None),
    )
    audit_before = AuditEvent.objects.count()
    result = MemberImporter(actor=personas.town_clerk).run(data)
    assert result.ok, result.errors
    assert (result.total, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    li = Person.objects.get(name="李丽")
    assert (li.gender, li.birth_date, li.hukou, li.is_migrant_worker, li.employer) == (2, D(1988, 2, 15), "2",
                                                                                       True, employer)
    assert li.memberships.get().card_no == "HN0001" and li.phone == "13812345678"
    wang = Person.objects.get(name="王强")
    assert (wang.ethnicity, wang.is_migrant_worker, wang.phone) == ("03", False, "13912345678")  # retired: not 农民工
    zhao = Person.objects.get(name="赵六")
    assert (zhao.ethnicity, zhao.employment, zhao.phone_cipher, zhao.is_migrant_worker) == ("01", "1", "",
                                                                                            False)
    assert Membership.objects.get(person=wang).union == tree.union_a2
    assert MemberStatusPeriod.objects.filter(status=MemberStatus.ACTIVE).count() == 3
    assert MemberEvent.objects.filter(kind="joined").count() == 3
    entries = AuditEvent.objects.filter(seq__gt=audit_before)
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.action, entry.source, entry.actor_name) == ("members.member.bulk_joined", "import", "town_clerk")
    assert entry.changes == {"joined": 3, "unions": {"A1": 2, "A2": 1}}
    assert entry.org_path == tree.town_a.path


def test_reimporting_an_unchanged_file_changes_nothing(tree, personas, employer):
    data = sheet(row(seq=1, uscc=uscc_code(5), card="C1"), row("李四", seq=2, hukou="农村"))
    assert MemberImporter(actor=personas.town_clerk).run(data).created == 2
    before = counts()
    updated_at = list(Person.objects.order_by("pk").values_list("updated_at", flat=True))
    result = MemberImporter(actor=personas.town_clerk).run(data)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert counts() == before
    assert list(Person.objects.order_by("pk").values_list("updated_at", flat=True)) == updated_at


def test_changed_plain_fields_of_a_member_of_the_same_union_are_updated_through_the_service(tree, personas):
    MemberImporter(actor=personas.town_clerk).run(sheet(row(seq=1), row("李四", seq=2)))
    data = sheet(row(seq=1, phone="13900000000", education="研究生", hukou="农村"), row("李四", seq=2))
    result = MemberImporter(actor=personas.town_clerk).run(data)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 1, 1)
    p = Person.objects.get(name="张三")
    assert (p.phone, p.education, p.hukou, p.is_migrant_worker) == ("13900000000", "10", "2", True)
    entry = AuditEvent.objects.get(action="members.person.updated")
    assert entry.changes["phone"] == ["***", "***"] and entry.source == "import"
    assert MemberEvent.objects.filter(kind="updated").count() == 1


def test_blank_cells_leave_an_existing_member_as_it_is(tree, personas):
    MemberImporter(actor=personas.town_clerk).run(sheet(row(seq=1, hukou="农村")))
    result = MemberImporter(actor=personas.town_clerk).run(
        sheet(row(seq=1, education=None, political=None, phone=None, hukou=None, employment=None)))
    assert result.unchanged == 1
    p = Person.objects.get()
    assert (p.education, p.phone, p.is_migrant_worker) == ("20", "13812345678", True)


def test_a_person_who_left_rejoins_through_the_service(tree, personas, join):
    m = join(id_number=make_id(seq=40), joined_on=D(2021, 1, 1))
    services.member_leave(actor=None, membership=m, status=MemberStatus.WITHDRAWN, effective_on=D(2023, 1, 1),
                          reason="离职")
    result = MemberImporter(actor=personas.town_clerk).run(sheet(row(seq=40, union="A2", joined=D(2025, 3, 1))))
    assert result.ok and result.created == 1, result.errors
    assert m.person.memberships.filter(ended_on__isnull=True).get().union == tree.union_a2
    assert AuditEvent.objects.filter(action="members.member.joined", source="import").count() == 1
    early = MemberImporter(actor=personas.town_clerk).run(sheet(row(seq=40, union="A1", joined=D(2022, 1, 1))))
    assert not early.ok


# --- every error class, with its Excel row and column --------------------------------------------

def _with_member_of_b1(join, tree):
    join(union=tree.union_b1, id_number=make_id(seq=60), joined_on=D(2022, 1, 1))


def _with_card_in_use(join, tree):
    join(id_number=make_id(seq=61), card_no="USED-1")


ERROR_CASES = [
    # (rows after a good row 2, extra setup, (row, column), words in the reason)
    ([row("数字号", 430121199001010000.0, seq=0)], None, (3, "公民身份号码"), "Excel 已丢失"),
    ([row("错号", "430121199001010011")], None, (3, "公民身份号码"), "校验位不正确"),
    ([row("短号", "4301211990")], None, (3, "公民身份号码"), "应为18位"),
    ([row("性别错", seq=3, gender="女")], None, (3, "性别"), "与公民身份号码不符"),
    ([row("生日错", seq=3, birth=D(1991, 1, 1))], None, (3, "出生日期"), "与公民身份号码不符"),
    ([row("民族错", seq=3, ethnicity="火星族")], None, (3, "民族"), "不是民族的代码或名称"),
    ([row("学历错", seq=3, education="博士后")], None, (3, "文化程度"), "不是学历的代码或名称"),
    ([row("面貌错", seq=3, political="党外人士")], None, (3, "政治面貌"), "不是政治面貌的代码或名称"),
    ([row("户籍错", seq=3, hukou="城里")], None, (3, "户籍类型"), "不是户口类型的代码或名称"),
    ([row("就业错", seq=3, employment="上班")], None, (3, "就业状态"), "不是就业状况的代码或名称"),
    ([row("电话错", seq=3, phone="1234567")], None, (3, "手机号码"), "11位"),
    ([row("单位错", seq=3, uscc=uscc_code(99))], None, (3, "工作单位统一社会信用代码"), "尚未登记"),
    ([row("码错", seq=3, uscc="91430121MA4L0000X")], None, (3, "工作单位统一社会信用代码"), "应为18位"),
    ([row("无会", seq=3, union="NOPE")], None, (3, "所在工会代码"), "不存在，或不在您的管理范围内"),
    ([row("他会", seq=3, union="B1")], None, (3, "所在工会代码"), "不存在，或不在您的管理范围内"),
    ([row("联合会", seq=3, union="A")], None, (3, "所在工会代码"), "应登记在基层工会"),
    ([row("早入", seq=3, joined=D(2019, 1, 1))], None, (3, "入会日期"), "不能早于工会成立日期"),
    ([row("未来", seq=3, joined=D(2999, 1, 1))], None, (3, "入会日期"), "不能晚于今天"),
    ([row("", seq=3)], None, (3, "姓名"), "必填"),
    ([row("无日期", seq=3, joined=None)], None, (3, "入会日期"), "必填"),
    ([row("重号", seq=1)], None, (3, "公民身份号码"), "与第 2 行重复"),
    ([row("证一", seq=3, card="D1"), row("证二", seq=4, card="D1")], None, (4, "会员证号"), "与第 3 行重复"),
    # Out of the town clerk's scope: refused without naming the union (issue 12).
    ([row("乙会员", seq=60)], _with_member_of_b1, (3, "公民身份号码"), "不能在此办理入会"),
    ([row("用证", seq=3, card="USED-1")], _with_card_in_use, (3, "会员证号"), "已被使用"),
]


@pytest.mark.parametrize(("rows", "setup", "where", "words"), ERROR_CASES,
                         ids=[c[0][-1][0] or "blank-name" for c in ERROR_CASES])
def test_each_error_is_reported_at_its_row_and_column_and_nothing_is_saved(tree, personas, join, employer, rows,
                                                                           setup, where, words):
    if setup:
        setup(join, tree)
    before = counts()
    result = MemberImporter(actor=personas.town_clerk).run(sheet(row("好人", seq=1), *rows))
    assert errors_of(result) == {where}, result.errors
    assert words in result.errors[0].reason
    assert counts() == before


def test_a_member_of_the_same_union_keeps_join_date_and_card(tree, personas):
    MemberImporter(actor=personas.town_clerk).run(sheet(row(seq=1, card="K1")))
    result = MemberImporter(actor=personas.town_clerk).run(sheet(row(seq=1, card="K2", joined=D(2024, 4, 1))))
    assert errors_of(result) == {(2, "入会日期"), (2, "会员证号")}
    assert "导入不修改" in result.errors[0].reason


def test_every_error_of_a_file_comes_at_once_with_ids_and_phones_masked(tree, personas):
    number = make_id(seq=5)
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    result = MemberImporter(actor=personas.town_clerk).run(sheet(
        row("甲", bad, phone="12345678901", union="NOPE"),
        row("乙", 430121199001010000.0),
    ))
    assert errors_of(result) == {(2, "公民身份号码"), (2, "手机号码"), (2, "所在工会代码"), (3, "公民身份号码")}
    shown = {(e.row, e.column): e.value for e in result.errors}
    assert shown[(2, "公民身份号码")] == crypto.mask_id(bad) and bad not in str(result.errors)
    assert shown[(2, "手机号码")] == "123****8901" and "12345678901" not in str(result.errors)
    assert "4301211990010" not in shown[(3, "公民身份号码")].replace(".", "")


def test_a_user_without_change_rights_on_the_union_is_out_of_scope(tree, personas):
    result = MemberImporter(actor=personas.union_clerk).run(sheet(row(seq=1, union="A2")))
    assert errors_of(result) == {(2, "所在工会代码")}
    assert MemberImporter(actor=personas.union_clerk).run(sheet(row(seq=1, union="A1"))).ok


# --- the bulk path: the same rows as member_join, and all or nothing -----------------------------

def _snapshot():
    """Every field of the member rows that a join writes, without ids, times and random nonces."""
    p = Person.objects.get()
    m = Membership.objects.get()
    skip = {"id", "created_at", "updated_at", "id_cipher", "phone_cipher"}
    person = {f.attname: getattr(p, f.attname) for f in Person._meta.concrete_fields if f.attname not in skip}
    person.update(id_number=p.id_number, phone=p.phone)
    return {
        "person": person,
        "membership": {f.attname: getattr(m, f.attname) for f in Membership._meta.concrete_fields
                       if f.attname not in {"id", "person_id", "created_at"}},
        "periods": list(MemberStatusPeriod.objects.values("union_id", "status", "valid_from", "valid_to", "reason")),
        "events": list(MemberEvent.objects.values("union_id", "kind", "effective_on", "path", "data", "reason",
                                                  "actor_name")),
    }


def test_bulk_join_writes_exactly_the_rows_member_join_writes(tree, personas, employer):
    # A2 moved to 乙 after the join date: the event must carry the path A2 had then.
    org_services.org_move(actor=None, org=tree.union_a2, new_parent=tree.town_b, effective_on=D(2025, 6, 1))
    tree.union_a2.refresh_from_db()
    number = make_id("19850704", 77, female=True)
    fields = {"ethnicity": "05", "education": "30", "political": "03", "phone": "13700001111", "hukou": Hukou.RURAL,
              "is_migrant_worker": True, "employment": "X1", "employer": employer}
    args = {"union": tree.union_a2, "name": " 单丽 ", "joined_on": D(2025, 3, 1), "card_no": "BULK-1"}
    with transaction.atomic():
        services.member_join(actor=personas.county_admin, id_number=number, **args, **fields)
        by_service = _snapshot()
        transaction.set_rollback(True)
    assert Person.objects.count() == 0
    bulk.members_bulk_join(actor=personas.county_admin, rows=[
        bulk.NewMember(id_number=parse_id_number(number), fields=fields, **args)])
    by_bulk = _snapshot()
    assert by_bulk == by_service
    assert by_bulk["events"][0]["path"] != tree.union_a2.path  # the placement on the join date
    assert " shanli " in by_bulk["person"]["pinyin_keys"]


def test_a_failure_while_saving_the_last_batch_leaves_no_rows(tree, personas, join, monkeypatch):
    join(id_number=make_id(seq=90), phone="13800000000")  # to be updated by the file
    left = join(id_number=make_id(seq=91))  # to rejoin through the service
    services.member_leave(actor=None, membership=left, status=MemberStatus.WITHDRAWN, effective_on=D(2024, 6, 1),
                          reason="离职")
    before = counts()
    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    real, calls = bulk._save_batch, []

    def failing(rows, *args):
        calls.append(len(rows))
        if len(calls) == 3:  # the last of 3 batches (2 + 2 + 1 new people)
            raise RuntimeError("disk full")
        return real(rows, *args)

    monkeypatch.setattr(bulk, "_save_batch", failing)
    data = sheet(row(seq=90, phone="13811112222"), row("回来", seq=91, union="A2", joined=D(2025, 3, 1)),
                 *[row(f"新{i}", seq=100 + i) for i in range(5)])
    with pytest.raises(RuntimeError):
        MemberImporter(actor=personas.town_clerk).run(data)
    assert calls == [2, 2, 1]
    assert counts() == before
    assert Person.objects.get(id_hash=crypto.lookup_hash(make_id(seq=90))).phone == "13800000000"


# --- the web page: small files at once, big files as a job ----------------------------------------

def upload(client, data, name="会员.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("core:import", args=["members"]), {"file": f})


def test_a_small_good_upload_reports_the_counts(client, tree, personas):
    client.force_login(personas.town_clerk)
    response = upload(client, sheet(row(seq=1), row("李四", seq=2)))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "新增 2，更新 0，未变 0" in page
    assert Membership.objects.count() == 2
    job = Job.objects.get()
    assert (job.status, job.kind, job.user, job.result["created"]) == ("done", "import", personas.town_clerk, 2)


def test_a_bad_upload_lists_the_errors_and_offers_the_error_report(client, tree, personas, data_dir):
    client.force_login(personas.town_clerk)
    number = make_id(seq=3)
    before = counts()
    response = upload(client, sheet(row(seq=1), row("性别错", number, gender="女"),
                                    row("无会", seq=4, union="B1", phone="12345678901")))
    page = response.content.decode()
    assert response.status_code == 200 and "未保存任何数据" in page and "3</strong> 处错误" in page
    assert "与公民身份号码不符" in page and "不在您的管理范围内" in page
    assert "123****8901" in page and "12345678901" not in page  # masked on the page
    assert counts() == before
    job = response.context["job"]
    assert number not in str(job.result) and make_id(seq=4) not in str(job.result)
    report = client.get(reverse("jobs:download", args=[job.pk]))
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    rows = read_back(b"".join(report.streaming_content))
    assert rows[0][-1] == "错误说明" and rows[0][:14] == HEADERS
    assert rows[1][-1] == "" and "性别：" in rows[2][-1] and "所在工会代码：" in rows[3][-1]
    assert rows[3][7] == "12345678901"
    assert rows[2][1] == number  # the clerk's own sheet back, to correct in place
    path = data_dir / "jobs" / job.output_path
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert not (data_dir / "jobs" / job.input_path).is_file()  # the upload itself is not kept
    client.force_login(personas.town_admin)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_an_unreadable_upload_is_a_form_error(client, tree, personas):
    client.force_login(personas.town_clerk)
    response = upload(client, b"not excel", "x.xlsx")
    assert response.status_code == 200 and "无法读取该文件" in response.content.decode()
    response = upload(client, b"text", "x.csv")
    assert "请上传 Excel 文件" in response.content.decode()


def test_the_import_page_needs_the_import_permission(client, tree, personas):
    client.force_login(personas.leader)
    assert client.get(reverse("core:import", args=["members"])).status_code == 403
    assert client.get(reverse("core:import_template", args=["members"])).status_code == 403
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:import", args=["members"])).content.decode()
    assert "下载模板" in page and "农民工" in page


def big_file(n: int, union="A1") -> bytes:
    """n valid, distinct ID numbers: the sequence number and the area code count the rows."""
    rows = []
    for i in range(n):
        body = f"4301{i // 1000 % 100:02d}{1960 + i % 40}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        rows.append(row(f"会员{i}", body + id_check_char(body), union=union, phone=None))
    return sheet(*rows)


def test_a_file_over_1000_rows_runs_as_a_job_and_ends_with_every_member(client, tree, personas, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(personas.town_clerk)
    response = upload(client, big_file(3000))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.status, job.total, job.done, job.result["created"], job.error) == ("done", 3000, 3000, 3000, "")
    assert job.task_id and job.started_at and job.finished_at
    assert Membership.objects.filter(union=tree.union_a1).count() == 3000
    page = client.get(response["Location"]).content.decode()
    assert "导入完成：共 3000 行，新增 3000" in page and "every 1s" not in page
    assert AuditEvent.objects.filter(action="members.member.bulk_joined").count() == 1


def test_a_big_file_with_errors_ends_as_a_job_with_an_error_report(client, tree, personas, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(personas.town_clerk)
    before = counts()
    upload(client, big_file(1500, union="B1"))
    job = Job.objects.get()
    assert job.status == "done" and job.result["error_count"] == 1500 and len(job.result["errors"]) == 500
    assert counts() == before
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "1500</strong> 处错误" in page and "下载错误报告" in page and "仅列出前 500 处错误" in page
    report = read_back(b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content))
    assert report[0][-1] == "错误说明" and len(report) == 1501


# --- the command line --------------------------------------------------------------------------------

def write(tmp_path, data, name="会员.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_cli_dry_run_reports_and_saves_nothing(tree, personas, tmp_path, capsys):
    path = write(tmp_path, sheet(row(seq=1), row("李四", seq=2)))
    before = counts()
    call_command("import_data", "members", path, "--dry-run", "--user", "town_clerk")
    out = capsys.readouterr().out
    assert "试运行" in out and "将新增 2" in out
    assert counts() == before
    call_command("import_data", "members", path, "--user", "town_clerk")
    assert "新增 2" in capsys.readouterr().out
    assert Membership.objects.count() == 2


def test_the_cli_prints_every_error_and_the_error_sheet_and_fails(tree, personas, tmp_path, capsys):
    path = write(tmp_path, sheet(row(seq=1, gender="女"), row("数字", 430121199001010000.0)))
    before = counts()
    with pytest.raises(CommandError, match="发现 2 处错误"):
        call_command("import_data", "members", path, "--dry-run")
    err = capsys.readouterr().err
    assert "2\t性别\t女\t与公民身份号码不符" in err and "3\t公民身份号码\t" in err and "Excel 已丢失" in err
    report = tmp_path / "会员-错误报告.xlsx"
    assert f"错误报告已写入：{report}" in err
    assert read_back(report.read_bytes())[0][-1] == "错误说明"
    assert oct(os.stat(report).st_mode & 0o777) == "0o600"
    assert counts() == before

