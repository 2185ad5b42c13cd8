"""Roster reads: the scoped, filtered list of current memberships and member search."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate

from gonghui.core import clock, crypto, scope
from gonghui.core.scope import subtree_q

from .models import Membership, MemberStatus, Person, Transfer

ID_LIKE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
LAST4 = re.compile(r"^\d{3}[\dXx]$")


def latest_membership(person: Person) -> Membership | None:
    """The person's current membership, or the last one that ended: the union that decides who
    may see the person. Spelt out because NULL (current) sorts first on SQLite and last on
    PostgreSQL, so `order_by("ended_on")` picked the old union after a transfer on PostgreSQL."""
    return (person.memberships.select_related("union")
            .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-pk").first())


def name_key(field: str = "person__name"):
    """The name as the roster sorts and prefix-searches it: in code-point order.

    On PostgreSQL, `COLLATE "C"` matches the `person_name_c` index of migration 0002, so both
    the prefix range and the ORDER BY are served by one index under any database collation
    (a plain index under a linguistic collation serves neither; ARCHITECTURE §6). SQLite
    compares BINARY, which is code-point order already.
    """
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def name_prefix_q(text: str) -> Q:
    """Names starting with `text`, as a range on `name_key` (needs the alias set by `roster`)."""
    return Q(name_key__gte=text, name_key__lt=text[:-1] + chr(ord(text[-1]) + 1))


def search_q(text: str) -> Q:
    """Name (prefix), pinyin (any reading of the surname), card number, ID number or its last 4.

    Every condition is on the person, so that the database can answer the search from the
    person's indexes alone: the name prefix and pinyin by walking `person_name_c` in the
    roster's order (index-only on PostgreSQL: it includes the pinyin keys), or the trigram
    index for a rare pinyin. The card number is the membership's: it is looked up first, on its
    own (two queries), and a holder found joins the OR as his person (`id_hash`). An OR of
    `card_no = …` with the person's columns made PostgreSQL read every membership and every
    person (1-17 s over a city; issue 14).
    """
    text = text.strip()
    if not text:
        return Q()
    if ID_LIKE.match(text):
        from gonghui.core.identifiers import parse_id_number

        try:
            return Q(person__id_hash__in=crypto.lookup_hashes(parse_id_number(text).number))
        except Exception:  # a malformed number matches nobody
            return Q(pk__in=[])
    if not text.isascii():
        # Chinese: a name. Card numbers are ASCII, so no OR with them.
        return name_prefix_q(text)
    q = Q(pk__in=[])
    holders = list(Membership.objects.filter(card_no=text, ended_on__isnull=True)
                   .values_list("person__id_hash", flat=True)[:2])
    if holders:  # the roster lists current memberships only, so the holder's is this one
        q |= Q(person__id_hash__in=holders)
    if LAST4.match(text):
        q |= Q(person__id_last4=text.upper())
    token = text.lower().replace(" ", "")
    if token.isalpha():
        q |= Q(person__pinyin_keys__contains=" " + token)
    return q


def roster(user, *, org=None, q: str = "", status: str = "", gender: str = "", migrant: str = "",
           age_min: int | None = None, age_max: int | None = None, joined_from: dt.date | None = None,
           joined_to: dt.date | None = None, today: dt.date | None = None) -> QuerySet[Membership]:
    """Current memberships the user may see, filtered; ordered by name for a stable roster.

    The people are fetched after the page (`prefetch_related`), not joined in full: the query
    then needs of the person only the columns `person_name_c` holds, so PostgreSQL finds the
    first page of a search by walking that index in name order without reading people's rows
    (a city's most common surname in pinyin: 1.0 s → about 0.1 s; docs/benchmarks.md).
    """
    qs = scope.visible(Membership.objects.filter(ended_on__isnull=True), user, "members.view")
    qs = qs.alias(name_key=name_key())
    if org is not None:
        qs = qs.filter(subtree_q("union__path", org.path))
    if q:
        qs = qs.filter(search_q(q))
    if status in (MemberStatus.ACTIVE, MemberStatus.RETAINED):
        qs = qs.filter(status=status)
    if gender in ("1", "2"):
        qs = qs.filter(person__gender=int(gender))
    if migrant in ("1", "0"):
        qs = qs.filter(person__is_migrant_worker=migrant == "1")
    today = today or clock.today()
    if age_min is not None:
        qs = qs.filter(person__birth_date__lte=clock.add_months(today, -12 * age_min))
    if age_max is not None:
        qs = qs.filter(person__birth_date__gt=clock.add_months(today, -12 * (age_max + 1)))
    if joined_from:
        qs = qs.filter(person__first_joined_on__gte=joined_from)
    if joined_to:
        qs = qs.filter(person__first_joined_on__lte=joined_to)
    return qs.select_related("union").prefetch_related("person").order_by("name_key", "pk")


def transfer_decider_q(user, perm: str = "members.change") -> Q:
    """Transfers this user decides: those asked of a union in his scope (FROM: the receiving
    union decides; TO: the holding union does)."""
    return ((Q(initiator=Transfer.Initiator.FROM) & scope.scope_q(user, perm, "to_union__path"))
            | (Q(initiator=Transfer.Initiator.TO) & scope.scope_q(user, perm, "membership__union__path")))


def transfers_to_decide(user) -> QuerySet:
    return Transfer.objects.filter(transfer_decider_q(user), status=Transfer.Status.PENDING)


def transfers_requested_in(user) -> QuerySet:
    """The requests by ID number that unions in the user's scope sent: shown with the masked
    number and the outcome only, never where the person was."""
    from .models import Transfer

    return Transfer.objects.filter(scope.scope_q(user, "members.change", "to_union__path"),
                                   initiator=Transfer.Initiator.TO)
