"""Writes of the statistics work line: targets, reported values, period locks, templates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from gonghui.core import audit, clock, docx_templates, scope
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period

from .models import PeriodLock, ReportedValue, SummaryTemplate, Target


def _metric(code: str):
    if code not in REGISTRY:
        raise ServiceError(f"指标代码“{code}”不存在。", field="metric_code")
    return REGISTRY[code]


def _decimal(value, what: str, field: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        d = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation as exc:
        raise ServiceError(f"{what}“{value}”不是数字。", field=field) from exc
    if not d.is_finite() or d < 0 or d >= Decimal(10) ** 14:
        raise ServiceError(f"{what}“{value}”超出范围（应为 0 或正数）。", field=field)
    return d.quantize(Decimal("0.01"))


@transaction.atomic
def target_set(*, actor, org, metric_code: str, year: int, value) -> Target | None:
    """Set (or clear, with an empty value) the year's target for a metric at a node."""
    scope.require(actor, "stats.manage", org.path)
    m = _metric(metric_code)
    amount = _decimal(value, f"{m.label}的目标值", f"target_{metric_code}")
    if m.is_rate and amount is not None and amount > 100:
        raise ServiceError(f"{m.label}的目标值“{value}”不能超过 100%。", field=f"target_{metric_code}")
    old = Target.objects.filter(org=org, year=year, metric_code=metric_code).first()
    if amount is None:
        if old is not None:
            old.delete()
            audit.record(actor=actor, action="reports.target.cleared", target=audit.Target(
                "reports.target", str(old.pk), f"{org.name} {year} {m.label}", org.path),
                changes={"value": [str(old.value), None]})
        return None
    if old is not None and old.value == amount:
        return old
    t = old or Target(org=org, year=year, metric_code=metric_code, value=amount)
    t.value = amount
    t.save()
    audit.record(actor=actor, action="reports.target.set", obj=t,
                 changes={"metric": metric_code, "year": year, "value": [str(old.value) if old else None, str(amount)]})
    return t


@transaction.atomic
def reported_set(*, actor, org, metric_code: str, period: Period, value, note: str = "") -> ReportedValue | None:
    """Record (or clear) the published value of a figure beside the computed one."""
    scope.require(actor, "stats.manage", org.path)
    m = _metric(metric_code)
    amount = _decimal(value, f"{m.label}的上报值", f"reported_{metric_code}")
    old = ReportedValue.objects.filter(org=org, start=period.start, end=period.end, metric_code=metric_code).first()
    if amount is None:
        if old is not None:
            old.delete()
            audit.record(actor=actor, action="reports.reported.cleared", target=audit.Target(
                "reports.reportedvalue", str(old.pk), f"{org.name} {m.label}", org.path),
                changes={"value": [str(old.value), None]})
        return None
    if old is not None and old.value == amount and old.note == note:
        return old
    r = old or ReportedValue(org=org, start=period.start, end=period.end, metric_code=metric_code, value=amount)
    r.value, r.note = amount, note[:200]
    r.save()
    audit.record(actor=actor, action="reports.reported.set", obj=r,
                 changes={"metric": metric_code, "period": period.label,
                          "value": [str(old.value) if old else None, str(amount)]})
    return r


def snapshot(org, period: Period) -> dict:
    """The node's figures (including subordinates) and their breakdown by subordinate, so the
    dashboard, the tables and the document of a locked period all show what was published."""
    from .figures import breakdown

    values, parts = {}, {}
    for code in REGISTRY:
        total = compute(code, org, period)
        values[code] = total.as_json()
        parts[code] = {p.path: p.value.as_json() for p in breakdown(code, org, period, total=total).parts}
    return {"values": values, "parts": parts}


@transaction.atomic
def period_lock(*, actor, org, period: Period) -> PeriodLock:
    """Freeze a node's published figures for a period: later back-dated edits show as
    differences from this snapshot instead of silently changing them."""
    scope.require(actor, "stats.manage", org.path)
    if PeriodLock.objects.filter(org=org, start=period.start, end=period.end).exists():
        raise ServiceError(f"{org.name}{period.label}已锁定。")
    if period.end > clock.today():
        raise ServiceError(f"截止日期 {period.end} 尚未到来，不能锁定。")
    lock = PeriodLock.objects.create(org=org, start=period.start, end=period.end, locked_at=timezone.now(),
                                     locked_by=actor, snapshot=snapshot(org, period))
    audit.record(actor=actor, action="reports.period.locked", obj=lock, changes={"period": period.label})
    return lock


@transaction.atomic
def period_unlock(*, actor, lock: PeriodLock) -> None:
    scope.require(actor, "stats.manage", lock.org.path)
    target = audit.Target("reports.periodlock", str(lock.pk), str(lock), lock.org.path)
    label = f"{lock.start}至{lock.end}"
    lock.delete()
    audit.record(actor=actor, action="reports.period.unlocked", target=target, changes={"period": label})


@transaction.atomic
def template_upload(*, actor, org, name: str, content: bytes) -> SummaryTemplate:
    """A federation's own summary template. It must render with the documented variables,
    so a broken one is refused here rather than when someone needs the document."""
    from .summary import check_content

    scope.require(actor, "stats.manage", org.path)
    return docx_templates.keep(SummaryTemplate, actor=actor, org=org, name=name, content=content,
                               check_content=check_content, action="reports.template.uploaded")


@transaction.atomic
def template_remove(*, actor, org) -> None:
    scope.require(actor, "stats.manage", org.path)
    t = SummaryTemplate.objects.filter(org=org).first()
    if t is None:
        return
    target = audit.Target("reports.summarytemplate", str(t.pk), str(t), org.path)
    t.delete()
    audit.record(actor=actor, action="reports.template.removed", target=target, changes={})
