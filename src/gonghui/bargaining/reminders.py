"""Due items of the bargaining work line: replies, congress votes, filing and publication
due within a week or overdue, and contracts ending within three months (renegotiation)."""

import datetime as dt

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from .models import Contract, Status
from .selectors import expiring_q, renewal_started_q

SOON = dt.timedelta(days=7)
STEP_LABELS = {
    Status.OFFERED: "对方应书面回应要约",
    Status.PREPARING: "应开始正式协商",
    Status.SUSPENDED: "中止后应恢复协商",
    Status.NEGOTIATING: "约定的下次协商",
    Status.VOTING: "合同草案应提交职代会审议",
    Status.SIGNED: "应报送人社部门审查",
    Status.FILED: "生效后应向全体职工公布",
    Status.EFFECTIVE: "生效后应向全体职工公布",
}


def _items(qs, today, limit, offset, label, due_field):
    items = [
        Due(label=f"{c.title}：{label(c)}", due_on=getattr(c, due_field),
            url=reverse("bargaining:detail", args=[c.pk]), org_name=c.org.name,
            overdue=getattr(c, due_field) < today)
        for c in qs.select_related("org")[offset:offset + limit]
    ]
    return items, qs.count()


@reminder("bargaining.step_due", label="集体协商步骤期限（一周内到期或已逾期）", perm="bargaining.view")
def step_due(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(
        Contract.objects.filter(status__in=list(STEP_LABELS), next_due_on__lte=today + SOON),
        user, "bargaining.view", "org__path",
    ).order_by("next_due_on", "pk")
    return _items(qs, today, limit, offset, lambda c: STEP_LABELS[c.status], "next_due_on")


@reminder("bargaining.expiring", label="集体合同即将到期（应启动续订协商）", perm="bargaining.view")
def expiring(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(
        Contract.objects.filter(expiring_q(today)).exclude(renewal_started_q()),
        user, "bargaining.view", "org__path",
    ).order_by("end_on", "pk")
    return _items(qs, today, limit, offset, lambda c: "合同期限将满，尚未启动续订", "end_on")
