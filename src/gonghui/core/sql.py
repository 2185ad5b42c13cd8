"""`field IN (many values)` as the database runs it best, for bulk services (imports of 20,000 to
100,000 rows that look up ids, codes and lookup hashes by the thousand)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

CHUNK = 5000  # values in one IN (…) off PostgreSQL (SQLite allows 32,766 variables a statement)


def among(model, field: str, values, cast: str):
    """A filter `field IN values` on `model`'s own column ("pk" for its primary key): on PostgreSQL
    `= ANY(%s::cast[])` with one array parameter, as psycopg spends longer composing a statement of
    thousands of placeholders than the database running it (and `IN (SELECT unnest(…))` makes the
    planner hash-join whole tables); elsewhere a plain IN, so keep `values` under SQLite's limit
    (or use `among_chunks`). `cast` is a fixed type name from the caller, never user input."""
    values = list(values)
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        column = (model._meta.pk if field == "pk" else model._meta.get_field(field)).column
        return RawSQL(f"{qn(model._meta.db_table)}.{qn(column)} = ANY(%s::{cast}[])", [values],  # noqa: S611 - see above
                      output_field=BooleanField())
    return Q(**{f"{field}__in": values})


def among_chunks(model, field: str, values: Sequence, cast: str) -> list:
    """`among` for any number of values: the filters to run one query each, one on PostgreSQL,
    one per CHUNK values elsewhere; none for no values."""
    values = list(values)
    if not values:
        return []
    if connection.vendor == "postgresql":
        return [among(model, field, values, cast)]
    return [among(model, field, values[i:i + CHUNK], cast) for i in range(0, len(values), CHUNK)]
