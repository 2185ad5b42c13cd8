"""Every write to people and memberships goes through these services (DOMAIN §2.4-§2.5).

Each is keyword-only, takes the acting user, runs in one transaction, checks the allowed
status transition and the actor's scope, writes the status history and a dated event, and
appends an audit entry in which ID numbers and phones are redacted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Q

from gonghui.core import audit, clock, crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import parse_id_number
from gonghui.core.pinyin import search_keys
from gonghui.orgs.models import MEMBER_UNION_TYPES, Org, OrgPlacement
from gonghui.orgs.selectors import employers_for, path_on, placement_path

from . import selectors
from .models import MemberEvent, Membership, MemberStatus, MemberStatusPeriod, Person, Transfer, month_of

PERSON_FIELDS = ("name", "ethnicity", "education", "political", "phone", "hukou", "is_migrant_worker", "employment",
                 "is_dispatched", "employer", "employer_name")
LEAVING = {
    MemberStatus.WITHDRAWN: (MemberEvent.Kind.WITHDRAWN, "members.member.withdrawn"),
    MemberStatus.EXPELLED: (MemberEvent.Kind.EXPELLED, "members.member.expelled"),
    MemberStatus.DECEASED: (MemberEvent.Kind.DECEASED, "members.member.deceased"),
}
# Which status may follow which (a membership that ended is history: re-joining starts a new one).
TRANSITIONS = {
    MemberStatus.ACTIVE: {MemberStatus.RETAINED, MemberStatus.TRANSFERRED, *LEAVING},
    MemberStatus.RETAINED: {MemberStatus.ACTIVE, MemberStatus.TRANSFERRED, *LEAVING},
}


def _check_date(value: dt.date | None, what: str, field: str = "effective_on") -> dt.date:
    if not value:
        raise ServiceError(f"请填写{what}。", field=field)
    if value > clock.today():
        raise ServiceError(f"{what}（{value}）不能晚于今天。", field=field)
    return value


def _check_union(union: Org) -> None:
    if union.org_type not in MEMBER_UNION_TYPES:
        raise ServiceError(f"“{union.name}”是{union.get_org_type_display()}，会员应登记在基层工会。", field="union")
    if union.is_dissolved:
        raise ServiceError(f"“{union.name}”已注销，不能登记会员。", field="union")


def _event(membership: Membership, kind: str, effective_on: dt.date, actor, reason: str = "", **data) -> MemberEvent:
    return MemberEvent.objects.create(
        person_id=membership.person_id, membership=membership, union_id=membership.union_id, kind=kind,
        effective_on=effective_on, month=month_of(effective_on), path=path_on(membership.union, effective_on),
        data=data, reason=reason,
        actor_name=actor.get_username() if actor is not None else "系统",
    )


def _set_person_fields(person: Person, fields: dict, ring: crypto.Keyring | None = None) -> None:
    """Set these fields on the person (`ring`: the keyring to encrypt with, when the caller read it once)."""
    for f, v in fields.items():
        if f == "phone":
            phone = (v or "").strip()
            if phone and not (phone.isdigit() and len(phone) == 11 and phone[0] == "1" and phone[1] in "3456789"):
                raise ServiceError(f"手机号码“{crypto.mask_phone(phone)}”应为11位、以13-19开头的数字。", field="phone")
            person.phone_cipher, person.phone_masked = crypto.encrypt(phone, ring), crypto.mask_phone(phone)
        elif f == "name":
            name = (v or "").strip()
            if not name:
                raise ServiceError("请填写姓名。", field="name")
            person.name, person.pinyin_keys = name, search_keys(name)
        else:
            setattr(person, f, v)


def find_person(id_number: str) -> Person | None:
    """Exact lookup by ID number through its HMAC (no decryption)."""
    # Every key version's hash: during a key rotation a row may still carry the old one.
    return Person.objects.filter(id_hash__in=crypto.lookup_hashes(parse_id_number(id_number).number)).first()


Span = tuple[dt.date, "dt.date | None", str]  # (from, to exclusive or None, path)


def union_spans(union_ids) -> dict[int, list[Span]]:
    """The placements of these unions, by union, in date order."""
    out: dict[int, list[Span]] = {}
    rows = OrgPlacement.objects.filter(org_id__in=list(union_ids)).order_by("org_id", "valid_from")
    for org_id, valid_from, valid_to, path in rows.values_list("org_id", "valid_from", "valid_to", "path"):
        out.setdefault(org_id, []).append((valid_from, valid_to, path))
    return out


def path_segments(spans: list[Span], fallback: str, start: dt.date, end: dt.date | None) -> list[Span]:
    """[start, end) cut where the union's placement changes: (from, to, path) parts in order.

    A part no placement covers gets `fallback` (the union's current path), as
    `orgs.selectors.path_on` gives it; neighbours with the same path stay one part.
    """
    out: list[Span] = []
    cursor: dt.date | None = start
    for s_from, s_to, path in spans:
        if cursor is None or (end is not None and s_from >= end):
            break
        if s_to is not None and s_to <= cursor:
            continue
        if s_from > cursor:
            out.append((cursor, s_from, fallback))
            cursor = s_from
        part_end = s_to if end is None or (s_to is not None and s_to < end) else end
        out.append((cursor, part_end, path))
        cursor = part_end
    if cursor is not None and (end is None or cursor < end):
        out.append((cursor, end, fallback))
    if not out:  # an empty period [start, start)
        out.append((start, end, next((p for f, t, p in spans if f <= start and (t is None or t > start)), fallback)))
    merged = [out[0]]
    for part in out[1:]:
        if part[2] == merged[-1][2]:
            merged[-1] = (merged[-1][0], part[1], part[2])
        else:
            merged.append(part)
    return merged


def period_rows(*, membership_id: int, union_id: int, segments: list[Span], status: str, gender: int,
                migrant: bool, reason: str = "") -> list[MemberStatusPeriod]:
    """The unsaved rows of one open status period: one per part of `segments` (path_segments of the
    union's placements from the period's start; see MemberStatusPeriod), the later ones marked
    `continued`. The services and the bulk import both write them through here."""
    return [
        MemberStatusPeriod(membership_id=membership_id, union_id=union_id, status=status, valid_from=f, valid_to=t,
                           reason=reason, path=path, continued=i > 0, gender=gender, migrant=migrant)
        for i, (f, t, path) in enumerate(segments)
    ]


def _open_period(membership: Membership, status: str, valid_from: dt.date, reason: str = "") -> None:
    person, union = membership.person, membership.union
    spans = union_spans([union.pk]).get(union.pk, [])
    MemberStatusPeriod.objects.bulk_create(period_rows(
        membership_id=membership.pk, union_id=union.pk, segments=path_segments(spans, union.path, valid_from, None),
        status=status, gender=person.gender, migrant=person.is_migrant_worker, reason=reason))


def _close_period(membership: Membership, on: dt.date) -> MemberStatusPeriod:
    """End the current status on `on`. The status may be stored in several parts (the union
    moved meanwhile): parts from `on` on are dropped, the one holding `on` ends there."""
    run: list[MemberStatusPeriod] = []
    for period in membership.periods.order_by("-valid_from", "-pk"):
        run.append(period)
        if not period.continued:
            break
    run.reverse()
    first = run[0]
    if on < first.valid_from:
        raise ServiceError(f"日期不能早于该会员上一次状态变动的日期 {first.valid_from}。", field="effective_on")
    later = [p.pk for p in run[1:] if p.valid_from >= on]
    if later:
        MemberStatusPeriod.objects.filter(pk__in=later).delete()
    period = [p for p in run if p is first or p.pk not in later][-1]
    period.valid_to = on
    period.save(update_fields=["valid_to"])
    return period


# Out of the actor's scope the refusals neither name the other union nor say what is there
# (issue 12): the same words as for a number or code that is simply not available here.
NOT_HERE = ("该公民身份号码不能在此办理入会：在您的管理范围内没有此人的会籍。"
            "如此人已在其他工会入会，请在“转会”页面按公民身份号码申请转入，由原工会办理。")
CARD_UNAVAILABLE = "会员证号“{}”不可用，请核对后重新填写，或留空。"
EMPLOYER_UNKNOWN = "统一社会信用代码“{}”的用人单位尚未登记，或不在您的范围内；请先登记用人单位。"
EMPLOYER_PERM = "members.view"  # employers a member clerk may pick: orgs.selectors.employers_for


def may_see_union(actor, union: Org) -> bool:
    return scope.has_perm(actor, "members.view", union.path)  # the system (None) sees everything


def member_elsewhere_message(actor, union: Org) -> str:
    """Why a second current membership is refused: the union's name only to those who may see it
    (the union above both), the neutral NOT_HERE to everyone else."""
    if may_see_union(actor, union):
        return f"该公民身份号码已是“{union.name}”的会员，请办理转会。"
    return NOT_HERE


def card_taken_message(actor, card_no: str, union: Org) -> str:
    if may_see_union(actor, union):
        return f"会员证号“{card_no}”已被使用（“{union.name}”的会员）。"
    return CARD_UNAVAILABLE.format(card_no)


def check_employer(actor, employer) -> None:
    """The employer must be one the actor may pick (orgs.selectors.employers_for); another
    area's employer reads as unregistered."""
    if employer is None or actor is None:
        return
    if not employers_for(actor, EMPLOYER_PERM).filter(pk=employer.pk).exists():
        raise ServiceError(EMPLOYER_UNKNOWN.format(employer.uscc or employer.name), field="employer")


@transaction.atomic
def member_join(*, actor, union: Org, name: str, id_number, joined_on: dt.date, card_no: str = "",
                gender: int | None = None, birth_date: dt.date | None = None, **fields) -> Membership:
    """入会: a person joins a union. Re-joining after leaving is allowed; a second current
    membership is not ("一次入会": a transfer moves the membership instead)."""
    scope.require(actor, "members.change", union.path)
    _check_union(union)
    joined_on = _check_date(joined_on, "入会日期", "joined_on")
    if union.founded_on and joined_on < union.founded_on:
        raise ServiceError(f"入会日期不能早于工会成立日期 {union.founded_on}。", field="joined_on")
    info = parse_id_number(id_number)
    if gender is not None and int(gender) != info.gender:
        raise ServiceError(f"性别与公民身份号码不符（号码显示为{'男' if info.gender == 1 else '女'}）。", field="gender")
    if birth_date is not None and birth_date != info.birth_date:
        raise ServiceError(f"出生日期与公民身份号码不符（号码显示为 {info.birth_date}）。", field="birth_date")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    card_no = (card_no or "").strip()
    if card_no:
        holder = Membership.objects.filter(card_no=card_no).select_related("union").first()
        if holder is not None:
            raise ServiceError(card_taken_message(actor, card_no, holder.union), field="card_no")
    check_employer(actor, fields.get("employer"))
    id_hash = crypto.lookup_hash(info.number)
    person = Person.objects.select_for_update().filter(id_hash__in=crypto.lookup_hashes(info.number)).first()
    if person is not None:
        current = person.memberships.filter(ended_on__isnull=True).select_related("union").first()
        if current is not None:
            raise ServiceError(member_elsewhere_message(actor, current.union), field="id_number")
        last_end = person.memberships.order_by("-ended_on").values_list("ended_on", flat=True).first()
        if last_end and joined_on < last_end:
            raise ServiceError(f"入会日期不能早于上一次会籍终止的日期 {last_end}。", field="joined_on")
    else:
        person = Person(id_cipher=crypto.encrypt(info.number), id_hash=id_hash, id_masked=crypto.mask_id(info.number),
                        id_last4=info.number[-4:], gender=info.gender, birth_date=info.birth_date,
                        first_joined_on=joined_on)
    _set_person_fields(person, {"name": name, **fields})
    person.save()
    membership = Membership.objects.create(person=person, union=union, started_on=joined_on, card_no=card_no)
    _open_period(membership, MemberStatus.ACTIVE, joined_on)
    _event(membership, MemberEvent.Kind.JOINED, joined_on, actor)
    audit.record(actor=actor, action="members.member.joined", obj=membership,
                 changes={"name": person.name, "id_number": info.number, "union": union.name, "joined_on": joined_on})
    return membership


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    membership = person.memberships.filter(ended_on__isnull=True).select_related("union").first()
    if membership is not None:
        scope.require(actor, "members.change", membership.union.path)
    elif actor is not None:
        raise ServiceError("该人员已无会籍，不能修改。", field="name")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    if "employer" in fields and fields["employer"] is not None and fields["employer"].pk != person.employer_id:
        check_employer(actor, fields["employer"])
    old = {f: (person.phone_masked if f == "phone" else getattr(person, f)) for f in fields}
    _set_person_fields(person, fields)
    changes = {f: [old[f], person.phone_masked if f == "phone" else getattr(person, f)] for f in fields}
    changes = {f: v for f, v in changes.items() if v[0] != v[1]}
    if not changes:
        return person
    person.save()
    if "is_migrant_worker" in changes:  # the periods' copy (MemberStatusPeriod.migrant) follows
        MemberStatusPeriod.objects.filter(membership__person=person).update(migrant=person.is_migrant_worker)
    if membership is not None:
        _event(membership, MemberEvent.Kind.UPDATED, clock.today(), actor, fields=sorted(changes))
    audit.record(actor=actor, action="members.person.updated", obj=person, changes=changes,
                 org_path=membership.union.path if membership else "")
    return person


def _check_transition(membership: Membership, to: str) -> None:
    if membership.ended_on is not None:
        raise ServiceError("该会籍已终止，不能再办理。", field="effective_on")
    if to not in TRANSITIONS.get(membership.status, set()):
        raise ServiceError(
            f"会籍状态为“{membership.get_status_display()}”时不能办理“{MemberStatus(to).label}”。", field="effective_on"
        )


def _move(membership: Membership, to_union: Org, effective_on: dt.date, actor, reason: str) -> Membership:
    """Close the membership here and open one in `to_union` (the status carries over)."""
    _close_period(membership, effective_on)
    status, card_no = membership.status, membership.card_no
    # The card moves with the member: clear it here before the new membership takes it (unique).
    membership.ended_on, membership.status, membership.card_no = effective_on, MemberStatus.TRANSFERRED, ""
    membership.save(update_fields=["ended_on", "status", "card_no"])
    new = Membership.objects.create(person_id=membership.person_id, union=to_union, started_on=effective_on,
                                    card_no=card_no, status=status)
    _open_period(new, status, effective_on, reason)
    _event(membership, MemberEvent.Kind.TRANSFERRED_OUT, effective_on, actor, reason, to=to_union.name)
    _event(new, MemberEvent.Kind.TRANSFERRED_IN, effective_on, actor, reason, **{"from": membership.union.name})
    return new


@transaction.atomic
def member_transfer_out(*, actor, membership: Membership, to_name: str, effective_on: dt.date,
                        reason: str = "") -> Membership:
    """转出 to a union the system does not hold (another province, or one the roster only names):
    the membership here ends as 转出 with a dated 转出 event naming the receiving union; no
    membership opens anywhere. The 会员证 goes with the member, so its number is freed here."""
    scope.require(actor, "members.change", membership.union.path)
    _check_transition(membership, MemberStatus.TRANSFERRED)
    to_name = (to_name or "").strip()
    if not to_name:
        raise ServiceError("请填写转入的工会。", field="to_union")
    effective_on = _check_date(effective_on, "转会日期")
    _close_period(membership, effective_on)
    membership.ended_on, membership.status, membership.card_no = effective_on, MemberStatus.TRANSFERRED, ""
    membership.save(update_fields=["ended_on", "status", "card_no"])
    _event(membership, MemberEvent.Kind.TRANSFERRED_OUT, effective_on, actor, reason, to=to_name)
    audit.record(actor=actor, action="members.member.transferred_out", obj=membership,
                 changes={"name": membership.person.name, "union": [membership.union.name, to_name],
                          "effective_on": effective_on, "reason": reason})
    return membership


@transaction.atomic
def member_arrive(*, actor, union: Org, name: str, id_number, joined_on: dt.date | None, arrived_on: dt.date,
                  from_name: str, card_no: str = "", reason: str = "", **fields) -> Membership:
    """转入 from a union the system does not hold: the stay here starts on the arrival date and its
    event is a 转入, not a 入会 (发展会员 counts 入会 only); the first 入会日期 is kept on the person."""
    from_name = (from_name or "").strip()
    if not from_name:
        raise ServiceError("请填写原来的工会。", field="from_union")
    arrived_on = _check_date(arrived_on, "转入日期", "effective_on")
    if joined_on and joined_on > arrived_on:
        raise ServiceError(f"入会日期（{joined_on}）不能晚于转入日期（{arrived_on}）。", field="joined_on")
    membership = member_join(actor=actor, union=union, name=name, id_number=id_number, joined_on=arrived_on,
                             card_no=card_no, **fields)
    person = membership.person
    if joined_on and joined_on < person.first_joined_on:
        person.first_joined_on = joined_on
        person.save(update_fields=["first_joined_on"])
    membership.events.filter(kind=MemberEvent.Kind.JOINED).update(
        kind=MemberEvent.Kind.TRANSFERRED_IN, data={"from": from_name}, reason=reason)
    audit.record(actor=actor, action="members.member.transferred_in", obj=membership,
                 changes={"name": person.name, "union": [from_name, union.name], "effective_on": arrived_on,
                          "reason": reason})
    return membership


@transaction.atomic
def member_transfer(*, actor, membership: Membership, to_union: Org, effective_on: dt.date,
                    reason: str = "") -> Membership | Transfer:
    """转会. Into a union the actor also manages: done at once (returns the new membership).
    Elsewhere: a pending Transfer that the receiving union accepts or returns."""
    scope.require(actor, "members.change", membership.union.path)
    _check_transition(membership, MemberStatus.TRANSFERRED)
    _check_union(to_union)
    if to_union.pk == membership.union_id:
        raise ServiceError("转入工会与当前工会相同。", field="to_union")
    effective_on = _check_date(effective_on, "转会日期")
    if scope.has_perm(actor, "members.change", to_union.path):  # the system (None) holds every permission
        new = _move(membership, to_union, effective_on, actor, reason)
        audit.record(actor=actor, action="members.member.transferred", obj=new,
                     changes={"name": membership.person.name, "union": [membership.union.name, to_union.name],
                              "effective_on": effective_on})
        return new
    if membership.transfers.filter(status=Transfer.Status.PENDING).exists():
        raise ServiceError("该会员已有待接收的转会申请。", field="to_union")
    transfer = Transfer.objects.create(membership=membership, to_union=to_union, requested_on=clock.today(),
                                       effective_on=effective_on, reason=reason)
    audit.record(actor=actor, action="members.transfer.requested", obj=transfer,
                 changes={"name": membership.person.name, "union": [membership.union.name, to_union.name],
                          "effective_on": effective_on}, org_path=membership.union.path)
    return transfer


@transaction.atomic
def transfer_request_in(*, actor, to_union: Org, id_number, effective_on: dt.date,
                        reason: str = "") -> Membership | Transfer:
    """转会 asked by the receiving union (转入申请): the clerk knows the person's ID number, not
    where the person is a member. Into a union the actor manages on both sides it is done at
    once; otherwise a pending TO transfer that the holding union accepts or returns. Nothing in
    the answer names the holding union."""
    scope.require(actor, "members.change", to_union.path)
    _check_union(to_union)
    effective_on = _check_date(effective_on, "转会日期")
    info = parse_id_number(id_number)
    person = Person.objects.filter(id_hash__in=crypto.lookup_hashes(info.number)).first()
    current = (person.memberships.filter(ended_on__isnull=True).select_related("union", "person").first()
               if person is not None else None)
    if current is None:
        raise ServiceError("该公民身份号码目前没有可转入的会籍，可直接办理入会。", field="id_number")
    if current.union_id == to_union.pk:
        raise ServiceError("此人已是本工会会员。", field="id_number")
    if scope.has_perm(actor, "members.change", current.union.path):
        return member_transfer(actor=actor, membership=current, to_union=to_union, effective_on=effective_on,
                               reason=reason)
    _check_transition(current, MemberStatus.TRANSFERRED)
    if current.transfers.filter(status=Transfer.Status.PENDING).exists():
        raise ServiceError("已有一项待处理的转会申请，请等待处理结果。", field="id_number")
    transfer = Transfer.objects.create(membership=current, to_union=to_union, requested_on=clock.today(),
                                       effective_on=effective_on, reason=(reason or "").strip(),
                                       initiator=Transfer.Initiator.TO)
    audit.record(actor=actor, action="members.transfer.requested", obj=transfer,
                 changes={"id_number": info.number, "to_union": to_union.name, "effective_on": effective_on,
                          "initiator": Transfer.Initiator.TO.label}, org_path=to_union.path)
    return transfer


def _deciding_path(transfer: Transfer) -> str:
    """The union that accepts or returns: the receiver of a FROM request, the holder of a TO one."""
    if transfer.initiator == Transfer.Initiator.TO:
        return transfer.membership.union.path
    return transfer.to_union.path


@transaction.atomic
def transfer_accept(*, actor, transfer: Transfer, note: str = "") -> Membership:
    scope.require(actor, "members.change", _deciding_path(transfer))
    if transfer.status != Transfer.Status.PENDING:
        raise ServiceError("该转会申请已处理。", field="note")
    membership = Membership.objects.select_for_update().get(pk=transfer.membership_id)
    _check_transition(membership, MemberStatus.TRANSFERRED)
    new = _move(membership, transfer.to_union, transfer.effective_on, actor, transfer.reason)
    transfer.status, transfer.decided_on, transfer.note = Transfer.Status.ACCEPTED, clock.today(), note
    transfer.decided_by = actor.get_username() if actor is not None else "系统"
    transfer.save(update_fields=["status", "decided_on", "note", "decided_by"])
    audit.record(actor=actor, action="members.transfer.accepted", obj=transfer,
                 changes={"name": membership.person.name, "union": [membership.union.name, transfer.to_union.name]})
    return new


@transaction.atomic
def transfer_reject(*, actor, transfer: Transfer, note: str) -> Transfer:
    scope.require(actor, "members.change", _deciding_path(transfer))
    if transfer.status != Transfer.Status.PENDING:
        raise ServiceError("该转会申请已处理。", field="note")
    if not (note or "").strip():
        raise ServiceError("退回须填写理由。", field="note")
    transfer.status, transfer.decided_on, transfer.note = Transfer.Status.REJECTED, clock.today(), note.strip()
    transfer.decided_by = actor.get_username() if actor is not None else "系统"
    transfer.save(update_fields=["status", "decided_on", "note", "decided_by"])
    audit.record(actor=actor, action="members.transfer.rejected", obj=transfer, changes={"note": note})
    return transfer


def _change_status(*, actor, membership: Membership, to: str, effective_on: dt.date, reason: str,
                   kind: str, action: str, what: str) -> Membership:
    scope.require(actor, "members.change", membership.union.path)
    _check_transition(membership, to)
    effective_on = _check_date(effective_on, f"{what}日期")
    if to in LEAVING and not (reason or "").strip() and to != MemberStatus.DECEASED:
        raise ServiceError(f"请填写{what}原因。", field="reason")
    _close_period(membership, effective_on)
    old = membership.status
    membership.status = to
    fields = ["status"]
    if to in LEAVING:
        membership.ended_on = effective_on
        fields.append("ended_on")
    else:
        _open_period(membership, to, effective_on, reason)
    membership.save(update_fields=fields)
    _event(membership, kind, effective_on, actor, reason)
    audit.record(actor=actor, action=action, obj=membership,
                 changes={"status": [MemberStatus(old).label, MemberStatus(to).label], "effective_on": effective_on,
                          "reason": reason})
    return membership


@transaction.atomic
def member_retain(*, actor, membership: Membership, effective_on: dt.date, reason: str) -> Membership:
    """保留会籍 (retirement, unemployment, employer closed): no voting rights, not counted as 在会."""
    if not (reason or "").strip():
        raise ServiceError("请填写保留会籍的原因（如退休、失业、单位关闭）。", field="reason")
    return _change_status(actor=actor, membership=membership, to=MemberStatus.RETAINED, effective_on=effective_on,
                          reason=reason, kind=MemberEvent.Kind.RETAINED, action="members.member.retained",
                          what="保留会籍")


@transaction.atomic
def member_restore(*, actor, membership: Membership, effective_on: dt.date, reason: str = "") -> Membership:
    return _change_status(actor=actor, membership=membership, to=MemberStatus.ACTIVE, effective_on=effective_on,
                          reason=reason, kind=MemberEvent.Kind.RESTORED, action="members.member.restored",
                          what="恢复会籍")


@transaction.atomic
def member_leave(*, actor, membership: Membership, status: str, effective_on: dt.date, reason: str) -> Membership:
    """退会, 除名 or 死亡: the membership ends."""
    if status not in LEAVING:
        raise ServiceError("会籍终止的方式应为退会、除名或死亡。", field="status")
    kind, action = LEAVING[status]
    return _change_status(actor=actor, membership=membership, to=status, effective_on=effective_on, reason=reason,
                          kind=kind, action=action, what=MemberStatus(status).label)


def person_reveal(*, user, person: Person, reason: str = "") -> dict[str, str]:
    """The full ID number and phone, for a user holding members.view_sensitive on the person's
    union; every call is written to the access log (个人信息保护法)."""
    membership = selectors.latest_membership(person)
    path = membership.union.path if membership else ""
    if not scope.has_perm(user, "members.view_sensitive", path):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("您无权查看完整的个人信息。")
    audit.log_access(user=user, kind="view_full", object_type="members.person", object_id=str(person.pk),
                     fields=["id_number", "phone"], reason=reason, org_path=path)
    return {"id_number": person.id_number, "phone": person.phone}


def members_left_in_union(org: Org) -> str | None:
    """注销 is refused while a union still has members (registered in orgs.DISSOLUTION_CHECKS),
    and, back-dated, while memberships ended only after the date asked for (org.dissolved_on)."""
    n = Membership.objects.filter(union=org, ended_on__isnull=True).count()
    if n:
        return f"“{org.name}”还有会员{n}人，须先办理转会或终止会籍。"
    on = org.dissolved_on
    later = Membership.objects.filter(union=org, ended_on__gt=on) if on else Membership.objects.none()
    last = later.aggregate(m=Max("ended_on"))["m"]
    if last:
        return f"“{org.name}”有会员{later.count()}人的会籍在{on}以后才终止，注销日期不能早于 {last}。"
    return None


def rehome_member_events(org_ids: Collection[int], since: dt.date) -> None:
    """Re-homer (orgs.services.REHOMERS): an event keeps its union's path on its own date, also
    when a move of the union (or of a federation above it) is entered after the event."""
    MemberEvent.objects.filter(union_id__in=org_ids, effective_on__gte=since).update(
        path=placement_path(OuterRef("union_id"), "effective_on"))


def rehome_member_periods(org_ids: Collection[int], since: dt.date) -> None:
    """Re-homer (orgs.services.REHOMERS): the unions stand elsewhere from `since` on, so their
    status periods running across `since` are split there (the later part `continued`), and
    every period from `since` on takes the path of its union on its first day. Set-based: a
    county's move splits tens of thousands of periods in three statements."""
    ids = list(org_ids)
    if not ids:
        return
    spanning = Q(union_id__in=ids, valid_from__lt=since) & (Q(valid_to__isnull=True) | Q(valid_to__gt=since))
    table = connection.ops.quote_name(MemberStatusPeriod._meta.db_table)
    columns = "membership_id, union_id, status, valid_to, reason, path, gender, migrant"
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        # INSERT … SELECT: the later parts are copies of the spanning rows from `since` on.
        sql = (f"INSERT INTO {table} ({columns}, valid_from, continued) SELECT {columns}, %s, %s "  # noqa: S608
               f"FROM {table} WHERE union_id IN ({marks}) AND valid_from < %s AND (valid_to IS NULL OR valid_to > %s)")
        cursor.execute(sql, [since, True, *ids, since, since])
    MemberStatusPeriod.objects.filter(spanning).update(valid_to=since)
    MemberStatusPeriod.objects.filter(union_id__in=ids, valid_from__gte=since).update(
        path=placement_path(OuterRef("union_id"), "valid_from"))



