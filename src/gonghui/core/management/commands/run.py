"""`gonghui run`: everything a fresh machine needs, then the web server and the task worker."""

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gonghui.core.models import AuditEvent


class Command(BaseCommand):
    help = "迁移数据库、准备静态文件、空库时生成演示数据，然后启动网页服务和后台任务进程。"

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="空库时不生成演示数据")
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
        if not opts["no_demo"]:
            call_command("demo", size=opts["size"], if_empty=True, stdout=self.stdout)
        if AuditEvent.objects.filter(action="core.demo.loaded").exists():
            from gonghui.accounts.demo import DEMO_PASSWORD

            self.stdout.write(f"演示账号：admin / town / townadmin / union / leader / outsider，密码均为 {DEMO_PASSWORD}")
        self.stdout.write(f"gonghui 已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
        self.stdout.flush()
        bindir = os.path.dirname(sys.executable)
        worker = subprocess.Popen([sys.executable, "-m", "django", "db_worker"], env=env)
        web = subprocess.Popen(
            [os.path.join(bindir, "gunicorn"), "gonghui.wsgi", "--bind", f"{host}:{port}",
             "--workers", str(opts["workers"]), "--threads", "4", "--access-logfile", "-",
             # Path only: query strings carry search terms (names, ID numbers) that must not reach logs.
             "--access-logformat", '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'],
            env=env,
        )
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for p in (web, worker):
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in (web, worker):
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
