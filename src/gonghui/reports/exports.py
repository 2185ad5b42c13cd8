"""The reports app's exports: the standard tables (a sheet per metric group) and each work line's
registered standard table."""

from gonghui.core import exports, scope
from gonghui.core.errors import ServiceError
from gonghui.core.tables import TABLES

from . import figures as F
from . import tables


@exports.register
class StandardTables(exports.Exporter):
    key = "tables"
    title = "标准统计表"
    permission = "stats.view"

    def filename(self) -> str:
        return f"{self.org.name}统计表_{self.period.start:%Y%m%d}-{self.period.end:%Y%m%d}.xlsx"

    def build(self):
        return tables.write(self.org, self.period), 1


@exports.register
class WorkLineTable(exports.Exporter):
    """`gonghui export table --param table=petitions`: a work line's standard table (core.tables),
    the same workbook as its page's download. The table is looked up when writing, so a work line
    installed after this app is found too; its own permission is checked then (with --user)."""

    key = "table"
    title = "业务统计表"
    permission = ""  # the table's own, checked in write()
    params_help = {"table": "统计表代码，如 petitions（信访统计表）、assistance（帮扶情况统计表）、bargaining（集体协商统计表）"}

    def table(self):
        key = self.params.get("table", "")
        if key not in TABLES:
            raise ServiceError(f"统计表“{key}”不存在。可用：{'、'.join(f'{k}（{t.title}）' for k, t in TABLES.items())}。")
        return TABLES[key]

    def filename(self) -> str:
        return f"{self.org.name}{self.table().title}_{self.period.start:%Y%m%d}-{self.period.end:%Y%m%d}.xlsx"

    def build(self):
        table = self.table()
        if self.user is not None and not scope.has_perm(self.user, table.permission, self.org.path):
            raise ServiceError(f"没有查看{self.org.name}{table.title}的权限。")
        lock = F.find_lock(self.org, self.period)
        rows = tables.standard_rows(table, self.org, self.period, lock)
        return tables.export_standard(self.user, table, self.org, self.period, rows, lock), len(rows)
