"""GB/T 2260 行政区划代码: provinces, prefectures and counties, read lazily from data/gbt2260.csv.

Source: github.com/modood/Administrative-divisions-of-China @57a0aa9c (dist/provinces, cities,
areas .csv), the 国家统计局 统计用区划代码 as of 2023-06-30 (published 2023-09-11), cut to six
digits. It lists every GB/T 2260 province, prefecture and county of that date, plus a few county-level
codes of development zones (e.g. 130171 石家庄高新技术产业开发区) that GB/T 2260 itself does not carry.

A county's parent is its prefecture (4301 21 → 430100), a prefecture's its province (430100 →
430000), so `top` rolls a county up to its province. County names repeat across the country (朝阳区,
市辖区), so a bare name is taken only when it is unique; a full name (湖南省长沙市长沙县, 长沙市长沙县)
always is. Sheets write codes of 12 digits (统计用区划代码, 430121000000), or 2 and 4 digits for a
province or prefecture: those are read as the six-digit code.
"""

from __future__ import annotations

import csv
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any

from . import Code, Table, norm, register

DATA = Path(__file__).with_name("data") / "gbt2260.csv"


def _read(path: Path):
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        yield from rows


def _load() -> list[Code]:
    rows = list(_read(DATA))
    names = {r["code"]: r["label"] for r in rows}
    parents = {r["code"]: r["parent"] for r in rows}
    codes = []
    for r in rows:
        # Full names: 省+市+县 and 市+县 (市辖区 and 省直辖县级行政区划 are not part of a name).
        chain, code = [], r["code"]
        while code:
            if names[code] not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                chain.insert(0, names[code])
            code = parents[code]
        aliases = tuple({"".join(chain), "".join(chain[1:])} - {"", r["label"]}) if len(chain) > 1 else ()
        codes.append(Code(r["code"], r["label"], aliases=aliases, parent=r["parent"]))
    return codes


class RegionTable(Table):
    @cached_property
    def lookup(self) -> dict[str, str]:
        found: dict[str, str] = {}
        labels = Counter(norm(c.label) for c in self.entries)
        for c in self.entries:
            for alias in c.aliases:
                found.setdefault(norm(alias), c.code)
            if labels[norm(c.label)] == 1:  # 朝阳区 is in Beijing and in Changchun: not by name alone
                found[norm(c.label)] = c.code
        for c in self.entries:
            found[c.code] = c.code
        return found

    def code_of(self, value: Any) -> str | None:
        text = norm(value)
        if text.isdigit():
            if len(text) in (9, 12) and text[6:].strip("0") == "":
                text = text[:6]  # 统计用区划代码: the county and 000 or 000000
            elif len(text) in (2, 4):
                text = text.ljust(6, "0")  # a province (43) or a prefecture (4301)
        return super().code_of(text)

    def province(self, code: str) -> str:
        return self.top(code)

    def full_name(self, code: str) -> str:
        """湖南省长沙市长沙县: the names from the province down (市辖区 left out)."""
        parts = []
        while code in self.by_code:
            entry = self.by_code[code]
            if entry.label not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                parts.insert(0, entry.label)
            code = entry.parent
        return "".join(parts)


REGION = register(RegionTable("region", "行政区划", "GB/T 2260（统计用区划代码 2023）", _load))
