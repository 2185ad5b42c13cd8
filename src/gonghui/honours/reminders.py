"""Due items of the 劳模与荣誉 line: named honours due for their re-check (复查), 职工之家
ratings due for their 回头看, and care campaigns ending with model workers not yet served."""

import datetime as dt

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from . import conf, services
from .models import CareCampaign, HomeRating, Honour, HonourStatus


@reminder("honours.recheck_due", label="荣誉到期复查", perm="honours.approve")
def recheck_due(user, today: dt.date, limit: int, offset: int = 0):
    horizon = today + dt.timedelta(days=conf.get("RECHECK_WARNING_DAYS"))
    # Named honours due for 复查, and those under 限期整改 whose deadline (recheck_on) comes.
    qs = (scope.visible(Honour.objects.filter(status__in=(HonourStatus.NAMED, HonourStatus.RECTIFY),
                                              recheck_on__lte=horizon), user,
                        "honours.approve").select_related("org").order_by("recheck_on", "id"))
    items = [Due(label=f"{h}{_when(h, today)}", due_on=h.recheck_on,
                 url=reverse("honours:honour_detail", args=[h.pk]), org_name=h.org.name, overdue=h.recheck_on < today)
             for h in qs[offset:offset + limit]]
    return items, qs.count()


def _when(h, today: dt.date) -> str:
    late = h.recheck_on < today
    if h.status == HonourStatus.RECTIFY:
        return "整改期限已过" if late else "整改期限将到"
    return "复查已逾期" if late else "即将到期复查"


@reminder("honours.home_recheck_due", label="职工之家回头看", perm="honours.approve")
def home_recheck_due(user, today: dt.date, limit: int, offset: int = 0):
    horizon = today + dt.timedelta(days=conf.get("RECHECK_WARNING_DAYS"))
    # Ratings in force due for 回头看, and those under 限期整改 whose deadline comes (recheck_on).
    qs = (scope.visible(HomeRating.objects.filter(revoked_on__isnull=True, recheck_on__lte=horizon), user,
                        "honours.approve").select_related("org").order_by("recheck_on", "id"))
    items = []
    for r in qs[offset:offset + limit]:
        late = r.recheck_on < today
        when = ("整改期限已过" if late else "整改期限将到") if r.rectify_by else ("回头看已逾期" if late else "即将到期回头看")
        items.append(Due(label=f"{r.org.name}{r.get_level_display()}{when}", due_on=r.recheck_on,
                         url=reverse("honours:home_detail", args=[r.pk]), org_name=r.org.name, overdue=late))
    return items, qs.count()


@reminder("honours.campaign_unserved", label="关爱活动即将结束", perm="honours.change")
def campaign_unserved(user, today: dt.date, limit: int, offset: int = 0):
    horizon = today + dt.timedelta(days=conf.get("CAMPAIGN_WARNING_DAYS"))
    qs = (scope.visible(CareCampaign.objects.filter(start_on__lte=today, end_on__gte=today, end_on__lte=horizon),
                        user, "honours.change").select_related("org").order_by("end_on", "id"))
    items = []
    for c in qs[offset:offset + limit]:
        waiting = services.campaign_due(c).exclude(care__campaign=c).count()
        items.append(Due(label=f"{c.name}：尚有{waiting}人未登记服务", due_on=c.end_on,
                         url=reverse("honours:campaign_detail", args=[c.pk]), org_name=c.org.name, overdue=False))
    return items, qs.count()
