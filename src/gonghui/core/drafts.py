"""The drafts registry: records a user started and has not carried through (an archive built but
not yet put on notice, a negotiation not yet signed, a petition registered but not accepted).

Each work line registers, in its conventional module `drafts.py`, a function of (user, limit)
returning ([Draft], total): the start page lists them under 我的草稿 (core.workbench). Who started
a record is read from the audit log (`started_by`): the records keep no creator column, and the
entry that opened a record names its actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast

from .models import AuditEvent


@dataclass(frozen=True)
class Draft:
    label: str
    state: str  # where it stands, in Chinese (待公示, 正式协商, 待受理)
    since: dt.date  # when it was started
    url: str
    org_name: str


@dataclass(frozen=True)
class DraftKind:
    code: str
    label: str
    perm: str
    func: Callable[..., tuple[list[Draft], int]]


REGISTRY: dict[str, DraftKind] = {}


def drafts(code: str, *, label: str, perm: str):
    """Register a function of (user, limit) -> ([Draft], total) shown to holders of `perm`."""

    def decorator(func):
        REGISTRY[code] = DraftKind(code, label, perm, func)
        return func

    return decorator


def started_by(user, object_type: str, *actions: str) -> Exists:
    """Rows of the outer query (by pk) whose audit entry `action` was written by `user`: served by the
    audit log's index on (object_type, object_id)."""
    return Exists(AuditEvent.objects.filter(object_type=object_type, object_id=Cast(OuterRef("pk"), CharField()),
                                            action__in=actions, actor_id=user.pk))


def mine(user, limit: int) -> tuple[list[tuple[Draft, DraftKind]], int]:
    """([(draft, kind)] most recent first, total) over every kind the user may see."""
    from . import scope

    items, total = [], 0
    for kind in REGISTRY.values():
        if scope.has_perm(user, kind.perm):
            found, n = kind.func(user, limit)
            items += [(d, kind) for d in found]
            total += n
    return sorted(items, key=lambda p: (p[0].since, p[0].label), reverse=True), total
