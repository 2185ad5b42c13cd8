"""The monthly summary of the money figures (`MonthlyTotal`), kept equal to the detail rows.

Every service that writes a receipt or a declaration, or changes the path or month a row counts
under, collects the (org_path, month) keys it touched, before and after, and calls `refresh(keys)`
in its own transaction: the summary rows of those keys are recomputed from the detail rows (one
grouped query per month for declarations and one for receipts, a delete and a bulk insert), so
whatever the change, the summary is what the detail adds up to. `rebuild()` recomputes all of it
(the migration, a volume loader).

The figures read it (`metrics.py`): 应缴/实缴/欠缴/收缴率/筹备金 are sums over whole months (a
declaration's 所属期 is a month); 经费总额 and 月均 add the whole months of the period from here and
the days of a partly covered first or last month from the receipts themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q, Sum

from gonghui.core.sql import among

from .models import Declaration, FundKind, MonthlyTotal, Receipt

CHUNK = 2000
ZERO = Decimal("0.00")
ARREARS = Sum(F("due") - F("paid"), filter=Q(due__gt=F("paid")))
# Aggregates of declarations, named s_<summary field> (an aggregate may not take a column's name).
DECLARED = {"s_due": Sum("due"), "s_paid": Sum("paid"), "s_arrears": ARREARS,
            "s_preparation_due": Sum("due", filter=Q(kind=FundKind.PREPARATION)),
            "s_preparation_paid": Sum("paid", filter=Q(kind=FundKind.PREPARATION))}
FIELDS = ("due", "paid", "arrears", "preparation_due", "preparation_paid", "received")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _money(value) -> Decimal:
    """To the cent (SQLite sums decimals as floats)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def receipt_keys(rows: Iterable) -> set[tuple[str, dt.date]]:
    """Keys of receipts (objects with org_path and received_on)."""
    return {(r.org_path, month_of(r.received_on)) for r in rows}


def declaration_keys(rows: Iterable) -> set[tuple[str, dt.date]]:
    return {(d.org_path, month_of(d.month)) for d in rows}


def keys_of(receipts=None, declarations=None) -> set[tuple[str, dt.date]]:
    """The keys of the rows of these querysets, read in the database (before or after a bulk update)."""
    keys: set[tuple[str, dt.date]] = set()
    if receipts is not None:
        keys |= {(p, month_of(d)) for p, d in receipts.order_by().values_list("org_path", "received_on").distinct()}
    if declarations is not None:
        keys |= {(p, month_of(m)) for p, m in declarations.order_by().values_list("org_path", "month").distinct()}
    return keys


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# Any fixed number: the key of the transaction-level advisory lock that serialises refreshes.
REFRESH_LOCK = 4_318_060_018


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])


def refresh(keys: Iterable[tuple[str, dt.date]]) -> None:
    """Recompute the summary rows of these (org_path, month) keys from the detail rows.

    On PostgreSQL two transactions refreshing the same key at once would each read the detail
    without the other's uncommitted rows and write a stale sum (or collide on the unique key), so
    a refresh first waits for every other refreshing transaction to end; its reads then see their
    rows (READ COMMITTED takes a fresh snapshot per statement). SQLite serialises writers anyway."""
    _lock()
    by_month: dict[dt.date, set[str]] = defaultdict(set)
    for path, month in keys:
        if path:
            by_month[month_of(month)].add(path)
    for month, paths in sorted(by_month.items()):
        for chunk in _chunks(sorted(paths)):
            rows: dict[str, dict[str, Decimal]] = {}
            for r in (Declaration.objects.filter(among(Declaration, "org_path", chunk, "text"), month=month).order_by()
                      .values("org_path").annotate(**DECLARED)):
                rows[r["org_path"]] = {f[2:]: _money(r[f]) for f in DECLARED}
            for path, s in (Receipt.objects.filter(among(Receipt, "org_path", chunk, "text"), received_on__gte=month,
                                                   received_on__lt=next_month(month)).order_by()
                            .values_list("org_path").annotate(s=Sum("amount"))):
                rows.setdefault(path, {})["received"] = _money(s)
            MonthlyTotal.objects.filter(among(MonthlyTotal, "org_path", chunk, "text"), month=month).delete()
            MonthlyTotal.objects.bulk_create([MonthlyTotal(org_path=path, month=month, **values)
                                              for path, values in rows.items()], batch_size=CHUNK)


def add(deltas: dict[tuple[str, dt.date], dict[str, Decimal]]) -> None:
    """Add amounts to the summary rows of these (org_path, month) keys, making missing rows: for a
    bulk write that knows exactly what it changed (funds.bulk), where recomputing the 20,000 keys
    of a city's tax list from the detail took ~10 s of its import. One statement (INSERT … ON
    CONFLICT DO UPDATE), under the lock `refresh` takes: a refresh waiting for it then reads this
    transaction's rows, and one before it summed the detail without them, which these deltas add."""
    rows = [(path, month_of(month), *(_money(v.get(f)) for f in FIELDS)) for (path, month), v in deltas.items()
            if path]
    if not rows:
        return
    _lock()
    table, qn = MonthlyTotal._meta.db_table, connection.ops.quote_name
    columns = ", ".join(qn(c) for c in ("org_path", "month", *FIELDS))
    update = ", ".join(f"{qn(f)} = {qn(table)}.{qn(f)} + EXCLUDED.{qn(f)}" for f in FIELDS)
    conflict = f"ON CONFLICT ({qn('org_path')}, {qn('month')}) DO UPDATE SET {update}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(["%s::text[]", "%s::date[]", *["%s::numeric[]"] * len(FIELDS)])
            cursor.execute(f"INSERT INTO {qn(table)} ({columns}) SELECT * FROM unnest({arrays}) {conflict}",  # noqa: S608 - names from the model
                           [list(column) for column in zip(*rows, strict=True)])
        else:
            marks = ", ".join(["%s"] * (2 + len(FIELDS)))
            cursor.executemany(f"INSERT INTO {qn(table)} ({columns}) VALUES ({marks}) {conflict}", rows)  # noqa: S608


def detail_totals() -> dict[tuple[str, dt.date], dict[str, Decimal]]:
    """{(org_path, month): sums} computed from the detail rows alone (rebuild, tests)."""
    out: dict[tuple[str, dt.date], dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(FIELDS, ZERO))
    for r in Declaration.objects.order_by().values("org_path", "month").annotate(**DECLARED):
        out[r["org_path"], r["month"]].update({f[2:]: _money(r[f]) for f in DECLARED})
    for path, day, amount in Receipt.objects.order_by().values_list("org_path", "received_on", "amount").iterator():
        row = out[path, month_of(day)]
        row["received"] += amount
    return {k: {f: _money(v) for f, v in row.items()} for k, row in out.items()}


def stored_totals() -> dict[tuple[str, dt.date], dict[str, Decimal]]:
    return {(t.org_path, t.month): {f: _money(getattr(t, f)) for f in FIELDS} for t in MonthlyTotal.objects.all()}


def rebuild() -> None:
    """Recompute the whole summary from the detail rows."""
    MonthlyTotal.objects.all().delete()
    rows = [MonthlyTotal(org_path=path, month=month, **values)
            for (path, month), values in sorted(detail_totals().items(), key=lambda kv: (kv[0][1], kv[0][0]))]
    MonthlyTotal.objects.bulk_create(rows, batch_size=CHUNK)


# --- reading it -------------------------------------------------------------------------------------

def whole_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last month lying entirely within [start, end], or None when there is none."""
    first = start if start.day == 1 else next_month(start)
    last = month_of(end) if (end + dt.timedelta(days=1)).day == 1 else month_of(month_of(end) - dt.timedelta(days=1))
    return (first, last) if first <= last else None


def partial_days(start: dt.date, end: dt.date) -> Q | None:
    """A condition on received_on for the days of [start, end] outside its whole months (None: none)."""
    whole = whole_months(start, end)
    if whole is None:
        return Q(received_on__gte=start, received_on__lte=end)
    q = Q()
    if start < whole[0]:
        q |= Q(received_on__gte=start, received_on__lt=whole[0])
    after = next_month(whole[1])
    if after <= end:
        q |= Q(received_on__gte=after, received_on__lte=end)
    return q or None
