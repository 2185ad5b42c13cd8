"""Take the screenshots of docs/user-guide.md from the demo data, in a real Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--keep]

Builds `gonghui demo --size small` into a temporary GONGHUI_DATA_DIR, starts the development
server on a free local port, and drives Debian's /usr/bin/chromium through Playwright (never
`playwright install`). A few steps are done through the pages on the way (a rename, a
re-election, a coverage, a refused dissolution and a refused grant) so that the history, the
audit log and the error messages have something to show. Needs fonts-noto-cjk for Chinese.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PASSWORD = "Gonghui@2026"  # gonghui.accounts.demo.DEMO_PASSWORD
MAX_BYTES = 300_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gonghui(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "gonghui.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL)


def wait_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (a local http URL)
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url}")


class Shooter:
    def __init__(self, page: Page, base: str, out: Path):
        self.page, self.base, self.out = page, base, out
        self.taken: list[Path] = []

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def shot(self, name: str, full_page: bool = False) -> None:
        path = self.out / f"{name}.png"
        self.page.mouse.move(0, self.page.viewport_size["height"] - 1)  # no hover effect on a button
        self.page.screenshot(path=str(path), full_page=full_page)
        self.taken.append(path)

    def login(self, username: str) -> None:
        self.page.context.clear_cookies()  # a fresh session instead of the 退出 button
        self.go("/accounts/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        expect(self.page.locator("#mainnav")).to_have_count(1)

    def save(self) -> None:
        self.page.get_by_role("button", name="保存").click()
        self.page.wait_for_load_state()

    def open_org(self, name: str) -> None:
        self.go("/orgs/?q=" + name)
        self.page.locator("main table").get_by_role("link", name=name, exact=True).click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(name)

    def action(self, label: str) -> None:
        self.page.get_by_role("group", name="操作").get_by_role("link", name=label, exact=True).click()
        self.page.wait_for_load_state()


def org_code(page: Page) -> str:
    """The code on an org's detail page ("基层工会委员会 · 编码 4301210010003 · 正常")."""
    text = page.locator("h1 + .text-muted").inner_text()
    return text.split("编码")[1].split("·")[0].strip()


def take_all(s: Shooter) -> None:
    """Names are read from the pages, not hard-coded: the demo's names may change."""
    page = s.page
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the server's TIME_ZONE

    s.go("/accounts/login/")
    page.get_by_label("用户名").fill("admin")
    s.shot("login")

    s.login("admin")
    s.go("/orgs/")
    towns = page.locator(".tree-row").filter(has=page.get_by_role("button", name="展开"))
    towns.first.get_by_role("button", name="展开").click()
    expect(page.locator(".tree-children .tree-children .tree-row").first).to_be_visible()
    s.shot("org-tree")
    town_url = towns.first.get_by_role("link").get_attribute("href")
    other_town_url = towns.nth(1).get_by_role("link").get_attribute("href")
    s.go(town_url)
    town_code = org_code(page)

    # The first overdue re-election on the to-do page: rename that union, then record its
    # re-election, so that the history has something to show.
    s.go("/todo/")
    s.shot("todo")
    page.locator("main .list-group-item", has=page.locator(".overdue")).first.get_by_role("link").click()
    union_code = org_code(page)
    old_name = page.get_by_role("heading", level=1).inner_text().strip()
    s.action("更名")
    page.get_by_label("新名称").fill(old_name.replace("有限公司", "集团有限公司", 1) if "有限公司" in old_name
                                    else old_name + "（更名）")
    page.get_by_label("更名日期").fill((today - dt.timedelta(days=20)).isoformat())
    s.save()
    s.action("换届")
    page.get_by_label("选举日期").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_label("任期").select_option(label="5年")
    page.get_by_label("当选主席").fill("王建国")
    s.save()
    expect(page.get_by_role("alert")).to_contain_text("已记录换届")
    page.get_by_role("button", name="关闭").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    s.shot("org-detail")

    # Dissolving a township that still has unions is refused, with the reason.
    s.go(other_town_url)
    s.action("注销")
    page.get_by_label("注销日期").fill(today.isoformat())
    page.get_by_label("注销原因").fill("乡镇区划调整，撤并")
    s.save()
    expect(page.locator(".invalid-feedback")).to_contain_text("不能注销")
    s.shot("dissolve-refused")

    # Register an employer (86 people: it should have a union), then record the union covering it.
    s.go("/orgs/employers/new/")
    page.get_by_label("属地工会").select_option(index=2)  # the first township (after the empty choice and the county)
    page.get_by_label("单位名称").fill("长盛物流有限公司")
    page.locator("#id_headcount").fill("86")
    page.get_by_label("女职工人数").fill("31")
    page.get_by_label("成立日期").fill("2016-05-10")
    s.save()
    expect(page.get_by_role("alert")).to_contain_text("已登记")
    page.get_by_label("覆盖工会编码").fill(union_code)
    page.get_by_label("覆盖起始日期").fill(today.isoformat())
    page.get_by_role("button", name="记录覆盖").click()
    expect(page.get_by_role("alert")).to_contain_text("覆盖本单位")
    s.shot("employer-coverage")

    s.go("/stats/")
    expect(page.locator('[data-metric="orgs.coverage_rate"]')).to_be_visible()
    s.shot("stats")

    s.go("/audit/")
    s.shot("audit-log")

    # A 单位管理员 cannot hand out more than he has.
    s.login("townadmin")
    s.go("/accounts/users/")
    page.locator("main table").get_by_role("link", name="town", exact=True).click()
    page.get_by_label("授权单位编码").fill(town_code)
    page.get_by_label("角色").select_option(label="系统管理员")
    page.get_by_role("button", name="授权").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("不能授予")
    s.shot("grant-refused")

    page.set_viewport_size(PHONE)
    s.login("town")
    page.locator(".navbar-toggler").click()
    expect(page.locator("#mainnav.show")).to_be_visible()
    s.shot("phone-menu")
    page.set_viewport_size(DESKTOP)


def take_workbench(s: Shooter) -> None:
    """The start page, the to-do page and the dashboard at desktop and phone width (issue 15's
    "Done when"). A notice from the county and a petition registered by the township clerk give
    the start page's 上级通知 and 我的草稿 something to show."""
    page = s.page
    s.login("admin")
    s.go("/notices/new/")
    page.get_by_label("标题").fill("请于本月25日前报送全年工作总结和统计报表")
    page.get_by_label("内容").fill("各乡镇（街道）工会按县总工会新模板填报，报表从系统导出。")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("alert")).to_contain_text("通知已发布")
    s.login("town")
    s.go("/petitions/new/")
    page.get_by_label("事由").fill("某物流公司拖欠三个月工资")
    page.get_by_label("信访人姓名").fill("陈师傅")
    s.save()
    expect(page.get_by_role("heading", level=1)).to_contain_text("拖欠三个月工资")
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        s.go("/")
        expect(page.locator("[aria-busy=true]")).to_have_count(0)
        s.shot(f"workbench-{name}")
        s.go("/todo/")
        s.shot(f"todo-{name}")
        s.go("/reports/")
        expect(page.locator("[aria-busy=true]")).to_have_count(0)
        s.shot(f"dashboard-{name}")
    page.set_viewport_size(DESKTOP)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument("--only", choices=("all", "workbench"), default="all",
                        help="workbench: only the start page, to-do page and dashboard at both widths")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium fonts-noto-cjk")
    args.out.mkdir(parents=True, exist_ok=True)

    data = Path(tempfile.mkdtemp(prefix="gonghui-shots-"))
    port = free_port()
    env = {**os.environ, "GONGHUI_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "gonghui.settings",
           "GONGHUI_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    server = None
    try:
        gonghui(env, "manage", "migrate", "-v0")
        gonghui(env, "demo", "--size", "small")
        server = subprocess.Popen(
            [sys.executable, "-m", "gonghui.cli", "manage", "runserver", "--noreload", "--insecure",
             f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/healthz")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
            page = context.new_page()
            page.set_default_timeout(10_000)
            shooter = Shooter(page, base, args.out)
            if args.only == "all":
                take_all(shooter)
            take_workbench(shooter)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if args.keep:
            print(f"data kept in {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)
    for path in shooter.taken:
        size = path.stat().st_size
        flag = "  (over 300 KB!)" if size > MAX_BYTES else ""
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {size // 1024} KB{flag}")


if __name__ == "__main__":
    main()
