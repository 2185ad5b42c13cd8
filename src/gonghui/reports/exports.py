"""The reports app's exports: the standard tables (a sheet per metric group)."""

from gonghui.core import exports

from . import tables


@exports.register
class StandardTables(exports.Exporter):
    key = "tables"
    title = "标准统计表"
    permission = "stats.view"

    def filename(self) -> str:
        return f"{self.org.name}统计表_{self.period.start:%Y%m%d}-{self.period.end:%Y%m%d}.xlsx"

    def write(self, out, *, tmpdir=None, progress=None) -> int:
        content = tables.write(self.org, self.period)
        out.write(content)
        self.written = 1
        return 1
