"""The import pages core serves for every registered importer (core.views_import): the page and its
template, who may use them, a small file with errors, a small valid file, and a big file as a job.

The rows come from each work line's `tests/<label>/import_cases.py`, which defines
`samples(tree, personas) -> {kind: [row, ...]}`: at least two rows (header -> cell) that the town
clerk (业务经办 on 甲镇) may import. They are discovered from the declarations, like the URL cases,
and every registered importer must have some, so a new importer is tested by adding its rows.
"""

import importlib
import io
from importlib.util import find_spec
from urllib.parse import quote

import pytest
from django.urls import reverse

from gonghui.core import excel, scope, views_import, workline
from gonghui.core.models import AuditEvent
from gonghui.core.models_jobs import Job
from tests.core.test_excel import read_back, xml_part

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
excel.get_importer("")  # imports every app's imports.py
KINDS = sorted(excel.IMPORTERS)


def sample_modules():
    for config in workline.lines():
        name = f"tests.{config.label}.import_cases"
        if find_spec(name) is not None:
            yield importlib.import_module(name)


@pytest.fixture
def samples(tree, personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # job files
    out = {}
    for module in sample_modules():
        out.update(module.samples(tree, personas))
    return out


def xlsx(importer, rows) -> bytes:
    headers = [c.header for c in importer.columns]
    out = io.BytesIO()
    excel.write_table(out, headers, [[row.get(h, "") for h in headers] for row in rows])
    return out.getvalue()


def upload(client, kind, data, name="导入.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("core:import", args=[kind]), {"file": f})


def test_every_registered_importer_has_sample_rows_a_permission_and_a_list_page(samples):
    assert sorted(samples) == KINDS
    for kind in KINDS:
        importer = excel.get_importer(kind)
        assert importer.permission in workline.permissions(), kind
        assert views_import.back_url(importer).startswith("/"), kind
        assert len(samples[kind]) >= 2, kind


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_offers_the_template_with_the_headers_and_drop_downs(client, personas, samples, kind):
    importer = excel.get_importer(kind)
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:import", args=[kind])).content.decode()
    assert f"从 Excel 导入{importer.title}" in page and "下载模板" in page
    assert reverse("core:import_template", args=[kind]) in page and views_import.back_url(importer) in page
    for note in importer.notes:
        assert note in page
    response = client.get(reverse("core:import_template", args=[kind]))
    assert response.status_code == 200 and quote(f"{importer.title}导入模板.xlsx") in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert read_back(content)[0] == [c.header for c in importer.columns]
    drop_downs = sum(1 for c in importer.columns if c.options)
    assert xml_part(content, "xl/worksheets/sheet1.xml").count("<dataValidation ") == drop_downs


@pytest.mark.parametrize("kind", KINDS)
def test_only_holders_of_the_importers_permission_may_use_it(client, personas, samples, kind):
    """`requires`' answers: anonymous users go to the login page, a user without the importer's
    permission gets 403 (page, template and upload alike); a kind nobody registers is 404."""
    importer = excel.get_importer(kind)
    urls = [reverse("core:import", args=[kind]), reverse("core:import_template", args=[kind])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for persona in (personas.outsider, personas.leader):  # no grant; 查阅 holds no import codes
        assert not scope.has_perm(persona, importer.permission)
        client.force_login(persona)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert upload(client, kind, xlsx(importer, samples[kind])).status_code == 403
    assert not Job.objects.exists()
    client.force_login(personas.town_clerk)
    assert client.get(reverse("core:import", args=[f"{kind}-nope"])).status_code == 404
    assert client.get(reverse("core:import_template", args=[f"{kind}-nope"])).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_small_file_with_an_error_saves_nothing_and_lists_it_by_row_and_column(client, personas, samples, kind):
    importer = excel.get_importer(kind)
    required = next(c.header for c in importer.columns if c.required)
    bad = {**samples[kind][0], required: ""}
    row = len(samples[kind]) + 2  # the header is row 1
    before = AuditEvent.objects.count()
    client.force_login(personas.town_clerk)
    response = upload(client, kind, xlsx(importer, [*samples[kind], bad]))
    page = response.content.decode()
    assert response.status_code == 200 and "未保存任何数据" in page
    assert f'<td class="text-end">{row}</td><td class="text-nowrap">{required}</td>' in page
    assert AuditEvent.objects.count() == before
    job = response.context["job"]
    assert [row, required, "", "必填，不能为空。"] in job.result["errors"]
    assert (job.user, job.kind, job.params["importer"]) == (personas.town_clerk, "import", kind)
    # The error report is the job's file: the uploader downloads it, from this page and from 我的任务.
    download = reverse("jobs:download", args=[job.pk])
    assert download in page and download in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    report = read_back(b"".join(client.get(download).streaming_content))
    assert report[0][-1] == "错误说明" and report[row - 1][-1].startswith(f"{required}：必填")
    assert "最近的导入" in client.get(reverse("core:import", args=[kind])).content.decode()
    client.force_login(personas.town_admin)  # holds the importer's permission, but it is not his job
    assert client.get(download).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_small_valid_file_is_saved_at_once(client, personas, samples, kind):
    importer = excel.get_importer(kind)
    n = len(samples[kind])
    before = AuditEvent.objects.count()
    client.force_login(personas.town_clerk)
    response = upload(client, kind, xlsx(importer, samples[kind]))
    assert response.status_code == 302 and response["Location"] == reverse("core:import", args=[kind])
    assert f"导入{importer.title}完成：共 {n} 行，新增 {n}，更新 0，未变 0。" in client.get(
        response["Location"]).content.decode()
    assert AuditEvent.objects.filter(source="import").count() >= 1 and AuditEvent.objects.count() > before
    job = Job.objects.get()
    assert (job.status, job.result["created"], job.result["error_count"]) == ("done", n, 0)


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_over_the_synchronous_limit_becomes_a_background_job(client, personas, samples, kind, settings,
                                                                    monkeypatch):
    settings.TASKS = IMMEDIATE  # the worker runs the job as it is queued
    monkeypatch.setattr(views_import, "SYNC_MAX_ROWS", 1)
    importer = excel.get_importer(kind)
    n = len(samples[kind])
    client.force_login(personas.town_clerk)
    response = upload(client, kind, xlsx(importer, samples[kind]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.task_id and (job.status, job.total, job.result["created"]) == ("done", n, n)
    page = client.get(response["Location"]).content.decode()
    assert f"导入完成：共 {n} 行，新增 {n}" in page
    assert reverse("core:import", args=[kind]) in page and views_import.back_url(importer) in page


def test_the_tabs_are_the_other_importers_of_the_same_app_the_user_may_use(client, tree, personas, samples):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:import", args=["orgs"])).content.decode()
    assert 'class="nav-link active" aria-current="page" href="/import/orgs/">组织</a>' in page
    assert 'href="/import/employers/">用人单位</a>' in page
    assert 'href="/import/members/"' not in page  # another app's importer
    page = client.get(reverse("core:import", args=["members"])).content.decode()
    assert "nav-tabs" not in page  # the only importer of its app


def test_an_unreadable_or_wrong_file_is_a_form_error(client, personas, samples):
    client.force_login(personas.town_clerk)
    response = upload(client, "orgs", b"not excel", "x.xlsx")
    assert response.status_code == 200 and "无法读取该文件" in response.content.decode()
    assert "请上传 Excel 文件" in upload(client, "orgs", b"text", "x.csv").content.decode()
    response = upload(client, "orgs", excel_rows([["名称"], ["甲"]]))
    assert "缺少必填列：组织编码、组织类型" in response.content.decode()  # 名称 is read as 工会名称


def test_the_upload_limit_is_the_importers(client, personas, samples, monkeypatch):
    client.force_login(personas.town_clerk)
    assert "最大 30 MB" in client.get(reverse("core:import", args=["members"])).content.decode()
    monkeypatch.setattr(excel.get_importer("orgs"), "max_mb", 0)
    response = upload(client, "orgs", xlsx(excel.get_importer("orgs"), samples["orgs"]))
    assert response.status_code == 200 and "文件超过 0 MB" in response.content.decode()
    assert not Job.objects.exists()


def excel_rows(rows) -> bytes:
    out = io.BytesIO()
    excel.write_table(out, rows[0], rows[1:])
    return out.getvalue()
