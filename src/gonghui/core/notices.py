"""Notices from the level above (上级通知): a federation posts a short notice to its subtree; the
users under it read it on their start page while it is in force.

Who may post: holders of `notices.post` (单位管理员 and up) on the posting node. Who reads: every
user whose grants lie at or under that node, i.e. whose grant path starts with the notice's path;
the start page asks by the prefixes of the user's grant paths (an equality lookup per prefix, no
LIKE), the notices list pages them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from . import audit, clock, scope
from .errors import ServiceError
from .models import Notice

MAX_DAYS = 366  # a notice stays in force at most a year: a standing rule belongs in the guide


def _prefixes(user) -> set[str]:
    """Every ancestor-or-self path of the user's grant nodes (a path's prefixes)."""
    return {p[:i] for p in scope.grant_paths(user) for i in range(1, len(p) + 1)}


def reaching(user) -> Q:
    """Notices posted at or above one of the user's nodes."""
    return Q(org_path__in=_prefixes(user))


def in_force(user, today: dt.date, limit: int = 5) -> list[Notice]:
    """The notices in force today that reach the user, newest first; his own are on the notices page."""
    return list(Notice.objects.filter(reaching(user), valid_from__lte=today, valid_until__gte=today,
                                      withdrawn_on__isnull=True).exclude(posted_by_id=user.pk)
                .order_by("-valid_from", "-id")[:limit])


def listed(user):
    """The notices page: those that reach the user and those posted where he may post."""
    where = reaching(user)
    if scope.has_perm(user, "notices.post"):
        where |= scope.scope_q(user, "notices.post", "org_path")
    return Notice.objects.filter(where)


def notice_post(*, actor, org, title: str, body: str, valid_from: dt.date, valid_until: dt.date) -> Notice:
    """Post a notice from `org` to its whole subtree."""
    scope.require(actor, "notices.post", org.path)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ServiceError("请填写通知标题。", field="title")
    if valid_from < clock.today():
        raise ServiceError("发布日期不能早于今天。", field="valid_from")
    if valid_until < valid_from:
        raise ServiceError("有效期至不能早于发布日期。", field="valid_until")
    if (valid_until - valid_from).days > MAX_DAYS:
        raise ServiceError(f"通知的有效期最长{MAX_DAYS}天。", field="valid_until")
    with transaction.atomic():
        notice = Notice.objects.create(org_path=org.path, org_name=org.name, title=title, body=body,
                                       valid_from=valid_from, valid_until=valid_until,
                                       posted_by_id=getattr(actor, "pk", None),
                                       posted_by_name=getattr(actor, "display_name", "") or str(actor or "系统"))
        audit.record(actor=actor, action="core.notice.posted", obj=notice,
                     changes={"title": title, "valid_from": valid_from.isoformat(),
                              "valid_until": valid_until.isoformat()})
    return notice


def notice_withdraw(*, actor, notice: Notice) -> Notice:
    """End a notice today: it leaves the start pages at once."""
    scope.require(actor, "notices.post", notice.org_path)
    if notice.withdrawn_on is not None:
        raise ServiceError("该通知已撤回。")
    with transaction.atomic():
        notice.withdrawn_on = clock.today()
        notice.save(update_fields=["withdrawn_on"])
        audit.record(actor=actor, action="core.notice.withdrawn", obj=notice,
                     changes={"withdrawn_on": notice.withdrawn_on.isoformat()})
    return notice
