from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from .models import Visit


@reminder("sampleline.follow_up", label="走访回访到期", perm="sampleline.view")
def follow_ups(user, today, limit, offset=0):
    qs = scope.visible(Visit.objects.filter(follow_up_on__isnull=False), user, "sampleline.view", "org_path")
    qs = qs.select_related("org").order_by("follow_up_on", "pk")
    items = [Due(f"回访：{v.title}", v.follow_up_on, reverse("sampleline:index"), v.org.name, v.follow_up_on < today)
             for v in qs[offset:offset + limit]]
    return items, qs.count()
