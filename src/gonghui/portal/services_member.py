"""A member's own transfers (转会) and, for a 职工代表, his 提案 online; and the clerk's link
between a delegate of the democracy line and a member.

Kept apart from services.py (sign-in, joining, help): these act on other lines' records. The
portal first checks that the member acts on his own membership or his own delegate seat, then
the other line's service runs with the system as actor; the member's act is the portal's
audit entry, with the member as actor.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q

from gonghui.core import audit, clock, crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import parse_id_number
from gonghui.democracy import services as democracy_services
from gonghui.democracy.models import Category, Delegate, Feedback, Proposal, Status
from gonghui.members import services as member_services
from gonghui.members.models import Membership, MemberStatus, Person, Transfer
from gonghui.orgs.models import MEMBER_UNION_TYPES, Coverage, Employer, Org, OrgStatus

from .models import MemberAccount
from .models_member import DelegateLink
from .services import MemberActor

PENDING_TRANSFER = "您已有一项正在办理的转会申请，请等待接收工会办理结果后再申请。"
NO_UNION_AT_EMPLOYER = ("该单位目前没有可以接收会员的工会，暂不能在线转会。"
                        "请选择所在社区（村）工会或联合基层工会，或向当地乡镇（街道）工会咨询。")


# --- 转会 ------------------------------------------------------------------------------------

def current_membership(account: MemberAccount) -> Membership | None:
    return (account.person.memberships.filter(ended_on__isnull=True).select_related("union").first())


def receiving_union(*, employer: Employer | None, union: Org | None) -> Org:
    """The union that would receive the member: the one covering the new employer now, or the
    community or joint union he picked. Only unions that register members qualify."""
    if employer is not None:
        cover = (Coverage.objects.filter(employer=employer, valid_to__isnull=True,
                                         union__org_type__in=MEMBER_UNION_TYPES)
                 .exclude(union__status=OrgStatus.DISSOLVED).select_related("union").first())
        if cover is None:
            raise ServiceError(NO_UNION_AT_EMPLOYER, field="employer")
        return cover.union
    if union is None:
        raise ServiceError("请选择新的工作单位；没有工作单位的，请选择接收您的社区（村）工会或联合基层工会。",
                           field="employer")
    return union


@transaction.atomic
def transfer_request(*, account: MemberAccount, employer: Employer | None = None, union: Org | None = None,
                     effective_on: dt.date | None = None, reason: str = "") -> Transfer:
    """转会 asked by the member himself when he changes jobs: a pending request that the
    receiving union accepts or returns on its transfers page (members.services.transfer_accept
    / transfer_reject, the receiving union decides as for a request sent by the holding union).
    The answers name only the member's own union and the one he chose."""
    membership = current_membership(account)
    if membership is None:
        raise ServiceError("只有在会会员才能申请转会；会籍已终止的，请向新单位工会申请入会。")
    # The members line's rule for which status may become 转出 (a retained or active member).
    if MemberStatus.TRANSFERRED not in member_services.TRANSITIONS.get(membership.status, set()):
        raise ServiceError(f"会籍状态为“{membership.get_status_display()}”，不能申请转会，请向所在工会咨询。")
    to_union = receiving_union(employer=employer, union=union)
    if to_union.pk == membership.union_id:
        raise ServiceError("您已是该工会的会员，不需要转会。", field="employer" if employer else "union")
    effective_on = effective_on or clock.today()
    if effective_on > clock.today():
        raise ServiceError("到新单位工作的日期不能晚于今天。", field="effective_on")
    if effective_on < membership.started_on:
        raise ServiceError(f"到新单位工作的日期不能早于您在现工会的入会（转入）日期{membership.started_on:%Y-%m-%d}。",
                           field="effective_on")
    reason = (reason or "").strip()
    if len(reason) > 150:
        raise ServiceError("说明不能超过150字。", field="reason")
    if membership.transfers.filter(status=Transfer.Status.PENDING).exists():
        raise ServiceError(PENDING_TRANSFER)
    note = "会员在线申请" + (f"：{reason}" if reason else "") + (f"（新单位：{employer.name}）" if employer else "")
    try:
        with transaction.atomic():  # the members line's one-pending constraint settles a race
            transfer = Transfer.objects.create(membership=membership, to_union=to_union, requested_on=clock.today(),
                                               effective_on=effective_on, reason=note[:200],
                                               initiator=Transfer.Initiator.FROM)
    except IntegrityError as exc:
        raise ServiceError(PENDING_TRANSFER) from exc
    audit.record(actor=MemberActor(account), action="portal.transfer.requested", obj=transfer,
                 changes={"union": membership.union.name, "to_union": to_union.name, "effective_on": effective_on,
                          "reason": reason})
    return transfer


def own_transfers(account: MemberAccount):
    return (Transfer.objects.filter(membership__person=account.person).select_related("to_union", "membership__union")
            .order_by("-requested_on", "-pk"))


# --- 职工代表 and 提案 ----------------------------------------------------------------------------

@transaction.atomic
def delegate_link(*, actor, delegate: Delegate, id_number) -> DelegateLink:
    """Link a delegate to the member with this ID number. Only a member of the congress's union
    (or a union under it) can be found: the refusal says nothing of members elsewhere."""
    org = delegate.term.congress.org
    scope.require(actor, "democracy.change", org.path)
    try:
        info = parse_id_number(id_number)
    except ServiceError as exc:
        raise ServiceError(exc.messages[0], field="id_number") from exc
    person = (Person.objects.filter(id_hash__in=crypto.lookup_hashes(info.number),
                                    memberships__ended_on__isnull=True,
                                    memberships__union__path__startswith=org.path).first())
    if person is None:
        raise ServiceError(f"在“{org.name}”及其下级工会中没有该公民身份号码的在会会员。", field="id_number")
    link, _ = DelegateLink.objects.update_or_create(
        delegate=delegate, defaults={"person": person, "linked_by": actor.get_username() if actor else "系统"})
    audit.record(actor=actor, action="portal.delegate.linked", obj=link,
                 changes={"delegate": delegate.name, "person": person.name})
    return link


@transaction.atomic
def delegate_unlink(*, actor, delegate: Delegate) -> None:
    scope.require(actor, "democracy.change", delegate.term.congress.org.path)
    link = DelegateLink.objects.filter(delegate=delegate).first()
    if link is None:
        raise ServiceError("该职工代表尚未关联会员。")
    audit.record(actor=actor, action="portal.delegate.unlinked", obj=link, changes={"delegate": delegate.name})
    link.delete()


def own_delegates(account: MemberAccount) -> list[Delegate]:
    """The member's delegate seats (any term), newest term first."""
    return list(Delegate.objects.filter(portal_link__person=account.person)
                .select_related("term__congress__org").order_by("-term__started_on", "-pk"))


def filing_seats(account: MemberAccount) -> list[Delegate]:
    """The seats he may file a 提案 from: a term running today of a congress not ended."""
    today = clock.today()
    return [d for d in own_delegates(account)
            if d.term.started_on <= today <= d.term.ends_on and d.term.congress.ended_on is None]


def own_proposals(account: MemberAccount):
    """提案 he proposed or co-signed (a co-signer follows it; only the proposer gives feedback)."""
    seats = Delegate.objects.filter(portal_link__person=account.person)
    return (Proposal.objects.filter(Q(proposer__in=seats) | Q(cosigners__in=seats)).distinct()
            .select_related("proposer", "congress").order_by("-filed_on", "-pk"))


@transaction.atomic
def proposal_file(*, account: MemberAccount, seat: Delegate, title: str, content: str, category: str) -> Proposal:
    if seat is None or seat.pk not in {d.pk for d in filing_seats(account)}:
        raise ServiceError("请选择您担任代表的职代会。", field="seat")
    title = (title or "").strip()
    if len(title) > 200:
        raise ServiceError("案由不能超过200字。", field="title")
    if category and category not in Category.values:
        raise ServiceError("请选择提案类别。", field="category")
    proposal = democracy_services.proposal_file(actor=None, congress=seat.term.congress, title=title,
                                                content=content, category=category, proposer=seat,
                                                filed_on=clock.today())
    audit.record(actor=MemberActor(account), action="portal.proposal.filed", obj=proposal,
                 changes={"title": proposal.title, "delegate": seat.name})
    return proposal


@transaction.atomic
def proposal_feedback(*, account: MemberAccount, proposal: Proposal, feedback: str, note: str = "") -> Proposal:
    """The proposer's view of the answer, once it came (democracy's proposal_feedback)."""
    proposal = Proposal.objects.select_for_update().select_related("proposer", "org").get(pk=proposal.pk)
    if not DelegateLink.objects.filter(delegate_id=proposal.proposer_id, person=account.person).exists():
        raise ServiceError("只有提案人本人可以对答复提出意见。", field="feedback")
    if proposal.status != Status.ANSWERED:
        raise ServiceError("提案答复后才能反馈意见。", field="feedback")
    if feedback not in Feedback.values:
        raise ServiceError("请选择您对答复的意见（满意、基本满意、不满意）。", field="feedback")
    note = (note or "").strip()
    if len(note) > 500:
        raise ServiceError("反馈说明不能超过500字。", field="note")
    proposal = democracy_services.proposal_feedback(actor=None, proposal=proposal, delegate=proposal.proposer,
                                                    feedback=feedback, feedback_on=clock.today(), note=note)
    audit.record(actor=MemberActor(account), action="portal.proposal.feedback", obj=proposal,
                 changes={"feedback": Feedback(feedback).label})
    return proposal
