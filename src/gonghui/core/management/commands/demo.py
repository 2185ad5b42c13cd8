import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gonghui.core import audit, clock, demo, tree
from gonghui.core.audit import Target
from gonghui.core.periods import parse_date


class Command(BaseCommand):
    help = "生成演示数据（一个县或一个市的工会组织、用人单位和演示账号）。"

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(demo.SIZES), default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", help="参照日期 YYYY-MM-DD（默认今天），用于生成确定的数据")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有组织时什么也不做")

    def handle(self, *args, **opts):
        if tree.nodes().exists():
            if opts["if_empty"]:
                return
            raise CommandError("数据库中已有组织，演示数据只能生成到空数据库中。")
        today = parse_date(opts["today"], "参照日期") if opts["today"] else clock.today()
        started = time.monotonic()
        self.stdout.write(f"正在生成演示数据（规模 {opts['size']}，种子 {opts['seed']}）……")
        with transaction.atomic(), audit.context(source="cli"):
            ctx = demo.build(opts["size"], opts["seed"], today, progress=self.stdout.write)
            audit.record(actor=None, action="core.demo.loaded",
                         target=Target("core.demo", opts["size"], f"演示数据 {opts['size']} / {opts['seed']}"),
                         changes={"size": opts["size"], "seed": opts["seed"], "today": today})
        self.stdout.write(f"完成，用时 {time.monotonic() - started:.1f} 秒。")
        if ctx.logins:
            self.stdout.write("演示账号（仅供演示，请勿用于生产）：")
            for username, password, who in ctx.logins:
                self.stdout.write(f"  {username:<10} 密码 {password}  {who}")
