"""The pages: a scheme built with pickers and the indicator form, live results and ranking, the
lock's snapshot, the results workbook, and the 督导 page's bounded queries."""

import io
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from python_calamine import CalamineWorkbook

from gonghui.appraisal import live, services
from gonghui.appraisal.models import Appraisal, Scheme
from gonghui.core import clock
from gonghui.core.periods import Period
from gonghui.reports import services as report_services


def test_a_scheme_is_built_on_its_pages_and_bad_steps_keep_the_input(client, tree, personas):
    client.force_login(personas.county_admin)
    r = client.post(reverse("appraisal:scheme_new"), {
        "org": tree.root.code, "year": clock.today().year, "title": "乡镇考核", "target_type": "township",
        "total_score": "4", "grades": "优秀 4\n合格 2\n不合格 0"})
    s = Scheme.objects.get(title="乡镇考核")
    assert r.status_code == 302 and s.grades == [["优秀", "4"], ["合格", "2"], ["不合格", "0"]]
    url = reverse("appraisal:indicator_add", args=[s.pk])
    page = client.post(url, {"code": "1", "name": "组建率", "max_score": "4", "rule_type": "step",
                             "params": "70:2, 80:4", "metric_code": "orgs.coverage_rate"})
    html = page.content.decode()
    assert page.status_code == 200 and "阶梯重叠或顺序颠倒" in html and 'value="70:2, 80:4"' in html
    client.post(url, {"code": "1", "name": "组建率", "max_score": "4", "rule_type": "step",
                      "params": "80：4，65：1", "metric_code": "orgs.coverage_rate"})
    assert s.indicators.get().params == {"steps": [["80", "4"], ["65", "1"]]}
    client.post(reverse("appraisal:scheme_issue", args=[s.pk]))
    page = client.get(reverse("appraisal:scheme", args=[s.pk])).content.decode()
    # 乙街道 100 % → 4 (first), 甲镇 66.67 % → 1.
    assert page.index("乙街道总工会") < page.index("甲镇工会联合会") and "使用说明" in page
    a = Appraisal.objects.get(scheme=s, org=tree.town_a)
    client.force_login(personas.town_clerk)
    detail = client.get(reverse("appraisal:appraisal", args=[a.pk])).content.decode()
    assert "组建率：66.67%（2/3）" in detail and "提交自评" in detail
    response = client.get(reverse("appraisal:scheme", args=[s.pk]))
    assert response.status_code == 404  # the county's scheme page is the county's


def test_the_results_workbook_has_ranks_totals_grades_and_every_indicator(client, tree, personas, scheme):
    services.scheme_issue(actor=personas.county_admin, scheme=scheme)
    client.force_login(personas.county_admin)
    response = client.get(reverse("appraisal:scheme_export", args=[scheme.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(
        0).to_python()
    assert rows[0][:6] == ["名次", "单位", "总分", "等次", "否决事项", "1 组织建设（8分）"]
    assert [r[1] for r in rows[1:]] == ["乙街道总工会", "甲镇工会联合会"]
    assert [float(r[2]) for r in rows[1:]] == [8.0, 5.0] and rows[1][3] == "优秀"


def test_a_locked_year_scores_from_the_snapshot(tree, personas, scheme):
    services.scheme_issue(actor=personas.county_admin, scheme=scheme)
    today = clock.today()
    period = live.period_of(scheme, today)
    lock = report_services.period_lock(actor=personas.county_admin, org=tree.root, period=Period(period.start,
                                                                                                  period.end))
    lock.snapshot["parts"]["orgs.coverage_rate"][tree.town_a.path] = {"value": "85.00", "numerator": 17,
                                                                      "denominator": 20}
    lock.save()
    result = live.score_scheme(scheme)
    row = next(r for r in result.rows if r.appraisal.org == tree.town_a)
    assert result.locked and row.values["1.1"] == D("85.00") and row.outcome.scores["1.1"] == 4


def test_the_supervision_page_reads_a_fixed_number_of_queries(client, tree, personas):
    from tests.appraisal.url_cases import make_round

    small = make_round(tree.town_a, [tree.union_a1])
    big = make_round(tree.town_a, [tree.union_a1, tree.union_a2])
    client.force_login(personas.town_clerk)
    client.get(reverse("appraisal:round", args=[small.pk]))  # the session, the menu and the grants, once
    counts = []
    for r in (small, big):
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("appraisal:round", args=[r.pk])).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]


def test_the_responsibility_letter_states_each_rule_and_the_units_target(client, tree, personas, scheme):
    report_services.target_set(actor=personas.county_admin, org=tree.town_a, metric_code="orgs.coverage_rate",
                               year=scheme.year, value=90)
    services.scheme_issue(actor=personas.county_admin, scheme=scheme)
    a = Appraisal.objects.get(scheme=scheme, org=tree.town_a)
    client.force_login(personas.town_clerk)
    response = client.get(reverse("appraisal:charter", args=[a.pk]))
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert "甲方：长沙县总工会" in text and "乙方：甲镇工会联合会" in text
    assert cells[2][0] == "1.1" and cells[2][3] == "90%"
    assert cells[2][4] == "达到80%得4分；达到75%得3分；达到70%得2分；达到65%得1分；低于最低一级不得分"
    assert "每缺（每起）一项扣2分，扣完为止" in cells[3][4] and "一票否决" in cells[5][4]
