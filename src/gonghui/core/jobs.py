"""Background jobs with a progress bar (ARCHITECTURE §4.5, ECOSYSTEM row 12).

A `Job` row is what the user sees; django-tasks runs the work (`run_job`, executed by the
`db_worker` that `gonghui run` starts). Apps register a runner per kind:

    @jobs.runner("members.export")
    def export_members(job, progress): ...

and start work with `create(...)` then `enqueue(job)` (background) or `run_now(job)` (the same
runner inside the request, for small files). A runner reads `job.params` and the job's input
file, reports `progress(phase, done, total)`, and leaves its counts in `job.result` and a file
via `save_output`. A `JobError` carries a Chinese message for the user; any other exception
is logged by class name only (messages may quote personal data) and shown as a generic failure.

A running job beats (`Heartbeat`): if its worker dies (killed, crashed, the machine stopped) the
job is marked failed with a clear message by the next worker start or, after HEARTBEAT_TIMEOUT,
when its page is looked at (`reap_stale`); such a failure keeps the input file, and `rerun`
(the "重新运行" button) does the same work again as a new job.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import task

from . import audit, excel, scope
from .models_jobs import Job

logger = logging.getLogger(__name__)

FILE_MAX_AGE = 7 * 24 * 3600  # uploaded sheets, error reports and exports hold personal data
SHOWN_ERRORS = 500  # errors kept on the job for its page; all of them are in the error report
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes
# The share of the bar each phase fills: validating is the first half of an import, saving the second.
PHASE_SPANS = {excel.VALIDATING: (0, 50), excel.SAVING: (50, 100)}

Runner = Callable[[Job, "Progress"], None]
RUNNERS: dict[str, tuple[Runner, str]] = {}
GENERIC_FAILURE = "任务因内部错误中止。请稍后重试；如仍失败，请联系系统管理员（任务编号 {}）。"
INTERRUPTED = ("任务在运行中被中断（后台任务进程已停止：服务器重启、进程被结束或崩溃），本次未保存任何数据。"
               "可以点击“重新运行”。")
HEARTBEAT_INTERVAL = 5  # seconds between two heartbeats of a running job
# A running job whose heartbeat is older than this has lost its worker (GONGHUI_JOB_HEARTBEAT_TIMEOUT).
HEARTBEAT_TIMEOUT = int(os.environ.get("GONGHUI_JOB_HEARTBEAT_TIMEOUT", "60"))


class JobError(Exception):
    """The job cannot be done; the message (Chinese, no personal data) is shown to the user."""


def runner(kind: str, *, failure: str = ""):
    """Register the function that does the work of jobs of `kind`. `failure` is added to the
    message of an unexpected error (e.g. that an import saved nothing)."""

    def register(func: Runner) -> Runner:
        RUNNERS[kind] = (func, failure)
        return func

    return register


def get_runner(kind: str) -> tuple[Runner, str] | None:
    # Runners live in the apps' imports.py/exports.py; core never names an app.
    autodiscover_modules("imports", "exports")
    return RUNNERS.get(kind)


# --- files ----------------------------------------------------------------------------------

def jobs_dir() -> Path:
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def tmp_dir() -> str:
    """Private scratch space for XlsxWriter's constant-memory files (they hold personal data)."""
    path = jobs_dir() / "tmp"
    path.mkdir(mode=0o700, exist_ok=True)
    return str(path)


def _write_private(job: Job, suffix: str, content: bytes) -> str:
    name = f"{job.pk}-{secrets.token_urlsafe(12)}{suffix}"
    fd = os.open(jobs_dir() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    return name


def file_of(name: str) -> Path | None:
    """The job file of that name, if it is still there (files are purged after FILE_MAX_AGE)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = jobs_dir() / name
    return path if path.is_file() else None


def read_input(job: Job) -> bytes:
    path = file_of(job.input_path)
    if path is None:
        raise JobError("任务的输入文件已不存在，请重新提交。")
    return path.read_bytes()


def save_output(job: Job, content: bytes, filename: str) -> None:
    job.output_path = _write_private(job, Path(filename).suffix or ".bin", content)
    job.output_name = filename


def output_target(job: Job, filename: str) -> Path:
    """A fresh private path for a runner that streams its result to disk (big exports)."""
    name = _write_private(job, Path(filename).suffix or ".bin", b"")
    job.output_path, job.output_name = name, filename
    return jobs_dir() / name


def purge_old_files(now: float | None = None) -> None:
    now = now or time.time()
    for path in jobs_dir().iterdir():
        try:
            if path.is_file() and now - path.stat().st_mtime > FILE_MAX_AGE:
                path.unlink(missing_ok=True)
        except OSError:  # another process removed it first
            continue


# --- progress -------------------------------------------------------------------------------

def _side_file(job_id: int) -> Path:
    return jobs_dir() / f".progress-{job_id}.json"


class Progress:
    """Throttled progress writes for the job page.

    Outside a transaction the Job row is updated and committed at once. Inside one (an import
    saves everything in a single transaction) an UPDATE would stay invisible to the browser
    until the commit, and on SQLite a second connection could not write at all while the
    import holds the write lock; so the figures go to a small side file the job page reads.
    """

    def __init__(self, job: Job):
        self.job_id, self.phase, self.last = job.pk, "", 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and done < total and now - self.last < PROGRESS_INTERVAL:
            return
        self.phase, self.last = phase, now
        if connection.in_atomic_block:
            side = _side_file(self.job_id)
            tmp = side.with_suffix(".tmp")
            tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
            tmp.replace(side)  # atomic: the page never reads half a file
        else:
            Job.objects.filter(pk=self.job_id).update(phase=phase, done=done, total=total)


# --- heartbeat: is the worker of a running job still alive? ----------------------------------

def _beat_file(job_id: int) -> Path:
    return jobs_dir() / f".heartbeat-{job_id}"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Heartbeat:
    """Touches the job's heartbeat file every HEARTBEAT_INTERVAL seconds from a daemon thread while
    the job runs. A file, like the progress side file: an import saves in one transaction, and on
    SQLite nobody else could write the Job row meanwhile. The thread dies with the process, so a
    killed or crashed worker stops beating and `reap_stale` marks its job."""

    def __init__(self, job_id: int):
        self.path = _beat_file(job_id)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat", daemon=True)

    def beat(self) -> None:
        try:
            self.path.touch(mode=0o600)
            os.utime(self.path)
        except OSError:  # a full disk must not fail the job itself
            logger.warning("job heartbeat could not be written")

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_INTERVAL):
            self.beat()

    def __enter__(self):
        self.beat()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=HEARTBEAT_INTERVAL)
        self.path.unlink(missing_ok=True)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    try:  # a zombie has stopped working too
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _is_stale(job: Job, now: float, startup: bool) -> bool:
    beats = [t.timestamp() for t in (job.heartbeat_at, job.started_at) if t is not None]
    with contextlib.suppress(OSError):  # no file: the worker never got to beat
        beats.append(_beat_file(job.pk).stat().st_mtime)
    if not beats:
        return False  # never claimed by a worker (a row set by hand): nothing to judge by
    if now - max(beats) > HEARTBEAT_TIMEOUT:
        return True
    if startup:
        # A new worker on the same machine need not wait for the timeout: a job whose worker
        # process is gone will never finish.
        host, _, pid = job.worker.rpartition(":")
        return host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid() and _process_gone(int(pid))
    return False


def reap_stale(*, startup: bool = False, queryset=None) -> int:
    """Mark running jobs whose worker stopped as failed (rerunnable); returns how many. Called when
    a worker starts (`startup`: a dead worker on this machine counts at once) and when a job page is
    looked at (after the heartbeat timeout)."""
    now, count = time.time(), 0
    running = (queryset if queryset is not None else Job.objects.all()).filter(status=Job.Status.RUNNING)
    for job in running.only("pk", "worker", "heartbeat_at", "started_at"):
        if _is_stale(job, now, startup):
            count += Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED, error=INTERRUPTED, finished_at=timezone.now(), retryable=True)
            _side_file(job.pk).unlink(missing_ok=True)
            _beat_file(job.pk).unlink(missing_ok=True)
            logger.warning("job %s marked failed: its worker stopped", job.pk)
    return count


def snapshot(job: Job) -> dict:
    """{phase, done, total, percent} for the progress bar."""
    phase, done, total = job.phase, job.done, job.total
    if job.status == Job.Status.RUNNING:
        try:
            live = json.loads(_side_file(job.pk).read_text())
            phase, done, total = live["phase"], live["done"], live["total"]
        except (OSError, ValueError, KeyError):
            pass
    if job.status == Job.Status.DONE:
        percent = 100
    else:
        low, high = PHASE_SPANS.get(phase, (0, 100))
        percent = low + (high - low) * done // total if total else low
    return {"phase": phase, "done": done, "total": total, "percent": percent}


# --- lifecycle ------------------------------------------------------------------------------

def create(*, user, kind: str, title: str, params: dict | None = None, input_bytes: bytes | None = None,
           input_suffix: str = ".xlsx", org_path: str = "") -> Job:
    """A queued job; `input_bytes` (an uploaded sheet, an export's filter) go to a private file,
    never into the database row."""
    if kind not in RUNNERS and get_runner(kind) is None:
        raise ValueError(f"no runner for job kind {kind!r}")
    purge_old_files()
    job = Job.objects.create(kind=kind, title=title, user=user, params=params or {}, org_path=org_path)
    if input_bytes is not None:
        job.input_path = _write_private(job, input_suffix, input_bytes)
        job.save(update_fields=["input_path"])
    return job


def enqueue(job: Job) -> Job:
    """Hand the job to the task worker. With the immediate backend (tests) it runs here."""
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=result.id[:64])
    job.refresh_from_db()
    return job


def run_now(job: Job) -> Job:
    """Run the job in this process (small files): the same runner, result and files."""
    execute(job.pk)
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: int) -> None:
    with audit.context(source="task"):
        execute(job_id)


def execute(job_id: int) -> None:
    # Claim the job: a task delivered twice must not run it twice.
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, worker=worker_id()[:100]):
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    found = get_runner(job.kind)
    keep_input = False  # for "重新运行" after a failure the same work may not meet again
    try:
        with Heartbeat(job.pk):
            if found is None:
                raise JobError("系统中没有这种任务。")
            if not job.user.is_active:
                raise JobError("发起任务的账号已停用。")
            found[0](job, Progress(job))
    except JobError as exc:
        _finish(job, Job.Status.FAILED, str(exc))
    except Exception as exc:  # noqa: BLE001 - the worker must record every failure on the job
        logger.error("job %s (%s) failed: %s", job.pk, job.kind, type(exc).__name__)
        failure = found[1] if found else ""
        keep_input = True
        _finish(job, Job.Status.FAILED, (failure + GENERIC_FAILURE.format(job.pk)).strip(), retryable=True)
    except BaseException:
        # The worker is being stopped (its second SIGTERM raises SystemExit here, Ctrl+C raises
        # KeyboardInterrupt): the job's transaction has rolled back; say so and let it be rerun.
        keep_input = True
        _finish(job, Job.Status.FAILED, INTERRUPTED, retryable=True)
        raise
    else:
        _finish(job, Job.Status.DONE)
    finally:
        input_file = file_of(job.input_path)
        if input_file is not None and not keep_input:
            input_file.unlink(missing_ok=True)  # the upload is no longer needed
        _side_file(job.pk).unlink(missing_ok=True)


def _finish(job: Job, status: str, error: str = "", *, retryable: bool = False) -> None:
    job.status, job.error, job.finished_at, job.retryable = status, error, timezone.now(), retryable
    if status == Job.Status.DONE:
        job.done = job.total
    else:
        job.output_path = job.output_path if file_of(job.output_path) else ""
    Job.objects.filter(pk=job.pk).update(
        status=job.status, error=job.error, finished_at=job.finished_at, done=job.done, total=job.total,
        phase=job.phase, result=job.result, output_path=job.output_path, output_name=job.output_name,
        retryable=job.retryable,
    )


def rerun(job: Job) -> Job:
    """"重新运行": a new job doing the same work (kind, parameters, input) for the same user, queued
    for the worker. The input file moves to the new job (one copy of personal data); the old job
    keeps its page, which links to the new one."""
    source = file_of(job.input_path)
    if job.input_path and source is None:
        raise JobError(f"任务的输入文件已不存在（保留 {FILE_MAX_AGE // 86400} 天），请重新提交。")
    # Claimed once: two clicks must not start the work twice.
    if not Job.objects.filter(pk=job.pk, status=Job.Status.FAILED, retryable=True).update(retryable=False):
        raise JobError("该任务不能重新运行（可能已经重新运行过）。")
    new = Job.objects.create(kind=job.kind, title=job.title, user=job.user, params=job.params,
                             org_path=job.org_path, rerun_of=job)
    if source is not None:
        new.input_path = f"{new.pk}-{secrets.token_urlsafe(12)}{source.suffix}"
        os.replace(source, jobs_dir() / new.input_path)
        new.save(update_fields=["input_path"])
        Job.objects.filter(pk=job.pk).update(input_path="")
    return enqueue(new)


# --- the import runner (any registered importer) -------------------------------------------

def import_result(result: excel.Result) -> dict:
    return {
        "total": result.total, "created": result.created, "updated": result.updated,
        "unchanged": result.unchanged, "error_count": len(result.errors),
        "errors": [[e.row, e.where, e.value, e.reason] for e in result.errors[:SHOWN_ERRORS]],
    }


@runner("import", failure="导入中止，未保存任何数据。")
def run_import(job: Job, progress: Progress) -> None:
    """params: {"importer": kind, "mapping": {sheet column: our header}, "union": code} (the last two
    from the import page's mapping step). Row errors are a finished job with an error report."""
    cls = excel.get_importer(job.params.get("importer", ""))
    if cls is None:
        raise JobError("系统中没有这种导入。")
    if cls.permission and not scope.has_perm(job.user, cls.permission):
        raise JobError("您已没有导入权限，未保存任何数据。")
    data = read_input(job)
    # The importer's own options ticked on the page (its `flags`), and only those.
    known = {name for name, *_ in getattr(cls, "flags", ())}
    options = {k: bool(v) for k, v in (job.params.get("options") or {}).items() if k in known}
    try:
        result = cls(actor=job.user, progress=progress, mapping=job.params.get("mapping"),
                     union=job.params.get("union", ""), **options).run(data)
    except excel.ImportFileError as exc:
        raise JobError(str(exc)) from exc
    job.total, job.result = result.total, import_result(result)
    if result.errors:
        report = excel.error_report(data, result.errors, cls.columns, tmpdir=tmp_dir(), header_row=result.header_row)
        save_output(job, report, f"{cls.title}导入错误报告.xlsx")
