"""Numbers and dates read from a URL's query string: parsed and bounded in one place.

A query parameter is typed by whoever sends the request. `int()` takes
"99999999999999999999999" (which the database then refuses: SQLite "datatype mismatch",
PostgreSQL "out of range"), "-1", and digits of other scripts ("١٢٣"); `date.fromisoformat`
takes 9999-12-31, on which any "one year later" overflows. Every list page, the calendar and
the figures read their numbers through these helpers, so a hostile value is either refused
with a Chinese message or replaced by the default, never a server error.
"""

from __future__ import annotations

import datetime as dt
import re

MAX_PAGE = 100_000  # 5 million rows at 50 a page
# Years a date on a page may have: a union record before 1900 or after 2100 is a typing error,
# and a margin of years either side keeps "a year earlier/later" arithmetic in range.
MIN_YEAR, MAX_YEAR = 1900, 2100
ID_MAX = 2**63 - 1  # BigAutoField
_DIGITS = re.compile(r"-?[0-9]{1,19}")  # ASCII digits only, at most 19 of them


def int_param(params, name: str, default: int | None = None, *, min_value: int | None = None,
              max_value: int | None = None) -> int | None:
    """`params[name]` as an int within [min_value, max_value]; the default if it is missing,
    not a plain decimal number, or out of bounds."""
    raw = params.get(name)
    if raw is None:
        return default
    text = str(raw).strip()
    if not _DIGITS.fullmatch(text):
        return default
    value = int(text)
    if (min_value is not None and value < min_value) or (max_value is not None and value > max_value):
        return default
    return value


def page_param(params, name: str = "page") -> int:
    """A page number, 1 to MAX_PAGE (anything else is the first page)."""
    return int_param(params, name, 1, min_value=1, max_value=MAX_PAGE)


def year_param(params, name: str = "year", default: int | None = None) -> int | None:
    return int_param(params, name, default, min_value=MIN_YEAR, max_value=MAX_YEAR)


def id_param(params, name: str) -> int | None:
    """A primary key, or None: a value no row can have is treated as absent."""
    return int_param(params, name, None, min_value=1, max_value=ID_MAX)


def date_in_range(value: dt.date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def date_param(params, name: str, default: dt.date | None = None) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) within the allowed years, or the default."""
    raw = params.get(name)
    if not raw:
        return default
    try:
        value = dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        return default
    return value if date_in_range(value) else default
