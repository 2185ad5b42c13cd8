"""Pages: intake form, the workflow steps, lists (scoped, few queries), masking and its log,
the ledger export, the standard table, the import and the to-do items."""

import datetime as dt
import io

import pytest
import xlsxwriter
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.core.models import AccessLog
from gonghui.petitions import services
from gonghui.petitions.models import Petition, Status

from .conftest import make_mediation, make_petition

D = dt.date
pytestmark = pytest.mark.django_db


def sheet(content: bytes) -> list[list]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return wb.get_sheet_by_name(wb.sheet_names[0]).to_python()


FORM = {
    "org_code": "A", "channel": "forwarded", "received_on": "2025-12-01", "kind": "claim", "category": "wages",
    "title": "拖欠三个月工资", "content": "", "source_org_name": "市总工会", "source_ref": "市工转〔2025〕7号",
    "name": "刘桂兰", "gender": "2", "id_number": "", "phone": "13912345678", "address": "", "others": "",
    "people_count": "1", "employer_name": "甲一公司", "amount_claimed": "36000",
}


def test_a_clerk_registers_a_forwarded_case_and_sees_its_due_dates(client, personas, today):
    client.force_login(personas.town_clerk)
    response = client.post(reverse("petitions:register"), FORM)
    p = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:detail", args=[p.pk])
    assert (p.org.code, p.source_ref, p.employer.name, p.notice_due) == ("A", "市工转〔2025〕7号", "甲一公司",
                                                                         D(2025, 12, 16))
    page = client.get(response["Location"]).content.decode()
    assert "受理告知期限：2025-12-16" in page and "刘**" in page
    assert "刘桂兰" not in page and "13912345678" not in page and "139****5678" in page
    assert "查看完整信息" not in page  # 业务经办 holds no petitions.view_sensitive


def test_a_rejected_form_keeps_what_was_typed(client, personas, today):
    client.force_login(personas.town_clerk)
    page = client.post(reverse("petitions:register"), {**FORM, "source_ref": ""}).content.decode()
    assert "上级转办的案件须填写转办文号" in page and "拖欠三个月工资" in page and "刘桂兰" in page
    page = client.post(reverse("petitions:register"), {**FORM, "org_code": "B"}).content.decode()
    assert "未找到编码为“B”的单位" in page
    assert not Petition.objects.exists()


def test_the_steps_from_acceptance_to_closure_through_the_pages(client, personas, today):
    p = make_petition(personas.town_clerk.home_org, actor=personas.town_clerk, received_on=D(2025, 12, 1))
    client.force_login(personas.town_clerk)
    url = lambda action: reverse("petitions:act", args=[p.pk, action])  # noqa: E731
    assert client.post(url("accept"), {"notice_on": "2025-12-02"}).status_code == 302
    page = client.post(url("reply"), {"replied_on": "2025-11-01", "result": "support", "summary": "x"})
    assert "不能早于受理日期" in page.content.decode()  # refused, the form is shown again
    client.post(url("reply"), {"replied_on": "2025-12-20", "result": "support", "summary": "补发工资",
                               "amount_recovered": "36000"})
    client.post(url("close"), {"closed_on": "2025-12-22", "satisfaction": "satisfied"})
    p.refresh_from_db()
    assert p.status == Status.CLOSED and p.amount_recovered == 36000
    assert client.get(url("nonsense")).status_code == 404


def test_the_list_is_scoped_flags_overdue_and_does_not_grow_in_queries(client, tree, personas, today):
    make_petition(tree.union_b1, title="乙的案件")
    make_petition(tree.union_a1, title="逾期案件", received_on=D(2025, 3, 3))
    client.force_login(personas.town_clerk)
    page = client.get(reverse("petitions:index")).content.decode()
    assert "逾期案件" in page and "乙的案件" not in page and "已逾期" in page
    assert "逾期案件" in client.get(reverse("petitions:index"), {"overdue": "on"}).content.decode()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("petitions:index"))
    for i in range(15):
        make_petition(tree.union_a2, title=f"案件{i}", handler_a=personas.town_clerk)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("petitions:index"))
    assert len(many) == len(one)
    page = client.get(reverse("petitions:index"), {"mine": "on"}).content.decode()
    assert "案件14" in page and "逾期案件" not in page


def test_full_view_is_logged_and_masked_otherwise(client, tree, personas, today):
    p = make_petition(tree.union_a1, petitioners=[{"name": "刘桂兰", "phone": "13912345678"}])
    client.force_login(personas.town_admin)
    assert "查看完整信息" in client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    page = client.post(reverse("petitions:reveal", args=[p.pk]), {"reason": "电话回访"}).content.decode()
    assert "刘桂兰" in page and "13912345678" in page
    assert AccessLog.objects.filter(object_type="petitions.petition", reason="电话回访").count() == 1
    client.post(reverse("petitions:reveal", args=[p.pk]), {"reason": ""})
    assert AccessLog.objects.count() == 1  # no reason, nothing shown, nothing logged
    client.force_login(personas.town_clerk)
    assert client.post(reverse("petitions:reveal", args=[p.pk]), {"reason": "x"}).status_code == 403


def test_the_ledger_is_masked_per_permission_and_logged(client, tree, personas, today):
    make_petition(tree.union_a1, petitioners=[{"name": "刘桂兰", "phone": "13912345678"}], people_count=6)
    make_petition(tree.union_b1, name="乙某")
    client.force_login(personas.town_clerk)
    rows = sheet(client.get(reverse("petitions:export")).getvalue())
    assert rows[0][:3] == ["编号", "承办单位", "渠道"] and len(rows) == 2
    assert rows[1][6] == "刘**等6人" and rows[1][8] == "139****5678" and rows[1][10] == "是"
    client.force_login(personas.town_admin)
    rows = sheet(client.get(reverse("petitions:export")).getvalue())
    assert rows[1][6] == "刘桂兰等6人" and rows[1][8] == "13912345678"
    logs = list(AccessLog.objects.filter(kind="export").order_by("id").values_list("reason", flat=True))
    assert logs == ["导出信访台账 1 行（信访人信息已脱敏）；筛选：全部",
                    "导出信访台账 1 行（其中 1 行含信访人完整身份和联系方式）；筛选：全部"]


def test_the_standard_table_has_one_row_per_subordinate_and_totals(client, tree, personas, today):
    make_petition(tree.union_a1, channel="forwarded")
    make_petition(tree.union_a2, channel="visit")
    make_petition(tree.town_a, channel="visit")
    make_petition(tree.union_b1, channel="visit")
    client.force_login(personas.town_clerk)
    # The table is the reports app's now (core.tables); the old address forwards to it.
    page = client.get(reverse("petitions:table"), {"start": "2025-01-01", "end": "2025-12-31"},
                      follow=True).content.decode()
    assert "甲一公司工会" in page and "甲镇工会联合会（本级）" in page and "乙一公司工会" not in page
    r = client.get(reverse("petitions:table"), {"start": "2025-01-01", "end": "2025-12-31", "format": "xlsx"},
                   follow=True)
    rows = sheet(r.content)
    head = rows[3]
    body = rows[4:[r[0] for r in rows].index("合计") + 1]
    got = {r[0]: r[1:4] + [r[head.index("上级转办(宗)")], r[head.index("来访(宗)")]] for r in body}
    assert got == {"甲镇工会联合会（本级）": [1, 0, 1, 0, 1], "甲一公司工会": [1, 1, 0, 1, 0],
                   "甲二公司工会": [1, 0, 1, 0, 1], "合计": [3, 1, 2, 1, 2]}
    client.force_login(personas.county_admin)
    page = client.get(reverse("petitions:table"), {"start": "2025-12-31", "end": "2025-01-01"},
                      follow=True).content.decode()
    assert "晚于截止日期" in page


def _xlsx(rows: list[list]) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.close()
    return out.getvalue()


HEAD = ["承办单位编码", "渠道", "转办单位", "转办文号", "收到日期", "信访人姓名", "性别", "联系电话", "诉求类别", "事由",
        "受理决定", "告知日期", "答复日期", "处理结果", "答复意见", "追回金额", "办结日期", "满意度"]


def test_import_of_historical_cases_is_all_or_nothing(client, tree, personas, today):
    good = ["A1", "上级转办", "市总工会", "市工转〔2024〕3号", "2024-03-04", "周某", "女", "13700001111", "欠薪",
            "欠薪", "受理", "2024-03-06", "2024-04-01", "支持", "已补发", 5000, "2024-04-03", "满意"]
    bad = ["B1", "来访", "", "", "2024-03-04", "吴某", "男", "12345", "打架", "其他", "", "", "2024-04-01", "", "",
           "", "", ""]
    no_decision = ["A1", "来信", "", "", "2024-05-06", "郑某", "男", "", "欠薪", "欠薪", "", "2024-05-08", "", "", "",
                   "", "", ""]
    client.force_login(personas.town_clerk)
    upload = lambda rows: client.post(reverse("core:import", args=["petitions"]), {  # noqa: E731
        "file": _file(_xlsx([HEAD, *rows]))})
    response = upload([good, bad, no_decision])
    page = response.content.decode()
    assert "未保存任何数据" in page and not Petition.objects.exists()
    for expected in ("承办单位编码“B1”不存在", "联系电话应为7-12位数字", "“打架”不是可选值", "受理决定应为“受理”",
                     "填写了告知日期，须填写受理决定"):
        assert expected in page, expected
    assert "12345" not in page  # phones are masked in the error list
    report = sheet(b"".join(client.get(reverse("jobs:download", args=[response.context["job"].pk])).streaming_content))
    assert report[0][-1] == "错误说明" and "承办单位编码“B1”不存在" in report[2][-1]
    assert upload([good]).status_code == 302
    p = Petition.objects.get()
    assert (p.status, p.notice_due, p.close_due, p.amount_recovered, p.lead_gender) == (
        Status.CLOSED, D(2024, 3, 19), D(2024, 5, 6), 5000, 2)
    upload([good])
    assert Petition.objects.count() == 1  # the same file again adds nothing
    template = client.get(reverse("core:import_template", args=["petitions"]))
    assert sheet(b"".join(template.streaming_content))[0][0] == "承办单位编码"


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("历史信访.xlsx", content)


def test_reminders_list_due_and_overdue_cases_in_scope(client, tree, personas, today):
    from gonghui.core.reminders import due_items

    make_petition(tree.union_a1, title="快到期", received_on=D(2025, 12, 19))  # notice due early Jan 2026
    make_petition(tree.union_a1, title="早已逾期", received_on=D(2025, 11, 3))
    make_petition(tree.union_b1, title="乙镇的", received_on=D(2025, 11, 3))
    make_mediation(tree.union_a1, applied_on=D(2025, 12, 1))
    groups = {r.code: (items, total) for r, items, total in due_items(personas.town_clerk, D(2025, 12, 31))}
    labels = [d.label for d in groups["petitions.notice_due"][0]]
    assert len(labels) == 2 and "即将到期" in labels[1] and "已逾期" in labels[0]
    assert groups["petitions.overdue"][1] == 1 and groups["mediation.due"][0][0].overdue
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:todo"))
    assert "早已逾期" in page.content.decode() and "乙镇的" not in page.content.decode()


def test_extension_approval_page(client, tree, personas, today):
    from tests.conftest import make_user

    p = services.petition_accept(actor=None, petition=make_petition(tree.union_a1), notice_on=D(2025, 3, 4))
    services.extension_request(actor=personas.town_clerk, petition=p, requested_on=D(2025, 4, 1), reason="复杂")
    approver = make_user("approver", tree.town_a, "审批")
    client.force_login(approver)
    assert "待审批延期 1" in client.get(reverse("petitions:index")).content.decode()
    ext = p.extensions.get()
    client.post(reverse("petitions:extension_decide", args=[ext.pk]),
                {"decided_on": "2025-04-02", "approve": "1", "note": "同意"})
    p.refresh_from_db()
    assert p.extended and p.close_due == D(2025, 6, 5)


def test_mediation_pages(client, tree, personas, today):
    client.force_login(personas.town_clerk)
    response = client.post(reverse("petitions:mediation_new"), {
        "org_code": "A1", "body": "enterprise", "mode": "oral", "applied_on": "2025-12-22", "applicant_name": "赵六",
        "applicant_gender": "1", "applicant_phone": "13600001111", "worker_count": "12", "employer_name": "甲一公司",
        "dispute_type": "pay", "matter": "加班费", "amount_claimed": "20000", "mediator": "钱调解"})
    m = tree.union_a1.mediations.get()
    assert response.status_code == 302 and m.due_on == D(2026, 1, 6) and m.employer is not None
    page = client.get(reverse("petitions:mediation_detail", args=[m.pk])).content.decode()
    assert "集体争议" in page and "赵*" in page and "13600001111" not in page
    client.post(reverse("petitions:mediation_act", args=[m.pk, "session"]), {"held_on": "2025-12-24",
                                                                              "notes": "首次调解"})
    page = client.post(reverse("petitions:mediation_act", args=[m.pk, "close"]),
                       {"state": "succeeded", "closed_on": "2025-12-30"}).content.decode()
    assert "须填写调解协议内容" in page
    client.post(reverse("petitions:mediation_act", args=[m.pk, "close"]),
                {"state": "succeeded", "closed_on": "2025-12-30", "agreement_terms": "一次付清", "agreed_amount": "18000"})
    m.refresh_from_db()
    assert m.state == "succeeded" and m.sessions.count() == 1
    assert "调解成功" in client.get(reverse("petitions:mediation_list")).content.decode()


def test_attachments_are_private_and_their_download_is_logged(client, tree, personas, today, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    p = make_petition(tree.union_a1)
    client.force_login(personas.town_clerk)
    url = reverse("petitions:attachment_upload", args=[p.pk])
    client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ")})
    assert not p.attachments.exists()
    client.post(url, {"file": SimpleUploadedFile("来信.pdf", b"%PDF-1.4 letter")})
    a = p.attachments.get()
    stored = tmp_path / "petitions" / a.stored_name
    assert stored.read_bytes() == b"%PDF-1.4 letter" and oct(stored.stat().st_mode)[-3:] == "600"
    page = client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    assert "来信.pdf" in page and reverse("petitions:attachment_download", args=[a.pk]) not in page
    assert client.get(reverse("petitions:attachment_download", args=[a.pk])).status_code == 403
    client.force_login(personas.town_admin)
    response = client.get(reverse("petitions:attachment_download", args=[a.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 letter"
    assert AccessLog.objects.get().reason == "下载附件 来信.pdf"


def test_the_reporting_union_reads_but_cannot_act(client, tree, personas, today):
    p = make_petition(tree.union_a1, actor=personas.union_clerk)
    client.force_login(personas.union_clerk)
    assert "上报上级" in client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    client.post(reverse("petitions:act", args=[p.pk, "report"]), {"on": "2025-03-04", "note": "请镇里协调"})
    page = client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    assert "下级上报" in page and "受理并告知" not in page and "请镇里协调" in page
    assert "拖欠工资" in client.get(reverse("petitions:index")).content.decode()
    assert client.get(reverse("petitions:act", args=[p.pk, "accept"])).status_code == 404


def test_pages_use_a_fixed_number_of_queries(client, tree, personas, today, django_assert_max_num_queries):
    a, b = personas.town_clerk, personas.town_admin
    for i in range(30):
        p = make_petition(tree.union_a1 if i % 2 else tree.town_a, title=f"案件{i}", handler_a=a, handler_b=b,
                          people_count=6, petitioners=[{"name": f"人{i}"}, {"name": f"代表{i}"}])
        services.petition_progress(actor=None, petition=services.petition_accept(
            actor=None, petition=p, notice_on=D(2025, 3, 4)), on=D(2025, 3, 5), note="走访")
        make_mediation(tree.union_a1)
    client.force_login(personas.town_admin)
    # The navigation's to-do badge costs one count per registered reminder (every line adds some)
    # and is kept in the session for a few minutes: counted once here, so that what is measured
    # below is each page's own queries.
    client.get(reverse("core:todo"))
    for name in ("petitions:index", "petitions:mediation_list", "petitions:export"):
        with django_assert_max_num_queries(30):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(35):
        client.get(reverse("petitions:detail", args=[p.pk]))
    with django_assert_max_num_queries(30):
        client.get(reverse("petitions:index"), {"mine": "on", "overdue": "on", "q": "案件"})


def test_the_edit_page_keeps_the_dates_and_corrects_the_rest(client, tree, personas, today):
    p = make_petition(tree.union_a1)
    client.force_login(personas.town_clerk)
    url = reverse("petitions:act", args=[p.pk, "edit"])
    assert "拖欠工资" in client.get(url).content.decode()  # the form starts from the case
    client.post(url, {"title": "拖欠工资（更正）", "kind": "claim", "category": "women", "people_count": "1",
                      "employer_name": "甲一公司", "amount_claimed": ""})
    p.refresh_from_db()
    assert (p.title, p.category, p.employer_name, p.notice_due) == ("拖欠工资（更正）", "women", "甲一公司",
                                                                    D(2025, 3, 18))


def test_the_main_petitioner_is_not_entered_again_among_the_representatives(client, personas, today):
    """Issue 15 item 8(a): the hint «最多5名代表（含上面的信访人）» had 赵** listed twice."""
    client.force_login(personas.town_clerk)
    url = reverse("petitions:register")
    page = client.get(url).content.decode()
    assert "含上面的信访人" not in page and "上面的信访人已算1人，这里不要再写" in page
    group = {**FORM, "people_count": "30", "others": "张三\n刘桂兰"}
    response = client.post(url, group)
    page = response.content.decode()
    assert response.status_code == 200 and not Petition.objects.exists()
    assert "“刘桂兰”就是上面的信访人" in response.context["form"].errors["others"][0]
    assert "张三\n刘桂兰" in page  # the textarea keeps what was typed
    response = client.post(url, {**group, "others": "张三\n张三"})
    assert "“张三”写了两次" in response.context["form"].errors["others"][0]
    assert client.post(url, {**group, "others": "张三\n刘桂兰（二）"}).status_code == 302
    assert [x.name for x in Petition.objects.get().petitioners.all()] == ["刘桂兰", "张三", "刘桂兰（二）"]


def test_the_service_refuses_a_petitioner_entered_twice_but_not_a_namesake(tree, today):
    from gonghui.core.errors import ServiceError

    same = [{"name": "赵大", "phone": "13800001234"}, {"name": "赵大", "phone": "13800001234"}]
    with pytest.raises(ServiceError, match="登记了两次") as err:
        make_petition(tree.union_a1, people_count=10, petitioners=same)
    assert err.value.field == "petitioners" and not Petition.objects.exists()
    namesakes = [{"name": "赵大", "phone": "13800001234"}, {"name": "赵大", "phone": "13900005678"}]
    assert make_petition(tree.union_a1, people_count=10, petitioners=namesakes).petitioners.count() == 2


def test_only_those_who_may_act_on_the_case_are_offered_as_handlers(client, tree, personas, today):
    """Issue 15 item 8(b): the B角 list offered a clerk of another union, then refused him."""
    from tests.conftest import make_user

    a2_clerk = make_user("a2_clerk", tree.union_a2, "业务经办")  # in the township's scope, not over 甲一
    p = make_petition(tree.union_a1)
    client.force_login(personas.town_admin)
    choices = dict(client.get(reverse("petitions:act", args=[p.pk, "assign"])).context["form"]
                   .fields["handler_b"].choices)
    names = {label.split("（")[0] for label in choices.values()}
    assert {"town_clerk", "town_admin", "union_clerk"} <= names and "a2_clerk" not in names
    # Registering for the township itself: the 甲一 clerk may not handle it, so is not offered.
    client.force_login(personas.town_clerk)
    register = reverse("petitions:register")
    names = {label for _, label in client.get(register).context["form"].fields["handler_b"].choices}
    assert any("town_clerk" in n for n in names) and not any("union_clerk" in n for n in names)
    # The union typed decides the list; a handler chosen for another union is refused on the form.
    response = client.post(register, {**FORM, "org_code": "A1", "handler_b": str(a2_clerk.pk)})
    assert "handler_b" in response.context["form"].errors and 'value="拖欠三个月工资"' in response.content.decode()
    assert any("union_clerk" in label for _, label in response.context["form"].fields["handler_b"].choices)


def test_the_requester_of_an_extension_is_not_offered_its_approval(client, tree, personas, today):
    """Issue 15 item 8(c): the 审批 link was shown to the requester, who was then refused."""
    from tests.conftest import make_user

    p = services.petition_accept(actor=None, petition=make_petition(tree.union_a1), notice_on=D(2025, 3, 4))
    ext = services.extension_request(actor=personas.town_admin, petition=p, requested_on=D(2025, 4, 1),
                                     reason="需要调查")
    decide = reverse("petitions:extension_decide", args=[ext.pk])
    client.force_login(personas.town_admin)  # 单位管理员: may approve, but not his own request
    assert decide not in client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    listing = client.get(reverse("petitions:extensions")).content.decode()
    assert decide not in listing and "本人申请，须由他人审批" in listing
    assert client.get(decide).status_code == 403
    page = client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
    assert reverse("petitions:act", args=[p.pk, "extend"]) not in page  # one request already waits
    client.force_login(make_user("approver", tree.town_a, "审批"))
    assert decide in client.get(reverse("petitions:detail", args=[p.pk])).content.decode()


def test_a_refused_attachment_or_reveal_is_answered_on_the_page(client, tree, personas, today, settings, tmp_path):
    """Issue 15 item 8(d): refusals on the page with the form, not only as a message after a redirect."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    p = make_petition(tree.union_a1)
    client.force_login(personas.town_admin)
    response = client.post(reverse("petitions:attachment_upload", args=[p.pk]),
                           {"file": SimpleUploadedFile("run.exe", b"MZ")})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_file_error"' in page and "附件只能是" in page
    response = client.post(reverse("petitions:reveal", args=[p.pk]), {"reason": ""})
    assert response.status_code == 200 and "须填写查看事由" in response.content.decode()
    assert not AccessLog.objects.exists()
