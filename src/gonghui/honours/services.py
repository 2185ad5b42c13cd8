"""Every write of the 劳模与荣誉 line: scope check, Chinese validation, audit entry in the same
transaction. The ID number and phone never enter an audit entry (only that they were set)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import OuterRef

from gonghui.core import audit, clock, crypto, scope
from gonghui.core.errors import ServiceError, join_messages
from gonghui.core.identifiers import parse_id_number
from gonghui.orgs.models import GRASSROOTS_TYPES, Org
from gonghui.orgs.selectors import path_on, placement_path

from . import conf
from .models import (
    HONOUR_FLOW,
    RANK,
    CareCampaign,
    CareKind,
    CareRecord,
    Contest,
    ContestEvent,
    ContestKind,
    Entry,
    HomeLevel,
    HomeRating,
    HomeRecheck,
    HomeSurvey,
    Honour,
    HonourLevel,
    HonourScore,
    HonourStatus,
    HonourStep,
    HonourType,
    Indicator,
    IndicatorSystem,
    Innovation,
    InnovationKind,
    InnovationStatus,
    Level,
    ModelWorker,
    Recheck,
    RecheckOutcome,
    Recipient,
    ScoreStage,
    SurveyResponse,
    Team,
    TeamKind,
    Title,
    TitleLevel,
    Treatment,
    Verdict,
    WorkerStatus,
)

CENT = Decimal("0.01")
WORKER_FIELDS = ("employer_name", "industry", "is_civil_servant", "is_party_member", "is_hardship")


def _money(value, what: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(f"{what}“{value}”不是有效金额。", field=field) from exc
    if amount < 0:
        raise ServiceError(f"{what}应为不小于0的金额。", field=field)
    return amount


def _name(actor) -> str:
    return actor.get_username() if actor is not None else "系统"


# --- the registry ---------------------------------------------------------------------------------

@transaction.atomic
def worker_create(*, actor, org: Org, name: str, id_number: str, registered_on: dt.date, phone: str = "",
                  status: str = WorkerStatus.ACTIVE, died_on: dt.date | None = None, **fields) -> ModelWorker:
    """登记劳模: one person in the registry, linked to the roster when the ID number is a member's."""
    scope.require(actor, "honours.change", org.path)
    if not (name or "").strip():
        raise ServiceError("请填写姓名。", field="name")
    parsed = parse_id_number(id_number, today=registered_on)
    hashes = crypto.lookup_hashes(parsed.number)
    existing = ModelWorker.objects.filter(id_hash__in=hashes).select_related("org").first()
    if existing is not None:
        where = existing.org.name if scope.has_perm(actor, "honours.view", existing.org.path) else "其他单位"
        raise ServiceError(f"该身份证号码的劳模已登记（{where}），不能重复登记；如需增加称号，请在其详情页登记。",
                           field="id_number")
    _check_status(status, died_on)
    extra = set(fields) - set(WORKER_FIELDS)
    if extra:
        raise TypeError(f"unknown model-worker fields: {sorted(extra)}")
    from gonghui.members.models import Person

    worker = ModelWorker.objects.create(
        org=org, person=Person.objects.filter(id_hash__in=hashes).first(), name=name.strip(),
        gender=parsed.gender, birth_date=parsed.birth_date, id_cipher=crypto.encrypt(parsed.number),
        id_hash=crypto.lookup_hash(parsed.number), id_masked=crypto.mask_id(parsed.number),
        phone_cipher=crypto.encrypt((phone or "").strip()),
        phone_masked=crypto.mask_phone(phone) if (phone or "").strip() else "", status=status, died_on=died_on,
        registered_on=registered_on,
        **{k: (v.strip() if isinstance(v, str) else bool(v)) for k, v in fields.items()})
    audit.record(actor=actor, action="honours.worker.created", obj=worker,
                 changes={"name": worker.name, "id_number": "（已加密）", "status": status,
                          **{k: getattr(worker, k) for k in fields}})
    return worker


def _check_status(status: str, died_on) -> None:
    if status not in WorkerStatus.values:
        raise ServiceError("请选择现状（在职/退休/已故）。", field="status")
    if status == WorkerStatus.DECEASED and died_on is None:
        raise ServiceError("现状为已故时请填写去世日期。", field="died_on")
    if status != WorkerStatus.DECEASED and died_on is not None:
        raise ServiceError("只有现状为已故时才填写去世日期。", field="died_on")


@transaction.atomic
def worker_update(*, actor, worker: ModelWorker, phone: str | None = None, status: str | None = None,
                  died_on: dt.date | None = None, **fields) -> ModelWorker:
    """修改劳模信息: employer, status and flags (the ID number is fixed once registered)."""
    scope.require(actor, "honours.change", worker.org.path)
    extra = set(fields) - set(WORKER_FIELDS)
    if extra:
        raise TypeError(f"unknown model-worker fields: {sorted(extra)}")
    changes = {}
    if status is not None:
        _check_status(status, died_on)
        if (status, died_on) != (worker.status, worker.died_on):
            changes["status"], changes["died_on"] = status, died_on
            worker.status, worker.died_on = status, died_on
    for k, v in fields.items():
        v = v.strip() if isinstance(v, str) else bool(v)
        if getattr(worker, k) != v:
            changes[k] = v
            setattr(worker, k, v)
    if phone is not None and phone.strip() != worker.phone:
        worker.phone_cipher = crypto.encrypt(phone.strip())
        worker.phone_masked = crypto.mask_phone(phone) if phone.strip() else ""
        changes["phone"] = "（已修改）"
    if changes:
        worker.save()
        audit.record(actor=actor, action="honours.worker.updated", obj=worker, changes=changes)
    return worker


def treatment_for(name: str, level: str, treatment: str = "") -> str:
    """The 待遇级别 of a title: a configured equivalence for its name wins (全国五一劳动奖章 → 省部级),
    then the clerk's choice, then the title's own level; 享受劳模待遇 needs one of the first two."""
    equivalent = conf.equivalences().get(name.strip())
    if equivalent in Treatment.values:
        return equivalent
    if treatment:
        if treatment not in Treatment.values:
            raise ServiceError("待遇级别不正确。", field="treatment")
        return treatment
    if level == Level.TREATED:
        raise ServiceError("级别为“享受劳模待遇”时请选择待遇级别。", field="treatment")
    return level


def _refresh_highest(worker: ModelWorker) -> None:
    treatments = set(worker.titles.values_list("treatment", flat=True))
    worker.highest_level = max(treatments, key=lambda t: RANK[t]) if treatments else ""
    worker.save(update_fields=["highest_level"])


@transaction.atomic
def title_add(*, actor, worker: ModelWorker, name: str, level: str, year, conferred_by: str = "", batch: str = "",
              certificate_no: str = "", treatment: str = "", conferred_on: dt.date | None = None) -> Title:
    """登记称号: refused without level or year, and twice for the same person (same title, same year)."""
    scope.require(actor, "honours.change", worker.org.path)
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写称号名称。", field="name")
    if not level:
        raise ServiceError(f"称号“{name}”缺少级别，请选择全国/省部级/地市级/县级/享受劳模待遇。", field="level")
    if level not in Level.values:
        raise ServiceError(f"称号级别“{level}”不正确。", field="level")
    if year in (None, ""):
        raise ServiceError(f"称号“{name}”缺少授予年份。", field="year")
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ServiceError(f"授予年份“{year}”不是有效年份。", field="year") from exc
    if not 1949 <= year <= clock.today().year + 1:
        raise ServiceError(f"授予年份“{year}”不在1949年至今之间。", field="year")
    if conferred_on is not None and conferred_on.year != year:
        raise ServiceError(f"授予日期{conferred_on:%Y-%m-%d}不在授予年份{year}年内。", field="conferred_on")
    if Title.objects.filter(worker=worker, name=name, year=year).exists():
        raise ServiceError(f"{worker.name}已登记{year}年“{name}”称号，不能重复登记。", field="name")
    try:
        with transaction.atomic():
            title = Title.objects.create(worker=worker, name=name, level=level, year=year,
                                         treatment=treatment_for(name, level, treatment), conferred_on=conferred_on,
                                         conferred_by=conferred_by.strip(), batch=batch.strip(),
                                         certificate_no=certificate_no.strip())
    except IntegrityError as exc:
        raise ServiceError(f"{worker.name}已登记{year}年“{name}”称号，不能重复登记。", field="name") from exc
    TitleLevel.objects.create(title=title, treatment=title.treatment, rank=RANK[title.treatment],
                              valid_from=conferred_on or dt.date(year, 1, 1), note="授予")
    _refresh_highest(worker)
    audit.record(actor=actor, action="honours.title.added", obj=title,
                 changes={"name": name, "level": level, "treatment": title.treatment, "year": year})
    return title


@transaction.atomic
def title_level_change(*, actor, title: Title, treatment: str, on: dt.date, note: str = "") -> TitleLevel:
    """A title's 待遇级别 changes from `on` (an equivalence granted or re-graded): the level in force
    ends on `on`, and figures as of an earlier cut-off keep the old one."""
    worker = title.worker
    scope.require(actor, "honours.change", worker.org.path)
    if treatment not in Treatment.values:
        raise ServiceError("请选择待遇级别。", field="treatment")
    if on is None:
        raise ServiceError("请填写起始日期。", field="on")
    if not (note or "").strip():
        raise ServiceError("请填写调整依据（文件或决定）。", field="note")
    current = title.levels.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if current is not None:
        if treatment == current.treatment:
            raise ServiceError(f"“{title.name}”的待遇级别已是{current.get_treatment_display()}。", field="treatment")
        if on <= current.valid_from:
            raise ServiceError(f"起始日期应晚于现行级别的起始日期（{current.valid_from:%Y-%m-%d}）。", field="on")
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    row = TitleLevel.objects.create(title=title, treatment=treatment, rank=RANK[treatment], valid_from=on,
                                    note=note.strip())
    title.treatment = treatment
    title.save(update_fields=["treatment"])
    _refresh_highest(worker)
    audit.record(actor=actor, action="honours.title.regraded", obj=title,
                 changes={"name": title.name, "treatment": treatment, "on": on, "note": note.strip()})
    return row


def level_on(worker: ModelWorker, at: dt.date) -> str:
    """The worker's highest 待遇级别 as of `at` ('' when no title was in force then)."""
    from django.db.models import Max

    rank = (TitleLevel.objects.filter(title__worker=worker, valid_from__lte=at)
            .exclude(valid_to__lte=at).aggregate(r=Max("rank"))["r"])
    return next((t for t, r in RANK.items() if r == rank), "")


@transaction.atomic
def title_remove(*, actor, title: Title) -> None:
    worker = title.worker
    scope.require(actor, "honours.change", worker.org.path)
    audit.record(actor=actor, action="honours.title.removed", obj=title, changes={"name": title.name, "year": title.year})
    title.delete()
    _refresh_highest(worker)


# --- care -----------------------------------------------------------------------------------------

@transaction.atomic
def campaign_create(*, actor, org: Org, name: str, kind: str, start_on: dt.date, end_on: dt.date, amount=0,
                    exclude_civil_servants: bool | None = None, party_members_only: bool = False,
                    hardship_only: bool = False) -> CareCampaign:
    scope.require(actor, "honours.change", org.path)
    if not (name or "").strip():
        raise ServiceError("请填写活动名称。", field="name")
    if kind not in CareKind.values:
        raise ServiceError("请选择服务类别。", field="kind")
    if end_on < start_on:
        raise ServiceError("结束日期不能早于开始日期。", field="end_on")
    if exclude_civil_servants is None:
        exclude_civil_servants = kind == CareKind.CHECKUP and conf.get("CHECKUP_EXCLUDES_CIVIL_SERVANTS")
    campaign = CareCampaign.objects.create(
        org=org, name=name.strip(), kind=kind, start_on=start_on, end_on=end_on,
        amount=_money(amount, "每人标准", "amount"), exclude_civil_servants=exclude_civil_servants,
        party_members_only=party_members_only, hardship_only=hardship_only)
    audit.record(actor=actor, action="honours.campaign.created", obj=campaign,
                 changes={"name": campaign.name, "kind": kind, "start_on": start_on, "end_on": end_on})
    return campaign


@transaction.atomic
def care_record(*, actor, worker: ModelWorker, kind: str, served_on: dt.date, amount=None,
                campaign: CareCampaign | None = None, note: str = "") -> CareRecord:
    """登记关爱服务 of one model worker; it counts under the managing union (its path on served_on),
    whoever ran the campaign."""
    org = worker.org
    scope.require(actor, "honours.change", org.path)
    if campaign is not None and not org.path.startswith(campaign.org.path):
        raise ServiceError(f"{worker.name}不在活动“{campaign.name}”组织单位的管理范围内。", field="worker")
    if kind not in CareKind.values:
        raise ServiceError("请选择服务类别。", field="kind")
    if served_on is None:
        raise ServiceError("请填写服务日期。", field="served_on")
    if worker.died_on is not None and served_on > worker.died_on:
        raise ServiceError(f"{worker.name}已于{worker.died_on:%Y-%m-%d}去世，服务日期不能晚于去世日期。", field="served_on")
    if campaign is not None:
        if campaign.kind != kind:
            raise ServiceError(f"服务类别应与活动“{campaign.name}”一致（{campaign.get_kind_display()}）。", field="kind")
        if not campaign.start_on <= served_on <= campaign.end_on:
            raise ServiceError(f"服务日期应在活动期间（{campaign.start_on:%Y-%m-%d}至{campaign.end_on:%Y-%m-%d}）内。",
                               field="served_on")
        if CareRecord.objects.filter(campaign=campaign, worker=worker).exists():
            raise ServiceError(f"{worker.name}已在活动“{campaign.name}”中登记过服务，不能重复登记。", field="worker")
    value = _money(campaign.amount if amount in (None, "") and campaign is not None else amount, "金额", "amount")
    record = CareRecord.objects.create(worker=worker, org=org, org_path=path_on(org, served_on), kind=kind,
                                       served_on=served_on, amount=value, campaign=campaign, note=(note or "").strip())
    audit.record(actor=actor, action="honours.care.recorded", obj=record,
                 changes={"kind": kind, "served_on": served_on, "amount": value})
    return record


def campaign_due(campaign: CareCampaign):
    """Model workers the campaign is for (managed under its union, its rule) and whether served."""
    return ModelWorker.objects.filter(campaign.due_q(), org__path__startswith=campaign.org.path,
                                      registered_on__lte=campaign.end_on)


# --- honours --------------------------------------------------------------------------------------

@transaction.atomic
def honour_apply(*, actor, org: Org, recipient: str, recipient_name: str, honour_type: str, level: str,
                 issuer: str, year, applied_on: dt.date, worker: ModelWorker | None = None, note: str = "",
                 team: Team | None = None, team_name: str = "") -> Honour:
    """申报: an honour for a person or a collective of (or under) `org`; the collective may be one of
    its teams, given as a Team or by name (`team_named`)."""
    scope.require(actor, "honours.change", org.path)
    if recipient not in Recipient.values:
        raise ServiceError("请选择荣誉对象（个人/集体）。", field="recipient")
    name = (recipient_name or (worker.name if worker else "")).strip()
    if not name:
        raise ServiceError("请填写获得者名称。", field="recipient_name")
    if honour_type not in HonourType.values:
        raise ServiceError("请选择荣誉类别。", field="honour_type")
    if level not in HonourLevel.values:
        raise ServiceError("请选择荣誉级别。", field="level")
    if not (issuer or "").strip():
        raise ServiceError("请填写授予单位。", field="issuer")
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ServiceError("请填写有效的年度。", field="year") from exc
    if worker is not None and recipient != Recipient.PERSON:
        raise ServiceError("集体荣誉不能关联劳模个人。", field="worker")
    if worker is not None:
        scope.require(actor, "honours.view", worker.org.path)
    if team is None and (team_name or "").strip():
        if recipient != Recipient.COLLECTIVE:
            raise ServiceError("个人荣誉不填写班组/集体。", field="team")
        team = team_named(org, team_name)
    if team is not None and (recipient != Recipient.COLLECTIVE or not team.org.path.startswith(org.path)):
        raise ServiceError(f"班组/集体“{team.name}”只能作为{org.name}及其下属工会的集体荣誉对象。", field="team")
    honour = Honour.objects.create(org=org, org_path=path_on(org, applied_on), recipient=recipient,
                                   recipient_name=name, worker=worker, team=team, honour_type=honour_type, level=level,
                                   issuer=issuer.strip(), year=year, applied_on=applied_on, note=(note or "").strip())
    HonourStep.objects.create(honour=honour, status=HonourStatus.APPLIED, on=applied_on, actor_name=_name(actor))
    audit.record(actor=actor, action="honours.honour.applied", obj=honour,
                 changes={"recipient_name": name, "honour_type": honour_type, "level": level, "year": year})
    return honour


@transaction.atomic
def honour_move(*, actor, honour: Honour, to: str, on: dt.date, note: str = "") -> Honour:
    """One step of 评审 → 公示 → 命名 → 复查 (保留/限期整改/撤销), or 未通过."""
    scope.require(actor, "honours.approve", honour.org.path)
    if to == HonourStatus.MEMBERS:
        raise ServiceError("会员评家环节请选择会员评家测评登记（满意率须达到合格线）。", field="to")
    if to == HonourStatus.SELF:
        raise ServiceError("自评环节请按指标体系登记自评得分。", field="to")
    return _move(actor, honour, to, on, note)


def _move(actor, honour: Honour, to: str, on: dt.date, note: str = "") -> Honour:
    HONOUR_FLOW.check(honour.status, to)
    last = honour.steps.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ServiceError(f"日期不能早于上一步（{last.get_status_display()}，{last.on:%Y-%m-%d}）。", field="on")
    if to in (HonourStatus.REJECTED, HonourStatus.REVOKED, HonourStatus.RECTIFY) and not (note or "").strip():
        raise ServiceError("请填写意见（未通过、限期整改或撤销的理由）。", field="note")
    if to == HonourStatus.REVIEW and honour.survey_id is not None and not survey_result(honour.survey)["passed"]:
        raise ServiceError("所依据的会员评家满意率未达到合格线，不能进入评审。", field="to")
    if to == HonourStatus.NAMED:
        if honour.named_on is None:
            honour.named_on = on
            honour.org_path = path_on(honour.org, on)
        honour.recheck_on = _add_years(on, int(conf.get("RECHECK_YEARS")))
    if to == HonourStatus.REVOKED:
        honour.revoked_on = on
    honour.status = to
    honour.save()
    HonourStep.objects.create(honour=honour, status=to, on=on, note=(note or "").strip(), actor_name=_name(actor))
    audit.record(actor=actor, action="honours.honour.moved", obj=honour, changes={"status": to, "on": on})
    return honour


def leaves(system: IndicatorSystem) -> list[Indicator]:
    nodes = list(system.indicators.all())
    parents = {n.parent_id for n in nodes}
    return [n for n in nodes if n.pk not in parents]


@transaction.atomic
def honour_score(*, actor, honour: Honour, stage: str, scores: dict, system: IndicatorSystem | None = None,
                 on: dt.date | None = None) -> Decimal:
    """自评 (by the applicant, while 申报/自评) or 评审打分 (by the reviewers, while 评审) on the honour's
    indicator system: a score for every leaf indicator, from 0 to its weight; all or nothing.
    Scoring again replaces the stage's scores. Returns the total."""
    if stage not in ScoreStage.values:
        raise ServiceError("评分环节不正确。", field="stage")
    if stage == ScoreStage.SELF:
        scope.require(actor, "honours.change", honour.org.path)
        if honour.status not in (HonourStatus.APPLIED, HonourStatus.SELF):
            raise ServiceError(f"荣誉已进入“{honour.get_status_display()}”，不能再自评。", field="stage")
    else:
        scope.require(actor, "honours.approve", honour.org.path)
        if honour.status != HonourStatus.REVIEW:
            raise ServiceError("只有在“评审”环节才能评审打分。", field="stage")
    system = system or honour.indicator_system
    if system is None:
        raise ServiceError("请选择指标体系。", field="indicator_system")
    if honour.indicator_system_id not in (None, system.pk):
        raise ServiceError(f"该荣誉已按“{honour.indicator_system}”评分，不能改用其他指标体系。", field="indicator_system")
    if system.honour_type and system.honour_type != honour.honour_type:
        raise ServiceError(f"指标体系“{system.name}”用于{system.get_honour_type_display()}，"
                           f"与本荣誉的类别不符。", field="indicator_system")
    nodes = {n.pk: n for n in leaves(system)}
    given = {}
    for key, raw in scores.items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            pk = None
        if pk not in nodes:
            raise ServiceError(f"“{key}”不是指标体系“{system.name}”的末级指标。", field="scores")
        given[pk] = raw
    problems = []
    rows = []
    for pk, node in nodes.items():
        raw = given.get(pk)
        if raw in (None, ""):
            problems.append(f"指标“{node.name}”未评分")
            continue
        try:
            value = Decimal(str(raw)).quantize(CENT, rounding=ROUND_HALF_UP)
        except (InvalidOperation, ValueError):
            problems.append(f"指标“{node.name}”的得分“{raw}”不是有效数字")
            continue
        if not Decimal(0) <= value <= node.weight:
            problems.append(f"指标“{node.name}”的得分{value}应在0至{node.weight}之间")
            continue
        rows.append(HonourScore(honour=honour, indicator=node, stage=stage, score=value))
    if problems:
        raise ServiceError(join_messages(problems), field="scores")
    HonourScore.objects.filter(honour=honour, stage=stage).delete()
    HonourScore.objects.bulk_create(rows)
    total = sum((r.score for r in rows), Decimal("0.00"))
    honour.indicator_system = system
    if stage == ScoreStage.SELF:
        honour.self_score = total
    else:
        honour.review_score = total
    moved = stage == ScoreStage.SELF and honour.status == HonourStatus.APPLIED
    if moved:
        honour.status = HonourStatus.SELF
    honour.save()
    if moved:
        HonourStep.objects.create(honour=honour, status=HonourStatus.SELF, on=max(on or clock.today(), honour.applied_on),
                                  actor_name=_name(actor),
                                  note=f"自评得分{total}（满分{system.total}）")
    audit.record(actor=actor, action="honours.honour.scored", obj=honour,
                 changes={"stage": stage, "total": total, "system": system.name})
    return total


@transaction.atomic
def honour_member_review(*, actor, honour: Honour, survey: HomeSurvey, on: dt.date) -> Honour:
    """会员评家 step: the application rests on a survey of the applying union's members; a survey
    below its pass rate (满意率) refuses the step, naming both rates."""
    scope.require(actor, "honours.change", honour.org.path)
    HONOUR_FLOW.check(honour.status, HonourStatus.MEMBERS)
    if not survey.org.path.startswith(honour.org.path):
        raise ServiceError(f"会员评家“{survey.name}”不是{honour.org.name}及其下属工会开展的。", field="survey")
    result = survey_result(survey)
    if not result["valid"]:
        raise ServiceError(f"会员评家“{survey.name}”还没有有效问卷。", field="survey")
    if not result["passed"]:
        raise ServiceError(f"会员评家“{survey.name}”满意率{result['rate']}%，低于合格满意率{survey.threshold}%，"
                           "不能进入评审。", field="survey")
    honour.survey = survey
    honour.save(update_fields=["survey"])
    return _move(actor, honour, HonourStatus.MEMBERS, on,
                 f"会员评家满意率{result['rate']}%（{result['good']}/{result['valid']}）")


@transaction.atomic
def honour_recheck(*, actor, honour: Honour, on: dt.date, inspector: str, findings: str, outcome: str,
                   rectify_by: dt.date | None = None, score=None) -> Recheck:
    """回头看 of a named honour (or one under 限期整改): the inspection is recorded and the honour
    is kept (next re-check in RECHECK_YEARS), given until `rectify_by` to put things right, or
    revoked."""
    scope.require(actor, "honours.approve", honour.org.path)
    if honour.status not in (HonourStatus.NAMED, HonourStatus.RECHECK, HonourStatus.RECTIFY):
        raise ServiceError("只有已命名（或限期整改中）的荣誉才能回头看。", field="outcome")
    if outcome not in RecheckOutcome.values:
        raise ServiceError("请选择结论（保留/限期整改/撤销）。", field="outcome")
    if not (inspector or "").strip():
        raise ServiceError("请填写检查单位或人员。", field="inspector")
    if not (findings or "").strip():
        raise ServiceError("请填写检查情况。", field="findings")
    if outcome == RecheckOutcome.RECTIFY:
        if honour.status == HonourStatus.RECTIFY:
            raise ServiceError("该荣誉已在限期整改中，整改期满请作出保留或撤销的结论。", field="outcome")
        if rectify_by is None or rectify_by <= on:
            raise ServiceError("限期整改须填写晚于检查日期的整改期限。", field="rectify_by")
    elif rectify_by is not None:
        raise ServiceError("只有限期整改才填写整改期限。", field="rectify_by")
    value = None
    if score not in (None, ""):
        value = _money(score, "检查得分", "score")
    if honour.status == HonourStatus.NAMED:
        _move(actor, honour, HonourStatus.RECHECK, on, "回头看")
    to = {RecheckOutcome.KEEP: HonourStatus.NAMED, RecheckOutcome.RECTIFY: HonourStatus.RECTIFY,
          RecheckOutcome.REVOKE: HonourStatus.REVOKED}[outcome]
    _move(actor, honour, to, on, findings.strip())
    if outcome == RecheckOutcome.RECTIFY:
        honour.recheck_on = rectify_by
        honour.save(update_fields=["recheck_on"])
    recheck = Recheck.objects.create(honour=honour, on=on, inspector=inspector.strip(), findings=findings.strip(),
                                     outcome=outcome, rectify_by=rectify_by, score=value)
    audit.record(actor=actor, action="honours.honour.rechecked", obj=honour,
                 changes={"outcome": outcome, "on": on, "rectify_by": rectify_by})
    return recheck


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# --- 职工之家 -------------------------------------------------------------------------------------

@transaction.atomic
def home_rate(*, actor, org: Org, level: str, rated_on: dt.date, issuer: str = "") -> HomeRating:
    """职工之家评定 of a grass-roots union; the new rating replaces the one in force."""
    scope.require(actor, "honours.change", org.path)
    if org.org_type not in GRASSROOTS_TYPES:
        raise ServiceError("职工之家只能评定基层工会。", field="org")
    if level not in HomeLevel.values:
        raise ServiceError("请选择职工之家级别。", field="level")
    current = HomeRating.objects.filter(org=org, revoked_on__isnull=True).first()
    if current is not None:
        if rated_on <= current.rated_on:
            raise ServiceError(f"该工会已于{current.rated_on:%Y-%m-%d}评为{current.get_level_display()}，"
                               "新的评定日期应晚于此日期。", field="rated_on")
        current.revoked_on, current.recheck_on, current.rectify_by = rated_on, None, None
        current.save(update_fields=["revoked_on", "recheck_on", "rectify_by"])
    rating = HomeRating.objects.create(org=org, org_path=path_on(org, rated_on), level=level, rated_on=rated_on,
                                       issuer=(issuer or "").strip(),
                                       recheck_on=_add_years(rated_on, int(conf.get("RECHECK_YEARS"))))
    audit.record(actor=actor, action="honours.home.rated", obj=rating, changes={"level": level, "rated_on": rated_on})
    return rating


@transaction.atomic
def home_revoke(*, actor, rating: HomeRating, on: dt.date) -> HomeRating:
    scope.require(actor, "honours.change", rating.org.path)
    if rating.revoked_on is not None:
        raise ServiceError("该评定已撤销。")
    if on < rating.rated_on:
        raise ServiceError("撤销日期不能早于命名日期。", field="on")
    rating.revoked_on, rating.recheck_on, rating.rectify_by = on, None, None
    rating.save(update_fields=["revoked_on", "recheck_on", "rectify_by"])
    audit.record(actor=actor, action="honours.home.revoked", obj=rating, changes={"revoked_on": on})
    return rating


@transaction.atomic
def home_recheck(*, actor, rating: HomeRating, on: dt.date, inspector: str, findings: str, outcome: str,
                 rectify_by: dt.date | None = None, score=None) -> HomeRecheck:
    """回头看 of a 职工之家 rating in force, with the honours' outcomes: 保留 (next 回头看 in
    RECHECK_YEARS), 限期整改 until `rectify_by` (then keep or revoke), or 撤销 on the inspection date."""
    scope.require(actor, "honours.approve", rating.org.path)
    rating = HomeRating.objects.select_for_update().get(pk=rating.pk)  # two inspectors at once: one outcome each
    if rating.revoked_on is not None:
        raise ServiceError(f"该评定已于{rating.revoked_on:%Y-%m-%d}撤销或被新的评定替代，不能回头看。", field="outcome")
    if on < rating.rated_on:
        raise ServiceError(f"检查日期不能早于命名日期{rating.rated_on:%Y-%m-%d}。", field="on")
    if outcome not in RecheckOutcome.values:
        raise ServiceError("请选择结论（保留/限期整改/撤销）。", field="outcome")
    if not (inspector or "").strip():
        raise ServiceError("请填写检查单位或人员。", field="inspector")
    if not (findings or "").strip():
        raise ServiceError("请填写检查情况。", field="findings")
    if outcome == RecheckOutcome.RECTIFY:
        if rating.rectify_by is not None:
            raise ServiceError("该职工之家已在限期整改中，整改期满请作出保留或撤销的结论。", field="outcome")
        if rectify_by is None or rectify_by <= on:
            raise ServiceError("限期整改须填写晚于检查日期的整改期限。", field="rectify_by")
    elif rectify_by is not None:
        raise ServiceError("只有限期整改才填写整改期限。", field="rectify_by")
    value = None
    if score not in (None, ""):
        value = _money(score, "检查得分", "score")
    if outcome == RecheckOutcome.KEEP:
        rating.recheck_on, rating.rectify_by = _add_years(on, int(conf.get("RECHECK_YEARS"))), None
    elif outcome == RecheckOutcome.RECTIFY:
        rating.recheck_on = rating.rectify_by = rectify_by
    else:
        rating.revoked_on, rating.recheck_on, rating.rectify_by = on, None, None
    rating.save(update_fields=["revoked_on", "recheck_on", "rectify_by"])
    recheck = HomeRecheck.objects.create(rating=rating, on=on, inspector=inspector.strip(), findings=findings.strip(),
                                         outcome=outcome, rectify_by=rectify_by, score=value)
    audit.record(actor=actor, action="honours.home.rechecked", obj=rating,
                 changes={"outcome": outcome, "on": on, "rectify_by": rectify_by})
    return recheck


def rehome_honours_rows(org_ids: Collection[int], since: dt.date) -> None:
    """Re-homer (orgs.services.REHOMERS): care records, honours and ratings keep their union's path
    on their own date, also when a move of that org (or a federation above it) is entered later."""
    CareRecord.objects.filter(org_id__in=org_ids, served_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "served_on", "org_path"))
    Honour.objects.filter(org_id__in=org_ids, named_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "named_on", "org_path"))
    Honour.objects.filter(org_id__in=org_ids, named_on__isnull=True, applied_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "applied_on", "org_path"))
    HomeRating.objects.filter(org_id__in=org_ids, rated_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "rated_on", "org_path"))
    HomeSurvey.objects.filter(org_id__in=org_ids, held_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "held_on", "org_path"))
    Contest.objects.filter(org_id__in=org_ids, start_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "start_on", "org_path"))
    Innovation.objects.filter(org_id__in=org_ids, submitted_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "submitted_on", "org_path"))
    # Entries reach their date through the contest, which an UPDATE cannot join: one statement
    # per (union, contest start) that has entries.
    pairs = (Entry.objects.filter(org_id__in=org_ids, event__contest__start_on__gte=since)
             .values_list("org_id", "event__contest__start_on").distinct())
    orgs = {o.pk: o for o in Org.objects.filter(pk__in={org_id for org_id, _ in pairs})}
    for org_id, start in pairs:
        Entry.objects.filter(org_id=org_id, event__contest__start_on=start).update(
            org_path=path_on(orgs[org_id], start))


# --- indicator systems ---------------------------------------------------------------------------

def _weight(value, name: str) -> Decimal:
    try:
        weight = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ServiceError(f"指标“{name}”的分值“{value}”不是有效数字。", field="indicators") from exc
    if weight <= 0:
        raise ServiceError(f"指标“{name}”的分值应大于0。", field="indicators")
    return weight


def _check_tree(nodes: list[dict], total: Decimal, parent_name: str) -> None:
    """Each level's weights must add up to its parent's weight (the top level to the total)."""
    weights = [_weight(n.get("weight"), (n.get("name") or "").strip() or "（未命名）") for n in nodes]
    for n in nodes:
        if not (n.get("name") or "").strip():
            raise ServiceError(f"“{parent_name}”下有未填写名称的指标。", field="indicators")
    if nodes and sum(weights) != total:
        raise ServiceError(f"“{parent_name}”的下级指标分值合计{sum(weights)}，应等于{total}。", field="indicators")
    for n, w in zip(nodes, weights, strict=True):
        _check_tree(n.get("children") or [], w, n["name"].strip())


@transaction.atomic
def indicator_system_create(*, actor, org: Org, name: str, indicators: list[dict], honour_type: str = "",
                            total=100) -> IndicatorSystem:
    """指标体系: `indicators` is a tree of {"name", "weight", "children": [...]}; refused, naming the
    node, when a node's children do not add up to its weight."""
    scope.require(actor, "honours.approve", org.path)
    if not (name or "").strip():
        raise ServiceError("请填写指标体系名称。", field="name")
    if honour_type and honour_type not in HonourType.values:
        raise ServiceError("荣誉类别不正确。", field="honour_type")
    total = _weight(total, name)
    if not indicators:
        raise ServiceError("请至少填写一项指标。", field="indicators")
    _check_tree(indicators, total, name.strip())
    system = IndicatorSystem.objects.create(org=org, name=name.strip(), honour_type=honour_type, total=total)

    def save(nodes, parent, depth):
        for i, n in enumerate(nodes):
            node = Indicator.objects.create(system=system, parent=parent, name=n["name"].strip(),
                                            weight=_weight(n["weight"], n["name"]), depth=depth, order=i)
            save(n.get("children") or [], node, depth + 1)

    save(indicators, None, 1)
    audit.record(actor=actor, action="honours.indicators.created", obj=system,
                 changes={"name": system.name, "total": total, "count": system.indicators.count()})
    return system


# --- 会员评家 ------------------------------------------------------------------------------------

@transaction.atomic
def survey_create(*, actor, org: Org, name: str, held_on: dt.date, items: list[str], threshold=None) -> HomeSurvey:
    scope.require(actor, "honours.change", org.path)
    if org.org_type not in GRASSROOTS_TYPES:
        raise ServiceError("会员评家只在基层工会开展。", field="org")
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise ServiceError("请至少填写一个测评项目。", field="items")
    if len(set(items)) != len(items):
        raise ServiceError("测评项目有重复。", field="items")
    survey = HomeSurvey.objects.create(
        org=org, org_path=path_on(org, held_on), name=(name or "").strip() or f"{held_on.year}年会员评家",
        held_on=held_on, items=items,
        threshold=_money(threshold if threshold not in (None, "") else conf.get("SURVEY_PASS_RATE"), "合格满意率",
                         "threshold"))
    audit.record(actor=actor, action="honours.survey.created", obj=survey, changes={"name": survey.name,
                                                                                   "items": items})
    return survey


VERDICT_BY_LABEL = {label: value for value, label in Verdict.choices}


@transaction.atomic
def survey_answers_add(*, actor, survey: HomeSurvey, questionnaires: list[dict], online: bool = False) -> int:
    """Enter questionnaires in bulk (paper forms): each {item: 满意|基本满意|不满意}; an item left out
    is not a valid answer. An answer outside the scale refuses the whole batch, naming the form."""
    scope.require(actor, "honours.change", survey.org.path)
    rows = []
    for n, q in enumerate(questionnaires, start=1):
        counts = {v: 0 for v in Verdict.values}
        answers = {}
        for item, answer in q.items():
            if item not in survey.items:
                raise ServiceError(f"第{n}份问卷：“{item}”不是本次测评的项目。", field="answers")
            if answer in (None, ""):
                continue
            verdict = VERDICT_BY_LABEL.get(str(answer).strip(), str(answer).strip())
            if verdict not in Verdict.values:
                raise ServiceError(f"第{n}份问卷“{item}”一项的回答“{answer}”不在量表内（满意/基本满意/不满意）。",
                                   field="answers")
            counts[verdict] += 1
            answers[item] = verdict
        if not answers:
            raise ServiceError(f"第{n}份问卷没有有效回答。", field="answers")
        rows.append(SurveyResponse(survey=survey, answers=answers, online=online, satisfied=counts["satisfied"],
                                   basic=counts["basic"], unsatisfied=counts["unsatisfied"]))
    SurveyResponse.objects.bulk_create(rows)
    audit.record(actor=actor, action="honours.survey.answered", obj=survey, changes={"count": len(rows)})
    return len(rows)


def survey_result(survey: HomeSurvey) -> dict:
    """满意率 = (满意 + 基本满意) ÷ valid answers, and whether it reaches the survey's threshold."""
    from django.db.models import Sum

    from gonghui.core.metrics import percent

    t = survey.responses.aggregate(s=Sum("satisfied"), b=Sum("basic"), u=Sum("unsatisfied"))
    good, valid = (t["s"] or 0) + (t["b"] or 0), (t["s"] or 0) + (t["b"] or 0) + (t["u"] or 0)
    rate = percent(good, valid)
    return {"good": good, "valid": valid, "rate": rate, "passed": rate is not None and rate >= survey.threshold,
            "forms": survey.responses.count()}


# --- competitions --------------------------------------------------------------------------------

@transaction.atomic
def contest_create(*, actor, org: Org, name: str, kind: str, start_on: dt.date, end_on: dt.date,
                   events: list[str] = ()) -> Contest:
    scope.require(actor, "honours.change", org.path)
    if not (name or "").strip():
        raise ServiceError("请填写竞赛名称。", field="name")
    if kind not in ContestKind.values:
        raise ServiceError("请选择竞赛类别。", field="kind")
    if end_on < start_on:
        raise ServiceError("结束日期不能早于开始日期。", field="end_on")
    contest = Contest.objects.create(org=org, org_path=path_on(org, start_on), name=name.strip(), kind=kind,
                                     start_on=start_on, end_on=end_on)
    for e in events:
        event_add(actor=actor, contest=contest, name=e)
    audit.record(actor=actor, action="honours.contest.created", obj=contest, changes={"name": contest.name,
                                                                                     "kind": kind})
    return contest


@transaction.atomic
def event_add(*, actor, contest: Contest, name: str) -> ContestEvent:
    scope.require(actor, "honours.change", contest.org.path)
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写项目名称。", field="name")
    if contest.events.filter(name=name).exists():
        raise ServiceError(f"竞赛中已有项目“{name}”。", field="name")
    return ContestEvent.objects.create(contest=contest, name=name)


@transaction.atomic
def entry_add(*, actor, event: ContestEvent, org: Org, name: str, id_number: str = "", team: str = "", rank=None,
              score=None, award: str = "", title_earned: str = "", prize=0) -> Entry:
    """参赛: the participant's union must stand under the organiser (its scope); a member named by ID
    number must belong to a union under it too. One entry per person and event."""
    contest = event.contest
    scope.require(actor, "honours.change", contest.org.path)
    if not org.path.startswith(contest.org.path):
        raise ServiceError(f"参赛单位“{org.name}”不在竞赛组织单位“{contest.org.name}”的范围内。", field="org")
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写参赛者姓名。", field="name")
    person, cipher, id_hash, key = entry_identity(contest, org, name, id_number)
    if key and event.entries.filter(person_key=key).exists():
        raise ServiceError(f"{name}已报名项目“{event.name}”，不能重复报名。", field="name")
    team_ref = team_get_or_create(org, team) if (team or "").strip() else None
    entry = Entry.objects.create(event=event, org=org, org_path=path_on(org, contest.start_on), person=person,
                                 name=name, id_cipher=cipher, id_hash=id_hash, person_key=key or f"n{uuid.uuid4().hex}",
                                 team=(team or "").strip(), team_ref=team_ref, rank=rank or None,
                                 score=score, award=(award or "").strip(), title_earned=(title_earned or "").strip(),
                                 prize=_money(prize, "奖金", "prize"))
    if not key:
        entry.person_key = f"x{entry.pk}"
        entry.save(update_fields=["person_key"])
    audit.record(actor=actor, action="honours.entry.added", obj=entry,
                 changes={"name": name, "event": event.name, "award": entry.award, "prize": entry.prize})
    return entry


def entry_identity(contest: Contest, org: Org, name: str, id_number: str = ""):
    """(person, id cipher, id hash, key) of a participant: a member by ID number ("p<id>", who must
    belong under the organiser), a non-member by ID number (the first entry's "x<id>" key, '' when
    none yet), or a name within the union ("u<union>:<name>")."""
    if not (id_number or "").strip():
        return None, "", "", f"u{org.pk}:{name}"
    from gonghui.members.models import Person
    from gonghui.members.selectors import latest_membership

    parsed = parse_id_number(id_number)
    hashes = crypto.lookup_hashes(parsed.number)
    person = Person.objects.filter(id_hash__in=hashes).first()
    if person is not None:
        m = latest_membership(person)
        if m is None or not m.union.path.startswith(contest.org.path):
            raise ServiceError(f"{name}不是竞赛组织单位范围内的会员，不能参赛。", field="id_number")
        return person, "", "", f"p{person.pk}"
    # A non-member: the number is kept encrypted with its lookup hash; the identity is the first
    # entry's, so one person in two events counts once.
    first = (Entry.objects.filter(id_hash__in=hashes, person__isnull=True).order_by("id")
             .values_list("person_key", flat=True).first())
    return None, crypto.encrypt(parsed.number), crypto.lookup_hash(parsed.number), first or ""


RESULT_FIELDS = ("rank", "score", "award", "title_earned", "prize")


@transaction.atomic
def entry_result(*, actor, entry: Entry, rank=None, score=None, award: str = "", title_earned: str = "",
                 prize=0) -> bool:
    """登记成绩 of an entry (rank, score, award, title earned, prize money); False when nothing changed."""
    scope.require(actor, "honours.change", entry.event.contest.org.path)
    new = {"rank": rank or None, "score": None if score in (None, "") else Decimal(str(score)).quantize(CENT),
           "award": (award or "").strip(), "title_earned": (title_earned or "").strip(),
           "prize": _money(prize, "奖金", "prize")}
    changes = {k: v for k, v in new.items() if getattr(entry, k) != v}
    if not changes:
        return False
    for k, v in changes.items():
        setattr(entry, k, v)
    entry.save(update_fields=list(changes))
    audit.record(actor=actor, action="honours.entry.result", obj=entry, changes={"name": entry.name, **changes})
    return True


# --- teams, 合理化建议 and 技术创新 ------------------------------------------------------------

def team_get_or_create(org: Org, name: str) -> Team:
    """The union's team of that name, made on first use (a contest entry or an honour naming it)."""
    name = name.strip()
    if len(name) > 100:
        raise ServiceError(f"班组/集体名称“{name[:20]}…”超过100个字。", field="team")
    team, _ = Team.objects.get_or_create(org=org, name=name)
    return team


def team_named(org: Org, name: str) -> Team:
    """The team a form names for `org`: its own of that name, else the only one of that name in a
    union under it (the picker offers those too), else a new team of `org`."""
    name = (name or "").strip()
    own = Team.objects.filter(org=org, name=name).first()
    if own is not None:
        return own
    below = list(Team.objects.filter(scope.subtree_q("org__path", org.path), name=name).select_related("org")[:2])
    if len(below) > 1:
        raise ServiceError(f"{org.name}下属有多个名为“{name}”的班组/集体，请选择其所属工会作为申报单位。", field="team")
    return below[0] if below else team_get_or_create(org, name)


@transaction.atomic
def team_create(*, actor, org: Org, name: str, kind: str = TeamKind.SQUAD, leader: str = "",
                member_count: int | None = None, founded_on: dt.date | None = None) -> Team:
    scope.require(actor, "honours.change", org.path)
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写班组/集体名称。", field="name")
    if kind not in TeamKind.values:
        raise ServiceError("请选择类别（班组/车间/项目组/其他集体）。", field="kind")
    if Team.objects.filter(org=org, name=name).exists():
        raise ServiceError(f"{org.name}已有名为“{name}”的班组/集体。", field="name")
    team = Team.objects.create(org=org, name=name, kind=kind, leader=(leader or "").strip(), member_count=member_count,
                               founded_on=founded_on)
    audit.record(actor=actor, action="honours.team.created", obj=team, changes={"name": name, "kind": kind})
    return team


@transaction.atomic
def innovation_add(*, actor, org: Org, kind: str, title: str, proposer: str, submitted_on: dt.date,
                   team: Team | None = None) -> Innovation:
    """登记合理化建议或技术创新成果 of a union (by a person or one of its teams)."""
    scope.require(actor, "honours.change", org.path)
    if kind not in InnovationKind.values:
        raise ServiceError("请选择类别（合理化建议/技术创新成果）。", field="kind")
    if not (title or "").strip():
        raise ServiceError("请填写名称。", field="title")
    if not (proposer or "").strip() and team is None:
        raise ServiceError("请填写提出人，或选择班组/集体。", field="proposer")
    if submitted_on is None:
        raise ServiceError("请填写提出日期。", field="submitted_on")
    if submitted_on > clock.today():
        raise ServiceError("提出日期不能晚于今天。", field="submitted_on")
    if team is not None and not team.org.path.startswith(org.path):
        raise ServiceError(f"班组/集体“{team.name}”不属于{org.name}。", field="team")
    item = Innovation.objects.create(org=org, org_path=path_on(org, submitted_on), kind=kind, title=title.strip(),
                                     proposer=(proposer or "").strip() or team.name, team=team,
                                     submitted_on=submitted_on)
    audit.record(actor=actor, action="honours.innovation.added", obj=item,
                 changes={"kind": kind, "title": item.title, "submitted_on": submitted_on})
    return item


@transaction.atomic
def innovation_decide(*, actor, item: Innovation, adopted: bool, on: dt.date, benefit=0, reward=0) -> Innovation:
    """采纳 (with the benefit it brought and the reward paid) or 不采纳, once."""
    scope.require(actor, "honours.change", item.org.path)
    if item.status != InnovationStatus.SUBMITTED:
        raise ServiceError(f"“{item.title}”已{item.get_status_display()}，不能再次处理。", field="adopted")
    if on is None or on < item.submitted_on:
        raise ServiceError("处理日期不能早于提出日期。", field="on")
    item.status = InnovationStatus.ADOPTED if adopted else InnovationStatus.REJECTED
    item.decided_on = on
    item.benefit = _money(benefit, "创造经济效益", "benefit") if adopted else Decimal("0.00")
    item.reward = _money(reward, "奖励", "reward") if adopted else Decimal("0.00")
    item.save()
    audit.record(actor=actor, action="honours.innovation.decided", obj=item,
                 changes={"status": item.status, "on": on, "benefit": item.benefit, "reward": item.reward})
    return item
