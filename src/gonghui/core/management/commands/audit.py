from django.core.management.base import BaseCommand, CommandError

from gonghui.core import audit


class Command(BaseCommand):
    help = "审计日志工具：verify 校验哈希链是否完整，并与数据库之外的检查点比对（发现末尾记录被删除）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="verify：校验审计日志哈希链和检查点")

    def handle(self, *args, **opts):
        result = audit.verify()
        problem = result.problem
        if problem is not None:
            where = f"（第一处异常：第 {problem.seq} 条）" if problem.seq else ""
            raise CommandError(f"审计日志校验失败：{problem.reason}{where}。")
        if result.checkpoint is None:
            anchored = "此前没有检查点（首次校验，或检查点文件已移走）"
        else:
            anchored = f"与检查点（第 {result.checkpoint.seq} 条，{result.checkpoint.at}）一致"
        self.stdout.write(f"审计日志完整：共 {result.count} 条，哈希链校验通过，{anchored}。"
                          f"检查点文件：{audit.anchor_file()}")
        segments = "；".join(f"{s['key'] or 'k1:intl（早于密钥版本）'} 第 {s['first']}–{s['last']} 条"
                            for s in audit.key_segments())
        if segments:
            self.stdout.write(f"各密钥版本的区段（均已校验）：{segments}")
