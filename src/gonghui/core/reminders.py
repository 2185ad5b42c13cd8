"""The reminder registry: due items (换届 due, deadlines near) that the to-do page and
`gonghui remind` list. Each app's reminders.py registers functions of (user, today, limit,
offset) that return (`limit` scoped `Due` items from position `offset` in due-date order, the
total count): the to-do page pages through every item of a kind with them."""

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
    func: Callable[..., tuple[list[Due], int]]

    @property
    def line(self) -> str:
        """The label of the work line (app) that registered it: gonghui.<line>.reminders."""
        return self.func.__module__.split(".")[-2]


REGISTRY: dict[str, Reminder] = {}


def reminder(code: str, *, label: str, perm: str):
    def decorator(func):
        REGISTRY[code] = Reminder(code, label, perm, func)
        return func

    return decorator


def due_items(user, today: dt.date, limit: int = 50, *, offset: int = 0,
              codes=None) -> list[tuple[Reminder, list[Due], int]]:
    """[(reminder, `limit` items from position `offset`, total count)] for every reminder the user
    may see (only those in `codes` when given)."""
    from . import scope

    out = []
    for r in REGISTRY.values():
        if (codes is None or r.code in codes) and scope.has_perm(user, r.perm):
            items, total = r.func(user, today, limit, offset)
            out.append((r, items, total))
    return out


# ---------------------------------------------------------------- daily work

# Work the daily `gonghui remind` run does before it lists the due items (a line's recurring
# tasks, e.g. appraisal's rounds sent again each period): functions of (today) returning lines
# to print. Registered in the same reminders.py modules with @daily.
DAILY: dict[str, tuple[str, Callable[[dt.date], list[str]]]] = {}


def daily(code: str, *, label: str):
    def decorator(func):
        DAILY[code] = (label, func)
        return func

    return decorator


def run_daily(today: dt.date) -> list[tuple[str, list[str]]]:
    return [(label, func(today)) for label, func in DAILY.values()]
