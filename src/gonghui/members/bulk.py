"""入会 in bulk: the roster import's fast path for people the system does not know yet.

`members_bulk_join` mirrors `services.member_join` row for row: the same Person (encrypted
ID number, HMAC, masked form, last 4, gender and birth date from the number, pinyin keys,
phone encrypted and masked, through the service's own `_set_person_fields`), the same
Membership, the same open MemberStatusPeriod and the same JOINED MemberEvent (with the
union's path on the join date). `tests/members/test_import.py` asserts the rows are equal
field by field. It differs on purpose in two ways:

* the rows are written a batch at a time, instead of ~10 queries a person: with COPY on
  PostgreSQL (the ids of the batch's people and memberships drawn from their sequences in one
  query each), with `bulk_create` elsewhere. Building `bulk_create`'s INSERT took about four
  times as long as a COPY of the same rows (issue 14: the import was 4.2× a COPY of its rows);
  the model instances are the same either way, so the values are those `bulk_create` would write;
* the audit log gets ONE entry for the whole call, with the counts per union, instead of one
  per person (STYLE §4: bulk operations are logged in bulk; 100,000 hash-chained entries
  would double the import's time and say nothing more).

It trusts its caller (the importer) to have validated every row against the database first:
ID numbers not yet registered, card numbers free, unions in the actor's scope. The database's
unique constraints (ID hash, card number, one current membership) still refuse a row that
slipped through, which rolls the whole call back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection, models, transaction

from gonghui.core import audit, clock, crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import IdNumber
from gonghui.orgs.models import Org, OrgPlacement

from . import services
from .models import MemberEvent, Membership, MemberStatus, MemberStatusPeriod, Person, month_of

BATCH_SIZE = 2000
ACTION = "members.member.bulk_joined"
audit.register_actions({ACTION: "批量入会（导入）"})


@dataclass(frozen=True)
class NewMember:
    """What `member_join` takes, for one person: `fields` are its PERSON_FIELDS keywords."""

    union: Org
    name: str
    id_number: IdNumber
    joined_on: dt.date
    card_no: str = ""
    fields: dict = field(default_factory=dict)


class _Paths:
    """`orgs.selectors.path_on` for many (union, date) pairs: the placements read once."""

    def __init__(self, unions: Sequence[Org]):
        self.unions = {u.pk: u for u in unions}
        self.placements: dict[int, list[tuple[dt.date, dt.date | None, str]]] = {}
        rows = OrgPlacement.objects.filter(org_id__in=list(self.unions)).values_list(
            "org_id", "valid_from", "valid_to", "path")
        for org_id, valid_from, valid_to, path in rows:
            self.placements.setdefault(org_id, []).append((valid_from, valid_to, path))
        for spans in self.placements.values():
            spans.sort(key=lambda s: s[0], reverse=True)  # path_on orders by -valid_from
        self.cache: dict[tuple[int, dt.date], str] = {}
        self.spans = services.union_spans(self.unions)  # in date order, for the status periods
        self.parts: dict[tuple[int, dt.date], list] = {}

    def segments(self, union: Org, start: dt.date) -> list:
        """services.path_segments of an open period from `start` (cached: joins share dates)."""
        key = (union.pk, start)
        if key not in self.parts:
            self.parts[key] = services.path_segments(self.spans.get(union.pk, []), union.path, start, None)
        return self.parts[key]

    def on(self, union_id: int, at: dt.date) -> str:
        key = (union_id, at)
        if key not in self.cache:
            found = next((p for start, end, p in self.placements.get(union_id, ())
                          if start <= at and (end is None or end > at)), None)
            self.cache[key] = found or self.unions[union_id].path
        return self.cache[key]


def _check(actor, rows: Sequence[NewMember]) -> None:
    """The checks of member_join that need no query per row (the importer did the others)."""
    today = clock.today()
    for union in {r.union.pk: r.union for r in rows}.values():
        scope.require(actor, "members.change", union.path)
        services._check_union(union)
    unknown = {k for r in rows for k in r.fields} - set(services.PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for r in rows:
        if not r.joined_on or r.joined_on > today:
            raise ServiceError(f"入会日期（{r.joined_on}）不能晚于今天。", field="joined_on")
        if r.union.founded_on and r.joined_on < r.union.founded_on:
            raise ServiceError(f"入会日期不能早于工会成立日期 {r.union.founded_on}。", field="joined_on")


def _ids(model: type[models.Model], n: int) -> list[int]:
    """`n` new ids from the table's sequence (PostgreSQL), in one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [model._meta.db_table, n])
        return [r[0] for r in cursor.fetchall()]


def _copy(model: type[models.Model], objs: Sequence[models.Model], with_pk: bool) -> None:
    """COPY the instances' rows into the model's table (PostgreSQL): each field's value as
    `bulk_create` would save it (auto_now_add set by pre_save; a JSON field as JSON). Without
    `with_pk` the column is left out and the table's identity fills it."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            values = [f.pre_save(obj, True) for f in fields]
            for i in json_at:
                values[i] = json.dumps(values[i], cls=fields[i].encoder)
            copy.write_row(values)


def _write(model: type[models.Model], objs: list[models.Model], *, with_pk: bool = False) -> None:
    """Save new instances: COPY on PostgreSQL (ids drawn first when `with_pk`), else bulk_create."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    if with_pk:
        for obj, pk in zip(objs, _ids(model, len(objs)), strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
    _copy(model, objs, with_pk)


def _save_batch(rows: Sequence[NewMember], actor_name: str, paths: _Paths) -> None:
    people = []
    ring = crypto.keyring()  # once a batch: each look-up checks the keyring file (a rotation is seen by the next)
    for r in rows:
        info = r.id_number
        person = Person(id_cipher=crypto.encrypt(info.number, ring), id_hash=crypto.lookup_hash(info.number, ring),
                        id_masked=crypto.mask_id(info.number), id_last4=info.number[-4:], gender=info.gender,
                        birth_date=info.birth_date, first_joined_on=r.joined_on)
        services._set_person_fields(person, {"name": r.name, **r.fields}, ring)
        people.append(person)
    _write(Person, people, with_pk=True)
    memberships = [Membership(person=p, union_id=r.union.pk, started_on=r.joined_on, card_no=(r.card_no or "").strip())
                   for p, r in zip(people, rows, strict=True)]
    _write(Membership, memberships, with_pk=True)
    _write(MemberStatusPeriod, [
        period
        for p, m, r in zip(people, memberships, rows, strict=True)
        for period in services.period_rows(membership_id=m.pk, union_id=m.union_id,
                                           segments=paths.segments(r.union, m.started_on), status=MemberStatus.ACTIVE,
                                           gender=p.gender, migrant=p.is_migrant_worker)
    ])
    _write(MemberEvent, [
        MemberEvent(person_id=m.person_id, membership=m, union_id=m.union_id, kind=MemberEvent.Kind.JOINED,
                    effective_on=m.started_on, month=month_of(m.started_on), path=paths.on(m.union_id, m.started_on),
                    data={}, reason="",
                    actor_name=actor_name)
        for m in memberships
    ])


def _common_path(paths: list[str]) -> str:
    """The deepest node above all these unions: where the summary entry is filed."""
    prefix = paths[0]
    for p in paths[1:]:
        while not p.startswith(prefix):
            prefix = prefix[: -Org.steplen]
    return prefix


@transaction.atomic
def members_bulk_join(*, actor, rows: Sequence[NewMember], batch_size: int | None = None,
                      progress: Callable[[int], None] | None = None) -> int:
    """入会 for people not yet in the system, `batch_size` at a time; returns how many joined.
    One audit entry summarises the call. `progress(n)` is told after each batch."""
    if not rows:
        return 0
    _check(actor, rows)
    unions = list({r.union.pk: r.union for r in rows}.values())
    paths = _Paths(unions)
    actor_name = actor.get_username() if actor is not None else "系统"
    batch_size = batch_size or BATCH_SIZE
    for start in range(0, len(rows), batch_size):
        _save_batch(rows[start: start + batch_size], actor_name, paths)
        if progress is not None:
            progress(min(start + batch_size, len(rows)))
    per_union = Counter(r.union.code or str(r.union.pk) for r in rows)
    label = f"批量入会 {len(rows)} 人（{len(unions)} 个工会）"
    audit.record(actor=actor, action=ACTION,
                 target=audit.Target(object_type="members.membership", label=label,
                                     org_path=_common_path([u.path for u in unions])),
                 changes={"joined": len(rows), "unions": dict(sorted(per_union.items()))})
    return len(rows)
