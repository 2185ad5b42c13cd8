"""Membership figures (DOMAIN §2.6), registered in the metric registry.

Stock figures count status periods valid on the cut-off (在会 only: 保留会籍 is not counted
as a member in 会员总数), each under the union's tree position on that date; flow figures
count dated events in the period at the union's path on the event date.
"""

from __future__ import annotations

from django.db.models import Q, Sum

from gonghui.core.metrics import metric, rate
from gonghui.core.scope import subtree_q
from gonghui.orgs.models import Coverage, employer_open_on, valid_on
from gonghui.orgs.selectors import path_on, placed_under

from .models import MemberEvent, MemberStatus, MemberStatusPeriod

GROUP = "会员发展"


def active_on(org, at, subs: bool):
    """Status periods of members 在会 on `at` in unions under `org` (or at it)."""
    return MemberStatusPeriod.objects.filter(
        valid_on(at), placed_under(org, at, subs, prefix="union__"), status=MemberStatus.ACTIVE
    )


def _events(org, period, subs: bool, *kinds):
    p = path_on(org, period.end)
    where = subtree_q("path", p) if subs else Q(path=p)
    return MemberEvent.objects.filter(where, kind__in=kinds, effective_on__gte=period.start,
                                      effective_on__lte=period.end)


@metric("members.total", label="会员总数", unit="人", group=GROUP)
def total(org, period, subs):
    return active_on(org, period.end, subs).count()


@metric("members.women", label="女会员", unit="人", group=GROUP)
def women(org, period, subs):
    return active_on(org, period.end, subs).filter(membership__person__gender=2).count()


@metric("members.migrant_workers", label="农民工会员", unit="人", group=GROUP)
def migrant_workers(org, period, subs):
    return active_on(org, period.end, subs).filter(membership__person__is_migrant_worker=True).count()


@metric("members.new", label="发展会员", unit="人", group=GROUP, description="期间内入会的人数（不含转入）")
def new(org, period, subs):
    return _events(org, period, subs, MemberEvent.Kind.JOINED).count()


@metric("members.transferred_in", label="转入会员", unit="人", group=GROUP)
def transferred_in(org, period, subs):
    return _events(org, period, subs, MemberEvent.Kind.TRANSFERRED_IN).count()


@metric("members.transferred_out", label="转出会员", unit="人", group=GROUP)
def transferred_out(org, period, subs):
    return _events(org, period, subs, MemberEvent.Kind.TRANSFERRED_OUT).count()


@metric("members.left", label="退会、除名、死亡", unit="人", group=GROUP)
def left(org, period, subs):
    return _events(org, period, subs, MemberEvent.Kind.WITHDRAWN, MemberEvent.Kind.EXPELLED,
                   MemberEvent.Kind.DECEASED).count()


@metric("members.membership_rate", label="入会率", unit="%", group=GROUP,
        description="会员总数 ÷ 有工会覆盖的用人单位职工人数（截止日）")
def membership_rate(org, period, subs):
    at = period.end
    staff = (
        Coverage.objects.filter(valid_on(at), placed_under(org, at, subs, prefix="union__"),
                                employer_open_on(at, "employer__"))
        .aggregate(n=Sum("employer__headcount"))["n"]
        or 0
    )
    return rate(active_on(org, at, subs).count(), staff)
