"""Due items of the democracy line: 提案 answers due within a week or overdue, opinions on a
disclosure not answered within their 30 days, congresses whose employer's headcount now needs
another delegate quota (代表名额重新核定), and congresses that have not met for a year (a 职代会
meets at least once a year, DOMAIN §7.1)."""

import datetime as dt

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from gonghui.core import clock, scope
from gonghui.core.reminders import Due, reminder

from . import conf, selectors
from .models import Congress, Opinion, Proposal, Session, Status

SOON = dt.timedelta(days=7)
SESSION_SOON = dt.timedelta(days=30)  # the yearly session is announced a month ahead


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


@reminder("democracy.annual_session", label="职代会每年至少召开一次（一年内未召开）", perm="democracy.view")
def annual_session(user, today: dt.date, limit: int, offset: int = 0):
    """Congresses in being whose last session (or, before the first, their founding) is a year old
    within the next month: due on its anniversary, overdue after it."""
    last = Subquery(Session.objects.filter(congress=OuterRef("pk")).order_by("-held_on").values("held_on")[:1])
    qs = (scope.visible(Congress.objects.filter(selectors.congress_live_q(today)), user, "democracy.view", "org__path")
          .annotate(last_held=last, since=Coalesce(last, F("established_on")))
          .filter(since__lte=clock.add_months(today + SESSION_SOON, -12)).order_by("since", "pk"))
    items = []
    for c in qs.select_related("org")[offset:offset + limit]:
        due = clock.add_months(c.since, 12)
        what = f"上次会议 {c.last_held}" if c.last_held else f"{c.established_on}建立以来未召开会议"
        items.append(Due(label=f"{c.name}：{what}，每年至少召开一次", due_on=due,
                         url=reverse("democracy:congress_detail", args=[c.pk]), org_name=c.org.name,
                         overdue=due < today))
    return items, qs.count()
