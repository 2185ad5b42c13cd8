"""Reads of the 工会经费 line, each starting from the scope policy."""

from __future__ import annotations

from django.db.models import Q, Sum

from gonghui.core import scope
from gonghui.orgs.models import GRASSROOTS_TYPES, Org

from .models import (
    Declaration,
    DuesRecord,
    FundReview,
    MatchStatus,
    Receipt,
    Refund,
    RefundFormality,
    ReviewFinding,
)


def receipts(user, *, org=None, q: str = "", channel: str = "", status: str = "", kind: str = "",
             received_from=None, received_to=None, perm: str = "funds.view"):
    qs = scope.visible(Receipt.objects.select_related("employer", "org"), user, perm)
    if org is not None:
        qs = qs.filter(scope.subtree_q("org_path", org.path))
    if q:
        q = q.strip()
        qs = qs.filter(Q(reference=q) | Q(raw_uscc=q.upper()) | Q(employer__uscc=q.upper())
                       | Q(employer__name__contains=q) | Q(raw_name__contains=q))
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if received_from:
        qs = qs.filter(received_on__gte=received_from)
    if received_to:
        qs = qs.filter(received_on__lte=received_to)
    return qs.order_by("-received_on", "-id")


def pending(user, **filters):
    return receipts(user, status=MatchStatus.PENDING, perm="funds.change", **filters)


def total_amount(qs):
    return qs.order_by().aggregate(s=Sum("amount"))["s"]


def declarations(user, *, org=None, q: str = "", month_from=None, month_to=None, arrears: bool = False):
    qs = scope.visible(Declaration.objects.select_related("employer", "org"), user, "funds.view")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org_path", org.path))
    if q:
        qs = qs.filter(Q(employer__name__contains=q.strip()) | Q(employer__uscc=q.strip().upper()))
    if month_from:
        qs = qs.filter(month__gte=month_from.replace(day=1))
    if month_to:
        qs = qs.filter(month__lte=month_to)
    if arrears:
        from django.db.models import F

        qs = qs.filter(due__gt=F("paid"))
    return qs.order_by("-month", "-id")


def unions(user, *, org=None, state: str = "", q: str = ""):
    """Grass-roots unions with their 返还手续 (or none yet)."""
    qs = scope.visible(Org.objects.filter(org_type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True), user,
                       "funds.view", "path").select_related("fund_formality")
    if org is not None:
        qs = qs.filter(scope.subtree_q("path", org.path))
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(code=q.strip()))
    if state == "complete":
        qs = qs.filter(fund_formality__completed_on__isnull=False)
    elif state == "incomplete":
        qs = qs.filter(Q(fund_formality__isnull=True) | Q(fund_formality__completed_on__isnull=True))
    return qs.order_by("path")


def formality(union) -> RefundFormality | None:
    return RefundFormality.objects.filter(union=union).first()


def refunds(user, *, org=None, status: str = ""):
    qs = scope.visible(Refund.objects.select_related("union", "prepared_by", "approved_by"), user, "funds.view")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org_path", org.path))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-prepared_on", "-id")


def dues(user, *, org=None, month_from=None, month_to=None):
    qs = scope.visible(DuesRecord.objects.select_related("union"), user, "funds.view")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org_path", org.path))
    if month_from:
        qs = qs.filter(month__gte=month_from.replace(day=1))
    if month_to:
        qs = qs.filter(month__lte=month_to)
    return qs.order_by("-month", "-id")


def reviews(user, *, org=None, kind: str = "", open_only: bool = False, reviewed_from=None, reviewed_to=None):
    """经费审查 and 任期经济责任审计 records, with their count of findings not yet rectified."""
    from django.db.models import Count

    qs = scope.visible(FundReview.objects.select_related("org"), user, "funds.view")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org_path", org.path))
    if kind:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(pk__in=ReviewFinding.objects.filter(rectified_on__isnull=True).values("review_id"))
    if reviewed_from:
        qs = qs.filter(reviewed_on__gte=reviewed_from)
    if reviewed_to:
        qs = qs.filter(reviewed_on__lte=reviewed_to)
    return qs.annotate(found=Count("findings"), open=Count("findings", filter=Q(findings__rectified_on__isnull=True))
                       ).order_by("-reviewed_on", "-id")
