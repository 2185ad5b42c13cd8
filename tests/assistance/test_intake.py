"""assistance.intake: a request made elsewhere registered through the line's own services."""

import pytest
from django.core.files.base import ContentFile

from gonghui.assistance import intake, services
from gonghui.assistance.models import Application, ApplicationStatus, Archive
from gonghui.core import clock
from gonghui.core.errors import ServiceError
from tests.conftest import make_user
from tests.members.conftest import make_id

from .conftest import D

pytestmark = pytest.mark.django_db


def test_a_clerk_cannot_register_into_another_unions_archive_and_is_told_whose_it_is(tree, archive):
    household = archive(union=tree.union_b1, name="王困难")
    clerk = make_user("a1_clerk", tree.union_a1, "业务经办")
    with pytest.raises(ServiceError, match="乙一公司工会"):
        intake.intake(actor=clerk, org=tree.union_a1, head_name="王困难", id_number=household.id_number,
                      type="living", reason="住院", amount_requested="800", applied_on=D(2025, 3, 1))
    assert not Application.objects.exists()


def test_a_new_household_is_opened_at_its_first_state_and_only_intake_may_apply_for_it(tree, personas, settings,
                                                                                      tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                          "OPTIONS": {"location": tmp_path}}}
    clerk = personas.union_clerk
    app = intake.intake(actor=clerk, org=tree.union_a1, head_name="赵困难", id_number=make_id(seq=77),
                        type="living", reason="下岗，妻子患病", amount_requested="1200", applied_on=D(2025, 3, 1),
                        category="deep", documents=[ContentFile(b"%PDF-1.4 x", name="诊断书.pdf")])
    archive = Archive.objects.get()
    assert archive.status == "created" and archive.region_code == make_id(seq=77)[:6] and archive.main_cause == "10"
    assert app.status == ApplicationStatus.SUBMITTED and app.reason.startswith(intake.ONLINE_NOTE)
    assert app.documents == "诊断书.pdf" and app.attachments.get().name == "会员上传：诊断书.pdf"
    # The clerk's own application form keeps the line's rule: a household not yet in force waits.
    with pytest.raises(ServiceError, match="只有在档的困难家庭才能申请帮扶"):
        services.application_submit(actor=clerk, archive=archive, type="living", amount_requested="100",
                                    reason="再申请", applied_on=D(2025, 3, 2))


def test_an_intake_application_passes_review_only_once_its_household_is_in_force(tree, four_eyes, settings,
                                                                                 tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                          "OPTIONS": {"location": tmp_path}}}
    today = clock.today()
    app = intake.intake(actor=four_eyes["clerk"], org=tree.union_a1, head_name="钱困难", id_number=make_id(seq=78),
                        type="living", reason="患病", amount_requested="900", applied_on=today,
                        category="deep")
    with pytest.raises(ServiceError, match="须公示期满入档后才能审核通过"):
        services.application_review(actor=four_eyes["reviewer"], application=app, approve=True, on=today)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.reviewed_on is None
    archive = app.archive
    services.archive_start_notice(actor=four_eyes["clerk"], archive=archive, on=today)
    archive.refresh_from_db()
    services.archive_enter(actor=four_eyes["clerk"], archive=archive, on=archive.notice_until)
    app.refresh_from_db()
    services.application_review(actor=four_eyes["reviewer"], application=app, approve=True,
                                on=archive.notice_until)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.REVIEWED
