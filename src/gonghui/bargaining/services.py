"""Every write to contracts and negotiations goes through these services.

Each step of the six-step procedure (DOMAIN §3.2) is one service: it checks the move is
allowed (`workflow.FLOW`) and that the actor holds `bargaining.change` on the contract's
union, validates the step's own rules, stamps the dates, computes and stores the next due
date on the working-day calendar, writes a history row and the audit entry, all in one
transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from gonghui.core import audit, calendar, clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.scope import subtree_q
from gonghui.democracy import services as democracy_services
from gonghui.democracy.selectors import sessions_for_employers
from gonghui.orgs.models import Coverage, Employer, Org, valid_on

from . import conf
from .models import (
    NEGOTIATING_STATUSES,
    Contract,
    ContractEmployer,
    ContractEvent,
    ContractType,
    Inspection,
    Meeting,
    Representative,
    Scope,
    Side,
    Status,
    Vote,
)
from .workflow import FLOW

PERM = "bargaining.change"
# Filed with the contract as the 审查登记表 and the 台账 record them (registered contracts, import).
PAPER_FIELDS = ("department", "accepted_no", "accepted_on", "review_no", "review_on", "prev_avg_wage")
TERM_FIELDS = ("wage_increase_pct", "lowest_wage", "avg_wage", "women_clauses", "terms_note",
               "employees_covered", "women_covered", "migrants_covered")


def _due(start: dt.date, key: str) -> dt.date:
    return calendar.due(start, conf.get(f"{key}_DAYS"), conf.get(f"{key}_WORKING_DAYS"))


def _require(actor, contract: Contract) -> None:
    scope.require(actor, PERM, contract.org.path)


def _not_future(day: dt.date, field: str, what: str) -> None:
    if day > clock.today():
        raise ServiceError(f"{what}不能晚于今天。", field=field)


def _not_before(day: dt.date, earlier: dt.date | None, field: str, what: str, earlier_what: str) -> None:
    if earlier is not None and day < earlier:
        raise ServiceError(f"{what}（{day}）不能早于{earlier_what}（{earlier}）。", field=field)


def _move(actor, contract: Contract, target: str, *, action: str, label: str, on: dt.date, note: str = "",
          changes: dict | None = None, fields: tuple[str, ...] = ()) -> Contract:
    """Check the transition, save the contract and write history + audit (inside a transaction)."""
    FLOW.check(contract.status, target, label)
    before = contract.status
    contract.status = target
    contract.save(update_fields=["status", "next_due_on", "updated_at", *fields])
    _history(actor, contract, action, on, before, target, note)
    audit.record(actor=actor, action=f"bargaining.contract.{action}", obj=contract,
                 changes={"status": [before, target], "date": on.isoformat(), **(changes or {})})
    return contract


def _history(actor, contract, action, on, before="", after="", note=""):
    ContractEvent.objects.create(contract=contract, action=action, on=on, from_status=before,
                                 to_status=after or before, note=note,
                                 actor_name=actor.get_username() if actor is not None else "系统")


# --- opening -------------------------------------------------------------------------------------

def allowed_employers(org: Org, at: dt.date):
    """Employers a union may bargain for: those it (or a union under it) covers on `at`, and,
    for a federation, those registered in its area (employers without a union of their own are
    bargained for under the guidance of the regional union, DOMAIN §3.2 step 1)."""
    covered = Coverage.objects.filter(valid_on(at), subtree_q("union__path", org.path)).values("employer")
    return Employer.objects.filter(Q(pk__in=covered) | subtree_q("org__path", org.path))


@transaction.atomic
def contract_open(*, actor, org: Org, contract_type: str, title: str, opened_on: dt.date,
                  employers: list[Employer], scope_kind: str = Scope.ENTERPRISE, year: int | None = None,
                  employer_party: str = "", worker_party: str = "", previous: Contract | None = None) -> Contract:
    """Start a negotiation (step 1 follows: the representatives)."""
    scope.require(actor, PERM, org.path)
    if contract_type not in ContractType.values:
        raise ServiceError("请选择合同类型。", field="contract_type")
    if scope_kind not in Scope.values:
        raise ServiceError("请选择合同范围。", field="scope_kind")
    _not_future(opened_on, "opened_on", "启动日期")
    employers = list(dict.fromkeys(employers))
    if not employers:
        raise ServiceError("请至少选择一家用人单位。", field="employers")
    if scope_kind == Scope.ENTERPRISE and len(employers) != 1:
        raise ServiceError("单个企业的合同只能有一家用人单位；多家企业请选择区域性或行业性。", field="employers")
    allowed = set(allowed_employers(org, opened_on).filter(pk__in=[e.pk for e in employers])
                  .values_list("pk", flat=True))
    outside = [e.name for e in employers if e.pk not in allowed]
    if outside:
        raise ServiceError(f"{'、'.join(outside)} 不在{org.name}的覆盖或属地范围内。", field="employers")
    contract = Contract.objects.create(
        org=org, contract_type=contract_type, scope=scope_kind, title=title.strip(), year=year or opened_on.year,
        employer_party=employer_party or ("、".join(e.name for e in employers) if len(employers) == 1 else ""),
        worker_party=worker_party or org.name, previous=previous, status=Status.REPRESENTATIVES,
        opened_on=opened_on,
    )
    _set_parties(contract, employers)
    _history(actor, contract, "opened", opened_on, "", Status.REPRESENTATIVES,
             f"续订自：{previous.title}" if previous else "")
    audit.record(actor=actor, action="bargaining.contract.opened", obj=contract,
                 changes={"contract_type": contract_type, "scope": scope_kind, "title": contract.title,
                          "employers": [e.name for e in employers],
                          "previous": previous.pk if previous else None})
    return contract


def _set_parties(contract: Contract, employers: list[Employer], replace: bool = False) -> None:
    """Bind the employers with their headcounts now; the totals become the contract's coverage."""
    if replace:
        contract.parties.all().delete()
    ContractEmployer.objects.bulk_create([
        ContractEmployer(contract=contract, employer=e, employees=e.headcount, women=e.women_count,
                         migrants=e.migrant_count)
        for e in employers
    ])
    contract.employees_covered = sum(e.headcount for e in employers)
    contract.women_covered = sum(e.women_count for e in employers)
    contract.migrants_covered = sum(e.migrant_count for e in employers)
    contract.save(update_fields=["employees_covered", "women_covered", "migrants_covered"])


@transaction.atomic
def contract_renew(*, actor, contract: Contract, opened_on: dt.date) -> Contract:
    """Start the next negotiation of a contract in force or ended: same union, type and employers."""
    if contract.status not in (Status.PUBLISHED, Status.EFFECTIVE, Status.FILED, Status.TERMINATED):
        raise ServiceError("只有已生效或已终止的合同可以续订。")
    if contract.renewals.exclude(status=Status.ABANDONED).exists():
        raise ServiceError("该合同已有续订中的协商。")
    employers = [p.employer for p in contract.parties.select_related("employer")]
    title = contract.title
    if str(contract.year) in title:
        title = title.replace(str(contract.year), str(opened_on.year))
    return contract_open(actor=actor, org=contract.org, contract_type=contract.contract_type, title=title,
                         opened_on=opened_on, employers=employers, scope_kind=contract.scope,
                         employer_party=contract.employer_party, worker_party=contract.worker_party,
                         previous=contract)


# --- step 1: representatives --------------------------------------------------------------------

@transaction.atomic
def representative_add(*, actor, contract: Contract, side: str, name: str, position: str = "",
                       is_chief: bool = False, is_external: bool = False,
                       method: str = Representative.Method.ELECTED) -> Representative:
    _require(actor, contract)
    if contract.status in (Status.PUBLISHED, Status.TERMINATED, Status.ABANDONED):
        raise ServiceError("合同已公布或已终止，不能再变更协商代表。")
    name = name.strip()
    if not name:
        raise ServiceError("请填写姓名。", field="name")
    if side not in Side.values:
        raise ServiceError("请选择代表所在一方。", field="side")
    reps = list(contract.representatives.all())
    if any(r.name == name for r in reps):
        other = next(r for r in reps if r.name == name)
        if other.side != side:
            raise ServiceError(f"{name} 已是{other.get_side_display()}代表，同一人不能代表双方。", field="name")
        raise ServiceError(f"{name} 已在代表名单中。", field="name")
    if is_chief and is_external:
        raise ServiceError("外聘人员不能担任首席代表。", field="is_chief")
    if is_chief and any(r.is_chief and r.side == side for r in reps):
        raise ServiceError(f"{Side(side).label}已有首席代表。", field="is_chief")
    rep = Representative.objects.create(contract=contract, side=side, name=name, position=position,
                                        is_chief=is_chief, is_external=is_external, method=method)
    audit.record(actor=actor, action="bargaining.representative.added", obj=contract,
                 changes={"side": side, "name": name, "is_chief": is_chief, "is_external": is_external})
    return rep


@transaction.atomic
def representative_remove(*, actor, rep: Representative) -> None:
    contract = rep.contract
    _require(actor, contract)
    if contract.status not in (Status.REPRESENTATIVES, Status.REFUSED):
        raise ServiceError("要约发出后，代表出缺应在 15 日内补选：请先添加新代表。")
    audit.record(actor=actor, action="bargaining.representative.removed", obj=contract,
                 changes={"side": rep.side, "name": rep.name})
    rep.delete()


def representative_problems(contract: Contract, reps: list[Representative] | None = None) -> list[str]:
    """What keeps the representatives from meeting DOMAIN §3.2 step 1 (empty: they do); `reps`
    when the caller has already read them."""
    reps = list(contract.representatives.all()) if reps is None else reps
    lo, hi = conf.get("REPS_MIN"), conf.get("REPS_MAX")
    num, den = conf.get("EXTERNAL_MAX_SHARE")
    problems = []
    by_side = {s: [r for r in reps if r.side == s] for s in Side.values}
    for side, members in by_side.items():
        label = Side(side).label
        if not lo <= len(members) <= hi:
            problems.append(f"{label}代表应为 {lo}–{hi} 人，现有 {len(members)} 人。")
        chiefs = [r for r in members if r.is_chief]
        if len(chiefs) != 1:
            problems.append(f"{label}应有且只有一名首席代表。")
        externals = sum(r.is_external for r in members)
        if externals * den > len(members) * num:
            problems.append(f"{label}外聘代表 {externals} 人，超过本方代表的{num}/{den}。")
    if len(by_side[Side.WORKERS]) != len(by_side[Side.EMPLOYER]):
        problems.append(f"双方代表人数应相等（职工方 {len(by_side[Side.WORKERS])} 人，"
                        f"企业方 {len(by_side[Side.EMPLOYER])} 人）。")
    return problems


# --- step 2: offer and reply --------------------------------------------------------------------

@transaction.atomic
def contract_offer(*, actor, contract: Contract, side: str, offered_on: dt.date, topics: str) -> Contract:
    _require(actor, contract)
    FLOW.check(contract.status, Status.OFFERED, "发出要约")
    problems = representative_problems(contract)
    if problems:
        raise ServiceError("协商代表不符合规定：" + "".join(problems))
    if side not in Side.values:
        raise ServiceError("请选择要约方。", field="side")
    if not topics.strip():
        raise ServiceError("要约书须写明协商议题。", field="topics")
    _not_future(offered_on, "offered_on", "要约日期")
    _not_before(offered_on, contract.opened_on, "offered_on", "要约日期", "启动日期")
    contract.offer_side, contract.offered_on, contract.offer_topics = side, offered_on, topics.strip()
    contract.reply_due_on = contract.next_due_on = _due(offered_on, "REPLY")
    contract.replied_on, contract.reply_accepted, contract.reply_note = None, None, ""
    return _move(actor, contract, Status.OFFERED, action="offered", label="发出要约", on=offered_on,
                 changes={"side": side, "reply_due_on": contract.reply_due_on.isoformat()},
                 fields=("offer_side", "offered_on", "offer_topics", "reply_due_on", "replied_on",
                         "reply_accepted", "reply_note"))


@transaction.atomic
def contract_reply(*, actor, contract: Contract, replied_on: dt.date, accepted: bool, note: str = "") -> Contract:
    _require(actor, contract)
    FLOW.check(contract.status, Status.PREPARING if accepted else Status.REFUSED, "记录回应")
    _not_future(replied_on, "replied_on", "回应日期")
    _not_before(replied_on, contract.offered_on, "replied_on", "回应日期", "要约日期")
    if not accepted and not note.strip():
        raise ServiceError("拒绝协商须写明理由（无正当理由不得拒绝）。", field="note")
    contract.replied_on, contract.reply_accepted, contract.reply_note = replied_on, accepted, note.strip()
    late = replied_on > contract.reply_due_on
    contract.next_due_on = _due(replied_on, "START") if accepted else None
    return _move(actor, contract, Status.PREPARING if accepted else Status.REFUSED, action="replied",
                 label="记录回应", on=replied_on, note=("逾期回应；" if late else "") + note.strip(),
                 changes={"accepted": accepted, "late": late},
                 fields=("replied_on", "reply_accepted", "reply_note"))


# --- step 3: preparation ------------------------------------------------------------------------

@transaction.atomic
def contract_prepare(*, actor, contract: Contract, prepared_on: dt.date, recorder: str, topics: str,
                     prev_revenue: Decimal | None = None, prev_profit: Decimal | None = None,
                     prev_wage_total: Decimal | None = None, prev_avg_wage: Decimal | None = None) -> Contract:
    """Record the preparation: the neutral recorder, the topics and the employer's figures."""
    _require(actor, contract)
    if contract.status not in (Status.PREPARING, Status.NEGOTIATING, Status.SUSPENDED):
        raise ServiceError(f"当前状态为“{contract.get_status_display()}”，不能记录协商准备。")
    _not_future(prepared_on, "prepared_on", "准备完成日期")
    _not_before(prepared_on, contract.replied_on, "prepared_on", "准备完成日期", "回应日期")
    if not recorder.strip():
        raise ServiceError("双方应共同指定一名记录员。", field="recorder")
    if recorder.strip() in set(contract.representatives.values_list("name", flat=True)):
        raise ServiceError("记录员应为非协商代表。", field="recorder")
    contract.prepared_on, contract.recorder, contract.prep_topics = prepared_on, recorder.strip(), topics.strip()
    contract.prev_revenue, contract.prev_profit = prev_revenue, prev_profit
    contract.prev_wage_total, contract.prev_avg_wage = prev_wage_total, prev_avg_wage
    contract.save()
    _history(actor, contract, "prepared", prepared_on, note=f"记录员：{contract.recorder}")
    audit.record(actor=actor, action="bargaining.contract.prepared", obj=contract,
                 changes={"recorder": contract.recorder, "topics": contract.prep_topics})
    return contract


# --- step 4: negotiation meetings ---------------------------------------------------------------

@transaction.atomic
def meeting_add(*, actor, contract: Contract, held_on: dt.date, chair_side: str, attendees: str, minutes: str,
                outcome: str, next_on: dt.date | None = None) -> Meeting:
    _require(actor, contract)
    target = {Meeting.Outcome.AGREED: Status.VOTING, Meeting.Outcome.SUSPENDED: Status.SUSPENDED,
              Meeting.Outcome.CONTINUE: Status.NEGOTIATING}.get(outcome)
    if target is None:
        raise ServiceError("请选择本次协商的结果。", field="outcome")
    if contract.status not in (Status.PREPARING, Status.NEGOTIATING, Status.SUSPENDED):
        raise ServiceError(f"当前状态为“{contract.get_status_display()}”，不能记录协商会议。")
    if contract.status == Status.PREPARING and not contract.prepared_on:
        raise ServiceError("请先记录协商准备（记录员、议题、企业经营数据）。")
    _not_future(held_on, "held_on", "协商日期")
    last = contract.meetings.order_by("-round").first()
    _not_before(held_on, last.held_on if last else contract.prepared_on, "held_on", "协商日期",
                "上次协商日期" if last else "准备完成日期")
    # Meetings are chaired alternately by the two chiefs, the proposer's chief first.
    expected = contract.offer_side if last is None else (
        Side.EMPLOYER if last.chair_side == Side.WORKERS else Side.WORKERS)
    if chair_side != expected:
        raise ServiceError(f"协商会议由双方首席代表轮流主持，本次应由{Side(expected).label}首席代表主持。",
                           field="chair_side")
    if not attendees.strip() or not minutes.strip():
        raise ServiceError("请填写出席人员和会议记录。", field="minutes" if attendees.strip() else "attendees")
    if outcome == Meeting.Outcome.SUSPENDED and not next_on:
        raise ServiceError("中止协商须约定下次协商的时间。", field="next_on")
    if next_on is not None and next_on <= held_on:
        raise ServiceError("下次协商日期应晚于本次。", field="next_on")
    meeting = Meeting.objects.create(contract=contract, round=(last.round + 1) if last else 1, held_on=held_on,
                                     chair_side=chair_side, attendees=attendees.strip(), minutes=minutes.strip(),
                                     outcome=outcome, next_on=next_on)
    fields: tuple[str, ...] = ()
    if outcome == Meeting.Outcome.AGREED:
        contract.draft_agreed_on = held_on
        contract.vote_due_on = contract.next_due_on = _due(held_on, "VOTE")
        fields = ("draft_agreed_on", "vote_due_on")
    else:
        contract.next_due_on = next_on
    action = {Meeting.Outcome.AGREED: "draft_agreed", Meeting.Outcome.SUSPENDED: "suspended"}.get(outcome, "met")
    if contract.status == target:  # another round, same status
        contract.save(update_fields=["next_due_on", "updated_at", *fields])
        _history(actor, contract, action, held_on, note=f"第{meeting.round}次协商")
        audit.record(actor=actor, action=f"bargaining.contract.{action}", obj=contract,
                     changes={"round": meeting.round, "outcome": outcome})
    else:
        _move(actor, contract, target, action=action, label="记录协商会议", on=held_on,
              note=f"第{meeting.round}次协商", changes={"round": meeting.round, "outcome": outcome}, fields=fields)
    return meeting


# --- step 5: the workers' congress and signing ----------------------------------------------------

def vote_passes(total: int, present: int, votes_for: int) -> tuple[bool, str]:
    """Quorum ≥ 2/3 of all delegates present; passed with more than half of ALL delegates."""
    if present * 3 < total * 2:
        return False, f"实到 {present} 人，不足应到 {total} 人的三分之二，表决无效。"
    if votes_for * 2 <= total:
        return False, f"赞成 {votes_for} 票，未超过全体 {total} 人的半数。"
    return True, f"赞成 {votes_for} 票，超过全体 {total} 人的半数，通过。"


@transaction.atomic
def vote_record(*, actor, contract: Contract, held_on: dt.date | None = None, body: str = Vote.Body.CONGRESS,
                total: int | None = None, present: int | None = None, votes_for: int, votes_against: int = 0,
                abstentions: int = 0, session=None) -> Vote:
    """The 职代会 (or all-staff) vote on the draft. With `session` (a 民主管理 session of a congress of
    one of the contract's employers) the date and the delegates come from the session, and the vote
    is recorded there as an agenda item (议案) too, so a session below quorum cannot vote on it."""
    _require(actor, contract)
    if contract.status != Status.VOTING:
        raise ServiceError(f"当前状态为“{contract.get_status_display()}”，没有待审议的合同草案。")
    if session is not None:
        employers = contract.parties.values_list("employer_id", flat=True)
        if not sessions_for_employers(employers).filter(pk=session.pk).exists():
            raise ServiceError("所选会议不是本合同所涉单位的职代会（职工大会）的会议。", field="session")
        held_on, total, present = session.held_on, session.delegates_total, session.delegates_present
        body = Vote.Body.ASSEMBLY if session.congress.kind == Vote.Body.ASSEMBLY else Vote.Body.CONGRESS
    if held_on is None:
        raise ServiceError("请填写审议日期，或选择职代会会议。", field="held_on")
    _not_future(held_on, "held_on", "审议日期")
    _not_before(held_on, contract.draft_agreed_on, "held_on", "审议日期", "草案达成日期")
    if total is None or total <= 0:
        raise ServiceError("应到人数须大于 0（或选择职代会会议）。", field="total")
    if present is None:
        raise ServiceError("请填写实到人数，或选择职代会会议。", field="present")
    if present > total:
        raise ServiceError("实到人数不能多于应到人数。", field="present")
    if votes_for + votes_against + abstentions > present:
        raise ServiceError("赞成、反对、弃权票数之和不能多于实到人数。", field="votes_for")
    passed, why = vote_passes(total, present, votes_for)
    if session is not None:
        motion = democracy_services.motion_vote(actor=actor, session=session, title=f"{contract.title}（草案）",
                                       votes_for=votes_for, votes_against=votes_against, abstentions=abstentions)
        passed = motion.passed
    v = Vote.objects.create(contract=contract, held_on=held_on, body=body, total=total, present=present,
                            votes_for=votes_for, votes_against=votes_against, abstentions=abstentions,
                            passed=passed, session=session)
    contract.next_due_on = None
    # A rejected draft goes back to the table: the parties renegotiate and resubmit it.
    changes = {"total": total, "present": present, "for": votes_for, "passed": passed}
    if session is not None:
        changes["session"] = str(session)
    _move(actor, contract, Status.PASSED if passed else Status.NEGOTIATING,
          action="vote_passed" if passed else "vote_failed", label="记录职代会审议", on=held_on, note=why,
          changes=changes)
    return v


def _check_term(contract: Contract, start_on: dt.date, end_on: dt.date) -> None:
    if end_on <= start_on:
        raise ServiceError("期限止应晚于期限起。", field="end_on")
    lo, hi = conf.get("TERM_MIN_YEARS"), conf.get("TERM_MAX_YEARS")
    months = (end_on.year - start_on.year) * 12 + end_on.month - start_on.month + (end_on.day >= start_on.day)
    if months > hi * 12:
        raise ServiceError(f"集体合同期限为 {lo}–{hi} 年，所填期限超过 {hi} 年。", field="end_on")
    if months < lo * 12 - 1:
        raise ServiceError(f"集体合同期限为 {lo}–{hi} 年，所填期限不足 {lo} 年。", field="end_on")


@transaction.atomic
def contract_sign(*, actor, contract: Contract, signed_on: dt.date, start_on: dt.date, end_on: dt.date) -> Contract:
    _require(actor, contract)
    FLOW.check(contract.status, Status.SIGNED, "签字（须经职代会或全体职工审议通过）")
    _not_future(signed_on, "signed_on", "签字日期")
    passed = contract.votes.filter(passed=True).order_by("-held_on").first()
    _not_before(signed_on, passed.held_on if passed else None, "signed_on", "签字日期", "审议通过日期")
    _check_term(contract, start_on, end_on)
    if contract.contract_type == ContractType.WOMEN and not contract.women_clauses:
        raise ServiceError("女职工权益保护专项集体合同须至少写明一项女职工权益条款，请先在“主要条款”中填写。")
    contract.signed_on, contract.start_on, contract.end_on = signed_on, start_on, end_on
    contract.filing_due_on = contract.next_due_on = _due(signed_on, "FILING")
    # Coverage is recorded as of signing: take the employers' headcounts again.
    _set_parties(contract, [p.employer for p in contract.parties.select_related("employer")], replace=True)
    return _move(actor, contract, Status.SIGNED, action="signed", label="签字", on=signed_on,
                 changes={"start_on": start_on.isoformat(), "end_on": end_on.isoformat()},
                 fields=("signed_on", "start_on", "end_on", "filing_due_on"))


# --- step 6: filing, review and publication -----------------------------------------------------

def deemed_effective(filed_on: dt.date) -> dt.date:
    """No objection within 15 days of receipt: in force (劳动合同法 §54)."""
    return filed_on + dt.timedelta(days=conf.get("REVIEW_DAYS"))


@transaction.atomic
def contract_file(*, actor, contract: Contract, filed_on: dt.date, department: str, accepted_no: str = "",
                  accepted_on: dt.date | None = None) -> Contract:
    """Filed with the review department; its 受理 (number and date) when the clerk has it."""
    _require(actor, contract)
    FLOW.check(contract.status, Status.FILED, "报送审查")
    _not_future(filed_on, "filed_on", "报送日期")
    _not_before(filed_on, contract.signed_on, "filed_on", "报送日期", "签字日期")
    if not department.strip():
        raise ServiceError("请填写审查机关（人力资源和社会保障部门）。", field="department")
    if accepted_on is not None:
        _not_before(accepted_on, filed_on, "accepted_on", "受理日期", "报送日期")
    contract.filed_on, contract.department = filed_on, department.strip()
    contract.accepted_no, contract.accepted_on = accepted_no.strip(), accepted_on
    contract.objection_on, contract.objection_note = None, ""
    contract.effective_on = deemed_effective(filed_on)
    contract.publish_due_on = contract.next_due_on = _due(contract.effective_on, "PUBLISH")
    late = filed_on > contract.filing_due_on
    return _move(actor, contract, Status.FILED, action="filed", label="报送审查", on=filed_on,
                 note="逾期报送" if late else "",
                 changes={"department": contract.department, "effective_on": contract.effective_on.isoformat(),
                          "late": late},
                 fields=("filed_on", "department", "accepted_no", "accepted_on", "objection_on", "objection_note",
                         "effective_on", "publish_due_on"))


@transaction.atomic
def contract_object(*, actor, contract: Contract, objection_on: dt.date, note: str, review_no: str = "") -> Contract:
    """The department's 审查意见书: the objected clauses are renegotiated and the text re-filed."""
    _require(actor, contract)
    FLOW.check(contract.status, Status.NEGOTIATING, "记录审查异议")
    _not_before(objection_on, contract.filed_on, "objection_on", "异议日期", "报送日期")
    if contract.filed_on and objection_on > deemed_effective(contract.filed_on):
        raise ServiceError("审查机关应在收到文本之日起 15 日内提出异议；逾期未提出的，合同已生效。",
                           field="objection_on")
    if not note.strip():
        raise ServiceError("请填写审查意见。", field="note")
    contract.objection_on, contract.objection_note = objection_on, note.strip()
    contract.review_no, contract.review_on = review_no.strip(), objection_on
    contract.effective_on = contract.publish_due_on = contract.next_due_on = None
    # The renegotiated text goes through the congress and signing again.
    contract.signed_on = contract.draft_agreed_on = contract.vote_due_on = contract.filing_due_on = None
    return _move(actor, contract, Status.NEGOTIATING, action="objected", label="记录审查异议", on=objection_on,
                 note=note.strip(), fields=("objection_on", "objection_note", "review_no", "review_on",
                                            "effective_on", "publish_due_on",
                                            "signed_on", "draft_agreed_on", "vote_due_on", "filing_due_on"))


@transaction.atomic
def contract_approve(*, actor, contract: Contract, approved_on: dt.date, review_no: str = "") -> Contract:
    """The department confirmed the contract (or the 15 days passed): it is in force."""
    _require(actor, contract)
    FLOW.check(contract.status, Status.EFFECTIVE, "确认生效")
    _not_before(approved_on, contract.filed_on, "approved_on", "生效日期", "报送日期")
    if approved_on > deemed_effective(contract.filed_on):
        raise ServiceError(f"报送后 15 日内未提出异议的，合同已于 {deemed_effective(contract.filed_on)} 生效。",
                           field="approved_on")
    contract.effective_on = approved_on
    if review_no.strip():  # the 审查意见书 that confirmed it
        contract.review_no, contract.review_on = review_no.strip(), approved_on
    contract.publish_due_on = contract.next_due_on = _due(approved_on, "PUBLISH")
    return _move(actor, contract, Status.EFFECTIVE, action="effective", label="确认生效", on=approved_on,
                 changes={"effective_on": approved_on.isoformat(), "review_no": contract.review_no},
                 fields=("effective_on", "review_no", "review_on", "publish_due_on"))


@transaction.atomic
def contract_publish(*, actor, contract: Contract, published_on: dt.date, method: str,
                     upper_filed_on: dt.date | None = None) -> Contract:
    _require(actor, contract)
    FLOW.check(contract.status, Status.PUBLISHED, "公布")
    _not_future(published_on, "published_on", "公布日期")
    if contract.effective_on is None or published_on < contract.effective_on:
        raise ServiceError(f"合同生效（{contract.effective_on}）后才能向职工公布。", field="published_on")
    if not method.strip():
        raise ServiceError("请填写公布方式（如：厂务公开栏、职工大会、企业内网）。", field="method")
    if upper_filed_on is not None:
        _not_before(upper_filed_on, contract.signed_on, "upper_filed_on", "上级工会备案日期", "签字日期")
    contract.published_on, contract.publish_method = published_on, method.strip()
    contract.upper_filed_on = upper_filed_on
    late = published_on > contract.publish_due_on if contract.publish_due_on else False
    contract.next_due_on = None
    return _move(actor, contract, Status.PUBLISHED, action="published", label="公布", on=published_on,
                 note="逾期公布" if late else "", changes={"method": contract.publish_method, "late": late},
                 fields=("published_on", "publish_method", "upper_filed_on"))


# --- after signing --------------------------------------------------------------------------------

@transaction.atomic
def contract_terminate(*, actor, contract: Contract, terminated_on: dt.date, reason: str) -> Contract:
    _require(actor, contract)
    FLOW.check(contract.status, Status.TERMINATED, "终止合同")
    if not reason.strip():
        raise ServiceError("请填写终止或解除的原因。", field="reason")
    _not_before(terminated_on, contract.effective_on, "terminated_on", "终止日期", "生效日期")
    contract.terminated_on, contract.termination_reason = terminated_on, reason.strip()
    contract.next_due_on = None
    return _move(actor, contract, Status.TERMINATED, action="terminated", label="终止合同", on=terminated_on,
                 note=reason.strip(), fields=("terminated_on", "termination_reason"))


@transaction.atomic
def contract_abandon(*, actor, contract: Contract, on: dt.date, reason: str) -> Contract:
    """Stop a negotiation that will not lead to a contract (e.g. the enterprise closed)."""
    _require(actor, contract)
    FLOW.check(contract.status, Status.ABANDONED, "终止协商")
    if not reason.strip():
        raise ServiceError("请填写终止协商的原因。", field="reason")
    contract.next_due_on = None
    return _move(actor, contract, Status.ABANDONED, action="abandoned", label="终止协商", on=on,
                 note=reason.strip())


@transaction.atomic
def contract_update_terms(*, actor, contract: Contract, **values) -> Contract:
    """The key terms (wage increase, lowest wage, women's clauses, coverage): editable until the
    contract is published, and correctable afterwards with an audit trail."""
    _require(actor, contract)
    if contract.status in (Status.TERMINATED, Status.ABANDONED):
        raise ServiceError("合同已终止，不能修改条款。")
    unknown = set(values) - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    pct = values.get("wage_increase_pct")
    if pct is not None and not Decimal("-50") <= pct <= Decimal("200"):
        raise ServiceError("工资增长幅度应在 -50% 到 200% 之间。", field="wage_increase_pct")
    allowed = set(conf.get("WOMEN_CLAUSES"))
    clauses = values.get("women_clauses")
    if clauses is not None and not set(clauses) <= allowed:
        raise ServiceError(f"未知的女职工条款：{'、'.join(sorted(set(clauses) - allowed))}。", field="women_clauses")
    old = {k: getattr(contract, k) for k in values}
    for k, v in values.items():
        setattr(contract, k, v)
    contract.save()
    changes = audit.diff(contract, old, values)
    if changes:
        _history(actor, contract, "terms", clock.today())
        audit.record(actor=actor, action="bargaining.contract.terms", obj=contract, changes=changes)
    return contract


@transaction.atomic
def contract_attach(*, actor, contract: Contract, upload) -> Contract:
    _require(actor, contract)
    name = upload.name.lower()
    if not name.endswith((".pdf", ".jpg", ".jpeg", ".png")):
        raise ServiceError("扫描件须为 PDF 或 JPG、PNG 图片。", field="upload")
    if upload.size > 20 * 1024 * 1024:
        raise ServiceError("扫描件不能超过 20 MB。", field="upload")
    old = contract.attachment.name if contract.attachment else ""
    contract.attachment.save(f"contract-{contract.pk}{name[name.rfind('.'):]}", upload, save=True)
    _history(actor, contract, "attached", clock.today(), note=upload.name)
    audit.record(actor=actor, action="bargaining.contract.attached", obj=contract,
                 changes={"attachment": [old, contract.attachment.name]})
    return contract


@transaction.atomic
def inspection_record(*, actor, contract: Contract, checked_on: dt.date, items_checked: int, items_fulfilled: int,
                      findings: str = "") -> Inspection:
    """A 履约检查 of a contract in force on the day."""
    _require(actor, contract)
    _not_future(checked_on, "checked_on", "检查日期")
    if not contract.in_force_on(checked_on):
        raise ServiceError(f"检查日期 {checked_on} 合同不在有效期内，无需履约检查。", field="checked_on")
    if items_checked <= 0:
        raise ServiceError("检查条款数须大于 0。", field="items_checked")
    if items_fulfilled > items_checked:
        raise ServiceError("已兑现条款数不能多于检查条款数。", field="items_fulfilled")
    inspection = Inspection.objects.create(contract=contract, checked_on=checked_on, items_checked=items_checked,
                                           items_fulfilled=items_fulfilled, findings=findings.strip())
    _history(actor, contract, "inspected", checked_on, note=f"检查 {items_checked} 条，已兑现 {items_fulfilled} 条")
    audit.record(actor=actor, action="bargaining.contract.inspected", obj=contract,
                 changes={"checked_on": checked_on.isoformat(), "items_checked": items_checked,
                          "items_fulfilled": items_fulfilled})
    return inspection


# --- existing contracts (the 台账) ---------------------------------------------------------------

@transaction.atomic
def contract_register(*, actor, org: Org, contract_type: str, title: str, employers: list[Employer],
                      signed_on: dt.date, start_on: dt.date, end_on: dt.date, scope_kind: str = Scope.ENTERPRISE,
                      filed_on: dt.date | None = None, effective_on: dt.date | None = None,
                      published_on: dt.date | None = None, papers: dict | None = None,
                      chiefs: dict | None = None, vote: dict | None = None, **terms) -> Contract:
    """Record a contract concluded before the system was used (import of a federation's 台账):
    its steps' dates as known, no negotiation history. `papers`: the review department's and the
    employer's figures (PAPER_FIELDS); `chiefs`: {side: name} of the 首席代表; `vote`: the congress's
    held_on, total, present and votes_for, as the 审查登记表 records them."""
    contract = contract_open(actor=actor, org=org, contract_type=contract_type, title=title,
                             opened_on=signed_on, employers=employers, scope_kind=scope_kind,
                             year=start_on.year)
    _check_term(contract, start_on, end_on)
    if filed_on is not None:
        _not_before(filed_on, signed_on, "filed_on", "报送日期", "签字日期")
    effective_on = effective_on or (deemed_effective(filed_on) if filed_on else start_on)
    _not_before(effective_on, signed_on, "effective_on", "生效日期", "签字日期")
    if published_on is not None:
        _not_before(published_on, effective_on, "published_on", "公布日期", "生效日期")
    contract.signed_on, contract.start_on, contract.end_on = signed_on, start_on, end_on
    contract.filed_on, contract.effective_on, contract.published_on = filed_on, effective_on, published_on
    for k, v in (papers or {}).items():
        if k not in PAPER_FIELDS:
            raise TypeError(k)
        setattr(contract, k, "" if v is None and k.endswith("_no") else v)
    if contract.accepted_on and filed_on and contract.accepted_on < filed_on:
        raise ServiceError(f"受理日期（{contract.accepted_on}）不能早于报送日期（{filed_on}）。", field="accepted_on")
    for k, v in terms.items():
        if k not in TERM_FIELDS:
            raise TypeError(k)
        if v is not None:
            setattr(contract, k, v)
    contract.status = Status.PUBLISHED if published_on else Status.EFFECTIVE
    contract.next_due_on = None if published_on else _due(effective_on, "PUBLISH")
    contract.publish_due_on = contract.next_due_on
    contract.save()
    for side, name in (chiefs or {}).items():
        if name:
            Representative.objects.create(contract=contract, side=Side(side), name=name.strip(), is_chief=True)
    if vote:
        _registered_vote(contract, signed_on, **vote)
    _history(actor, contract, "registered", signed_on, Status.REPRESENTATIVES, contract.status, "按台账登记")
    audit.record(actor=actor, action="bargaining.contract.registered", obj=contract,
                 changes={"signed_on": signed_on.isoformat(), "status": contract.status})
    return contract


def _registered_vote(contract: Contract, signed_on: dt.date, *, held_on: dt.date, total: int, present: int | None,
                     votes_for: int) -> Vote:
    """The congress vote of a registered contract: before the signing, a majority of all members."""
    if held_on > signed_on:
        raise ServiceError(f"职代会审议日期（{held_on}）不能晚于签字日期（{signed_on}）。", field="vote_held_on")
    present = total if present is None else present
    if present > total or votes_for > present:
        raise ServiceError("应到人数、实到人数、赞成票数应依次不增。", field="votes_for")
    passed, why = vote_passes(total, present, votes_for)
    if not passed:
        raise ServiceError(f"职代会审议未通过（{why}），合同不能登记为已生效。", field="votes_for")
    return Vote.objects.create(contract=contract, held_on=held_on, total=total, present=present,
                               votes_for=votes_for, passed=True)


def find_existing(org: Org, contract_type: str, start_on: dt.date, title: str) -> Contract | None:
    """The natural key of an imported contract: union, type, start of term and name."""
    return Contract.objects.filter(org=org, contract_type=contract_type, start_on=start_on, title=title).first()


def open_negotiations_of(org: Org) -> str | None:
    """A dissolution check (orgs.services.DISSOLUTION_CHECKS): close or stop them first."""
    n = Contract.objects.filter(org=org, status__in=[s for s in NEGOTIATING_STATUSES if s != Status.FILED]).count()
    return f"该工会尚有 {n} 项进行中的集体协商，请先完成或终止协商。" if n else None
