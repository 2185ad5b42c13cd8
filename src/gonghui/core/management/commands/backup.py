"""`gonghui backup --out DIR`: database, attachments and data files, with a manifest of checksums."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gonghui.core import backup


class Command(BaseCommand):
    help = "备份数据库、上传的附件和其他数据文件到一个新目录，附带校验和清单。备份不含密钥，密钥请用 gonghui keys export 另行保管。"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="DIR", help="备份目录（不存在或为空；每次备份用一个新目录）")

    def handle(self, *args, **opts):
        started = time.monotonic()
        try:
            manifest = backup.backup(Path(opts["out"]), progress=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = manifest["files"]
        size = sum(f["size"] for f in files.values())
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"备份完成：{Path(opts['out']).resolve()}\n"
            f"  数据库 {len(tables)} 张表 {sum(tables.values())} 行，数据文件 {len(files) - 1} 个，"
            f"共 {size / 1e6:.1f} MB，用时 {time.monotonic() - started:.1f} 秒。\n"
            "  本备份不含密钥。没有 gonghui keys export 导出的密钥文件，备份中的加密字段（身份证号、手机号等）无法恢复。")
