"""Demo data: each app registers a builder; `gonghui demo` runs them in order.

Builders receive a shared `DemoContext` (size, a seeded Random, the reference date, and
whatever earlier builders left in `ctx.data`), so each later app adds its own records
to the same county. Output is deterministic for a given seed and reference date.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Size:
    name: str
    counties: int  # 0: the root is the county itself
    townships: int  # per county
    unions: int  # grass-roots unions per township
    employers: int  # employers per township


SIZES = {
    "small": Size("small", 0, 3, 10, 40),
    "county": Size("county", 0, 20, 75, 300),
    "city": Size("city", 13, 20, 77, 385),
}


@dataclass
class DemoContext:
    size: Size
    seed: int
    today: dt.date
    rng: random.Random
    data: dict = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, who)


BUILDERS: list[tuple[int, str, Callable[[DemoContext], None]]] = []


def builder(order: int, name: str):
    def decorator(func):
        BUILDERS.append((order, name, func))
        return func

    return decorator


def build(size: str, seed: int, today: dt.date, progress=print) -> DemoContext:
    ctx = DemoContext(SIZES[size], seed, today, random.Random(seed))
    for _, name, func in sorted(BUILDERS, key=lambda b: b[0]):
        progress(f"  生成{name}……")
        func(ctx)
    return ctx
