"""`gonghui keys export --out FILE` and `gonghui keys check FILE`: the passphrase-protected keys file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gonghui.core import keys


class Command(BaseCommand):
    help = "密钥工具：export 把密钥导出为口令保护的文件（与备份分开保管）；check 检查密钥文件是否属于本系统。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="export|check")
        export = sub.add_parser("export", help="导出密钥（scrypt + AES-256-GCM，口令从终端输入或取自 GONGHUI_KEYS_PASSPHRASE）")
        export.add_argument("--out", required=True, metavar="FILE", help="密钥文件（不会覆盖已有文件）")
        check = sub.add_parser("check", help="用口令打开密钥文件，并与本系统正在使用的密钥比对")
        check.add_argument("file", metavar="FILE")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "export":
                self._export(Path(opts["out"]))
            else:
                self._check(Path(opts["file"]))
        except keys.KeysError as exc:
            raise CommandError(str(exc)) from exc

    def _export(self, path: Path):
        keys.export(path, keys.passphrase(confirm=True))
        self.stdout.write(
            f"密钥已导出到 {path}（口令保护）。\n"
            "  请把它和口令分开、离开本机妥善保管，也不要和备份放在一起：没有它，备份中的加密字段（身份证号、手机号等）无法恢复；"
            "它和备份落在同一人手中，加密就失去了意义。")

    def _check(self, path: Path):
        found = keys.fingerprints(keys.read(path, keys.passphrase(confirm=False)))
        current = keys.fingerprints(keys.current())
        differ = [k.name for k in keys.KEYS if found[k.name] != current[k.name]]
        if differ:
            raise CommandError(f"密钥文件可以打开，但与本系统的密钥不同：{'、'.join(differ)}。")
        self.stdout.write(f"密钥文件 {path} 可以打开，且与本系统正在使用的 {len(found)} 个密钥一致。")
