
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gonghui.core import clock, reminders
from gonghui.core.errors import ServiceError
from gonghui.core.periods import parse_date


class Command(BaseCommand):
    help = "列出到期和逾期事项（换届提醒等），供每日定时任务或人工查看。"

    def add_arguments(self, parser):
        parser.add_argument("--user", help="按该用户的授权范围列出（默认：全部）")
        parser.add_argument("--today", help="参照日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--limit", type=int, default=50, help="每类最多列出的条数")

    def handle(self, *args, **opts):
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"用户“{opts['user']}”不存在或已停用。")
        try:
            today = parse_date(opts["today"], "参照日期") if opts["today"] else clock.today()
        except ServiceError as exc:
            raise CommandError(exc.messages[0]) from exc
        if not opts["user"] and not opts["today"]:
            # The daily run (the timer's bare `gonghui remind`) first does the lines' daily work.
            for label, lines in reminders.run_daily(today):
                self.stdout.write(f"{label}：{len(lines)} 项")
                for line in lines:
                    self.stdout.write(f"  {line}")
        for reminder, items, total in reminders.due_items(user, today, opts["limit"]):
            self.stdout.write(f"{reminder.label}：共 {total} 项")
            for d in items:
                flag = "逾期" if d.overdue else "到期"
                self.stdout.write(f"  [{flag}] {d.due_on:%Y-%m-%d}  {d.org_name}：{d.label}")
            if total > len(items):
                self.stdout.write(f"  ……另有 {total - len(items)} 项（加 --limit {total} 全部列出）")
