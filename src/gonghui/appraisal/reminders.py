"""Due items of the appraisal line, on both sides of a round: the units that still have to
report (their deadline near or passed, or reminded by the level above), and for the sender the
rounds past their deadline with units that have not reported."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, daily, reminder

from .models import NOT_REPORTED, Round, RoundStatus, Submission

WARN_DAYS = 3


@reminder("appraisal.to_report", label="填报任务待填报（截止前3日起、已催报）", perm="appraisal.change")
def to_report(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(Submission.objects.filter(
        Q(round__deadline__lte=today + dt.timedelta(days=WARN_DAYS)) | Q(reminders__gt=0),
        status__in=NOT_REPORTED, round__status=RoundStatus.OPEN), user, "appraisal.change", "org_path")
    qs = qs.select_related("round", "org").order_by("round__deadline", "id")
    items = [Due(label=f"填报“{s.round.title}”{'已逾期' if s.round.deadline < today else '即将截止'}"
                       + (f"（上级已催报{s.reminders}次）" if s.reminders else ""),
                 due_on=s.round.deadline, url=reverse("appraisal:submission", args=[s.pk]), org_name=s.org.name,
                 overdue=s.round.deadline < today)
             for s in qs[offset:offset + limit]]
    return items, qs.count()


@reminder("appraisal.missing", label="填报任务逾期未报（督导）", perm="appraisal.change")
def missing(user, today: dt.date, limit: int, offset: int = 0):
    late = Submission.objects.filter(round=OuterRef("pk"), status__in=NOT_REPORTED, reopened=False)
    qs = scope.visible(Round.objects.filter(Exists(late), deadline__lt=today), user, "appraisal.change", "org_path")
    qs = qs.select_related("org").order_by("deadline", "id")
    page = list(qs[offset:offset + limit].annotate(
        n=Count("submissions", filter=Q(submissions__status__in=NOT_REPORTED))))
    items = [Due(label=f"“{r.title}”尚有{r.n}个单位未报", due_on=r.deadline,
                 url=reverse("appraisal:round", args=[r.pk]), org_name=r.org.name, overdue=True) for r in page]
    return items, qs.count()


@daily("appraisal.recurring", label="自动下发周期性填报任务")
def send_recurring(today: dt.date) -> list[str]:
    from .services import send_recurring

    return [f"{r.org.name}：{r.title}（{r.period_start} 至 {r.period_end}，截止 {r.deadline}）"
            for r in send_recurring(today)]
