"""`gonghui run`: everything a fresh machine needs, then the web server and the task worker.

Demo data is made only in demo mode (`gonghui run --demo`, or GONGHUI_DEMO_MODE=1 as `make run`
sets): a production database must never get demo accounts with a published password by accident.
Outside demo mode an empty database stops here with the `gonghui setup` line to run first.

Stopping: SIGTERM (systemd, `docker stop`) and SIGINT (Ctrl+C) are handled alike. The children run
in their own process groups, so a Ctrl+C in the terminal reaches this process only and each child
gets exactly one SIGTERM from us: gunicorn finishes the requests in flight, and the task worker
finishes the job it is running (its transaction commits). A job still running after
GONGHUI_STOP_TIMEOUT seconds gets a second SIGTERM, which interrupts it inside its transaction
(nothing of it is saved) and marks it failed with a "重新运行" button; only a worker that ignores
that too is killed, and its job is then marked by the next worker start (core.jobs.reap_stale).

This command imports no domain app (core depends on none): the organisation model is looked up
by name, and the demo logins are read from the demo command's own output.
"""

import io
import os
import re
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gonghui.core import keys, tree
from gonghui.core.models import AuditEvent

SETUP_HELP = """数据库中还没有任何组织，网页服务没有启动。

生产环境请先运行一次初始化，建立根组织（本级总工会）和第一个系统管理员：

    gonghui setup --root-code 430121 --root-name 长沙县总工会 --admin sysadmin

（编码、名称和用户名换成本单位的；密码在提示时输入，或加 --generate-password 自动生成并只显示一次，
首次登录后须修改。）然后再运行 gonghui run。

只想看演示：gonghui run --demo（或 make run），会在空库中生成演示数据和演示账号，切勿用于生产。"""

GRACEFUL_WEB = 20  # seconds gunicorn gives requests in flight (its --graceful-timeout)
INTERRUPT_GRACE = 10  # seconds a worker gets after the second SIGTERM before it is killed


def stop_timeout() -> int:
    """How long a running job may take to finish when the service stops (GONGHUI_STOP_TIMEOUT)."""
    try:
        return max(0, int(os.environ.get("GONGHUI_STOP_TIMEOUT", "60")))
    except ValueError:
        return 60


def demo_mode(opts) -> bool:
    if opts.get("no_demo"):
        return False
    return bool(opts.get("demo") or settings.GONGHUI.get("DEMO_MODE"))


def _die_with_parent() -> None:
    """In the child, before exec: its own process group (a terminal's Ctrl+C reaches `run` only,
    which then stops each child once), and SIGTERM when `run` itself dies, even by SIGKILL,
    so no orphan keeps the port or the job queue (Linux; elsewhere the group alone)."""
    os.setpgid(0, 0)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = "迁移数据库、准备静态文件，然后启动网页服务和后台任务进程；演示模式下空库时生成演示数据。"

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true",
                            help="演示模式：空库时生成演示数据和演示账号（同 GONGHUI_DEMO_MODE=1），切勿用于生产")
        parser.add_argument("--no-demo", action="store_true", help="即使设置了 GONGHUI_DEMO_MODE 也不生成演示数据")
        parser.add_argument("--size", default="county", help="演示数据规模（small/county/city）")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **opts):
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        call_command("migrate", interactive=False, verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gonghui.settings"}
        # In a child process, with the hashed-name storage: this process loaded its settings
        # before the manifest existed, and the web workers will pick the manifest up.
        collected = subprocess.run(
            [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"],
            env={**env, "GONGHUI_STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        )
        if collected.returncode != 0:
            raise CommandError("准备静态文件（collectstatic）失败，请查看上面的错误信息。")
        self.prepare_data(opts)
        self.serve(host, port, opts["workers"], env)

    def prepare_data(self, opts) -> None:
        """Demo data in demo mode; otherwise refuse to serve an empty database."""
        password = ""
        if demo_mode(opts):
            out = io.StringIO()
            call_command("demo", size=opts["size"], if_empty=True, stdout=out)
            self.stdout.write(out.getvalue(), ending="")
            found = re.search(r"密码\s+(\S+)", out.getvalue())
            password = found.group(1) if found else ""
        if not tree.nodes().exists():
            raise CommandError(SETUP_HELP)
        try:
            keys.check_sample()  # never serve a page of garbled names, nor write under a wrong key
        except keys.KeysError as exc:
            raise CommandError(str(exc)) from exc
        if AuditEvent.objects.filter(action="core.demo.loaded").exists():
            where = f"密码均为 {password}" if password else "密码见首次生成演示数据时的输出或 README"
            self.stdout.write(f"演示数据：演示账号 admin / town / townadmin / union / leader / outsider，{where}。"
                              "仅供演示，切勿用于生产。")

    def serve(self, host: str, port: str, workers: int, env: dict) -> None:
        stop: list[int] = []

        def on_signal(signum, frame):
            stop.append(signum)

        # Handlers first: a SIGTERM between the two Popen calls must not kill us and orphan a child.
        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        bindir = os.path.dirname(sys.executable)
        children: list[tuple[str, subprocess.Popen]] = []
        try:
            children.append(("后台任务进程", subprocess.Popen(
                [sys.executable, "-m", "django", "worker"], env=env, preexec_fn=_die_with_parent)))
            children.append(("网页服务", subprocess.Popen(
                [os.path.join(bindir, "gunicorn"), "gonghui.wsgi", "--bind", f"{host}:{port}",
                 "--workers", str(workers), "--threads", "4", "--graceful-timeout", str(GRACEFUL_WEB),
                 "--access-logfile", "-",
                 # Path only: query strings carry search terms (names, ID numbers) that must not reach logs.
                 "--access-logformat", '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'],
                env=env, preexec_fn=_die_with_parent)))
            self.stdout.write(f"gonghui 已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
            self.stdout.flush()
            died = None
            while not stop and died is None:
                died = next(((name, p.returncode) for name, p in children if p.poll() is not None), None)
                time.sleep(0.2)
        finally:
            self.shutdown(children)
            for s, handler in previous.items():
                signal.signal(s, handler)
        if died is not None and not stop:
            raise CommandError(f"{died[0]}意外退出（退出码 {died[1]}），已停止全部进程。")
        self.stdout.write("gonghui 已停止。")

    def shutdown(self, children: list[tuple[str, subprocess.Popen]]) -> None:
        """One SIGTERM to each child, then wait: the web server up to its graceful timeout, the
        worker up to GONGHUI_STOP_TIMEOUT for its job; a second SIGTERM interrupts the job
        (marked for rerun), and only then SIGKILL."""
        running = [(name, p) for name, p in children if p.poll() is None]
        if not running:
            return
        limit = stop_timeout()
        self.stdout.write(f"正在停止：网页服务处理完当前请求，后台任务进程做完正在运行的任务（最多等 {limit} 秒）……")
        self.stdout.flush()
        for _, p in running:
            p.send_signal(signal.SIGTERM)
        start = time.monotonic()
        interrupted = set()
        while True:
            alive = [(name, p) for name, p in running if p.poll() is None]
            if not alive:
                return
            elapsed = time.monotonic() - start
            for name, p in alive:
                own_limit = GRACEFUL_WEB + 5 if name == "网页服务" else limit
                if elapsed > own_limit and p.pid not in interrupted:
                    interrupted.add(p.pid)
                    p.send_signal(signal.SIGTERM)  # the worker stops its job inside the transaction
                elif elapsed > own_limit + INTERRUPT_GRACE:
                    p.kill()
                    p.wait()
            time.sleep(0.1)
