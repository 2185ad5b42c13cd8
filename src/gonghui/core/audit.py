"""Writing and verifying the audit log (ARCHITECTURE §4.2).

Every service calls `record(...)` inside its own transaction, so a change and its audit
entry are committed together or not at all. Entries are chained with an HMAC so that an
altered, inserted or removed entry is detected by `verify_chain()`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import AccessLog, AuditChainHead, AuditEvent

GENESIS = "0" * 64

# Chinese names of action codes, for display only (storage keeps the stable code). Each app
# registers its own with `register_actions`.
ACTION_LABELS: dict[str, str] = {"core.demo.loaded": "生成演示数据"}


def register_actions(labels: dict[str, str]) -> None:
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


# Chinese names of the keys in `changes`, for display. Apps register their models' fields.
FIELD_LABELS: dict[str, str] = {
    "effective_on": "生效日期", "reason": "原因", "parent": "上级", "type": "类型", "failures": "连续失败次数",
    "locked_until": "锁定至", "username": "用户名", "home_org": "所属单位", "user": "用户", "org": "单位",
    "role": "角色", "permissions": "权限", "size": "规模", "seed": "种子", "today": "参照日期",
    "subtree_size": "随同转移的组织数", "coverages_ended": "终止的覆盖关系数", "union": "工会", "employer": "用人单位",
}


def register_fields(model) -> None:
    for f in model._meta.fields:
        FIELD_LABELS.setdefault(f.name, str(f.verbose_name))


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)

# Keys whose values never reach the log in clear (ID numbers, phones, finances...).
SENSITIVE_KEYS = frozenset(
    {"id_number", "phone", "mobile", "bank_account", "income", "password", "contact_phone"}
)
REDACTED = "***"

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("audit_request_id", default="")
_source: contextvars.ContextVar[str] = contextvars.ContextVar("audit_source", default=AuditEvent.Source.SYSTEM)


@contextlib.contextmanager
def context(*, source: str, request_id: str | None = None):
    """Tag every entry written inside the block with its source and a request id."""
    t1 = _source.set(source)
    t2 = _request_id.set(request_id or uuid.uuid4().hex)
    try:
        yield
    finally:
        _source.reset(t1)
        _request_id.reset(t2)


def current_request_id() -> str:
    return _request_id.get()


def _plain(value):
    if isinstance(value, dt.date | dt.datetime | Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def redact(changes: dict) -> dict:
    out = {}
    for key, value in changes.items():
        if key in SENSITIVE_KEYS:
            out[key] = REDACTED if not isinstance(value, list | tuple) else [REDACTED, REDACTED]
        elif isinstance(value, list | tuple):
            out[key] = [_plain(v) for v in value]
        elif isinstance(value, dict):
            out[key] = redact(value)
        else:
            out[key] = _plain(value)
    return out


def diff(obj, old: dict, fields) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {f: [old[f], getattr(obj, f)] for f in fields if old.get(f) != getattr(obj, f)}


def _payload(e: AuditEvent) -> bytes:
    data = {
        "seq": e.seq,
        "created_at": e.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": e.actor_id,
        "actor_name": e.actor_name,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object_label": e.object_label,
        "org_path": e.org_path,
        "changes": e.changes,
        "source": e.source,
        "request_id": e.request_id,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(prev_hash: str, e: AuditEvent) -> str:
    return hmac.new(settings.AUDIT_KEY.encode(), prev_hash.encode() + _payload(e), hashlib.sha256).hexdigest()


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(pk=1)
    return head


@dataclass(frozen=True)
class Target:
    """What an entry is about, when it is not a model instance."""

    object_type: str
    object_id: str = ""
    label: str = ""
    org_path: str = ""


def record(*, actor, action: str, obj=None, target: Target | None = None, changes: dict | None = None,
           org_path: str | None = None) -> AuditEvent:
    """Append one entry. Must run inside the caller's transaction (services use atomic)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction")
    if obj is not None:
        target = Target(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            label=str(obj)[:255],
            org_path=getattr(obj, "audit_org_path", ""),
        )
    target = target or Target(object_type="")
    head = _lock_head()
    event = AuditEvent(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=(actor.get_username() if actor is not None else "系统")[:150],
        action=action,
        object_type=target.object_type,
        object_id=target.object_id,
        object_label=target.label,
        org_path=org_path if org_path is not None else target.org_path,
        changes=redact(changes or {}),
        source=_source.get(),
        request_id=_request_id.get(),
        prev_hash=head.hash,
    )
    # Round-trip the payload through JSON so the hash is over what the database returns.
    event.changes = json.loads(json.dumps(event.changes, ensure_ascii=False))
    event.hash = compute_hash(head.hash, event)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(batch_size: int = 5000) -> ChainProblem | None:
    """Walk the chain in order; return the first bad entry, or None when intact."""
    expected_seq, prev = 1, GENESIS
    qs = AuditEvent.objects.order_by("seq")
    for event in qs.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainProblem(expected_seq, f"第 {expected_seq} 条记录缺失（下一条为第 {event.seq} 条）")
        if event.prev_hash != prev:
            return ChainProblem(event.seq, f"第 {event.seq} 条记录的前序哈希不符")
        if not hmac.compare_digest(compute_hash(prev, event), event.hash):
            return ChainProblem(event.seq, f"第 {event.seq} 条记录的内容已被改动")
        prev, expected_seq = event.hash, expected_seq + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last = expected_seq - 1
    if head is not None and (head.seq != last or (last and head.hash != prev)):
        return ChainProblem(last + 1, f"链尾应为第 {head.seq} 条，实际只到第 {last} 条：末尾记录被删除")
    return None


def log_access(*, user, kind: str, object_type: str, object_id: str = "", fields=(), reason: str = "",
               org_path: str = "") -> AccessLog:
    """Record a full view or export of personal data."""
    return AccessLog.objects.create(
        user_id=getattr(user, "pk", None),
        user_name=user.get_username() if user is not None else "系统",
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        fields=list(fields),
        reason=reason,
        org_path=org_path,
        request_id=_request_id.get(),
    )
