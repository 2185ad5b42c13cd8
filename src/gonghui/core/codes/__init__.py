"""National code tables as data (issue 17): each table knows its standard and version, its codes,
their labels and every other spelling a clerk's sheet may hold, and turns any of them into the code.

A cell of an official sheet may hold the code ("01"), the standard label (中国共产党党员), a short
label (中共党员) or a misspelling an official drop-down list carried. `Table.code_of` accepts all of
them after `norm` (NFKC: full-width letters, digits and brackets become half-width; spaces go), so
"待（下）岗" and "待(下)岗" are one value. We store the code; pages and exports show the label
(`Table.label`), exports write codes on request.

Tables are registered by key (`register`, `get`); small ones are declared in Python modules of this
package, large ones (GB/T 2260, GB/T 4754) are read lazily from CSV files under `data/`.
Hierarchical tables (GB/T 4658 学历, GB/T 4754 行业, GB/T 2260 行政区划) give each code its parent,
so a figure can roll a detailed code up to its group (`Table.top`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

_SPACES = re.compile(r"\s+")


def norm(text: Any) -> str:
    """The form two spellings of one value share: NFKC (full width → half width), no spaces."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)  # calamine reads a code typed as a number as 1.0
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text)))


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    aliases: tuple[str, ...] = ()  # other labels and known misspellings that mean this code
    parent: str = ""  # the code one level up in a hierarchical table
    extension: bool = False  # ours, not in the standard (kept for data the standard cannot express)


@dataclass
class Table:
    key: str  # how code calls it, e.g. "political"
    name: str  # 政治面貌
    standard: str  # GB/T 4762-1984
    codes: tuple[Code, ...] | Callable[[], Iterable[Code]]  # a callable loads a big table lazily
    # Codes written as numbers lose their leading zeros in Excel ("01" → 1): pad back to this width.
    width: int = 0
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    @cached_property
    def entries(self) -> tuple[Code, ...]:
        return tuple(self.codes() if callable(self.codes) else self.codes)

    @cached_property
    def by_code(self) -> dict[str, Code]:
        return {c.code: c for c in self.entries}

    @cached_property
    def lookup(self) -> dict[str, str]:
        """norm(code or label or alias) → code. Labels win over aliases; a code wins over both."""
        found: dict[str, str] = {}
        for c in self.entries:
            for alias in c.aliases:
                found.setdefault(norm(alias), c.code)
        for c in self.entries:
            found[norm(c.label)] = c.code
        for c in self.entries:
            found[norm(c.code)] = c.code
        return found

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(code, label) for model fields and forms: every code of the table."""
        return [(c.code, c.label) for c in self.entries]

    def code_of(self, value: Any) -> str | None:
        """The code a cell means, or None when it means none of them ('' for an empty cell)."""
        text = norm(value)
        if not text:
            return ""
        if text in self.lookup:
            return self.lookup[text]
        if self.width and text.isdigit() and len(text) < self.width:
            return self.lookup.get(text.zfill(self.width))
        return None

    def label(self, code: str) -> str:
        entry = self.by_code.get(code)
        return entry.label if entry else code

    def top(self, code: str) -> str:
        """The code's top-level ancestor (itself when it has no parent)."""
        while code in self.by_code and self.by_code[code].parent:
            code = self.by_code[code].parent
        return code


TABLES: dict[str, Table] = {}


def register(table: Table) -> Table:
    TABLES[table.key] = table
    return table


def get(key: str) -> Table:
    _load()
    return TABLES[key]


@cache
def _load() -> None:
    # The tables are declared in this package's modules; importing them registers them. Once: an
    # import parses a code-table cell per row and column, and a repeated import statement costs.
    from . import assistance, industry, person, regions, units  # noqa: F401


@cache
def _excel():
    # core.excel needs the app registry (it imports core.audit's models), while this package is
    # imported by models themselves: so it is looked up at the first cell, not at import.
    from gonghui.core import excel

    return excel


class parser:  # noqa: N801 (used like the parser functions of core.excel)
    """A `core.excel.Column` parser for a code-table cell: code or any known label → the code.
    Its `choices` (the template's drop-down) are the labels, read when first asked for."""

    as_text = True  # a code such as "01" must stay text in the template

    def __init__(self, key: str):
        self.code_table = key

    def __call__(self, value):
        excel = _excel()
        if excel.is_empty(value):
            return None
        table = get(self.code_table)
        code = table.code_of(value)
        if code is None:
            raise excel.CellError(f"“{excel.display(value).strip()}”不是{table.name}的代码或名称（{table.standard}）。"
                            "可填代码或名称，可选值见模板的“填写说明”工作表。")
        return code

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(label for _, label in get(self.code_table).choices)
