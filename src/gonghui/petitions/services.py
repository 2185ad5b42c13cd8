"""Every write to petitions and mediation cases (DOMAIN §5.3-§5.5).

Each service is keyword-only, takes the acting user (None: the system), checks the actor's
scope and the allowed transition (`WORKFLOW`), stamps dates and the due dates that follow
from them (computed once on the holiday calendar and stored), writes a `PetitionEvent` and
an audit entry, all in one transaction. Petitioners' identity data never reach the audit log.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q

from gonghui.core import audit, calendar, clock, crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import parse_id_number
from gonghui.core.money import format_money
from gonghui.core.workflow import Workflow
from gonghui.orgs.models import Org

from . import conf
from .models import (
    OPEN_STATUSES,
    Absence,
    Attachment,
    Channel,
    Extension,
    Mediation,
    MediationSession,
    Petition,
    Petitioner,
    PetitionEvent,
    Result,
    Satisfaction,
    Status,
)

WORKFLOW = Workflow.build(Status, {
    Status.REGISTERED: {Status.ACCEPTED, Status.REJECTED},
    Status.ACCEPTED: {Status.HANDLING, Status.REPLIED},
    Status.HANDLING: {Status.REPLIED},
    Status.REPLIED: {Status.CLOSED},
    Status.CLOSED: {Status.REVIEW, Status.RECHECK, Status.HANDLING},  # 复查, 复核, reopening
    Status.REJECTED: {Status.REGISTERED},  # reopening a wrongly refused case
    Status.REVIEW: {Status.CLOSED},
    Status.RECHECK: {Status.FINAL},
})


def due(start: dt.date, rule: str) -> dt.date:
    days, working = conf.get(rule)
    return calendar.due(start, days, working)


def _date(value, what: str, field: str, not_before: dt.date | None = None, before_what: str = "") -> dt.date:
    if not value:
        raise ServiceError(f"请填写{what}。", field=field)
    if value > clock.today():
        raise ServiceError(f"{what}（{value}）不能晚于今天。", field=field)
    if not_before and value < not_before:
        raise ServiceError(f"{what}（{value}）不能早于{before_what}（{not_before}）。", field=field)
    return value


def _amount(value, what: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{what}“{value}”不是有效的金额。", field=field) from None
    if amount < 0:
        raise ServiceError(f"{what}不能为负数。", field=field)
    return amount.quantize(Decimal("0.01"))


def _actor_name(actor) -> str:
    return actor.get_username() if actor is not None else "系统"


def _event(p: Petition, action: str, on: dt.date, actor, note: str = "") -> PetitionEvent:
    return PetitionEvent.objects.create(petition=p, action=action, on=on, org_id=p.org_id, note=note,
                                        actor_name=_actor_name(actor))


def _record(actor, action: str, p, **changes) -> None:
    audit.record(actor=actor, action=action, obj=p,
                 changes={k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Decimal) else v)
                          for k, v in changes.items()})


def _lock(p: Petition) -> Petition:
    """Re-read the case under a row lock so two clerks cannot move it at once."""
    return Petition.objects.select_for_update().get(pk=p.pk)


def _next_number(prefix: str, model, year: int) -> str:
    stem = f"{prefix}{year}-"
    last = model.objects.filter(number__startswith=stem).order_by("-number").values_list("number", flat=True).first()
    seq = int(last[len(stem):]) + 1 if last else 1
    return f"{stem}{seq:05d}"


def _create_numbered(model, prefix: str, year: int, **fields):
    """Create with the next yearly number; two clerks saving at once may pick the same one,
    so a clash is retried in a savepoint."""
    for attempt in range(5):
        try:
            with transaction.atomic():
                return model.objects.create(number=_next_number(prefix, model, year), **fields)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _check_phone(phone: str, field: str = "phone") -> str:
    phone = (phone or "").strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ServiceError(f"联系电话“{crypto.mask_phone(phone)}”应为7-12位数字。", field=field)
    return phone


def _handler_ok(user, org, role: str, field: str) -> None:
    if user is not None and not scope.has_perm(user, "petitions.change", org.path):
        raise ServiceError(f"{role}“{user.display_name or user.get_username()}”没有办理本单位信访的权限。", field=field)


def _same_person(a: dict, b: dict) -> bool:
    """Two petitioners entered alike: the same name and nothing to tell them apart (no differing
    证件号码, no differing 电话). A line with a name only is taken for the person of that name."""
    if (a.get("name") or "").strip() != (b.get("name") or "").strip():
        return False
    for key in ("id_number", "phone"):
        x, y = (a.get(key) or "").strip().upper(), (b.get(key) or "").strip().upper()
        if x and y and x != y:
            return False
    return True


def duplicate_petitioner(people: list[dict]) -> list[tuple[int, str]]:
    """[(index of the earlier entry, name)] for each entry that repeats an earlier one; index 0 is
    the main petitioner, whom clerks used to enter again among the representatives."""
    out = []
    for k, person in enumerate(people):
        if not (person.get("name") or "").strip():
            continue
        j = next((j for j in range(k) if _same_person(people[j], person)), None)
        if j is not None:
            out.append((j, person["name"].strip()))
    return out


# --- petitions -------------------------------------------------------------------------------

@transaction.atomic
def petition_register(*, actor, org, channel: str, received_on: dt.date, title: str, category: str,
                      petitioners: list[dict], people_count: int | None = None, content: str = "",
                      kind: str = "claim", employer=None, employer_name: str = "", amount_claimed=0,
                      is_urgent: bool = False, source_org_name: str = "", source_ref: str = "",
                      required_by: dt.date | None = None, reported_from=None, handler_a=None,
                      handler_b=None, registered_on: dt.date | None = None) -> Petition:
    """登记: a petition received by letter, visit, phone, online, forwarded from above or
    reported from below. Due dates: notice 15 days, objection to a forwarding 5 working days."""
    scope.require(actor, "petitions.change", org.path)
    if org.is_dissolved:
        raise ServiceError(f"“{org.name}”已注销，不能登记信访案件。", field="org")
    if channel not in Channel.values:
        raise ServiceError("请选择信访渠道。", field="channel")
    received_on = _date(received_on, "收到日期", "received_on")
    if not (title or "").strip():
        raise ServiceError("请填写信访事由。", field="title")
    if category not in dict(conf.categories()):
        raise ServiceError(f"诉求类别“{category}”不在可选范围内。", field="category")
    if channel == Channel.FORWARDED:
        if not (source_org_name or "").strip():
            raise ServiceError("上级转办的案件须填写转办单位。", field="source_org_name")
        if not (source_ref or "").strip():
            raise ServiceError("上级转办的案件须填写转办文号。", field="source_ref")
    if channel == Channel.REPORTED:
        if reported_from is None:
            raise ServiceError("下级上报的案件须选择上报单位。", field="reported_from")
        if not (reported_from.path.startswith(org.path) and reported_from.pk != org.pk):
            raise ServiceError(f"上报单位“{reported_from.name}”不是“{org.name}”的下级。", field="reported_from")
    people = [p for p in petitioners if (p.get("name") or "").strip()]
    if not people:
        raise ServiceError("请至少填写一名信访人。", field="petitioners")
    if dupes := duplicate_petitioner(people):
        j, name = dupes[0]
        raise ServiceError(f"信访人“{name}”登记了两次（与第{j + 1}名信访人同名，证件号码、电话也无从区分），"
                           "每人只登记一次。", field="petitioners")
    people_count = people_count or len(people)
    if people_count < len(people):
        raise ServiceError(f"涉及人数（{people_count}）少于登记的信访人（{len(people)}）。", field="people_count")
    is_group = people_count >= conf.get("GROUP_SIZE")
    if is_group and len(people) > conf.get("MAX_REPRESENTATIVES"):
        raise ServiceError(f"群体性信访应推选不超过{conf.get('MAX_REPRESENTATIVES')}名代表，"
                           f"现登记了{len(people)}名。", field="petitioners")
    if required_by and required_by < received_on:
        raise ServiceError("要求办结日期不能早于收到日期。", field="required_by")
    _handlers_check(org, handler_a, handler_b)
    rows = []
    for i, person in enumerate(people, start=1):
        id_number = (person.get("id_number") or "").strip()
        gender = person.get("gender") or None
        if id_number:
            try:
                info = parse_id_number(id_number)
            except ServiceError as err:
                raise ServiceError(f"第{i}名信访人的证件号码有误：{err.messages[0]}", field="petitioners") from None
            id_number, gender = info.number, gender or info.gender
        phone = _check_phone(person.get("phone", ""), "petitioners")
        rows.append(Petitioner(
            name=person["name"].strip()[:50], gender=int(gender) if gender else None,
            id_cipher=crypto.encrypt(id_number), id_masked=crypto.mask_id(id_number) if id_number else "",
            phone_cipher=crypto.encrypt(phone), phone_masked=crypto.mask_phone(phone) if phone else "",
            address_cipher=crypto.encrypt((person.get("address") or "").strip()),
            is_representative=is_group,
        ))
    forwarded = channel == Channel.FORWARDED
    p = _create_numbered(
        Petition, "XF", (registered_on or received_on).year, org=org, channel=channel,
        kind=kind, category=category, title=title.strip()[:200], content=content or "",
        source_org_name=(source_org_name or "").strip() if forwarded else "",
        source_ref=(source_ref or "").strip() if forwarded else "", required_by=required_by if forwarded else None,
        reported_from=reported_from if channel == Channel.REPORTED else None,
        registered_on=registered_on or received_on, received_on=received_on, people_count=people_count,
        is_group=is_group, lead_gender=rows[0].gender, employer=employer,
        employer_name=(employer.name if employer else (employer_name or "").strip()),
        amount_claimed=_amount(amount_claimed, "诉求金额", "amount_claimed"), is_urgent=bool(is_urgent),
        handler_a=handler_a, handler_b=handler_b,
        notice_due=due(received_on, "NOTICE"), objection_due=due(received_on, "OBJECTION") if forwarded else None,
    )
    for row in rows:
        row.petition = p
    Petitioner.objects.bulk_create(rows)
    source = f"（{p.source_org_name} {p.source_ref}）" if forwarded else ""
    _event(p, "登记", received_on, actor, f"渠道：{p.get_channel_display()}{source}；{people_count}人")
    _record(actor, "petitions.petition.registered", p, number=p.number, channel=channel, received_on=received_on,
            people_count=people_count, category=category, notice_due=p.notice_due)
    return p


EDITABLE = ("title", "content", "kind", "category", "employer_name", "amount_claimed", "is_urgent", "people_count")


@transaction.atomic
def petition_update(*, actor, petition: Petition, **fields) -> Petition:
    """修改登记信息: correct what was registered. Dates are not edited here: they drive the
    stored due dates, so a wrong date is corrected by the step that records it."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    if p.status == Status.FINAL:
        raise ServiceError("案件已终结，不能修改。")
    if "title" in fields and not (fields["title"] or "").strip():
        raise ServiceError("请填写信访事由。", field="title")
    if "category" in fields and fields["category"] not in dict(conf.categories()):
        raise ServiceError(f"诉求类别“{fields['category']}”不在可选范围内。", field="category")
    if "people_count" in fields:
        named = p.petitioners.count()
        if not fields["people_count"] or fields["people_count"] < named:
            raise ServiceError(f"涉及人数不能少于登记的信访人（{named}人）。", field="people_count")
        if fields["people_count"] >= conf.get("GROUP_SIZE") and named > conf.get("MAX_REPRESENTATIVES"):
            raise ServiceError("群体性信访的代表不能超过5人。", field="people_count")
        p.is_group = fields["people_count"] >= conf.get("GROUP_SIZE")
    if "amount_claimed" in fields:
        fields["amount_claimed"] = _amount(fields["amount_claimed"], "诉求金额", "amount_claimed")
    changes = {}
    for f, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(p, f) != value:
            changes[f] = value
            setattr(p, f, value)
    if not changes:
        return p
    p.save()
    _event(p, "修改登记信息", clock.today(), actor, "、".join(str(Petition._meta.get_field(f).verbose_name) for f in changes))
    _record(actor, "petitions.petition.updated", p, **changes)
    return p


def _handlers_check(org, a, b) -> None:
    if a is not None and b is not None and a.pk == b.pk:
        raise ServiceError("A角和B角不能是同一人。", field="handler_b")
    _handler_ok(a, org, "A角", "handler_a")
    _handler_ok(b, org, "B角", "handler_b")


@transaction.atomic
def petition_assign(*, actor, petition: Petition, handler_a, handler_b=None) -> Petition:
    """指定承办人: A handles, B takes over while A is marked absent."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    if handler_a is None:
        raise ServiceError("请选择承办人（A角）。", field="handler_a")
    _handlers_check(p.org, handler_a, handler_b)
    p.handler_a, p.handler_b = handler_a, handler_b
    p.save(update_fields=["handler_a", "handler_b", "updated_at"])
    names = f"A角 {handler_a.display_name or handler_a.username}" + (
        f"，B角 {handler_b.display_name or handler_b.username}" if handler_b else "")
    _event(p, "指定承办人", clock.today(), actor, names)
    _record(actor, "petitions.petition.assigned", p, handler_a=handler_a.pk, handler_b=getattr(handler_b, "pk", None))
    return p


@transaction.atomic
def petition_accept(*, actor, petition: Petition, notice_on: dt.date, note: str = "") -> Petition:
    """受理 and tell the petitioner: the 60-day conclusion period starts."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    WORKFLOW.check(p.status, Status.ACCEPTED, "受理")
    notice_on = _date(notice_on, "告知日期", "notice_on", p.received_on, "收到日期")
    p.status, p.notice_on, p.accepted_on = Status.ACCEPTED, notice_on, notice_on
    p.close_due = due(notice_on, "CONCLUDE")
    if p.required_by and p.required_by < p.close_due:
        p.close_due = p.required_by  # the forwarding body set an earlier date
    p.save()
    late = "（超过告知期限）" if p.notice_late else ""
    _event(p, "受理并告知", notice_on, actor, f"办结期限 {p.close_due}{late}" + (f"；{note}" if note else ""))
    _record(actor, "petitions.petition.accepted", p, notice_on=notice_on, close_due=p.close_due)
    return p


@transaction.atomic
def petition_reject(*, actor, petition: Petition, notice_on: dt.date, reason: str) -> Petition:
    """不予受理, with the reason told to the petitioner."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    WORKFLOW.check(p.status, Status.REJECTED, "不予受理")
    if not (reason or "").strip():
        raise ServiceError("请填写不予受理的理由。", field="reason")
    notice_on = _date(notice_on, "告知日期", "notice_on", p.received_on, "收到日期")
    p.status, p.notice_on, p.reject_reason = Status.REJECTED, notice_on, reason.strip()[:500]
    p.save()
    _event(p, "不予受理", notice_on, actor, p.reject_reason)
    _record(actor, "petitions.petition.rejected", p, notice_on=notice_on, reason=p.reject_reason)
    return p


@transaction.atomic
def petition_forward(*, actor, petition: Petition, to_org, on: dt.date, note: str = "") -> Petition:
    """转办 to a subordinate federation or union: the case moves into its queue with fresh
    receipt dates; the forwarding federation still sees it (it lies in its subtree)."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    if p.status != Status.REGISTERED:
        raise ServiceError(f"当前状态为“{p.get_status_display()}”，只有待受理的案件可以转办。")
    if to_org is None or not to_org.path.startswith(p.org.path) or to_org.pk == p.org_id:
        raise ServiceError("只能转办给本单位的下级工会。", field="to_org")
    if to_org.is_dissolved:
        raise ServiceError(f"“{to_org.name}”已注销。", field="to_org")
    on = _date(on, "转办日期", "on", p.received_on, "收到日期")
    from_org = p.org
    p.forwarded_from, p.org, p.received_on = from_org, to_org, on
    p.notice_due, p.objection_due = due(on, "NOTICE"), due(on, "OBJECTION")
    p.handler_a = p.handler_b = None  # the receiving union assigns its own staff
    p.save()
    _event(p, "转办", on, actor, f"由“{from_org.name}”转办至“{to_org.name}”" + (f"：{note}" if note else ""))
    _record(actor, "petitions.petition.forwarded", p, from_org=from_org.pk, to_org=to_org.pk, on=on)
    return p


@transaction.atomic
def petition_report_up(*, actor, petition: Petition, on: dt.date, note: str = "") -> Petition:
    """上报: a union passes a case it cannot settle to its direct superior, which handles it
    from then on as a 下级上报 case. The reporting union keeps seeing its progress
    (`visible_q`), but no longer changes it."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    if p.status != Status.REGISTERED:
        raise ServiceError(f"当前状态为“{p.get_status_display()}”，只有待受理的案件可以上报。")
    parent = Org.objects.get_parent(p.org)
    if parent is None:
        raise ServiceError("本单位没有上级工会，不能上报。")
    on = _date(on, "上报日期", "on", p.received_on, "收到日期")
    here, was = p.org, p.get_channel_display()
    p.org, p.reported_from, p.channel = parent, here, Channel.REPORTED
    p.forwarded_from, p.objection_due = None, None
    p.received_on, p.notice_due = on, due(on, "NOTICE")
    p.handler_a = p.handler_b = None
    p.save()
    _event(p, "上报", on, actor, f"“{here.name}”（原渠道：{was}）上报“{parent.name}”" + (f"：{note}" if note else ""))
    _record(actor, "petitions.petition.reported", p, from_org=here.pk, to_org=parent.pk, on=on)
    return p


def visible_q(user, perm: str = "petitions.view") -> Q:
    """Cases the user may read: those of unions in his scope, and those a union in his scope
    reported up (so a union follows the progress of what it passed on)."""
    return scope.scope_q(user, perm, "org__path") | scope.scope_q(user, perm, "reported_from__path")


@transaction.atomic
def petition_object(*, actor, petition: Petition, on: dt.date, reason: str) -> Petition:
    """异议退回: the receiving union says a forwarded case is not within its remit, within 5
    working days; it goes back to the federation that forwarded it."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    if p.status != Status.REGISTERED or p.forwarded_from_id is None:
        raise ServiceError("只有上级转办且尚未受理的案件可以提出异议退回。")
    if not (reason or "").strip():
        raise ServiceError("请填写异议理由。", field="reason")
    on = _date(on, "异议日期", "on", p.received_on, "收到日期")
    if on > p.objection_due:
        raise ServiceError(f"已超过异议期限（{p.objection_due}，收到后5个工作日），不能退回，请受理或不予受理。",
                           field="on")
    back, here = p.forwarded_from, p.org
    p.org, p.forwarded_from = back, None
    p.received_on, p.notice_due, p.objection_due = on, due(on, "NOTICE"), None
    p.handler_a = p.handler_b = None
    p.save()
    _event(p, "异议退回", on, actor, f"“{here.name}”退回“{back.name}”：{reason.strip()}")
    _record(actor, "petitions.petition.objected", p, from_org=here.pk, to_org=back.pk, on=on, reason=reason.strip())
    return p


@transaction.atomic
def petition_progress(*, actor, petition: Petition, on: dt.date, note: str) -> Petition:
    """办理记录: a step of the handling (visit, call, meeting); the first one starts 办理."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    if p.status not in (Status.ACCEPTED, Status.HANDLING):
        raise ServiceError(f"当前状态为“{p.get_status_display()}”，不能登记办理情况。")
    if not (note or "").strip():
        raise ServiceError("请填写办理情况。", field="note")
    on = _date(on, "办理日期", "on", p.accepted_on, "受理日期")
    if p.status == Status.ACCEPTED:
        p.status = Status.HANDLING
        p.save(update_fields=["status", "updated_at"])
    _event(p, "办理", on, actor, note.strip())
    _record(actor, "petitions.petition.progress", p, on=on)
    return p


@transaction.atomic
def petition_reply(*, actor, petition: Petition, replied_on: dt.date, result: str, summary: str,
                   amount_recovered=0) -> Petition:
    """答复: the written opinion (支持 / 解释说明 / 不予支持) and the money recovered."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    WORKFLOW.check(p.status, Status.REPLIED, "答复")
    if result not in Result.values:
        raise ServiceError("请选择处理结果。", field="result")
    if not (summary or "").strip():
        raise ServiceError("请填写答复意见。", field="summary")
    replied_on = _date(replied_on, "答复日期", "replied_on", p.accepted_on, "受理日期")
    p.status, p.replied_on, p.result, p.reply_summary = Status.REPLIED, replied_on, result, summary.strip()
    p.amount_recovered = _amount(amount_recovered, "追回金额", "amount_recovered")
    p.save()
    late = "（超过办结期限）" if p.close_late else ""
    _event(p, "答复", replied_on, actor, f"{p.get_result_display()}{late}；追回 {format_money(p.amount_recovered)}")
    _record(actor, "petitions.petition.replied", p, replied_on=replied_on, result=result,
            amount_recovered=p.amount_recovered)
    return p


@transaction.atomic
def petition_close(*, actor, petition: Petition, closed_on: dt.date, satisfaction: str) -> Petition:
    """办结, with the petitioner's rating of the handling."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    WORKFLOW.check(p.status, Status.CLOSED, "办结")
    if satisfaction not in Satisfaction.values:
        raise ServiceError("请选择信访人满意度。", field="satisfaction")
    closed_on = _date(closed_on, "办结日期", "closed_on", p.replied_on, "答复日期")
    p.status, p.closed_on, p.satisfaction = Status.CLOSED, closed_on, satisfaction
    p.save()
    _event(p, "办结", closed_on, actor, f"满意度：{p.get_satisfaction_display()}")
    _record(actor, "petitions.petition.closed", p, closed_on=closed_on, satisfaction=satisfaction)
    return p


@transaction.atomic
def petition_review_request(*, actor, petition: Petition, requested_on: dt.date) -> Petition:
    """复查 (first) or 复核 (after a 复查 answer), requested within 30 days of the last reply;
    the answer is due 30 days later. After 复核 the same matter is not accepted again."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    recheck = p.review_replied_on is not None
    target, what = (Status.RECHECK, "复核") if recheck else (Status.REVIEW, "复查")
    WORKFLOW.check(p.status, target, f"申请{what}")
    last = p.review_replied_on if recheck else p.replied_on
    requested_on = _date(requested_on, f"{what}申请日期", "requested_on", last, "上次答复日期")
    limit = due(last, "REVIEW_REQUEST")
    if requested_on > limit:
        raise ServiceError(f"{what}应在收到答复后30日内（{limit} 前）提出，已超过期限。", field="requested_on")
    if recheck:
        p.recheck_requested_on, p.recheck_due = requested_on, due(requested_on, "REVIEW")
    else:
        p.review_requested_on, p.review_due = requested_on, due(requested_on, "REVIEW")
    p.status = target
    p.save()
    _event(p, f"申请{what}", requested_on, actor, f"答复期限 {p.recheck_due if recheck else p.review_due}")
    _record(actor, f"petitions.petition.{'recheck' if recheck else 'review'}_requested", p, requested_on=requested_on)
    return p


@transaction.atomic
def petition_review_reply(*, actor, petition: Petition, replied_on: dt.date, summary: str) -> Petition:
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    if p.status not in (Status.REVIEW, Status.RECHECK):
        raise ServiceError(f"当前状态为“{p.get_status_display()}”，没有待答复的复查或复核。")
    if not (summary or "").strip():
        raise ServiceError("请填写答复意见。", field="summary")
    recheck = p.status == Status.RECHECK
    started = p.recheck_requested_on if recheck else p.review_requested_on
    replied_on = _date(replied_on, "答复日期", "replied_on", started, "申请日期")
    if recheck:
        p.status, p.recheck_replied_on = Status.FINAL, replied_on
    else:
        p.status, p.review_replied_on = Status.CLOSED, replied_on
    p.save()
    _event(p, "复核答复（终结）" if recheck else "复查答复", replied_on, actor, summary.strip())
    _record(actor, f"petitions.petition.{'recheck' if recheck else 'review'}_replied", p, replied_on=replied_on)
    return p


@transaction.atomic
def petition_reopen(*, actor, petition: Petition, on: dt.date, reason: str) -> Petition:
    """重新办理: a closed case handled again (a new 60-day period), or a refused case
    registered again. The earlier steps stay in the history."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    if not (reason or "").strip():
        raise ServiceError("请填写重新办理的原因。", field="reason")
    if p.status == Status.CLOSED:
        if p.review_requested_on:
            raise ServiceError("已进入复查程序的案件不能重新办理，请按复查、复核办理。")
        on = _date(on, "重新办理日期", "on", p.closed_on, "办结日期")
        p.status, p.replied_on, p.closed_on, p.result, p.satisfaction = Status.HANDLING, None, None, "", ""
        p.close_due = due(on, "CONCLUDE")
    elif p.status == Status.REJECTED:
        on = _date(on, "重新受理日期", "on", p.notice_on, "告知日期")
        p.status, p.notice_on, p.reject_reason = Status.REGISTERED, None, ""
        p.received_on, p.notice_due = on, due(on, "NOTICE")
    else:
        raise ServiceError(f"当前状态为“{p.get_status_display()}”，不能重新办理。")
    p.save()
    _event(p, "重新办理", on, actor, reason.strip())
    _record(actor, "petitions.petition.reopened", p, on=on, reason=reason.strip())
    return p


@transaction.atomic
def extension_request(*, actor, petition: Petition, requested_on: dt.date, reason: str) -> Extension:
    """申请延期 (one extension of at most 30 days, §34)."""
    p = _lock(petition)
    scope.require(actor, "petitions.change", p.org.path)
    if p.status not in (Status.ACCEPTED, Status.HANDLING):
        raise ServiceError("只有已受理、尚未答复的案件可以申请延期。")
    if p.extended or p.extensions.filter(state=Extension.State.APPROVED).exists():
        raise ServiceError("办理期限只能延长一次。")
    if p.extensions.filter(state=Extension.State.PENDING).exists():
        raise ServiceError("已有一项延期申请在等待审批。")
    if not (reason or "").strip():
        raise ServiceError("请填写延期理由（须告知信访人）。", field="reason")
    requested_on = _date(requested_on, "申请日期", "requested_on", p.accepted_on, "受理日期")
    ext = Extension.objects.create(petition=p, requested_by=actor, requested_on=requested_on,
                                   reason=reason.strip()[:500])
    _event(p, "申请延期", requested_on, actor, ext.reason)
    _record(actor, "petitions.extension.requested", p, requested_on=requested_on, reason=ext.reason)
    return ext


@transaction.atomic
def extension_decide(*, actor, extension: Extension, approve: bool, decided_on: dt.date, note: str = "") -> Extension:
    """审批延期: by a holder of petitions.approve who did not ask for it himself."""
    ext = Extension.objects.select_for_update().get(pk=extension.pk)
    p = _lock(ext.petition)
    if actor is not None and not scope.has_perm(actor, "petitions.approve", p.org.path):
        raise PermissionDenied("您无权审批延期。")
    if ext.state != Extension.State.PENDING:
        raise ServiceError("该延期申请已审批。")
    if actor is not None and ext.requested_by_id == actor.pk:
        raise ServiceError("不能审批本人提出的延期申请。")
    decided_on = _date(decided_on, "审批日期", "decided_on", ext.requested_on, "申请日期")
    ext.decided_by, ext.decided_on, ext.decision_note = actor, decided_on, (note or "").strip()[:500]
    if approve:
        if p.status not in (Status.ACCEPTED, Status.HANDLING):
            raise ServiceError(f"案件当前状态为“{p.get_status_display()}”，不需要延期。")
        ext.state, ext.new_due = Extension.State.APPROVED, due(p.close_due, "EXTENSION")
        p.close_due, p.extended = ext.new_due, True
        p.save(update_fields=["close_due", "extended", "updated_at"])
    else:
        ext.state = Extension.State.REFUSED
    ext.save()
    verdict = f"批准延期至 {ext.new_due}" if approve else "不批准延期"
    _event(p, "延期审批", decided_on, actor, verdict + (f"：{ext.decision_note}" if ext.decision_note else ""))
    _record(actor, "petitions.extension.approved" if approve else "petitions.extension.refused", p,
            decided_on=decided_on, new_due=ext.new_due)
    return ext


# --- A/B hand-over -----------------------------------------------------------------------------

def absent_user_ids(on: dt.date) -> Q:
    return Q(petition_absences__starts_on__lte=on, petition_absences__ends_on__gte=on)


def is_absent(user, on: dt.date) -> bool:
    return user is not None and Absence.objects.filter(user=user, starts_on__lte=on, ends_on__gte=on).exists()


def effective_handler(p: Petition, on: dt.date):
    """Who works the case on `on`: A, or B while A is marked absent (and B is not)."""
    if p.handler_a_id and is_absent(p.handler_a, on) and p.handler_b_id and not is_absent(p.handler_b, on):
        return p.handler_b
    return p.handler_a


def my_cases_q(user, on: dt.date) -> Q:
    """Cases the user works on `on`: his A cases unless he is away, and B cases whose A is away."""
    from django.contrib.auth import get_user_model

    away = get_user_model().objects.filter(absent_user_ids(on)).values("pk")
    if is_absent(user, on):
        return Q(pk__in=[])
    return (Q(handler_a=user) & ~Q(handler_a__in=away)) | (Q(handler_b=user) & Q(handler_a__in=away))


@transaction.atomic
def absence_mark(*, actor, user, org, starts_on: dt.date, ends_on: dt.date, reason: str = "") -> Absence:
    """Mark a handler absent: his open A cases pass to their B handler for these days (each
    case's history says so)."""
    scope.require(actor, "petitions.change", org.path)
    if not scope.has_perm(user, "petitions.change", org.path):
        raise ServiceError("该用户不是本单位的信访承办人。", field="user")
    if not starts_on or not ends_on:
        raise ServiceError("请填写外出起止日期。", field="starts_on")
    if ends_on < starts_on:
        raise ServiceError("结束日期不能早于开始日期。", field="ends_on")
    absence = Absence.objects.create(user=user, org=org, starts_on=starts_on, ends_on=ends_on,
                                     reason=(reason or "").strip()[:200])
    name = user.display_name or user.username
    cases = Petition.objects.filter(handler_a=user, status__in=OPEN_STATUSES).select_related("handler_b")
    for p in cases:
        if p.handler_b_id:
            b = p.handler_b.display_name or p.handler_b.username
            _event(p, "A/B角交接", starts_on, actor, f"A角 {name} {starts_on} 至 {ends_on} 不在岗，由B角 {b} 接办")
    audit.record(actor=actor, action="petitions.absence.marked", obj=absence,
                 changes={"user": user.pk, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    return absence


# --- attachments ------------------------------------------------------------------------------

ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def attachments_dir():
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.DATA_DIR) / "petitions"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


@transaction.atomic
def attachment_add(*, actor, petition: Petition, name: str, content: bytes) -> Attachment:
    """Keep a file of the case (letter, photo, record) in a private folder."""
    import os
    import secrets
    from pathlib import PurePath

    scope.require(actor, "petitions.change", petition.org.path)
    name = PurePath((name or "").replace("\\", "/")).name.strip()[:200]
    if not name.lower().endswith(ATTACHMENT_TYPES):
        raise ServiceError("附件只能是 PDF、图片（JPG、PNG）、Word、Excel 或文本文件。", field="file")
    if not content:
        raise ServiceError("文件是空的。", field="file")
    if len(content) > ATTACHMENT_MAX_BYTES:
        raise ServiceError("附件不能超过 10 MB。", field="file")
    stored = secrets.token_hex(16) + PurePath(name).suffix.lower()
    fd = os.open(attachments_dir() / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    a = Attachment.objects.create(petition=petition, name=name, stored_name=stored, size=len(content),
                                  uploaded_by=_actor_name(actor))
    _event(petition, "上传附件", clock.today(), actor, name)
    _record(actor, "petitions.attachment.added", petition, attachment=name, size=len(content))
    return a


def attachment_open(*, user, attachment: Attachment):
    """The file for a holder of petitions.view_sensitive; the download is a logged full view."""
    p = attachment.petition
    if not scope.has_perm(user, "petitions.view_sensitive", p.org.path):
        raise PermissionDenied("附件可能含信访人身份信息，您无权下载。")
    audit.log_access(user=user, kind="view_full", object_type="petitions.petition", object_id=str(p.pk),
                     fields=["attachment"], reason=f"下载附件 {attachment.name}"[:255], org_path=p.org.path)
    return (attachments_dir() / attachment.stored_name).open("rb")


# --- personal data --------------------------------------------------------------------------

def petition_reveal(*, user, petition: Petition, reason: str) -> list[dict]:
    """Petitioners' names, ID numbers, phones and addresses in full, for a holder of
    petitions.view_sensitive on the case's union; written to the access log."""
    if not scope.has_perm(user, "petitions.view_sensitive", petition.org.path):
        raise PermissionDenied("您无权查看信访人的完整信息。")
    if not (reason or "").strip():
        raise ServiceError("请填写查看事由。", field="reason")
    audit.log_access(user=user, kind="view_full", object_type="petitions.petition", object_id=str(petition.pk),
                     fields=["name", "id_number", "phone", "address"], reason=reason.strip()[:255],
                     org_path=petition.org.path)
    return [p.full() for p in petition.petitioners.all()]


# --- mediation --------------------------------------------------------------------------------

@transaction.atomic
def mediation_register(*, actor, org, body: str, applied_on: dt.date, applicant_name: str, dispute_type: str,
                       mode: str = "written", applicant_gender=None, applicant_phone: str = "",
                       worker_count: int = 1, employer=None, employer_name: str = "", matter: str = "",
                       amount_claimed=0, mediator: str = "") -> Mediation:
    """受理调解申请 (written or oral): the 15-day limit runs from receipt."""
    from .models import DisputeType, MediationBody

    scope.require(actor, "petitions.change", org.path)
    if body not in MediationBody.values:
        raise ServiceError("请选择调解组织。", field="body")
    if dispute_type not in DisputeType.values:
        raise ServiceError("请选择争议类型。", field="dispute_type")
    if not (applicant_name or "").strip():
        raise ServiceError("请填写申请人。", field="applicant_name")
    if not (employer or (employer_name or "").strip()):
        raise ServiceError("请填写被申请人（用人单位）。", field="employer_name")
    if not worker_count or worker_count < 1:
        raise ServiceError("涉及职工人数至少为1。", field="worker_count")
    applied_on = _date(applied_on, "申请日期", "applied_on")
    phone = _check_phone(applicant_phone, "applicant_phone")
    m = _create_numbered(
        Mediation, "TJ", applied_on.year, org=org, body=body, mode=mode, applied_on=applied_on,
        due_on=due(applied_on, "MEDIATION"), applicant_name=applicant_name.strip()[:100],
        applicant_gender=int(applicant_gender) if applicant_gender else None,
        applicant_phone_cipher=crypto.encrypt(phone), applicant_phone_masked=crypto.mask_phone(phone) if phone else "",
        worker_count=worker_count, employer=employer,
        employer_name=employer.name if employer else employer_name.strip(), dispute_type=dispute_type,
        matter=matter or "", amount_claimed=_amount(amount_claimed, "标的金额", "amount_claimed"),
        mediator=(mediator or "").strip(),
    )
    audit.record(actor=actor, action="petitions.mediation.registered", obj=m,
                 changes={"number": m.number, "applied_on": applied_on.isoformat(), "due_on": m.due_on.isoformat()})
    return m


@transaction.atomic
def mediation_session_add(*, actor, mediation: Mediation, held_on: dt.date, notes: str) -> MediationSession:
    m = Mediation.objects.select_for_update().get(pk=mediation.pk)
    scope.require(actor, "petitions.change", m.org.path)
    if m.state != Mediation.State.OPEN:
        raise ServiceError(f"案件已结案（{m.get_state_display()}），不能再登记调解记录。")
    if not (notes or "").strip():
        raise ServiceError("请填写调解记录。", field="notes")
    held_on = _date(held_on, "调解日期", "held_on", m.applied_on, "申请日期")
    s = MediationSession.objects.create(mediation=m, held_on=held_on, notes=notes.strip(),
                                        actor_name=_actor_name(actor))
    audit.record(actor=actor, action="petitions.mediation.session", obj=m, changes={"held_on": held_on.isoformat()})
    return s


@transaction.atomic
def mediation_close(*, actor, mediation: Mediation, state: str, closed_on: dt.date, agreement_terms: str = "",
                    agreed_amount=0, performance_due: dt.date | None = None, note: str = "") -> Mediation:
    """结案: 调解成功 (the agreement's terms and amount), 调解不成 (the parties are told they may
    apply for arbitration) or 撤回."""
    m = Mediation.objects.select_for_update().get(pk=mediation.pk)
    scope.require(actor, "petitions.change", m.org.path)
    if m.state != Mediation.State.OPEN:
        raise ServiceError(f"案件已结案（{m.get_state_display()}）。")
    if state not in (Mediation.State.SUCCEEDED, Mediation.State.FAILED, Mediation.State.WITHDRAWN):
        raise ServiceError("请选择调解结果。", field="state")
    closed_on = _date(closed_on, "结案日期", "closed_on", m.applied_on, "申请日期")
    if state == Mediation.State.SUCCEEDED:
        if not (agreement_terms or "").strip():
            raise ServiceError("调解成功须填写调解协议内容。", field="agreement_terms")
        m.agreement_terms = agreement_terms.strip()
        m.agreed_amount = _amount(agreed_amount, "协议金额", "agreed_amount")
        m.performance_due = performance_due
    m.referred_to_arbitration = state == Mediation.State.FAILED
    m.state, m.closed_on, m.close_note = state, closed_on, (note or "").strip()[:500]
    m.save()
    audit.record(actor=actor, action="petitions.mediation.closed", obj=m,
                 changes={"state": state, "closed_on": closed_on.isoformat(), "agreed_amount": str(m.agreed_amount)})
    return m


def mediation_reveal(*, user, mediation: Mediation, reason: str) -> dict:
    if not scope.has_perm(user, "petitions.view_sensitive", mediation.org.path):
        raise PermissionDenied("您无权查看申请人的完整信息。")
    if not (reason or "").strip():
        raise ServiceError("请填写查看事由。", field="reason")
    audit.log_access(user=user, kind="view_full", object_type="petitions.mediation", object_id=str(mediation.pk),
                     fields=["applicant_name", "phone"], reason=reason.strip()[:255], org_path=mediation.org.path)
    return {"name": mediation.applicant_name, "phone": crypto.decrypt(mediation.applicant_phone_cipher)}
