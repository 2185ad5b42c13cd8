from django.core.management.base import BaseCommand, CommandError

from gonghui.core.errors import ServiceError
from gonghui.reports import summary

from ._common import add_period_arguments, org_and_period, write_file


class Command(BaseCommand):
    help = "生成某组织某期间的工作总结初稿（Word 文档）。"

    def add_arguments(self, parser):
        add_period_arguments(parser)
        parser.add_argument("--template", help="使用此 Word 模板（默认：本单位或上级上传的模板，否则系统默认模板）")

    def handle(self, *args, **opts):
        org, period = org_and_period(opts)
        template = None
        if opts["template"]:
            try:
                with open(opts["template"], "rb") as fh:
                    template = fh.read()
            except OSError as exc:
                raise CommandError(f"无法读取模板 {opts['template']}：{exc.strerror}") from exc
            try:
                summary.check_content(template)
            except ServiceError as exc:
                raise CommandError(exc.messages[0]) from exc
        write_file(opts["out"], summary.render(org, period, template))
        self.stdout.write(f"已生成 {opts['out']}：{org.name} {period.label}")
