"""Exports as registered classes (like pretix's exporters): one shape for every list a user can
download, from a page or from `gonghui export KIND`.

An app's `exports.py` registers subclasses of `Exporter` with `@register`. An exporter knows its
permission, its headers and how to yield rows for a user (always scoped: `rows()` starts from
the scope policy), and logs the access when it writes personal data (`log()`). Pages and the
command line call the same `write()`, so a download and a scripted export never differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import clock as _clock
from . import excel

REGISTRY: dict[str, type[Exporter]] = {}


class Exporter:
    key: str = ""  # e.g. "members" (`gonghui export members`)
    title: str = ""  # the Chinese name, also the file name's stem and the sheet name
    permission: str = ""
    headers: Sequence[str] = ()
    text_columns: Sequence[int] = ()  # columns written as text (codes, ID numbers)
    # Parameters the command line accepts as --param NAME=VALUE, with their Chinese help.
    params_help: Mapping[str, str] = {}

    def __init__(self, user, org=None, params: Mapping[str, Any] | None = None, period=None):
        self.user, self.org, self.period = user, org, period
        self.params = dict(params or {})
        self.written = 0

    # --- to implement ---------------------------------------------------------------------------
    def rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def log(self, n: int) -> None:
        """Record the access (core.audit.log_access) when the rows hold personal data."""

    def build(self) -> tuple[bytes, int] | None:
        """Instead of rows(): the whole workbook as the work line builds it (and logs it) for its
        own download, with its row count. None: write `rows()`."""
        return None

    # --- shared ------------------------------------------------------------------------------------
    def filename(self) -> str:
        return f"{self.title}{_clock.today():%Y%m%d}.xlsx"

    def write(self, out, *, tmpdir: str | None = None, progress=None) -> int:
        """Write the xlsx to the file object `out`; returns the number of rows."""
        built = self.build()
        if built is not None:
            content, n = built
            out.write(content)
        else:
            n = excel.write_table(out, self.headers, self.rows(), sheet_name=self.title,
                                  text_columns=self.text_columns, tmpdir=tmpdir, progress=progress)
            self.log(n)
        self.written = n
        return n


def register(cls: type[Exporter]) -> type[Exporter]:
    if not cls.key:
        raise ValueError(f"exporter {cls.__name__} has no key")
    if cls.key in REGISTRY and REGISTRY[cls.key] is not cls:
        raise ValueError(f"exporter {cls.key} registered twice")
    REGISTRY[cls.key] = cls
    return cls


def get(key: str) -> type[Exporter] | None:
    return REGISTRY.get(key)

