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
        done = subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v0"], env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise CommandError(f"数据已恢复，但迁移到当前版本失败：{(done.stderr or done.stdout).strip()}")
        done = subprocess.run([sys.executable, "-m", "django", "audit", "verify"], env=env, capture_output=True, text=True)
        if done.returncode == 0:
            self.stdout.write(done.stdout.strip())
        else:
            # Not a failed restore: restoring an older backup where the checkpoint file (kept
            # outside the data directory) already names later entries is expected to say so.
            self.stderr.write(f"警告：数据已恢复，但审计日志校验未通过：{(done.stderr or done.stdout).strip()}\n"
                              "如果检查点文件记录了这份备份之后的审计日志（恢复的是较早的备份），这是预期的："
                              "备份之后的记录已随恢复丢失。否则请查明原因。")
        self.stdout.write(f"恢复完成，用时 {time.monotonic() - started:.1f} 秒。")
