"""Every write of the appraisal line: schemes and their indicators, self-scores, review scores,
publication of results; data-collection rounds and their submissions. Each service checks the
scope, validates with a Chinese message naming the field, and records the audit entry in the same
transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gonghui.core import audit, clock, scope
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import REGISTRY
from gonghui.core.periods import Period
from gonghui.core.workflow import Workflow
from gonghui.orgs.models import Org, OrgStatus

from . import forms_data, scoring, uploads
from .documents import rule_text
from .models import (
    KIND_TYPES,
    Appraisal,
    AppraisalStatus,
    Entry,
    Indicator,
    Recurrence,
    Round,
    RoundStatus,
    Scheme,
    SchemeStatus,
    Submission,
    SubmissionStatus,
    Upload,
)

CHANGE = "appraisal.change"

SCHEME_FLOW = Workflow.build(SchemeStatus, {
    SchemeStatus.DRAFT: {SchemeStatus.ISSUED},
    SchemeStatus.ISSUED: {SchemeStatus.PUBLISHED, SchemeStatus.SUPERSEDED}})
APPRAISAL_FLOW = Workflow.build(AppraisalStatus, {
    AppraisalStatus.OPEN: {AppraisalStatus.SUBMITTED},
    AppraisalStatus.SUBMITTED: {AppraisalStatus.REVIEWED, AppraisalStatus.PUBLISHED},
    AppraisalStatus.REVIEWED: {AppraisalStatus.PUBLISHED}})
SUBMISSION_FLOW = Workflow.build(SubmissionStatus, {
    SubmissionStatus.PENDING: {SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED},
    SubmissionStatus.DRAFT: {SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED},
    SubmissionStatus.RETURNED: {SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED},
    SubmissionStatus.SUBMITTED: {SubmissionStatus.RETURNED, SubmissionStatus.ACCEPTED}})


def _text(value, what: str, field: str, max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"请填写{what}。", field=field)
    if len(value) > max_length:
        raise ServiceError(f"{what}最多{max_length}个字。", field=field)
    return value


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ServiceError("考核年度应为四位年份。", field="year") from None
    if not 2000 <= year <= clock.today().year + 1:
        raise ServiceError(f"考核年度 {year} 不在 2000～{clock.today().year + 1} 年之间。", field="year")
    return year


# ---------------------------------------------------------------- schemes

def _scheme_fields(year, title, target_type, total_score, grades, tie_break) -> dict:
    if target_type not in KIND_TYPES:
        raise ServiceError("请选择考核对象。", field="target_type")
    total = scoring.dec(total_score, "总分", "total_score")
    if total <= 0:
        raise ServiceError("总分应大于 0。", field="total_score")
    return {"year": _year(year), "title": _text(title, "方案名称", "title"), "target_type": target_type,
            "total_score": total, "grades": scoring.clean_grades(grades), "tie_break": (tie_break or "").strip()}


@transaction.atomic
def scheme_create(*, actor, org: Org, year, title: str, target_type: str, total_score, grades,
                  tie_break: str = "") -> Scheme:
    scope.require(actor, CHANGE, org.path)
    fields = _scheme_fields(year, title, target_type, total_score, grades, tie_break)
    scheme = Scheme.objects.create(org=org, org_path=org.path, **fields)
    audit.record(actor=actor, action="appraisal.scheme.created", obj=scheme,
                 changes={"title": scheme.title, "year": scheme.year, "total": str(scheme.total_score)})
    return scheme


@transaction.atomic
def scheme_update(*, actor, scheme: Scheme, year, title: str, target_type: str, total_score, grades,
                  tie_break: str = "") -> Scheme:
    """Change a scheme until it is issued (its indicators are changed one by one); an issued
    scheme is changed through a new version (scheme_new_version)."""
    scope.require(actor, CHANGE, scheme.org_path)
    if scheme.status != SchemeStatus.DRAFT:
        raise ServiceError(f"方案“{scheme.title}”已下达，不能直接修改；请“修订为新版本”。")
    fields = _scheme_fields(year, title, target_type, total_score, grades, tie_break)
    changes = {}
    for name, value in fields.items():
        old = getattr(scheme, name)
        if str(old) != str(value):
            changes[name] = [str(old), str(value)]
        setattr(scheme, name, value)
    scheme.save(update_fields=list(fields))
    audit.record(actor=actor, action="appraisal.scheme.updated", obj=scheme, changes=changes)
    return scheme


@transaction.atomic
def scheme_new_version(*, actor, scheme: Scheme) -> Scheme:
    """修订: a draft copy of an issued scheme (its indicators as they are) to be changed and issued
    in its place; the units keep their self-scores where an indicator stays the same."""
    scope.require(actor, CHANGE, scheme.org_path)
    if scheme.status != SchemeStatus.ISSUED:
        raise ServiceError("只有已下达、尚未公布结果的方案可以修订为新版本。" if scheme.status != SchemeStatus.DRAFT
                           else "方案尚未下达，可直接修改。")
    pending = Scheme.objects.filter(previous=scheme, status=SchemeStatus.DRAFT).first()
    if pending is not None:
        raise ServiceError(f"该方案已有待下达的新版本（第{pending.version}版），请在其上修改。")
    new = Scheme.objects.create(
        org=scheme.org, org_path=scheme.org_path, year=scheme.year, title=scheme.title,
        target_type=scheme.target_type, total_score=scheme.total_score, grades=scheme.grades,
        tie_break=scheme.tie_break, version=scheme.version + 1, previous=scheme)
    made: dict[int, Indicator] = {}
    pending_inds = list(Indicator.objects.filter(scheme=scheme).order_by("position", "pk"))
    while pending_inds:  # parents before their children
        rest = []
        for ind in pending_inds:
            if ind.parent_id and ind.parent_id not in made:
                rest.append(ind)
                continue
            made[ind.pk] = Indicator.objects.create(
                scheme=new, parent=made.get(ind.parent_id), code=ind.code, name=ind.name, max_score=ind.max_score,
                rule_type=ind.rule_type, params=ind.params, metric_code=ind.metric_code, position=ind.position)
        if len(rest) == len(pending_inds):
            break
        pending_inds = rest
    audit.record(actor=actor, action="appraisal.scheme.versioned", obj=new,
                 changes={"title": new.title, "version": new.version, "indicators": len(made)})
    return new


def _draft(scheme: Scheme) -> None:
    if scheme.status != SchemeStatus.DRAFT:
        raise ServiceError(f"方案“{scheme.title}”已下达，指标不能再修改。")


@transaction.atomic
def indicator_save(*, actor, scheme: Scheme, code: str, name: str, max_score, rule_type: str, params=None,
                   metric_code: str = "", parent: Indicator | None = None, position: int | None = None,
                   indicator: Indicator | None = None) -> Indicator:
    """Add or change one indicator of a draft scheme; its parameters are checked by `scoring`
    (the weights are checked as a whole when the scheme is issued)."""
    scope.require(actor, CHANGE, scheme.org_path)
    _draft(scheme)
    code, name = _text(code, "指标编号", "code", 40), _text(name, "指标名称", "name")
    node = scoring.Node(code, name, scoring.dec(max_score, "分值", "max_score"), rule_type, params or {})
    cleaned = scoring.clean_params(node)
    metric_code = (metric_code or "").strip()
    if metric_code and metric_code not in REGISTRY:
        raise ServiceError(f"指标“{code} {name}”的取数指标“{metric_code}”不存在。", field="metric_code")
    if metric_code and rule_type == scoring.MANUAL:
        raise ServiceError(f"指标“{code} {name}”为人工评分，不能绑定取数指标。", field="metric_code")
    if parent is not None and (parent.scheme_id != scheme.pk or (indicator and parent.pk == indicator.pk)):
        raise ServiceError("上级指标须是本方案的另一个指标。", field="parent")
    clash = Indicator.objects.filter(scheme=scheme, code=code)
    if indicator is not None:
        clash = clash.exclude(pk=indicator.pk)
    if clash.exists():
        raise ServiceError(f"指标编号“{code}”重复。", field="code")
    ind = indicator or Indicator(scheme=scheme)
    ind.parent, ind.code, ind.name, ind.max_score = parent, code, name, node.max_score
    ind.rule_type, ind.params, ind.metric_code = rule_type, cleaned, metric_code
    if position is not None:
        ind.position = position
    elif indicator is None:
        ind.position = Indicator.objects.filter(scheme=scheme).count() + 1
    ind.save()
    audit.record(actor=actor, action="appraisal.indicator.saved", obj=ind,
                 # The rule in words and the figure by its name: the audit log is read by people.
                 changes={"code": code, "name": name, "max_score": str(node.max_score), "rule_type": rule_type,
                          "params": rule_text(ind),
                          "metric_code": REGISTRY[metric_code].label if metric_code else ""})
    return ind


@transaction.atomic
def indicator_remove(*, actor, indicator: Indicator) -> None:
    scheme = indicator.scheme
    scope.require(actor, CHANGE, scheme.org_path)
    _draft(scheme)
    if indicator.children.exists():
        raise ServiceError(f"指标“{indicator}”有下级指标，请先删除下级指标。")
    audit.record(actor=actor, action="appraisal.indicator.removed", obj=indicator, changes={"code": indicator.code})
    indicator.delete()


def nodes_of(scheme: Scheme) -> list[scoring.Node]:
    return [i.node() for i in Indicator.objects.filter(scheme=scheme).select_related("parent")]


def check_scheme(scheme: Scheme) -> None:
    nodes = nodes_of(scheme)
    if not nodes:
        raise ServiceError("方案还没有考核指标。")
    scoring.check_tree(nodes, scheme.total_score)
    if scheme.tie_break and scheme.tie_break not in {n.code for n in nodes}:
        raise ServiceError(f"同分时比较的指标“{scheme.tie_break}”不是本方案的指标。", field="tie_break")


def targets_of(scheme: Scheme, today: dt.date):
    """The subordinates the scheme appraises: the issuer's direct subordinates of its target type
    that are not dissolved."""
    return (Org.objects.filter(path__startswith=scheme.org_path, depth=scheme.org.depth + 1,
                               org_type__in=KIND_TYPES[scheme.target_type])
            .exclude(status=OrgStatus.DISSOLVED).order_by("path"))


@transaction.atomic
def scheme_issue(*, actor, scheme: Scheme) -> int:
    """Check the whole tree (weights, rules, tie-break) and open one appraisal per subordinate."""
    scope.require(actor, CHANGE, scheme.org_path)
    SCHEME_FLOW.check(scheme.status, SchemeStatus.ISSUED, "下达方案")
    check_scheme(scheme)
    today = clock.today()
    orgs = list(targets_of(scheme, today))
    if not orgs:
        raise ServiceError(f"{scheme.org.name}下没有“{scheme.get_target_type_display()}”。",
                           field="target_type")
    old = scheme.previous
    if old is not None and old.status != SchemeStatus.ISSUED:
        raise ServiceError(f"上一版本的状态为“{old.get_status_display()}”，本版本不能再下达。")
    appraisals = Appraisal.objects.bulk_create([Appraisal(scheme=scheme, org=o, org_path=o.path) for o in orgs])
    indicators = list(Indicator.objects.filter(scheme=scheme))
    parents = {i.parent_id for i in indicators}
    leaves = [i for i in indicators if i.pk not in parents]
    Entry.objects.bulk_create([Entry(appraisal=a, indicator=i) for a in appraisals for i in leaves])
    carried = _carry_over(old, scheme) if old is not None else 0
    scheme.status, scheme.issued_on = SchemeStatus.ISSUED, today
    scheme.save(update_fields=["status", "issued_on"])
    audit.record(actor=actor, action="appraisal.scheme.issued", obj=scheme,
                 changes={"orgs": len(orgs), "version": scheme.version, "carried": carried})
    return len(orgs)


def _carry_over(old: Scheme, new: Scheme) -> int:
    """The previous version is replaced: each unit's facts, self-scores, evidence and files move
    to the new version's entry of the same indicator (same code and rule, not taken from the
    registry). Every appraisal starts again as 自评中: the indicators may have changed."""
    SCHEME_FLOW.check(old.status, SchemeStatus.SUPERSEDED, "替代上一版本")
    new_entries = {(e.appraisal.org_id, e.indicator.code): e for e in Entry.objects.filter(
        appraisal__scheme=new).select_related("appraisal", "indicator")}
    moved = []
    for e in Entry.objects.filter(appraisal__scheme=old).select_related("appraisal", "indicator"):
        target = new_entries.get((e.appraisal.org_id, e.indicator.code))
        if (target is None or target.indicator.rule_type != e.indicator.rule_type or target.indicator.metric_code
                or (e.value is None and e.self_score is None and not e.evidence)):
            continue
        target.value, target.self_score, target.evidence = e.value, e.self_score, e.evidence
        moved.append(target)
        Upload.objects.filter(entry=e).update(entry=target)
    Entry.objects.bulk_update(moved, ["value", "self_score", "evidence"], batch_size=500)
    old.status = SchemeStatus.SUPERSEDED
    old.save(update_fields=["status"])
    return len(moved)


def _open_appraisal(a: Appraisal) -> None:
    if a.scheme.status != SchemeStatus.ISSUED:
        raise ServiceError({SchemeStatus.PUBLISHED: "考核结果已公布，不能再修改。",
                            SchemeStatus.SUPERSEDED: "该方案已被新版本替代，请在新版本中自评和评分。"}.get(
                                a.scheme.status, "方案尚未下达。"))


@transaction.atomic
def entry_upload(*, actor, entry: Entry, name: str, content: bytes) -> Upload:
    """A file of evidence for a self-score (photo, minutes, contract), while the unit self-scores."""
    a = entry.appraisal
    scope.require(actor, CHANGE, a.org_path)
    _open_appraisal(a)
    if a.status != AppraisalStatus.OPEN:
        raise ServiceError(f"{a.org.name}已提交自评，不能再上传佐证材料。")
    what = f"指标“{entry.indicator}”的佐证材料"
    name = uploads.check(name, content, what)
    if entry.uploads.count() >= uploads.MAX_PER_ENTRY:
        raise ServiceError(f"{what}最多{uploads.MAX_PER_ENTRY}个文件。", field="file")
    stored = uploads.write(name, content)
    try:
        up = Upload.objects.create(entry=entry, org_path=a.org_path, name=name, stored_name=stored,
                                   size=len(content), uploaded_by=actor)
        audit.record(actor=actor, action="appraisal.upload.added", obj=up,
                     changes={"code": entry.indicator.code, "name": name, "size": len(content)})
    except Exception:
        uploads.discard([stored])
        raise
    return up


@transaction.atomic
def upload_remove(*, actor, upload: Upload) -> None:
    """Remove an evidence file while the unit still self-scores (a form's file is replaced by
    uploading another)."""
    scope.require(actor, CHANGE, upload.org_path)
    if upload.entry_id is None:
        raise ServiceError("填报表单中的文件请在填报页重新上传替换。")
    a = upload.entry.appraisal
    _open_appraisal(a)
    if a.status != AppraisalStatus.OPEN:
        raise ServiceError(f"{a.org.name}已提交自评，不能再删除佐证材料。")
    audit.record(actor=actor, action="appraisal.upload.removed", obj=upload, changes={"name": upload.name})
    stored = upload.stored_name
    upload.delete()
    transaction.on_commit(lambda: uploads.discard([stored]))


@transaction.atomic
def entry_self_score(*, actor, entry: Entry, value=None, self_score=None, evidence: str = "") -> Entry:
    """The subordinate's own fact (a count or value for an indicator bound to evidence) or score
    (a manual one), with its evidence. Indicators taken from the registry take no self-entry."""
    a = entry.appraisal
    scope.require(actor, CHANGE, a.org_path)
    _open_appraisal(a)
    if a.status != AppraisalStatus.OPEN:
        raise ServiceError(f"{a.org.name}已提交自评，不能再修改。")
    ind = entry.indicator
    node = ind.node()
    if ind.metric_code:
        raise ServiceError(f"{node.title}从统计数据自动取数，不需自评。", field="value")
    old = {"value": entry.value, "self_score": entry.self_score}
    if ind.rule_type == scoring.MANUAL:
        entry.self_score = None if self_score in (None, "") else scoring.check_manual(node, self_score)
    else:
        v = None if value in (None, "") else scoring.dec(value, f"{node.title}的实际值", "value")
        if v is not None and v < 0:
            raise ServiceError(f"{node.title}的实际值不能为负数。", field="value")
        entry.value = v
        entry.self_score = None if v is None else scoring.leaf_score(node, scoring.Input(v))
    entry.evidence = (evidence or "").strip()[:2000]
    entry.save(update_fields=["value", "self_score", "evidence"])
    audit.record(actor=actor, action="appraisal.entry.self_scored", obj=entry,
                 changes={"code": ind.code, "value": [_s(old["value"]), _s(entry.value)],
                          "self_score": [_s(old["self_score"]), _s(entry.self_score)]})
    return entry


def _s(v):
    return None if v is None else str(v)


@transaction.atomic
def appraisal_submit(*, actor, appraisal: Appraisal) -> Appraisal:
    scope.require(actor, CHANGE, appraisal.org_path)
    _open_appraisal(appraisal)
    APPRAISAL_FLOW.check(appraisal.status, AppraisalStatus.SUBMITTED, "提交自评")
    missing = (appraisal.entries.filter(indicator__rule_type=scoring.MANUAL, self_score__isnull=True)
               .select_related("indicator").order_by("indicator__position").first())
    if missing is not None:
        raise ServiceError(f"指标“{missing.indicator}”尚未自评。")
    appraisal.status, appraisal.submitted_on = AppraisalStatus.SUBMITTED, clock.today()
    appraisal.save(update_fields=["status", "submitted_on"])
    audit.record(actor=actor, action="appraisal.appraisal.submitted", obj=appraisal)
    return appraisal


@transaction.atomic
def entry_review(*, actor, entry: Entry, review_score, reason: str = "") -> Entry:
    """The issuer's score; a score that differs from the self-score (or from the registry's
    result) needs the reason. An empty score clears the review."""
    a = entry.appraisal
    scope.require(actor, CHANGE, a.scheme.org_path)
    _open_appraisal(a)
    if a.status == AppraisalStatus.OPEN:
        raise ServiceError(f"{a.org.name}尚未提交自评。")
    node = entry.indicator.node()
    old = entry.review_score
    score = None if review_score in (None, "") else scoring.check_manual(node, review_score)
    reason = (reason or "").strip()
    if score is not None and entry.self_score is not None and score != entry.self_score and not reason:
        raise ServiceError(f"{node.title}的考核分与自评分不同，请填写调整理由。", field="reason")
    if score is not None and entry.indicator.metric_code and not reason:
        raise ServiceError(f"{node.title}按统计数据计分，调整须填写理由。", field="reason")
    entry.review_score, entry.reason = score, reason[:300]
    entry.save(update_fields=["review_score", "reason"])
    if a.status == AppraisalStatus.SUBMITTED:
        a.status = AppraisalStatus.REVIEWED
        a.save(update_fields=["status"])
    audit.record(actor=actor, action="appraisal.entry.reviewed", obj=entry,
                 changes={"code": entry.indicator.code, "review_score": [_s(old), _s(score)], "reason": reason})
    return entry


@transaction.atomic
def scheme_publish(*, actor, scheme: Scheme) -> list[Appraisal]:
    """Freeze the scores as they stand (registry values or the period lock's snapshot), set totals,
    grades and the ranking. Every appraisal must have been submitted."""
    from .live import score_scheme

    scope.require(actor, CHANGE, scheme.org_path)
    SCHEME_FLOW.check(scheme.status, SchemeStatus.PUBLISHED, "公布结果")
    waiting = scheme.appraisals.filter(status=AppraisalStatus.OPEN).select_related("org").order_by("org_path")
    if waiting.exists():
        names = "、".join(a.org.name for a in waiting[:5])
        raise ServiceError(f"尚有{waiting.count()}个单位未提交自评（{names}）。")
    result = score_scheme(scheme)
    entries = []
    for row in result.rows:
        a = row.appraisal
        a.total, a.grade, a.rank = row.outcome.total, row.outcome.grade, row.rank
        a.vetoed = "、".join(row.outcome.vetoed_by)[:200]
        a.status = AppraisalStatus.PUBLISHED
        for e in row.entries:
            e.value = row.values.get(e.indicator.code, e.value)
            e.final_score = row.outcome.scores.get(e.indicator.code)
            entries.append(e)
    Appraisal.objects.bulk_update([r.appraisal for r in result.rows], ["total", "grade", "rank", "vetoed", "status"])
    Entry.objects.bulk_update(entries, ["value", "final_score"])
    scheme.status, scheme.published_on = SchemeStatus.PUBLISHED, clock.today()
    scheme.save(update_fields=["status", "published_on"])
    audit.record(actor=actor, action="appraisal.scheme.published", obj=scheme,
                 changes={"orgs": len(result.rows), "locked": result.locked})
    return [r.appraisal for r in result.rows]


# ---------------------------------------------------------------- data-collection rounds

@transaction.atomic
def round_send(*, actor, org: Org, title: str, fields, period_start: dt.date, period_end: dt.date,
               deadline: dt.date, orgs, instructions: str = "", copied_from: Round | None = None,
               recurrence: str = "") -> Round:
    """Send a form to the chosen subordinates: one pending submission each. With a recurrence the
    next period's round is sent by itself once that period begins (send_recurring)."""
    scope.require(actor, CHANGE, org.path)
    recurrence = _recurrence(recurrence, period_start, period_end)
    title = _text(title, "任务名称", "title")
    cleaned = forms_data.clean_fields(fields)
    Period(period_start, period_end)
    today = clock.today()
    if deadline < today:
        raise ServiceError(f"截止日期 {deadline} 已过。", field="deadline")
    orgs = list(orgs)
    if not orgs:
        raise ServiceError("请选择至少一个填报单位。", field="orgs")
    for o in orgs:
        if not o.path.startswith(org.path) or o.path == org.path:
            raise ServiceError(f"{o.name}不是{org.name}的下级，不能向其下发。", field="orgs")
    r = Round.objects.create(org=org, org_path=org.path, title=title, instructions=(instructions or "").strip(),
                             fields=cleaned, period_start=period_start, period_end=period_end, deadline=deadline,
                             sent_on=today, copied_from=copied_from, recurrence=recurrence)
    Submission.objects.bulk_create([Submission(round=r, org=o, org_path=o.path) for o in orgs], batch_size=500)
    audit.record(actor=actor, action="appraisal.round.copied" if copied_from else "appraisal.round.sent", obj=r,
                 changes={"title": title, "orgs": len(orgs), "deadline": deadline.isoformat(),
                          **({"recurrence": Recurrence(recurrence).label} if recurrence else {})})
    return r


def round_copy(*, actor, source: Round, title: str, period_start, period_end, deadline,
               recurrence: str | None = None) -> Round:
    """The same form to the same units for a next period (a weekly or monthly report); the copy
    carries the source's recurrence on unless told otherwise."""
    orgs = Org.objects.filter(pk__in=source.submissions.values("org_id")).exclude(status=OrgStatus.DISSOLVED)
    return round_send(actor=actor, org=source.org, title=title, fields=source.fields, period_start=period_start,
                      period_end=period_end, deadline=deadline, orgs=orgs, instructions=source.instructions,
                      copied_from=source, recurrence=source.recurrence if recurrence is None else recurrence)


# ---------------------------------------------------------------- recurring rounds

def _recurrence(value, start: dt.date, end: dt.date) -> str:
    value = (value or "").strip()
    if value not in Recurrence.values:
        raise ServiceError("自动下发的周期无效。", field="recurrence")
    if value and next_period(value, start, end) is None:
        raise ServiceError(f"按“{Recurrence(value).label}”自动下发，统计期间须是完整的一"
                           f"{ {'weekly': '周（周一至周日）', 'monthly': '个月', 'quarterly': '个季度', 'yearly': '年'}[value]}。",
                           field="recurrence")
    return value


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return d.replace(year=d.year + y, month=m + 1, day=1)


def next_period(recurrence: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The period after [start, end] when it is a whole week (Monday–Sunday), month, quarter or
    year as the recurrence says; None when it is not."""
    if recurrence == Recurrence.WEEKLY:
        if start.weekday() != 0 or end != start + dt.timedelta(days=6):
            return None
        return start + dt.timedelta(days=7), end + dt.timedelta(days=7)
    months = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}.get(recurrence)
    if months is None or start.day != 1 or (start.month - 1) % months:
        return None
    if end != _add_months(start, months) - dt.timedelta(days=1):
        return None
    nxt = _add_months(start, months)
    return nxt, _add_months(nxt, months) - dt.timedelta(days=1)


def period_label(recurrence: str, start: dt.date) -> str:
    if recurrence == Recurrence.WEEKLY:
        return f"{start:%Y年%-m月%-d日}起一周"
    if recurrence == Recurrence.MONTHLY:
        return f"{start.year}年{start.month}月"
    if recurrence == Recurrence.QUARTERLY:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年度"


def next_title(r: Round, start: dt.date) -> str:
    """The previous title with its period's name replaced, or the new period's name added."""
    old, new = period_label(r.recurrence, r.period_start), period_label(r.recurrence, start)
    title = r.title.replace(old, new) if old in r.title else f"{r.title}（{new}）"
    return title[:200]


@transaction.atomic
def round_set_recurrence(*, actor, round: Round, recurrence: str) -> Round:
    """Start or stop sending this round again each period (stopping ends the series here)."""
    scope.require(actor, CHANGE, round.org_path)
    old = round.recurrence
    round.recurrence = _recurrence(recurrence, round.period_start, round.period_end)
    round.save(update_fields=["recurrence"])
    audit.record(actor=actor, action="appraisal.round.recurrence", obj=round,
                 changes={"recurrence": [Recurrence(old).label, Recurrence(round.recurrence).label]})
    return round


def send_recurring(today: dt.date | None = None) -> list[Round]:
    """The daily run (`gonghui remind`): for every recurring round that is the last of its series
    and whose next period has begun, send the next period's round to the same units, the deadline
    as many days after the period as before. Idempotent: a round is followed once."""
    from django.db.models import Exists, OuterRef

    today = today or clock.today()
    followed = Round.objects.filter(copied_from=OuterRef("pk"))
    made = []
    for r in (Round.objects.exclude(recurrence="").filter(~Exists(followed), period_end__lt=today)
              .select_related("org").order_by("period_end", "pk")):
        current = r
        while True:  # a run missed for a while catches up period by period
            nxt = next_period(current.recurrence, current.period_start, current.period_end)
            if nxt is None or nxt[0] > today:
                break
            start, end = nxt
            deadline = max(end + (current.deadline - current.period_end), today)
            with transaction.atomic():
                current = round_copy(actor=None, source=current, title=next_title(current, start), period_start=start,
                                     period_end=end, deadline=deadline)
            made.append(current)
            if current.period_end >= today:
                break
    return made


@transaction.atomic
def round_close(*, actor, round: Round) -> Round:
    scope.require(actor, CHANGE, round.org_path)
    if round.status == RoundStatus.CLOSED:
        raise ServiceError("该填报任务已截止。")
    round.status = RoundStatus.CLOSED
    round.save(update_fields=["status"])
    audit.record(actor=actor, action="appraisal.round.closed", obj=round)
    return round


def is_open_for(sub: Submission, today: dt.date) -> bool:
    r = sub.round
    return sub.reopened or (r.status == RoundStatus.OPEN and today <= r.deadline)


def _fill(actor, sub: Submission, data: dict, target: str, action: str, files=None) -> Submission:
    """Check everything (each new file's type and size, then every field) before anything is
    kept; a file field keeps the file uploaded before unless a new one is given."""
    scope.require(actor, CHANGE, sub.org_path)
    today = clock.today()
    SUBMISSION_FLOW.check(sub.status, target, "提交" if target == SubmissionStatus.SUBMITTED else "保存草稿")
    if not is_open_for(sub, today):
        raise ServiceError(f"填报任务“{sub.round.title}”已于 {sub.round.deadline} 截止，需发起单位允许补报后才能填报。")
    files = files or {}
    data = dict(data)
    new_files = {}
    for f in sub.round.fields:
        if f["kind"] != "file":
            continue
        given = files.get(f["key"])
        if given is not None:
            name, content = given
            new_files[f["key"]] = (uploads.check(name, content, f"“{f['label']}”的文件", f.get("max_mb", uploads.MAX_MB),
                                                 field="data"), content)
            data[f["key"]] = new_files[f["key"]][0]
        else:
            data[f["key"]] = sub.data.get(f["key"], "")
    cleaned = forms_data.clean_data(sub.round.fields, data, complete=target == SubmissionStatus.SUBMITTED)
    written, replaced = [], []
    try:
        for key, (name, content) in new_files.items():
            stored = uploads.write(name, content)
            written.append(stored)
            for old in Upload.objects.filter(submission=sub, field_key=key):
                replaced.append(old.stored_name)
                old.delete()
            Upload.objects.create(submission=sub, field_key=key, org_path=sub.org_path, name=name, stored_name=stored,
                                  size=len(content), uploaded_by=actor)
        sub.data, sub.status = cleaned, target
        if target == SubmissionStatus.SUBMITTED:
            sub.submitted_at, sub.submitted_by, sub.reason = timezone.now(), actor, ""
        sub.save()
        audit.record(actor=actor, action=action, obj=sub,
                     changes={"title": sub.round.title, **({"files": sorted(n for n, _ in new_files.values())}
                                                          if new_files else {})})
    except Exception:
        uploads.discard(written)
        raise
    if replaced:
        transaction.on_commit(lambda: uploads.discard(replaced))
    return sub


@transaction.atomic
def submission_save(*, actor, submission: Submission, data: dict, files=None) -> Submission:
    return _fill(actor, submission, data, SubmissionStatus.DRAFT, "appraisal.submission.saved", files)


@transaction.atomic
def submission_submit(*, actor, submission: Submission, data: dict, files=None) -> Submission:
    return _fill(actor, submission, data, SubmissionStatus.SUBMITTED, "appraisal.submission.submitted", files)


@transaction.atomic
def submission_return(*, actor, submission: Submission, reason: str) -> Submission:
    scope.require(actor, CHANGE, submission.round.org_path)
    SUBMISSION_FLOW.check(submission.status, SubmissionStatus.RETURNED, "退回")
    submission.reason = _text(reason, "退回理由", "reason", 300)
    submission.status = SubmissionStatus.RETURNED
    submission.save(update_fields=["reason", "status"])
    audit.record(actor=actor, action="appraisal.submission.returned", obj=submission,
                 changes={"reason": submission.reason})
    return submission


@transaction.atomic
def submission_accept(*, actor, submission: Submission, as_reported: bool = False) -> Submission:
    """Accept; with `as_reported`, the numbers of fields bound to a registry metric become that
    unit's reported values (上报值) for the round's period (needs stats.manage there)."""
    from gonghui.reports.services import reported_set

    r = submission.round
    scope.require(actor, CHANGE, r.org_path)
    SUBMISSION_FLOW.check(submission.status, SubmissionStatus.ACCEPTED, "采用")
    submission.status = SubmissionStatus.ACCEPTED
    submission.save(update_fields=["status"])
    taken = []
    if as_reported:
        for f in r.fields:
            value = submission.data.get(f["key"])
            if f.get("metric") and f["kind"] == "number" and value not in (None, ""):
                reported_set(actor=actor, org=submission.org, metric_code=f["metric"],
                             period=Period(r.period_start, r.period_end), value=value,
                             note=f"填报任务：{r.title}"[:200])
                taken.append(f["metric"])
    audit.record(actor=actor, action="appraisal.submission.accepted", obj=submission, changes={"metric": taken})
    return submission


@transaction.atomic
def submission_reopen(*, actor, submission: Submission) -> Submission:
    scope.require(actor, CHANGE, submission.round.org_path)
    if submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ServiceError(f"{submission.org.name}已提交，无需补报。")
    submission.reopened = True
    submission.save(update_fields=["reopened"])
    audit.record(actor=actor, action="appraisal.submission.reopened", obj=submission)
    return submission


@transaction.atomic
def round_remind(*, actor, round: Round) -> int:
    """催报: mark every unit that has not reported; their to-do list shows it (one UPDATE)."""
    from django.db.models import F

    from .models import NOT_REPORTED

    scope.require(actor, CHANGE, round.org_path)
    n = Submission.objects.filter(round=round, status__in=NOT_REPORTED).update(
        reminded_on=clock.today(), reminders=F("reminders") + 1)
    audit.record(actor=actor, action="appraisal.submission.reminded", obj=round, changes={"orgs": n})
    return n


def as_decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))
