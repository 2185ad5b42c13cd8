"""`gonghui keys export|check|rotate|destroy`: the passphrase-protected keys file, key rotation,
and the destruction of a retired key version.

No system checks before it runs: `check` and `export` must work under keys that do not open the
data (that is what they help to sort out), and `rotate` and `destroy` check the keys against the
data themselves (core.keys.check_sample) before they write anything."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gonghui.core import crypto, jobs, keys, metrics, rotation


class Command(BaseCommand):
    help = ("密钥工具：export 把密钥导出为口令保护的文件（与备份分开保管）；check 检查密钥文件是否属于本系统；"
            "rotate 生成新密钥版本并用它重新加密全部加密字段；destroy 销毁轮换后已停用的旧密钥版本。")
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="export|check|rotate|destroy")
        export = sub.add_parser("export", help="导出密钥（scrypt + AES-256-GCM，口令从终端输入或取自 GONGHUI_KEYS_PASSPHRASE）")
        export.add_argument("--out", required=True, metavar="FILE", help="密钥文件（不会覆盖已有文件）")
        check = sub.add_parser("check", help="用口令打开密钥文件，并与本系统正在使用的密钥比对")
        check.add_argument("file", metavar="FILE")
        rotate = sub.add_parser("rotate", help="密钥轮换：新密钥版本，重新加密/重新计算全部字段，完成后停用旧密钥；中断后再次运行即继续")
        rotate.add_argument("--profile", choices=crypto.PROFILES,
                            help="新密钥的密码配置：intl（AES-256-GCM、HMAC-SHA256）或 gm（SM4-GCM、HMAC-SM3）；默认沿用当前")
        rotate.add_argument("--background", action="store_true", help="作为后台任务排队（由 gonghui run 的任务进程执行）")
        rotate.add_argument("--user", metavar="USERNAME",
                            help="后台任务记在哪个账号的“我的任务”下（默认：第一个启用的超级管理员）")
        rotate.add_argument("--batch-size", type=int, default=rotation.BATCH_SIZE, help="每批处理的行数")
        destroy = sub.add_parser("destroy", help="销毁已停用的旧密钥版本（仍有数据使用它时拒绝）；销毁前请先重新导出密钥文件")
        destroy.add_argument("--version", dest="key_version", required=True, metavar="kN", help="要销毁的密钥版本，如 k1")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "export":
                self._export(Path(opts["out"]))
            elif opts["action"] == "check":
                self._check(Path(opts["file"]))
            elif opts["action"] == "destroy":
                self._destroy(opts["key_version"])
            else:
                self._rotate(opts)
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
        differ = [name for name in sorted(set(found) | set(current)) if found.get(name) != current.get(name)]
        if differ:
            raise CommandError(f"密钥文件可以打开，但与本系统的密钥不同：{'、'.join(differ)}。")
        self.stdout.write(f"密钥文件 {path} 可以打开，且与本系统正在使用的 {len(found)} 个密钥一致。")

    def _job_user(self, username: str | None):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username=username).first() if username else (
            users.filter(is_superuser=True).order_by("pk").first())
        if user is None:
            raise CommandError(f"找不到启用的账号 {username}。" if username else "没有启用的超级管理员：请用 --user 指定账号。")
        return user

    def _rotate(self, opts):
        keys.check_sample()  # a wrong key set is refused before anything is written
        if opts["background"]:
            job = jobs.create(user=self._job_user(opts["user"]), kind="core.keys.rotate", title="密钥轮换",
                              params={"profile": opts["profile"] or ""})
            jobs.enqueue(job)
            self.stdout.write(f"密钥轮换已作为后台任务 {job.pk} 排队，进度见“我的任务”。")
            return
        last = {}

        def progress(label, done, total):
            percent = metrics.percent(done, total, decimals=0) or 100
            if last.get(label) != percent:  # at most one line per percent
                last[label] = percent
                self.stdout.write(f"  {label}：{done}/{total}（{percent}%）")

        if rotation.in_progress():
            self.stdout.write("继续上一次未完成的密钥轮换……")
        result = rotation.rotate(profile=opts["profile"], progress=progress, batch_size=opts["batch_size"])
        self.stdout.write(f"密钥轮换完成：现用密钥 {result['write']}（{crypto.PROFILE_LABELS[result['write'].split(':')[1]]}），"
                          f"重新加密 {result['rewritten']} 行，停用旧密钥版本 {result['retired']}。"
                          "请立即用 gonghui keys export 重新导出密钥文件：此前导出的密钥文件打不开此后的备份。"
                          + ("确认新的密钥文件已妥善保管后，销毁停用的旧密钥："
                             + "；".join(f"gonghui keys destroy --version k{n}" for n in result["retired"]) + "。"
                             if result["retired"] else ""))

    def _destroy(self, version: str):
        keys.check_sample()  # under keys that do not open the data, nothing is touched
        done = rotation.destroy(version)
        lines = [f"密钥版本 {done['version']} 已销毁（删除：{'、'.join(done['removed']) or '无，密钥文件中已没有它的密钥'}），"
                 "已记入审计日志。"]
        if done["kept_audit_key"]:
            lines.append(f"  它的审计密钥保留：还有 {done['audit_uses']} 条审计记录或检查点要用它核验（只能核验，不能解密任何数据）。")
        if done["environment"]:
            lines.append(f"  环境变量 {'、'.join(done['environment'])} 仍含旧密钥：请从服务的环境配置中删除它们。")
        lines.append("  请立即用 gonghui keys export 重新导出密钥文件：此后的备份记录的是销毁后的密钥，此前导出的密钥文件与它们不匹配。")
        lines.append("  此前导出的密钥文件和旧备份中仍有旧密钥：到保留期满时一并销毁。")
        self.stdout.write("\n".join(lines))
