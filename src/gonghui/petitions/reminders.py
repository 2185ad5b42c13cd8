"""Due items of the petitions work line: acceptance notices, conclusions, 复查/复核 answers
and mediation limits, each within the warning window or already overdue."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from . import conf
from .models import Mediation, Petition, Status


def _horizon(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=conf.get("WARN_DAYS"))


def _items(qs, field: str, what: str, today: dt.date, limit: int, offset: int = 0):
    qs = qs.select_related("org").order_by(field, "id")
    items = [
        Due(label=f"{p.number}（{p.title}）{what}{'已逾期' if getattr(p, field) < today else '即将到期'}",
            due_on=getattr(p, field), url=reverse("petitions:detail", args=[p.pk]), org_name=p.org.name,
            overdue=getattr(p, field) < today)
        for p in qs[offset:offset + limit]
    ]
    return items, qs.count()


@reminder("petitions.notice_due", label="信访受理告知期限（15日）", perm="petitions.view")
def notice_due(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(Petition.objects.filter(status=Status.REGISTERED, notice_due__lte=_horizon(today)),
                       user, "petitions.view")
    return _items(qs, "notice_due", "受理告知", today, limit, offset)


@reminder("petitions.close_due", label="信访办结期限（60日，延期30日）", perm="petitions.view")
def close_due(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(Petition.objects.filter(status__in=[Status.ACCEPTED, Status.HANDLING],
                                               close_due__lte=_horizon(today)), user, "petitions.view")
    return _items(qs, "close_due", "办结", today, limit, offset)


@reminder("petitions.review_due", label="信访复查、复核答复期限（30日）", perm="petitions.view")
def review_due(user, today: dt.date, limit: int, offset: int = 0):
    h = _horizon(today)
    base = scope.visible(Petition.objects.all(), user, "petitions.view")
    # Two deadlines merged by date: the first offset + limit of each hold the page's items.
    review = _items(base.filter(status=Status.REVIEW, review_due__lte=h), "review_due", "复查答复", today,
                    offset + limit)
    recheck = _items(base.filter(status=Status.RECHECK, recheck_due__lte=h), "recheck_due", "复核答复", today,
                     offset + limit)
    items = sorted(review[0] + recheck[0], key=lambda d: d.due_on)[offset:offset + limit]
    return items, review[1] + recheck[1]


@reminder("petitions.overdue", label="逾期信访案件", perm="petitions.view")
def overdue(user, today: dt.date, limit: int, offset: int = 0):
    late = (Q(status=Status.REGISTERED, notice_due__lt=today)
            | Q(status__in=[Status.ACCEPTED, Status.HANDLING], close_due__lt=today)
            | Q(status=Status.REVIEW, review_due__lt=today) | Q(status=Status.RECHECK, recheck_due__lt=today))
    qs = scope.visible(Petition.objects.filter(late), user, "petitions.view").select_related("org")
    qs = qs.order_by("received_on", "id")
    items = []
    for p in qs[offset:offset + limit]:
        label, on = p.current_due()
        items.append(Due(label=f"{p.number}（{p.title}）{label}已逾期", due_on=on,
                         url=reverse("petitions:detail", args=[p.pk]), org_name=p.org.name, overdue=True))
    return items, qs.count()


@reminder("mediation.due", label="劳动争议调解期限（15日）", perm="petitions.view")
def mediation_due(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(Mediation.objects.filter(state=Mediation.State.OPEN, due_on__lte=_horizon(today)),
                       user, "petitions.view").select_related("org").order_by("due_on", "id")
    items = [
        Due(label=f"{m.number} 调解{'已超过15日' if m.due_on < today else '即将满15日'}", due_on=m.due_on,
            url=reverse("petitions:mediation_detail", args=[m.pk]), org_name=m.org.name, overdue=m.due_on < today)
        for m in qs[offset:offset + limit]
    ]
    return items, qs.count()
