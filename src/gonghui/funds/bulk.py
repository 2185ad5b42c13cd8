"""Receipts in bulk: the tax bureau's monthly list of 100,000 rows in a few statements.

`receipts_bulk` does what `services.receipt_record` does for one receipt, set-based: the same
rules per line (a refused line names its sheet row, field and reason and nothing is saved), the
employers matched by 统一社会信用代码 under the receiving federation in one query per 5,000 codes,
the org each receipt counts under (the employer's union on the day, else its federation) and that
org's path on the day from the coverages and placements read once, the receipts, their splits and
the declarations they pay inserted in bulk (COPY on PostgreSQL, bulk_create elsewhere), what they
add to the monthly summary added in one statement (totals.add: every change is known here, so the
keys are not recomputed from the detail), and one audit entry summarising the call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from gonghui.core import audit, clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.money import format_money
from gonghui.core.sql import among
from gonghui.orgs.models import GRASSROOTS_TYPES, Coverage, Employer, Org, OrgPlacement

from .models import Channel, Declaration, FundKind, MatchStatus, Receipt, ReceiptSplit
from .services import CENT, due_on, first_of_month, shares_on, split_amount
from .totals import add, month_of

BATCH_SIZE = 2000
CHUNK = 5000
ACTION = "funds.import"
RECEIPT_COLUMNS = ("id", "reference", "channel", "kind", "status", "employer_id", "raw_uscc", "raw_name", "month",
                   "payroll_base", "amount", "received_on", "org_id", "org_path", "note", "created_at")
SPLIT_COLUMNS = ("receipt_id", "level", "percent", "amount")
DECLARATION_COLUMNS = ("employer_id", "month", "employees", "payroll_total", "due", "paid", "kind", "org_id",
                       "org_path", "created_at")


@dataclasses.dataclass
class Line:
    """One receipt to record; `row` is its sheet row, named in messages."""

    row: int
    org: Org
    reference: str
    amount: Decimal
    received_on: dt.date
    uscc: str = ""
    name: str = ""
    month: dt.date | None = None
    payroll_base: Decimal | None = None
    note: str = ""


# (org_path, month) → summary field → amount to add (totals.add)
Deltas = dict[tuple[str, dt.date], dict[str, Decimal]]


class Refused(ServiceError):
    """Lines refused: `rows` holds (sheet row, field, reason) for each."""

    def __init__(self, rows: list[tuple[int, str, str]]):
        super().__init__(rows[0][2], field=rows[0][1])
        self.rows = rows


def _chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _check(lines: Sequence[Line]) -> list[tuple[int, str, str]]:
    today, errors, seen = clock.today(), [], {}
    for line in lines:
        if not line.reference:
            errors.append((line.row, "reference", "请填写凭证号。"))
        elif line.reference in seen:
            errors.append((line.row, "reference", f"与第 {seen[line.reference]} 行重复。"))
        else:
            seen[line.reference] = line.row
        if line.amount is None or line.amount <= 0:
            errors.append((line.row, "amount", "金额应大于0。"))
        if line.received_on is None:
            errors.append((line.row, "received_on", "请填写入库(到账)日期。"))
        elif line.received_on > today:
            errors.append((line.row, "received_on", "入库(到账)日期不能晚于今天。"))
        elif line.month and line.month > line.received_on:
            errors.append((line.row, "month", "所属期不能晚于入库(到账)日期。"))
        if line.payroll_base is not None and line.payroll_base < 0:
            errors.append((line.row, "payroll_base", "工资总额不能为负数。"))
        if not line.uscc and not line.name.strip():
            errors.append((line.row, "uscc", "请填写缴款单位的统一社会信用代码或名称。"))
    for chunk in _chunks(list(seen)):
        for ref in Receipt.objects.filter(among(Receipt, "reference", chunk, "text")).values_list("reference", flat=True):
            errors.append((seen[ref], "reference", f"凭证号“{ref}”已登记，不能重复登记。"))
    return errors


class _Places:
    """Who a receipt counts under and where that org stood, from rows read once."""

    def __init__(self, employer_ids: set[int], employer_orgs: dict[int, int], org_ids: set[int]):
        self.cover: dict[int, list[tuple[dt.date, dt.date | None, int]]] = defaultdict(list)
        for chunk in _chunks(sorted(employer_ids)):
            for e, u, since, until in Coverage.objects.filter(among(Coverage, "employer_id", chunk, "bigint")).values_list(
                    "employer_id", "union_id", "valid_from", "valid_to"):
                self.cover[e].append((since, until, u))
        for spans in self.cover.values():
            spans.sort(key=lambda s: s[0], reverse=True)
        self.employer_orgs = employer_orgs
        ids = set(org_ids) | set(employer_orgs.values()) | {u for s in self.cover.values() for _, _, u in s}
        self.orgs: dict[int, tuple[str, str]] = {}
        self.placed: dict[int, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
        for chunk in _chunks(sorted(ids)):
            self.orgs.update({pk: (t, p) for pk, t, p in Org.objects.filter(among(Org, "pk", chunk, "bigint")).values_list(
                "pk", "org_type", "path")})
            for o, p, since, until in OrgPlacement.objects.filter(among(OrgPlacement, "org_id", chunk, "bigint")).values_list(
                    "org_id", "path", "valid_from", "valid_to"):
                self.placed[o].append((since, until, p))
        for spans in self.placed.values():
            spans.sort(key=lambda s: s[0], reverse=True)

    def org_of(self, employer_id: int, on: dt.date) -> int:
        """`services.attributed_org`: the union covering the employer on `on`, else its federation."""
        for since, until, union in self.cover.get(employer_id, ()):
            if since <= on and (until is None or until > on):
                return union
        return self.employer_orgs[employer_id]

    def path_on(self, org_id: int, on: dt.date) -> str:
        """`orgs.selectors.path_on`: the placement's path on `on`, else the current path."""
        for since, until, path in self.placed.get(org_id, ()):
            if since <= on and (until is None or until > on):
                return path
        return self.orgs[org_id][1]

    def kind(self, org_id: int) -> str:
        return FundKind.ALLOCATION if self.orgs[org_id][0] in GRASSROOTS_TYPES else FundKind.PREPARATION


def _match(lines: Sequence[Line]) -> dict[tuple[int, str], tuple[int, int]]:
    """{(receiving org id, USCC): (employer id, employer's org id)} for the employers under it."""
    found: dict[tuple[int, str], tuple[int, int]] = {}
    by_org: dict[int, tuple[Org, set[str]]] = {}
    for line in lines:
        if line.uscc:
            by_org.setdefault(line.org.pk, (line.org, set()))[1].add(line.uscc)
    for org, codes in by_org.values():
        for chunk in _chunks(sorted(codes)):
            for pk, code, home in Employer.objects.filter(scope.subtree_q("org__path", org.path),
                                                          among(Employer, "uscc", chunk, "text")).values_list("pk", "uscc",
                                                                                                    "org_id"):
                found[org.pk, code] = (pk, home)
    return found


def _insert_rows(model, attnames: Sequence[str], rows: list[tuple]) -> None:
    """Insert plain rows (values in `attnames` order, no model instances: building 300,000 of them
    costs more than the insert): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    opts, qn = model._meta, connection.ops.quote_name
    columns = ", ".join(qn(opts.get_field(a.removesuffix("_id")).column) for a in attnames)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {qn(opts.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(attnames))
        sql = f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
        for batch in _chunks(rows, BATCH_SIZE):
            cursor.executemany(sql, batch)


def _new_ids(model, n: int) -> list[int]:
    """Ids for `n` new rows of `model`: from the table's sequence on PostgreSQL; elsewhere (SQLite,
    whose transactions take the write lock when they begin: settings' IMMEDIATE) after the largest."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, column, n])
            return [new_id for (new_id,) in cursor.fetchall()]
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({qn(column)}), 0) FROM {qn(table)}")  # noqa: S608 - names from the model
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + n))


def _common_path(paths: list[str]) -> str:
    """The deepest node above all these orgs: where the summary entry is filed."""
    prefix = paths[0]
    for p in paths[1:]:
        while not p.startswith(prefix):
            prefix = prefix[: -Org.steplen]
    return prefix


@transaction.atomic
def receipts_bulk(*, actor, channel: str, lines: Sequence[Line], source: str = "import", title: str = "",
                  progress: Callable[[int], None] | None = None) -> int:
    """Record every line as a receipt, or none (Refused names each bad line); returns how many.
    `progress(n)` is told after each batch of receipts."""
    if channel not in Channel.values:
        raise ServiceError("请选择收入渠道。", field="channel")
    if not lines:
        return 0
    receivers = {line.org.pk: line.org for line in lines}
    for org in receivers.values():
        scope.require(actor, "funds.change", org.path)
    lines = [dataclasses.replace(line, reference=(line.reference or "").strip(),
                                 amount=None if line.amount is None else Decimal(line.amount).quantize(CENT),
                                 month=first_of_month(line.month) if line.month else None,
                                 name=(line.name or "").strip()[:200], note=(line.note or "").strip()[:200])
             for line in lines]
    errors = _check(lines)
    if errors:
        raise Refused(sorted(errors))
    matched = _match(lines)
    places = _Places({e for e, _ in matched.values()}, dict(matched.values()), set(receivers))

    # Plain rows in RECEIPT_COLUMNS order, ids from the table's sequence: building 100,000
    # Receipt instances cost a quarter of the save.
    now, ids = timezone.now(), _new_ids(Receipt, len(lines))
    receipts, employer_of, pending = [], [], 0
    for pk, line in zip(ids, lines, strict=True):
        hit = matched.get((line.org.pk, line.uscc)) if line.uscc else None
        if hit:
            org_id = places.org_of(hit[0], line.received_on)
            employer, status, kind = hit[0], MatchStatus.MATCHED, places.kind(org_id)
        else:
            org_id, employer, status, kind, pending = line.org.pk, None, MatchStatus.PENDING, FundKind.ALLOCATION, pending + 1
        receipts.append((pk, line.reference, channel, kind, status, employer, line.uscc, line.name, line.month,
                         line.payroll_base, line.amount, line.received_on, org_id,
                         places.path_on(org_id, line.received_on), line.note, now))
        employer_of.append(employer)
    for done, batch in enumerate(_chunks(receipts, CHUNK * 4), start=1):
        _insert_rows(Receipt, RECEIPT_COLUMNS, batch)
        if progress is not None:
            progress(min(done * CHUNK * 4, len(receipts)))

    tables: dict[dt.date, tuple[dict, str]] = {}
    splits = []
    deltas: Deltas = defaultdict(lambda: defaultdict(Decimal))
    for line, r in zip(lines, receipts, strict=True):
        if line.received_on not in tables:
            tables[line.received_on] = shares_on(line.received_on)
        shares, remainder = tables[line.received_on]
        splits += [(r[0], level, shares.get(level, Decimal(0)), amount)
                   for level, amount in split_amount(line.amount, shares, remainder).items()]
        if len(splits) >= CHUNK * 4:
            _insert_rows(ReceiptSplit, SPLIT_COLUMNS, splits)
            splits = []
        deltas[r[13], month_of(line.received_on)]["received"] += line.amount
    _insert_rows(ReceiptSplit, SPLIT_COLUMNS, splits)
    _pay_declarations(lines, employer_of, places, deltas)
    add(deltas)

    amount = sum((line.amount for line in lines), Decimal("0.00"))
    label = f"{title or Channel(channel).label} {len(receipts)} 笔，{format_money(amount)}"
    audit.record(actor=actor, action=ACTION,
                 target=audit.Target(object_type="funds.receipt", label=label[:255],
                                     org_path=_common_path([o.path for o in receivers.values()])),
                 changes={"channel": channel, "rows": len(receipts), "matched": len(receipts) - pending,
                          "pending": pending, "amount": amount,
                          "first_reference": lines[0].reference, "last_reference": lines[-1].reference,
                          **({"source": source} if source else {})})
    return len(receipts)


def _pay_declarations(lines: Sequence[Line], employer_of: list[int | None], places: _Places, deltas: Deltas
                      ) -> None:
    """`services._attach` for every matched line with a 所属期: the month's declaration made from
    the first line's payroll when there is none, and what the lines paid added to it. What that
    changes in the monthly summary is added to `deltas`."""
    paid: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    payroll: dict[tuple[int, dt.date], Decimal] = {}
    for line, employer in zip(lines, employer_of, strict=True):
        if employer is None or line.month is None:
            continue
        key = (employer, line.month)
        paid[key] += line.amount
        if line.payroll_base is not None:
            payroll.setdefault(key, line.payroll_base)
    if not paid:
        return
    employers, months = sorted({e for e, _ in paid}), sorted({m for _, m in paid})
    known: dict[tuple[int, dt.date], Declaration] = {}
    for chunk in _chunks(employers):
        for d in Declaration.objects.filter(among(Declaration, "employer_id", chunk, "bigint"), month__in=months).only(
                "pk", "employer_id", "month", "due", "paid", "kind", "org_path"):
            known[d.employer_id, d.month] = d
    changed = [d for key, d in known.items() if key in paid]
    for d in changed:
        _declared(deltas[d.org_path, month_of(d.month)], d.kind, Decimal(0), paid[d.employer_id, d.month],
                  d.due - d.paid)
    if connection.vendor == "postgresql":
        # One UPDATE … FROM unnest(ids, amounts): bulk_update's CASE WHEN of 2,000 ids a statement
        # took 90 s for 99,000 declarations.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE funds_declaration d SET paid = d.paid + v.add "
                           "FROM unnest(%s::bigint[], %s::numeric[]) AS v(id, add) WHERE d.id = v.id",
                           [[d.pk for d in changed], [paid[d.employer_id, d.month] for d in changed]])
    else:
        for d in changed:
            d.paid += paid[d.employer_id, d.month]
        for batch in _chunks(changed, BATCH_SIZE):
            Declaration.objects.bulk_update(batch, ["paid"])
    new = [key for key in payroll if key not in known]
    if not new:
        return
    # A new declaration counts every receipt of its month, those before this import too (the
    # receipts of this import are already in the table).
    before: dict[tuple[int, dt.date], Decimal] = {}
    for chunk in _chunks(sorted({e for e, _ in new})):
        for e, m, s in (Receipt.objects.filter(among(Receipt, "employer_id", chunk, "bigint"),
                                               month__in=sorted({m for _, m in new}))
                        .values_list("employer_id", "month").annotate(s=Sum("amount")).order_by()):
            before[e, m] = Decimal(str(s or 0)).quantize(CENT)
    made, now = [], timezone.now()
    for employer, month in new:  # in DECLARATION_COLUMNS order
        org_id = places.org_of(employer, month)
        base = payroll[employer, month]
        made.append((employer, month, None, base, due_on(base), before.get((employer, month), Decimal("0.00")),
                     places.kind(org_id), org_id, places.path_on(org_id, month), now))
    _insert_rows(Declaration, DECLARATION_COLUMNS, made)
    for row in made:
        _declared(deltas[row[8], month_of(row[1])], row[6], row[4], row[5], Decimal(0))


def _declared(delta: dict, kind: str, due: Decimal, paid: Decimal, owed: Decimal) -> None:
    """What a declaration owing `owed` (due − paid, may be negative) before adds to its summary row
    when its due grows by `due` and its paid by `paid` (the summary's arrears sum only what is owed)."""
    delta["due"] += due
    delta["paid"] += paid
    delta["arrears"] += max(owed + due - paid, Decimal(0)) - max(owed, Decimal(0))
    if kind == FundKind.PREPARATION:
        delta["preparation_due"] += due
        delta["preparation_paid"] += paid




__all__ = ["Line", "Refused", "receipts_bulk"]
