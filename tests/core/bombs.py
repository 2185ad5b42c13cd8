"""Generated hostile workbooks (zip bombs), and a measuring run of the upload path in a process of
its own, so that a test can check the peak memory of reading each one.

    python -m tests.core.bombs make KIND FILE      # write one (KIND: see BOMBS)
    python -m tests.core.bombs measure FILE ROWS   # data_rows + Importer.read with max_rows=ROWS; prints JSON

`measure` prints {"refused": message or null, "rows": n, "peak_mb": this process's peak RSS,
"child_peak_mb": the parse's child's}. Every workbook is written in a streaming way (the big
ones are never in memory here either).
"""

from __future__ import annotations

import json
import os
import resource
import struct
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>")
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>")
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 "</Relationships>")
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"
COLUMNS = "ABCDEFGHIJKLMNOPQ"  # 17 columns, as a member roster has


def column(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def header_row() -> bytes:
    cells = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{"姓名" if i == 0 else "列" + c}</t></is></c>'
                    for i, c in enumerate(COLUMNS))
    return f'<row r="1">{cells}</row>'.encode()


def write_xlsx(path: Path, rows: Iterable[bytes], *, dimension: str = "", strings: Iterable[str] = (),
               level: int = 9) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for text in strings:
                f.write(f"<si><t>{text}</t></si>".encode())
            f.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            f.write(SHEET_HEAD.format(dimension=dim).encode())
            f.write(header_row())
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 1000:
                    f.write(b"".join(batch))
                    batch = []
            f.write(b"".join(batch))
            f.write(SHEET_TAIL.encode())
    return path


def roster(n: int, text: str = "张三", start: int = 2) -> Iterable[bytes]:
    """`n` rows of 17 inline-string cells holding `text`."""
    for r in range(start, start + n):
        cells = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{text}</t></is></c>' for c in COLUMNS)
        yield f'<row r="{r}">{cells}</row>'.encode()


def lie_about_size(path: Path, part: str, size: int) -> Path:
    """Patch the uncompressed size that the local header and the central directory declare for
    `part` (what a hand-made bomb does either way: claim a huge size, or hide one)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 22, size)  # local header: uncompressed size
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len].decode() == part:
            struct.pack_into("<I", data, pos + 24, size)  # central directory: uncompressed size
            break
        pos += 4
    path.write_bytes(bytes(data))
    return path


# What each bomb is. Sizes are chosen so that each is under the upload limit (10 MB, or 30 MB for
# the roster) and would need far more than 1 GB to parse naively.
def make(kind: str, path: Path) -> Path:
    if kind == "issue":
        # The attack of issue 12: 500,000 rows × 17 cells, about 1.7 GB unzipped, in a few MB.
        return write_xlsx(path, roster(500_000, "某" * 60), dimension="A1:Q500001")
    if kind == "honest-big":
        # The same attack at a tenth of the size (quicker to make): 70,000 rows, about 200 MB
        # unzipped, which the zip's directory says truthfully.
        return write_xlsx(path, roster(70_000, "某" * 30), dimension="A1:Q70001")
    if kind == "declared-huge":
        # A small sheet claiming to unpack to 1.7 GB: refused from the zip's directory alone.
        write_xlsx(path, roster(10))
        return lie_about_size(path, "xl/worksheets/sheet1.xml", 1_700_000_000)
    if kind == "hidden-size":
        # 300 MB of rows that claim to be 1 MB unzipped: a reader trusting the directory is fooled.
        write_xlsx(path, roster(150_000, "某" * 30))
        return lie_about_size(path, "xl/worksheets/sheet1.xml", 1_000_000)
    if kind == "many-rows":
        # 500,000 one-cell rows under a dimension that claims 3: only counting the rows finds them.
        rows = (f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>'.encode() for r in range(2, 500_002))
        return write_xlsx(path, rows, dimension="A1:A3")
    if kind == "dense":
        # 19,000 rows with a value in column A and one in the last column, XFD: calamine's area is
        # dense, 19,000 × 16,384 cells (about 10 GB), from 2 MB of XML.
        rows = (f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>1</v></c></row>'.encode()
                for r in range(2, 19_002))
        return write_xlsx(path, rows)
    if kind == "shared-string":
        # One 32,000-character shared string (Excel's own cell limit is 32,767), used by every cell
        # of 19,000 rows × 17 columns: calamine copies it into each cell (about 20 GB).
        rows = ((f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in COLUMNS)
                 + "</row>").encode() for r in range(2, 19_002))
        return write_xlsx(path, rows, strings=["长" * 32_000])
    if kind == "legit":
        # A real upload for comparison: 19,000 rows × 17 cells.
        return write_xlsx(path, roster(19_000, "张三丰"), level=6)
    raise SystemExit(f"unknown bomb {kind}")


BOMBS = ("issue", "honest-big", "declared-huge", "hidden-size", "many-rows", "dense", "shared-string", "legit")


def measure(path: Path, max_rows: int) -> dict:
    """The upload path of an import: the web process's row count, then the worker's read."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    django.setup()
    from gonghui.core import excel

    class Names(excel.Importer):
        kind, title = "bombs", "测试"
        columns = (excel.Column("姓名", "name", required=True),)

    Names.max_rows = max_rows
    data = path.read_bytes()
    refused, rows = None, 0
    try:
        excel.data_rows(data, max_rows)
        rows = len(Names().read(data))
    except excel.ImportFileError as exc:
        refused = str(exc)
    return {
        "refused": refused, "rows": rows,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], Path(sys.argv[3]))
    elif sys.argv[1] == "measure":
        print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3])), ensure_ascii=False))
