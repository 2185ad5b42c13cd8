"""Helpers for tests that start real `gonghui` processes: a prepared data directory, free ports,
the process tree, and a bounded wait. Every process a test starts is stopped in its `finally`.

Run as `python -m tests.core.procs <command>` it is also a small tool the worker tests drive in
their own data directory (SQLite, not the test database):

    job SECONDS      queue a "test.sleep" job (a transaction that writes an audit entry, then
                     sleeps SECONDS) for the first user; prints its id
    worker [--batch] the real task worker (`gonghui manage worker`) with that runner registered
    show ID          the job as JSON
    rerun ID         `core.jobs.rerun` of the job; prints the new job's id
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def env_for(data_dir: Path, **extra) -> dict:
    """A child environment on its own SQLite database in `data_dir`, never demo mode."""
    env = {**os.environ, "GONGHUI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "gonghui.settings",
           "PYTHONPATH": str(ROOT), **extra}
    for name in ("DATABASE_URL", "GONGHUI_DEMO_MODE"):
        env.pop(name, None)
    return env


def gonghui(data_dir: Path, *args, timeout=300, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "gonghui.cli", *args], env=env_for(data_dir, **extra), cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def tool(data_dir: Path, *args, timeout=60) -> str:
    result = subprocess.run([PYTHON, "-m", "tests.core.procs", *args], env=env_for(data_dir), cwd=ROOT,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def prepare(data_dir: Path) -> Path:
    """A migrated database with a root federation and an administrator (`gonghui setup`)."""
    result = gonghui(data_dir, "setup", "--root-code", "430121", "--root-name", "测试县总工会", "--admin",
                     "sysadmin", "--generate-password")
    assert result.returncode == 0, result.stderr[-2000:]
    return data_dir


def copy_of(prepared: Path, target: Path) -> Path:
    shutil.copytree(prepared, target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """Every descendant of `pid` (Linux /proc)."""
    by_parent: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        by_parent.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(predicate, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def kill_all(pids) -> None:
    for pid in pids:
        if alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# --- the tool --------------------------------------------------------------------------------

def _setup_django():
    import django

    django.setup()
    from django.db import transaction

    from gonghui.core import audit, jobs
    from gonghui.core.audit import Target

    @jobs.runner("test.sleep")
    def sleep_job(job, progress):
        seconds = float(job.params["seconds"])
        jobs.read_input(job)
        with transaction.atomic():
            audit.record(actor=job.user, action="tests.sleep.saved", target=Target("tests.sleep", str(job.pk)))
            steps = int(seconds * 10)
            for i in range(steps):
                time.sleep(0.1)
                progress("处理", i + 1, steps)
        job.result = {"summary": "睡醒了。"}


def main(argv: list[str]) -> None:
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from gonghui.core import jobs
    from gonghui.core.models import AuditEvent
    from gonghui.core.models_jobs import Job

    command = argv[0]
    if command == "job":
        user = get_user_model().objects.order_by("pk").first()
        job = jobs.create(user=user, kind="test.sleep", title="睡眠", params={"seconds": argv[1]},
                          input_bytes=b"input", input_suffix=".txt")
        print(jobs.enqueue(job).pk)
    elif command == "worker":
        call_command("worker", "--interval", "0.2", *argv[1:])
    elif command == "show":
        job = Job.objects.get(pk=int(argv[1]))
        print(json.dumps({
            "status": job.status, "error": job.error, "retryable": job.retryable, "worker": job.worker,
            "input": jobs.file_of(job.input_path) is not None,
            "saved": AuditEvent.objects.filter(action="tests.sleep.saved", object_id=str(job.pk)).exists(),
            "percent": jobs.snapshot(job)["percent"],
        }, ensure_ascii=False))
    elif command == "rerun":
        print(jobs.rerun(Job.objects.get(pk=int(argv[1]))).pk)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
