"""Intake of a request made elsewhere (the member portal's 网上帮扶申请) into the hardship line.

A clerk who accepts a member's online request gets, in one transaction with the audit entries,
what he would otherwise re-type: the household's archive (the open one found by the ID number's
blind index, or a new one at 建档 with what the member gave), the Application of the right type
in its first state (待审核) and the member's papers as the application's documents. The line's
own services do each step, so their checks, numbering and audit entries hold unchanged.

Files are stored before the transaction commits (a FileField writes on save); `stored_files`
deletes the ones written inside a block that raises, so a refused or crashed intake leaves
neither a row nor a household's paper behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from gonghui.core import clock, crypto
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import parse_id_number
from gonghui.orgs.models import Org

from . import services
from .models import SCHOOL_LEVELS, Application, Archive, AssistanceType, Cause, Relation, Schooling

ONLINE_NOTE = "会员在线申请"


@contextmanager
def stored_files():
    """Yields a list that intake() fills with the storage names it writes; they are deleted
    when the block raises (the rows that named them are rolled back with it)."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise


def open_archive(id_number: str) -> Archive | None:
    """The household's open archive, by every key version's blind index of the head's ID number."""
    return (Archive.objects.filter(id_hash__in=crypto.lookup_hashes(id_number), exited_on__isnull=True)
            .select_related("org").first())


def _student(*, actor, archive: Archive, name: str, school: str, school_level: str, birth_date, gender,
             on: dt.date):
    """The child named by the member: the archive's child of that name, else added to the household
    (the archive's category kept: a clerk re-assesses it in the archive when he sees fit)."""
    found = archive.family.filter(relation=Relation.CHILD, name=name).first()
    if found is not None:
        return found
    if not birth_date:
        raise ServiceError(f"档案中没有名为“{name}”的子女：请填写其出生日期，系统将把其登记为家庭成员。",
                           field="student_birth_date")
    return services.family_member_add(actor=actor, archive=archive, on=on, confirm_category=archive.category,
                                      name=name, relation=Relation.CHILD, birth_date=birth_date,
                                      gender=int(gender or 1), schooling=school_level, school=school[:100])


@transaction.atomic
def intake(*, actor, org: Org, head_name: str, id_number: str, type: str, reason: str, amount_requested,
           applied_on: dt.date, phone: str = "", person=None, category: str = "", student_name: str = "",
           school: str = "", school_level: str = "", student_birth_date: dt.date | None = None,
           student_gender: int | None = None, documents: Iterable[File] = (),
           stored: list[str] | None = None) -> Application:
    """The archive (found or created at 建档), the application (待审核) and its documents.

    `type` is AssistanceType.LIVING (困难帮扶) or GOLDEN_AUTUMN (then `student_name`, `school`
    and `school_level`). A new archive needs the clerk's `category`; its cause is 子女上学 for
    金秋助学, else 其他, with the member's words as the note. `stored` receives the storage
    names of the documents written (see stored_files)."""
    parsed = parse_id_number(id_number)
    today = clock.today()  # the archive's 建档 and the child's entry: the day the union registers them
    archive = open_archive(parsed.number)
    golden = type == AssistanceType.GOLDEN_AUTUMN
    if golden and school_level not in SCHOOL_LEVELS:
        raise ServiceError("请选择受助子女的就读阶段（小学至研究生）。", field="school_level")
    if archive is None:
        if not category:
            raise ServiceError("该会员尚无困难职工档案，将按申请内容新建档案（建档状态）：请选择困难类别。",
                               field="category")
        child = []
        if golden:
            if not student_birth_date:
                raise ServiceError("请填写受助子女的出生日期（新建档案时登记为家庭成员）。", field="student_birth_date")
            child = [{"name": student_name, "relation": Relation.CHILD, "birth_date": student_birth_date,
                      "gender": int(student_gender or 1), "schooling": school_level, "school": school[:100]}]
        try:
            archive = services.archive_create(
                actor=actor, org=org, head_name=head_name, id_number=parsed.number, created_on=today,
                region_code=parsed.number[:6], main_cause=Cause.SCHOOLING if golden else Cause.OTHER,
                category=category, phone=phone, person=person, family=child,
                household_size=1 + len(child), cause_note=f"{ONLINE_NOTE}：{reason}"[:200])
        except PermissionDenied as exc:
            raise ServiceError(f"您无权在“{org.name}”建立困难职工档案。") from exc
    student = None
    if golden:
        try:
            student = _student(actor=actor, archive=archive, name=student_name.strip(), school=school.strip(),
                               school_level=school_level, birth_date=student_birth_date, gender=student_gender,
                               on=today)
        except PermissionDenied as exc:
            raise ServiceError(f"该会员的困难职工档案（{archive.no}）由“{archive.org.name}”管理，"
                               "请由该工会受理。") from exc
    names = [getattr(d, "name", "") or "" for d in documents]
    try:
        application = services.application_submit(
            actor=actor, archive=archive, type=type, amount_requested=amount_requested,
            reason=f"{ONLINE_NOTE}：{reason}"[:500], applied_on=applied_on, student=student, school_level=school_level,
            documents="、".join(n.rsplit("/", 1)[-1] for n in names)[:500], allow_pending_archive=True)
    except PermissionDenied as exc:
        raise ServiceError(f"该会员的困难职工档案（{archive.no}）由“{archive.org.name}”管理，请由该工会受理。") from exc
    for doc in documents:
        added = services.document_add(actor=actor, application=application, file=doc,
                                      name=f"会员上传：{doc.name.rsplit('/', 1)[-1]}")
        if stored is not None:
            stored.append(added.file.name)
    return application


SCHOOLING_CHOICES = [(c, label) for c, label in Schooling.choices if c in SCHOOL_LEVELS]
