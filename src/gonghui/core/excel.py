"""Excel round trips: column parsers, a two-phase importer base, templates and error reports.

ARCHITECTURE §4.5. An import reads the whole first sheet (python-calamine, in a child process
with bounded memory, after the upload's sizes and rows were checked: core.sheets), checks every
cell and every row, and then either reports every error as (Excel row, column, value, reason, in
Chinese) and saves nothing, or saves everything in one transaction through the domain
services. Apps register importers in `IMPORTERS`; `get_importer()` first imports each
installed app's `imports.py` (as the admin does with `admin.py`), so core never names an app.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from xlsxwriter.utility import xl_col_to_name

from . import audit, crypto, import_aliases, sheets
from . import clock as _clock
from .errors import ServiceError, join_messages
from .money import XLSX_FORMAT as MONEY_FORMAT
from .money import is_money_header

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
ERROR_HEADER = "错误说明"
# Cells that Excel (or a CSV consumer) would run as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LAST_ROW = 1_048_575
TEXT_FORMAT = 49  # Excel's built-in "@": what is typed stays text (no lost leading zeros or digits)
VALIDATING, SAVING = "校验", "保存"  # the phases an import reports to a progress bar
PROGRESS_EVERY = 500


class CellError(ValueError):
    """A cell's value cannot be used; the message is the reason shown to the clerk."""


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not Excel, missing columns, no rows)."""


# --- cell parsers: each takes the raw calamine value ('' when empty) -----------------------

def is_empty(value) -> bool:
    # Called for every cell of an import (2.6 M times for a 100,000-row tax list): the common
    # cases first, without a function call.
    if value is None or value == "":
        return True
    return isinstance(value, str) and (value[0].isspace() or value[-1].isspace()) and not value.strip()


def display(value) -> str:
    """The value as the clerk would recognise it in an error list."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # Large whole numbers are shown in Excel's own form, so a mangled ID number looks mangled.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parse_text(value) -> str:
    return "" if is_empty(value) else display(value).strip()


def parse_code(value) -> str:
    """Codes and ID numbers must be text: a number here means Excel has already changed it."""
    if is_empty(value):
        return ""
    if isinstance(value, bool | int | float):
        raise CellError(
            f"此列须为文本，但单元格是数字（{display(value)}），Excel 可能已丢掉前导零或末几位。"
            "请先把该列设为“文本”格式，再重新录入原值。"
        )
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError("此列须为文本，但单元格是日期或时间。请先把该列设为“文本”格式，再重新录入。")
    return str(value).strip()


parse_code.as_text = True


def checked_code(check: Callable[[str], Any]) -> Callable[[Any], Any]:
    """A text-only parser followed by an identifier check (USCC, ID number) raising ServiceError."""

    def parse(value):
        code = parse_code(value)
        if not code:
            return None
        try:
            return check(code)
        except (ServiceError, ValueError) as exc:
            raise CellError(exc.messages[0] if isinstance(exc, ServiceError) else str(exc)) from exc

    parse.as_text = True
    return parse


def parse_int(value) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise CellError("应为整数。")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():  # calamine gives every number as a float
            return int(value)
        raise CellError(f"应为整数，不能是 {display(value)}。")
    text = str(value).strip().replace(",", "").replace("，", "")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CellError(f"应为整数，不能是“{value}”。")
    return int(text)


def parse_count(value) -> int | None:
    number = parse_int(value)
    if number is not None and number < 0:
        raise CellError("不能为负数。")
    return number


def parse_money(value) -> Decimal | None:
    """An amount in 元, as Decimal to the cent (never a float: 700.01 must stay 700.01 when it is
    compared with a 低保 standard). Thousands separators and a trailing 元 are accepted."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError("应为金额（元）。")
    text = value if isinstance(value, int | float) else (
        str(value).strip().replace(",", "").replace("，", "").removesuffix("元"))
    try:
        number = Decimal(str(text)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():  # "nan" passes quantize unchanged
        raise CellError(f"“{value}”不是金额，请填写数字（元）。")
    if number < 0:
        raise CellError("金额不能为负数。")
    return number


_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# A date and time written as text by another system ("2024-03-01 00:00:00"): the date is taken.
_DATE_TIME_RE = re.compile(r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")


def _date_of(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"“{text}”不是有效的日期。") from None


def parse_date(value) -> dt.date | None:
    """A date cell, or text as the sheets clerks keep write it: 2024-03-01, 2024/3/1 (yyyy/MM/dd),
    2024.03.01, 2024年3月1日, 20240301, also in full-width digits; an 8-digit number 20240301 typed
    into a number cell. A bare number such as 45352 is refused: without the cell's date format it
    cannot be told from a count."""
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool) and float(value).is_integer() \
            and 19000101 <= value <= 21001231:
        number = int(value)
        return _date_of(number // 10000, number // 100 % 100, number % 100, str(number))
    if isinstance(value, str):
        text = value.strip()
        plain = unicodedata.normalize("NFKC", text).strip()
        if (timed := _DATE_TIME_RE.fullmatch(plain)) is not None:
            plain = timed.group(1)
        m = _DATE_RE.fullmatch(plain) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", plain)
        if m:
            return _date_of(*(int(g) for g in m.groups()), text)
        raise CellError(f"“{text}”不是日期，请写成 2024-03-01 或 2024/3/1。")
    raise CellError(f"应为日期（如 2024-03-01），单元格却是 {display(value)}。请把单元格设为日期格式。")


def parse_bool(value) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in ("是", "否"):
        return text == "是"
    raise CellError(f"应填“是”或“否”，不能是“{display(value)}”。")


parse_bool.choices = ("是", "否")


def _quoted(labels: Iterable[str]) -> str:
    # Quoted, because some labels contain the list separator themselves (区域性、行业性…).
    return "、".join(f"“{label}”" for label in labels)


def choice(options: Iterable[tuple[Any, str]]) -> Callable[[Any], Any]:
    """A parser for an enumeration: the clerk writes the Chinese label, we store the value."""
    by_label = {str(label): value for value, label in options}

    def parse(value):
        if is_empty(value):
            return None
        text = display(value).strip()
        if text in by_label:
            return by_label[text]
        if len(by_label) > 8:
            raise CellError(f"“{text}”不是可选值。请从下拉列表中选择（可选值见模板的“填写说明”工作表）。")
        raise CellError(f"“{text}”不是可选值。应从下拉列表中选择：{_quoted(by_label)}。")

    parse.choices = tuple(by_label)
    return parse


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    parse: Callable[[Any], Any] = parse_text
    help: str = ""
    choices: Sequence[str] | None = None
    max_length: int | None = None
    # Other names of this column in the sheets clerks keep, besides core.import_aliases' table.
    aliases: Sequence[str] = ()

    @property
    def options(self) -> Sequence[str] | None:
        """Labels for the template's drop-down."""
        return self.choices or getattr(self.parse, "choices", None)

    @property
    def is_text(self) -> bool:
        return getattr(self.parse, "as_text", False)

    @property
    def is_date(self) -> bool:
        return self.parse is parse_date


HEADER_MARKS = "*※★☆#△▲"  # required marks before or after a header


def normalise_header(value) -> str:
    """Headers typed by hand: NFKC (full-width brackets, colons and letters become half-width),
    no spaces or line breaks, no required marks (*姓名, 姓名*)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", display(value)))
    return text.strip(HEADER_MARKS)


_HINTS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>|《[^《》]*》")


def plain_header(name: str) -> str:
    """A normalised header without its hints: 出生日期(格式:yyyy/MM/dd) and 出生日期:yyyy/MM/dd are 出生日期."""
    return _HINTS.sub("", name).split(":")[0].strip(HEADER_MARKS)


def header_names(value) -> list[str]:
    """What a header cell may be called, best first: as written, without its hints in brackets,
    its first line ("证件号码⏎(填写18位身份证)")."""
    text = display(value).strip()
    first = normalise_header(text.splitlines()[0]) if text else ""
    names = []
    for name in (normalise_header(text), plain_header(normalise_header(text)), first, plain_header(first)):
        if name and name not in names:
            names.append(name)
    return names


# --- rows, errors, results ----------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it (title rows above the header count)
    column: str  # our header, or "" for the row as a whole
    value: str
    reason: str
    col: int | None = None  # the sheet's column (0 is A), when the column is in the sheet
    source: str = ""  # the sheet's own header, when it calls our column otherwise (证件号码)

    @property
    def where(self) -> str:
        """The column as the clerk finds it in his sheet: his header, ours after it."""
        return f"{self.source}（{self.column}）" if self.source and self.column else self.column


@dataclass
class Row:
    number: int
    raw: dict[str, Any]  # field -> raw cell
    headers: dict[str, str]  # field (or service field) -> column header
    values: dict[str, Any] = field(default_factory=dict)  # field -> parsed; bad cells absent
    errors: list[RowError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # what validation found, for save_row
    # header -> (sheet column, the sheet's header when it differs): one dict shared by all rows.
    located: dict[str, tuple[int | None, str]] = field(default_factory=dict)

    def get(self, name: str, default=None):
        return self.values.get(name, default)

    def blank(self, name: str) -> bool:
        """The cell was left empty (a cell with a bad value is not blank)."""
        return is_empty(self.raw.get(name))

    def error(self, name: str | None, reason: str) -> None:
        """Attach an error to the column of `name` (a field, a service field or a header)."""
        name = name or ""
        # An unknown service field (one no column maps) is put on the row as a whole.
        header = self.headers.get(name) or (name if name in self.headers.values() else "")
        # A service names its own field ("parent"); show the cell of the column it maps to.
        source = name if name in self.raw else next(
            (f for f, h in self.headers.items() if h == header and f in self.raw), ""
        )
        value = self.raw.get(source, "")
        col, named = self.located.get(header, (None, ""))
        self.errors.append(RowError(self.number, header, display(value), reason, col, named))


@dataclass
class Result:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    header_row: int = 1  # where the sheet's header was found: the error report writes 错误说明 there

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        return f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"


def file_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if isinstance(file, str | Path):
        return Path(file).read_bytes()
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


@contextlib.contextmanager
def open_sheet(data: bytes, max_rows: int | None = None) -> Iterator[sheets.Sheet]:
    """The first sheet of an upload, checked (declared sizes, dimension, rows) and then parsed out of
    this process with bounded memory (core.sheets). Iterate it for (Excel row number, cells): row 1,
    then the rows holding a value; more than `max_rows` of those is refused as soon as it is seen."""
    try:
        sheet = sheets.open_sheet(data, max_rows)
    except sheets.SheetError as exc:
        raise ImportFileError(str(exc)) from exc
    with sheet:
        try:
            yield sheet
        except sheets.SheetError as exc:
            raise ImportFileError(str(exc)) from exc


def read_table(data: bytes, max_rows: int | None = None) -> tuple[str, list[list[Any]]]:
    """(name, cells) of the first sheet as a full table, keeping empty rows so numbers match
    Excel's. For small sheets (tests, our own exports); imports stream rows with `open_sheet`."""
    table: list[list[Any]] = []
    with open_sheet(data, max_rows) as sheet:
        for number, cells in sheet:
            table.extend([""] * sheet.width for _ in range(number - 1 - len(table)))
            table.append(cells)
        return sheet.name, table


def data_rows(data: bytes, max_rows: int | None = None) -> int:
    """How many non-blank rows follow the header: decides whether an upload runs as a job. Counted
    without parsing an xlsx (a streaming pass over its XML), so the web process stays small; more
    than `max_rows` is refused at once."""
    try:
        return sheets.count_rows(data, max_rows)
    except sheets.SheetError as exc:
        raise ImportFileError(str(exc)) from exc


# --- the front door: where the header is, which column is which ---------------------------------

HEAD_ROWS = 20  # the header is looked for in the sheet's first rows (title blocks included)
IGNORE = "忽略"  # the mapping value of a column the clerk leaves out
UPLOADED = "导入时选择的工会"  # where a union given at upload is said to come from
# The first cell of a row that ends the table: a 填表说明 block or the signatures under it.
FOOTER_MARKS = ("填表说明", "填报说明", "说明", "注:", "注1", "注①", "备注:", "附注", "附:", "填表人", "制表人",
                "审核人", "填报人", "单位负责人", "负责人:", "填表日期", "制表日期", "报送日期")
_IGNORED = {normalise_header(n) for n in import_aliases.IGNORED}
_UNIT = re.compile(r"^\s*(?:填表单位|填报单位|报送单位|单位名称|工会名称)\s*[:：]\s*(.*)$", re.S)
_UNIT_END = re.compile(r"\s{2,}|(?:填表|填报|报送|制表)?日期\s*[:：]|联系电话\s*[:：]")


@dataclass(frozen=True)
class SheetColumn:
    """A named column of the uploaded sheet's header."""

    index: int  # 0 is column A
    name: str  # as written, line breaks and runs of spaces as one space
    group: str  # the cell above it in a two-row header ("工会组织信息"), else ""
    key: str  # what a mapping names it by: the normalised name ("组/名" or "名#2" when repeated)
    names: tuple[str, ...]  # header_names(name)

    @property
    def letter(self) -> str:
        return xl_col_to_name(self.index)

    @property
    def short(self) -> str:
        """The name without its hints, as an error names the column."""
        first = self.name.splitlines()[0] if self.name else ""
        return _HINTS.sub("", unicodedata.normalize("NFKC", first)).strip().strip(HEADER_MARKS) or self.name


@dataclass
class Layout:
    """Where an importer's columns are in one sheet: the header row found, which sheet column each
    of our columns is read from, and what is left over (columns nobody knows, required ones missing)."""

    header_row: int  # the (last) header row, as Excel numbers it: data starts below it
    first_row: int  # the first header row (a group row above the names), = header_row otherwise
    columns: list[SheetColumn]
    index: dict[str, int]  # field -> sheet column
    matched: dict[int, str]  # sheet column -> our header
    sources: dict[str, str]  # our header -> the sheet's header, where it calls it otherwise
    unknown: list[SheetColumn]
    missing: list[str]  # required headers no column gives (the upload's union aside)
    repeated: list[str]  # our headers two columns claimed equally (both left unknown)
    guards: dict[str, tuple[int, import_aliases.Guard]]  # field -> (guard column, guard)
    union_column: bool  # whether the sheet gives the importer's upload_union_field
    unit: str = ""  # the 填表单位 of the title block, if it names one

    @property
    def score(self) -> int:
        return len(self.index)

    @property
    def key(self) -> str:
        """The sheet layout, for remembering a clerk's mapping: his normalised headers in order."""
        text = "\n".join(f"{c.index}:{c.key}" for c in self.columns)
        return crypto.digest("intl", text.encode()).hex()[:40]  # SHA-256; core.crypto owns hashing

    @property
    def complete(self) -> bool:
        return not (self.unknown or self.missing or self.repeated)

    def problem(self) -> str:
        """Why the sheet cannot be read as it is (missing columns), in Chinese; "" when it can."""
        if not self.missing:
            return ""
        text = f"缺少必填列：{'、'.join(self.missing)}。"
        if self.repeated:
            text += f"表中有不止一列都可作为{'、'.join(f'“{h}”' for h in self.repeated)}，请指定用哪一列。"
        if self.unknown:
            shown = "、".join(f"{c.letter}列“{c.short}”" for c in self.unknown[:8])
            text += f"表中未识别的列：{shown}{'等' if len(self.unknown) > 8 else ''}，可指定它们对应的列。"
        else:
            text += f"列名应在前 {HEAD_ROWS} 行内（本表按第 {self.header_row} 行读取），请使用“下载模板”得到的文件。"
        return text


def _blank_row(cells) -> bool:
    return all(is_empty(c) for c in cells)


def is_footer(cells) -> bool:
    """A 填表说明 / 注： / 填表人： row under the table: its first cell starts with such a word."""
    first = next((c for c in cells if not is_empty(c)), None)
    # Every mark starts with a CJK character, and NFKC keeps ASCII text ASCII: a data row (a code, a
    # number, a date in its first filled cell) is told apart without counting its cells.
    if not isinstance(first, str) or first.isascii():
        return False
    if sum(1 for c in cells if not is_empty(c)) > 8:
        return False
    return normalise_header(first).startswith(FOOTER_MARKS)


def _is_numbering(cells) -> bool:
    """The row of column numbers under a statistics form's header (1 2 3 … or 甲 乙 丙 …)."""
    filled = [display(c).strip() for c in cells if not is_empty(c)]
    if len(filled) < 3:
        return False
    stems = "甲乙丙丁戊己庚辛壬癸"
    return (filled == [str(i) for i in range(1, len(filled) + 1)]
            or (filled[0] in stems and all(f in stems or f.isdigit() for f in filled)))


def _unit_of(rows: Sequence[tuple[int, list]]) -> str:
    """The 填表单位 a title block names ("填表单位：甲镇总工会   填表日期：…")."""
    for _number, cells in rows:
        for i, cell in enumerate(cells):
            m = _UNIT.match(cell) if isinstance(cell, str) else None
            if m is None:
                continue
            value = _UNIT_END.split(m.group(1).strip())[0].strip()
            if not value:  # "填表单位：" in one cell, the name in the next
                value = next((display(c).strip() for c in cells[i + 1:] if not is_empty(c)), "")
            if value:
                return value[:100]
    return ""


class _Names:
    """An importer's lookup of sheet names: name -> (rank, column, guard). Lower ranks are better:
    a grouped alias ("工会组织信息/统一社会信用代码") -1, our header 0, our header without its hints 1,
    an alias 2, an alias without hints 3. A name two columns share equally is nobody's."""

    def __init__(self, importer: type[Importer]):
        self.table: dict[str, tuple[int, Column | None, import_aliases.Guard | None]] = {}
        for column in importer.columns:
            own = normalise_header(column.header)
            self._add(own, 0, column, None)
            self._add(plain_header(own), 1, column, None)
            for alias in import_aliases.names_for(importer.kind, column.header, column.aliases):
                name = normalise_header(alias)
                if name == own:
                    continue
                guard = import_aliases.GUARDED.get(alias)
                if "/" in name:
                    self._add(name, -1, column, guard)
                else:
                    self._add(name, 2, column, guard)
                    self._add(plain_header(name), 3, column, guard)
        self.by_header = {normalise_header(c.header): c for c in importer.columns}
        self.by_header.update({plain_header(k): c for k, c in list(self.by_header.items())
                               if plain_header(k) not in self.by_header})

    def _add(self, name: str, rank: int, column: Column, guard) -> None:
        if not name:
            return
        held = self.table.get(name)
        if held is None or rank < held[0]:
            self.table[name] = (rank, column, guard)
        elif rank == held[0] and held[1] is not column:
            self.table[name] = (rank, None, None)  # ambiguous: neither column takes it

    def match(self, sheet: SheetColumn) -> tuple[int, Column, import_aliases.Guard | None] | None:
        best = None
        group = normalise_header(sheet.group) if sheet.group else ""
        for level, name in enumerate(sheet.names):
            for key in ((f"{group}/{name}", name) if group else (name,)):
                found = self.table.get(key)
                if found is None or found[1] is None:
                    continue
                rank = found[0] * 2 + min(level, 1)
                if best is None or rank < best[0]:
                    best = (rank, found[1], found[2])
        return best

    def ours(self, header: str) -> Column | None:
        """Our column named in a mapping (by its header, with or without hints)."""
        name = normalise_header(header)
        return self.by_header.get(name) or self.by_header.get(plain_header(name))


def _sheet_columns(cells: Sequence, groups: Sequence | None = None) -> list[SheetColumn]:
    """The named columns of a header row; with `groups` (the row above), a two-row header: a name
    merged down from the upper row (its lower cell empty) is taken from there, and a group cell
    (merged across) names the group of the columns under it."""
    out, group = [], ""
    width = max(len(cells), len(groups or ()))
    for i in range(width):
        lower = cells[i] if i < len(cells) else ""
        upper = groups[i] if groups is not None and i < len(groups) else ""
        if groups is not None and not is_empty(upper):
            group = "" if is_empty(lower) else display(upper).strip()
        if is_empty(lower):
            if is_empty(upper) or groups is None:
                continue
            name, under = display(upper), ""
        else:
            name, under = display(lower), group
        name = "\n".join(" ".join(line.split()) for line in name.strip().splitlines() if line.strip())
        out.append(SheetColumn(i, name, under, "", tuple(header_names(name))))
    # Keys: the normalised name; a name the row repeats is told apart by its group, then by a count.
    first = [c.names[0] if c.names else "" for c in out]
    keys, seen = [], defaultdict(int)
    for column, name in zip(out, first, strict=True):
        key = f"{normalise_header(column.group)}/{name}" if column.group and first.count(name) > 1 else name
        seen[key] += 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return [SheetColumn(c.index, c.name, c.group, k, c.names) for c, k in zip(out, keys, strict=True)]


# --- the importer base ------------------------------------------------------------------------

class Importer:
    """Subclasses declare `columns` and implement the hooks; `run()` does the rest.

    Hooks, in order: `clean_row` (rules within one row), `row_keys` (natural keys that must be
    unique in the file), `check_rows` (rules over the whole file and the database), `order`
    (save order, e.g. parents first), `save_row` (call the services; return CREATED, UPDATED
    or UNCHANGED). A ServiceError raised while saving becomes an error on that row.

    The front door (`read`) takes the sheets clerks keep as they are: the header is looked for in
    the first HEAD_ROWS rows (a title block above it, a two-row grouped header, a 填表说明 under the
    table), a column is found under our header or any alias (core.import_aliases, `Column.aliases`),
    and `mapping` ({sheet column key: our header or IGNORE}) says what the clerk chose for the rest.
    An importer naming `upload_union_field` takes that column, when the sheet lacks it, from `union`
    (the union chosen at upload: a provincial template is filled per union and names it only in its
    填表单位 line); a sheet that has the column keeps it.
    """

    kind = ""
    title = ""  # what is imported, e.g. "组织"; used in pages and file names
    permission = ""
    columns: Sequence[Column] = ()
    field_headers: dict[str, str] = {}  # service field names that are not column fields
    upload_union_field = ""  # the column (a union code) that may come from the upload instead
    # What the import page (core.views_import, served for every registered importer) needs:
    back = ""  # URL name of the list page the page returns to ("": the work line's main list page)
    max_mb = 10  # upload size limit of the page
    notes: Sequence[str] = ()  # shown on the import page
    max_rows = 20_000

    def __init__(self, *, actor=None, progress: Callable[[str, int, int], None] | None = None,
                 mapping: dict[str, str] | None = None, union: str = ""):
        self.actor = actor  # None: the system itself (CLI without --user), not scope-checked
        # progress(phase, done, total): a background job's progress bar (core.jobs); phases
        # are VALIDATING then SAVING. Called every PROGRESS_EVERY rows and at each phase's end.
        self.progress = progress
        self.mapping = dict(mapping or {})
        self.union = (union or "").strip() if self.upload_union_field else ""
        self.layout: Layout | None = None

    def report(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            self.progress(phase, done, total)

    # hooks
    def clean_row(self, row: Row) -> None:
        pass

    def row_keys(self, row: Row) -> Iterable[tuple[str, Any]]:
        return ()

    def check_rows(self, rows: list[Row]) -> None:
        pass

    def order(self, rows: list[Row]) -> list[Row]:
        return rows

    def save_row(self, row: Row) -> str:
        raise NotImplementedError

    # machinery
    @property
    def headers(self) -> dict[str, str]:
        return {**self.field_headers, **{c.field: c.header for c in self.columns}}

    @classmethod
    def names(cls) -> _Names:
        cached = cls.__dict__.get("_names")
        if cached is None:
            cached = _Names(cls)
            cls._names = cached
        return cached

    @property
    def union_header(self) -> str:
        return next((c.header for c in self.columns if c.field == self.upload_union_field), "")

    def resolve(self, number: int, columns: list[SheetColumn], first: int | None = None) -> Layout:
        """Which sheet column gives which of our columns: the clerk's mapping first, then the best
        name (our header, then aliases); two columns claiming one of ours equally are both left
        for the clerk to choose between."""
        names = self.names()
        claims: dict[str, list[tuple[int, SheetColumn, import_aliases.Guard | None]]] = defaultdict(list)
        ignored: set[int] = set()
        for sheet in columns:
            chosen = self._mapped(sheet)
            if chosen == IGNORE:
                ignored.add(sheet.index)
                continue
            if chosen is not None:
                column = names.ours(chosen)
                if column is None:
                    raise ImportFileError(f"列的对应关系中，“{sheet.short}”对应的“{chosen}”不是本导入的列。")
                # A clerk's 证件号码 -> 公民身份号码 still needs the row's 证件类型 to be 居民身份证.
                found = names.match(sheet)
                claims[column.field].append((-10, sheet, found[2] if found and found[1] is column else None))
                continue
            if any(n in _IGNORED for n in sheet.names):
                ignored.add(sheet.index)
                continue
            found = names.match(sheet)
            if found is not None:
                claims[found[1].field].append((found[0], sheet, found[2]))
        by_field = {c.field: c for c in self.columns}
        index, matched, sources, guards, repeated = {}, {}, {}, {}, []
        for name, found in claims.items():
            found.sort(key=lambda f: f[0])
            column = by_field[name]
            if len(found) > 1 and found[0][0] == found[1][0]:
                if found[0][0] == -10:
                    raise ImportFileError(f"列的对应关系中，“{found[0][1].short}”和“{found[1][1].short}”"
                                          f"都对应“{column.header}”，只能选一列。")
                repeated.append(column.header)
                continue
            rank, sheet, guard = found[0]
            index[name] = sheet.index
            matched[sheet.index] = column.header
            if plain_header(sheet.names[0] if sheet.names else "") != plain_header(normalise_header(column.header)):
                sources[column.header] = sheet.short
            if guard is not None:
                held = next((c for c in columns if normalise_header(guard.column) in c.names), None)
                if held is not None:
                    guards[name] = (held.index, guard)
                    ignored.add(held.index)
        unknown = [c for c in columns if c.index not in matched and c.index not in ignored]
        union_column = bool(self.upload_union_field) and self.upload_union_field in index
        missing = [c.header for c in self.columns if c.required and c.field not in index
                   and not (c.field == self.upload_union_field and self.union)]
        return Layout(number, first or number, columns, index, matched, sources, unknown, missing,
                      repeated, guards, union_column)

    def _mapped(self, sheet: SheetColumn) -> str | None:
        if not self.mapping:
            return None
        for key in (sheet.key, *sheet.names):
            if key in self.mapping:
                return self.mapping[key]
        return None

    def find_layout(self, head: Sequence[tuple[int, list]]) -> Layout:
        """The header among the sheet's first rows: the row (or two rows) whose names give most of
        our columns; the earliest of equals. With no name known at all (a sheet the clerk will map),
        the first row holding most of the widest row's cells."""
        best: Layout | None = None
        for i, (number, cells) in enumerate(head):
            if _blank_row(cells) or is_footer(cells):
                continue
            found = [self.resolve(number, _sheet_columns(cells))]
            above = head[i - 1] if i else None
            if above is not None and above[0] == number - 1 and not _blank_row(above[1]):
                found.append(self.resolve(number, _sheet_columns(cells, above[1]), first=number - 1))
            for layout in found:
                if best is None or layout.score > best.score:
                    best = layout
        if best is None:
            raise ImportFileError("文件中没有数据。")
        if best.score == 0:
            counts = [(number, sum(1 for c in cells if not is_empty(c))) for number, cells in head]
            widest = max(n for _, n in counts)
            number = next(n for n, k in counts if k >= max(2, widest * 0.6) or k == widest)
            best = self.resolve(number, _sheet_columns(dict(head)[number]))
        best.unit = _unit_of([r for r in head if r[0] < best.first_row])
        return best

    @staticmethod
    def _head(lines: Iterator[tuple[int, list]]) -> tuple[list[tuple[int, list]], list[tuple[int, list]]]:
        """The rows the header is looked for in, and the first row after them (if any)."""
        head: list[tuple[int, list]] = []
        for number, cells in lines:
            if number > HEAD_ROWS:
                return head, [(number, cells)]
            head.append((number, cells))
        return head, []

    def inspect(self, file) -> Layout:
        """The layout of an upload as this importer would read it (for the mapping step)."""
        with open_sheet(file_bytes(file), self.max_rows) as sheet:
            head, _rest = self._head(iter(sheet))
            if not head:
                raise ImportFileError("文件中没有数据。")
            return self.find_layout(head)

    def read(self, file) -> list[Row]:
        headers, rows = self.headers, []
        # Rows arrive one by one and only the importer's columns are kept, so memory follows what
        # is imported, not what the file holds; past max_rows the reading stops.
        with open_sheet(file_bytes(file), self.max_rows) as sheet:
            lines = iter(sheet)
            head, pending = self._head(lines)
            if not head or all(_blank_row(cells) for _, cells in head):
                raise ImportFileError(f"前 {HEAD_ROWS} 行是空的，找不到列名（表头）。请使用“下载模板”得到的文件。")
            layout = self.layout = self.find_layout(head)
            if layout.problem():
                raise ImportFileError(layout.problem())
            index = layout.index
            located = {self.headers[f]: (i, layout.sources.get(self.headers[f], "")) for f, i in index.items()}
            fill = {}
            if self.union and not layout.union_column:
                fill = {self.upload_union_field: self.union}
                located[self.union_header] = (None, UPLOADED)
            accepted = {f: {normalise_header(a) for a in g.accept} for f, (_, g) in layout.guards.items()}
            body = itertools.chain((r for r in head if r[0] > layout.header_row), pending, lines)
            footer = 0
            for number, cells in body:
                if footer:
                    # Only text under a 填表说明; a row of data there would be lost, so it is refused.
                    if sum(1 for i in index.values() if i < len(cells) and not is_empty(cells[i])) > 2:
                        raise ImportFileError(f"第 {number} 行在第 {footer} 行的说明之下仍有数据，不会被导入。"
                                              "请把说明移到表格最后，或删去该说明行。")
                    continue
                if is_footer(cells):
                    footer = number
                    continue
                if number == layout.header_row + 1 and _is_numbering(cells):
                    continue  # 1 2 3 … under a form's header
                raw = {f: cells[i] if i < len(cells) else "" for f, i in index.items()}
                if all(is_empty(v) for v in raw.values()):
                    continue  # blank lines are not errors
                raw.update(fill)
                row = Row(number, raw, headers, located=located)
                for name, (at, guard) in layout.guards.items():
                    value = cells[at] if at < len(cells) else ""
                    if not is_empty(value) and normalise_header(value) not in accepted[name]:
                        row.error(name, guard.reason.format(value=display(value).strip()))
                rows.append(row)
        if not rows:
            raise ImportFileError(f"文件中没有数据：第 {layout.header_row} 行是列名，其下应为数据行。")
        if len(rows) > self.max_rows:
            raise ImportFileError(f"文件有 {len(rows)} 行，超过一次导入的上限 {self.max_rows} 行，请分批导入。")
        return rows

    def _parse_cells(self, row: Row) -> None:
        refused = {e.column for e in row.errors}  # a cell the front door refused (证件类型) is not parsed
        for column in self.columns:
            if column.field not in row.raw:
                row.values[column.field] = column.parse("")  # an optional column left out
                continue
            if column.header in refused:
                continue
            raw = row.raw[column.field]
            if column.required and is_empty(raw):
                row.error(column.field, "必填，不能为空。")
                continue
            try:
                value = column.parse(raw)
            except CellError as exc:
                row.error(column.field, str(exc))
                continue
            if column.max_length and isinstance(value, str) and len(value) > column.max_length:
                row.error(column.field, f"不能超过 {column.max_length} 个字（现有 {len(value)} 个）。")
                continue
            row.values[column.field] = value

    def _check_duplicates(self, rows: list[Row]) -> None:
        first: dict[tuple[str, Any], int] = {}
        for row in rows:
            for name, key in self.row_keys(row):
                if key in (None, ""):
                    continue
                seen = first.setdefault((name, key), row.number)
                if seen != row.number:
                    row.error(name, f"与第 {seen} 行重复。")

    def validate(self, rows: list[Row]) -> None:
        for i, row in enumerate(rows, start=1):
            self._parse_cells(row)
            self.clean_row(row)
            self.report(VALIDATING, i, len(rows))
        self._check_duplicates(rows)
        self.check_rows(rows)

    def errors(self, rows: list[Row]) -> list[RowError]:
        # In the order of the sheet's columns; errors on the row as a whole, or on a column the
        # sheet lacks, after them in the order of ours.
        position = {c.header: i for i, c in enumerate(self.columns)}
        found = [e for row in rows for e in row.errors]
        return sorted(found, key=lambda e: (e.row, e.col is None, e.col or 0, position.get(e.column, len(position))))

    def save(self, rows: list[Row], *, dry_run: bool = False) -> Result:
        """Save every row in one transaction; any row error rolls all of it back. A dry run
        goes through the same services and is always rolled back, so its counts are exact."""
        result = Result(total=len(rows))
        request_id = audit.current_request_id() or None
        with audit.context(source="import", request_id=request_id), transaction.atomic():
            self.save_rows(rows, result)
            result.errors = self.errors(rows)
            if result.errors:
                result.created = result.updated = result.unchanged = 0
            if result.errors or dry_run:
                transaction.set_rollback(True)
        return result

    def save_rows(self, rows: list[Row], result: Result) -> None:
        """Inside the import's transaction: save the rows, count outcomes, attach errors to rows.
        Importers with a bulk path override this and call `save_each` for the rest."""
        self.save_each(self.order(rows), result)

    def save_each(self, rows: list[Row], result: Result, done: int = 0, total: int | None = None) -> None:
        """One row at a time through `save_row`, each in its own savepoint."""
        total = len(rows) if total is None else total
        for i, row in enumerate(rows, start=done + 1):
            try:
                # A savepoint per row, so a refused row leaves nothing that later rows could see.
                with transaction.atomic():
                    outcome = self.save_row(row)
            except ServiceError as exc:
                for message in exc.messages:
                    row.error(exc.field, message)
                continue
            except PermissionDenied as exc:
                row.error("", str(exc) or "您无权对该组织执行此操作。")
                continue
            finally:
                self.report(SAVING, i, total)
            setattr(result, outcome, getattr(result, outcome) + 1)

    def run(self, file, *, dry_run: bool = False) -> Result:
        """Read, validate every cell and row, and save only if nothing is wrong."""
        rows = self.read(file)
        header_row = self.layout.header_row if self.layout else 1
        self.validate(rows)
        errors = self.errors(rows)
        if errors:
            return Result(total=len(rows), errors=errors, header_row=header_row)
        result = self.save(rows, dry_run=dry_run)
        result.header_row = header_row
        return result


IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.kind] = cls
    return cls


def get_importer(kind: str) -> type[Importer] | None:
    autodiscover_modules("imports")
    return IMPORTERS.get(kind)


# --- writing: the formula guard, templates, error reports -------------------------------------

class Formats:
    """XlsxWriter formats built once per combination of properties."""

    def __init__(self, workbook):
        self.workbook, self._cache = workbook, {}

    def get(self, **props):
        if not props:
            return None
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self.workbook.add_format(props)
        return self._cache[key]


def write_cell(ws, formats: Formats, row: int, col: int, value, **props) -> None:
    """Write one cell by its type. Text is always written as text, and text that would start
    a formula gets Excel's quote prefix (the invisible apostrophe), so it is never run.
    """
    if is_empty(value):
        if props:
            ws.write_blank(row, col, None, formats.get(**props))
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, formats.get(**props))
    elif isinstance(value, int | float | Decimal):
        ws.write_number(row, col, value, formats.get(**props))  # money and rates stay numbers
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(row, col, value, formats.get(**{**props, "num_format": "yyyy-mm-dd"}))
    else:
        text = display(value)
        if text.startswith(FORMULA_START):
            props["quote_prefix"] = True
        ws.write_string(row, col, text, formats.get(**props))


def _workbook(out, tmpdir: str | None = None):
    # strings_to_formulas off: even a stray write() never turns text into a formula. With a
    # private tmpdir, rows are flushed there as written (constant memory, for big sheets);
    # otherwise the workbook is built in memory.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    options.update({"constant_memory": True, "tmpdir": tmpdir} if tmpdir else {"in_memory": True})
    return xlsxwriter.Workbook(out, options)


def text_width(text) -> int:
    """How many Excel width units the text takes: a CJK character counts as two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in display(text))


def _width(text: str) -> int:
    return max(10, min(40, text_width(text) + 4))


DEFAULT_WIDTH = 8.43  # Excel's width of a column nobody sized
WIDTH_SAMPLE = 200  # rows an export looks at to size its columns


def _shown(value) -> str:
    # Amounts are shown with separators and cents (1,234.50); everything else as display() has it.
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{value:,.2f}"
    return display(value)


# --- printing: every exported sheet prints on A4 the same way -----------------------------------

A4_PAPER = 9  # Excel's paper size code
# What fits across an A4 portrait page inside the default margins, in Excel column-width units
# (about 7 px each at 100 %): a wider sheet prints landscape (and is then scaled to one page wide).
PORTRAIT_WIDTH = 90
LINE_HEIGHT = 16  # points per line of a wrapped cell: CJK glyphs need more than Excel's 15
PAGE_NUMBER = "第 &P 页 共 &N 页"


def wrapped_lines(text, width: float) -> int:
    """Lines the text wraps to in a column `width` units wide (a cell's padding takes about 1)."""
    usable = max(1.0, width - 1.5)
    return max(1, -(-text_width(text) // int(usable)))


def header_height(headers: Sequence[str], widths: Sequence[float]) -> float:
    """A header row high enough for its longest wrapped header: Excel does not grow a row for
    wrapped text by itself, so a long header showed only its last line ("%）")."""
    lines = max((wrapped_lines(h, w) for h, w in zip(headers, widths, strict=False)), default=1)
    return LINE_HEIGHT * lines + 4


def _header_text(text: str) -> str:
    # "&" starts a field code in a page header; the whole header is limited to 255 characters.
    return text.replace("&", "&&")[:100]


def print_ready(ws, *, widths: Sequence[float], title_rows: tuple[int, int] = (0, 0), key_columns: int = 1,
                title: str = "", period: str = "", cutoff: dt.date | None = None) -> None:
    """Page setup of an XlsxWriter sheet, so that it prints as a federation files it: A4,
    landscape when its columns are wider than a portrait page, scaled to one page wide (any
    number of pages high), the title rows (0-based, inclusive; the last is the header row) and
    the first `key_columns` columns (单位, the name) repeated on every page and frozen on
    screen, the title, period and cut-off in the page header and "第 1 页 共 3 页" in the footer.

    Per sheet, not per cell: a streamed export of a million rows costs nothing more. `widths`
    are the widths the caller set on the columns (XlsxWriter does not give them back)."""
    ws.set_paper(A4_PAPER)
    if sum(widths) > PORTRAIT_WIDTH:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    first, last = title_rows
    ws.repeat_rows(first, last)
    if key_columns:
        ws.repeat_columns(0, key_columns - 1)
    ws.freeze_panes(last + 1, key_columns)
    # A list holds what was there when it was exported; a statistics table, its period's cut-off.
    on = f"截止日期：{cutoff:%Y年%-m月%-d日}" if cutoff else f"导出日期：{_clock.today():%Y年%-m月%-d日}"
    right = f"统计期间：{period}　{on}" if period else on
    ws.set_header(f"&L{_header_text(title)}&R{_header_text(right)}", {"margin": 0.3})
    ws.set_footer(f"&C{PAGE_NUMBER}", {"margin": 0.3})


def template_note(columns: Sequence[Column], shown: int = 8) -> str:
    """What the template does for the clerk, as the import page says it: text columns, drop-downs."""

    def listed(headers: list[str]) -> str:
        return "、".join(headers[:shown]) + ("等" if len(headers) > shown else "")

    text = [c.header for c in columns if c.is_text]
    options = [c.header for c in columns if c.options]
    parts = [f"{listed(text)}列已设为文本格式" if text else "", f"{listed(options)}列有下拉选项" if options else ""]
    said = "，".join(p for p in parts if p)
    return (f"模板中的{said}；" if said else "") + "列名的批注和“填写说明”工作表说明了每一列。"


def template(columns: Sequence[Column], sheet_name: str = "导入") -> bytes:
    """An empty import sheet: headers with help comments, text format on code columns,
    drop-downs for enumerations; a second sheet explains every column."""
    out = io.BytesIO()
    wb = _workbook(out)
    fmt = Formats(wb)
    ws = wb.add_worksheet(sheet_name[:31])
    guide = wb.add_worksheet("填写说明")
    lists = wb.add_worksheet("选项")
    lists.hide()
    guide.write_row(0, 0, ["列名", "是否必填", "说明", "可选值"], fmt.get(bold=True))
    list_col = 0
    for c, column in enumerate(columns):
        head = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
        if column.required:
            head["font_color"] = "#C00000"
        ws.write_string(0, c, column.header, fmt.get(**head))
        body = {"num_format": TEXT_FORMAT} if column.is_text else {"num_format": "yyyy-mm-dd"} if column.is_date else {}
        ws.set_column(c, c, _width(column.header), fmt.get(**body))
        options = column.options
        note = ("必填。" if column.required else "选填。") + column.help
        if column.is_text:
            note += "本列为文本格式，请勿改为数字。"
        if options:
            note += "请从下拉列表中选择。"
            lists.write_column(0, list_col, list(options))
            letter = xl_col_to_name(list_col)
            ws.data_validation(1, c, LAST_ROW, c, {
                "validate": "list", "source": f"='选项'!${letter}$1:${letter}${len(options)}",
                "error_title": column.header, "error_message": "请从下拉列表中选择。",
            })
            list_col += 1
        ws.write_comment(0, c, note, {"x_scale": 2, "y_scale": 1.5})
        guide.write_row(c + 1, 0, [column.header, "是" if column.required else "", note, _quoted(options or ())])
    print_ready(ws, widths=[_width(c.header) for c in columns], key_columns=0, title=sheet_name)
    guide.set_column(0, 0, 24)
    guide.set_column(2, 3, 60)
    wb.close()
    return out.getvalue()


def error_report(file_bytes: bytes, errors: Sequence[RowError], columns: Sequence[Column] = (),
                 tmpdir: str | None = None, header_row: int = 1) -> bytes:
    """The uploaded sheet back, with the bad cells shaded and a column "错误说明" after the last,
    so the clerk corrects the file in place and uploads it again. Title rows above the header
    (`header_row`, where the import found it) and 说明 rows under the table come back as they were.

    Written strictly row by row as the rows stream in, so a big sheet can use constant memory
    (pass `tmpdir`). Blank rows are left out (they have no cells to write)."""
    by_row: dict[int, list[RowError]] = defaultdict(list)
    for e in errors:
        by_row[e.row].append(e)
    out = io.BytesIO()
    wb = _workbook(out, tmpdir)
    fmt = Formats(wb)
    with open_sheet(file_bytes) as sheet:
        lines = iter(sheet)
        head: list[tuple[int, list]] = []
        for number, cells in lines:  # up to the header row, to find our columns in it
            head.append((number, cells))
            if number >= header_row:
                break
        header_cells = head[-1][1] if head and head[-1][0] == header_row else []
        col_of = {normalise_header(h): i for i, h in enumerate(header_cells) if not is_empty(h)}
        bad = {(e.row, e.col if e.col is not None else col_of.get(normalise_header(e.column))) for e in errors}
        text_cols = {col_of[h] for c in columns if c.is_text and (h := normalise_header(c.header)) in col_of}
        width = sheet.width
        ws = wb.add_worksheet(sheet.name[:31] or "Sheet1")
        for c in text_cols:
            ws.set_column(c, c, None, fmt.get(num_format=TEXT_FORMAT))
        ws.set_column(width, width, 60)
        print_ready(ws, widths=[DEFAULT_WIDTH] * width + [60], title_rows=(header_row - 1, header_row - 1),
                    key_columns=0, title=sheet.name)
        for number, cells in itertools.chain(head, lines):
            r = number - 1
            for c, value in enumerate(cells):
                props = {"bold": True} if number == header_row else {}
                if (number, c) in bad:
                    props["bg_color"] = "#FFC7CE"
                if c in text_cols and number > header_row:
                    props["num_format"] = TEXT_FORMAT
                write_cell(ws, fmt, r, c, value, **props)
            if number == header_row:
                ws.write_string(r, width, ERROR_HEADER, fmt.get(bold=True, font_color="#C00000"))
            elif number in by_row:
                text = join_messages(f"{e.where}：{e.reason}" if e.column else e.reason for e in by_row[number])
                write_cell(ws, fmt, r, width, text, font_color="#C00000", text_wrap=True)
    wb.close()
    return out.getvalue()


def write_table(out, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_name: str = "导出",
                text_columns: Iterable[int] = (), tmpdir: str | None = None,
                progress: Callable[[int], None] | None = None) -> int:
    """An export: a bold header row, then `rows`; returns how many rows were written.

    XlsxWriter's constant-memory mode flushes each row to a temporary file as it is written,
    so 100,000 rows cost little memory; `tmpdir` keeps those files (personal data) in a
    private folder. Every cell goes through `write_cell`, so text that starts with = + - @
    is written with the quote prefix and never run as a formula. `progress(n)` is called
    every PROGRESS_EVERY rows.
    """
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    if tmpdir:
        options["tmpdir"] = tmpdir
    wb = xlsxwriter.Workbook(out, options)
    fmt = Formats(wb)
    ws = wb.add_worksheet(sheet_name[:31])
    text = set(text_columns)
    # Amounts stay numbers (they add up in Excel) shown as 1,234.50: the header names the unit.
    money = {c for c, header in enumerate(headers) if is_money_header(header)}
    # Widths from the header and the first rows (an ID number needs 20, not the header's 12);
    # the rows are only peeked at, so a million-row export still streams.
    rows = iter(rows)
    first = list(itertools.islice(rows, WIDTH_SAMPLE))
    widths = [max([_width(h), *(_width(_shown(r[c])) for r in first if c < len(r))]) for c, h in enumerate(headers)]
    head = fmt.get(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True, valign="vcenter")
    ws.set_row(0, header_height(headers, widths))
    for c, header in enumerate(headers):
        ws.set_column(c, c, widths[c], fmt.get(num_format=TEXT_FORMAT) if c in text else None)
        ws.write_string(0, c, header, head)
    print_ready(ws, widths=widths, title=sheet_name)
    rows = itertools.chain(first, rows)
    n = 0
    for n, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells):
            if c in money:
                write_cell(ws, fmt, n, c, value, num_format=MONEY_FORMAT)
            else:
                write_cell(ws, fmt, n, c, value)
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    wb.close()
    return n
