"""Files (evidence of self-scores, a form's file field), the results notice, changing a scheme
before and after it is issued, recurring rounds, and reported against computed values."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from gonghui.appraisal import scoring, services, uploads
from gonghui.appraisal.models import (
    Appraisal,
    Entry,
    Indicator,
    Round,
    SchemeStatus,
    Submission,
    SubmissionStatus,
    Upload,
)
from gonghui.core import clock
from gonghui.core.errors import ServiceError


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _entry(scheme, org, code) -> Entry:
    return Entry.objects.select_related("appraisal__scheme__org", "appraisal__org", "indicator__parent").get(
        appraisal__scheme=scheme, appraisal__org=org, indicator__code=code)


# ---------------------------------------------------------------- evidence files

def test_evidence_is_uploaded_checked_and_downloaded_only_in_scope(client, tree, personas, scheme, data_dir):
    services.scheme_issue(actor=personas.county_admin, scheme=scheme)
    e = _entry(scheme, tree.town_a, "1.2")
    client.force_login(personas.town_clerk)
    url = reverse("appraisal:entry_upload", args=[e.pk])
    client.post(url, {"file": SimpleUploadedFile("专项合同.pdf", b"%PDF-1.4 contract")})
    up = Upload.objects.get(entry=e)
    assert up.name == "专项合同.pdf" and up.org_path == tree.town_a.path
    assert (data_dir / "appraisal" / up.stored_name).read_bytes() == b"%PDF-1.4 contract"
    page = client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ")}, follow=True).content.decode()
    assert "类型不允许" in page and Upload.objects.filter(entry=e).count() == 1
    with pytest.raises(ServiceError, match="超过 10 MB"):
        services.entry_upload(actor=personas.town_clerk, entry=e, name="大.pdf",
                              content=b"x" * (uploads.MAX_MB * 1024 * 1024 + 1))
    download = reverse("appraisal:upload", args=[up.pk])
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4 contract"
    client.force_login(personas.county_admin)  # the issuer sees its subordinate's evidence
    assert client.get(download).status_code == 200
    client.force_login(personas.outsider)
    assert client.get(download).status_code in (403, 404)
    # After the self-assessment is submitted the evidence is fixed.
    services.entry_self_score(actor=personas.town_clerk, entry=e, value=0)
    services.entry_self_score(actor=personas.town_clerk, entry=_entry(scheme, tree.town_a, "2"), self_score=1)
    services.appraisal_submit(actor=personas.town_clerk, appraisal=e.appraisal)
    with pytest.raises(ServiceError, match="已提交自评"):
        services.upload_remove(actor=personas.town_clerk, upload=up)


# ---------------------------------------------------------------- a form's file field

FILE_FIELDS = [{"label": "新建工会数", "kind": "number", "required": True},
               {"label": "成立批复", "kind": "file", "required": True, "max_mb": 1}]


@pytest.fixture
def file_round(tree, personas):
    today = clock.today()
    return services.round_send(actor=personas.town_clerk, org=tree.town_a, title="建会批复收集", fields=FILE_FIELDS,
                               period_start=today.replace(day=1), period_end=today, deadline=today,
                               orgs=[tree.union_a1, tree.union_a2])


def test_a_file_field_is_required_limited_and_kept_across_drafts(client, tree, personas, file_round):
    sub = Submission.objects.get(round=file_round, org=tree.union_a1)
    client.force_login(personas.union_clerk)
    url = reverse("appraisal:submission", args=[sub.pk])
    page = client.post(url, {"f1": "2", "submit": "1"}).content.decode()
    assert "“成立批复”为必填项" in page
    big = SimpleUploadedFile("批复.pdf", b"x" * (1024 * 1024 + 1))
    page = client.post(url, {"f1": "2", "f2": big, "submit": "1"}).content.decode()
    assert "超过 1 MB" in page and not Upload.objects.exists()
    assert Submission.objects.get(pk=sub.pk).status == SubmissionStatus.PENDING
    client.post(url, {"f1": "2", "f2": SimpleUploadedFile("批复.pdf", b"%PDF first")})  # a draft with the file
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.DRAFT and sub.data["f2"] == "批复.pdf"
    first = Upload.objects.get(submission=sub)
    client.post(url, {"f1": "3", "submit": "1"})  # the file stays without being sent again
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED and Upload.objects.get(submission=sub).pk == first.pk
    client.force_login(personas.town_clerk)
    page = client.get(url).content.decode()
    assert reverse("appraisal:upload", args=[first.pk]) in page
    assert b"".join(client.get(reverse("appraisal:upload", args=[first.pk])).streaming_content) == b"%PDF first"


def test_a_bad_number_keeps_no_file(tree, personas, file_round):
    sub = Submission.objects.select_related("round", "org").get(round=file_round, org=tree.union_a1)
    with pytest.raises(ServiceError, match="应填数字"):
        services.submission_submit(actor=personas.union_clerk, submission=sub, data={"f1": "abc"},
                                   files={"f2": ("批复.pdf", b"%PDF")})
    assert not Upload.objects.exists() and not list((uploads.folder()).iterdir())


# ---------------------------------------------------------------- the scheme before and after issue

def test_a_draft_scheme_is_edited_on_its_page(client, tree, personas, scheme):
    client.force_login(personas.county_admin)
    url = reverse("appraisal:scheme_edit", args=[scheme.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"year": scheme.year, "title": "改名后的考核", "target_type": "township",
                             "total_score": "10", "grades": "优秀 8\n合格 9", "tie_break": "2"}).content.decode()
    assert "请从高到低排列" in page and "改名后的考核" in page
    client.post(url, {"year": scheme.year, "title": "改名后的考核", "target_type": "township", "total_score": "10",
                      "grades": "优秀 9\n合格 5\n不合格 0", "tie_break": "2"})
    scheme.refresh_from_db()
    assert scheme.title == "改名后的考核" and scheme.tie_break == "2" and scheme.grades[0] == ["优秀", "9"]
    services.scheme_issue(actor=personas.county_admin, scheme=scheme)
    with pytest.raises(ServiceError, match="修订为新版本"):
        services.scheme_update(actor=personas.county_admin, scheme=scheme, year=scheme.year, title="再改",
                               target_type="township", total_score=10, grades=[["合格", 0]])


def test_an_issued_scheme_changes_through_a_new_version_keeping_self_scores(tree, personas, scheme, data_dir):
    admin = personas.county_admin
    services.scheme_issue(actor=admin, scheme=scheme)
    e = _entry(scheme, tree.town_a, "1.2")
    services.entry_self_score(actor=personas.town_clerk, entry=e, value=1, evidence="缺女职工专项合同")
    services.entry_upload(actor=personas.town_clerk, entry=e, name="合同.pdf", content=b"%PDF")
    new = services.scheme_new_version(actor=admin, scheme=scheme)
    assert new.version == 2 and new.status == SchemeStatus.DRAFT and new.indicators.count() == 5
    assert Indicator.objects.get(scheme=new, code="1.1").parent.code == "1"
    with pytest.raises(ServiceError, match="已有待下达的新版本"):
        services.scheme_new_version(actor=admin, scheme=scheme)
    services.indicator_save(actor=admin, scheme=new, code="4", name="创新加分", max_score=2, rule_type=scoring.BONUS,
                            params={"per": 1})
    services.scheme_issue(actor=admin, scheme=new)
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.SUPERSEDED
    moved = _entry(new, tree.town_a, "1.2")
    assert moved.value == D(1) and moved.self_score == D(2) and moved.evidence == "缺女职工专项合同"
    assert Upload.objects.get().entry_id == moved.pk
    with pytest.raises(ServiceError, match="已被新版本替代"):
        services.entry_self_score(actor=personas.town_clerk, entry=_entry(scheme, tree.town_a, "1.2"), value=0)


# ---------------------------------------------------------------- the results notice

def test_the_results_notice_is_an_official_document_with_the_ranking(client, tree, personas, scheme):
    admin = personas.county_admin
    services.scheme_issue(actor=admin, scheme=scheme)
    for a in Appraisal.objects.filter(scheme=scheme).select_related("org", "scheme"):
        services.entry_self_score(actor=admin, entry=_entry(scheme, a.org, "2"), self_score=1)
        services.appraisal_submit(actor=admin, appraisal=a)
    client.force_login(admin)
    url = reverse("appraisal:scheme_notice", args=[scheme.pk])
    assert client.get(url).status_code == 302  # not before the results are published
    services.scheme_publish(actor=admin, scheme=scheme)
    response = client.get(url)
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{tree.root.name}文件" in text and f"〔{clock.today().year}〕" in text
    assert f"关于{scheme.year}年度乡镇(街道)工会目标管理考核结果的通报" in text and "优秀1个" in text
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0] == ["名次", "单位", "总分", "等次", "备注"]
    assert [r[1] for r in cells[1:]] == ["乙街道总工会", "甲镇工会联合会"] and cells[1][0] == "1"
    head = doc.paragraphs[0].runs[0]
    assert head.font.color.rgb is not None and str(head.font.color.rgb) == "C00000"


# ---------------------------------------------------------------- recurring rounds

def test_next_period_of_each_recurrence():
    assert services.next_period("monthly", dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == (
        dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert services.next_period("quarterly", dt.date(2026, 10, 1), dt.date(2026, 12, 31)) == (
        dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert services.next_period("yearly", dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == (
        dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert services.next_period("weekly", dt.date(2026, 12, 7), dt.date(2026, 12, 13)) == (
        dt.date(2026, 12, 14), dt.date(2026, 12, 20))
    assert services.next_period("monthly", dt.date(2026, 12, 1), dt.date(2026, 12, 15)) is None
    assert services.next_period("quarterly", dt.date(2026, 11, 1), dt.date(2027, 1, 31)) is None


def test_a_monthly_round_is_sent_again_by_the_daily_run(tree, personas):
    first = dt.date(2026, 10, 1)
    with clock.as_of(dt.date(2026, 10, 2)):
        with pytest.raises(ServiceError, match="完整的一个月"):
            services.round_send(actor=personas.town_clerk, org=tree.town_a, title="2026年10月建会进展月报",
                                fields=[{"label": "新建工会数", "kind": "number"}], period_start=first,
                                period_end=dt.date(2026, 10, 15), deadline=dt.date(2026, 11, 5),
                                orgs=[tree.union_a1], recurrence="monthly")
        r = services.round_send(actor=personas.town_clerk, org=tree.town_a, title="2026年10月建会进展月报",
                                fields=[{"label": "新建工会数", "kind": "number"}], period_start=first,
                                period_end=dt.date(2026, 10, 31), deadline=dt.date(2026, 11, 5),
                                orgs=[tree.union_a1, tree.union_a2], recurrence="monthly")
    assert services.send_recurring(dt.date(2026, 10, 31)) == []  # the month is not over
    # The timer missed November: December's run catches up month by month.
    out = io.StringIO()
    with clock.as_of(dt.date(2026, 12, 2)):
        call_command("remind", stdout=out)
    made = list(Round.objects.exclude(pk=r.pk).order_by("period_start"))
    assert [x.title for x in made] == ["2026年11月建会进展月报", "2026年12月建会进展月报"]
    assert made[0].deadline == dt.date(2026, 12, 5) and made[1].period_end == dt.date(2026, 12, 31)
    assert made[1].copied_from_id == made[0].pk and made[1].recurrence == "monthly"
    assert Submission.objects.filter(round=made[1]).count() == 2
    assert "自动下发周期性填报任务：2 项" in out.getvalue()
    with clock.as_of(dt.date(2026, 12, 2)):
        assert services.send_recurring() == []  # idempotent
        services.round_set_recurrence(actor=personas.town_clerk, round=made[1], recurrence="")
    assert services.send_recurring(dt.date(2027, 1, 3)) == []  # stopped


# ---------------------------------------------------------------- reported against computed

def test_the_round_compares_reported_and_computed_values(client, tree, personas):
    today = clock.today()
    r = services.round_send(actor=personas.county_admin, org=tree.root, title="组建率核对",
                            fields=[{"label": "组建率", "kind": "number", "metric": "orgs.coverage_rate"}],
                            period_start=today.replace(day=1), period_end=today, deadline=today,
                            orgs=[tree.town_a, tree.town_b])
    sub = Submission.objects.select_related("round", "org").get(round=r, org=tree.town_a)
    services.submission_submit(actor=personas.town_clerk, submission=sub, data={"f1": "70"})
    services.submission_accept(actor=personas.county_admin, submission=sub, as_reported=True)
    client.force_login(personas.county_admin)
    page = client.get(reverse("appraisal:round", args=[r.pk]) + "?show=compare").content.decode()
    table = page[page.index('id="compare"'):]
    # 甲镇: reported 70, computed 66.67 (2 of its 3 employers covered), 3.33 apart.
    assert "甲镇工会联合会" in table and "70" in table and "66.67" in table and "3.33" in table
    assert "乙街道总工会" not in table  # not submitted
