"""`gonghui run`: demo data only in demo mode; outside it an empty database is not served but
pointed to `gonghui setup`; SIGTERM (systemd, `docker stop`) stops the web server and the task
worker, and no process is left behind."""

import io
import os
import signal
import subprocess
import urllib.request

import pytest
from django.core.management.base import CommandError

from gonghui.accounts.models import User
from gonghui.core.management.commands.run import Command
from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Org

from . import procs


def prepare(settings, *, env_demo=False, **opts) -> str:
    settings.GONGHUI = {**settings.GONGHUI, "DEMO_MODE": env_demo}
    out = io.StringIO()
    Command(stdout=out).prepare_data({"demo": False, "no_demo": False, "size": "small", **opts})
    return out.getvalue()


def test_outside_demo_mode_an_empty_database_gets_no_demo_but_the_setup_line(db, settings):
    with pytest.raises(CommandError) as refused:
        prepare(settings)
    assert "gonghui setup --root-code" in str(refused.value) and "--admin" in str(refused.value)
    assert not Org.objects.exists() and not User.objects.exists()
    # --no-demo wins over GONGHUI_DEMO_MODE=1 (a script that says so keeps meaning it).
    with pytest.raises(CommandError, match="gonghui setup"):
        prepare(settings, env_demo=True, no_demo=True)
    assert not Org.objects.exists()


def test_outside_demo_mode_a_database_with_data_is_served_as_it_is(tree, settings):
    before = Org.objects.count()
    assert prepare(settings) == ""
    assert Org.objects.count() == before and not AuditEvent.objects.filter(action="core.demo.loaded").exists()


def test_demo_mode_loads_the_demo_and_prints_its_logins_from_the_demo_output(db, settings):
    out = prepare(settings, env_demo=True)  # GONGHUI_DEMO_MODE=1, as `make run` sets
    assert Org.objects.exists() and User.objects.filter(username="admin").exists()
    assert "密码均为 Gonghui@2026" in out and "切勿用于生产" in out
    # The next start (same database, --demo this time) adds nothing and still names the logins.
    count = Org.objects.count()
    out = prepare(settings, demo=True)
    assert Org.objects.count() == count and "演示账号 admin" in out


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return procs.prepare(tmp_path_factory.mktemp("prepared"))


def test_sigterm_stops_the_web_server_and_the_worker(prepared, tmp_path):
    data_dir = procs.copy_of(prepared, tmp_path / "data")
    port = procs.free_port()
    run = subprocess.Popen([procs.PYTHON, "-m", "gonghui.cli", "run"], cwd=procs.ROOT,
                           env=procs.env_for(data_dir, PORT=str(port), HOST="127.0.0.1", GONGHUI_STOP_TIMEOUT="20"),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen: set[int] = set()
    try:
        def serving():
            seen.update(procs.children_of(run.pid))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return run.poll() is not None  # stop waiting if it died

        assert procs.wait_for(serving, timeout=120, step=0.5) and run.poll() is None
        # gunicorn's master and its two workers, and the task worker
        assert procs.wait_for(lambda: len(seen.union(procs.children_of(run.pid))) >= 4, timeout=30)
        seen.update(procs.children_of(run.pid))
        os.kill(run.pid, signal.SIGTERM)
        output, _ = run.communicate(timeout=90)
        assert run.returncode == 0, output[-3000:]
        assert "gonghui 已停止" in output
        assert procs.wait_for(lambda: not any(procs.alive(p) for p in seen), timeout=10), \
            [p for p in seen if procs.alive(p)]
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        procs.kill_all(seen)
