"""Reads of the hardship work line that are more than one filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum

from gonghui.core import clock, scope
from gonghui.core.metrics import percent
from gonghui.core.periods import Period
from gonghui.orgs.models import Org

from .models import Application, ApplicationStatus, Archive, Campaign, CampaignTarget, Payment


def archives(user, *, q: str = "", org: Org | None = None, status: str = "", category: str = "",
             review_due: bool = False, gender: int | None = None, today: dt.date | None = None):
    qs = scope.visible(Archive.objects.all(), user, "assistance.view").select_related("org")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org__path", org.path))
    if q:
        qs = qs.filter(Q(head_name__startswith=q.strip()) | Q(no=q.strip()))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if gender:
        qs = qs.filter(gender=gender)  # 困难女职工 (DOMAIN §4.2, S2)
    if review_due:
        qs = qs.filter(status="active", next_review_on__lte=today or clock.today())
    return qs.order_by("-created_on", "-id")


def applications(user, *, status: str = "", type: str = ""):
    qs = scope.visible(Application.objects.all(), user, "assistance.view").select_related("archive", "org", "campaign")
    if status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(type=type)
    return qs.order_by("-applied_on", "-id")


def queue_counts(user) -> dict[str, int]:
    """Applications waiting for this user: to review and to approve (within the user's scope)."""
    out = {}
    for key, perm, status in (("review", "assistance.review", ApplicationStatus.SUBMITTED),
                              ("approve", "assistance.approve", ApplicationStatus.REVIEWED),
                              ("pay", "assistance.change", ApplicationStatus.APPROVED)):
        out[key] = (scope.visible(Application.objects.filter(status=status), user, perm).count()
                    if scope.has_perm(user, perm) else 0)
    return out


def campaign_progress(campaign: Campaign) -> dict:
    """Households reached and amount paid against the budget and the target list."""
    paid = Payment.objects.filter(campaign=campaign).aggregate(
        households=Count("archive", distinct=True), amount=Sum("amount"), times=Count("id"))
    targets = CampaignTarget.objects.filter(campaign=campaign)
    n_targets = targets.count()
    reached = targets.filter(archive__payments__campaign=campaign).values("archive").distinct().count()
    amount = paid["amount"] or Decimal("0.00")
    budget = campaign.budget
    return {
        "households": paid["households"], "times": paid["times"], "amount": amount,
        "budget": budget, "remaining": budget - amount,
        "budget_pct": percent(amount, budget),
        "targets": n_targets, "targets_reached": reached,
        "targets_pct": percent(reached, n_targets),
    }


def payments_by(org: Org, period: Period, field: str) -> list[tuple[str, int, Decimal]]:
    """Payments in the period under `org` grouped by type or fund source: (label, 人次, 元),
    one grouped query; the same rows and attribution as the assistance.* metrics."""
    from gonghui.orgs.selectors import path_on

    from . import conf
    from .models import AssistanceType

    labels = dict(AssistanceType.choices) if field == "type" else dict(conf.fund_sources())
    rows = (Payment.objects.filter(scope.subtree_q("path", path_on(org, period.end)), paid_on__gte=period.start,
                                   paid_on__lte=period.end)
            .order_by().values(field).annotate(n=Count("id"), s=Sum("amount")).order_by("-s"))
    return [(labels.get(r[field], r[field]), r["n"], r["s"]) for r in rows]
