from django.db import transaction

from gonghui.core import audit, scope
from gonghui.core.errors import ServiceError

from .models import Visit


@transaction.atomic
def visit_create(*, actor, org, visited_on, title: str, follow_up_on=None) -> Visit:
    scope.require(actor, "sampleline.change", org.path)
    if not title.strip():
        raise ServiceError("请填写事由。", field="title")
    visit = Visit.objects.create(org=org, org_path=org.path, visited_on=visited_on, title=title.strip(),
                                 follow_up_on=follow_up_on)
    audit.record(actor=actor, action="sampleline.visit.created", obj=visit, changes={"title": title})
    return visit
