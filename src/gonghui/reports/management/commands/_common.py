"""Arguments of `gonghui summary`."""

from django.core.management.base import CommandError

from gonghui.core.errors import ServiceError
from gonghui.core.periods import Period, parse_date


def add_period_arguments(parser):
    parser.add_argument("--org", required=True, help="组织编码")
    parser.add_argument("--from", dest="date_from", help="开始日期 YYYY-MM-DD（默认：截止日期所在年的1月1日）")
    parser.add_argument("--to", dest="date_to", required=True, help="截止日期 YYYY-MM-DD")
    parser.add_argument("--out", required=True, help="输出文件")


def org_and_period(opts):
    from gonghui.orgs.models import Org

    org = Org.objects.filter(code=opts["org"]).first()
    if org is None:
        raise CommandError(f"组织编码“{opts['org']}”不存在。")
    try:
        end = parse_date(opts["date_to"], "截止日期")
        start = parse_date(opts["date_from"], "开始日期") if opts["date_from"] else end.replace(month=1, day=1)
        return org, Period(start, end)
    except ServiceError as exc:
        raise CommandError(exc.messages[0]) from exc


def write_file(path: str, content: bytes) -> None:
    try:
        with open(path, "wb") as fh:
            fh.write(content)
    except OSError as exc:
        raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from exc
