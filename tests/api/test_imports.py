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


def _sheet(headers, rows) -> SimpleUploadedFile:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("会员")
    for r, cells in enumerate([headers, *rows]):
        for c, value in enumerate(cells):
            ws.write_string(r, c, str(value))
    wb.close()
    return SimpleUploadedFile("会员.xlsx", out.getvalue())


def test_an_importers_page_options_are_form_fields(client, personas, tree, api_for):
    """The page's tick box 未匹配的单位登记为新单位 is `create_employers`: without it an unknown
    工作单位 is a row error and nothing is saved; with it the employer is registered."""
    from gonghui.orgs.models import Employer

    api = api_for(personas.town_clerk)
    headers = [*HEADERS, "工作单位"]
    rows = [["张三", "430121199001010015", "A1", "2024-03-01", "新开的丙公司"]]

    def upload(**extra):
        r = client.post("/api/v1/imports/members/", {"file": _sheet(headers, rows), **extra},
                        HTTP_AUTHORIZATION=f"Bearer {api.token}")
        assert r.status_code == 202, r.json()
        run_worker(r.json()["id"])
        return api.get(f"jobs/{r.json()['id']}/").json()

    job = upload()
    assert job["problem"] and not Membership.objects.exists()
    job = upload(create_employers="false")
    assert job["problem"] and not Membership.objects.exists()
    job = upload(create_employers="true")
    assert job["problem"] is None and job["result"]["created"] == 1, job
    assert Employer.objects.filter(name="新开的丙公司").exists()


def test_options_are_validated_and_named(client, personas, tree, api_for):
    api = api_for(personas.town_clerk)

    def post(kind="members", **extra):
        f = SimpleUploadedFile("会员.xlsx", xlsx([["张三", "430121199001010015", "A1", "2024-03-01"]]))
        return client.post(f"/api/v1/imports/{kind}/", {"file": f, **extra}, HTTP_AUTHORIZATION=f"Bearer {api.token}")

    r = post(create_employers="maybe")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "create_employers"
    assert "未匹配的单位登记为新单位" in r.json()["detail"] and "true 或 false" in r.json()["detail"]
    r = post(skip_unknown="true")  # the attendance sheet's option, not the roster's
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "skip_unknown" and "没有该选项" in r.json()["detail"]
    r = post(bogus="1")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "bogus"
    from gonghui.core.models_jobs import Job

    assert not Job.objects.exists()  # refused before a job was made


def test_the_schema_describes_every_importers_options(client):
    import json

    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    body = schema["paths"]["/api/v1/imports/{kind}/"]["post"]["requestBody"]["content"]["multipart/form-data"]
    ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
    props = schema["components"]["schemas"][ref]["properties"]
    assert props["create_employers"]["type"] == "boolean" and "members" in props["create_employers"]["description"]
    assert props["skip_unknown"]["type"] == "boolean" and "只导入名册中有的人员" in props["skip_unknown"]["description"]
