"""Keyset-free, count-free pagination: fetch one row more than a page to know if there is a next.

Counting a million-row scope on every page view is what we avoid (ARCHITECTURE §6).
"""

from dataclasses import dataclass


@dataclass
class Page:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def paginate(qs, request, size: int = 50) -> Page:
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    offset = (number - 1) * size
    rows = list(qs[offset : offset + size + 1])
    return Page(rows[:size], number, len(rows) > size)
