"""Due items of the 互助保障 line: claims awaiting review, approval or payment, and units whose
cover ends within the configured days and that have not renewed."""

import datetime as dt

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from . import conf
from .models import Batch, Claim, ClaimStatus, Item, ItemStatus

WAITING = {ClaimStatus.REGISTERED: "待审核", ClaimStatus.REVIEWED: "待审批", ClaimStatus.APPROVED: "待给付"}


def _claims(user, today, limit, offset, statuses, perm):
    qs = scope.visible(Claim.objects.filter(status__in=statuses), user, perm, "union__path").order_by(
        "registered_on", "pk")
    items = [Due(label=f"理赔{c.no}（{c.item.name}）{WAITING[c.status]}，核定{c.amount}元", due_on=c.registered_on,
                 url=reverse("mutual_aid:claim_detail", args=[c.pk]), org_name=c.union.name, overdue=False)
             for c in qs.select_related("union", "item")[offset:offset + limit]]
    return items, qs.count()


@reminder("mutual_aid.claims_to_review", label="互助保障理赔待审核", perm="mutual_aid.review")
def claims_to_review(user, today: dt.date, limit: int, offset: int = 0):
    return _claims(user, today, limit, offset, [ClaimStatus.REGISTERED], "mutual_aid.review")


@reminder("mutual_aid.claims_to_approve", label="互助保障理赔待审批、待给付", perm="mutual_aid.approve")
def claims_to_approve(user, today: dt.date, limit: int, offset: int = 0):
    return _claims(user, today, limit, offset, [ClaimStatus.REVIEWED, ClaimStatus.APPROVED], "mutual_aid.approve")


@reminder("mutual_aid.renewal", label="互助保障即将到期（应组织续保）", perm="mutual_aid.change")
def renewal(user, today: dt.date, limit: int, offset: int = 0):
    """Batches with covers ending within the configured days whose union has not enrolled again in
    the plan since."""
    until = today + dt.timedelta(days=int(conf.get("RENEWAL_REMINDER_DAYS")))
    ending = Item.objects.filter(batch=OuterRef("pk"), status=ItemStatus.ACTIVE, end_on__gte=today, end_on__lte=until)
    later = Batch.objects.filter(union=OuterRef("union"), term__plan=OuterRef("term__plan"),
                                 enrolled_on__gt=OuterRef("enrolled_on"))
    qs = scope.visible(Batch.objects.filter(Exists(ending)).exclude(Exists(later)), user, "mutual_aid.change",
                       "union__path").order_by("enrolled_on", "pk")
    # The first cover to end read in the same statement (a query per batch listed made the to-do
    # page's cost grow with its page size).
    first_end = Item.objects.filter(batch=OuterRef("pk"), status=ItemStatus.ACTIVE, end_on__gte=today).order_by(
        "end_on").values("end_on")[:1]
    items = [Due(label=f"{b.term.plan.name}参保单{b.no}的保障将于{b.first_end}到期，尚未续保", due_on=b.first_end,
                 url=reverse("mutual_aid:batch_detail", args=[b.pk]), org_name=b.union.name, overdue=False)
             for b in qs.select_related("union", "term__plan").annotate(first_end=Subquery(first_end))[
                 offset:offset + limit]]
    return items, qs.count()
