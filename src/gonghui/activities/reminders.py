"""Due items of the 活动与阵地 line: rectifications due within a week or overdue."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from .models import Finding

WARN_DAYS = 7


@reminder("activities.rectification_due", label="安全检查问题整改期限", perm="activities.view")
def rectification_due(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(Finding.objects.filter(closed_on__isnull=True, due_on__lte=today + dt.timedelta(days=WARN_DAYS)),
                       user, "activities.view", "inspection__org__path")
    qs = qs.select_related("inspection__org").order_by("due_on", "id")
    items = [Due(label=f"{f.get_kind_display()}：{f.description}（{f.inspection.employer_name or f.inspection.org.name}）"
                       f"整改{'已逾期' if f.due_on < today else '即将到期'}",
                 due_on=f.due_on, url=reverse("activities:inspection_detail", args=[f.inspection_id]),
                 org_name=f.inspection.org.name, overdue=f.due_on < today)
             for f in qs[offset:offset + limit]]
    return items, qs.count()
