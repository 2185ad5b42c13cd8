"""Every write to congresses, delegates, sessions, 提案 and disclosures goes through these
services: `scope.require` on the union, a Chinese `ServiceError` naming the field, the audit
entry in the same transaction (DOMAIN §7)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.db import transaction
from django.db.models import Count, Q

from gonghui.core import audit, clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import percent
from gonghui.orgs.models import Employer, Org

from . import conf
from .models import (
    BoardMember,
    BoardSeat,
    Category,
    Congress,
    CongressEmployer,
    Delegate,
    Disclosure,
    DisclosureItem,
    DisclosureKind,
    DisclosureSystem,
    EvalLevel,
    Evaluation,
    Feedback,
    Form,
    Gender,
    ItemCategory,
    Kind,
    ListStatus,
    Motion,
    Opinion,
    Proposal,
    ProposalEvent,
    Resolution,
    ResultCode,
    Scope,
    Session,
    SessionKind,
    Status,
    Term,
)
from .workflow import FLOW

PERM = "democracy.change"


def _not_future(day: dt.date | None, field: str, what: str) -> None:
    if day is None:
        raise ServiceError(f"请填写{what}。", field=field)
    if day > clock.today():
        raise ServiceError(f"{what}不能晚于今天。", field=field)


def _not_before(day: dt.date, earlier: dt.date | None, field: str, what: str, earlier_what: str) -> None:
    if earlier is not None and day < earlier:
        raise ServiceError(f"{what}（{day}）不能早于{earlier_what}（{earlier}）。", field=field)


def _text(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"请填写{what}。", field=field)
    return value


# --- congresses --------------------------------------------------------------------------------

@transaction.atomic
def congress_create(*, actor, org: Org, name: str, established_on: dt.date, kind: str = Kind.CONGRESS,
                    scope_kind: str = Scope.ENTERPRISE, employer: Employer | None = None,
                    employers: list[Employer] | None = None) -> Congress:
    """An employer's 职代会 (or 职工大会, under 100 staff), or a regional/sectoral one for the
    employers it covers."""
    scope.require(actor, PERM, org.path)
    if kind not in Kind.values:
        raise ServiceError("请选择形式（职工代表大会或职工大会）。", field="kind")
    if scope_kind not in Scope.values:
        raise ServiceError("请选择范围。", field="scope_kind")
    name = _text(name, "name", "名称")
    _not_future(established_on, "established_on", "建立日期")
    covered = list(dict.fromkeys(employers or []))
    if scope_kind == Scope.ENTERPRISE:
        if employer is None:
            raise ServiceError("单个企业的职代会请选择用人单位。", field="employer")
        if kind == Kind.ASSEMBLY and employer.headcount >= 100:
            raise ServiceError(f"{employer.name}有职工 {employer.headcount} 人，100 人以上的单位应建立职工代表大会，"
                               "不能以职工大会代替。", field="kind")
        if Congress.objects.filter(employer=employer, ended_on__isnull=True).exists():
            raise ServiceError(f"{employer.name}已有职代会，不能重复建立。", field="employer")
        covered = []
    else:
        employer = None
        if not covered:
            raise ServiceError("区域性、行业性职代会请至少选择一家覆盖单位。", field="employers")
    congress = Congress.objects.create(org=org, kind=kind, scope=scope_kind, employer=employer, name=name,
                                       established_on=established_on)
    CongressEmployer.objects.bulk_create([CongressEmployer(congress=congress, employer=e) for e in covered])
    audit.record(actor=actor, action="democracy.congress.created", obj=congress,
                 changes={"name": name, "kind": kind, "scope": scope_kind, "date": established_on.isoformat(),
                          "employers": [e.name for e in covered]})
    return congress


@transaction.atomic
def congress_end(*, actor, congress: Congress, ended_on: dt.date) -> Congress:
    scope.require(actor, PERM, congress.org.path)
    _not_future(ended_on, "ended_on", "撤销日期")
    _not_before(ended_on, congress.established_on, "ended_on", "撤销日期", "建立日期")
    congress.ended_on = ended_on
    congress.save(update_fields=["ended_on"])
    audit.record(actor=actor, action="democracy.congress.ended", obj=congress, changes={"date": ended_on.isoformat()})
    return congress


# --- terms and delegates -----------------------------------------------------------------------

@transaction.atomic
def term_open(*, actor, congress: Congress, number: int, started_on: dt.date, ends_on: dt.date, staff: int,
              women_staff: int = 0) -> Term:
    scope.require(actor, PERM, congress.org.path)
    if not number or number < 1:
        raise ServiceError("请填写届次。", field="number")
    _not_future(started_on, "started_on", "本届起始日期")
    _not_before(started_on, congress.established_on, "started_on", "本届起始日期", "职代会建立日期")
    if ends_on is None or ends_on <= started_on:
        raise ServiceError("届满日期应晚于本届起始日期。", field="ends_on")
    if staff is None or staff < 1:
        raise ServiceError("请填写职工人数。", field="staff")
    if women_staff > staff:
        raise ServiceError(f"女职工人数（{women_staff}）不能多于职工人数（{staff}）。", field="women_staff")
    if Term.objects.filter(congress=congress, number=number).exists():
        raise ServiceError(f"第{number}届已登记。", field="number")
    term = Term.objects.create(congress=congress, number=number, started_on=started_on, ends_on=ends_on, staff=staff,
                               women_staff=women_staff)
    audit.record(actor=actor, action="democracy.term.opened", obj=term,
                 changes={"number": number, "date": started_on.isoformat(), "staff": staff})
    return term


def _delegate_fields(*, name, gender, constituency, is_manager, is_frontline) -> dict:
    if gender not in Gender.values:
        raise ServiceError("请选择性别。", field="gender")
    if is_manager and is_frontline:
        raise ServiceError("中高级管理人员不能同时是一线职工。", field="is_frontline")
    return {"name": _text(name, "name", "姓名"), "gender": gender,
            "constituency": _text(constituency, "constituency", "选区"), "is_manager": bool(is_manager),
            "is_frontline": bool(is_frontline)}


@transaction.atomic
def delegate_add(*, actor, term: Term, name: str, gender: str, constituency: str, is_manager: bool = False,
                 is_frontline: bool = False, employer: Employer | None = None) -> Delegate:
    """Add a delegate; the list goes back to draft until it is confirmed again."""
    scope.require(actor, PERM, term.congress.org.path)
    fields = _delegate_fields(name=name, gender=gender, constituency=constituency, is_manager=is_manager,
                              is_frontline=is_frontline)
    d = Delegate.objects.create(term=term, employer=employer, **fields)
    _back_to_draft(term)
    audit.record(actor=actor, action="democracy.delegate.added", obj=d,
                 changes={"name": d.name, "constituency": d.constituency})
    return d


@transaction.atomic
def delegate_remove(*, actor, delegate: Delegate) -> None:
    term = delegate.term
    scope.require(actor, PERM, term.congress.org.path)
    if delegate.proposals.exists():
        raise ServiceError(f"{delegate.name}已提出提案，不能删除。", field="delegate")
    audit.record(actor=actor, action="democracy.delegate.removed", obj=delegate, changes={"name": delegate.name})
    delegate.delete()
    _back_to_draft(term)


def _back_to_draft(term: Term) -> None:
    if term.list_status != ListStatus.DRAFT:
        term.list_status = ListStatus.DRAFT
        term.save(update_fields=["list_status"])


def composition(term: Term) -> dict:
    """The list's counts, one grouped query."""
    agg = term.delegates.aggregate(n=Count("pk"), women=Count("pk", filter=Q(gender=Gender.FEMALE)),
                                   managers=Count("pk", filter=Q(is_manager=True)),
                                   frontline=Count("pk", filter=Q(is_frontline=True)))
    return agg


def check_list(term: Term) -> list[str]:
    """The rules the delegate list breaks, each named with its numbers (DOMAIN §7.1, rules in conf)."""
    c = composition(term)
    n, out = c["n"], []
    need = conf.quota(term.staff)
    if term.congress.kind == Kind.CONGRESS and n < need:
        out.append(f"代表名额：职工 {term.staff} 人应不少于 {need} 名代表，现有 {n} 名。")
    if n:
        max_pct = conf.get("MANAGERS_MAX_PCT")
        # Compared exactly (as fractions); shown rounded to one decimal through metrics.percent.
        if Fraction(c["managers"], n) > Fraction(max_pct) / 100:
            out.append(f"中高级管理人员比例：不得超过 {max_pct}%，现有 {c['managers']} 名，占 {percent(c['managers'], n, 1)}%。")
        min_pct = conf.get("FRONTLINE_MIN_PCT")
        if Fraction(c["frontline"], n) < Fraction(min_pct) / 100:
            out.append(f"一线职工比例：应不低于 {min_pct}%，现有 {c['frontline']} 名，占 {percent(c['frontline'], n, 1)}%。")
        if term.staff and Fraction(c["women"], n) < Fraction(term.women_staff, term.staff):
            out.append(f"女代表比例：应不低于女职工占职工的比例 {percent(term.women_staff, term.staff, 1)}%，"
                       f"现有 {c['women']} 名，占 {percent(c['women'], n, 1)}%。")
    else:
        out.append("代表名单为空。")
    return out


@transaction.atomic
def delegates_confirm(*, actor, term: Term) -> Term:
    """Confirm the list if it meets every rule; otherwise it stays a draft with the rules named."""
    scope.require(actor, PERM, term.congress.org.path)
    violations = check_list(term)
    term.violations = violations
    term.list_status = ListStatus.DRAFT if violations else ListStatus.CONFIRMED
    term.save(update_fields=["violations", "list_status"])
    audit.record(actor=actor, action="democracy.term.drafted" if violations else "democracy.term.confirmed", obj=term,
                 changes={"delegates": term.delegates.count(), "violations": violations})
    return term


def term_on(congress: Congress, day: dt.date) -> Term | None:
    return congress.terms.filter(started_on__lte=day, ends_on__gte=day).order_by("-number").first()


# --- sessions, votes, resolutions --------------------------------------------------------------

@transaction.atomic
def session_record(*, actor, congress: Congress, held_on: dt.date, delegates_present: int,
                   kind: str = SessionKind.REGULAR, note: str = "") -> Session:
    scope.require(actor, PERM, congress.org.path)
    if kind not in SessionKind.values:
        raise ServiceError("请选择会议类型。", field="kind")
    _not_future(held_on, "held_on", "召开日期")
    if congress.ended_on and held_on >= congress.ended_on:
        raise ServiceError("职代会已撤销，不能登记其后的会议。", field="held_on")
    term = term_on(congress, held_on)
    if term is None:
        raise ServiceError(f"{held_on} 不在任何一届职代会的任期内，请先登记届次。", field="held_on")
    total = term.delegates.count()
    if total == 0:
        raise ServiceError(f"{term}尚未登记职工代表。", field="held_on")
    if delegates_present is None or delegates_present < 0:
        raise ServiceError("请填写实到代表人数。", field="delegates_present")
    if delegates_present > total:
        raise ServiceError(f"实到代表（{delegates_present}）不能多于应到代表（{total}）。", field="delegates_present")
    number = term.sessions.count() + 1
    s = Session.objects.create(congress=congress, org=congress.org, term=term, number=number, kind=kind,
                               held_on=held_on, delegates_total=total, delegates_present=delegates_present, note=note)
    audit.record(actor=actor, action="democracy.session.recorded", obj=s,
                 changes={"date": held_on.isoformat(), "kind": kind, "delegates": total,
                          "delegates_present": delegates_present})
    return s


@transaction.atomic
def motion_vote(*, actor, session: Session, title: str, votes_for: int, votes_against: int = 0,
                abstentions: int = 0, secret_ballot: bool = False) -> Motion:
    """Record the vote on an agenda item: only with the quorum present; passed with more than
    half of ALL the delegates (not of those present)."""
    scope.require(actor, PERM, session.org.path)
    title = _text(title, "title", "议案名称")
    num, den = conf.get("QUORUM")
    if not session.has_quorum:
        raise ServiceError(f"本次会议实到代表 {session.delegates_present} 人，不足应到代表 {session.delegates_total} 人的"
                           f" {num}/{den}，不能进行表决。", field="session")
    for value, field, what in ((votes_for, "votes_for", "赞成票"), (votes_against, "votes_against", "反对票"),
                               (abstentions, "abstentions", "弃权票")):
        if value is None or value < 0:
            raise ServiceError(f"请填写{what}。", field=field)
    cast = votes_for + votes_against + abstentions
    if cast > session.delegates_present:
        raise ServiceError(f"赞成、反对、弃权合计 {cast} 票，多于实到代表 {session.delegates_present} 人。",
                           field="votes_for")
    passed = votes_for * 2 > session.delegates_total
    m = Motion.objects.create(session=session, org=session.org, held_on=session.held_on, title=title,
                              secret_ballot=bool(secret_ballot), votes_for=votes_for, votes_against=votes_against,
                              abstentions=abstentions, passed=passed)
    audit.record(actor=actor, action="democracy.motion.voted", obj=m,
                 changes={"title": title, "for": votes_for, "against": votes_against, "passed": passed})
    return m


@transaction.atomic
def resolution_adopt(*, actor, congress: Congress, title: str, adopted_on: dt.date, session: Session | None = None,
                     written: bool = False) -> Resolution:
    scope.require(actor, PERM, congress.org.path)
    title = _text(title, "title", "决议名称")
    _not_future(adopted_on, "adopted_on", "通过日期")
    if session is not None and session.congress_id != congress.pk:
        raise ServiceError("所选会议不属于该职代会。", field="session")
    if session is None and not written:
        raise ServiceError("会议期间的决议请选择会议；闭会期间的请勾选书面决议。", field="session")
    r = Resolution.objects.create(congress=congress, org=congress.org, session=session, title=title,
                                  adopted_on=adopted_on, written=bool(written))
    audit.record(actor=actor, action="democracy.resolution.adopted", obj=r,
                 changes={"title": title, "date": adopted_on.isoformat(), "written": bool(written)})
    return r


# --- 提案 --------------------------------------------------------------------------------------

def _history(actor, p: Proposal, action: str, on: dt.date, before: str, after: str, note: str = "") -> None:
    ProposalEvent.objects.create(proposal=p, action=action, on=on, from_status=before, to_status=after, note=note,
                                 actor_name=actor.get_username() if actor is not None else "系统")


def _move(actor, p: Proposal, target: str, *, action: str, label: str, on: dt.date, fields: tuple, note: str = "",
          changes: dict | None = None) -> Proposal:
    FLOW.check(p.status, target, label)
    before = p.status
    p.status = target
    p.save(update_fields=["status", *fields])
    _history(actor, p, action, on, before, target, note)
    audit.record(actor=actor, action=f"democracy.proposal.{action}", obj=p,
                 changes={"status": [before, target], "date": on.isoformat(), **(changes or {})})
    return p


@transaction.atomic
def proposal_file(*, actor, congress: Congress, title: str, content: str, category: str, proposer: Delegate,
                  filed_on: dt.date, cosigners: list[Delegate] | None = None, session: Session | None = None,
                  number: str = "") -> Proposal:
    scope.require(actor, PERM, congress.org.path)
    title = _text(title, "title", "案由")
    content = _text(content, "content", "理由和建议")
    if category not in Category.values:
        raise ServiceError("请选择提案类别。", field="category")
    _not_future(filed_on, "filed_on", "提出日期")
    if proposer is None or proposer.term.congress_id != congress.pk:
        raise ServiceError("提案人应是本职代会的职工代表。", field="proposer")
    cosigners = [d for d in dict.fromkeys(cosigners or []) if d.pk != proposer.pk]
    stray = [d.name for d in cosigners if d.term.congress_id != congress.pk]
    if stray:
        raise ServiceError(f"附议人 {'、'.join(stray)} 不是本职代会的职工代表。", field="cosigners")
    if session is not None and session.congress_id != congress.pk:
        raise ServiceError("所选会议不属于该职代会。", field="session")
    if not number:
        n = Proposal.objects.filter(congress=congress, filed_on__year=filed_on.year).count() + 1
        number = f"{filed_on.year}-{n:03d}"
    elif Proposal.objects.filter(congress=congress, number=number).exists():
        raise ServiceError(f"提案编号“{number}”已使用。", field="number")
    p = Proposal.objects.create(congress=congress, org=congress.org, session=session, number=number, title=title,
                                content=content, category=category, proposer=proposer, filed_on=filed_on)
    p.cosigners.set(cosigners)
    _history(actor, p, "filed", filed_on, "", Status.FILED)
    audit.record(actor=actor, action="democracy.proposal.filed", obj=p,
                 changes={"number": number, "title": title, "category": category, "date": filed_on.isoformat(),
                          "cosigners": len(cosigners)})
    return p


@transaction.atomic
def proposal_accept(*, actor, proposal: Proposal, decided_on: dt.date) -> Proposal:
    scope.require(actor, PERM, proposal.org.path)
    _not_future(decided_on, "decided_on", "审查日期")
    _not_before(decided_on, proposal.filed_on, "decided_on", "审查日期", "提出日期")
    proposal.decided_on = decided_on
    return _move(actor, proposal, Status.ACCEPTED, action="accepted", label="立案", on=decided_on,
                 fields=("decided_on",))


@transaction.atomic
def proposal_reject(*, actor, proposal: Proposal, decided_on: dt.date, reason: str) -> Proposal:
    scope.require(actor, PERM, proposal.org.path)
    reason = _text(reason, "reason", "不立案理由")
    _not_future(decided_on, "decided_on", "审查日期")
    _not_before(decided_on, proposal.filed_on, "decided_on", "审查日期", "提出日期")
    proposal.decided_on, proposal.reject_reason = decided_on, reason
    return _move(actor, proposal, Status.REJECTED, action="rejected", label="不立案", on=decided_on, note=reason,
                 fields=("decided_on", "reject_reason"), changes={"reason": reason})


@transaction.atomic
def proposal_assign(*, actor, proposal: Proposal, assigned_on: dt.date, lead_dept: str, assist_depts: str = "",
                    due_on: dt.date | None = None) -> Proposal:
    scope.require(actor, PERM, proposal.org.path)
    lead_dept = _text(lead_dept, "lead_dept", "主办部门")
    _not_future(assigned_on, "assigned_on", "交办日期")
    _not_before(assigned_on, proposal.decided_on, "assigned_on", "交办日期", "立案日期")
    due_on = due_on or clock.add_months(assigned_on, int(conf.get("PROPOSAL_DUE_MONTHS")))
    if due_on < assigned_on:
        raise ServiceError("答复期限不能早于交办日期。", field="due_on")
    proposal.assigned_on, proposal.lead_dept = assigned_on, lead_dept
    proposal.assist_depts, proposal.due_on = (assist_depts or "").strip(), due_on
    return _move(actor, proposal, Status.ASSIGNED, action="assigned", label="交办", on=assigned_on,
                 note=f"主办：{lead_dept}" + (f"；会办：{proposal.assist_depts}" if proposal.assist_depts else ""),
                 fields=("assigned_on", "lead_dept", "assist_depts", "due_on"),
                 changes={"lead_dept": lead_dept, "due_on": due_on.isoformat()})


@transaction.atomic
def proposal_answer(*, actor, proposal: Proposal, answered_on: dt.date, answer: str, result_code: str) -> Proposal:
    scope.require(actor, PERM, proposal.org.path)
    if result_code not in ResultCode.values:
        raise ServiceError("请选择办理结果（A 已解决或基本解决、B 正在解决或列入规划、C 因条件限制以后解决、D 留作参考）。",
                           field="result_code")
    answer = _text(answer, "answer", "答复意见")
    _not_future(answered_on, "answered_on", "答复日期")
    _not_before(answered_on, proposal.assigned_on, "answered_on", "答复日期", "交办日期")
    proposal.answered_on, proposal.answer, proposal.result_code = answered_on, answer, result_code
    late = proposal.due_on is not None and answered_on > proposal.due_on
    return _move(actor, proposal, Status.ANSWERED, action="answered", label="答复", on=answered_on,
                 note=ResultCode(result_code).label, fields=("answered_on", "answer", "result_code"),
                 changes={"result_code": result_code, "late": late})


@transaction.atomic
def proposal_feedback(*, actor, proposal: Proposal, delegate: Delegate, feedback: str, feedback_on: dt.date,
                      note: str = "") -> Proposal:
    """The proposer's view of the answer; nobody else may give it."""
    scope.require(actor, PERM, proposal.org.path)
    if delegate is None or delegate.pk != proposal.proposer_id:
        raise ServiceError(f"只有提案人{proposal.proposer.name}可以对答复提出意见。", field="delegate")
    if feedback not in Feedback.values:
        raise ServiceError("请选择提案人意见（满意、基本满意、不满意）。", field="feedback")
    _not_future(feedback_on, "feedback_on", "反馈日期")
    _not_before(feedback_on, proposal.answered_on, "feedback_on", "反馈日期", "答复日期")
    proposal.feedback, proposal.feedback_on, proposal.feedback_note = feedback, feedback_on, (note or "").strip()
    return _move(actor, proposal, Status.CLOSED, action="feedback", label="反馈", on=feedback_on,
                 note=Feedback(feedback).label, fields=("feedback", "feedback_on", "feedback_note"),
                 changes={"feedback": feedback})


# --- 厂务公开 and 会务公开 ----------------------------------------------------------------------

@transaction.atomic
def disclosure_system_set(*, actor, employer: Employer, org: Org, established_on: dt.date,
                          leader: str = "") -> DisclosureSystem:
    scope.require(actor, PERM, org.path)
    _not_future(established_on, "established_on", "建立日期")
    if DisclosureSystem.objects.filter(employer=employer, ended_on__isnull=True).exists():
        raise ServiceError(f"{employer.name}已建立厂务公开制度。", field="employer")
    ds = DisclosureSystem.objects.create(employer=employer, org=org, established_on=established_on,
                                         leader=(leader or "").strip())
    audit.record(actor=actor, action="democracy.disclosure_system.set", obj=ds,
                 changes={"employer": employer.name, "date": established_on.isoformat()})
    return ds


@transaction.atomic
def disclosure_record(*, actor, org: Org, kind: str, form: str, issue_no: int, disclosed_on: dt.date, title: str,
                      items: list[tuple[str, str]], employer: Employer | None = None) -> Disclosure:
    """One issue of 厂务公开 (an employer's) or 会务公开 (the union's own affairs) with its items."""
    scope.require(actor, PERM, org.path)
    if kind not in DisclosureKind.values:
        raise ServiceError("请选择厂务公开或会务公开。", field="kind")
    if form not in Form.values:
        raise ServiceError("请选择公开形式。", field="form")
    if not issue_no or issue_no < 1:
        raise ServiceError("请填写期号。", field="issue_no")
    title = _text(title, "title", "标题")
    _not_future(disclosed_on, "disclosed_on", "公开日期")
    if kind == DisclosureKind.WORKPLACE and employer is None:
        raise ServiceError("厂务公开请选择用人单位。", field="employer")
    if not items:
        raise ServiceError("请至少填写一项公开事项。", field="items")
    rows = []
    for i, (category, item_title) in enumerate(items, start=1):
        if category not in ItemCategory.values:
            raise ServiceError(f"第 {i} 项公开事项：请选择内容类别。", field="items")
        if not (item_title or "").strip():
            raise ServiceError(f"第 {i} 项公开事项：请填写事项名称。", field="items")
        rows.append(DisclosureItem(category=category, title=item_title.strip()))
    same = Disclosure.objects.filter(org=org, kind=kind, form=form, issue_no=issue_no,
                                     disclosed_on__year=disclosed_on.year, employer=employer)
    if same.exists():
        raise ServiceError(f"{disclosed_on.year} 年{Form(form).label}第 {issue_no} 期已登记。", field="issue_no")
    d = Disclosure.objects.create(org=org, employer=employer, kind=kind, form=form, issue_no=issue_no,
                                  disclosed_on=disclosed_on, title=title, item_count=len(rows))
    for r in rows:
        r.disclosure = d
    DisclosureItem.objects.bulk_create(rows)
    audit.record(actor=actor, action="democracy.disclosure.recorded", obj=d,
                 changes={"kind": kind, "form": form, "issue_no": issue_no, "date": disclosed_on.isoformat(),
                          "items": len(rows)})
    return d


@transaction.atomic
def opinion_raise(*, actor, disclosure: Disclosure, raised_on: dt.date, raised_by: str, content: str) -> Opinion:
    scope.require(actor, PERM, disclosure.org.path)
    raised_by = _text(raised_by, "raised_by", "提出人")
    content = _text(content, "content", "意见内容")
    _not_future(raised_on, "raised_on", "提出日期")
    _not_before(raised_on, disclosure.disclosed_on, "raised_on", "提出日期", "公开日期")
    o = Opinion.objects.create(disclosure=disclosure, org=disclosure.org, raised_on=raised_on, raised_by=raised_by,
                               content=content, due_on=raised_on + dt.timedelta(days=int(conf.get("OPINION_DAYS"))))
    audit.record(actor=actor, action="democracy.opinion.raised", obj=o,
                 changes={"date": raised_on.isoformat(), "due_on": o.due_on.isoformat()})
    return o


@transaction.atomic
def opinion_answer(*, actor, opinion: Opinion, answered_on: dt.date, answer: str) -> Opinion:
    scope.require(actor, PERM, opinion.org.path)
    if opinion.answered_on:
        raise ServiceError("该意见已答复。", field="answer")
    answer = _text(answer, "answer", "答复")
    _not_future(answered_on, "answered_on", "答复日期")
    _not_before(answered_on, opinion.raised_on, "answered_on", "答复日期", "提出日期")
    opinion.answered_on, opinion.answer = answered_on, answer
    opinion.save(update_fields=["answered_on", "answer"])
    audit.record(actor=actor, action="democracy.opinion.answered", obj=opinion,
                 changes={"date": answered_on.isoformat(), "late": answered_on > opinion.due_on})
    return opinion


# --- 职工董事/监事 and 民主评议 ------------------------------------------------------------------

@transaction.atomic
def board_member_elect(*, actor, congress: Congress, seat: str, name: str, elected_on: dt.date,
                       session: Session | None = None, ends_on: dt.date | None = None) -> BoardMember:
    scope.require(actor, PERM, congress.org.path)
    if seat not in BoardSeat.values:
        raise ServiceError("请选择职工董事或职工监事。", field="seat")
    name = _text(name, "name", "姓名")
    _not_future(elected_on, "elected_on", "当选日期")
    if session is not None and session.congress_id != congress.pk:
        raise ServiceError("所选会议不属于该职代会。", field="session")
    if ends_on is not None and ends_on <= elected_on:
        raise ServiceError("任期届满日期应晚于当选日期。", field="ends_on")
    m = BoardMember.objects.create(congress=congress, org=congress.org, session=session, seat=seat, name=name,
                                   elected_on=elected_on, ends_on=ends_on)
    audit.record(actor=actor, action="democracy.board_member.elected", obj=m,
                 changes={"seat": seat, "name": name, "date": elected_on.isoformat()})
    return m


@transaction.atomic
def evaluation_record(*, actor, session: Session, name: str, position: str, level: str, excellent: int = 0,
                      competent: int = 0, basic: int = 0, incompetent: int = 0) -> Evaluation:
    """One manager's 民主评议 at a session; the votes cannot exceed the delegates present. The
    audit entry names the session only: the person and the results are kept to authorised roles."""
    scope.require(actor, PERM, session.org.path)
    if level not in EvalLevel.values:
        raise ServiceError("请选择被评议人的层级。", field="level")
    name = _text(name, "name", "被评议人")
    position = _text(position, "position", "职务")
    votes = [excellent, competent, basic, incompetent]
    if any(v is None or v < 0 for v in votes):
        raise ServiceError("各档票数不能为空或负数。", field="excellent")
    if sum(votes) > session.delegates_present:
        raise ServiceError(f"评议票合计 {sum(votes)} 票，多于实到代表 {session.delegates_present} 人。",
                           field="excellent")
    e = Evaluation.objects.create(session=session, org=session.org, held_on=session.held_on, name=name,
                                  position=position, level=level, excellent=excellent, competent=competent,
                                  basic=basic, incompetent=incompetent)
    audit.record(actor=actor, action="democracy.evaluation.recorded", obj=e,
                 changes={"session": str(session), "level": level})
    return e
