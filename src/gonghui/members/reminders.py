"""Due items of the membership work line (DOMAIN §2.4-§2.5): transfers waiting for the receiving
union's decision, retained memberships that the roster no longer supports, and members whose
民主党派 is not named (issue 17: the records our old code 04 held).

All are decided with members.change on the union concerned, so all are scoped by it: the
receiving union for a transfer, the member's union for the others.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from gonghui.core import scope
from gonghui.core.reminders import Due, reminder

from . import conf
from .models import Employment, Membership, MemberStatus, MemberStatusPeriod, Political, Transfer

PERM = "members.change"
# 保留会籍 goes with retirement (离休 and 退职 are retirements too: the member leaves work for good,
# on a pension) or unemployment (an employer's closure leaves its staff unemployed); 退养（内退）
# and 待（下）岗 keep the membership as it is (DOMAIN §2.4).
RETAINED_EMPLOYMENT = (Employment.RETIRED, Employment.LIXIU, Employment.RESIGNED, Employment.UNEMPLOYED)


@reminder("members.transfer_pending", label="待接收的转会（接收或退回）", perm=PERM)
def transfer_pending(user, today: dt.date, limit: int, offset: int = 0):
    """Every pending transfer into a union in scope, with how long it has waited; overdue once it
    has waited longer than TRANSFER_ACCEPT_DAYS."""
    days = conf.get("TRANSFER_ACCEPT_DAYS")
    qs = scope.visible(Transfer.objects.filter(status=Transfer.Status.PENDING), user, PERM)
    qs = qs.select_related("membership__person", "membership__union", "to_union").order_by("requested_on", "pk")
    url = reverse("members:transfers")
    items = []
    for t in qs[offset:offset + limit]:
        due_on = t.requested_on + dt.timedelta(days=days)
        late = due_on < today
        items.append(Due(
            label=f"{t.membership.person.name}（由{t.membership.union.name}转入）待接收，"
                  f"已等待 {(today - t.requested_on).days} 天{f'，超过 {days} 日' if late else ''}",
            due_on=due_on, url=url, org_name=t.to_union.name, overdue=late,
        ))
    return items, qs.count()


@reminder("members.retained_check", label="保留会籍待核实（就业状态不是退休或失业）", perm=PERM)
def retained_check(user, today: dt.date, limit: int, offset: int = 0):
    """Current retentions whose member the roster shows neither retired nor unemployed: back at
    work (the reason has ended: restore the membership or transfer it to the new employer's union)
    or never updated (correct the employment status). The membership records no end of the
    retention, so the employment status is what says the reason still holds. Due RETAINED_CHECK_DAYS
    after the retention started at this union."""
    days = conf.get("RETAINED_CHECK_DAYS")
    qs = MemberStatusPeriod.objects.filter(status=MemberStatus.RETAINED, valid_to__isnull=True).exclude(
        membership__person__employment__in=RETAINED_EMPLOYMENT)
    qs = scope.visible(qs, user, PERM, "union__path")
    # The retention began on its first part: a move of the union splits the period (the later
    # part `continued`), not the retention.
    began = (MemberStatusPeriod.objects.filter(membership=OuterRef("membership"), continued=False,
                                               valid_from__lte=OuterRef("valid_from"))
             .order_by("-valid_from", "-pk").values("valid_from")[:1])
    qs = qs.annotate(began=Subquery(began)).select_related("membership__person", "union").order_by("began", "pk")
    items = []
    for p in qs[offset:offset + limit]:
        person = p.membership.person
        due_on = p.began + dt.timedelta(days=days)
        items.append(Due(
            label=f"{person.name}自 {p.began} 保留会籍，就业状态为“{person.get_employment_display()}”："
                  "请恢复会籍、办理转会或更正就业状态",
            due_on=due_on, url=reverse("members:detail", args=[p.membership_id]), org_name=p.union.name,
            overdue=due_on < today,
        ))
    return items, qs.count()


@reminder("members.party_unspecified", label="政治面貌待补选党派（民主党派未注明党派）", perm=PERM)
def party_unspecified(user, today: dt.date, limit: int, offset: int = 0):
    """Current members recorded as 民主党派 without the party: GB/T 4762 names each party
    (04 民革 … 11 台盟), our code 04 before issue 17 did not, and the migration did not guess.
    Not overdue: the clerk asks the member when he next sees him."""
    qs = Membership.objects.filter(ended_on__isnull=True, person__political=Political.PARTY_UNSPECIFIED)
    qs = scope.visible(qs, user, PERM).select_related("person", "union").order_by("union__path", "person__name", "pk")
    items = [Due(label=f"{m.person.name}的政治面貌为“民主党派”，未注明党派：请补选具体党派", due_on=today,
                 url=reverse("members:edit", args=[m.pk]), org_name=m.union.name, overdue=False)
             for m in qs[offset:offset + limit]]
    return items, qs.count()
