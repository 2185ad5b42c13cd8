from django.core.management.base import BaseCommand, CommandError

from gonghui.core.audit import verify_chain
from gonghui.core.models import AuditEvent


class Command(BaseCommand):
    help = "审计日志工具：verify 校验哈希链是否完整。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="verify：校验审计日志哈希链")

    def handle(self, *args, **opts):
        problem = verify_chain()
        if problem is not None:
            raise CommandError(f"审计日志校验失败：{problem.reason}（第一处异常：第 {problem.seq} 条）。")
        self.stdout.write(f"审计日志完整：共 {AuditEvent.objects.count()} 条，哈希链校验通过。")
