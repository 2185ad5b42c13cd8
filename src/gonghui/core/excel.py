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

from . import audit, sheets
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
    return value is None or (isinstance(value, str) and not value.strip())


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


def parse_date(value) -> dt.date | None:
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        m = _DATE_RE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
        if m:
            try:
                return dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                raise CellError(f"“{text}”不是有效的日期。") from None
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


def normalise_header(value) -> str:
    """Headers typed by hand: ignore spaces, a required-mark '*', full-width brackets."""
    text = re.sub(r"\s+", "", display(value)).replace("（", "(").replace("）", ")")
    return text.rstrip("*＊")


# --- rows, errors, results ----------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str  # header, or "" for the row as a whole
    value: str
    reason: str


@dataclass
class Row:
    number: int
    raw: dict[str, Any]  # field -> raw cell
    headers: dict[str, str]  # field (or service field) -> column header
    values: dict[str, Any] = field(default_factory=dict)  # field -> parsed; bad cells absent
    errors: list[RowError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # what validation found, for save_row

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
        self.errors.append(RowError(self.number, header, display(value), reason))


@dataclass
class Result:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

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


# --- the importer base ------------------------------------------------------------------------

class Importer:
    """Subclasses declare `columns` and implement the hooks; `run()` does the rest.

    Hooks, in order: `clean_row` (rules within one row), `row_keys` (natural keys that must be
    unique in the file), `check_rows` (rules over the whole file and the database), `order`
    (save order, e.g. parents first), `save_row` (call the services; return CREATED, UPDATED
    or UNCHANGED). A ServiceError raised while saving becomes an error on that row.
    """

    kind = ""
    title = ""  # what is imported, e.g. "组织"; used in pages and file names
    permission = ""
    columns: Sequence[Column] = ()
    field_headers: dict[str, str] = {}  # service field names that are not column fields
    # What the import page (core.views_import, served for every registered importer) needs:
    back = ""  # URL name of the list page the page returns to ("": the work line's main list page)
    max_mb = 10  # upload size limit of the page
    notes: Sequence[str] = ()  # shown on the import page
    max_rows = 20_000

    def __init__(self, *, actor=None, progress: Callable[[str, int, int], None] | None = None):
        self.actor = actor  # None: the system itself (CLI without --user), not scope-checked
        # progress(phase, done, total): a background job's progress bar (core.jobs); phases
        # are VALIDATING then SAVING. Called every PROGRESS_EVERY rows and at each phase's end.
        self.progress = progress

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

    def read(self, file) -> list[Row]:
        wanted = {normalise_header(c.header): c for c in self.columns}
        headers, rows = self.headers, []
        # Rows arrive one by one and only the importer's columns are kept, so memory follows what
        # is imported, not what the file holds; past max_rows the reading stops.
        with open_sheet(file_bytes(file), self.max_rows) as sheet:
            lines = iter(sheet)
            number, header = next(lines, (0, []))
            if number != 1 or all(is_empty(c) for c in header):
                raise ImportFileError("第1行应为列名（表头），但它是空的。请使用“下载模板”得到的文件。")
            index: dict[str, int] = {}
            for i, cell in enumerate(header):
                column = wanted.get(normalise_header(cell))
                if column is None:
                    continue  # extra columns such as 序号 are allowed and ignored
                if column.field in index:
                    raise ImportFileError(f"列“{column.header}”出现了不止一次。")
                index[column.field] = i
            missing = [c.header for c in self.columns if c.required and c.field not in index]
            if missing:
                raise ImportFileError(f"缺少必填列：{'、'.join(missing)}。第1行应为列名，请使用“下载模板”得到的文件。")
            for number, cells in lines:
                raw = {f: cells[i] if i < len(cells) else "" for f, i in index.items()}
                if all(is_empty(v) for v in raw.values()):
                    continue  # blank lines are not errors
                rows.append(Row(number, raw, headers))
        if not rows:
            raise ImportFileError("文件中没有数据：第2行起应为数据行。")
        if len(rows) > self.max_rows:
            raise ImportFileError(f"文件有 {len(rows)} 行，超过一次导入的上限 {self.max_rows} 行，请分批导入。")
        return rows

    def _parse_cells(self, row: Row) -> None:
        for column in self.columns:
            if column.field not in row.raw:
                row.values[column.field] = column.parse("")  # an optional column left out
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
        position = {c.header: i for i, c in enumerate(self.columns)}
        found = [e for row in rows for e in row.errors]
        return sorted(found, key=lambda e: (e.row, position.get(e.column, len(position))))

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
        self.validate(rows)
        errors = self.errors(rows)
        if errors:
            return Result(total=len(rows), errors=errors)
        return self.save(rows, dry_run=dry_run)


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
                 tmpdir: str | None = None) -> bytes:
    """The uploaded sheet back, with the bad cells shaded and a last column "错误说明",
    so the clerk corrects the file in place and uploads it again.

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
        first = next(lines, None)
        header_cells = first[1] if first and first[0] == 1 else []
        col_of = {normalise_header(h): i for i, h in enumerate(header_cells) if not is_empty(h)}
        bad = {(e.row, col_of[normalise_header(e.column)]) for e in errors if normalise_header(e.column) in col_of}
        text_cols = {col_of[h] for c in columns if c.is_text and (h := normalise_header(c.header)) in col_of}
        width = sheet.width
        ws = wb.add_worksheet(sheet.name[:31] or "Sheet1")
        for c in text_cols:
            ws.set_column(c, c, None, fmt.get(num_format=TEXT_FORMAT))
        ws.set_column(width, width, 60)
        print_ready(ws, widths=[DEFAULT_WIDTH] * width + [60], key_columns=0, title=sheet.name)
        for number, cells in itertools.chain([first] if first else [], lines):
            r = number - 1
            for c, value in enumerate(cells):
                props = {"bold": True} if r == 0 else {}
                if (number, c) in bad:
                    props["bg_color"] = "#FFC7CE"
                if c in text_cols and r > 0:
                    props["num_format"] = TEXT_FORMAT
                write_cell(ws, fmt, r, c, value, **props)
            if r == 0:
                ws.write_string(0, width, ERROR_HEADER, fmt.get(bold=True, font_color="#C00000"))
            elif number in by_row:
                text = join_messages(f"{e.column}：{e.reason}" if e.column else e.reason for e in by_row[number])
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
