"""Every write of the 活动与阵地 line: scope checked, validated with a Chinese message naming the
field, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Sum

from gonghui.core import audit, clock, scope, uploads
from gonghui.core.errors import ServiceError, join_messages
from gonghui.orgs.selectors import path_on, placement_path

from .models import (
    MEASURES,
    Activity,
    ActivityAttachment,
    ActivityKind,
    AnkangEntry,
    AnkangResult,
    AttachmentKind,
    Attendance,
    Finding,
    FindingKind,
    Inspection,
    InspectionKind,
    PersonVisit,
    PostType,
    PostVisit,
    PostVisitDay,
    PublicityItem,
    PublicityKind,
    Section,
    ServicePost,
    Severity,
    VisitKind,
    VolunteerShift,
)

MEASURE_LABELS = {col: label for _f, col, label, _u in MEASURES}
KIND_FIELDS = ("name", "section", "has_sessions", "session_word", "has_persons", "has_person_times", "has_units",
               "has_items", "item_word", "has_money", "verb", "active", "order", "parent")


def _date(value, label: str, field: str, *, not_future: bool = True) -> dt.date:
    if not isinstance(value, dt.date):
        raise ServiceError(f"请填写{label}。", field=field)
    if not_future and value > clock.today():
        raise ServiceError(f"{label}不能晚于今天。", field=field)
    return value


def _count(value, label: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError) as exc:
        raise ServiceError(f"{label}应为整数。", field=field) from exc
    if n < 0:
        raise ServiceError(f"{label}不能为负数。", field=field)
    return n


def _money(value, field: str = "amount") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError("金额应为数字（元，最多两位小数）。", field=field) from exc
    if amount < 0:
        raise ServiceError("金额不能为负数。", field=field)
    return amount


# --- kinds -----------------------------------------------------------------------------------------

def _check_manage(actor) -> None:
    if actor is not None and not scope.has_perm(actor, "activities.manage"):
        raise PermissionDenied("您无权维护活动类型。")


def _kind_values(fields: dict) -> dict:
    values = {k: v for k, v in fields.items() if k in KIND_FIELDS}
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            raise ServiceError("请填写活动类型名称。", field="name")
    if "section" in values and values["section"] not in Section.values:
        raise ServiceError("请选择工作总结栏目。", field="section")
    for word in ("session_word", "item_word"):
        if word in values:
            values[word] = (values[word] or "").strip()
            if not values[word]:
                raise ServiceError("请填写计量单位（如“期”“场”“项”“条”“份”）。", field=word)
    return values


def _shown(changes: dict) -> dict:
    """The audit's changes, the parent kind by its name."""
    if "parent" in changes:
        changes = {**changes, "parent": changes["parent"].name if changes["parent"] else ""}
    return changes


def _check_parent(kind: ActivityKind) -> None:
    """A sub-kind's parent is a kind of its own (one level: 其中 of 其中 is not counted twice)."""
    parent = kind.parent
    if parent is None:
        return
    if parent.pk == kind.pk or parent.parent_id is not None:
        raise ServiceError("所属类型只能是没有所属类型的活动类型。", field="parent")
    if kind.pk and kind.subkinds.exists():
        raise ServiceError(f"“{kind.name}”下已有其中类型，不能再归入其他类型。", field="parent")


@transaction.atomic
def kind_create(*, actor, code: str, name: str, **fields) -> ActivityKind:
    _check_manage(actor)
    code = (code or "").strip()
    if not code or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
        raise ServiceError("代码只能由英文字母、数字、下划线组成。", field="code")
    if ActivityKind.objects.filter(code=code).exists():
        raise ServiceError(f"代码“{code}”已被使用。", field="code")
    values = _kind_values({"name": name, **fields})
    if ActivityKind.objects.filter(name=values["name"]).exists():
        raise ServiceError(f"活动类型“{values['name']}”已存在。", field="name")
    kind = ActivityKind(code=code, **values)
    if not any(getattr(kind, flag) for flag, *_ in MEASURES):
        raise ServiceError("请至少选择一项统计指标。", field="has_sessions")
    _check_parent(kind)
    kind.save()
    audit.record(actor=actor, action="activities.kind.created", obj=kind, changes=_shown({"code": code, **values}))
    return kind


@transaction.atomic
def kind_update(*, actor, kind: ActivityKind, **fields) -> ActivityKind:
    _check_manage(actor)
    values = _kind_values(fields)
    if "name" in values and ActivityKind.objects.filter(name=values["name"]).exclude(pk=kind.pk).exists():
        raise ServiceError(f"活动类型“{values['name']}”已存在。", field="name")
    changes = {k: v for k, v in values.items() if getattr(kind, k) != v}
    for k, v in values.items():
        setattr(kind, k, v)
    if not any(getattr(kind, flag) for flag, *_ in MEASURES):
        raise ServiceError("请至少选择一项统计指标。", field="has_sessions")
    _check_parent(kind)
    # A measure may be dropped only when no record carries it.
    for flag, col, label, _unit in MEASURES:
        if flag in changes and not values[flag] and kind.activities.filter(**{f"{col}__isnull": False}).exists():
            raise ServiceError(f"已有活动记录登记了{label}，不能取消该指标。", field=flag)
    kind.save()
    if changes:
        audit.record(actor=actor, action="activities.kind.updated", obj=kind, changes=_shown(changes))
    return kind


# --- activities ------------------------------------------------------------------------------------

def _measures(kind: ActivityKind, given: dict, *, with_attendance: bool) -> dict:
    """The measure columns for a record of `kind`: a value for a measure the kind does not carry
    is refused; 人次 below 人 is refused; with an attendance list 人 and 人次 are computed, never typed."""
    out = {}
    for flag, col, label, _unit in MEASURES:
        raw = given.get(col)
        value = _money(raw) if col == "amount" else _count(raw, label, col)
        if value is not None and not getattr(kind, flag):
            raise ServiceError(f"活动类型“{kind.name}”不登记{label}，请留空。", field=col)
        if value is not None and with_attendance and col in ("persons", "person_times"):
            raise ServiceError(f"已有签到名单，{label}按名单自动统计，请勿填写。", field=col)
        out[col] = value
    if out["persons"] is not None and out["person_times"] is not None and out["person_times"] < out["persons"]:
        raise ServiceError(f"人次（{out['person_times']}）不能少于人数（{out['persons']}）。", field="person_times")
    if kind.has_sessions and out["sessions"] is None:
        out["sessions"] = 1
    if out["sessions"] == 0:
        raise ServiceError("期数/场次至少为1。", field="sessions")
    return out


def _check_kind(kind) -> ActivityKind:
    if not isinstance(kind, ActivityKind):
        raise ServiceError("请选择活动类型。", field="kind")
    if not kind.active:
        raise ServiceError(f"活动类型“{kind.name}”已停用。", field="kind")
    return kind


def _dates(start_on, end_on) -> tuple[dt.date, dt.date]:
    start_on = _date(start_on, "开始日期", "start_on")
    end_on = start_on if end_on in (None, "") else _date(end_on, "结束日期", "end_on", not_future=False)
    if end_on < start_on:
        raise ServiceError("结束日期不能早于开始日期。", field="end_on")
    return start_on, end_on


@transaction.atomic
def activity_create(*, actor, org, kind, title: str, start_on, end_on=None, co_organisers: str = "",
                    place: str = "", note: str = "", copied_from=None, **measures) -> Activity:
    scope.require(actor, "activities.change", org.path)
    kind = _check_kind(kind)
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写活动名称。", field="title")
    start_on, end_on = _dates(start_on, end_on)
    values = _measures(kind, measures, with_attendance=False)
    activity = Activity.objects.create(
        org=org, org_path=path_on(org, start_on), kind=kind, title=title, start_on=start_on, end_on=end_on,
        co_organisers=co_organisers.strip(), place=place.strip(), note=note.strip(), copied_from=copied_from,
        **values)
    audit.record(actor=actor, action="activities.activity.created", obj=activity,
                 changes={"kind": kind.name, "title": title, "start_on": start_on, "end_on": end_on,
                          **{k: v for k, v in values.items() if v is not None}})
    return activity


@dataclass
class NewActivity:
    """One activity of a bulk creation (`activities_bulk_create`); `row` names it in errors."""

    org: object
    kind: ActivityKind
    title: str
    start_on: object
    end_on: object = None
    place: str = ""
    co_organisers: str = ""
    note: str = ""
    measures: dict = field(default_factory=dict)
    row: int | None = None


class BulkErrors(ServiceError):
    """Every refused item of a bulk write: [(item.row, field, message)]."""

    def __init__(self, errors: list[tuple[int | None, str | None, str]]):
        super().__init__(join_messages(f"第{row}行：{msg}" if row else msg for row, _f, msg in errors))
        self.errors = errors


@transaction.atomic
def activities_bulk_create(*, actor, items: Sequence[NewActivity], batch_size: int = 2000) -> int:
    """Create many activities at once, all or nothing: every item validated as `activity_create`
    does (scope, kind, title, dates, measures) and every refusal collected (BulkErrors); then
    inserted in batches, each row's org_path set to its organiser's placement on its own date in
    one UPDATE, and one audit entry summarising the call. Returns how many were created."""
    if not items:
        return 0
    errors: list[tuple[int | None, str | None, str]] = []
    allowed: dict[int, bool] = {}
    rows = []
    for item in items:
        org = item.org
        if org.pk not in allowed:
            allowed[org.pk] = actor is None or scope.has_perm(actor, "activities.change", org.path)
        try:
            if not allowed[org.pk]:
                raise ServiceError("您无权为该单位登记活动。", field="org")
            kind = _check_kind(item.kind)
            title = (item.title or "").strip()
            if not title:
                raise ServiceError("请填写活动名称。", field="title")
            start_on, end_on = _dates(item.start_on, item.end_on)
            values = _measures(kind, item.measures, with_attendance=False)
        except ServiceError as exc:
            errors.extend((item.row, exc.field, m) for m in exc.messages)
            continue
        rows.append(Activity(org=org, org_path=org.path, kind=kind, title=title, start_on=start_on, end_on=end_on,
                             co_organisers=(item.co_organisers or "").strip(), place=(item.place or "").strip(),
                             note=(item.note or "").strip(), **values))
    if errors:
        raise BulkErrors(errors)
    created = Activity.objects.bulk_create(rows, batch_size=batch_size)
    moved = Activity.objects.filter(pk__in=[a.pk for a in created])
    # The organiser's place on each record's own date (a union moved since counts under the old one).
    moved.update(org_path=placement_path(OuterRef("org_id"), "start_on", "org_path"))
    orgs = {r.org.pk: r.org for r in rows}
    per_kind = Counter(r.kind.name for r in rows)
    audit.record(actor=actor, action="activities.activity.bulk_created",
                 target=audit.Target(object_type="activities.activity",
                                     label=f"批量登记活动 {len(rows)} 条（{len(orgs)} 个单位）",
                                     org_path=_common_path([o.path for o in orgs.values()])),
                 changes={"created": len(rows), "kinds": dict(sorted(per_kind.items()))})
    return len(rows)


def _common_path(paths: list[str]) -> str:
    """The longest whole tree step (4 characters) all paths share."""
    common = os.path.commonprefix(paths)
    return common[: len(common) - len(common) % 4]


@transaction.atomic
def activity_update(*, actor, activity: Activity, title: str, start_on, end_on=None, co_organisers: str = "",
                    place: str = "", note: str = "", **measures) -> Activity:
    scope.require(actor, "activities.change", activity.org.path)
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写活动名称。", field="title")
    start_on, end_on = _dates(start_on, end_on)
    values = _measures(activity.kind, measures, with_attendance=activity.from_attendance)
    if activity.from_attendance:
        values.pop("persons"), values.pop("person_times")
    before = {k: getattr(activity, k) for k in ("title", "start_on", "end_on", *values)}
    activity.title, activity.start_on, activity.end_on = title, start_on, end_on
    activity.co_organisers, activity.place, activity.note = co_organisers.strip(), place.strip(), note.strip()
    for k, v in values.items():
        setattr(activity, k, v)
    activity.org_path = path_on(activity.org, start_on)
    activity.save()
    activity.attendance.update(on=start_on, path=activity.org_path)
    changes = {k: getattr(activity, k) for k, v in before.items() if getattr(activity, k) != v}
    if changes:
        audit.record(actor=actor, action="activities.activity.updated", obj=activity, changes=changes)
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    scope.require(actor, "activities.change", activity.org.path)
    audit.record(actor=actor, action="activities.activity.deleted", obj=activity,
                 changes={"title": activity.title, "start_on": activity.start_on})
    # The attendance list and attachments go with it; the attachments' files once committed.
    files = [(f.file.storage, f.file.name) for f in activity.attachments.all()]
    activity.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def _recount(activity: Activity) -> None:
    agg = activity.attendance.aggregate(n=Sum("times"))
    persons = activity.attendance.count()
    activity.from_attendance = persons > 0
    activity.persons = persons if persons and activity.kind.has_persons else None
    activity.person_times = (agg["n"] or 0) if persons and activity.kind.has_person_times else None
    if not persons:
        activity.persons = activity.person_times = None
    activity.save(update_fields=["from_attendance", "persons", "person_times"])


@transaction.atomic
def attendance_set(*, actor, activity: Activity, people: Iterable[tuple[object, int]], source: str = "") -> Activity:
    """Replace the activity's attendance list by `people` ([(members.Person, times)]): 人 and 人次
    are then computed from it. A person twice in the list is refused (name the row in imports)."""
    scope.require(actor, "activities.change", activity.org.path)
    kind = activity.kind
    if not (kind.has_persons or kind.has_person_times):
        raise ServiceError(f"活动类型“{kind.name}”不登记人数或人次，不能上传签到名单。", field="attendance")
    rows, seen = [], set()
    for person, times in people:
        if person.pk in seen:
            raise ServiceError(f"“{person.name}”在名单中重复。", field="attendance")
        seen.add(person.pk)
        times = _count(times, "参加次数", "times") or 1
        rows.append(Attendance(activity=activity, person=person, times=times, kind=kind, on=activity.start_on,
                               path=activity.org_path))
    activity.attendance.all().delete()
    Attendance.objects.bulk_create(rows, batch_size=2000)
    _recount(activity)
    audit.record(actor=actor, action="activities.attendance.set", obj=activity,
                 changes={"persons": len(rows), "person_times": sum(r.times for r in rows), "source": source})
    return activity


@transaction.atomic
def attendance_add(*, actor, activity: Activity, person, times=1, recount: bool = True) -> str:
    """Put one roster person on the list (or change his count of sessions): "created", "updated"
    or "unchanged", so that importing a sheet twice adds nothing. With recount=False the caller
    recounts once at the end (`attendance_recount`)."""
    scope.require(actor, "activities.change", activity.org.path)
    kind = activity.kind
    if not (kind.has_persons or kind.has_person_times):
        raise ServiceError(f"活动类型“{kind.name}”不登记人数或人次，不能上传签到名单。", field="attendance")
    if not activity.from_attendance and (activity.persons is not None or activity.person_times is not None) \
            and not activity.attendance.exists():
        # Typed figures give way to the list: they are computed from now on.
        activity.persons = activity.person_times = None
    times = _count(times, "参加次数", "times") or 1
    row = Attendance.objects.filter(activity=activity, person=person).first()
    if row is not None and row.times == times:
        return "unchanged"
    if row is not None:
        row.times = times
        row.save(update_fields=["times"])
        outcome = "updated"
    else:
        Attendance.objects.create(activity=activity, person=person, times=times, kind=kind, on=activity.start_on,
                                  path=activity.org_path)
        outcome = "created"
    if recount:
        _recount(activity)
    return outcome


@transaction.atomic
def attendance_recount(*, actor, activity: Activity, source: str = "") -> Activity:
    scope.require(actor, "activities.change", activity.org.path)
    _recount(activity)
    audit.record(actor=actor, action="activities.attendance.set", obj=activity,
                 changes={"persons": activity.persons, "person_times": activity.person_times, "source": source})
    return activity


def attendance_clear(*, actor, activity: Activity) -> Activity:
    return attendance_set(actor=actor, activity=activity, people=[], source="清空")


@transaction.atomic
def activities_copy_year(*, actor, org, from_year: int, to_year: int, kind=None) -> list[Activity]:
    """Copy the organiser's own activities of one year into another as a plan: same kind, title,
    place, co-organisers and month/day (29 Feb → 28 Feb), no measures and no attendance; dates after
    today are left for the clerk to fill in later."""
    scope.require(actor, "activities.change", org.path)
    if from_year == to_year:
        raise ServiceError("复制的年度与目标年度相同。", field="to_year")
    qs = Activity.objects.filter(org=org, start_on__year=from_year).select_related("kind").order_by("start_on", "id")
    if kind is not None:
        qs = qs.filter(kind=kind)
    out = []
    for src in qs:
        if not src.kind.active:
            continue
        start = _shift(src.start_on, to_year)
        if start > clock.today():
            continue
        end = max(start, _shift(src.end_on, to_year + (src.end_on.year - src.start_on.year)))
        out.append(activity_create(actor=actor, org=org, kind=src.kind, title=src.title, start_on=start,
                                   end_on=min(end, clock.today()) if end > clock.today() else end,
                                   co_organisers=src.co_organisers, place=src.place, copied_from=src))
    return out


def _shift(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


# --- service posts ---------------------------------------------------------------------------------

@transaction.atomic
def post_create(*, actor, org, type: str, name: str, opened_on, address: str = "", functions: str = "",
                rooms=0, opening_hours: str = "") -> ServicePost:
    scope.require(actor, "activities.change", org.path)
    if type not in PostType.values:
        raise ServiceError("请选择阵地类型。", field="type")
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写阵地名称。", field="name")
    if ServicePost.objects.filter(org=org, name=name).exists():
        raise ServiceError(f"本单位已有名为“{name}”的阵地。", field="name")
    opened_on = _date(opened_on, "启用日期", "opened_on")
    post = ServicePost.objects.create(org=org, org_path=path_on(org, opened_on), type=type, name=name, address=address.strip(),
                                      functions=functions.strip(), rooms=_count(rooms, "功能室数", "rooms") or 0,
                                      opening_hours=opening_hours.strip(), opened_on=opened_on)
    audit.record(actor=actor, action="activities.post.created", obj=post,
                 changes={"type": type, "name": name, "opened_on": opened_on})
    return post


@transaction.atomic
def post_close(*, actor, post: ServicePost, closed_on) -> ServicePost:
    scope.require(actor, "activities.change", post.org.path)
    closed_on = _date(closed_on, "停用日期", "closed_on")
    if closed_on < post.opened_on:
        raise ServiceError("停用日期不能早于启用日期。", field="closed_on")
    post.closed_on = closed_on
    post.save(update_fields=["closed_on"])
    audit.record(actor=actor, action="activities.post.closed", obj=post, changes={"closed_on": closed_on})
    return post


def _post_day(post: ServicePost, on) -> dt.date:
    on = _date(on, "日期", "on")
    if on < post.opened_on or (post.closed_on and on > post.closed_on):
        raise ServiceError(f"{on:%Y-%m-%d}阵地未开放（启用{post.opened_on:%Y-%m-%d}）。", field="on")
    return on


@transaction.atomic
def post_visits_record(*, actor, post: ServicePost, on, visits) -> PostVisitDay:
    """The day's count of visits (服务人次); entering a day again replaces its count."""
    scope.require(actor, "activities.change", post.org.path)
    on = _post_day(post, on)
    visits = _count(visits, "服务人次", "visits")
    if visits is None:
        raise ServiceError("请填写服务人次。", field="visits")
    logged = PostVisitDay.objects.filter(post=post, on=on, logged=True).values_list("visits", flat=True).first()
    if logged is not None:
        raise ServiceError(f"{on:%Y-%m-%d}已逐人登记来访{logged}人次，当日服务人次按逐人登记计算，不能另填。",
                           field="visits")
    row, created = PostVisitDay.objects.update_or_create(
        post=post, on=on, defaults={"visits": visits, "path": path_on(post.org, on)})
    audit.record(actor=actor, action="activities.post.visits", obj=post,
                 changes={"on": on, "visits": visits, "created": created})
    return row


@transaction.atomic
def post_visit_log(*, actor, post: ServicePost, on, visitor: str, service: str = "") -> PostVisit:
    """One visit entered on its own; the day's 服务人次 becomes the count of that day's visits (as
    an attendance list sets 人次), so a day is counted one way or the other, never both."""
    scope.require(actor, "activities.change", post.org.path)
    on = _post_day(post, on)
    visitor, service = (visitor or "").strip(), (service or "").strip()
    if not visitor:
        raise ServiceError("请填写来访职工姓名。", field="visitor")
    day = PostVisitDay.objects.select_for_update().filter(post=post, on=on).first()
    if day is not None and not day.logged:
        raise ServiceError(f"{on:%Y-%m-%d}已按日登记服务{day.visits}人次，不能再逐人登记。", field="on")
    visit = PostVisit.objects.create(post=post, on=on, visitor=visitor, service=service)
    count = PostVisit.objects.filter(post=post, on=on).count()
    PostVisitDay.objects.update_or_create(post=post, on=on, defaults={
        "visits": count, "path": path_on(post.org, on), "logged": True})
    audit.record(actor=actor, action="activities.post.visitor", obj=post,
                 changes={"on": on, "visitor": visitor, "service": service})
    return visit


@transaction.atomic
def volunteer_record(*, actor, post: ServicePost, on, volunteer: str, hours) -> VolunteerShift:
    scope.require(actor, "activities.change", post.org.path)
    on = _post_day(post, on)
    volunteer = (volunteer or "").strip()
    if not volunteer:
        raise ServiceError("请填写志愿者姓名。", field="volunteer")
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError("服务时长应为数字（小时）。", field="hours") from exc
    if not Decimal(0) < hours <= 24:
        raise ServiceError("服务时长应大于0且不超过24小时。", field="hours")
    shift = VolunteerShift.objects.create(post=post, on=on, volunteer=volunteer, hours=hours,
                                          path=path_on(post.org, on))
    audit.record(actor=actor, action="activities.post.volunteer", obj=post,
                 changes={"on": on, "volunteer": volunteer, "hours": hours})
    return shift


# --- safety supervision ----------------------------------------------------------------------------

@transaction.atomic
def inspection_create(*, actor, org, kind: str, inspected_on, employer=None, employer_name: str = "",
                      inspectors=0, suggestions=0, note: str = "",
                      findings: Iterable[dict] = ()) -> Inspection:
    """An inspection with its findings ({kind, severity, description, due_on, on_spot})."""
    scope.require(actor, "activities.change", org.path)
    if kind not in InspectionKind.values:
        raise ServiceError("请选择检查类型。", field="kind")
    inspected_on = _date(inspected_on, "检查日期", "inspected_on")
    if employer is not None:
        employer_name = employer.name
    inspection = Inspection.objects.create(
        org=org, org_path=path_on(org, inspected_on), kind=kind, inspected_on=inspected_on, employer=employer,
        employer_name=(employer_name or "").strip(), inspectors=_count(inspectors, "参加人数", "inspectors") or 0,
        suggestions=_count(suggestions, "提出建议", "suggestions") or 0, note=note.strip())
    audit.record(actor=actor, action="activities.inspection.created", obj=inspection,
                 changes={"kind": kind, "inspected_on": inspected_on, "employer_name": inspection.employer_name})
    for i, f in enumerate(findings, start=1):
        _finding_add(actor, inspection, i, **f)
    return inspection


def _finding_add(actor, inspection: Inspection, row: int | None = None, *, kind: str, description: str,
                 severity: str = Severity.GENERAL, due_on=None, on_spot: bool = False) -> Finding:
    where = f"第{row}项问题：" if row else ""
    if kind not in FindingKind.values:
        raise ServiceError(f"{where}请选择问题类别。", field="findings")
    if severity not in Severity.values:
        raise ServiceError(f"{where}请选择严重程度。", field="findings")
    description = (description or "").strip()
    if not description:
        raise ServiceError(f"{where}请填写问题描述。", field="findings")
    found = inspection.inspected_on
    if on_spot:
        due_on, closed_on = found, found
    else:
        closed_on = None
        if not isinstance(due_on, dt.date):
            raise ServiceError(f"{where}请填写整改期限（现场整改的请勾选“现场整改”）。", field="findings")
        if due_on < found:
            raise ServiceError(f"{where}整改期限不能早于发现日期{found:%Y-%m-%d}。", field="findings")
    finding = Finding.objects.create(inspection=inspection, kind=kind, severity=severity, description=description,
                                     found_on=found, due_on=due_on, closed_on=closed_on, on_spot=bool(on_spot),
                                     path=inspection.org_path)
    audit.record(actor=actor, action="activities.finding.added", obj=finding,
                 changes={"kind": kind, "severity": severity, "due_on": due_on, "on_spot": bool(on_spot)})
    return finding


@transaction.atomic
def finding_add(*, actor, inspection: Inspection, **fields) -> Finding:
    scope.require(actor, "activities.change", inspection.org.path)
    return _finding_add(actor, inspection, None, **fields)


@transaction.atomic
def finding_close(*, actor, finding: Finding, closed_on) -> Finding:
    """整改完成: never before the finding was found, never in the future, never twice."""
    scope.require(actor, "activities.change", finding.inspection.org.path)
    if finding.closed_on is not None:
        raise ServiceError(f"该问题已于{finding.closed_on:%Y-%m-%d}整改完成。", field="closed_on")
    closed_on = _date(closed_on, "整改完成日期", "closed_on")
    if closed_on < finding.found_on:
        raise ServiceError(f"整改完成日期不能早于发现日期{finding.found_on:%Y-%m-%d}。", field="closed_on")
    finding.closed_on = closed_on
    finding.save(update_fields=["closed_on"])
    audit.record(actor=actor, action="activities.finding.closed", obj=finding,
                 changes={"closed_on": closed_on, "late": bool(finding.due_on and closed_on > finding.due_on)})
    return finding


# --- publicity -------------------------------------------------------------------------------------

@transaction.atomic
def publicity_create(*, actor, org, kind: str, title: str, published_on, outlet: str = "", issue_no: str = "",
                     entries=1) -> PublicityItem:
    scope.require(actor, "activities.change", org.path)
    if kind not in PublicityKind.values:
        raise ServiceError("请选择宣传信息类别。", field="kind")
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写标题。", field="title")
    published_on = _date(published_on, "刊发日期", "published_on")
    entries = _count(entries, "条数", "entries")
    if not entries:
        raise ServiceError("条数至少为1。", field="entries")
    if kind != PublicityKind.BULLETIN and entries != 1:
        raise ServiceError("只有工运信息按期登记所含条数，其他类别每篇登记一条。", field="entries")
    item = PublicityItem.objects.create(org=org, org_path=path_on(org, published_on), kind=kind, title=title,
                                        outlet=outlet.strip(), published_on=published_on,
                                        issue_no=issue_no.strip(), entries=entries)
    audit.record(actor=actor, action="activities.publicity.created", obj=item,
                 changes={"kind": kind, "title": title, "published_on": published_on, "entries": entries})
    return item


# --- attendees picked from the roster ---------------------------------------------------------------

def pickable_members(actor, activity: Activity, q: str = ""):
    """Current members the actor may see, in the organiser's subtree, matching `q` (name, pinyin,
    card or ID number): whom the roster picker offers for an activity's attendance list
    (members.selectors.roster, in name order)."""
    from gonghui.members.selectors import roster

    return roster(actor, org=activity.org, q=q)


@transaction.atomic
def attendance_pick(*, actor, activity: Activity, person_ids: Iterable, times=1) -> dict[str, int]:
    """Put the persons picked from the roster on the list (each `times` sessions), recount once.
    Only current members of the organiser's subtree that the actor may see can be picked; any
    other id refuses the whole choice (never a silent drop). {"created", "updated", "unchanged"}."""
    scope.require(actor, "activities.change", activity.org.path)
    try:
        ids = {int(pk) for pk in person_ids}
    except (TypeError, ValueError):
        raise ServiceError("所选人员无效，请重新选择。", field="person") from None
    if not ids:
        raise ServiceError("请至少勾选一名会员。", field="person")
    found = set(pickable_members(actor, activity).filter(person_id__in=ids).values_list("person_id", flat=True))
    if found != ids:
        raise ServiceError(f"有 {len(ids - found)} 名所选人员不是本单位（含下级）的在册会员，或不在您的管理范围内，"
                           "请重新选择。", field="person")
    from gonghui.members.models import Person

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for person in Person.objects.filter(pk__in=ids).order_by("pk"):
        counts[attendance_add(actor=actor, activity=activity, person=person, times=times, recount=False)] += 1
    attendance_recount(actor=actor, activity=activity, source=f"从会员名册选择{len(ids)}人")
    return counts


@transaction.atomic
def attendance_remove(*, actor, activity: Activity, person_id) -> Activity:
    """Take one person off the list; 人 and 人次 are recounted."""
    scope.require(actor, "activities.change", activity.org.path)
    deleted, _ = Attendance.objects.filter(activity=activity, person_id=person_id).delete()
    if not deleted:
        raise ServiceError("该人员不在签到名单中。", field="person")
    return attendance_recount(actor=actor, activity=activity, source="从名单中移除1人")


# --- attachments -----------------------------------------------------------------------------------

# Photos and scanned sign-in sheets: the types a phone or a scanner gives, each checked by its
# first bytes too (a renamed file of another kind is refused: core.uploads).
ATTACHMENT_TYPES = (".jpg", ".jpeg", ".png", ".pdf")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_WORDING = uploads.Wording(
    wrong_type="附件须为照片（JPG、PNG）或扫描件（PDF）。", empty="附件是空文件。", too_big="附件不能超过 {max_mb} MB。",
    wrong_content="文件内容与扩展名“{suffix}”不符，请上传原始的照片或 PDF 文件。")
ATTACHMENTS_PER_ACTIVITY = 30


def _actor_name(actor) -> str:
    return actor.get_username() if actor is not None else "系统"


@transaction.atomic
def attachment_add(*, actor, activity: Activity, file, kind: str = AttachmentKind.PHOTO,
                   name: str = "") -> ActivityAttachment:
    """Attach a photo (JPG/PNG) or a scanned sheet (PDF, JPG, PNG) of at most 10 MB."""
    scope.require(actor, "activities.change", activity.org.path)
    if kind not in AttachmentKind.values:
        raise ServiceError("请选择附件类别。", field="kind")
    filename = uploads.plain_name(getattr(file, "name", ""))
    size = getattr(file, "size", 0) or 0
    ext = uploads.check(filename, size, uploads.head(file), types=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES,
                        wording=ATTACHMENT_WORDING)
    if activity.attachments.count() >= ATTACHMENTS_PER_ACTIVITY:
        raise ServiceError(f"每次活动最多上传 {ATTACHMENTS_PER_ACTIVITY} 个附件。", field="file")
    label = ((name or "").strip() or filename)[:100]
    att = ActivityAttachment(activity=activity, kind=kind, name=label, size=size, uploaded_by_name=_actor_name(actor))
    # Stored under a name of our own (the clerk's file name stays in `name`).
    att.file.save(f"a{activity.pk}{ext}", file, save=False)
    att.save()
    audit.record(actor=actor, action="activities.attachment.added", obj=activity,
                 changes={"attachment": label, "kind": kind})
    return att


def attachment_open(*, user, attachment: ActivityAttachment):
    """The file, for a user who may see the activity; a sign-in sheet (names, signatures) is
    access-logged."""
    path = attachment.activity.org.path
    if not scope.has_perm(user, "activities.view", path):
        raise PermissionDenied("您无权查看该附件。")
    if attachment.kind == AttachmentKind.SIGN_IN:
        audit.log_access(user=user, kind="view_full", object_type="activities.attachment",
                         object_id=str(attachment.pk), fields=["file"], reason=f"查看签到表：{attachment.name}",
                         org_path=path)
    return attachment.file.open("rb")


@transaction.atomic
def attachment_delete(*, actor, attachment: ActivityAttachment) -> None:
    activity = attachment.activity
    scope.require(actor, "activities.change", activity.org.path)
    audit.record(actor=actor, action="activities.attachment.deleted", obj=activity,
                 changes={"attachment": attachment.name})
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- 安康杯 -----------------------------------------------------------------------------------------

@transaction.atomic
def ankang_enter(*, actor, org, employer, year, participants=0, teams=0, result: str = AnkangResult.TAKING_PART,
                 note: str = "") -> AnkangEntry:
    """Enrol an employer in the year's 安康杯, or change its entry (participants, teams, result)."""
    scope.require(actor, "activities.change", org.path)
    if employer is None:
        raise ServiceError("请选择参赛单位。", field="employer")
    year = _count(year, "年度", "year")
    this_year = clock.today().year
    if not year or year < 2000 or year > this_year:
        raise ServiceError(f"年度须在2000至{this_year}之间。", field="year")
    if result not in AnkangResult.values:
        raise ServiceError("请选择竞赛结果。", field="result")
    participants = _count(participants, "参赛职工", "participants") or 0
    teams = _count(teams, "参赛班组", "teams") or 0
    values = {"org": org, "org_path": path_on(org, dt.date(year, 12, 31)), "participants": participants,
              "teams": teams, "result": result, "note": (note or "").strip()}
    entry = AnkangEntry.objects.filter(employer=employer, year=year).select_related("org").first()
    taken_elsewhere = entry is not None and entry.org_id != org.pk
    if taken_elsewhere and not scope.has_perm(actor, "activities.change", entry.org.path):
        raise ServiceError(f"“{employer.name}”{year}年已由其他单位报名安康杯。", field="employer")
    if entry is None:
        entry = AnkangEntry.objects.create(employer=employer, year=year, **values)
        audit.record(actor=actor, action="activities.ankang.entered", obj=entry,
                     changes={"employer": employer.name, "year": year, "participants": participants,
                              "result": result})
        return entry
    old = {k: getattr(entry, k) for k in ("participants", "teams", "result", "note", "org_id")}
    for k, v in values.items():
        setattr(entry, k, v)
    entry.save()
    changes = {k: [old[k], getattr(entry, k)] for k in old if old[k] != getattr(entry, k)}
    if changes:
        audit.record(actor=actor, action="activities.ankang.updated", obj=entry, changes=changes)
    return entry


# --- visits to one person ------------------------------------------------------------------------

@transaction.atomic
def person_visit_create(*, actor, org, person, kind: str, visited_on, amount=None, goods: str = "",
                        visitors: str = "", note: str = "") -> PersonVisit:
    """Record a visit (送温暖、慰问、走访) to one roster person by a union node in the actor's scope."""
    scope.require(actor, "activities.change", org.path)
    if person is None:
        raise ServiceError("请选择走访对象（会员）。", field="person")
    if kind not in VisitKind.values:
        raise ServiceError("请选择走访类型。", field="kind")
    visited_on = _date(visited_on, "走访日期", "visited_on")
    amount = _money(amount) or Decimal("0.00")
    visit = PersonVisit.objects.create(org=org, org_path=path_on(org, visited_on), person=person, kind=kind,
                                       visited_on=visited_on, amount=amount, goods=(goods or "").strip(),
                                       visitors=(visitors or "").strip(), note=(note or "").strip())
    audit.record(actor=actor, action="activities.visit.created", obj=visit,
                 changes={"kind": kind, "visited_on": visited_on, "amount": amount})
    return visit


# --- re-homing -------------------------------------------------------------------------------------

def rehome_activity_rows(org_ids: Collection[int], since: dt.date) -> None:
    """Re-homer (orgs.services.REHOMERS): activities, their attendance, visit days, volunteer
    shifts, inspections, findings and publicity keep their organiser's path on their own date,
    also when a move entered later is dated before them."""
    Activity.objects.filter(org_id__in=org_ids, start_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "start_on", "org_path"))
    Inspection.objects.filter(org_id__in=org_ids, inspected_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "inspected_on", "org_path"))
    PublicityItem.objects.filter(org_id__in=org_ids, published_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "published_on", "org_path"))
    PersonVisit.objects.filter(org_id__in=org_ids, visited_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "visited_on", "org_path"))
    for entry in AnkangEntry.objects.filter(org_id__in=org_ids, year__gte=since.year).select_related("org"):
        entry.org_path = path_on(entry.org, dt.date(entry.year, 12, 31))  # a handful a year per union
        entry.save(update_fields=["org_path"])
    for org_id in set(Activity.objects.filter(org_id__in=org_ids, start_on__gte=since).values_list("org_id", flat=True)):
        Attendance.objects.filter(activity__org_id=org_id, on__gte=since).update(path=placement_path(org_id, "on"))
    for org_id in set(Inspection.objects.filter(org_id__in=org_ids).values_list("org_id", flat=True)):
        Finding.objects.filter(inspection__org_id=org_id, found_on__gte=since).update(
            path=placement_path(org_id, "found_on"))
    for org_id in set(ServicePost.objects.filter(org_id__in=org_ids).values_list("org_id", flat=True)):
        PostVisitDay.objects.filter(post__org_id=org_id, on__gte=since).update(path=placement_path(org_id, "on"))
        VolunteerShift.objects.filter(post__org_id=org_id, on__gte=since).update(path=placement_path(org_id, "on"))
    ServicePost.objects.filter(org_id__in=org_ids).update(org_path=placement_path(OuterRef("org_id"), "opened_on",
                                                                                  "org_path"))
