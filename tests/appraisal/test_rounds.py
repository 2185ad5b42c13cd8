"""Data-collection rounds: the form's rules, fill/submit/return/accept, the deadline, 督导 and export."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.appraisal import forms_data, services
from gonghui.appraisal.models import Submission, SubmissionStatus
from gonghui.core import clock
from gonghui.core.errors import ServiceError
from gonghui.reports.models import ReportedValue

FIELDS = [{"label": "新建工会数", "kind": "number", "required": True, "min": 0, "max": 1000,
           "metric": "orgs.unions_new"},
          {"label": "工作进展", "kind": "text"}, {"label": "召开职代会", "kind": "choice", "choices": ["是", "否"]},
          {"label": "完成日期", "kind": "date"}]


@pytest.fixture
def rnd(tree, personas):
    today = clock.today()
    return services.round_send(actor=personas.town_clerk, org=tree.town_a, title="建会进展月报", fields=FIELDS,
                               period_start=today.replace(day=1), period_end=today, deadline=today,
                               orgs=[tree.union_a1, tree.union_a2])


@pytest.mark.parametrize("fields,msg", [
    ([{"label": "甲", "kind": "choice", "choices": ["是"]}], "请列出至少两个"),
    ([{"label": "甲", "kind": "number", "min": 5, "max": 1}], "最小值大于最大值"),
    ([{"label": "甲", "kind": "photo"}], "类型“photo”无效"),
    ([{"label": "甲", "kind": "file", "max_mb": 50}], "大小上限应为 1～10 MB"),
    ([{"label": "甲", "kind": "text"}, {"label": "甲", "kind": "text"}], "重名"),
    ([{"label": "甲", "kind": "number", "metric": "orgs.nothing"}], "预填指标“orgs.nothing”不存在"),
])
def test_bad_form_definitions_are_refused(fields, msg):
    with pytest.raises(ServiceError, match=msg):
        forms_data.clean_fields(fields)


def test_a_round_cannot_go_outside_the_senders_subtree(tree, personas):
    today = clock.today()
    with pytest.raises(ServiceError, match="乙一公司工会不是甲镇工会联合会的下级"):
        services.round_send(actor=None, org=tree.town_a, title="x", fields=FIELDS, period_start=today,
                            period_end=today, deadline=today, orgs=[tree.union_b1])


def test_draft_submit_return_accept_as_reported(tree, personas, rnd):
    sub = Submission.objects.get(round=rnd, org=tree.union_a1)
    clerk = personas.union_clerk
    services.submission_save(actor=clerk, submission=sub, data={"f2": "进行中"})
    assert sub.status == SubmissionStatus.DRAFT
    with pytest.raises(ServiceError) as err:
        services.submission_submit(actor=clerk, submission=sub,
                                   data={"f1": "两", "f3": "也许", "f4": "2026-13-01"})
    assert "“新建工会数”应填数字" in str(err.value) and "“召开职代会”只能选是、否" in str(err.value)
    assert "“完成日期”应填日期" in str(err.value)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.DRAFT and sub.data == {"f2": "进行中"}
    services.submission_submit(actor=clerk, submission=sub, data={"f1": "3", "f3": "是"})
    with pytest.raises(ServiceError, match="请填写退回理由"):
        services.submission_return(actor=personas.town_clerk, submission=sub, reason=" ")
    services.submission_return(actor=personas.town_clerk, submission=sub, reason="数字与台账不符")
    services.submission_submit(actor=clerk, submission=sub, data={"f1": "2"})
    services.submission_accept(actor=personas.town_admin, submission=sub, as_reported=True)
    r = ReportedValue.objects.get(org=tree.union_a1, metric_code="orgs.unions_new")
    assert r.value == 2 and r.start == rnd.period_start


def test_after_the_deadline_only_a_reopened_unit_may_submit(tree, personas, rnd):
    sub = Submission.objects.get(round=rnd, org=tree.union_a2)
    with clock.as_of(rnd.deadline + dt.timedelta(days=1)):
        with pytest.raises(ServiceError, match="已于 .* 截止"):
            services.submission_submit(actor=personas.town_clerk, submission=sub, data={"f1": "1"})
        services.submission_reopen(actor=personas.town_clerk, submission=sub)
        services.submission_submit(actor=personas.town_clerk, submission=sub, data={"f1": "1"})


def test_supervision_page_lists_who_has_not_reported_and_reminds_them(client, tree, personas, rnd):
    sub = Submission.objects.get(round=rnd, org=tree.union_a1)
    services.submission_submit(actor=personas.union_clerk, submission=sub, data={"f1": "1"})
    client.force_login(personas.town_clerk)
    page = client.get(reverse("appraisal:round", args=[rnd.pk])).content.decode()
    assert "甲二公司工会" in page and "甲一公司工会</a>" not in page and "督导：未报单位（1）" in page
    client.post(reverse("appraisal:round_remind", args=[rnd.pk]))
    assert Submission.objects.get(round=rnd, org=tree.union_a2).reminders == 1
    client.force_login(personas.union_clerk)
    # union_clerk sits on 甲一, already submitted: 甲二's reminder is not his.
    assert "上级已催报" not in client.get(reverse("appraisal:index")).content.decode()
    client.force_login(personas.town_admin)
    todo = client.get(reverse("core:todo")).content.decode()
    assert "填报“建会进展月报”" in todo and "上级已催报1次" in todo


def test_export_has_one_row_per_unit_and_a_column_per_field(client, tree, personas, rnd):
    sub = Submission.objects.get(round=rnd, org=tree.union_a1)
    services.submission_submit(actor=personas.union_clerk, submission=sub, data={"f1": "4", "f2": "顺利"})
    client.force_login(personas.town_clerk)
    response = client.get(reverse("appraisal:round_export", args=[rnd.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(
        0).to_python()
    assert rows[0][:6] == ["单位", "状态", "提交时间", "退回理由", "新建工会数", "工作进展"]
    assert [r[0] for r in rows[1:]] == ["甲一公司工会", "甲二公司工会"]
    assert rows[1][4] in ("4", 4, 4.0) and rows[1][5] == "顺利" and rows[2][1] == "未填报"


def test_the_fill_page_prefills_from_the_registry_and_keeps_input_on_error(client, tree, personas, rnd):
    sub = Submission.objects.get(round=rnd, org=tree.union_a1)
    client.force_login(personas.union_clerk)
    url = reverse("appraisal:submission", args=[sub.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"f1": "abc", "f2": "草稿内容", "submit": "1"}).content.decode()
    assert "应填数字" in page and "草稿内容" in page
    assert Submission.objects.get(pk=sub.pk).status == SubmissionStatus.PENDING
