"""The reminder registry: due items (换届 due, deadlines near) that the to-do page and
`gonghui remind` list. Each app's reminders.py registers functions of (user, today)
that return a scoped queryset-backed list of `Due` items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Due:
    label: str
    due_on: dt.date
    url: str
    org_name: str
    overdue: bool


@dataclass(frozen=True)
class Reminder:
    code: str
    label: str
    perm: str
    func: Callable[..., list[Due]]


REGISTRY: dict[str, Reminder] = {}


def reminder(code: str, *, label: str, perm: str):
    def decorator(func):
        REGISTRY[code] = Reminder(code, label, perm, func)
        return func

    return decorator


def due_items(user, today: dt.date, limit: int = 50) -> list[tuple[Reminder, list[Due], int]]:
    """[(reminder, first `limit` items, total count)] for every reminder the user may see."""
    from . import scope

    out = []
    for r in REGISTRY.values():
        if scope.has_perm(user, r.perm):
            items, total = r.func(user, today, limit)
            out.append((r, items, total))
    return out
