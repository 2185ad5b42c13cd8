"""Uploads cannot exhaust memory (issue 12, item 3): generated zip bombs, each under the upload
size limit, are refused with a clear Chinese message, and the peak memory of reading them, measured
in a process of its own (the parse's child included), stays under 1 GB; a real sheet of the same
size is read. Before this change calamine built the whole first sheet in the calling process:
the 500,000-row sheet of the issue took 3.7 GB there, a dense one tried to allocate 10 GB.
"""

import io
import json
import subprocess
import zipfile

import pytest

from gonghui.core import excel, sheets

from . import bombs, procs

MAX_ROWS = 20_000  # the default importer's limit: its sheet may unzip to 39 MB
UPLOAD_LIMIT = 10 * 1024 * 1024  # the default import page's limit
PEAK_LIMIT_MB = 1024

EXPECTED = {
    "honest-big": "文件解压后过大：工作表约",
    "declared-huge": "文件解压后过大：工作表约 1.6 GB",
    "hidden-size": "文件已损坏或结构异常",
    "many-rows": "文件超过一次导入的上限 20,000 行（到第 20,002 行仍有数据）",
    "dense": "文件内容过大，读取时超出了上限",
    "shared-string": "文件内容过大，读取时超出了上限",
    "legit": None,
}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    return {kind: bombs.make(kind, folder / f"{kind}.xlsx") for kind in EXPECTED}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_a_bomb_is_refused_within_the_memory_limit(made, kind, tmp_path):
    path = made[kind]
    assert path.stat().st_size < UPLOAD_LIMIT
    result = subprocess.run([procs.PYTHON, "-m", "tests.core.bombs", "measure", str(path), str(MAX_ROWS)],
                            cwd=procs.ROOT, env=procs.env_for(tmp_path), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout)
    if EXPECTED[kind] is None:
        assert (measured["refused"], measured["rows"]) == (None, 19_000)
    else:
        assert EXPECTED[kind] in measured["refused"]
    assert measured["peak_mb"] < PEAK_LIMIT_MB and measured["child_peak_mb"] < PEAK_LIMIT_MB, measured


def xlsx_bytes(sheet_xml: bytes, **extra: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", bombs.WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", bombs.WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, content in extra.items():
            z.writestr(name, content)
    return out.getvalue()


def test_the_row_count_follows_values_not_markup():
    # Blank formatted rows (self-closed, or cells without a value) do not count; rows without r=""
    # are numbered in order; a namespace prefix, as some writers use, is understood.
    sheet = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<x:dimension ref="A1:B1048576"/><x:sheetData>'
             b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>h</x:t></x:is></x:c></x:row>'
             b'<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c></x:row>'
             + b'<x:row r="3" s="1" customFormat="1"/>' * 1000
             + b'<x:row r="1004"><x:c r="A1004" s="2"/></x:row>'
             b'<x:row><x:c><x:v>2</x:v></x:c></x:row>'
             b"</x:sheetData></x:worksheet>")
    found = sheets.inspect(xlsx_bytes(sheet), MAX_ROWS)
    assert (found.kind, found.rows, found.declared) == ("xlsx", 2, "A1:B1048576")
    with pytest.raises(sheets.SheetError, match="上限 1 行（到第 1,005 行仍有数据）"):
        sheets.inspect(xlsx_bytes(sheet), 1)


def test_too_many_zip_entries_are_refused_before_the_directory_is_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(sheets.MAX_ENTRIES + 1):
            z.writestr(f"x/{i}", b"")
    with pytest.raises(excel.ImportFileError, match="条目"):
        excel.data_rows(out.getvalue())


def test_a_sheet_is_read_row_by_row_with_excel_numbers(tmp_path):
    rows = [b'<row r="2"><c r="C2" t="inlineStr"><is><t>x</t></is></c></row>',
            b'<row r="5"><c r="A5"><v>7</v></c></row>']
    path = bombs.write_xlsx(tmp_path / "s.xlsx", rows)
    with excel.open_sheet(path.read_bytes()) as sheet:
        got = list(sheet)
    assert sheet.name == "名册" and got[0][0] == 1 and got[0][1][0] == "姓名"
    assert [(n, cells[:3]) for n, cells in got[1:]] == [(2, ["", "", "x"]), (5, [7.0, "", ""])]
    name, table = excel.read_table(path.read_bytes())
    assert len(table) == 5 and table[4][0] == 7.0 and table[2] == [""] * 17


def test_a_word_template_that_unpacks_to_hundreds_of_megabytes_is_refused(tree, personas, tmp_path):
    """The summary template upload (a .docx is a zip too): 200 MB of paragraphs in a few hundred KB
    would have been parsed by python-docx in the web process."""
    import docx

    from gonghui.core.errors import ServiceError
    from gonghui.reports import services
    from gonghui.reports.models import SummaryTemplate

    buf = io.BytesIO()
    docx.Document().save(buf)
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info))
        with out.open("word/document.xml", "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
                    b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            paragraph = b"<w:p><w:r><w:t>{{ title }}</w:t></w:r></w:p>" * 1000
            for _ in range(200 * 1024 * 1024 // len(paragraph)):
                f.write(paragraph)
            f.write(b"</w:body></w:document>")
    assert len(bomb.getvalue()) < 10 * 1024 * 1024
    with pytest.raises(ServiceError, match="模板解压后过大（约 20[01] MB），超过上限 128 MB"):
        services.template_upload(actor=personas.county_admin, org=tree.root, name="总结.docx",
                                 content=bomb.getvalue())
    assert not SummaryTemplate.objects.exists()
