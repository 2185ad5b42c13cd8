"""Reads of the 民主管理 line that other lines use too: which employers have a workers' congress
on a day (their own, or a regional/sectoral one covering them), and the sessions a collective
contract's congress vote can be recorded at."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from .models import Congress, CongressEmployer, Scope, Session


def congress_live_q(at: dt.date, prefix: str = "") -> Q:
    """The congress exists on `at`: established by then and not ended."""
    return (Q(**{f"{prefix}established_on__lte": at})
            & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": at})))


def own_congress_on(at: dt.date, field: str = "pk") -> Q:
    """The employer (`field`) has its own 职代会 or 职工大会 on `at`. An uncorrelated `IN (SELECT …)`,
    which both databases run once (PostgreSQL as a hashed subplan, also inside an OR), not per row."""
    own = Congress.objects.filter(congress_live_q(at), scope=Scope.ENTERPRISE, employer__isnull=False)
    return Q(**{f"{field}__in": own.values("employer_id")})


def regional_congress_on(at: dt.date, field: str = "pk") -> Q:
    """The employer (`field`) is covered on `at` by a regional or sectoral 职代会."""
    return Q(**{f"{field}__in": CongressEmployer.objects.filter(congress_live_q(at, "congress__"))
                .values("employer_id")})


def has_congress_on(at: dt.date, field: str = "pk") -> Q:
    """已建职代会: the employer has a 职代会 (its own, or a regional/sectoral one covering it) on `at`."""
    return own_congress_on(at, field) | regional_congress_on(at, field)


def sessions_for_employers(employer_ids) -> Session.objects:
    """The sessions of the congresses of these employers (their own or covering them), newest first:
    where a collective contract's draft can be put to the vote."""
    ids = list(employer_ids)
    return (Session.objects.filter(Q(congress__employer_id__in=ids) | Q(congress__covered__employer_id__in=ids))
            .select_related("congress", "term").distinct().order_by("-held_on", "-pk"))

