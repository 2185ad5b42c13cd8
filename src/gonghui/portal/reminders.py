"""Due items of the member portal: rights requests near or past their 15-working-day limit, and
online applications and help requests waiting for the union."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from .models import Application, ApplicationStatus, HelpRequest, HelpStatus, RightsRequest, RightsStatus

WARN_DAYS = 3
WAITING_DAYS = 5  # an application or help request unanswered this long is a to-do


@reminder("portal.rights_due", label="个人信息权利请求办理期限（15个工作日）", perm="portal.view")
def rights_due(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(RightsRequest.objects.filter(status=RightsStatus.OPEN,
                                                    due_on__lte=today + dt.timedelta(days=WARN_DAYS)),
                       user, "portal.view").select_related("union").order_by("due_on", "pk")
    items = [Due(label=f"{r.get_kind_display()}请求{'已逾期' if r.due_on < today else '即将到期'}", due_on=r.due_on,
                 url=reverse("portal:rights_staff_detail", args=[r.pk]), org_name=r.union.name,
                 overdue=r.due_on < today) for r in qs[offset:offset + limit]]
    return items, qs.count()


@reminder("portal.applications_waiting", label="网上入会申请待审核（超过5天）", perm="portal.view")
def applications_waiting(user, today: dt.date, limit: int, offset: int = 0):
    before = today - dt.timedelta(days=WAITING_DAYS)
    qs = scope.visible(Application.objects.filter(status=ApplicationStatus.PENDING, submitted_at__date__lte=before),
                       user, "portal.view").select_related("union").order_by("submitted_at", "pk")
    items = [Due(label=f"入会申请 {a.ref}（{a.name}）待审核", due_on=a.submitted_at.date() + dt.timedelta(days=WAITING_DAYS),
                 url=reverse("portal:application_detail", args=[a.pk]), org_name=a.union.name, overdue=True)
             for a in qs[offset:offset + limit]]
    return items, qs.count()


@reminder("portal.help_waiting", label="网上帮扶申请待答复（超过5天）", perm="portal.view")
def help_waiting(user, today: dt.date, limit: int, offset: int = 0):
    before = today - dt.timedelta(days=WAITING_DAYS)
    qs = scope.visible(HelpRequest.objects.filter(status=HelpStatus.RECEIVED, created_at__date__lte=before),
                       user, "portal.view").select_related("union").order_by("created_at", "pk")
    items = [Due(label=f"{h.get_kind_display()}网上申请待答复", due_on=h.created_at.date() + dt.timedelta(days=WAITING_DAYS),
                 url=reverse("portal:help_detail", args=[h.pk]), org_name=h.union.name, overdue=True)
             for h in qs[offset:offset + limit]]
    return items, qs.count()
