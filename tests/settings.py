"""The test project's settings: the application's, plus the sample work line that proves a line
installs by its folder and this one line.

Under pytest-xdist (`make test` runs the suite on several workers) each worker gets its own data
directory, GONGHUI_DATA_DIR/<worker id>: the keys generated on first start, the audit anchor
file, job and uploaded files must not be shared by two processes that each believe they own it.
The variable is changed before the application's settings read it, once per worker: the
processes a test starts inherit GONGHUI_TEST_WORKER_DATA_DIR and keep the data directory the
test gives them (a test's own tmp_path must not become tmp_path/gw0)."""

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and "GONGHUI_TEST_WORKER_DATA_DIR" not in os.environ:
    os.environ["GONGHUI_DATA_DIR"] = os.environ["GONGHUI_TEST_WORKER_DATA_DIR"] = os.path.join(
        os.environ.get("GONGHUI_DATA_DIR", "var"), _worker)

from gonghui.settings import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sampleline"]  # noqa: F405
