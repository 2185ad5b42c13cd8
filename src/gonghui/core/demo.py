"""Demo data: each app registers a builder; `gonghui demo` runs them in dependency order.

A builder names the apps whose demo data it needs (`after=("orgs", "members")`); builders run
after those they name, ties in INSTALLED_APPS order, so no app needs to know the others' numbers.

Builders receive a shared `DemoContext` (size, a seeded Random, the reference date, and
whatever earlier builders left in `ctx.data`), so each later app adds its own records
to the same county. Output is deterministic for a given seed and reference date.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps


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


@dataclass(frozen=True)
class Builder:
    app: str  # the label of the app that registered it
    name: str  # shown while building
    func: Callable[[DemoContext], None]
    after: tuple[str, ...]


BUILDERS: list[Builder] = []


def builder(name: str, *, after: tuple[str, ...] = ()):
    """Register the decorated function as its app's demo builder, run after the apps in `after`."""

    def decorator(func):
        config = apps.get_containing_app_config(func.__module__)
        if config is None:
            raise RuntimeError(f"demo builder {func.__module__}.{func.__name__} is not inside an installed app")
        BUILDERS.append(Builder(config.label, name, func, tuple(after)))
        return func

    return decorator


def ordered() -> list[Builder]:
    """The builders in dependency order (Kahn), ties in INSTALLED_APPS order then registration order."""
    labels = [c.label for c in apps.get_app_configs()]
    rank = {label: i for i, label in enumerate(labels)}
    present = {b.app for b in BUILDERS}
    for b in BUILDERS:
        missing = [a for a in b.after if a not in rank]
        if missing:
            raise RuntimeError(f"demo builder “{b.name}” ({b.app}) needs apps that are not installed: {missing}")
    done: set[str] = set()
    pending = sorted(BUILDERS, key=lambda b: rank.get(b.app, len(rank)))
    out: list[Builder] = []
    while pending:
        # An app's builders count as done once all of them ran; a dependency without builders is done.
        ready = next((b for b in pending if all(a in done or a not in present for a in b.after)), None)
        if ready is None:
            raise RuntimeError("demo builders depend on each other in a cycle: "
                               + ", ".join(f"{b.app} after {b.after}" for b in pending))
        pending.remove(ready)
        out.append(ready)
        if not any(b.app == ready.app for b in pending):
            done.add(ready.app)
    return out


def build(size: str, seed: int, today: dt.date, progress=print) -> DemoContext:
    ctx = DemoContext(SIZES[size], seed, today, random.Random(seed))
    for b in ordered():
        progress(f"  生成{b.name}……")
        # Each builder draws from its own stream, so one app's data does not change when another
        # app is added or draws more numbers.
        ctx.rng = random.Random(f"{seed}:{b.app}:{b.name}")
        b.func(ctx)
    return ctx
