"""Reads of the petitions work line that are more than one filter."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from gonghui.core import scope

from . import services
from .models import Extension, Mediation, Petition, Status

LIST_RELATED = ("org", "handler_a", "handler_b")


def overdue_q(today: dt.date) -> Q:
    return (Q(status=Status.REGISTERED, notice_due__lt=today)
            | Q(status__in=[Status.ACCEPTED, Status.HANDLING], close_due__lt=today)
            | Q(status=Status.REVIEW, review_due__lt=today) | Q(status=Status.RECHECK, recheck_due__lt=today))


def petitions(user, *, today: dt.date, org=None, q: str = "", status: str = "", channel: str = "",
              received_from=None, received_to=None, overdue: bool = False, mine: bool = False):
    qs = Petition.objects.select_related(*LIST_RELATED).filter(services.visible_q(user))
    if org is not None:
        qs = qs.filter(scope.subtree_q("org__path", org.path))
    if q:
        q = q.strip()
        qs = qs.filter(Q(number=q) | Q(title__contains=q))
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if received_from:
        qs = qs.filter(received_on__gte=received_from)
    if received_to:
        qs = qs.filter(received_on__lte=received_to)
    if overdue:
        qs = qs.filter(overdue_q(today))
    if mine:
        qs = qs.filter(services.my_cases_q(user, today))
    return qs.order_by("-received_on", "-id")


def pending_extensions(user):
    return scope.visible(Extension.objects.filter(state=Extension.State.PENDING)
                         .select_related("petition", "petition__org", "requested_by"),
                         user, "petitions.approve", "petition__org__path")


def mediations(user, *, org=None, state: str = "", today: dt.date | None = None, overdue: bool = False):
    qs = scope.visible(Mediation.objects.select_related("org"), user, "petitions.view")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org__path", org.path))
    if state:
        qs = qs.filter(state=state)
    if overdue and today:
        qs = qs.filter(state=Mediation.State.OPEN, due_on__lt=today)
    return qs.order_by("-applied_on", "-id")
