"""A member's online help request accepted by his union becomes the assistance line's case:
the household's archive, the application in its first state and the member's paper, in one
transaction; a refusal keeps its reason; a failure keeps nothing."""

import pytest
from django.db import DatabaseError, connection
from django.test import Client

from gonghui.assistance.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Archive,
    ArchiveStatus,
    FamilyMember,
)
from gonghui.core.models import AuditEvent
from gonghui.portal import services
from gonghui.portal.models import HelpStatus
from tests.assistance.conftest import D, standard  # noqa: F401  (standard: a fixture)
from tests.conftest import make_user
from tests.members.conftest import make_id

from .conftest import portal_login

pytestmark = pytest.mark.django_db

PAPER = b"%PDF-1.4 admission notice of the county high school"


@pytest.fixture
def media(settings, tmp_path):
    """The portal's uploads and the assistance line's documents in this test's own folders."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                          "OPTIONS": {"location": tmp_path / "media"}}}
    return tmp_path / "media"


def golden_request(account):
    return services.help_request(account=account, kind="golden_autumn", reason="单亲家庭，收入微薄",
                                 student_name="李小明", school="长沙县一中 高三", attachment_name="录取通知书.pdf",
                                 attachment=PAPER)


ACCEPT = {"reply": "已受理，请等待审核。", "register": "on", "amount_requested": "2000", "category": "relative",
          "school_level": "high", "student_birth_date": "2009-03-01", "student_gender": "1"}


def files_under(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_accepted_golden_autumn_request_opens_the_case_with_the_paper(client, tree, personas, member, media):
    account, _ = member
    req = golden_request(account)
    staff = Client()
    staff.force_login(personas.union_clerk)
    r = staff.post(f"/m/staff/help/{req.pk}/", ACCEPT)
    assert r.status_code == 302, r.content.decode()[:2000]
    req.refresh_from_db()
    assert req.status == HelpStatus.REGISTERED and req.reply == "已受理，请等待审核。"

    app = req.application
    archive = app.archive
    assert archive.status == ArchiveStatus.CREATED and archive.org == tree.union_a1
    assert archive.head_name == "李四" and archive.person == account.person and archive.id_masked == account.person.id_masked
    assert archive.category == "relative" and archive.main_cause == "09" and "单亲家庭" in archive.cause_note
    student = FamilyMember.objects.get(archive=archive)
    assert (student.name, student.relation, student.birth_date, student.school) == \
        ("李小明", "child", D(2009, 3, 1), "长沙县一中 高三")
    assert app.type == "golden_autumn" and app.status == ApplicationStatus.SUBMITTED
    assert app.student == student and app.school_level == "high" and app.amount_requested == 2000
    doc = ApplicationDocument.objects.get(application=app)
    with doc.file.open("rb") as f:
        assert f.read() == PAPER
    assert files_under(media) == [media / doc.file.name]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"assistance.archive.created", "assistance.application.submitted", "assistance.document.added",
            "portal.help.decided"} <= actions

    # The clerk finds it in the assistance pages of his union; a clerk elsewhere does not.
    assert "李四" in staff.get("/assistance/applications/").content.decode()
    assert staff.get(f"/assistance/applications/{app.pk}/").status_code == 200
    assert f"/assistance/applications/{app.pk}/" in staff.get(f"/m/staff/help/{req.pk}/").content.decode()
    elsewhere = Client()
    elsewhere.force_login(make_user("b1_clerk", tree.union_b1, "业务经办"))
    assert elsewhere.get(f"/assistance/applications/{app.pk}/").status_code == 404
    assert "李四" not in elsewhere.get("/assistance/applications/").content.decode()

    # The member follows its status in the portal.
    portal_login(client, 11)
    page = client.get("/m/help/").content.decode()
    assert "已转入帮扶办理" in page and "data-application-status>待审核<" in page


@pytest.mark.usefixtures("standard")
def test_the_open_archive_of_the_household_is_used_and_its_child_found_by_name(tree, personas, member, media):
    from gonghui.assistance import services as aid

    account, _ = member
    archive = aid.archive_create(actor=None, org=tree.union_a1, head_name="李四", id_number=make_id(seq=11),
                                 created_on=D(2025, 1, 6), region_code="430121", main_cause="06", monthly_wage=500,
                                 family=[{"name": "李小明", "relation": "child", "birth_date": D(2009, 3, 1),
                                          "schooling": "high", "school": "长沙县一中"}])
    aid.archive_start_notice(actor=None, archive=archive, on=D(2025, 1, 6))
    aid.archive_enter(actor=None, archive=archive, on=D(2025, 1, 20))
    req = golden_request(account)
    staff = Client()
    staff.force_login(personas.union_clerk)
    r = staff.post(f"/m/staff/help/{req.pk}/", {"reply": "已受理。", "register": "on", "amount_requested": "1500",
                                                "school_level": "high"})
    assert r.status_code == 302, r.content.decode()[:2000]
    app = Application.objects.get()
    assert app.archive == archive and app.student.name == "李小明"
    assert Archive.objects.count() == 1 and FamilyMember.objects.count() == 1


def test_what_the_clerk_must_add_is_asked_for_by_field_and_nothing_is_kept_meanwhile(tree, personas, member, media):
    account, _ = member
    req = golden_request(account)
    staff = Client()
    staff.force_login(personas.union_clerk)
    without_amount = {**ACCEPT, "amount_requested": ""}
    body = staff.post(f"/m/staff/help/{req.pk}/", without_amount).content.decode()
    assert "申请金额应为正数" in body and 'value="2009-03-01"' in body  # named, and the input kept
    without_category = {**ACCEPT, "category": ""}
    body = staff.post(f"/m/staff/help/{req.pk}/", without_category).content.decode()
    assert "请选择困难类别" in body
    req.refresh_from_db()
    assert req.status == HelpStatus.RECEIVED and req.application is None
    assert not Archive.objects.exists() and not Application.objects.exists()
    assert files_under(media) == []


def test_a_refusal_keeps_its_reason_for_the_member_and_opens_nothing(client, tree, personas, member, media):
    account, _ = member
    req = services.help_request(account=account, kind="hardship", reason="家中老人住院")
    staff = Client()
    staff.force_login(personas.union_clerk)
    body = staff.post(f"/m/staff/help/{req.pk}/", {"reply": ""}).content.decode()
    assert "error-summary" in body and "答复内容" in body
    staff.post(f"/m/staff/help/{req.pk}/", {"reply": "家庭人均收入高于本地低保标准两倍，暂不符合条件。"})
    req.refresh_from_db()
    assert req.status == HelpStatus.DECLINED and not Archive.objects.exists()
    portal_login(client, 11)
    page = client.get("/m/help/").content.decode()
    assert "不予受理" in page and "暂不符合条件" in page


def _refuse_documents():
    """A trigger refusing every new application document: a failure of the database itself, after
    the archive, the child and the application were written and the paper stored."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("CREATE FUNCTION gh_test_refuse() RETURNS trigger AS $$ BEGIN "
                        "RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql")
            cur.execute("CREATE TRIGGER gh_test_refuse BEFORE INSERT ON assistance_applicationdocument "
                        "FOR EACH ROW EXECUTE FUNCTION gh_test_refuse()")
        else:
            cur.execute("CREATE TRIGGER gh_test_refuse BEFORE INSERT ON assistance_applicationdocument "
                        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")


def _allow_documents():
    with connection.cursor() as cur:
        cur.execute("DROP TRIGGER gh_test_refuse" + (" ON assistance_applicationdocument"
                                                     if connection.vendor == "postgresql" else ""))


def test_a_failure_mid_way_leaves_no_half_record_and_no_file(tree, personas, member, media):
    account, _ = member
    req = golden_request(account)
    audit_before = AuditEvent.objects.count()
    _refuse_documents()
    fields = {"amount_requested": "2000", "category": "relative", "school_level": "high",
              "student_birth_date": D(2009, 3, 1), "student_gender": 1}
    with pytest.raises(DatabaseError):
        services.help_decide(actor=personas.union_clerk, request=req, register=True, reply="已受理。", **fields)
    assert not Archive.objects.exists() and not FamilyMember.objects.exists()
    assert not Application.objects.exists() and not ApplicationDocument.objects.exists()
    req.refresh_from_db()
    assert req.status == HelpStatus.RECEIVED and req.application is None and req.reply == ""
    assert AuditEvent.objects.count() == audit_before
    assert files_under(media) == []  # the stored paper went with its row
    # The same acceptance goes through once the database takes documents again.
    _allow_documents()
    services.help_decide(actor=personas.union_clerk, request=req, register=True, reply="已受理。", **fields)
    assert ApplicationDocument.objects.count() == 1 and len(files_under(media)) == 1
