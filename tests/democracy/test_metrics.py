"""Democracy figures on hand-built records with known answers, each checked against its
hand-written SQL twin, including a union moved between townships.

Data (tree of tests/conftest.py): 已建会企业 甲一 (30), 甲二 (60), 乙一 (40); 甲三, 甲四 have no union.
  甲一's own 职代会 (2021, 30 delegates, 12 women), 厂务公开制度 since 2022.
  甲镇's regional 职代会 (1 Feb 2026) covering 甲二 and 甲三 (10 delegates, 5 women).
  Sessions of 甲一's: 1 Mar 2026 (19 of 30, no quorum), 2 Mar 2026 (20 of 30: 议案 甲 15 votes fails, 乙 16 passes).
  提案 of 甲一's, 2026: p1 立案, answered on time, 基本满意; p2 不立案; p3 立案, due 5 Jun, unanswered; p4 not reviewed.
  厂务公开 of 甲一: 公开栏 2 issues (2 + 3 items), 职代会报告 1 issue (4 items); 会务公开 of 甲镇: 1 issue (2 items).
  甲一公司工会 moves from 甲镇 to 乙街道 on 1 Jul 2026.
"""

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.db import connection

from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.democracy import services as s
from gonghui.orgs import services as org_services

from .conftest import add_delegates, make_congress

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from hand_sql import path_on  # noqa: E402
from twins.democracy import twins  # noqa: E402

D = dt.date
pytestmark = pytest.mark.django_db
YEAR = Period(D(2026, 1, 1), D(2026, 12, 31))
H1 = Period(D(2026, 1, 1), D(2026, 6, 30))


@pytest.fixture
def records(tree):
    c, t, ds = make_congress(tree)
    s.disclosure_system_set(actor=None, employer=tree.emp["a1"], org=tree.union_a1, established_on=D(2022, 1, 1))
    reg = s.congress_create(actor=None, org=tree.town_a, name="甲镇区域性职工代表大会", established_on=D(2026, 2, 1),
                            scope_kind="regional", employers=[tree.emp["a2"], tree.emp["a3"]])
    rt = s.term_open(actor=None, congress=reg, number=1, started_on=D(2026, 2, 1), ends_on=D(2031, 1, 31), staff=160,
                     women_staff=58)
    add_delegates(rt, 10, women=5, frontline=6, managers=1)
    s.session_record(actor=None, congress=c, held_on=D(2026, 3, 1), delegates_present=19)
    ok = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 2), delegates_present=20)
    s.motion_vote(actor=None, session=ok, title="甲", votes_for=15, votes_against=5)
    s.motion_vote(actor=None, session=ok, title="乙", votes_for=16, votes_against=4)

    def file(n):
        return s.proposal_file(actor=None, congress=c, title=f"提案{n}", content="内容", category="pay",
                               proposer=ds[n], filed_on=D(2026, 3, 2), session=ok)

    p1, p2, p3, _p4 = file(1), file(2), file(3), file(4)
    for p in (p1, p3):
        s.proposal_accept(actor=None, proposal=p, decided_on=D(2026, 3, 3))
        s.proposal_assign(actor=None, proposal=p, assigned_on=D(2026, 3, 5), lead_dept="人力资源部")
    s.proposal_reject(actor=None, proposal=p2, decided_on=D(2026, 3, 3), reason="转为意见建议")
    s.proposal_answer(actor=None, proposal=p1, answered_on=D(2026, 5, 1), answer="已办", result_code="B")
    s.proposal_feedback(actor=None, proposal=p1, delegate=ds[1], feedback="fairly", feedback_on=D(2026, 5, 3))
    for n, (form, items) in enumerate([("board", 2), ("board", 3), ("congress_report", 4)], start=1):
        s.disclosure_record(actor=None, org=tree.union_a1, employer=tree.emp["a1"], kind="workplace", form=form,
                            issue_no=n, disclosed_on=D(2026, 4, n), title=f"第{n}期",
                            items=[("operations", f"事项{i}") for i in range(items)])
    s.disclosure_record(actor=None, org=tree.town_a, kind="union", form="board", issue_no=1,
                        disclosed_on=D(2026, 4, 9), title="会务公开", items=[("union_funds", "经费收支"), ("other", "x")])
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2026, 7, 1))
    return c


def fig(code, org, period=YEAR, subs=True):
    """The registry's answer, checked against the SQL twin."""
    value = compute(code, org, period, subs)
    if subs:
        with connection.cursor() as cursor:
            twin = twins()[code]
            assert twin.answer(value) == twin.run(cursor, path_on(cursor, org.pk, org.path, period.end), period), code
    return value


def test_every_figure_has_a_twin():
    codes = {c for c in REGISTRY if c.startswith("democracy.")}
    assert codes == set(twins()), codes ^ set(twins())


def test_employer_rates(tree, records):
    r = fig("democracy.congress_rate", tree.root)
    assert (r.numerator, r.denominator) == (2, 3)  # 甲一 (own), 甲二 (regional); 乙一 has none
    r = fig("democracy.regional_coverage_rate", tree.root)
    assert (r.numerator, r.denominator) == (1, 3)  # 甲三 is covered but has no union
    r = fig("democracy.disclosure_system_rate", tree.root)
    assert (r.numerator, r.denominator) == (1, 3)
    # Before the regional congress existed, only 甲一 had one.
    r = fig("democracy.congress_rate", tree.root, Period(D(2025, 1, 1), D(2025, 12, 31)))
    assert (r.numerator, r.denominator) == (1, 3)
    # Employers stay at their 属地 (甲镇) when 甲一's union moves.
    r = fig("democracy.congress_rate", tree.town_a)
    assert (r.numerator, r.denominator) == (2, 2)
    assert fig("democracy.congress_rate", tree.town_b).value == 0


def test_employer_rates_together_as_alone_in_one_pass(tree, records):
    """Inside sharing() (a dashboard, the summary) the three employer rates count their common
    base (已建会企业) in one statement, with the answers each gives alone (issue 14)."""
    from django.test.utils import CaptureQueriesContext

    from gonghui.core.metrics import sharing

    codes = ["democracy.congress_rate", "democracy.regional_coverage_rate", "democracy.disclosure_system_rate"]
    for org in (tree.root, tree.town_a, tree.town_b, tree.union_a1):
        for period in (YEAR, H1, Period(D(2025, 1, 1), D(2025, 12, 31))):
            for subs in (True, False):
                alone = {c: compute(c, org, period, subs) for c in codes}
                with sharing():
                    together = {c: compute(c, org, period, subs) for c in codes}
                assert together == alone, (org.name, period, subs)
    assert [compute(c, tree.root, YEAR).numerator for c in codes] == [2, 1, 1]
    with CaptureQueriesContext(connection) as one_by_one:
        for c in codes:
            compute(c, tree.root, YEAR)
    with sharing(), CaptureQueriesContext(connection) as together:
        for c in codes:
            compute(c, tree.root, YEAR)
    def counts(ctx):
        return [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "orgs_employer" in q["sql"]]

    assert (len(counts(one_by_one)), len(counts(together))) == (3, 1)
    assert len(together) < len(one_by_one)


def test_counts_and_rates(tree, records):
    root = tree.root
    assert fig("democracy.sessions_held", root).value == 2
    assert fig("democracy.motions_passed", root).value == 1
    assert fig("democracy.delegates", root).value == 40
    assert fig("democracy.women_delegates", root).value == 17
    assert fig("democracy.proposals", root).value == 4
    r = fig("democracy.acceptance_rate", root)
    assert (r.numerator, r.denominator) == (2, 3)
    r = fig("democracy.on_time_rate", root)
    assert (r.numerator, r.denominator) == (1, 2)
    r = fig("democracy.satisfaction_rate", root)
    assert (r.numerator, r.denominator, str(r.value)) == (1, 1, "100.00")
    assert fig("democracy.workplace_issues", root).value == 3
    assert fig("democracy.workplace_items", root).value == 9
    assert fig("democracy.workplace_board_issues", root).value == 2
    assert fig("democracy.workplace_board_items", root).value == 5
    assert fig("democracy.workplace_congress_report_items", root).value == 4
    assert fig("democracy.workplace_intranet_issues", root).value == 0
    assert (fig("democracy.union_issues", root).value, fig("democracy.union_items", root).value) == (1, 2)


def test_a_moved_union_counts_where_it_stood_on_the_cut_off(tree, records):
    # Until 30 June 甲一公司工会 stood under 甲镇; at the year's end under 乙街道.
    assert fig("democracy.sessions_held", tree.town_a, H1).value == 2
    assert fig("democracy.sessions_held", tree.town_b, H1).value == 0
    assert fig("democracy.sessions_held", tree.town_a).value == 0
    assert fig("democracy.sessions_held", tree.town_b).value == 2
    assert fig("democracy.proposals", tree.town_b).value == 4
    assert fig("democracy.delegates", tree.town_a).value == 10  # the regional congress's
    assert fig("democracy.delegates", tree.town_b).value == 30
    assert fig("democracy.workplace_items", tree.town_b).value == 9
    assert fig("democracy.union_items", tree.town_a).value == 2  # 甲镇's own 会务公开
    assert fig("democracy.union_items", tree.town_a, subs=False).value == 2


def test_breakdowns_add_up_and_records_match(tree, records):
    for code in sorted(c for c in REGISTRY if c.startswith("democracy.")):
        m = REGISTRY[code]
        total = compute(code, tree.root, YEAR)
        parts = m.breakdown(tree.root, YEAR)
        if m.is_rate:
            assert sum(v.numerator for v in parts.values()) == total.numerator, code
            assert sum(v.denominator for v in parts.values()) == total.denominator, code
        else:
            assert sum(parts.values()) == total.value, code
        recs = m.records(tree.root, YEAR, True)
        if m.is_rate:
            assert recs.queryset.count() == total.denominator, code
            assert recs.queryset.filter(recs.met).count() == total.numerator, code
        elif code.endswith("_items"):
            assert sum(d.item_count for d in recs.queryset) == total.value, code
        else:
            assert recs.queryset.count() == total.value, code


def test_seed_s4_figures_from_records(tree):
    """S4: 304 提案 at one session, 11 议案, 公开栏 146 issues with 290 items, 会务公开 4/33 at the
    federation and 38/67 at the grass roots."""
    c, t, ds = make_congress(tree, delegates=60, women=24, managers=6, frontline=40, staff=600)
    session = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 2), delegates_present=55)
    for i in range(11):
        s.motion_vote(actor=None, session=session, title=f"议案{i + 1}", votes_for=50, votes_against=5)
    for i in range(304):
        s.proposal_file(actor=None, congress=c, title=f"提案{i + 1}", content="内容", category="other",
                        proposer=ds[i % 60], filed_on=D(2026, 3, 2), session=session)
    for n in range(146):
        items = 2 if n < 144 else 1  # 144 × 2 + 2 × 1 = 290
        s.disclosure_record(actor=None, org=tree.union_a1, employer=tree.emp["a1"], kind="workplace", form="board",
                            issue_no=n + 1, disclosed_on=D(2026, 1, 1) + dt.timedelta(days=n), title=f"第{n + 1}期",
                            items=[("operations", f"事项{i}") for i in range(items)])
    for org, issues, items in ((tree.root, 4, 33), (tree.union_a1, 38, 67)):
        for n in range(issues):
            k = items // issues + (1 if n < items % issues else 0)
            s.disclosure_record(actor=None, org=org, kind="union", form="board", issue_no=n + 1,
                                disclosed_on=D(2026, 2, 1) + dt.timedelta(days=n), title=f"会务公开第{n + 1}期",
                                items=[("union_funds", f"事项{i}") for i in range(k)])
    assert fig("democracy.proposals", tree.root).value == 304
    assert fig("democracy.motions_passed", tree.root).value == 11
    assert fig("democracy.workplace_board_issues", tree.root).value == 146
    assert fig("democracy.workplace_board_items", tree.root).value == 290
    own = (compute("democracy.union_issues", tree.root, YEAR, False).value,
           compute("democracy.union_items", tree.root, YEAR, False).value)
    assert own == (4, 33)
    assert (fig("democracy.union_issues", tree.town_a).value, fig("democracy.union_items", tree.town_a).value) == (38, 67)


def test_board_members_and_evaluations(tree, personas, client):
    from django.urls import reverse

    from gonghui.core.audit import AccessLog

    c, t, ds = make_congress(tree)
    session = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 2), delegates_present=25)
    s.board_member_elect(actor=None, congress=c, seat="director", name="代表1", elected_on=D(2025, 3, 2))
    s.board_member_elect(actor=None, congress=c, seat="supervisor", name="代表2", elected_on=D(2025, 3, 2),
                         ends_on=D(2026, 6, 30))
    with pytest.raises(s.ServiceError, match="多于实到代表 25 人"):
        s.evaluation_record(actor=None, session=session, name="甲", position="总经理", level="leader", excellent=26)
    s.evaluation_record(actor=None, session=session, name="张总", position="总经理", level="leader", excellent=10,
                        competent=12, basic=2, incompetent=1)
    for i in range(3):
        s.evaluation_record(actor=None, session=session, name=f"部长{i}", position="部长", level="cadre", competent=20)
    assert fig("democracy.worker_directors", tree.root).value == 1
    assert fig("democracy.worker_supervisors", tree.root, H1).value == 1
    assert fig("democracy.worker_supervisors", tree.root).value == 0  # left on 30 June
    assert fig("democracy.evaluations", tree.root).value == 4
    assert fig("democracy.evaluations_leader", tree.root).value == 1
    assert fig("democracy.evaluations_cadre", tree.town_a).value == 3
    # The persons and results are shown only with democracy.view_sensitive, and each view is logged.
    client.force_login(personas.town_clerk)
    page = client.get(reverse("democracy:congress_detail", args=[c.pk])).content.decode()
    assert "民主评议（4 人次）" in page and "张总" not in page and not AccessLog.objects.exists()
    client.force_login(personas.county_admin)
    page = client.get(reverse("democracy:congress_detail", args=[c.pk])).content.decode()
    assert "张总" in page and "88.00%" in page
    assert AccessLog.objects.filter(object_type="democracy.evaluation").count() == 1


def test_seed_s3_rates_from_records(tree):
    """S3: 厂务公开制度 80 % and 区域性职代会 coverage 80 %: 甲镇's five unionised employers (甲二's
    union is a joint one covering 甲三, 甲四 and a new 甲五 too), four of them covered by the town's
    regional congress and four with a 厂务公开 system."""
    e5 = org_services.employer_create(actor=None, org=tree.town_a, name="甲五商行", headcount=12, women_count=6,
                                      registered_on=D(2010, 1, 1))
    for e in (tree.emp["a3"], tree.emp["a4"], e5):
        org_services.coverage_start(actor=None, union=tree.union_a2, employer=e, valid_from=D(2025, 3, 1))
    covered = [tree.emp["a2"], tree.emp["a3"], tree.emp["a4"], e5]
    s.congress_create(actor=None, org=tree.town_a, name="甲镇区域性职工代表大会", established_on=D(2025, 6, 1),
                      scope_kind="regional", employers=covered)
    for e in (tree.emp["a1"], *covered[:3]):
        s.disclosure_system_set(actor=None, employer=e, org=tree.union_a2, established_on=D(2025, 6, 1))
    for code in ("democracy.regional_coverage_rate", "democracy.disclosure_system_rate"):
        r = fig(code, tree.town_a)
        assert (r.numerator, r.denominator, r.value) == (4, 5, 80), code


def test_seed_s4_sessions_resolutions_evaluations_and_report_items(tree):
    """S4: the hospital's 职代会 met once in regular session and twice in extraordinary session
    and adopted 3 书面决议 between sessions; 民主评议 of 11 leaders and 40 middle managers; 173 items
    disclosed in the 职代会 report."""
    c, t, ds = make_congress(tree, delegates=60, women=24, managers=6, frontline=40, staff=600)
    regular = s.session_record(actor=None, congress=c, held_on=D(2026, 3, 2), delegates_present=55)
    for day in (D(2026, 6, 1), D(2026, 9, 1)):
        s.session_record(actor=None, congress=c, held_on=day, delegates_present=50, kind="extraordinary")
    s.resolution_adopt(actor=None, congress=c, title="关于年度工作报告的决议", adopted_on=D(2026, 3, 2), session=regular)
    for n in range(3):
        s.resolution_adopt(actor=None, congress=c, title=f"书面决议{n + 1}", adopted_on=D(2026, 4 + n, 10), written=True)
    for i in range(11):
        s.evaluation_record(actor=None, session=regular, name=f"院领导{i + 1}", position="副院长", level="leader",
                            competent=50)
    for i in range(40):
        s.evaluation_record(actor=None, session=regular, name=f"科主任{i + 1}", position="科主任", level="cadre",
                            competent=50)
    s.disclosure_record(actor=None, org=tree.union_a1, employer=tree.emp["a1"], kind="workplace",
                        form="congress_report", issue_no=1, disclosed_on=D(2026, 3, 2), title="向职代会报告厂务公开情况",
                        items=[("operations", f"事项{i + 1}") for i in range(173)])
    assert fig("democracy.sessions_held", tree.root).value == 3
    assert fig("democracy.sessions_extraordinary", tree.root).value == 2
    assert fig("democracy.resolutions", tree.root).value == 4
    assert fig("democracy.written_resolutions", tree.root).value == 3
    assert fig("democracy.evaluations_leader", tree.root).value == 11
    assert fig("democracy.evaluations_cadre", tree.root).value == 40
    assert fig("democracy.workplace_congress_report_items", tree.root).value == 173
    for code in ("democracy.sessions_extraordinary", "democracy.written_resolutions"):
        assert compute(code, tree.root, YEAR, True).value == sum(REGISTRY[code].breakdown(tree.root, YEAR).values())


def test_the_annual_report_fills_its_congress_rows_from_these_records(tree, records):
    """The 全总 annual report's 表二 rows for 职代会, 厂务公开 and 职工董事 are these figures (they were
    blank as "not in the system"); 董事会 and women 职工董事 stay blank with their reason."""
    from gonghui.reports import annual

    s.board_member_elect(actor=None, congress=records, seat="director", name="代表1", elected_on=D(2025, 3, 2))
    s.board_member_elect(actor=None, congress=records, seat="supervisor", name="代表2", elected_on=D(2025, 3, 2))
    rows = {line.label: (line.cells[0], value) for line, value in annual.build(tree.root, 2026).table2}
    values = {label: value for label, (_cell, value) in rows.items()}
    assert values["建立职工代表大会制度的单位"] == 2  # 甲一 (own), 甲二 (regional)
    assert values["职代会职工代表人数"] == 40  # 30 of 甲一's + 10 of the regional congress
    assert values["实行厂务公开的单位"] == 1
    assert values["职工董事人数"] == 1  # the 职工监事 is not a director
    women = [(line.cells[0].missing == "", value) for line, value in annual.build(tree.root, 2026).table2
             if line.label.endswith("其中：女性")]
    assert women == [(True, 17), (False, None)]  # delegates: 12 + 5; women directors: not recorded
    assert values["建立董事会的单位"] is None and "董事会" in rows["建立董事会的单位"][0].missing
    assert fig("democracy.delegates", tree.root, annual.period_of(2026)).value == 40


def test_the_work_summary_section_reads_as_sentences(tree, records):
    """The Word summary's 民主管理 section: each figure by its phrase, the 厂务公开 forms in the
    items' bracket and the content categories in a sentence of their own (both add up to the
    items, so one bracket listing both would count them twice)."""
    from gonghui.reports import summary

    section = next(x for x in summary.context(tree.root, YEAR)["sections"] if x["group"] == "民主管理")
    text = "".join(section["paragraphs"])
    assert "召开职代会2次，有职工代表40人（其中女职工代表17人）" in text
    assert "职工代表提出提案4件" in text
    assert "厂务公开3期（其中通过职代会报告公开1期、通过公开栏公开2期）" in text
    assert "厂务公开事项9项（其中通过职代会报告公开4项、通过公开栏公开5项）" in text
    assert "厂务公开事项按内容分：发展规划与生产经营9项。" in text
    assert "会务公开1期，会务公开事项2项" in text
    assert "规划与经营）" not in text and "期数" not in section["paragraphs"][0]


def test_the_standard_table_has_a_row_per_subordinate_and_the_total(tree, records, client, personas):
    """民主管理统计表 (reports' standard tables): the figures per direct subordinate on the cut-off,
    summing to the county's; its page and workbook under democracy.view."""
    from django.urls import reverse

    from gonghui.core.tables import TABLES
    from gonghui.reports import tables

    table = TABLES["democracy"]
    headers = tables.headers(table)
    rows = {r.label: dict(zip(headers, r.cells, strict=True)) for r in tables.standard_rows(table, tree.root, YEAR)}
    total = rows["合计"]
    assert total["已建会企业（家）"] == 3 and total["建立职代会制度企业（家）"] == 2
    assert total["职工代表（人）"] == 40 and total["提案（件）"] == 4 and total["厂务公开项目（项）"] == 9
    # 甲一's union moved to 乙街道 on 1 July: its delegates and 提案 count there at the year's end.
    assert rows["乙街道总工会"]["提案（件）"] == 4 and rows["甲镇工会联合会"]["职工代表（人）"] == 10
    assert compute("democracy.delegates", tree.root, YEAR).value == sum(
        r["职工代表（人）"] for label, r in rows.items() if label != "合计")
    client.force_login(personas.county_admin)
    url = reverse("reports:table_democracy")
    assert "民主管理统计表" in client.get(url, {"preset": "year", "year": "2026"}).content.decode()
    client.force_login(personas.outsider)
    assert client.get(url).status_code in (403, 404)
