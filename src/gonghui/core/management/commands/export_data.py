"""`gonghui export KIND --org CODE [--from DATE] [--to DATE] [--user USERNAME] [--param NAME=VALUE] [--codes] --out FILE`.

Every registered exporter (core.exports), the same rows and access log as its download button.
Without --user it exports as the system (every record), like `gonghui import`; with --user it
exports exactly what that account may see.
"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gonghui.core import clock, exports, jobs, scope, tree
from gonghui.core.errors import ServiceError
from gonghui.core.periods import Period, parse_date


def _available() -> str:
    return "、".join(f"{k}（{cls.title}）" for k, cls in sorted(exports.REGISTRY.items())) or "无"


class Command(BaseCommand):
    help = "导出 Excel：gonghui export 种类 --org 组织编码 [--from 日期] [--to 日期] --out 文件.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="导出种类，如 tables（标准统计表）、members（会员名册）")
        parser.add_argument("--org", help="组织编码（默认：顶级组织）")
        parser.add_argument("--from", dest="date_from", help="开始日期 YYYY-MM-DD（默认：截止日期所在年的1月1日）")
        parser.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD（默认：今天）")
        parser.add_argument("--year", help="统计年度，如 2025：统计期间为该年全年（本年截至今天），不与 --from/--to 同用")
        parser.add_argument("--user", help="按该账号的权限和管理范围导出（默认：以系统身份导出）")
        parser.add_argument("--param", action="append", default=[], metavar="名称=值",
                            help="导出种类的其他条件，可重复，如 --param status=active")
        parser.add_argument("--codes", action="store_true",
                            help="代码表列写代码而非名称（如会员名册的民族、学历；同 --param codes=1）")
        parser.add_argument("--out", required=True, help="输出文件（.xlsx）")

    def handle(self, *args, kind, **opts):
        cls = exports.get(kind)
        if cls is None:
            raise CommandError(f"未知的导出内容“{kind}”。可用：{_available()}。")
        org = self._org(opts["org"])
        try:
            end = parse_date(opts["date_to"], "截止日期") if opts["date_to"] else clock.today()
            start = parse_date(opts["date_from"], "开始日期") if opts["date_from"] else end.replace(month=1, day=1)
            period = Period(start, end)
        except ServiceError as exc:
            raise CommandError(exc.messages[0]) from exc
        if opts["year"]:
            period = self._year(opts)
        params = {}
        for item in opts["param"]:
            name, sep, value = item.partition("=")
            if not sep or name not in cls.params_help:
                known = "、".join(f"{k}（{v}）" for k, v in cls.params_help.items()) or "无"
                raise CommandError(f"“{item}”不是{cls.title}的导出条件。可用：{known}。")
            params[name] = value
        if opts["codes"]:
            if "codes" not in cls.params_help:
                raise CommandError(f"{cls.title}没有代码表列，不能使用 --codes。")
            params["codes"] = "1"
        user = self._user(opts["user"], cls.permission, org) if opts["user"] else None
        exporter = cls(user, org, params, period=period)
        try:
            fd = os.open(opts["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # may hold personal data
            with os.fdopen(fd, "wb") as out:
                n = exporter.write(out, tmpdir=jobs.tmp_dir())
        except ServiceError as exc:
            raise CommandError(exc.messages[0]) from exc
        except OSError as exc:
            raise CommandError(f"无法写入文件 {opts['out']}：{exc.strerror}") from exc
        self.stdout.write(f"已导出{cls.title} {n} 行到 {opts['out']}：{org.name} {period.label}")

    @staticmethod
    def _year(opts) -> Period:
        """--year Y: the calendar year, cut off today while it runs (a report of the year so far)."""
        if opts["date_from"] or opts["date_to"]:
            raise CommandError("--year 与 --from/--to 不能同时使用。")
        raw = opts["year"].strip()
        if not raw.isdigit() or not 1900 <= int(raw) <= 2100:
            raise CommandError(f"统计年度“{raw}”不正确，请填写四位年份，如 2025。")
        year, today = Period.year(int(raw)), clock.today()
        return Period(year.start, today) if year.start <= today < year.end else year

    @staticmethod
    def _org(code):
        org = tree.nodes().filter(code=code).first() if code else tree.root()
        if org is None:
            raise CommandError(f"组织编码“{code}”不存在。" if code else "数据库中还没有组织。")
        return org

    @staticmethod
    def _user(username, permission, org):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在或已停用。")
        if permission and not scope.has_perm(user, permission, org.path):
            raise CommandError(f"账号“{username}”在“{org.name}”没有导出权限。")
        return user
