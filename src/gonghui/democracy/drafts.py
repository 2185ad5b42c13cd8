"""My drafts of the democracy line (core.drafts): delegate lists saved only as a draft because
they break a rule (DOMAIN §7.1: quota, managers, front-line, women) in the terms the user opened,
and 提案 the user filed that the 提案工作委员会 has not yet reviewed."""

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.drafts import Draft, drafts, started_by

from .models import ListStatus, Proposal, Status, Term


@drafts("democracy.term", label="职工代表名单（草稿）", perm="democracy.view")
def delegate_lists_in_draft(user, limit):
    qs = (scope.visible(Term.objects.filter(list_status=ListStatus.DRAFT), user, "democracy.view",
                        "congress__org__path")
          .filter(started_by(user, "democracy.term", "democracy.term.opened")))
    rows = qs.select_related("congress__org").order_by("-started_on", "-pk")[:limit]
    return [Draft(f"{t.congress.name}{t}代表名单", "草稿：" + ("；".join(t.violations) or "尚未确认"), t.started_on,
                  reverse("democracy:congress_detail", args=[t.congress_id]), t.congress.org.name)
            for t in rows], qs.count()


@drafts("democracy.proposal", label="提案（待审查）", perm="democracy.view")
def proposals_not_reviewed(user, limit):
    qs = (scope.visible(Proposal.objects.filter(status=Status.FILED), user, "democracy.view", "org__path")
          .filter(started_by(user, "democracy.proposal", "democracy.proposal.filed")))
    rows = qs.select_related("org").order_by("-filed_on", "-pk")[:limit]
    return [Draft(f"{p.number} {p.title}", p.get_status_display(), p.filed_on,
                  reverse("democracy:proposal_detail", args=[p.pk]), p.org.name) for p in rows], qs.count()
