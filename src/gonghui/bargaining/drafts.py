"""My drafts of the bargaining line (core.drafts): negotiations the user opened that have not yet
reached the signature (产生代表 … 审议通过待签字)."""

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.drafts import Draft, drafts, started_by

from .models import Contract, Status

BEFORE_SIGNING = (Status.REPRESENTATIVES, Status.OFFERED, Status.PREPARING, Status.NEGOTIATING, Status.SUSPENDED,
                  Status.VOTING, Status.PASSED)


@drafts("bargaining.contract", label="集体协商（未签字）", perm="bargaining.view")
def negotiations_not_signed(user, limit):
    qs = (scope.visible(Contract.objects.filter(status__in=BEFORE_SIGNING), user, "bargaining.view")
          .filter(started_by(user, "bargaining.contract", "bargaining.contract.opened")))
    rows = qs.select_related("org").order_by("-opened_on", "-pk")[:limit]
    return [Draft(c.title, c.get_status_display(), c.opened_on, reverse("bargaining:detail", args=[c.pk]), c.org.name)
            for c in rows], qs.count()
