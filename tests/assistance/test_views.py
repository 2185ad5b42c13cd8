"""Pages: forms keep input on refusal, masking and logged full views, the four-eyes flow through
the web, list query counts, exports (access-logged) and the two-phase archive import."""

import datetime as dt
import io

from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.assistance import services
from gonghui.assistance.models import (
    Application,
    ApplicationStatus,
    Archive,
    ArchiveStatus,
    LivingStandard,
    Payment,
)
from gonghui.core import excel
from gonghui.core.models import AccessLog
from tests.members.conftest import make_id

D = dt.date


def _form(**kw):
    data = {"union_code": "A1", "head_name": "周困难", "id_number": make_id(seq=77), "region_code": "430121",
            "work_status": "employed", "health": "02", "household_size": "1", "monthly_wage": "600",
            "other_income": "0", "accident_loss": "0", "main_cause": "06", "secondary_causes": ["09"],
            "created_on": "2025-03-03"}
    data.update(kw)
    return data


def test_create_archive_through_the_form_and_keep_input_on_refusal(client, personas, standard):
    client.force_login(personas.town_clerk)
    url = reverse("assistance:archive_create")
    r = client.post(url, _form(secondary_causes=["06"]))
    assert r.status_code == 200 and "不能与主要致困原因相同" in r.content.decode()
    assert 'value="周困难"' in r.content.decode()
    r = client.post(url, _form(union_code="B1"))
    assert "不在您的管理范围内" in r.content.decode()
    r = client.post(url, _form())
    a = Archive.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("assistance:archive_detail", args=[a.pk])
    assert a.category == "deep" and a.secondary_causes == ["09"]


def test_finances_are_masked_without_view_sensitive_and_logged_with_it(client, personas, archive):
    a = archive(wage="654.32")
    client.force_login(personas.town_clerk)  # 业务经办: no view_sensitive
    page = client.get(reverse("assistance:archive_detail", args=[a.pk])).content.decode()
    assert "654.32" not in page
    assert a.id_masked in page
    assert a.id_number not in page
    assert "子女 李**" in page
    assert "湖南大学" not in page and AccessLog.objects.count() == 0
    assert reverse("assistance:archive_reveal", args=[a.pk]) not in page
    assert client.post(reverse("assistance:archive_reveal", args=[a.pk]), {"reason": "x"}).status_code == 403
    client.force_login(personas.town_admin)
    page = client.get(reverse("assistance:archive_detail", args=[a.pk])).content.decode()
    assert "654.32" in page and "李小妹" in page and "湖南大学" in page
    log = AccessLog.objects.get()
    assert (log.kind, log.object_id, log.user_name) == ("view_full", str(a.pk), "town_admin")


def test_id_and_bank_numbers_stay_masked_until_revealed_for_a_reason(client, personas, archive):
    """Issue 15 item 7: the detail page showed the full ID and card numbers while the phone was
    masked; now all three are masked and shown in full only through the logged reveal."""
    a = archive(phone="13812345678", bank_name="农业银行", bank_account="6228480012345678901")
    client.force_login(personas.town_admin)  # holds assistance.view_sensitive
    page = client.get(reverse("assistance:archive_detail", args=[a.pk])).content.decode()
    assert a.id_masked in page and a.id_number not in page
    assert "****8901" in page and "6228480012345678901" not in page and "13812345678" not in page
    url = reverse("assistance:archive_reveal", args=[a.pk])
    assert url in page
    r = client.post(url, {"reason": " "})
    assert "须填写查看事由" in r.content.decode() and a.id_number not in r.content.decode()
    page_fields = ["finances", "family", *services.SENSITIVE_FIELDS]
    assert list(AccessLog.objects.values_list("fields", flat=True)) == [page_fields]  # the page only
    shown = client.post(url, {"reason": "核对银行卡发放"}).content.decode()
    assert a.id_number in shown and "6228480012345678901" in shown and "13812345678" in shown
    log = AccessLog.objects.latest("id")
    assert (log.kind, log.reason, log.object_id) == ("view_full", "核对银行卡发放", str(a.pk))
    assert set(log.fields) == {"id_number", "bank_account", "phone"}


def test_the_member_link_goes_to_the_current_membership_after_a_transfer(client, personas, tree, standard):
    from gonghui.members import services as member_services

    number = make_id(seq=78)
    old = member_services.member_join(actor=None, union=tree.union_a1, name="周困难", id_number=number,
                                      joined_on=D(2024, 3, 1))
    new = member_services.member_transfer(actor=personas.county_admin, membership=old, to_union=tree.union_a2,
                                          effective_on=D(2025, 2, 20), reason="调动")
    client.force_login(personas.town_clerk)
    client.post(reverse("assistance:archive_create"), _form(id_number=number))
    page = client.get(reverse("assistance:archive_detail", args=[Archive.objects.get().pk])).content.decode()
    assert reverse("members:detail", args=[new.pk]) in page
    assert reverse("members:detail", args=[old.pk]) not in page


def test_the_four_eyes_flow_through_the_pages(client, personas, archive, four_eyes):
    a = archive()
    client.force_login(four_eyes["clerk"])
    r = client.post(reverse("assistance:application_create", args=[a.pk]),
                    {"type": "medical", "amount_requested": "2000", "reason": "住院", "applied_on": "2025-03-01"})
    app = Application.objects.get()
    assert r.status_code == 302
    # The clerk holds no review permission: 403 before anything else.
    assert client.post(reverse("assistance:application_review", args=[app.pk]),
                       {"decision": "yes", "on": "2025-03-02"}).status_code == 403
    # The applicant holds no review permission here; a clerk who does is still not offered the form.
    client.force_login(four_eyes["reviewer"])
    detail = reverse("assistance:application_detail", args=[app.pk])
    assert 'id="decision-form"' in client.get(detail).content.decode()
    r = client.post(reverse("assistance:application_review", args=[app.pk]), {"decision": "no", "on": "2025-03-02",
                                                                             "note": ""})
    page = r.content.decode()  # refused on the page itself, with what was typed
    assert r.status_code == 200 and "审核不通过须填写意见" in page and 'value="2025-03-02"' in page
    client.post(reverse("assistance:application_review", args=[app.pk]), {"decision": "yes", "on": "2025-03-02"})
    page = client.get(detail).content.decode()  # the reviewer may approve elsewhere, not this one
    assert 'id="decision-form"' not in page and "审批人不能是审核人本人" in page
    r = client.post(reverse("assistance:application_approve", args=[app.pk]), {"decision": "yes", "on": "2025-03-03",
                                                                              "amount_approved": "1800"})
    assert r.status_code == 200 and 'id="refused"' in r.content.decode()
    assert "审批人不能是审核人本人" in r.content.decode()
    client.force_login(four_eyes["approver"])
    client.post(reverse("assistance:application_approve", args=[app.pk]),
                {"decision": "yes", "on": "2025-03-03", "amount_approved": "1800"})
    client.force_login(four_eyes["clerk"])
    url = reverse("assistance:payment_create", args=[app.pk])
    r = client.post(url, {"paid_on": "2025-03-02", "method": "bank", "fund_source": "own"})
    assert "发放日期不能早于审批日期" in r.content.decode()
    client.post(url, {"paid_on": "2025-03-05", "method": "bank", "fund_source": "own"})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.PAID and Payment.objects.get().amount == 1800
    page = client.get(reverse("assistance:application_detail", args=[app.pk])).content.decode()
    assert "本级工会经费" in page and "reviewer" in page and "approver" in page


def test_the_applicant_is_not_offered_the_review_of_their_own_application(client, personas, archive, tree):
    """Issue 15 item 8(c) for assistance: an applicant who also holds 审核 sees why, not a form."""
    from tests.conftest import make_user

    both = make_user("both", tree.town_a, "审批")
    both.grants.create(org=tree.town_a, role=personas.town_clerk.grants.get().role)
    a = archive()
    app = services.application_submit(actor=both, archive=a, type="medical", amount_requested=800, reason="住院",
                                      applied_on=D(2025, 3, 1))
    client.force_login(both)
    page = client.get(reverse("assistance:application_detail", args=[app.pk])).content.decode()
    assert 'id="decision-form"' not in page and "审核人不能是申请经办人本人" in page and 'id="four-eyes"' in page
    assert "提交初审" in page  # 初审 is the applicant's own union's step: still offered


def test_list_pages_do_not_grow_queries_with_rows(client, personas, archive, tree):
    """The same number of queries for 2 rows as for 12 (the base template's reminder counts come
    from every app, so an absolute number would measure the other apps)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    helper = services.helper_create(actor=None, org=tree.root, name="县电视台")
    client.force_login(personas.town_admin)
    names = ("assistance:archives", "assistance:applications", "assistance:pairings", "assistance:campaigns")

    def add(n, start):
        for i in range(start, start + n):
            a = archive(name=f"户{i}")
            services.application_submit(actor=None, archive=a, type="living", amount_requested=100, reason="x",
                                        applied_on=D(2025, 2, 1))
            services.pairing_create(actor=None, helper=helper, archive=a, pledged_on=D(2025, 2, 1))

    def counts():
        out = []
        for name in names:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name)).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    add(2, 0)
    counts()  # warm-up: the first request of a session does a few queries more
    few = counts()
    add(10, 2)
    assert counts() == few


def test_archive_export_is_masked_per_row_and_access_logged(client, personas, archive, tree):
    a = archive(wage=321)
    client.force_login(personas.town_clerk)
    r = client.get(reverse("assistance:archive_export"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(r.streaming_content))).get_sheet_by_index(0).to_python()
    assert rows[1][3] == a.id_masked and rows[1][14] == "***"
    assert AccessLog.objects.get().kind == "export"


def test_campaign_ledger_and_standard_table(client, personas, archive, tree, four_eyes):
    a = archive()
    c = services.campaign_create(actor=None, org=tree.root, name="两节送温暖", type="warmth", start_on=D(2025, 1, 1),
                                 end_on=D(2025, 2, 28), budget=5000)
    services.campaign_add_targets(actor=None, campaign=c, archives=[a])
    app = services.application_submit(actor=None, archive=a, type="warmth", amount_requested=500, reason="慰问",
                                      applied_on=D(2025, 1, 22), campaign=c)
    services.application_review(actor=None, application=app, approve=True, on=D(2025, 1, 22))
    services.application_approve(actor=None, application=app, approve=True, on=D(2025, 1, 22))
    services.payment_record(actor=None, application=app, paid_on=D(2025, 1, 23), method="cash", fund_source="upper")
    client.force_login(personas.county_admin)
    page = client.get(reverse("assistance:campaign_detail", args=[c.pk])).content.decode()
    assert "1 / 1 户" in page and "4,500.00元" in page
    r = client.get(reverse("assistance:campaign_ledger", args=[c.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(r.streaming_content))).get_sheet_by_index(0).to_python()
    assert rows[1][2] == "李困难" and rows[1][9] == "上级工会补助" and rows[-1][0] == "合计" and rows[-1][6] == 500
    # The standard table is the reports app's now (core.tables); the old address forwards to it.
    r = client.get(reverse("assistance:table"), {"org": "", "start": "2025-01-01", "end": "2025-06-30",
                                                 "format": "xlsx"}, follow=True)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[3][0] == "单位" and rows[3][12:14] == ["送温暖人数", "送温暖金额(元)"]
    assert [r[0] for r in rows[4:] if r[0]] == ["长沙县总工会（本级）", "甲镇工会联合会", "乙街道总工会", "合计"]
    assert rows[5][1] == 1 and rows[7][12] == 1 and rows[7][13] == 500  # 在档户数; 送温暖 persons, amount
    assert AccessLog.objects.filter(kind="export").count() == 2


def _sheet(rows) -> bytes:
    from gonghui.assistance.imports import ArchiveImporter

    headers = [c.header for c in ArchiveImporter.columns]
    out = io.BytesIO()
    excel.write_table(out, headers, [[r.get(h, "") for h in headers] for r in rows])
    return out.getvalue()


GOOD = {"建档单位代码": "A1", "户主姓名": "钱困难", "身份证号": make_id(seq=91), "户口所在地行政区划代码": "430121",
        "本人月平均收入": 800, "主要致困原因": "患重特大疾病", "次要致困原因": "子女上学、下岗失业",
        "建档日期": "2024-03-01", "入档日期": "2024-03-20", "成员1姓名": "钱小", "成员1关系": "子女",
        "成员1出生日期": "2010-05-01", "成员1月收入": 0}


def test_import_is_two_phase_and_idempotent(client, personas, standard):
    client.force_login(personas.town_clerk)
    url = reverse("core:import", args=["assistance_archives"])
    bad = [GOOD, {**GOOD, "身份证号": make_id(seq=92), "主要致困原因": "穷", "建档单位代码": "B1"},
           {**GOOD, "户主姓名": "重复"}]
    r = client.post(url, {"file": _upload(_sheet(bad))})
    page = r.content.decode()
    assert "未保存任何数据" in page and "“穷”不是可选值" in page and "不在您的管理范围内" in page
    assert "与第 2 行重复" in page and Archive.objects.count() == 0
    report = client.get(r.context["job"] and reverse("jobs:download", args=[r.context["job"].pk]))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(report.streaming_content))).get_sheet_by_index(0)
    assert sheet.to_python()[0][-1] == "错误说明" and "不是可选值" in sheet.to_python()[2][-1]
    r = client.post(url, {"file": _upload(_sheet([GOOD]))})
    a = Archive.objects.get()
    assert (a.status, a.entered_on, a.next_review_on, a.per_capita, a.category) == (
        ArchiveStatus.ACTIVE, D(2024, 3, 20), D(2025, 3, 20), 400, "deep")
    assert a.secondary_causes == ["09", "03"] and a.family.get().name == "钱小"
    assert "由原台账导入" in a.events.get(kind="entered").note
    client.post(url, {"file": _upload(_sheet([GOOD]))})
    assert Archive.objects.count() == 1


def test_import_takes_the_declared_household_size(client, personas, standard):
    client.force_login(personas.town_clerk)
    url = reverse("core:import", args=["assistance_archives"])
    r = client.post(url, {"file": _upload(_sheet([{**GOOD, "家庭人口数": 0}]))})
    assert "应为1至20人" in r.content.decode() and not Archive.objects.exists()
    client.post(url, {"file": _upload(_sheet([{**GOOD, "家庭人口数": 4}]))})
    a = Archive.objects.get()  # 800 a month for four people, one of them entered as a member
    assert (a.declared_size, a.household_size, a.per_capita) == (4, 4, 200)


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("archives.xlsx", content)


def test_the_template_downloads(client, personas):
    client.force_login(personas.town_clerk)
    r = client.get(reverse("core:import_template", args=["assistance_archives"]))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")



def test_edit_keeps_blank_secrets_and_reassesses_incomes(client, personas, archive):
    a = archive(wage=500)
    phone_before = a.phone_masked
    client.force_login(personas.town_clerk)
    url = reverse("assistance:archive_edit", args=[a.pk])
    page = client.get(url).content.decode()
    assert 'name="monthly_wage"' in page and "500.00" not in page  # the clerk never sees the income
    base = {"work_status": "laid_off", "health": "02", "main_cause": "06", "on": "2025-02-01"}
    r = client.post(url, {**base, "secondary_causes": ["06"]})
    assert "不能与主要致困原因相同" in r.content.decode()
    # 1,800 for two people moves the suggestion from 深度 to 相对: shown and asked, nothing saved yet.
    r = client.post(url, {**base, "monthly_wage": "1800"})
    page = r.content.decode()
    assert r.status_code == 200 and "系统建议类别由“深度困难”变为“相对困难”" in page
    assert 'name="confirm_category"' in page and 'value="1800"' in page and "900" not in page
    a.refresh_from_db()
    assert (a.work_status, a.monthly_wage, a.category) == ("employed", 500, "deep")
    client.post(url, {**base, "monthly_wage": "1800", "confirm_category": "deep"})
    a.refresh_from_db()
    assert (a.work_status, a.monthly_wage, a.per_capita, a.phone_masked) == ("laid_off", 1800, 900, phone_before)
    assert a.proposed_category == "relative" and a.category == "deep"  # kept, as the clerk confirmed
    note = a.events.first().note
    assert "工作状态" in note and "本人月平均收入" in note and "1800" not in note and "经办确认保持“深度困难”" in note


def test_household_size_is_asked_up_front_and_family_changes_are_confirmed(client, personas, standard):
    """Issue 15 item 7 through the pages: 1,800 元 for a household of four is 深度困难 at 建档; entering
    the members changes nothing silently; a spouse's income that moves the suggestion is asked about."""
    client.force_login(personas.town_clerk)
    r = client.post(reverse("assistance:archive_create"), _form(monthly_wage="1800", household_size=""))
    assert r.status_code == 200 and "household_size" in r.context["form"].errors
    r = client.post(reverse("assistance:archive_create"), _form(monthly_wage="1800", household_size="4"))
    a = Archive.objects.get()
    assert (a.household_size, a.per_capita, a.category) == (4, 450, "deep")
    url = reverse("assistance:archive_family", args=[a.pk])
    child = {"relation": "child", "birth_date": "2012-01-01", "gender": "1", "health": "01",
             "monthly_income": "0", "lives_together": "on", "on": "2025-03-04"}
    assert client.post(url, {**child, "name": "周子"}).status_code == 302
    r = client.post(url, {**child, "name": "周妻", "relation": "spouse", "monthly_income": "3000"})
    page = r.content.decode()
    assert r.status_code == 200 and "由“深度困难”变为“相对困难”" in page and 'value="周妻"' in page
    assert a.family.count() == 1
    r = client.post(url, {**child, "name": "周妻", "relation": "spouse", "monthly_income": "3000",
                          "confirm_category": "relative"})
    a.refresh_from_db()
    assert r.status_code == 302 and (a.household_size, a.per_capita, a.category) == (4, 1200, "relative")
    assert "经办确认类别由“深度困难”调整为“相对困难”" in a.events.first().note


def test_archive_list_filters_women_heads(client, personas, archive):
    archive(name="女户主", female=True)
    archive(name="男户主")
    client.force_login(personas.town_clerk)
    page = client.get(reverse("assistance:archives"), {"gender": "2"}).content.decode()
    assert "女户主" in page and "男户主" not in page


def test_attachments_upload_with_the_application_and_open_only_with_view_sensitive(client, personas, archive):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = archive()
    client.force_login(personas.town_clerk)
    url = reverse("assistance:application_create", args=[a.pk])
    data = {"type": "medical", "amount_requested": "2000", "reason": "住院", "applied_on": "2025-03-01"}
    r = client.post(url, {**data, "attachment": SimpleUploadedFile("病历.exe", b"MZ")})
    assert "附件须为 PDF" in r.content.decode() and not Application.objects.exists()  # neither is saved
    client.post(url, {**data, "attachment": SimpleUploadedFile("诊断书.pdf", b"%PDF-1.4 x")})
    app = Application.objects.get()
    doc = app.attachments.get()
    assert doc.name == "诊断书.pdf" and doc.uploaded_by_name == "town_clerk"
    page = client.get(reverse("assistance:application_detail", args=[app.pk])).content.decode()
    assert "诊断书.pdf" in page and reverse("assistance:document_open", args=[doc.pk]) not in page
    assert client.get(reverse("assistance:document_open", args=[doc.pk])).status_code == 403
    client.force_login(personas.town_admin)
    r = client.get(reverse("assistance:document_open", args=[doc.pk]))
    assert b"".join(r.streaming_content) == b"%PDF-1.4 x"
    assert AccessLog.objects.get().object_type == "assistance.document"


def test_transitions_through_the_pages_keep_input_on_refusal(client, personas, archive):
    a = archive()
    client.force_login(personas.town_clerk)
    url = reverse("assistance:archive_transition", args=[a.pk, "exit"])
    r = client.post(url, {"on": "2025-06-01", "status": "recovered", "reason": ""})
    assert r.status_code == 200 and "必填" in r.content.decode()
    r = client.post(url, {"on": "2024-06-01", "status": "recovered", "reason": "再就业"})
    assert "早于该档案上一次办理的日期" in r.content.decode() and 'value="再就业"' in r.content.decode()
    client.post(url, {"on": "2025-06-01", "status": "recovered", "reason": "再就业"})
    a.refresh_from_db()
    assert (a.status, a.exit_reason) == ("recovered", "再就业")
    assert client.get(reverse("assistance:archive_transition", args=[a.pk, "fly"])).status_code == 404


def test_standards_page_maintains_the_table(client, personas):
    client.force_login(personas.town_clerk)
    url = reverse("assistance:standards")
    r = client.post(url, {"region_code": "4301", "region_name": "长沙市", "year": 2026, "monthly": "800"})
    assert "至少" in r.content.decode() and 'value="长沙市"' in r.content.decode()  # min_length 6
    client.post(url, {"region_code": "430100", "region_name": "长沙市", "year": 2026, "monthly": "800"})
    client.post(url, {"region_code": "430100", "region_name": "长沙市", "year": 2026, "monthly": "830"})
    assert list(LivingStandard.objects.values_list("monthly", flat=True)) == [830]


def test_notice_list_shows_no_personal_details(client, personas, archive):
    a = archive(name="欧阳小明", entered=None, wage="432.10")
    services.archive_start_notice(actor=None, archive=a, on=D(2025, 1, 6))
    archive(name="在档户")  # in force: not on the notice list
    client.force_login(personas.town_admin)
    r = client.get(reverse("assistance:notice_list"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(r.streaming_content))).get_sheet_by_index(0).to_python()
    assert rows[1:] == [[1, "欧**明", "甲一公司工会", "深度困难", "患重特大疾病", "2025-01-06 至 2025-01-13"]]
    flat = str(rows)
    assert a.id_number not in flat and a.id_masked not in flat and "432" not in flat
    assert AccessLog.objects.get().kind == "export"
