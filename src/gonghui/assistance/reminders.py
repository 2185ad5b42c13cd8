"""Due items of the hardship work line: annual reviews, public notices ending, campaigns
ending with budget unspent."""

import datetime as dt

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from gonghui.core import scope
from gonghui.core.money import format_money
from gonghui.core.reminders import Due, reminder

from . import conf
from .models import Archive, ArchiveStatus, Campaign, Payment


@reminder("assistance.review_due", label="困难档案年度复核到期", perm="assistance.change")
def review_due(user, today: dt.date, limit: int, offset: int = 0):
    horizon = today + dt.timedelta(days=conf.get("REVIEW_WARNING_DAYS"))
    qs = scope.visible(Archive.objects.filter(status=ArchiveStatus.ACTIVE, next_review_on__lte=horizon),
                       user, "assistance.change").select_related("org").order_by("next_review_on", "id")
    items = [Due(label=f"{a.head_name}（{a.no}）{'复核已逾期' if a.next_review_on < today else '即将到期复核'}",
                 due_on=a.next_review_on, url=reverse("assistance:archive_detail", args=[a.pk]), org_name=a.org.name,
                 overdue=a.next_review_on < today) for a in qs[offset:offset + limit]]
    return items, qs.count()


@reminder("assistance.notice_ending", label="困难档案公示期满待入档", perm="assistance.change")
def notice_ending(user, today: dt.date, limit: int, offset: int = 0):
    horizon = today + dt.timedelta(days=conf.get("NOTICE_WARNING_DAYS"))
    qs = scope.visible(Archive.objects.filter(status=ArchiveStatus.NOTICE, notice_until__lte=horizon),
                       user, "assistance.change").select_related("org").order_by("notice_until", "id")
    items = [Due(label=f"{a.head_name}（{a.no}）公示{'已期满，待入档' if a.notice_until <= today else '即将期满'}",
                 due_on=a.notice_until, url=reverse("assistance:archive_detail", args=[a.pk]), org_name=a.org.name,
                 overdue=a.notice_until < today) for a in qs[offset:offset + limit]]
    return items, qs.count()


@reminder("assistance.campaign_unspent", label="帮扶活动即将结束、预算未用完", perm="assistance.change")
def campaign_unspent(user, today: dt.date, limit: int, offset: int = 0):
    horizon = today + dt.timedelta(days=conf.get("CAMPAIGN_WARNING_DAYS"))
    paid = (Payment.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
            .annotate(s=Sum("amount")).values("s")[:1])
    zero = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))
    qs = (scope.visible(Campaign.objects.filter(end_on__gte=today, end_on__lte=horizon), user, "assistance.change")
          .annotate(paid=Coalesce(Subquery(paid), zero)).filter(paid__lt=F("budget"))
          .select_related("org").order_by("end_on", "id"))
    items = [Due(label=f"{c.name}：已发放 {format_money(c.paid)}，预算 {format_money(c.budget)}，尚余 {format_money(c.budget - c.paid)}", due_on=c.end_on,
                 url=reverse("assistance:campaign_detail", args=[c.pk]), org_name=c.org.name, overdue=False)
             for c in qs[offset:offset + limit]]
    return items, qs.count()
