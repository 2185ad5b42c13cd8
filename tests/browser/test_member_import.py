"""The roster import in a real Chromium, as a clerk does it: upload a sheet with errors, read them,
download the error sheet, correct it, upload it again, watch the job and find the members.

The files have 1,200 rows, so each upload becomes a background job. The task worker is the real
one (`db_worker --batch`), run by the test while the browser is away from the job page: as for a
clerk who closes the browser, the result is then found through "我的任务".
"""

import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.management import call_command
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from gonghui.core.identifiers import id_check_char
from gonghui.core.models_jobs import Job
from gonghui.members.models import Membership

pytestmark = pytest.mark.browser

HEADERS = ["姓名", "公民身份号码", "性别", "民族", "出生日期", "文化程度", "政治面貌", "手机号码", "户籍类型",
           "就业状态", "工作单位统一社会信用代码", "所在工会代码", "入会日期", "会员证号"]
ROWS = 1200


def roster_rows() -> list[list]:
    rows = []
    for i in range(ROWS):
        birth = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        body = f"4301{i // 1000:02d}{birth:%Y%m%d}{i % 1000:03d}"
        rows.append([f"职工{i:04d}", body + id_check_char(body), "", "汉族", "", "大学本科", "群众",
                     f"139{i:08d}", "农村", "在岗", "", "A1", "2024-03-01", ""])
    return rows


def xlsx(rows: list[list]) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("会员")
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            ws.write_string(r, c, str(value))
    wb.close()
    return out.getvalue()


def run_worker():
    """The task worker, while no page polls (the browser and the worker share the test database)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def upload(page, path):
    page.get_by_label("Excel 文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_load_state()


def test_import_with_errors_then_corrected_through_a_background_job(page, server, tree, personas, login, shot,
                                                                    tmp_path, settings):
    settings.DATA_DIR = tmp_path
    rows = roster_rows()
    rows[1][2] = "女"  # Excel row 3: 职工0001 is a man by his ID number
    rows[3][11] = "B1"  # Excel row 5: a union outside the town clerk's scope
    bad = tmp_path / "会员名册.xlsx"
    bad.write_bytes(xlsx([HEADERS, *rows]))

    login("town_clerk")
    page.goto(f"{server}/members/")
    page.get_by_role("link", name="导入").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("从 Excel 导入会员")
    upload(page, bad)

    # The job page: queued, with a progress bar that htmx polls every second.
    expect(page.get_by_role("heading", level=1)).to_contain_text("导入会员")
    expect(page.locator("main")).to_contain_text("已转入后台导入")
    status = page.locator("#job-status")
    expect(status).to_have_attribute("hx-trigger", "every 1s")
    expect(status.locator("[data-job-status]")).to_have_text("排队中")
    job = Job.objects.get()
    # What the worker reports while validating reaches the page without a reload.
    Job.objects.filter(pk=job.pk).update(status="running", phase="校验", done=600, total=ROWS)
    expect(status).to_contain_text("正在校验：600 / 1200 行")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "25")
    shot("80-member-import-progress")
    Job.objects.filter(pk=job.pk).update(status="queued", phase="", done=0, total=0)

    page.goto("about:blank")  # the clerk closes the page; the worker runs meanwhile
    run_worker()
    page.goto(f"{server}/jobs/")
    expect(page.locator("main")).to_contain_text("2 处错误，未保存")
    page.get_by_role("link", name="查看").first.click()
    errors = page.locator("table")
    expect(errors).to_contain_text("与公民身份号码不符")
    expect(errors).to_contain_text("不存在，或不在您的管理范围内")
    expect(page.locator("main")).to_contain_text("未保存任何数据")
    expect(page.locator("[data-job-status]")).to_have_text("已完成（发现错误）")
    shot("81-member-import-errors", full_page=False)
    assert Membership.objects.count() == 0

    with page.expect_download() as download:
        page.get_by_role("link", name="下载错误报告").click()
    report = CalamineWorkbook.from_path(download.value.path()).get_sheet_by_index(0).to_python()
    assert report[0][-1] == "错误说明"
    assert report[2][-1].startswith("性别：") and report[4][-1].startswith("所在工会代码：")

    # The clerk corrects the two cells in the error sheet itself and uploads it again
    # (the 错误说明 column is ignored on import).
    report[2][2], report[4][11] = "", "A1"
    fixed = tmp_path / "会员名册-已改正.xlsx"
    fixed.write_bytes(xlsx(report))
    page.goto(f"{server}/import/members/")
    upload(page, fixed)
    expect(page.locator("#job-status [data-job-status]")).to_have_text("排队中")
    page.goto("about:blank")
    run_worker()
    page.goto(f"{server}/jobs/")
    expect(page.locator("tbody tr").first).to_contain_text("新增 1200，更新 0，未变 0")
    page.get_by_role("link", name="查看").first.click()
    expect(page.locator("#job-status [data-job-status]")).to_have_text("已完成")
    expect(page.locator("#job-status [data-job-status]")).to_have_attribute("data-job-status", "done")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("main")).to_contain_text("导入完成：共 1200 行，新增 1200")
    expect(page.locator("#job-status")).not_to_have_attribute("hx-trigger", "every 1s")
    shot("82-member-import-done")

    page.get_by_role("link", name="查看会员").click()
    page.get_by_label("查找").fill("职工0003")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#roster")).to_contain_text("职工0003")
    expect(page.locator("#roster")).to_contain_text("139****0003")
    assert Membership.objects.filter(union=tree.union_a1).count() == ROWS
