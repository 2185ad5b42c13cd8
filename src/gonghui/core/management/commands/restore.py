"""`gonghui restore DIR --keys FILE`: into an empty data directory and an empty database."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gonghui.core import backup, keys


class Command(BaseCommand):
    help = ("把 gonghui backup 的备份恢复到空的数据目录和空数据库。先校验校验和、密钥文件（试解密加密字段样本）"
            "和目标是否为空，任何一项不通过都不写入任何内容。")

    def add_arguments(self, parser):
        parser.add_argument("dir", metavar="DIR", help="gonghui backup 写出的备份目录")
        parser.add_argument("--keys", required=True, metavar="FILE", help="gonghui keys export 导出的密钥文件")

    def handle(self, *args, **opts):
        started = time.monotonic()
        try:
            key_set = keys.read(Path(opts["keys"]), keys.passphrase(confirm=False))
            summary = backup.restore(Path(opts["dir"]), key_set, progress=self.stdout.write)
        except (keys.KeysError, backup.BackupError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已恢复 {summary['created_at']} 的备份：{summary['tables']} 张表 {summary['rows']} 行，"
                          f"数据文件 {summary['files']} 个；试解密 {summary['decrypted']} 个加密字段样本成功。")
        # In child processes: this one started with the target's freshly generated keys, and
        # the restored ones are read at start-up.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gonghui.settings"}
        for step, label in ((["migrate", "--noinput", "-v0"], "数据库迁移到当前版本"), (["audit", "verify"], "审计日志校验")):
            done = subprocess.run([sys.executable, "-m", "django", *step], env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise CommandError(f"恢复后{label}失败：{(done.stderr or done.stdout).strip()}")
            if done.stdout.strip():
                self.stdout.write(done.stdout.strip())
        self.stdout.write(f"恢复完成，用时 {time.monotonic() - started:.1f} 秒。")
