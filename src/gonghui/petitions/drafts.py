"""My drafts of the petitions line (core.drafts): petitions the user registered that are not yet
accepted or refused (受理告知 is due within the notice period)."""

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.drafts import Draft, drafts, started_by

from .models import Petition, Status


@drafts("petitions.petition", label="信访（登记待受理）", perm="petitions.view")
def petitions_not_accepted(user, limit):
    qs = (scope.visible(Petition.objects.filter(status=Status.REGISTERED), user, "petitions.view")
          .filter(started_by(user, "petitions.petition", "petitions.petition.registered")))
    rows = qs.select_related("org").order_by("-received_on", "-pk")[:limit]
    return [Draft(str(p), p.get_status_display(), p.received_on, reverse("petitions:detail", args=[p.pk]), p.org.name)
            for p in rows], qs.count()
