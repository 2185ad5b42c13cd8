"""GB/T 4754-2017 国民经济行业分类: 门类 (A-T), 大类 (2 digits), 中类 (3), 小类 (4), read lazily
from data/gbt4754_2017.csv.

Source: github.com/zmshe/capital src/utils/category.js @0b8f1ae4 (2020-07-02): 20 门类, 97 大类,
the 中类 and 1380 小类 as listed there. Two repairs, noted in the CSV header: a 中类 with a single
小类 (019 其他农业 → 0190) is absent from the source and is added with its 小类's name, as the standard
prints it (473 中类 in all); 3741 飞机制造 had lost its code there and is restored (so the file holds 1381
小类; the standard's foreword counts 1380).

Codes are stored without the 门类 letter ("1310"), as the standard writes them; a sheet's "C1310" or
"C13" is read as the same code. Each code's parent is the code one level up (1310 → 131 → 13 → C),
so `top` gives the 门类.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from . import Code, Table, norm, register

DATA = Path(__file__).with_name("data") / "gbt4754_2017.csv"
_LETTERED = re.compile(r"^([A-Ta-t])(\d{2,4})$")


def _load() -> list[Code]:
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return [Code(r["code"], r["label"], parent=r["parent"]) for r in rows]


class IndustryTable(Table):
    def code_of(self, value: Any) -> str | None:
        text = norm(value)
        match = _LETTERED.match(text)
        if match:
            code = super().code_of(match.group(2))
            # C13 is 13 only when 13 belongs to 门类 C
            return code if code and self.top(code) == match.group(1).upper() else None
        if len(text) == 1:
            text = text.upper()
        return super().code_of(text)

    def section(self, code: str) -> str:
        """The 门类 letter of a code (C for 1310)."""
        return self.top(code)


INDUSTRY = register(IndustryTable("industry", "国民经济行业分类", "GB/T 4754-2017", _load, width=2))
