"""Reading an uploaded sheet without letting the file take the server's memory.

An .xlsx is a zip of XML: a 9 MB upload held 500,000 rows × 17 cells (1.7 GB unzipped), and
calamine, which builds the whole first sheet in memory (about 100 bytes a cell) before we see a
row, took a web worker to 7.6 GB. So an upload is read in two steps:

1. `inspect` (in this process, constant memory): for a zip, the number of entries (from the end
   record, before the directory is parsed), no duplicate or encrypted entries, the declared
   uncompressed size of the parts calamine reads (the first sheet, the shared strings, styles,
   the workbook) against limits that follow from the importer's row limit, the sheet's declared
   dimension, and then a streaming pass over the sheet's XML that counts the rows holding a value
   and stops past the row limit. Python's zipfile never yields more than an entry's declared size
   and checks its CRC, so a zip that lies about a size is refused as damaged.
2. `open_sheet` parses it with calamine in a child process (`python -m gonghui.core.sheets`)
   with an address-space and a CPU-time limit, and streams the rows back in batches, stopping at
   the row limit. Whatever a file does (an .xls or .ods, which have no zip to inspect, a shared
   string repeated in every cell, a stray cell far to the right that makes calamine's area dense),
   it can exhaust only the child, which then fails with a clear message, never the caller.

The child imports no Django: it needs only python-calamine and this module.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MB = 1024 * 1024
MEMORY_LIMIT = int(os.environ.get("GONGHUI_SHEET_MEMORY_MB", "900")) * MB  # the child's address space
CPU_LIMIT = 300  # seconds of CPU the child may use
MAX_ENTRIES = 10_000  # zip entries; an Excel workbook has a few dozen
PART_LIMIT = 32 * MB  # workbook.xml, its relationships, styles.xml: small in any real workbook
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
ROW_BYTES_LIMIT = 16 * MB  # the XML of a single row
BATCH = 1000  # rows per message from the child

UNREADABLE = "无法读取该文件：请上传 Excel 文件（.xlsx 或 .xls），且不要加密码。"
DAMAGED = "文件已损坏或结构异常（压缩包内的记录与实际内容不符），无法读取。请在 Excel 中打开后另存为 .xlsx 再上传。"
TOO_BIG = ("文件内容过大，读取时超出了上限（解压后的数据太多，或表格结构异常）。"
           "请删除多余的行、列和格式，或分批导入。")


class SheetError(ValueError):
    """The file cannot be read; the message (Chinese) is for the user."""


def sheet_limit(max_rows: int | None) -> int:
    """Largest uncompressed sheet XML we read: about 600 bytes a row for a 17-column roster, so
    2 KB a row leaves room for wide sheets and inline strings."""
    return max(32 * MB, (max_rows or 0) * 2048)


def strings_limit(max_rows: int | None) -> int:
    return max(16 * MB, (max_rows or 0) * 1024)


def _size(n: int) -> str:
    return f"{n / 1024 / MB:.1f} GB" if n >= 1024 * MB else f"{max(1, round(n / MB))} MB"


def too_many(max_rows: int, number: int) -> SheetError:
    return SheetError(f"文件超过一次导入的上限 {max_rows:,} 行（到第 {number:,} 行仍有数据），请分批导入。")


# --- 1. inspection of an xlsx in this process -------------------------------------------------

@dataclass(frozen=True)
class Inspection:
    kind: str  # "xlsx", or "other" (not a zip: .xls; or a zip that is not an xlsx workbook)
    rows: int | None = None  # data rows holding a value (after the header row), for an xlsx
    declared: str = ""  # the sheet's declared dimension, e.g. "A1:Q500001"


_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_ROW_TAG = re.compile(rb"<(\w+:)?row\b")


def _entry_count(data: bytes) -> int | None:
    """Entries in the zip's end record, read before zipfile parses the directory (a directory of
    millions of entries would itself cost memory). None when there is no end record."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    return struct.unpack("<H", data[end + 10:end + 12])[0]


def _first_sheet_part(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """The part name of the workbook's first sheet (the one calamine reads), from workbook.xml and
    its relationships; None if the zip is not laid out as an xlsx workbook."""
    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if part not in names or z.getinfo(part).file_size > PART_LIMIT:
            return None
    sheet = _SHEET_TAG.search(z.read("xl/workbook.xml"))
    rid = sheet and next((v for k, v in _ATTR.findall(sheet.group(0)) if k.endswith(b":id")), None)
    if not rid:
        return None
    for tag in _REL_TAG.findall(z.read("xl/_rels/workbook.xml.rels")):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get(b"Id") == rid:
            target = attrs.get(b"Target", b"").decode("utf-8", "replace")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target.removeprefix("./")
    return None


def inspect(data: bytes, max_rows: int | None = None) -> Inspection:
    """Check an upload before anything parses it (see the module's docstring). Raises SheetError
    with the reason; returns what was learnt. Cost: one decompression of the first sheet's XML,
    with a regular expression over its rows (about a second for 150,000 rows), in constant memory."""
    if not data.startswith(b"PK"):
        return Inspection("other")
    count = _entry_count(data)
    if count is None:
        raise SheetError(UNREADABLE)
    if count == 0xFFFF or count > MAX_ENTRIES:
        raise SheetError(f"文件结构异常：压缩包内有 {count:,} 个以上的条目。" + "请在 Excel 中打开后另存为 .xlsx 再上传。")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
        names = {i.filename for i in infos}
        if len(names) != len(infos):
            raise SheetError(DAMAGED)
        if any(i.flag_bits & 0x1 for i in infos):
            raise SheetError(UNREADABLE)
        part = _first_sheet_part(z, names)
        if part is None or part not in names:
            return Inspection("other")  # e.g. an .ods: the child reads it, bounded
        limits = {part: sheet_limit(max_rows), "xl/sharedStrings.xml": strings_limit(max_rows),
                  "xl/styles.xml": PART_LIMIT}
        for name, limit in limits.items():
            if name in names and z.getinfo(name).file_size > limit:
                what = {"xl/sharedStrings.xml": "文字表（共享字符串）", "xl/styles.xml": "格式表"}.get(name, "工作表")
                raise SheetError(f"文件解压后过大：{what}约 {_size(z.getinfo(name).file_size)}，超过上限 "
                                 f"{_size(limit)}。" + (f"请分批导入（每次不超过 {max_rows:,} 行）。" if max_rows else ""))
        return _scan(z, part, max_rows)
    except SheetError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        # A bad CRC (an entry that lies about its size), a truncated or malformed zip.
        raise SheetError(DAMAGED) from exc


def _scan(z: zipfile.ZipFile, part: str, max_rows: int | None) -> Inspection:
    """Stream the sheet's XML and count the rows that hold a value, stopping past `max_rows`.

    Split on the closing row tag (C speed, linear whatever the XML is); each piece then holds one
    row from its last opening tag, with blank self-closed rows before it. Per row: its number from
    r="", and whether it has a <v> or <is> (a value or an inline string)."""
    declared, rows, number = "", 0, 0
    with z.open(part) as stream:
        chunk = stream.read(MB)
        found = _DIMENSION.search(chunk[:65_536])
        declared = found.group(1).decode() if found else ""
        tag = _ROW_TAG.search(chunk)
        prefix = (tag.group(1) or b"") if tag else b""  # e.g. x: in files written by .NET
        opening, closing = b"<" + prefix + b"row", b"</" + prefix + b"row>"
        values = tuple(b"<" + prefix + name for name in (b"v>", b"v ", b"is>", b"is "))
        pending = b""
        while chunk:
            pieces = (pending + chunk).split(closing)
            pending = pieces.pop()  # an unfinished row, or what follows the rows
            for piece in pieces:
                start = piece.rfind(opening)
                end = piece.find(b">", start)
                if start < 0 or end < 0:
                    continue
                given = piece.find(b' r="', start, end)
                number = int(piece[given + 4:piece.find(b'"', given + 4)] or 0) if given >= 0 else number + 1
                body = piece[end + 1:]
                if number > 1 and any(v in body for v in values):
                    rows += 1
                    if max_rows is not None and rows > max_rows:
                        raise too_many(max_rows, number)
            if len(pending) > ROW_BYTES_LIMIT:
                # Blank self-closed rows (formatting only) may run on for megabytes: drop them.
                last = pending.rfind(opening)
                pending = pending[max(last, 0):]
                if len(pending) > ROW_BYTES_LIMIT:
                    raise SheetError(f"第 {number + 1:,} 行的内容超过 {_size(ROW_BYTES_LIMIT)}，无法导入。")
            chunk = stream.read(MB)
    return Inspection("xlsx", rows, declared)


def check_zip(data: bytes, *, part_limit: int, total_limit: int, what: str = "文件") -> None:
    """For an upload that is a zip read by Python's zipfile (a .docx template): refuse one whose
    parts would unpack to more than the limits. zipfile never yields more than a part's declared
    size and checks its CRC, so the declared sizes bound what any reader of it will get."""
    if not data.startswith(b"PK"):
        return  # not a zip at all: the reader says what is wrong with it
    count = _entry_count(data)
    if count is not None and (count == 0xFFFF or count > MAX_ENTRIES):
        raise SheetError(f"{what}结构异常：压缩包内有 {count:,} 个以上的条目。")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return  # damaged: the reader refuses it with its own message
    total = sum(i.file_size for i in infos)
    biggest = max((i.file_size for i in infos), default=0)
    if biggest > part_limit or total > total_limit:
        raise SheetError(f"{what}解压后过大（约 {_size(total)}），超过上限 {_size(total_limit)}，"
                         f"其中最大的部分约 {_size(biggest)}（上限 {_size(part_limit)}）。")


# --- 2. parsing in a child process ------------------------------------------------------------

class _Unpickler(pickle.Unpickler):
    """Only the types a cell can hold: should a crafted file ever take over the child, what it
    sends back still cannot name any other class (the "restricting globals" recipe)."""

    CELL_TYPES = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module, name):
        if (module, name) in self.CELL_TYPES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell type")


class Sheet:
    """The first sheet of an upload, parsed by a bounded child process. Iterate for
    (Excel row number, cells): row 1 always (the header), then only rows holding a value, each
    padded from column A. Use as a context manager: leaving it stops the child."""

    def __init__(self, data: bytes, max_rows: int | None = None):
        self.max_rows = max_rows
        self.name, self.width = "", 0
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "gonghui.core.sheets", str(max_rows or 0), str(MEMORY_LIMIT), str(CPU_LIMIT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        try:
            self._proc.stdin.write(data)
            self._proc.stdin.close()
        except BrokenPipeError:  # the child died at once (its limits); _next says why
            pass
        try:
            head = self._next()
        except BaseException:
            self.close()
            raise
        self.name, self.width = head[1], head[2]

    def _next(self):
        try:
            message = _Unpickler(self._proc.stdout).load()  # noqa: S301 - our child, cell types only
        except (EOFError, pickle.UnpicklingError, OSError):
            self._proc.wait()
            # Killed by its memory or CPU limit (SIGABRT from a failed allocation, SIGKILL,
            # SIGXCPU), or MemoryError: the file needs more than any real sheet does.
            raise SheetError(TOO_BIG) from None
        if message[0] == "error":
            raise SheetError(message[1])
        if message[0] == "too_many":
            raise too_many(self.max_rows or 0, message[1])
        return message

    def __iter__(self) -> Iterator[tuple[int, list]]:
        while True:
            message = self._next()
            if message[0] == "end":
                return
            yield from message[1]

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.stdout.close()
        self._proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_sheet(data: bytes, max_rows: int | None = None) -> Sheet:
    """Inspect, then parse in the bounded child. Raises SheetError with the user's reason."""
    inspect(data, max_rows)
    return Sheet(data, max_rows)


def count_rows(data: bytes, max_rows: int | None = None) -> int:
    """Data rows holding a value (after the header row): from the streaming inspection for an
    xlsx, else by the child (an .xls has at most 65,536 rows)."""
    found = inspect(data, max_rows)
    if found.rows is not None:
        return found.rows
    with Sheet(data, max_rows) as sheet:
        return sum(1 for number, _ in sheet if number > 1)


# --- the child ---------------------------------------------------------------------------------

def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _child(max_rows: int, memory: int, cpu: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    from python_calamine import CalamineError, CalamineWorkbook

    out = sys.stdout.buffer

    def send(message) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    data = sys.stdin.buffer.read()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            send(("error", "文件中没有工作表。"))
            return
        name = workbook.sheet_names[0]
        table = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except MemoryError:
        send(("error", TOO_BIG))
        return
    except CalamineError:
        send(("error", UNREADABLE))
        return
    except BaseException:  # noqa: BLE001 - a panic in the Rust parser (pyo3 PanicException) on a malformed file
        send(("error", UNREADABLE))
        return
    del workbook, data
    width = max((len(r) for r in table), default=0)
    send(("sheet", name, width))
    batch, rows = [], 0
    for index, cells in enumerate(table):
        table[index] = None  # what has been sent is freed
        number = index + 1
        if number > 1:
            if all(_is_blank(c) for c in cells):
                continue
            rows += 1
            if max_rows and rows > max_rows:
                send(("too_many", number))
                return
        if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells):
            send(("error", f"第 {number:,} 行有单元格超过 {MAX_CELL_CHARS:,} 个字（Excel 单元格的上限），无法导入。"))
            return
        batch.append((number, cells))
        if len(batch) >= BATCH:
            send(("rows", batch))
            batch = []
    if batch:
        send(("rows", batch))
    send(("end", rows))
    out.flush()


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
