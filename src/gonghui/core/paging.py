"""Keyset-free, count-free pagination: fetch one row more than a page to know if there is a next.

Counting a million-row scope on every page view is what we avoid (ARCHITECTURE §6).
"""

from dataclasses import dataclass

from .params import page_param


@dataclass
class Page:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def paginate(qs, request, size: int = 50) -> Page:
    number = page_param(request.GET)
    offset = (number - 1) * size
    rows = list(qs[offset : offset + size + 1])
    return Page(rows[:size], number, len(rows) > size)
