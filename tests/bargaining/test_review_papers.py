"""The 集体合同审查登记表's fields (issue 17): the department's 受理 and 审查意见书, 上年度职工平均工资,
both sides' 首席代表 and the 职代会 vote, through the procedure's steps, the import and the export."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.bargaining import services as s
from gonghui.bargaining.models import Contract, Representative, Side, Status, Vote

from .conftest import drive
from .test_views import _xlsx, code, sheet, with_codes  # noqa: F401 (a fixture)

D = dt.date
pytestmark = pytest.mark.django_db

HEAD = ["工会编码", "合同名称", "合同类型", "合同范围", "用人单位统一社会信用代码", "签字日期", "期限起", "期限止",
        "报送审查日期", "上年度职工平均工资(元/月)", "职工方首席代表", "企业方首席代表", "职代会审议日期", "应到人数",
        "实到人数", "通过票数", "审查机关", "受理编号", "受理日期", "审查意见书编号", "审查意见书日期"]
PAPERS = ("title", "signed_on", "start_on", "end_on", "filed_on", "effective_on", "prev_avg_wage", "department",
          "accepted_no", "accepted_on", "review_no", "review_on", "employees_covered", "scope", "status")


def row(title="甲一2025工资协议", usccs=None, scope="", vote=("2025-02-20", "50", "45", "40"), **kw):
    values = {"签字日期": "2025-03-01", "报送审查日期": "2025-03-05", "上年度职工平均工资(元/月)": "5200.50",
              "职工方首席代表": "张主席", "企业方首席代表": "李总", "审查机关": "长沙县人力资源和社会保障局",
              "受理编号": "长人社集受〔2025〕12号", "受理日期": "2025-03-06",
              "审查意见书编号": "长人社集审〔2025〕12号", "审查意见书日期": "2025-03-18", **kw}
    base = ["A1", title, "工资专项集体协议", scope, usccs or code(1), values["签字日期"], "2025-04-01", "2026-03-31",
            values["报送审查日期"], values["上年度职工平均工资(元/月)"], values["职工方首席代表"], values["企业方首席代表"],
            *vote, values["审查机关"], values["受理编号"], values["受理日期"], values["审查意见书编号"],
            values["审查意见书日期"]]
    return base


def snapshot(c: Contract) -> tuple:
    chiefs = dict(Representative.objects.filter(contract=c, is_chief=True).values_list("side", "name"))
    votes = list(Vote.objects.filter(contract=c).values_list("held_on", "total", "present", "votes_for", "passed"))
    return (*(getattr(c, f) for f in PAPERS), chiefs, votes,
            sorted(c.parties.values_list("employer__uscc", "employees")))


def test_the_steps_record_the_acceptance_and_the_review_opinion(client, tree, personas):
    c = drive(tree, Status.SIGNED)
    with pytest.raises(s.ServiceError, match="受理日期"):
        s.contract_file(actor=None, contract=c, filed_on=D(2026, 4, 3), department="人社局",
                        accepted_no="受12号", accepted_on=D(2026, 4, 1))
    c = s.contract_file(actor=None, contract=c, filed_on=D(2026, 4, 3), department="长沙县人力资源和社会保障局",
                        accepted_no="受12号", accepted_on=D(2026, 4, 3))
    c = s.contract_approve(actor=None, contract=c, approved_on=D(2026, 4, 10), review_no="审12号")
    c.refresh_from_db()
    assert (c.accepted_no, c.accepted_on, c.review_no, c.review_on) == ("受12号", D(2026, 4, 3), "审12号", D(2026, 4, 10))
    client.force_login(personas.town_admin)
    page = client.get(f"/bargaining/{c.pk}/").content.decode()
    assert "受理受12号（2026-04-03" in page.replace("年", "-").replace("月", "-").replace("日", "") or "受12号" in page
    assert "审查意见书审12号" in page


def test_an_objection_is_its_review_opinion(tree):
    c = drive(tree, Status.FILED)
    c = s.contract_object(actor=None, contract=c, objection_on=D(2026, 4, 10), note="第五条低于最低工资标准",
                          review_no="审13号")
    c.refresh_from_db()
    assert (c.review_no, c.review_on, c.status) == ("审13号", D(2026, 4, 10), Status.NEGOTIATING)


@pytest.mark.usefixtures("with_codes")
def test_the_forms_fields_survive_import_export_and_import_again(client, tree, personas):
    client.force_login(personas.town_admin)
    regional = row("甲镇区域性协议", usccs=f"{code(1)}、{code(3)}", scope="区域性")
    regional[0] = "A"
    r = client.post("/import/contracts/", {"file": SimpleUploadedFile("t.xlsx", _xlsx([HEAD, row(), regional]))})
    assert r.status_code == 302, r.content.decode()[-3000:]
    c = Contract.objects.get(title="甲一2025工资协议")
    assert (c.prev_avg_wage, c.accepted_no, c.accepted_on, c.review_no, c.review_on) == (
        Decimal("5200.50"), "长人社集受〔2025〕12号", D(2025, 3, 6), "长人社集审〔2025〕12号", D(2025, 3, 18))
    assert dict(Representative.objects.filter(contract=c, is_chief=True).values_list("side", "name")) == {
        Side.WORKERS: "张主席", Side.EMPLOYER: "李总"}
    assert list(Vote.objects.filter(contract=c).values_list("total", "present", "votes_for", "passed")) == [
        (50, 45, 40, True)]
    reg = Contract.objects.get(title="甲镇区域性协议")
    assert reg.scope == "regional" and reg.parties.count() == 2 and reg.employees_covered == 130
    before = {x.title: snapshot(x) for x in Contract.objects.all()}

    exported = b"".join(client.get("/bargaining/export/").streaming_content)
    rows = sheet(exported)
    header = rows[0]
    first = dict(zip(header, next(r for r in rows[1:] if r[1] == "甲一2025工资协议"), strict=False))
    assert (first["职工方首席代表"], first["企业方首席代表"], first["应到人数"], first["通过票数"]) == ("张主席", "李总", 50, 40)
    assert first["受理编号"] == "长人社集受〔2025〕12号" and first["上年度职工平均工资(元/月)"] == 5200.5

    # Into an empty registry: the same records again.
    Contract.objects.all().delete()
    r = client.post("/import/contracts/", {"file": SimpleUploadedFile("t.xlsx", exported)})
    assert r.status_code == 302, r.content.decode()[-3000:]
    assert {x.title: snapshot(x) for x in Contract.objects.all()} == before
    # And once more: nothing changes.
    r = client.post("/import/contracts/", {"file": SimpleUploadedFile("t.xlsx", exported)})
    assert "新增 0，更新 0，未变 2" in client.get(r["Location"]).content.decode()


@pytest.mark.usefixtures("with_codes")
def test_a_vote_that_is_incomplete_or_fails_is_refused_by_row_and_column(client, tree, personas):
    from gonghui.bargaining.imports import ContractImporter

    incomplete = _xlsx([HEAD, row("甲一协议一", vote=("2025-02-20", "50", "", ""))])
    result = ContractImporter(actor=personas.town_admin).run(incomplete)
    assert {(e.row, e.column) for e in result.errors} == {(2, "通过票数")}
    # What the services refuse comes back on its row and column too, and nothing is saved.
    data = _xlsx([
        HEAD,
        row("甲一协议二", vote=("2025-02-20", "50", "45", "20")),       # 2: not a majority of all
        row("甲一协议三", vote=("2025-03-20", "50", "45", "40")),       # 3: after the signing
        row("甲一协议四", 受理日期="2025-03-01"),                         # 4: accepted before filed
    ])
    result = ContractImporter(actor=personas.town_admin).run(data)
    assert {(e.row, e.column) for e in result.errors} <= {(2, "通过票数"), (3, "职代会审议日期"), (4, "受理日期")}
    assert (2, "通过票数") in {(e.row, e.column) for e in result.errors}
    assert not Contract.objects.exists()
