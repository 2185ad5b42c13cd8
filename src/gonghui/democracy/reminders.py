"""Due items of the democracy line: 提案 answers due within a week or overdue, opinions on a
disclosure not answered within their 30 days, and congresses whose employer's headcount now needs
another delegate quota (代表名额重新核定)."""

import datetime as dt

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from . import conf, selectors
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


@reminder("democracy.quota_recalc", label="职工人数变化，代表名额待重新核定", perm="democracy.change")
def quota_recalc(user, today: dt.date, limit: int, offset: int = 0):
    """The congress page's recalculation prompt as a to-do item: it has no deadline of its own, so
    it is due today (not overdue), oldest term first."""
    qs = scope.visible(selectors.terms_to_recalculate(), user, "democracy.change", "congress__org__path")
    qs = qs.select_related("congress__org", "congress__employer").order_by("started_on", "pk")
    items = [Due(label=f"{t.congress.name}：职工 {t.congress.employer.headcount} 人，代表名额应不少于 "
                       f"{conf.quota(t.congress.employer.headcount)} 名（{t}按 {t.staff} 人核定）",
                 due_on=today, url=reverse("democracy:congress_detail", args=[t.congress_id]),
                 org_name=t.congress.org.name, overdue=False)
             for t in qs[offset:offset + limit]]
    return items, qs.count()
