"""Real-browser journeys: Playwright (sync API) driving Debian's Chromium against `live_server`.

Never run `playwright install`: the browser is the system one, /usr/bin/chromium.
The tests are skipped with a clear reason when it is missing.

The data is built in the test process and must be visible to the live server's thread,
so every browser test uses `transactional_db` (real commits). The flush after each such test
also wipes the rows the data migrations made (the built-in roles, the audit-chain head), so
they are put back before each test. (`django_db_serialized_rollback` does not help here: once
Playwright's sync API runs its event loop in the main thread, Django keeps the test's DB
connection in a context variable instead of the thread-local where the session setup stored
the serialized data, so nothing would be restored.)
"""

import os
import warnings
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in the main thread; Django would then refuse
# ORM calls from the test body (SynchronousOnlyOperation). Nothing here is really async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE.parent.parent / "src" / "gonghui" / "static"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: the browser tests drive Debian's Chromium "
                                   "(apt-get install chromium fonts-noto-cjk); never `playwright install`.")
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(autouse=True)
def _browser_db(transactional_db):
    """Real commits (the server thread must see the data), and the migrations' rows put back
    after the previous browser test's flush."""
    from gonghui.accounts.services import ensure_builtin_roles
    from gonghui.core.models import AuditChainHead

    ensure_builtin_roles()
    AuditChainHead.objects.get_or_create(pk=1)
    # The holiday calendar seeded by core's migration: working-day deadlines need it.
    import importlib

    from django.apps import apps

    importlib.import_module("gonghui.core.migrations.0005_calendar_2024_2026").load(apps, None)
    # The built-in activity kinds seeded by the activities line's migration 0002.
    from gonghui.activities.models import ActivityKind
    from gonghui.activities.seeds import seed_kinds

    seed_kinds(ActivityKind)


@pytest.fixture(autouse=True)
def _static_files(settings):
    """The pages need Bootstrap and htmx from src/gonghui/static. If Django's finders cannot
    see that folder (the `gonghui` package is not an installed app and STATICFILES_DIRS is
    unset), add it for the test and warn: a real deployment would serve unstyled pages."""
    from django.contrib.staticfiles import finders

    if finders.find("vendor/htmx/htmx.min.js") is None:
        warnings.warn("Django's static finders do not find src/gonghui/static (vendor/htmx, gonghui/app.css); "
                      "the browser tests add it to STATICFILES_DIRS themselves.", stacklevel=1)
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(STATIC_DIR)]


@pytest.fixture
def server(browser, _browser_db, live_server):
    """The live server's URL. With the in-memory SQLite test database the server thread must
    share the test's own connection object (the browser is started first so that it does)."""
    from django.db import connections

    shared = live_server.thread.connections_override.get("default")
    assert shared is None or shared is connections["default"], "live server uses another DB connection"
    if shared is not None:
        _serialize_requests(live_server.thread.httpd)
    return live_server.url


def _serialize_requests(httpd):
    """One request at a time on the shared SQLite connection. The server is threaded and the
    pages load fragments in parallel (the start page's to-do list and figures): two requests
    on one sqlite3 connection interleave their savepoints ("no such savepoint") and the
    session save fails. The body is read inside the lock because Django renders lazily for
    streaming responses and closes the response (request_finished) when it is consumed."""
    import threading

    app = httpd.get_app()
    if getattr(app, "_gonghui_serialized", False):
        return
    lock = threading.Lock()

    def serialized(environ, start_response):
        with lock:
            result = app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return [body]

    serialized._gonghui_serialized = True
    httpd.set_app(serialized)


@pytest.fixture
def page(page, server):
    """Every page the test opens is checked with axe-core (tests/browser/axe.py): the test fails
    at teardown on any serious or critical WCAG 2.1 A/AA violation, listed with rule, elements
    and URL."""
    from .axe import AxeWatch

    page.set_default_timeout(10_000)
    watch = AxeWatch(page)
    yield page
    if not page.is_closed():
        watch.check(again=True)
    assert not watch.found, "axe-core (WCAG 2.1 AA) 严重问题：\n  " + "\n  ".join(watch.found)


@pytest.fixture
def shot(page):
    """shot("01-login") saves tests/screenshots/01-login.png of the current page."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str, full_page: bool = False):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return take


@pytest.fixture
def login(page, server):
    def do(username: str, password: str = PASSWORD):
        page.goto(f"{server}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()

    return do
