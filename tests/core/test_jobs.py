"""Background jobs: the lifecycle through django-tasks, private files, progress, failures that
leak no personal data, and the owner-only job pages with their polled progress bar."""

import logging
import os
import time

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.urls import reverse

from gonghui.core import jobs
from gonghui.core.models_jobs import Job

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECRET_ID = "11010519491231002X"  # a valid ID number that must never reach a log or a job


@jobs.runner("test.echo")
def echo(job, progress):
    data = jobs.read_input(job)
    job.total = len(data)
    for i in range(1, len(data) + 1):
        progress("处理", i, len(data))
    jobs.save_output(job, data.upper(), "结果.txt")
    job.result = {"summary": f"处理了 {len(data)} 个字节。"}


@jobs.runner("test.crash", failure="测试任务中止。")
def crash(job, progress):
    raise ValueError(f"bad row with {SECRET_ID}")


@jobs.runner("test.refuse")
def refuse(job, progress):
    raise jobs.JobError("没有可处理的内容。")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def mode(path) -> str:
    return oct(os.stat(path).st_mode & 0o777)


def test_a_job_runs_through_the_task_backend_and_keeps_its_files_private(personas, immediate, data_dir):
    job = jobs.create(user=personas.town_clerk, kind="test.echo", title="回声", input_bytes=b"abc", input_suffix=".txt")
    input_file = data_dir / "jobs" / job.input_path
    assert job.status == "queued" and mode(input_file) == "0o600" and mode(data_dir / "jobs") == "0o700"
    job = jobs.enqueue(job)
    assert (job.status, job.total, job.done, job.error) == ("done", 3, 3, "")
    assert job.task_id and job.started_at <= job.finished_at
    assert not input_file.exists()  # the input is removed once used
    output = data_dir / "jobs" / job.output_path
    assert output.read_bytes() == b"ABC" and mode(output) == "0o600" and job.output_name == "结果.txt"
    assert jobs.snapshot(job)["percent"] == 100


@pytest.fixture
def committed_db(transactional_db):
    """Real commits: the worker closes and reopens its database connection between tasks, which
    a test transaction would not survive (on PostgreSQL). The flush after such a test also
    removes the migrations' rows, so they are put back first (as in tests/browser/conftest.py)."""
    from gonghui.accounts.services import ensure_builtin_roles
    from gonghui.core.models import AuditChainHead

    ensure_builtin_roles()
    AuditChainHead.objects.get_or_create(pk=1)


def test_the_database_backend_leaves_the_job_to_the_worker(committed_db, personas, data_dir):
    from django_tasks_db.models import DBTaskResult

    job = jobs.enqueue(jobs.create(user=personas.town_clerk, kind="test.echo", title="回声", input_bytes=b"xy"))
    assert job.status == "queued" and DBTaskResult.objects.filter(id=job.task_id).exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.result["summary"]) == ("done", "处理了 2 个字节。")


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(personas):
    job = jobs.create(user=personas.town_clerk, kind="test.echo", title="回声", input_bytes=b"a")
    jobs.execute(job.pk)
    first = Job.objects.get(pk=job.pk).finished_at
    jobs.execute(job.pk)
    assert Job.objects.get(pk=job.pk).finished_at == first


def test_an_unexpected_failure_is_recorded_without_personal_data_or_traceback(personas, immediate, caplog):
    caplog.set_level(logging.INFO)
    job = jobs.enqueue(jobs.create(user=personas.town_clerk, kind="test.crash", title="崩溃"))
    assert job.status == "failed" and job.finished_at
    assert job.error == f"测试任务中止。任务因内部错误中止。请稍后重试；如仍失败，请联系系统管理员（任务编号 {job.pk}）。"
    assert SECRET_ID not in job.error and "Traceback" not in job.error
    assert "ValueError" in caplog.text and SECRET_ID not in caplog.text


def test_a_job_error_shows_its_own_message(personas, immediate):
    job = jobs.enqueue(jobs.create(user=personas.town_clerk, kind="test.refuse", title="拒绝"))
    assert (job.status, job.error) == ("failed", "没有可处理的内容。")


def test_a_missing_input_or_an_inactive_owner_fails_the_job(personas):
    job = jobs.run_now(jobs.create(user=personas.town_clerk, kind="test.echo", title="回声"))
    assert (job.status, job.error) == ("failed", "任务的输入文件已不存在，请重新提交。")
    personas.town_clerk.is_active = False
    personas.town_clerk.save()
    job = jobs.run_now(jobs.create(user=personas.town_clerk, kind="test.echo", title="回声", input_bytes=b"a"))
    assert (job.status, job.error) == ("failed", "发起任务的账号已停用。")


def test_an_unknown_kind_cannot_be_created(personas):
    with pytest.raises(ValueError, match="no runner"):
        jobs.create(user=personas.town_clerk, kind="nope", title="无")


def test_progress_goes_to_the_row_or_inside_a_transaction_to_a_side_file(personas, monkeypatch):
    job = jobs.create(user=personas.town_clerk, kind="test.echo", title="回声")
    Job.objects.filter(pk=job.pk).update(status="running")
    progress = jobs.Progress(job)
    # pytest-django runs each test inside a transaction: look like a worker outside one first.
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    progress("校验", 500, 1000)
    job.refresh_from_db()
    assert (job.phase, job.done, job.total) == ("校验", 500, 1000)
    assert jobs.snapshot(job) == {"phase": "校验", "done": 500, "total": 1000, "percent": 25}
    progress("校验", 600, 1000)  # within the interval: skipped
    job.refresh_from_db()
    assert job.done == 500
    monkeypatch.undo()
    progress("保存", 250, 1000)  # inside the transaction; a new phase is always written
    job.refresh_from_db()
    assert job.phase == "校验"  # the row is left alone inside the transaction...
    assert jobs.snapshot(job) == {"phase": "保存", "done": 250, "total": 1000, "percent": 62}  # ...the page sees it


def test_old_job_files_are_purged(personas, data_dir):
    job = jobs.create(user=personas.town_clerk, kind="test.echo", title="回声", input_bytes=b"a")
    old = time.time() - jobs.FILE_MAX_AGE - 10
    path = data_dir / "jobs" / job.input_path
    os.utime(path, (old, old))
    jobs.purge_old_files()
    assert not path.exists()


# --- pages -----------------------------------------------------------------------------------------

def test_the_job_page_polls_until_the_job_has_finished(client, personas):
    job = jobs.create(user=personas.town_clerk, kind="test.echo", title="回声", input_bytes=b"abc")
    client.force_login(personas.town_clerk)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and reverse("jobs:progress", args=[job.pk]) in page
    assert "排队中" in page and 'aria-valuenow="0"' in page
    jobs.run_now(job)
    partial = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in partial and "<html" not in partial
    assert "已完成" in partial and 'aria-valuenow="100"' in partial and "处理了 3 个字节。" in partial
    assert reverse("jobs:download", args=[job.pk]) in partial
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"ABC"
    assert "attachment" in download["Content-Disposition"]


def test_a_running_job_shows_its_phase_and_count(client, personas):
    job = jobs.create(user=personas.town_clerk, kind="test.echo", title="回声")
    Job.objects.filter(pk=job.pk).update(status="running", phase="校验", done=300, total=1200)
    client.force_login(personas.town_clerk)
    partial = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in partial and "正在校验：300 / 1200 行" in partial
    assert 'style="width: 12%"' in partial and "可以关闭本页" in partial


def test_my_jobs_lists_only_my_own(client, personas):
    mine = jobs.run_now(jobs.create(user=personas.town_clerk, kind="test.echo", title="我的回声", input_bytes=b"a"))
    jobs.run_now(jobs.create(user=personas.town_clerk, kind="test.crash", title="我的崩溃"))
    other = jobs.create(user=personas.county_admin, kind="test.echo", title="别人的回声")
    client.force_login(personas.town_clerk)
    page = client.get(reverse("jobs:list")).content.decode()
    assert "我的回声" in page and "我的崩溃" in page and "别人的回声" not in page
    assert reverse("jobs:download", args=[mine.pk]) in page and "任务因内部错误中止" in page
    for name in ("jobs:detail", "jobs:progress", "jobs:download"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name


def test_an_expired_result_file_says_so(client, personas, data_dir):
    job = jobs.run_now(jobs.create(user=personas.town_clerk, kind="test.echo", title="回声", input_bytes=b"a"))
    (data_dir / "jobs" / job.output_path).unlink()
    client.force_login(personas.town_clerk)
    response = client.get(reverse("jobs:download", args=[job.pk]), follow=True)
    assert "结果文件已不存在" in response.content.decode()


def test_the_side_file_is_used_for_progress_inside_a_real_transaction(personas):
    job = jobs.create(user=personas.town_clerk, kind="test.echo", title="回声")
    Job.objects.filter(pk=job.pk).update(status="running")
    job.refresh_from_db()
    with transaction.atomic():
        jobs.Progress(job)("保存", 10, 20)
    assert jobs.snapshot(job)["done"] == 10


# --- a worker that stopped: heartbeat timeout and "重新运行" ------------------------------------------

def stale_running_job(user, data_dir, minutes=10):
    """A job a worker claimed and then stopped doing: its last heartbeat is `minutes` old."""
    import datetime as dt

    from django.utils import timezone

    job = jobs.create(user=user, kind="test.echo", title="回声", input_bytes=b"abc", input_suffix=".txt")
    then = timezone.now() - dt.timedelta(minutes=minutes)
    Job.objects.filter(pk=job.pk).update(status="running", started_at=then, heartbeat_at=then,
                                         worker="elsewhere:1", phase="处理", done=1, total=3)
    return job


def test_a_job_whose_heartbeat_stopped_is_marked_failed_when_its_page_is_seen(client, personas, data_dir):
    job = stale_running_job(personas.town_clerk, data_dir)
    fresh = stale_running_job(personas.town_clerk, data_dir, minutes=0)
    client.force_login(personas.town_clerk)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert (job.status, job.error, job.retryable) == ("failed", jobs.INTERRUPTED, True)
    assert "任务在运行中被中断" in page and "重新运行" in page and 'hx-trigger="every 1s"' not in page
    fresh.refresh_from_db()
    assert fresh.status == "running"  # its worker is still beating


def test_the_heartbeat_file_keeps_a_long_transaction_alive(personas, data_dir):
    job = stale_running_job(personas.town_clerk, data_dir)
    with jobs.Heartbeat(job.pk):  # what execute() runs around the runner
        assert jobs.reap_stale() == 0
    assert jobs.reap_stale() == 1  # the beats stopped with the job's worker


def test_rerun_makes_a_new_job_with_the_same_input_once(client, personas, immediate, data_dir):
    job = stale_running_job(personas.town_clerk, data_dir)
    assert jobs.reap_stale() == 1
    client.force_login(personas.town_clerk)
    response = client.post(reverse("jobs:rerun", args=[job.pk]))
    new = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[new.pk])
    assert (new.status, new.rerun_of_id, new.kind, new.title) == ("done", job.pk, "test.echo", "回声")
    assert (data_dir / "jobs" / new.output_path).read_bytes() == b"ABC"  # the same input, moved over
    job.refresh_from_db()
    assert not job.retryable and job.input_path == ""
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f"已重新运行为任务 #{new.pk}" in page
    again = client.post(reverse("jobs:rerun", args=[job.pk]), follow=True)
    assert "不能重新运行" in again.content.decode() and Job.objects.count() == 2


def test_only_the_owner_may_rerun_and_only_by_post(client, personas, data_dir):
    job = stale_running_job(personas.town_clerk, data_dir)
    jobs.reap_stale()
    client.force_login(personas.county_admin)
    assert client.post(reverse("jobs:rerun", args=[job.pk])).status_code == 404
    client.force_login(personas.town_clerk)
    assert client.get(reverse("jobs:rerun", args=[job.pk])).status_code == 405
    assert Job.objects.count() == 1


def test_a_failure_the_user_caused_is_not_offered_a_rerun(personas):
    job = jobs.run_now(jobs.create(user=personas.town_clerk, kind="test.refuse", title="拒绝"))
    assert job.status == "failed" and not job.retryable
    crashed = jobs.run_now(jobs.create(user=personas.town_clerk, kind="test.crash", title="崩溃", input_bytes=b"a"))
    assert crashed.retryable and jobs.file_of(crashed.input_path) is not None  # an internal error: try again
