"""My drafts of the assistance line (core.drafts): archives the user built that are not yet on
public notice, and applications he submitted that nobody has reviewed yet."""

from django.urls import reverse

from gonghui.core import scope
from gonghui.core.drafts import Draft, drafts, started_by

from .models import Application, ApplicationStatus, Archive, ArchiveStatus


@drafts("assistance.archive", label="困难职工档案（未公示）", perm="assistance.view")
def archives_not_on_notice(user, limit):
    qs = (scope.visible(Archive.objects.filter(status=ArchiveStatus.CREATED), user, "assistance.view")
          .filter(started_by(user, "assistance.archive", "assistance.archive.created")))
    rows = qs.select_related("org").order_by("-created_on", "-pk")[:limit]
    return [Draft(str(a), "建档待公示", a.created_on, reverse("assistance:archive_detail", args=[a.pk]), a.org.name)
            for a in rows], qs.count()


@drafts("assistance.application", label="帮扶申请（待审核）", perm="assistance.view")
def applications_not_reviewed(user, limit):
    qs = scope.visible(Application.objects.filter(status=ApplicationStatus.SUBMITTED, applied_by=user), user,
                       "assistance.view")
    rows = qs.select_related("org", "archive").order_by("-applied_on", "-pk")[:limit]
    return [Draft(f"{a.get_type_display()} · {a.archive}", a.get_status_display(), a.applied_on,
                  reverse("assistance:application_detail", args=[a.pk]), a.org.name) for a in rows], qs.count()
