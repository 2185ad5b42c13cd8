"""Jobs and a real task worker (`gonghui manage worker`) in its own data directory: a worker killed
mid-job leaves a job that the next worker start marks failed, with its input kept for "重新运行";
a worker stopped with SIGTERM finishes the running job's transaction; a second SIGTERM interrupts
the job inside its transaction (nothing saved) and marks it for rerun.

The job is "test.sleep" (tests/core/procs.py): one transaction that writes an audit entry and then
sleeps, reporting progress. Every process started here is stopped in a `finally`."""

import json
import signal
import sqlite3
import subprocess
import time

import pytest

from gonghui.core import jobs

from . import procs


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return procs.prepare(tmp_path_factory.mktemp("jobs"))


@pytest.fixture
def data_dir(prepared, tmp_path):
    return procs.copy_of(prepared, tmp_path / "data")


def start_worker(data_dir):
    return subprocess.Popen([procs.PYTHON, "-m", "tests.core.procs", "worker"], cwd=procs.ROOT,
                            env=procs.env_for(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def status(data_dir, pk) -> str:
    with sqlite3.connect(data_dir / "gonghui.sqlite3", timeout=5) as db:
        return db.execute("SELECT status FROM core_job WHERE id = ?", [pk]).fetchone()[0]


def show(data_dir, pk) -> dict:
    return json.loads(procs.tool(data_dir, "show", str(pk)))


def stop(worker):
    if worker.poll() is None:
        worker.kill()
    worker.communicate(timeout=10)


def test_a_killed_worker_leaves_a_job_the_next_start_marks_failed_and_it_can_be_rerun(data_dir):
    pk = int(procs.tool(data_dir, "job", "6"))
    worker = start_worker(data_dir)
    try:
        assert procs.wait_for(lambda: status(data_dir, pk) == "running", timeout=60)
        time.sleep(1)
        worker.kill()  # a crash, an OOM kill, a power cut: no chance to say anything
        worker.communicate(timeout=10)
    finally:
        stop(worker)
    before = show(data_dir, pk)
    assert before["status"] == "running" and not before["saved"]  # «进行中» forever, until now
    restarted = subprocess.run([procs.PYTHON, "-m", "tests.core.procs", "worker", "--batch"], cwd=procs.ROOT,
                               env=procs.env_for(data_dir), capture_output=True, text=True, timeout=60)
    assert restarted.returncode == 0, restarted.stdout[-2000:] + restarted.stderr[-2000:]
    assert "已将 1 个中断的后台任务标记为失败" in restarted.stdout
    after = show(data_dir, pk)
    assert (after["status"], after["error"], after["retryable"]) == ("failed", jobs.INTERRUPTED, True)
    assert after["input"] and not after["saved"]  # the upload is kept for the rerun; nothing was saved
    new = int(procs.tool(data_dir, "rerun", str(pk)))
    done = subprocess.run([procs.PYTHON, "-m", "tests.core.procs", "worker", "--batch"], cwd=procs.ROOT,
                          env=procs.env_for(data_dir), capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    rerun = show(data_dir, new)
    assert (rerun["status"], rerun["saved"], rerun["percent"]) == ("done", True, 100)
    assert not show(data_dir, pk)["retryable"]  # rerun once only


def test_sigterm_lets_the_running_job_finish_its_transaction(data_dir):
    pk = int(procs.tool(data_dir, "job", "4"))
    worker = start_worker(data_dir)
    try:
        assert procs.wait_for(lambda: status(data_dir, pk) == "running", timeout=60)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0, output[-2000:]
    finally:
        stop(worker)
    state = show(data_dir, pk)
    assert (state["status"], state["saved"], state["error"]) == ("done", True, "")


def test_a_second_sigterm_interrupts_the_job_inside_its_transaction_and_marks_it_for_rerun(data_dir):
    pk = int(procs.tool(data_dir, "job", "60"))
    worker = start_worker(data_dir)
    try:
        assert procs.wait_for(lambda: status(data_dir, pk) == "running", timeout=60)
        worker.send_signal(signal.SIGTERM)
        time.sleep(1)
        worker.send_signal(signal.SIGTERM)  # what `gonghui run` sends after GONGHUI_STOP_TIMEOUT
        worker.communicate(timeout=30)
    finally:
        stop(worker)
    state = show(data_dir, pk)
    assert (state["status"], state["error"], state["retryable"]) == ("failed", jobs.INTERRUPTED, True)
    assert not state["saved"] and state["input"]  # rolled back, and the input kept for the rerun
