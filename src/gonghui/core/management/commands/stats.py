import json

from django.core.management.base import BaseCommand, CommandError

from gonghui.core import clock, tree
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period, parse_date


class Command(BaseCommand):
    help = "打印某组织某期间的全部统计指标（来自指标注册表）。"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="组织编码（默认：顶级组织）")
        parser.add_argument("--from", dest="date_from", help="开始日期 YYYY-MM-DD（默认：截止日期所在年的1月1日）")
        parser.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD（默认：当年12月31日）")
        parser.add_argument("--own-level", action="store_true", help="仅本级（不含下级）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--prefix", default="", help="只输出代码以此开头的指标，如 orgs.")
        parser.add_argument("--filter", action="append", default=[], metavar="NAME=VALUE",
                            help="按指标支持的筛选条件计算，如 --filter campaign=12（只输出支持该条件的指标）")

    def handle(self, *args, **opts):
        if opts["org"]:
            org = tree.nodes().filter(code=opts["org"]).first()
            if org is None:
                raise CommandError(f"组织编码“{opts['org']}”不存在。")
        else:
            org = tree.root()
            if org is None:
                raise CommandError("数据库中还没有组织。请先运行 gonghui demo 或导入组织。")
        year = clock.today().year
        try:
            end = parse_date(opts["date_to"], "截止日期") if opts["date_to"] else Period.year(year).end
            # Without --from: the start of the cut-off's year (so --to 2025-06-30 means 2025's first half).
            start = parse_date(opts["date_from"], "开始日期") if opts["date_from"] else end.replace(month=1, day=1)
            period = Period(start, end)
        except ServiceError as exc:
            raise CommandError(exc.messages[0]) from exc
        subs = not opts["own_level"]
        filters = self._filters(opts["filter"])
        metrics = {}
        for code, m in REGISTRY.items():
            # With filters, only the metrics that take every one of them: the others would print
            # unfiltered figures beside filtered ones.
            if code.startswith(opts["prefix"]) and set(filters) <= {f.name for f in m.filters}:
                try:
                    value = compute(code, org, period, subs, filters=filters)
                except ServiceError as exc:
                    raise CommandError(exc.messages[0]) from exc
                metrics[code] = {"label": m.label, "unit": m.unit, **value.as_dict()}
        if opts["json"]:
            out = {"org": {"code": org.code, "name": org.name}, "from": str(period.start), "to": str(period.end),
                   "include_subordinates": subs, "filters": filters, "metrics": metrics}
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        shown = "".join(f" {name}={value}" for name, value in filters.items())
        self.stdout.write(f"{org.name}（{org.code}） {period.label} {'含下级' if subs else '仅本级'}{shown}")
        for code, m in metrics.items():
            value = m["value"]
            if value is None:
                value = "—"
            elif isinstance(value, float):  # Decimal figures (money, rates) print with two decimals
                value = f"{value:.2f}"
            extra = f"  ({m['numerator']}/{m['denominator']})" if "denominator" in m else ""
            self.stdout.write(f"  {m['label']:<12} {value} {m['unit']}{extra}    [{code}]")

    @staticmethod
    def _filters(given: list[str]) -> dict[str, str]:
        """--filter NAME=VALUE (repeatable); a name no metric takes is an error, not an empty list."""
        known = {f.name for m in REGISTRY.values() for f in m.filters}
        out = {}
        for item in given:
            name, sep, value = item.partition("=")
            name, value = name.strip(), value.strip()
            if not sep or not name or not value:
                raise CommandError(f"筛选条件“{item}”应写作 名称=值，如 campaign=12。")
            if name not in known:
                names = "、".join(sorted(known)) or "无"
                raise CommandError(f"没有指标支持筛选条件“{name}”（可用：{names}）。")
            out[name] = value
        return out
