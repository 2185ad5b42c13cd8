"""`gonghui export annual-report --org CODE --year Y`: the annual statistics report (reports/annual.py),
the same workbook as the download on the reports pages."""

from gonghui.core import exports, scope
from gonghui.core.errors import ServiceError
from gonghui.core.params import MAX_YEAR, MIN_YEAR

from . import annual


@exports.register
class AnnualReport(exports.Exporter):
    key = "annual-report"
    title = annual.TITLE
    permission = "stats.view"
    params_help = {"year": "统计年度，如 2025（默认：截止日期所在年；也可用 --year）"}

    def year(self) -> int:
        raw = str(self.params.get("year") or "").strip()
        if not raw:
            return self.period.end.year
        if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
            raise ServiceError(f"统计年度“{raw}”不正确，请填写{MIN_YEAR}—{MAX_YEAR}之间的年份，如 2025。")
        return int(raw)

    def report(self):
        if not hasattr(self, "_report"):
            self._report = annual.build(self.org, self.year())
        return self._report

    def filename(self) -> str:
        return annual.filename(self.report())

    def build(self):
        if self.user is not None and not scope.has_perm(self.user, self.permission, self.org.path):
            raise ServiceError(f"没有查看{self.org.name}统计数据的权限。")
        report = self.report()
        return annual.write(report), len(report.table1) + len(report.table2)
