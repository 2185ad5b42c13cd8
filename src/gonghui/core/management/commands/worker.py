"""`gonghui manage worker`: the task worker that `gonghui run` starts (and systemd/compose run alone).

Before taking new work it marks the jobs that an earlier worker left half done (it crashed, was
killed or the machine stopped) as failed with a clear message and a "重新运行" button, so no job
page shows «进行中» forever; then it is django-tasks' database worker. A job whose worker stops
while this one runs is caught by its heartbeat timeout (core.jobs.reap_stale, also run when
someone looks at the job).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from gonghui.core import jobs


class Command(BaseCommand):
    help = "后台任务进程：先把上次中断的任务标记为失败（可重新运行），再处理排队的任务。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完排队的任务后退出")
        parser.add_argument("--interval", type=float, default=1, help="没有任务时隔几秒再查看队列")

    def handle(self, *args, **opts):
        reaped = jobs.reap_stale(startup=True)
        if reaped:
            self.stdout.write(f"已将 {reaped} 个中断的后台任务标记为失败（可在任务页面重新运行）。")
        worker_args = ["--no-reload", "--interval", str(opts["interval"])]
        if opts["batch"]:
            worker_args += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *worker_args, verbosity=opts["verbosity"], stdout=self.stdout)
