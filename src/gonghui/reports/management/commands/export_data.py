from django.core.management.base import BaseCommand, CommandError

from gonghui.reports import tables

from ._common import add_period_arguments, org_and_period, write_file

KINDS = {"tables": "标准统计表（每个工作条线一个工作表）"}


class Command(BaseCommand):
    help = "导出：gonghui export tables --org CODE --from DATE --to DATE --out FILE.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="导出内容：" + "、".join(f"{k}（{v}）" for k, v in KINDS.items()))
        add_period_arguments(parser)

    def handle(self, *args, **opts):
        if opts["kind"] not in KINDS:
            raise CommandError(f"未知的导出内容“{opts['kind']}”。可用：{'、'.join(KINDS)}")
        org, period = org_and_period(opts)
        write_file(opts["out"], tables.write(org, period))
        self.stdout.write(f"已导出 {opts['out']}：{org.name} {period.label}")
