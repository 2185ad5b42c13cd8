"""Files of the appraisal line (evidence of self-scores, file fields of a round's form): the
accepted types and sizes, and the private folder under DATA_DIR they are kept in. Checking is
separate from writing so that a service can check every file before it saves anything."""

from __future__ import annotations

import os
import secrets
from pathlib import Path, PurePath

from django.conf import settings

from gonghui.core.errors import ServiceError

TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt")
TYPES_TEXT = "PDF、图片（JPG、PNG）、Word、Excel 或文本文件"
MAX_MB = 10  # the default and the most a form's file field may allow
MAX_PER_ENTRY = 10


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "appraisal"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def clean_name(name: str) -> str:
    return PurePath((name or "").replace("\\", "/")).name.strip()[:200]


def check(name: str, content: bytes, what: str, max_mb: int = MAX_MB, field: str = "file") -> str:
    """The file's plain name if its type and size are accepted; else a message naming `what`."""
    name = clean_name(name)
    if not name:
        raise ServiceError(f"{what}缺少文件名。", field=field)
    if not name.lower().endswith(TYPES):
        raise ServiceError(f"{what}“{name}”的类型不允许：只能上传{TYPES_TEXT}。", field=field)
    if not content:
        raise ServiceError(f"{what}“{name}”是空文件。", field=field)
    if len(content) > max_mb * 1024 * 1024:
        raise ServiceError(f"{what}“{name}”超过 {max_mb} MB。", field=field)
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
