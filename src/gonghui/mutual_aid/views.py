"""互助保障 pages. Thin: fetch in scope → form → service → redirect.

Claims show the diagnosis masked; a holder of `mutual_aid.view_sensitive` asks for the full view
(`?reveal=1`), which is access-logged (services.claim_reveal).
"""

from __future__ import annotations

from django.db.models import Q, Sum
from django.shortcuts import render

from gonghui.core import scope
from gonghui.core.paging import keyset
from gonghui.core.scope import subtree_q
from gonghui.core.views_base import requires
from gonghui.orgs.models import Org

from . import services
from .models import Batch, Claim, ClaimStatus, Item, Plan

VIEW, CHANGE = "mutual_aid.view", "mutual_aid.change"


def _node_filter(request, qs, field: str, in_force: list):
    code = request.GET.get("org", "").strip()
    if code:  # from a figure's drill-down: one node's subtree
        node = scope.get_visible_or_404(Org.objects.all(), request.user, VIEW, code=code)
        qs = qs.filter(subtree_q(field, node.path))
        in_force.append(("单位编码(含下级)", code))
    return qs


@requires(VIEW)
def index(request):
    """参保批次: the units' group enrolments, newest first, with their coverage and premium."""
    f = request.GET
    qs = scope.visible(Batch.objects.select_related("union", "term__plan"), request.user, VIEW, "union__path")
    in_force: list = []
    qs = _node_filter(request, qs, "path", in_force)
    plan = f.get("plan", "").strip()
    if plan.isdigit():
        qs = qs.filter(term__plan_id=int(plan))
        in_force.append(("项目", Plan.objects.filter(pk=int(plan)).values_list("name", flat=True).first() or plan))
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(Q(no__contains=q) | Q(union__name__contains=q))
        in_force.append(("查找", q))
    totals = qs.aggregate(people=Sum("enrolled_count"), premium=Sum("premium_total"), insured=Sum("sum_insured_total"))
    page = keyset(qs.order_by("-enrolled_on", "-pk"), request, "mutual_aid.batches")
    return render(request, "mutual_aid/index.html", {
        "page": page, "in_force": in_force, "filters": f, "totals": totals,
        "plans": Plan.objects.order_by("code"), "can_change": scope.has_perm(request.user, CHANGE),
    })


@requires(VIEW)
def batch_detail(request, pk):
    batch = scope.get_visible_or_404(Batch.objects.select_related("union", "term__plan"), request.user, VIEW,
                                     "union__path", pk=pk)
    items = keyset(batch.items.order_by("row_no", "pk"), request, "mutual_aid.items")
    return render(request, "mutual_aid/batch_detail.html", {"batch": batch, "page": items,
                                                            "min_coverage": batch.term.plan.min_coverage})


@requires(VIEW)
def claims(request):
    f = request.GET
    qs = scope.visible(Claim.objects.select_related("union", "item"), request.user, VIEW, "union__path")
    in_force: list = []
    qs = _node_filter(request, qs, "path", in_force)
    if f.get("status") in ClaimStatus.values:
        qs = qs.filter(status=f["status"])
        in_force.append(("状态", ClaimStatus(f["status"]).label))
    q = f.get("q", "").strip()
    if q:
        qs = qs.filter(Q(no__contains=q) | Q(item__name__contains=q) | Q(union__name__contains=q))
        in_force.append(("查找", q))
    totals = qs.aggregate(amount=Sum("amount"), paid=Sum("paid_amount"))
    page = keyset(qs.order_by("-registered_on", "-pk"), request, "mutual_aid.claims")
    return render(request, "mutual_aid/claims.html", {
        "page": page, "in_force": in_force, "filters": f, "totals": totals, "statuses": ClaimStatus.choices})


@requires(VIEW)
def claim_detail(request, pk):
    claim = scope.get_visible_or_404(Claim.objects.select_related("union", "item__plan", "item__batch"),
                                     request.user, VIEW, "union__path", pk=pk)
    can_reveal = scope.has_perm(request.user, "mutual_aid.view_sensitive", claim.union.path)
    revealed = services.claim_reveal(user=request.user, claim=claim) if can_reveal and request.GET.get("reveal") else None
    return render(request, "mutual_aid/claim_detail.html", {
        "claim": claim, "item": claim.item, "revealed": revealed, "can_reveal": can_reveal})


@requires(VIEW)
def plans(request):
    qs = Plan.objects.prefetch_related("benefits", "terms").select_related("org").order_by("code")
    return render(request, "mutual_aid/plans.html", {"plans": qs, "items_model": Item})
