"""The bargaining pages: scoped lists, steps through the web with refusals that keep input,
Excel export, the standard table and the import of a 台账."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook
from stdnum.cn import uscc

from gonghui.bargaining import services as s
from gonghui.bargaining.models import Contract, ContractType, Status
from gonghui.core import reminders
from gonghui.orgs.models import Employer

from .conftest import drive

D = dt.date
pytestmark = pytest.mark.django_db


def sheet(response_or_bytes) -> list[list]:
    content = response_or_bytes if isinstance(response_or_bytes, bytes) else b"".join(
        response_or_bytes.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def code(n: int) -> str:
    body = f"91430121MA4L{n:05d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def with_codes(tree):
    for n, key in enumerate(("a1", "a2", "a3", "b1"), start=1):
        Employer.objects.filter(pk=tree.emp[key].pk).update(uscc=code(n))


def test_registry_is_scoped_and_tabs_filter(client, tree, personas):
    drive(tree, Status.PUBLISHED)  # 甲一, in force from 18 Apr 2026 to 31 Mar 2027
    s.contract_open(actor=None, org=tree.union_b1, contract_type=ContractType.WAGE, title="乙一2026年工资专项集体协议",
                    opened_on=D(2026, 5, 6), employers=[tree.emp["b1"]])
    client.force_login(personas.town_clerk)
    client.get("/bargaining/")  # the first request of a session writes its activity stamp
    with CaptureQueriesContext(connection) as one:
        body = client.get("/bargaining/").content.decode()
    for i in range(5):
        drive(tree, Status.OFFERED, title=f"甲一第{i}份")
    with CaptureQueriesContext(connection) as six:
        client.get("/bargaining/")
    assert len(six) == len(one)  # no query per row
    assert "甲一公司2026年工资专项集体协议" in body and "乙一" not in body
    client.force_login(personas.county_admin)
    body = client.get("/bargaining/?view=negotiating").content.decode()
    assert "乙一2026年工资专项集体协议" in body and "甲一公司2026年" not in body
    body = client.get("/bargaining/?view=in_force").content.decode()
    assert "甲一公司2026年" in body and "乙一2026年" not in body


def test_a_step_through_the_web_and_a_refusal_that_keeps_the_input(client, tree, personas):
    c = drive(tree, Status.REPRESENTATIVES)
    client.force_login(personas.union_clerk)
    page = client.get(f"/bargaining/{c.pk}/").content.decode()
    assert "发出要约" in page and "签字" not in page.split('id="steps"')[1]  # only the allowed steps
    r = client.post(f"/bargaining/{c.pk}/step/offer/",
                    {"offer-side": "workers", "offer-offered_on": "2099-03-02", "offer-topics": "年度工资调整方案"})
    assert r.status_code == 422
    body = r.content.decode()
    assert "要约日期不能晚于今天" in body and "年度工资调整方案" in body
    c.refresh_from_db()
    assert c.status == Status.REPRESENTATIVES
    r = client.post(f"/bargaining/{c.pk}/step/offer/",
                    {"offer-side": "workers", "offer-offered_on": "2026-03-02", "offer-topics": "年度工资调整方案"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.OFFERED and c.reply_due_on == D(2026, 3, 23)
    r = client.post(f"/bargaining/{c.pk}/step/sign/", {"sign-signed_on": "2026-03-10", "sign-start_on": "2026-04-01",
                                                        "sign-end_on": "2027-03-31"})
    assert r.status_code == 422 and "不能签字" in r.content.decode()


def test_the_leader_reads_but_gets_no_step_forms(client, tree, personas):
    c = drive(tree, Status.OFFERED)
    client.force_login(personas.leader)
    page = client.get(f"/bargaining/{c.pk}/").content.decode()
    assert "没有办理集体协商的权限" in page and 'id="steps"' not in page
    assert client.post(f"/bargaining/{c.pk}/step/reply/", {}).status_code == 403


def test_opening_a_negotiation_from_the_web(client, tree, personas):
    client.force_login(personas.town_clerk)
    page = client.get("/bargaining/new/").content.decode()
    assert 'role="combobox"' in page and "bargaining.change" in page  # the union picker, not a list
    r = client.get("/bargaining/new/", {"code": "A"})
    assert r.status_code == 302 and r["Location"] == f"/bargaining/new/?org={tree.town_a.pk}"
    page = client.get(f"/bargaining/new/?org={tree.town_a.pk}").content.decode()
    assert "甲三公司" in page and "乙一公司" not in page  # 属地 employers without a union are offered
    data = {"org": tree.town_a.pk, "contract_type": "wage", "scope_kind": "enterprise", "title": "甲镇区域协议",
            "opened_on": "2026-05-06", "employers": [tree.emp["a1"].pk, tree.emp["a3"].pk]}
    r = client.post("/bargaining/new/", data)
    assert r.status_code == 200 and "只能有一家用人单位" in r.content.decode() and "甲镇区域协议" in r.content.decode()
    assert not Contract.objects.exists()
    r = client.post("/bargaining/new/", {**data, "scope_kind": "regional"})
    c = Contract.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/bargaining/{c.pk}/" and c.employees_covered == 130


def test_attachment_upload_and_download(client, tree, personas):
    c = drive(tree, Status.SIGNED)
    client.force_login(personas.union_clerk)
    bad = client.post(f"/bargaining/{c.pk}/step/attach/", {"attach-upload": SimpleUploadedFile("a.exe", b"MZ")})
    assert bad.status_code == 422 and "PDF" in bad.content.decode()
    ok = client.post(f"/bargaining/{c.pk}/step/attach/",
                     {"attach-upload": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 signed")})
    assert ok.status_code == 302
    r = client.get(f"/bargaining/{c.pk}/attachment/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 signed"


def test_registry_export_reimports_unchanged(client, tree, personas, with_codes):
    c = drive(tree, Status.PUBLISHED)
    s.contract_update_terms(actor=None, contract=c, wage_increase_pct=Decimal("10.5"))
    client.force_login(personas.town_admin)
    exported = b"".join(client.get("/bargaining/export/").streaming_content)
    rows = sheet(exported)
    assert rows[0][:3] == ["工会编码", "合同名称", "合同类型"]
    assert rows[1][1] == "甲一公司2026年工资专项集体协议" and rows[1][-3] == "已公布履行中"
    assert rows[1][11] == 10.5  # a number in Excel, not text
    # The export is in the import's columns: importing the file back changes nothing.
    r = client.post("/import/contracts/", {"file": SimpleUploadedFile("t.xlsx", exported)})
    assert r.status_code == 302, r.content.decode()[-4000:]
    assert "新增 0，更新 0，未变 1" in client.get(r["Location"]).content.decode()
    assert Contract.objects.count() == 1


def _xlsx(rows):
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for col, v in enumerate(row):
            ws.write_string(r, col, str(v)) if v != "" else None
    wb.close()
    return out.getvalue()


HEAD = ["工会编码", "合同名称", "合同类型", "合同范围", "用人单位统一社会信用代码", "签字日期", "期限起", "期限止",
        "工资增长幅度(%)", "女职工条款"]


def test_import_of_a_ledger_all_or_nothing(client, tree, personas, with_codes):
    client.force_login(personas.town_admin)
    template = sheet(b"".join(client.get("/import/contracts/template/").streaming_content))
    assert template[0][0] == "工会编码"
    good = ["A1", "甲一2025工资协议", "工资专项集体协议", "", code(1), "2025-03-01", "2025-04-01", "2026-03-31", "9",
            ""]
    bad = ["A1", "甲一女职工专项", "女职工权益保护专项集体合同", "", "", "2025-03-01", "2025-04-01", "2029-03-31", "",
           ""]
    out_of_scope = ["B1", "乙一协议", "工资专项集体协议", "", code(4), "2025-03-01", "2025-04-01", "2026-03-31", "",
                    ""]
    regional = ["A", "甲镇区域性协议", "工资专项集体协议", "区域性", f"{code(1)}、{code(3)}", "2025-03-01", "2025-04-01",
                "2027-03-31", "8.5", ""]
    r = client.post("/import/contracts/",
                    {"file": SimpleUploadedFile("t.xlsx", _xlsx([HEAD, good, bad, out_of_scope]))})
    body = r.content.decode()
    assert r.status_code == 200 and "未保存任何数据" in body
    assert "女职工权益保护专项集体合同须填写女职工条款" in body
    assert "工会编码“B1”不存在，或不在您的管理范围内" in body
    assert "必填" in body  # the USCC column is required
    assert not Contract.objects.exists()
    r = client.post("/import/contracts/",
                    {"file": SimpleUploadedFile("t.xlsx", _xlsx([HEAD, good, regional]))})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Contract.objects.count() == 2
    reg = Contract.objects.get(title="甲镇区域性协议")
    assert reg.org == tree.town_a and reg.employees_covered == 130 and reg.wage_increase_pct == Decimal("8.50")
    assert reg.status == Status.EFFECTIVE and reg.effective_on == D(2025, 4, 1)
    # Importing the same file again changes nothing.
    r = client.post("/import/contracts/",
                    {"file": SimpleUploadedFile("t.xlsx", _xlsx([HEAD, good, regional]))})
    assert "新增 0，更新 0，未变 2" in client.get(r["Location"]).content.decode()
    assert Contract.objects.count() == 2


def test_standard_table_rows_add_up(client, tree, personas, with_codes):
    drive(tree, Status.PUBLISHED)
    client.force_login(personas.county_admin)
    # The table is the reports app's now (core.tables); the old address forwards to it.
    page = client.get("/bargaining/table/?start=2026-01-01&end=2026-06-30", follow=True).content.decode()
    assert "甲镇工会联合会" in page and "合计" in page
    rows = sheet(client.get("/bargaining/table/?start=2026-01-01&end=2026-06-30&format=xlsx", follow=True).content)
    assert rows[0][0] == "长沙县总工会集体协商统计表"
    assert "2026年1月1日至2026年6月30日" in rows[1][0] and rows[3][0] == "单位"
    by_name = {r[0]: r[1:] for r in rows[4:[r[0] for r in rows].index("合计") + 1]}
    assert by_name["甲镇工会联合会"][:3] == [2, 1, 50]  # 已建会非公 甲一/甲二; 甲一 has a wage agreement
    assert by_name["合计"][:3] == [3, 1, 33.33]
    for i in (0, 1, 3, 4, 6, 8, 9, 10, 11):
        assert sum(r[i] for name, r in by_name.items() if name != "合计") == by_name["合计"][i]


def test_reminders_list_due_steps_and_expiring_contracts(tree, personas):
    drive(tree, Status.OFFERED)  # reply due 23 Mar 2026: overdue today
    ended = drive(tree, Status.PUBLISHED, title="甲一即将到期")
    Contract.objects.filter(pk=ended.pk).update(end_on=dt.date.today() + dt.timedelta(days=30))
    groups = {r.code: (items, total) for r, items, total in reminders.due_items(personas.town_clerk, dt.date.today())}
    items, total = groups["bargaining.step_due"]
    assert total == 1 and items[0].overdue and "对方应书面回应要约" in items[0].label
    items, total = groups["bargaining.expiring"]
    assert total == 1 and "甲一即将到期" in items[0].label
    outsider = {r.code for r, _, _ in reminders.due_items(personas.outsider, dt.date.today())}
    assert "bargaining.step_due" not in outsider


def test_any_union_in_scope_can_be_picked_however_many_there_are(client, tree, personas):
    """Issue 15: the drop-down held the first 500 unions; the picker finds the 501st by name and
    takes its code, and a code outside the clerk's scope is refused with the code kept."""
    from gonghui.orgs import services as org_services
    from gonghui.orgs.models import OrgType

    for i in range(501):
        last = org_services.org_found(actor=None, parent=tree.town_a, name=f"丙{i:03d}公司工会",
                                      org_type=OrgType.GRASSROOTS, founded_on=D(2024, 1, 1), code=f"C{i:03d}")
    client.force_login(personas.town_clerk)
    html = client.get("/orgs/pick/", {"q": "丙500", "perm": "bargaining.change", "types": "bargaining"})
    assert 'data-value="C500"' in html.content.decode()
    r = client.get("/bargaining/new/", {"code": "C500"})
    assert r.status_code == 302 and r["Location"] == f"/bargaining/new/?org={last.pk}"
    html = client.get("/bargaining/new/", {"code": "B1"}).content.decode()
    assert "不在您的管理范围内" in html and 'value="B1"' in html
