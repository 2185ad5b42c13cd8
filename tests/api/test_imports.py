"""Imports as jobs: POST a sheet, poll the job; the import page's validation, all or nothing."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.core import jobs
from gonghui.members.models import Membership

HEADERS = ["姓名", "公民身份号码", "所在工会代码", "入会日期"]


def xlsx(rows) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("会员")
    for r, cells in enumerate([HEADERS, *rows]):
        for c, value in enumerate(cells):
            ws.write_string(r, c, str(value))
    wb.close()
    return out.getvalue()


def run_worker(job_id):
    """What the task worker does with the queued job (core.jobs.run_job)."""
    jobs.execute(job_id)


def _upload(client, api, rows, **extra):
    f = SimpleUploadedFile("会员.xlsx", xlsx(rows))
    return client.post("/api/v1/imports/members/", {"file": f, **extra}, HTTP_AUTHORIZATION=f"Bearer {api.token}")


def test_member_import_as_a_job(client, personas, tree, api_for):
    api = api_for(personas.town_clerk)
    r = _upload(client, api, [["张三", "430121199001010015", "A1", "2024-03-01"],
                              ["李四", "430121199001010031", "A2", "2025-03-01"]])
    assert r.status_code == 202, r.json()
    assert r["Location"].endswith(f"/api/v1/jobs/{r.json()['id']}/")
    assert api.get(f"jobs/{r.json()['id']}/").json()["status"] == "queued"
    run_worker(r.json()["id"])
    job = api.get(f"jobs/{r.json()['id']}/").json()
    assert job["status"] == "done" and job["problem"] is None, job
    assert job["result"]["created"] == 2 and job["progress"]["percent"] == 100
    assert Membership.objects.filter(union__code__in=["A1", "A2"]).count() == 2
    assert api_for(personas.union_clerk).get(f"jobs/{job['id']}/").status_code == 404  # his own jobs only


def test_a_bad_row_saves_nothing_and_names_row_and_column(client, personas, tree, api_for):
    api = api_for(personas.town_clerk)
    r = _upload(client, api, [["张三", "430121199001010015", "A1", "2024-03-01"],
                              ["李四", "430121199001010032", "A1", "2024-03-01"]])
    run_worker(r.json()["id"])
    job = api.get(f"jobs/{r.json()['id']}/").json()
    assert job["status"] == "done" and job["problem"]["status"] == 400
    assert job["problem"]["errors"][0]["row"] == 3 and job["problem"]["errors"][0]["field"] == "公民身份号码"
    assert "未导入任何数据" in job["problem"]["detail"]
    assert not Membership.objects.exists()


def test_refusals_before_the_job(client, personas, tree, api_for):
    api = api_for(personas.town_clerk)
    r = client.post("/api/v1/imports/members/", {}, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "file"
    f = SimpleUploadedFile("x.xlsx", b"not a sheet")
    r = client.post("/api/v1/imports/members/", {"file": f}, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "file"
    assert client.post("/api/v1/imports/nothing/", {}, HTTP_AUTHORIZATION=f"Bearer {api.token}").status_code == 404
    leader = api_for(personas.leader)
    r = client.post("/api/v1/imports/members/", {}, HTTP_AUTHORIZATION=f"Bearer {leader.token}")
    assert r.status_code == 403
