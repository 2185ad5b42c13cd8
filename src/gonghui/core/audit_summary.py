"""A bounded summary of an audit entry's changes, for the audit list (issue 14, item 5).

One bulk import writes a single entry whose changes hold every union's count (438 KB in the city
demo), and the list used to load and print that whole value: its first page weighed 605 KB. The
list now reads only the first HEAD characters of each entry's changes (cut on the database side)
and how many changed fields it has, and shows the first few fields, each cut short, with
"等 N 项" and a link to the entry's own page, which shows every change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Func, IntegerField, TextField
from django.db.models.functions import Cast, Substr

from .audit import shown_changes, value_label

HEAD = 2000  # characters of the changes' JSON text read per row (SQLite keeps CJK as \uXXXX: 6 each)
FIELDS = 3  # changed fields shown per row
VALUE_CHARS = 80  # characters of one shown value
LONG = "（内容较长，请查看详情）"


class JSONKeyCount(Func):
    """The number of keys of a JSON object column (0 for anything else).

    Neither database has a portable spelling, so each gets its own; any other database gets NULL
    and the list says "等" without a number."""

    output_field = IntegerField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # {sql} is the compiled column; any values in it stay parameters.
        return (f"(CASE WHEN jsonb_typeof({sql}) = 'object' "  # noqa: S608
                f"THEN (SELECT count(*) FROM jsonb_object_keys({sql})) ELSE 0 END)", [*params, *params])

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"(CASE WHEN json_type({sql}) = 'object' "  # noqa: S608
                f"THEN (SELECT count(*) FROM json_each({sql})) ELSE 0 END)", [*params, *params])


def with_summary(qs):
    """The entries without their full changes, with `changes_head` and `changes_count`."""
    return qs.defer("changes").annotate(
        changes_head=Substr(Cast("changes", TextField()), 1, HEAD),
        changes_count=JSONKeyCount("changes"))


@dataclass
class Summary:
    fields: list[tuple[str, str]]  # (key, shown value)
    total: int | None  # changed fields in all; None if the database could not say
    cut: bool  # something is not shown here

    @property
    def more(self) -> bool:
        return self.cut or (self.total is not None and self.total > len(self.fields))


def _pair(value) -> str | None:
    """A field's [old, new] change as "old → new" (the list and the entry page alike); None for
    anything else."""
    if isinstance(value, list) and len(value) == 2 and all(not isinstance(v, (list, dict)) for v in value):
        old, new = ("（空）" if v in (None, "") else v for v in value)
        return f"{old} → {new}"
    return None


def shown(value) -> str:
    """One change as the list shows it: [old, new] as "old → new", anything else as compact JSON."""
    text = _pair(value)
    if text is None:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS] + "…"


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def summarize(head: str | None, total: int | None, object_type: str = "") -> Summary:
    """The first FIELDS changed fields found in `head`, the first characters of the changes' JSON
    text, values through their choice labels (core.audit.value_label). A value cut off by the head
    is shown as LONG; the parse stops at the first thing it cannot read, which is only ever the cut."""
    head = head or ""
    decoder = json.JSONDecoder()
    fields: list[tuple[str, str]] = []
    i = _skip_space(head, 0)
    if not head.startswith("{", i):
        return Summary([], total, bool(head.strip()) and head.strip() not in ("{}", "null"))
    i += 1
    cut = False
    while True:
        i = _skip_space(head, i)
        if i >= len(head):
            cut = True
            break
        if head[i] == "}":
            break
        try:
            key, i = decoder.raw_decode(head, i)
            i = _skip_space(head, i)
            if not head.startswith(":", i):
                raise ValueError
            i = _skip_space(head, i + 1)
        except ValueError:
            cut = True
            break
        if not isinstance(key, str):
            cut = True
            break
        if len(fields) == FIELDS:
            cut = True
            break
        try:
            value, i = decoder.raw_decode(head, i)
        except ValueError:
            fields.append((key, LONG))
            cut = True
            break
        fields.append((key, shown(value if isinstance(value, dict) else value_label(key, value, object_type))))
        i = _skip_space(head, i)
        if head.startswith(",", i):
            i += 1
    if total is not None and total <= len(fields):
        cut = cut and any(v == LONG for _k, v in fields)
    return Summary(fields, total, cut)


@dataclass
class Change:
    key: str
    text: str  # "old → new", the value, or a mapping's entries as "key：value；key：value…"
    entries: int | None = None  # how many entries a mapping has (an import's count per union)


def full(changes, object_type: str = "") -> list[Change]:
    """Every change of an entry, nothing cut, for the entry's own page. A mapping is one line of
    "key：value" pairs rather than a table: 24,000 unions stay about the size of the entry itself."""
    if not isinstance(changes, dict):
        return [Change("", _plain(changes))]
    out = []
    for key, value in shown_changes(changes, object_type).items():
        if isinstance(value, dict):
            out.append(Change(key, "；".join(f"{k}：{_plain(v)}" for k, v in value.items()), len(value)))
        else:
            pair = _pair(value)
            out.append(Change(key, _plain(value) if pair is None else pair))
    return out


def _plain(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
