"""Due items of the 工会经费 line: arrears (a month's 2 % not paid in full by the 15th of the
next month), refunds waiting for approval, and 经审 findings due for rectification."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse

from gonghui.core import clock, scope
from gonghui.core.money import format_money
from gonghui.core.reminders import Due, reminder

from .models import Declaration, Refund, RefundStatus, ReviewFinding


def _due_on(month: dt.date) -> dt.date:
    from .services import pay_by

    return pay_by(month)


@reminder("funds.arrears", label="工会经费欠缴（到期日后未缴足）", perm="funds.view")
def arrears(user, today: dt.date, limit: int, offset: int = 0):
    from . import conf

    # Months whose due date has passed: month <= the first of the month before last's due.
    last_month = clock.add_months(today.replace(day=1), -1 if today.day > int(conf.get("PAY_BY_DAY")) else -2)
    qs = scope.visible(Declaration.objects.filter(due__gt=F("paid"), month__lte=last_month), user, "funds.view")
    qs = qs.select_related("employer", "org").order_by("month", "id")
    items = [Due(label=f"{d.employer.name} {d.month:%Y年%-m月}经费欠缴{format_money(d.due - d.paid)}",
                 due_on=_due_on(d.month), url=reverse("funds:declarations") + f"?q={d.employer.name}",
                 org_name=d.org.name, overdue=True) for d in qs[offset:offset + limit]]
    return items, qs.count()


@reminder("funds.refund_approval", label="经费返还待审批", perm="funds.approve")
def refund_approval(user, today: dt.date, limit: int, offset: int = 0):
    qs = scope.visible(Refund.objects.filter(status=RefundStatus.PREPARED), user, "funds.approve")
    qs = qs.exclude(prepared_by=user).select_related("union").order_by("prepared_on", "id")
    items = [Due(label=f"{r.union.name} 返还{format_money(r.amount)}待审批", due_on=r.prepared_on,
                 url=reverse("funds:refund_detail", args=[r.pk]), org_name=r.union.name, overdue=False)
             for r in qs[offset:offset + limit]]
    return items, qs.count()


RECTIFY_WARNING_DAYS = 15  # a finding shows on the to-do page this many days before its due date


@reminder("funds.rectification", label="经费审查发现问题待整改", perm="funds.change")
def rectification(user, today: dt.date, limit: int, offset: int = 0):
    horizon = today + dt.timedelta(days=RECTIFY_WARNING_DAYS)
    qs = scope.visible(ReviewFinding.objects.filter(rectified_on__isnull=True, due_on__lte=horizon), user,
                       "funds.change").select_related("review__org").order_by("due_on", "id")
    items = [Due(label=f"{f.review.org.name}：{f.description[:40]}（经费审查发现问题）", due_on=f.due_on,
                 url=reverse("funds:review_detail", args=[f.review_id]), org_name=f.review.org.name,
                 overdue=f.due_on < today) for f in qs[offset:offset + limit]]
    return items, qs.count()


@reminder("funds.preparation_undeclared", label="应缴工会筹备金未申报（应建未建会单位上月工资总额）", perm="funds.change")
def preparation_undeclared(user, today: dt.date, limit: int, offset: int = 0):
    """Employers that should have a union (headcount at least orgs' REQUIRED_HEADCOUNT, open), had
    none last month, owe 筹备金 for it (from PREPARATION_FROM and PREPARATION_GRACE_MONTHS after
    their registration) and have no declaration for it yet."""
    from django.db.models import Exists, OuterRef

    from gonghui.orgs import conf as orgs_conf
    from gonghui.orgs.models import Coverage, Employer, valid_on

    from . import conf

    month = clock.add_months(today.replace(day=1), -1)
    since = conf.preparation_from()
    if since is not None and month < since.replace(day=1):
        return [], 0
    registered_by = clock.add_months(month, -int(conf.get("PREPARATION_GRACE_MONTHS")))
    covered = Coverage.objects.filter(valid_on(month), employer=OuterRef("pk"))
    declared = Declaration.objects.filter(employer=OuterRef("pk"), month=month)
    qs = Employer.objects.filter(headcount__gte=orgs_conf.get("REQUIRED_HEADCOUNT"), closed_on__isnull=True)
    qs = qs.filter(Q(registered_on__isnull=True) | Q(registered_on__lte=registered_by))
    qs = scope.visible(qs.exclude(Exists(covered)).exclude(Exists(declared)), user, "funds.change", "org__path")
    qs = qs.select_related("org").order_by("org__path", "name", "pk")
    items = [Due(label=f"{e.name} {month:%Y年%-m月}应缴工会筹备金，未申报工资总额", due_on=_due_on(month),
                 url=reverse("funds:declaration_new"), org_name=e.org.name, overdue=_due_on(month) < today)
             for e in qs[offset:offset + limit]]
    return items, qs.count()
