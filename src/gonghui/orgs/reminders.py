"""Due items of the org work line: terms ending within the warning window, and overdue."""

import datetime as dt

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from . import conf
from .models import Org, OrgStatus


@reminder("orgs.term_due", label="换届提醒（任期将满或已逾期）", perm="orgs.view")
def term_due(user, today: dt.date, limit: int, offset: int = 0):
    horizon = today + dt.timedelta(days=conf.get("TERM_WARNING_DAYS"))
    qs = scope.visible(
        Org.objects.filter(term_ends_on__lte=horizon).exclude(status=OrgStatus.DISSOLVED), user, "orgs.view"
    ).order_by("term_ends_on", "path")
    items = [
        Due(
            label=f"第{o.term_number}届任期{'已届满，尚未换届' if o.term_ends_on < today else '即将届满'}",
            due_on=o.term_ends_on,
            url=reverse("orgs:detail", args=[o.pk]),
            org_name=o.name,
            overdue=o.term_ends_on < today,
        )
        for o in qs[offset:offset + limit]
    ]
    return items, qs.count()
