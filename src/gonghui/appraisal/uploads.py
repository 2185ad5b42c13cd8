"""Files of the appraisal line (evidence of self-scores, file fields of a round's form): the
accepted types and sizes, and the private folder under DATA_DIR they are kept in. Checking is
separate from writing so that a service can check every file before it saves anything."""

from __future__ import annotations

import os
import secrets
from pathlib import Path, PurePath

from django.conf import settings

from gonghui.core import uploads

TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt")
TYPES_TEXT = "PDF、图片（JPG、PNG）、Word、Excel 或文本文件"
MAX_MB = 10  # the default and the most a form's file field may allow
MAX_PER_ENTRY = 10


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "appraisal"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def clean_name(name: str) -> str:
    return uploads.plain_name(name)[:200]


WORDING = uploads.Wording(
    no_name="{what}缺少文件名。", wrong_type="{what}“{name}”的类型不允许：只能上传" + TYPES_TEXT + "。",
    empty="{what}“{name}”是空文件。", too_big="{what}“{name}”超过 {max_mb} MB。",
    wrong_content="{what}“{name}”的内容与扩展名 {suffix} 不符，请上传原始文件。")


def check(name: str, content: bytes, what: str, max_mb: int = MAX_MB, field: str = "file") -> str:
    """The file's plain name if its type (by suffix and content) and size are accepted; else a
    message naming `what`."""
    name = clean_name(name)
    uploads.check(name, len(content), content[:uploads.HEAD], types=TYPES, max_bytes=max_mb * 1024 * 1024,
                  wording=WORDING, field=field, what=what)
    return name


def write(name: str, content: bytes) -> str:
    """Keep the content under a new random name (mode 600); returns that name."""
    stored = secrets.token_hex(16) + PurePath(name).suffix.lower()
    fd = os.open(folder() / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    return stored


def discard(stored_names) -> None:
    for stored in stored_names:
        (folder() / stored).unlink(missing_ok=True)


def open_file(stored: str):
    return (folder() / stored).open("rb")
