"""`gonghui import KIND FILE [--dry-run] [--user USERNAME] [--map FILE] [--union CODE]`: the same
two-phase import as the web page.

Runs in this process, whatever the file's size. The sheet is read through the front door
(core.excel): the header may sit under a title block and columns may carry other names; `--map`
names what the rest are (a UTF-8 text file, one `their header = our header` a line, `= 忽略` to
leave a column out, # for comments), and `--union` gives the union of every row when the sheet
has no union column (a provincial roster filled per union). On errors it prints every one, writes the
sheet with an "错误说明" column (next to the file unless --error-report says where) and exits
non-zero; nothing is saved. --dry-run goes through the same checks and services and then
rolls everything back, so its counts are those a real run would give.
"""

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gonghui.core import excel, jobs, scope


class Command(BaseCommand):
    help = "从 Excel 导入数据。先检查全部行，有任何错误则列出全部错误、不保存任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="导入种类，如 orgs（组织）、employers（用人单位）、members（会员）")
        parser.add_argument("file", help="Excel 文件（.xlsx/.xls）；列名在前 20 行内")
        parser.add_argument("--user", help="按该账号的权限和管理范围导入（默认：以系统身份导入）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告结果，不保存任何数据")
        # The importers' own options (their `flags`), e.g. --create-employers of the member roster.
        excel.get_importer("")  # loads every app's importers
        seen = set()
        for cls in excel.IMPORTERS.values():
            for name, label, option, help_text in getattr(cls, "flags", ()):
                if option not in seen:
                    seen.add(option)
                    parser.add_argument(option, dest=name, action="store_true", help=f"{label}（{cls.title}）：{help_text}")
        parser.add_argument("--map", dest="map_file",
                            help="列对应文件（UTF-8 文本，每行“表中列名 = 系统列名”，“= 忽略”表示不导入该列）")
        parser.add_argument("--union", default="",
                            help="表中没有所在工会一列时，全部行导入到该工会（组织编码）；表中有该列时以表为准")
        parser.add_argument("--error-report",
                            help="有错误时带“错误说明”列的文件写到这里（默认：与导入文件同目录的“…-错误报告.xlsx”）")

    def handle(self, *args, kind, file, user=None, dry_run=False, error_report=None, map_file=None, union="", **opts):
        importer = excel.get_importer(kind)
        if importer is None:
            known = "、".join(sorted(excel.IMPORTERS)) or "无"
            raise CommandError(f"未知的导入种类“{kind}”。可用：{known}。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        actor = self._actor(user, importer.permission) if user else None
        data = path.read_bytes()
        flags = {name for name, *_ in getattr(importer, "flags", ())}
        other = {name: option for cls in excel.IMPORTERS.values() for name, _l, option, _h in getattr(cls, "flags", ())}
        wrong = sorted(option for name, option in other.items() if name not in flags and opts.get(name))
        if wrong:
            raise CommandError(f"导入种类“{kind}”不支持选项：{'、'.join(wrong)}。")
        options = {name: bool(opts.get(name)) for name in flags}
        mapping = read_map(Path(map_file), importer) if map_file else {}
        if union and not importer.upload_union_field:
            raise CommandError(f"导入{importer.title}不能用 --union 指定工会：表中须有工会一列。")
        run = importer(actor=actor, mapping=mapping, union=union, **options)
        try:
            result = run.run(data, dry_run=dry_run)
        except excel.ImportFileError as exc:
            message = str(exc)
            if run.union_header and not union and run.union_header in message.split("。")[0]:
                message += f"表中没有“{run.union_header}”一列时，可用 --union 指定全部行所在的工会。"
            raise CommandError(message) from exc
        if run.layout is not None and run.layout.unknown:
            shown = "、".join(f"{c.letter}列“{c.short}”" for c in run.layout.unknown)
            self.stderr.write(f"以下列未导入：{shown}（可用 --map 指定它们对应的列）。")
        if not result.ok:
            self.stderr.write("行\t列\t值\t原因")
            for e in result.errors:
                self.stderr.write(f"{e.row}\t{e.where or '—'}\t{e.value}\t{e.reason}")
            report = Path(error_report) if error_report else path.with_name(f"{path.stem}-错误报告.xlsx")
            self._write_private(report, excel.error_report(data, result.errors, importer.columns,
                                                          tmpdir=jobs.tmp_dir(), header_row=result.header_row))
            self.stderr.write(f"错误报告已写入：{report}")
            raise CommandError(f"共 {result.total} 行，发现 {len(result.errors)} 处错误，未保存任何数据。")
        if dry_run:
            self.stdout.write(f"检查通过（试运行，未保存任何数据）：共 {result.total} 行，"
                              f"将新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}。")
        else:
            self.stdout.write(f"导入{importer.title}完成：共 {result.total} 行，{result.summary}。")

    @staticmethod
    def _write_private(path: Path, content: bytes) -> None:
        # The report repeats the uploaded personal data: readable by its owner only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)

    def _actor(self, username: str, permission: str):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"账号“{username}”不存在或已停用。")
        if permission and not scope.has_perm(actor, permission):
            raise CommandError(f"账号“{username}”没有导入权限。")
        return actor


def read_map(path: Path, importer) -> dict[str, str]:
    """The --map file: {their normalised header: our header or 忽略}. Each line `their = ours`;
    blank lines and lines starting with # are skipped; a mistake is refused with its line number."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"找不到列对应文件：{path}") from None
    except UnicodeDecodeError:
        raise CommandError(f"列对应文件 {path} 不是 UTF-8 编码的文本，请另存为 UTF-8。") from None
    names, mapping = importer.names(), {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        theirs, sep, ours = (part.strip() for part in line.replace("＝", "=").partition("="))
        if not sep or not theirs or not ours:
            raise CommandError(f"列对应文件第 {number} 行应写成“表中列名 = 系统列名”：{line}")
        if ours != excel.IGNORE and names.ours(ours) is None:
            known = "、".join(c.header for c in importer.columns)
            raise CommandError(f"列对应文件第 {number} 行：“{ours}”不是导入{importer.title}的列。可用的列：{known}；"
                               f"或写“{excel.IGNORE}”。")
        mapping[excel.normalise_header(theirs)] = ours if ours == excel.IGNORE else names.ours(ours).header
    return mapping
