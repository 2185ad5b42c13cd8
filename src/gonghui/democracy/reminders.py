"""Due items of the democracy line: 提案 answers due within a week or overdue, and opinions on
a disclosure not answered within their 30 days."""

import datetime as dt

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from .models import Opinion, Proposal, Status

SOON = dt.timedelta(days=7)


@reminder("democracy.proposal_answer", label="提案答复期限（一周内到期或已逾期）", perm="democracy.view")
def proposal_answer(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(Proposal.objects.filter(status=Status.ASSIGNED, due_on__lte=today + SOON), user,
                       "democracy.view", "org__path").order_by("due_on", "pk")
    items = [Due(label=f"提案 {p.number} {p.title}：{p.lead_dept}应书面答复", due_on=p.due_on,
                 url=reverse("democracy:proposal_detail", args=[p.pk]), org_name=p.org.name, overdue=p.due_on < today)
             for p in qs.select_related("org")[offset:offset + limit]]
    return items, qs.count()


@reminder("democracy.opinion_answer", label="公开意见 30 日内答复（已逾期）", perm="democracy.view")
def opinion_answer(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(Opinion.objects.filter(answered_on__isnull=True, due_on__lt=today), user, "democracy.view",
                       "org__path").order_by("due_on", "pk")
    items = [Due(label=f"{o.disclosure.title}：{o.raised_by}的意见未答复", due_on=o.due_on,
                 url=reverse("democracy:disclosure_detail", args=[o.disclosure_id]), org_name=o.org.name,
                 overdue=True)
             for o in qs.select_related("org", "disclosure")[offset:offset + limit]]
    return items, qs.count()
