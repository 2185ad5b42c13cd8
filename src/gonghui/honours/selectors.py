"""Reads of the 劳模与荣誉 line that are more than one filter; each starts from the scope policy."""

from __future__ import annotations

from gonghui.core import scope
from gonghui.orgs.models import Org

from .models import Honour, ModelWorker


def workers(user, *, q: str = "", org: Org | None = None, level: str = "", status: str = "", party: bool = False,
            hardship: bool = False):
    qs = scope.visible(ModelWorker.objects.all(), user, "honours.view").select_related("org")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org__path", org.path))
    if q:
        qs = qs.filter(name__startswith=q.strip())
    if level:
        qs = qs.filter(highest_level=level)
    if status:
        qs = qs.filter(status=status)
    if party:
        qs = qs.filter(is_party_member=True)
    if hardship:
        qs = qs.filter(is_hardship=True)
    return qs.order_by("-registered_on", "-id")


def honours(user, *, org: Org | None = None, recipient: str = "", honour_type: str = "", level: str = "",
            status: str = "", year: int | None = None):
    qs = scope.visible(Honour.objects.all(), user, "honours.view").select_related("org")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org__path", org.path))
    for field, value in (("recipient", recipient), ("honour_type", honour_type), ("level", level),
                         ("status", status), ("year", year)):
        if value:
            qs = qs.filter(**{field: value})
    return qs.order_by("-applied_on", "-id")


def hardship_archive(user, worker: ModelWorker):
    """The hardship line's open 困难职工档案 of this model worker (found by the ID number's lookup
    hash, so it is the same person whichever union keeps the archive), when the user may see it;
    None otherwise. The archive is the hardship line's record: this only links to it."""
    from gonghui.assistance.models import Archive
    from gonghui.core import crypto

    qs = Archive.objects.filter(id_hash__in=crypto.lookup_hashes(worker.id_number), exited_on__isnull=True)
    return scope.visible(qs, user, "assistance.view").select_related("org").order_by("-id").first()
