"""One check for a file a user uploads (a photo, a scanned sheet, a claim's papers, evidence of a
self-score): an accepted type by its suffix and by its first bytes (a renamed file of another kind
is refused), not empty, not over a size limit. Each line keeps its own types, limit and wording
(`Wording`); the checking is done here once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from gonghui.core.errors import ServiceError

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and Excel 97-2003 (.xls)
ZIP = b"PK\x03\x04"  # .docx, .xlsx
JPEG = b"\xff\xd8\xff"
SIGNATURES: dict[str, tuple[bytes, ...]] = {  # suffix: the bytes such a file starts with (none: any)
    ".pdf": (b"%PDF",), ".jpg": (JPEG,), ".jpeg": (JPEG,), ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (ZIP,), ".xlsx": (ZIP,), ".doc": (OLE,), ".xls": (OLE,), ".txt": (),
}
HEAD = max(len(m) for ms in SIGNATURES.values() for m in ms)


@dataclass(frozen=True)
class Wording:
    """A line's messages, formatted with name (the file's plain name), suffix (".pdf"), max_mb,
    size_mb and whatever the caller adds (appraisal's `what`)."""

    wrong_type: str
    empty: str
    too_big: str
    wrong_content: str
    no_name: str = ""  # empty: a file without a name is refused as a wrong type


def plain_name(name: str) -> str:
    """The file name without the folders a browser may send (C:\\照片\\a.jpg → a.jpg)."""
    return PurePath((name or "").replace("\\", "/")).name.strip()


def head(file) -> bytes:
    """The first bytes of an uploaded file, read without moving it on."""
    file.seek(0)
    out = file.read(HEAD)
    file.seek(0)
    return out


def check(name: str, size: int, first_bytes: bytes, *, types, max_bytes: int, wording: Wording,
          field: str = "file", **words) -> str:
    """The file's suffix (".pdf") when it is one of `types` (suffixes of SIGNATURES) and its
    content starts as such a file does, it is not empty and at most `max_bytes`; else a
    ServiceError in the line's wording."""
    name = plain_name(name)
    suffix = PurePath(name).suffix.lower()
    words = {"name": name, "suffix": suffix, "max_mb": max_bytes // (1024 * 1024), "size_mb": size / 1048576,
             **words}
    if not name and wording.no_name:
        raise ServiceError(wording.no_name.format(**words), field=field)
    if suffix not in types:
        raise ServiceError(wording.wrong_type.format(**words), field=field)
    if not size:
        raise ServiceError(wording.empty.format(**words), field=field)
    if size > max_bytes:
        raise ServiceError(wording.too_big.format(**words), field=field)
    signatures = SIGNATURES[suffix]
    if signatures and not first_bytes.startswith(signatures):
        raise ServiceError(wording.wrong_content.format(**words), field=field)
    return suffix
