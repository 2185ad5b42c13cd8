"""The work lines' standard tables (core.tables), rendered by the reports app from the metrics'
breakdowns and grouped by the tree as it stood on the cut-off.

    H1 2025 on the shared tree: cases, payments and contracts at 甲一 (甲镇), 乙一 (乙街道) and at
    乙街道's own level; then 乙一 moves to 甲镇 on 1 Sep 2025, after the cut-off. Every
    registered table for H1 must read as before the move: 乙一's records stay under 乙街道.
"""

import datetime as dt
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.assistance import services as aid
from gonghui.bargaining import services as bargaining
from gonghui.bargaining.models import ContractType
from gonghui.core.models import AccessLog
from gonghui.core.periods import Period
from gonghui.core.tables import TABLES, legacy_query, register_table
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Org
from gonghui.reports import services as report_services
from gonghui.reports import tables
from tests.assistance.conftest import archive, standard  # noqa: F401  (fixtures)
from tests.petitions.conftest import make_mediation, make_petition, today  # noqa: F401  (fixture)

D = dt.date
H1 = Period.half(2025, 1)
pytestmark = pytest.mark.django_db


def pay(a, on, amount, type="warmth", **kw):
    app = aid.application_submit(actor=None, archive=a, type=type, amount_requested=amount, reason="慰问",
                                 applied_on=on, **kw)
    aid.application_review(actor=None, application=app, approve=True, on=on)
    aid.application_approve(actor=None, application=app, approve=True, on=on)
    return aid.payment_record(actor=None, application=app, paid_on=on, method="cash", fund_source="upper")


@pytest.fixture
def records(tree, archive, today):  # noqa: F811
    t = tree
    # 信访: 甲一 one forwarded; 乙一 two visits (one a group case); 乙街道 itself one letter.
    make_petition(t.union_a1, channel="forwarded", received_on=D(2025, 3, 3))
    make_petition(t.union_b1, channel="visit", received_on=D(2025, 3, 4))
    make_petition(t.union_b1, channel="visit", received_on=D(2025, 4, 7), people_count=6, name="刘某")
    make_petition(t.town_b, channel="letter", received_on=D(2025, 5, 6))
    make_mediation(t.union_b1, applied_on=D(2025, 3, 3))
    # 帮扶: a household in 甲一 and one in 乙一, each paid 送温暖 in January.
    a1 = archive(union=t.union_a1, name="甲困难")
    b1 = archive(union=t.union_b1, name="乙困难")
    pay(a1, D(2025, 1, 22), 500)
    pay(b1, D(2025, 1, 23), 800)
    # 集体协商: 乙一 and 甲一 wage agreements in force on 30 Jun.
    for union, emp in ((t.union_b1, "b1"), (t.union_a1, "a1")):
        bargaining.contract_register(actor=None, org=union, contract_type=ContractType.WAGE,
                                     title=f"{union.name}2025年工资专项集体协议", employers=[t.emp[emp]],
                                     signed_on=D(2025, 3, 1), start_on=D(2025, 3, 1), end_on=D(2028, 2, 29))
    return t


def snapshot(org):
    return {key: [(r.label, r.kind, r.cells) for r in tables.standard_rows(table, org, H1)]
            for key, table in TABLES.items()}


def column(rows, table_key, header):
    i = tables.headers(TABLES[table_key]).index(header)
    return {label: cells[i] for label, _kind, cells in rows[table_key]}


def test_every_work_line_declares_its_table_with_registered_metrics():
    from gonghui.core.metrics import REGISTRY

    assert {"petitions", "assistance", "bargaining"} <= set(TABLES)
    for table in TABLES.values():
        assert table.columns and all(c.metric in REGISTRY for c in table.columns), table.key
    with pytest.raises(ValueError, match="registered twice"):
        register_table("petitions", title="x", permission="petitions.view", columns=[])
    with pytest.raises(ValueError, match="not one of"):
        register_table("nope", title="x", permission="petitions.view", columns=[("petitions.total", "x", "avg")])
    assert "nope" not in TABLES


def test_a_move_after_the_cut_off_changes_no_table_of_the_period(records):
    t = records
    before = {org.code: snapshot(org) for org in (t.root, t.town_a, t.town_b)}
    root = before[t.root.code]
    # Known answers, by the tree of 30 Jun: 乙一's cases, payment and contract are 乙街道's.
    cases = column(root, "petitions", "收到信访(宗)")
    assert cases == {"长沙县总工会（本级）": 0, "甲镇工会联合会": 1, "乙街道总工会": 3, "合计": 4}
    assert column(root, "petitions", "来访(宗)")["乙街道总工会"] == 2
    assert column(root, "petitions", "群体性(宗)")["乙街道总工会"] == 1
    assert column(root, "petitions", "受理调解(宗)")["乙街道总工会"] == 1
    town_b = column(before[t.town_b.code], "petitions", "收到信访(宗)")
    assert town_b == {"乙街道总工会（本级）": 1, "乙一公司工会": 2, "合计": 3}
    warmth = column(root, "assistance", "送温暖金额(元)")
    assert (warmth["甲镇工会联合会"], warmth["乙街道总工会"], warmth["合计"]) == (500, 800, 1300)
    signed = column(root, "bargaining", "有效工资专项集体协议企业（家）")
    assert (signed["甲镇工会联合会"], signed["乙街道总工会"], signed["合计"]) == (1, 1, 2)
    rate = column(root, "bargaining", "工资集体协商建制率（%）")
    assert str(rate["乙街道总工会"]) == "100.00"

    # 乙一 moves to 甲镇 after the cut-off: today's tree puts it under 甲镇 …
    org_services.org_move(actor=None, org=t.union_b1, new_parent=t.town_a, effective_on=D(2025, 9, 1))
    t.town_b.refresh_from_db()
    assert not Org.objects.get_children(Org.objects.get(pk=t.town_b.pk)).exists()
    # … and every table of H1, at every node, reads as before (each row and the totals).
    for org in (t.root, t.town_a, t.town_b):
        org.refresh_from_db()
        assert snapshot(org) == before[org.code], org.name
    # The next half-year groups by the new tree: 乙一's case of July counts under 甲镇 in H2.
    make_petition(t.union_b1, channel="visit", received_on=D(2025, 10, 9))
    h2 = {r.label: r.cells[0] for r in tables.standard_rows(TABLES["petitions"], t.root, Period.half(2025, 2))}
    assert h2 == {"长沙县总工会（本级）": 0, "甲镇工会联合会": 1, "乙街道总工会": 0, "合计": 1}


def test_the_reports_page_and_workbook_of_a_registered_table(client, records, personas):
    client.force_login(personas.county_admin)
    url = reverse("reports:table_petitions")
    page = client.get(url, {"org": "B", "preset": "h1", "year": "2025"}).content.decode()
    assert "信访统计表：乙街道总工会" in page and "乙一公司工会" in page and "乙街道总工会（本级）" in page
    r = client.get(url, {"org": "430121", "preset": "h1", "year": "2025", "format": "xlsx"})
    assert r["Content-Type"].endswith("spreadsheetml.sheet")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "长沙县总工会信访统计表"
    assert "2025年1月1日至2025年6月30日" in rows[1][0] and "截止日期：2025年6月30日" in rows[1][0]
    assert rows[3][:4] == ["单位", "收到信访(宗)", "其中上级转办", "其中本级接访"]
    assert [r[0] for r in rows[4:8]] == ["长沙县总工会（本级）", "甲镇工会联合会", "乙街道总工会", "合计"]
    assert rows[7][1] == 4


def test_tables_keep_their_permission_and_scope(client, records, personas):
    client.force_login(personas.leader)  # 查阅: bargaining yes, petitions and hardship no
    assert client.get(reverse("reports:table_petitions")).status_code == 403
    assert client.get(reverse("reports:table_assistance")).status_code == 403
    assert client.get(reverse("reports:table_bargaining"), {"preset": "h1", "year": "2025"}).status_code == 200
    client.force_login(personas.town_clerk)  # 甲镇 only
    assert client.get(reverse("reports:table_petitions"), {"org": "B"}).status_code == 404
    page = client.get(reverse("reports:table_petitions"), {"preset": "h1", "year": "2025"}).content.decode()
    assert "信访统计表：甲镇工会联合会" in page and "乙街道" not in page


def test_the_hardship_table_download_is_access_logged(client, records, personas):
    client.force_login(personas.county_admin)
    r = client.get(reverse("reports:table_assistance"), {"preset": "h1", "year": "2025", "format": "xlsx"})
    assert r.status_code == 200
    log = AccessLog.objects.get(kind="export", object_type="assistance.table")
    assert log.reason == f"导出帮扶情况统计表：长沙县总工会 {H1.label}" and log.org_path == records.root.path
    client.get(reverse("reports:table_petitions"), {"preset": "h1", "year": "2025", "format": "xlsx"})
    assert AccessLog.objects.filter(kind="export").count() == 1  # the case counts are not personal data


def test_the_old_addresses_redirect_to_the_reports_tables(client, personas):
    client.force_login(personas.town_clerk)
    for name, key in (("petitions:table", "petitions"), ("assistance:table", "assistance"),
                      ("bargaining:table", "bargaining")):
        r = client.get(reverse(name), {"org": "A", "start": "2025-01-01", "end": "2025-06-30", "format": "xlsx"})
        assert r.status_code == 302
        assert r["Location"] == (reverse(f"reports:table_{key}")
                                 + "?org=A&preset=custom&from=2025-01-01&to=2025-06-30&format=xlsx")
    assert client.get(reverse("petitions:table"))["Location"] == reverse("reports:table_petitions")
    assert legacy_query({"start": "2025-12-31", "end": "2025-01-01"}) == "preset=custom&from=2025-12-31&to=2025-01-01"
    page = client.get(reverse("petitions:table"), {"start": "2025-12-31", "end": "2025-01-01"}, follow=True)
    assert "晚于截止日期" in page.content.decode()


def test_a_locked_period_shows_the_published_parts(client, records, personas):
    t = records
    lock = report_services.period_lock(actor=None, org=t.root, period=H1)
    # A case entered later for 乙一 in H1 changes the computed figures, not the published table.
    make_petition(t.union_b1, channel="phone", received_on=D(2025, 6, 2))
    rows = {r.label: r.cells[0] for r in tables.standard_rows(TABLES["petitions"], t.root, H1, lock)}
    assert rows["乙街道总工会"] == 3 and rows["合计"] == 4
    live = {r.label: r.cells[0] for r in tables.standard_rows(TABLES["petitions"], t.root, H1)}
    assert live["乙街道总工会"] == 4 and live["合计"] == 5
    client.force_login(personas.county_admin)
    page = client.get(reverse("reports:table_petitions"), {"preset": "h1", "year": "2025"}).content.decode()
    assert "本期已锁定" in page


def test_every_table_figure_by_subordinate_equals_the_figure_of_each_subordinate(records):
    from gonghui.core.metrics import REGISTRY, compute
    from gonghui.reports import figures as F

    t = records
    codes = {code for table in TABLES.values() for code in table.metrics}
    assert all(REGISTRY[code].breakdown is not None for code in codes)  # one grouped query per column
    for code in codes:
        for org in (t.root, t.town_b):
            b = F.breakdown(code, org, H1)
            assert b.own.value == compute(code, org, H1, False), (code, org.name)
            for part in b.children:
                assert part.value == compute(code, part.org, H1, True), (code, part.label)
            assert b.adds_up, code


def test_the_table_pages_take_as_many_queries_for_more_subordinates(client, records, personas, archive):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.orgs.models import OrgType

    def counts():
        out = {}
        for key in TABLES:
            url = reverse(f"reports:table_{key}")
            with CaptureQueriesContext(connection) as q:
                assert client.get(url, {"preset": "h1", "year": "2025"}).status_code == 200
            out[key] = len(q.captured_queries)
        return out

    client.force_login(personas.county_admin)
    counts()  # the session's first request writes its activity stamp
    before = counts()
    t = records
    town_c = org_services.org_found(actor=None, parent=t.root, name="丙镇工会联合会", org_type=OrgType.TOWNSHIP_FED,
                                    founded_on=D(1990, 1, 1), code="C")
    union_c1 = org_services.org_found(actor=None, parent=town_c, name="丙一公司工会", org_type=OrgType.GRASSROOTS,
                                      founded_on=D(2020, 1, 1), code="C1")
    make_petition(union_c1, channel="phone", received_on=D(2025, 3, 3))
    pay(archive(union=union_c1, name="丙困难"), D(2025, 2, 3), 600)
    after = counts()
    assert after == before, (before, after)
    rows = tables.standard_rows(TABLES["petitions"], t.root, H1)
    assert [r.label for r in rows] == ["长沙县总工会（本级）", "甲镇工会联合会", "乙街道总工会", "丙镇工会联合会", "合计"]


def test_the_command_line_exports_a_registered_table(records, personas, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = tmp_path / "t.xlsx"
    call_command("export_data", "table", "--param", "table=assistance", "--org", "430121", "--from", "2025-01-01",
                 "--to", "2025-06-30", "--out", str(out), stdout=io.StringIO())
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "长沙县总工会帮扶情况统计表" and rows[3][:2] == ["单位", "在档户数"]
    assert [r[0] for r in rows[4:8]] == ["长沙县总工会（本级）", "甲镇工会联合会", "乙街道总工会", "合计"]
    assert AccessLog.objects.filter(object_type="assistance.table").count() == 1
    with pytest.raises(CommandError, match="统计表“nope”不存在"):
        call_command("export_data", "table", "--param", "table=nope", "--out", str(out), stdout=io.StringIO())
    with pytest.raises(CommandError, match="没有查看长沙县总工会信访统计表的权限"):
        call_command("export_data", "table", "--param", "table=petitions", "--user", personas.leader.username,
                     "--out", str(out), stdout=io.StringIO())


def test_the_dashboard_links_the_tables_the_user_may_open(client, tree, personas):
    client.force_login(personas.leader)  # 查阅: bargaining, not petitions or hardship
    page = client.get(reverse("reports:dashboard", args=["430121"])).content.decode()
    assert "集体协商统计表" in page and "信访统计表" not in page and "帮扶情况统计表" not in page
    client.force_login(personas.county_admin)
    page = client.get(reverse("reports:dashboard", args=["430121"])).content.decode()
    assert f'{reverse("reports:table_petitions")}?org=430121&' in page and "帮扶情况统计表" in page
