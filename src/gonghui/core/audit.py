"""Writing and verifying the audit log (ARCHITECTURE §4.2).

Every service calls `record(...)` inside its own transaction, so a change and its audit
entry are committed together or not at all. Entries are chained with an HMAC so that an
altered, inserted or removed entry is detected by `verify_chain()`.

The chain alone cannot show that entries were cut off its end: whoever can delete the last rows
can also reset `AuditChainHead`. So the chain is anchored outside the database it protects: after
every commit that wrote entries (and after each successful `verify`) a signed checkpoint (the last
sequence number and hash, HMAC'd with a key derived from the audit key) is appended to a file
under the data directory, and optionally sent to a second place (`GONGHUI_AUDIT_ANCHOR_URL`:
`file:///path` or `syslog://host:port`, UDP). `verify` compares the table with the latest
checkpoint: fewer entries than it names, or another hash at its number, is tampering.

Each entry and checkpoint names the key version and profile that made its HMAC (`key`, e.g.
"k2:gm"; empty for entries written before key versions: HMAC-SHA256 under version 1). A key
rotation writes a transition entry (`core.keys.rotated`) under the new key that also carries a
"bridge" MAC under the old key over (previous hash, new key): the chain runs on across the change,
and `verify` checks each segment with its own key and the bridge with both.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import crypto
from .models import AccessLog, AuditChainHead, AuditEvent

GENESIS = "0" * 64
logger = logging.getLogger(__name__)

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
    # What the access log names: groups of fields, and personal data by its logical name (the
    # models store it encrypted under other names).
    "finances": "家庭收支", "family": "家庭成员", "attachment": "附件", "file": "文件",
    "id_number": "身份证号码", "phone": "手机号码", "mobile": "手机号码", "contact_phone": "联系电话",
    "bank_account": "银行卡号", "address": "住址", "income": "收入",
}


# The registered models' fields by object type ("assistance.payment"): an entry's keys are read
# with its own model's verbose names and choice labels first.
MODEL_FIELDS: dict[str, dict[str, object]] = {}
YES_NO = {True: "是", False: "否"}


# The model each line registered first: its main record, whose page is `<app>:detail`.
MAIN_MODELS: dict[str, str] = {}


def register_fields(model) -> None:
    fields = {f.name: f for f in model._meta.fields}
    MODEL_FIELDS[model._meta.label_lower] = fields
    MAIN_MODELS.setdefault(model._meta.app_label, model._meta.label_lower)
    for f in fields.values():
        FIELD_LABELS.setdefault(f.name, str(f.verbose_name))


# Fields whose codes are configured rather than model choices (资金来源): (object type, field) →
# a function from code to label.
VALUE_LABELLERS: dict[tuple[str, str], object] = {}


def register_value_labels(object_type: str, field: str, labeller) -> None:
    VALUE_LABELLERS[(object_type, field)] = labeller


def _fields_named(key: str, object_type: str):
    """The field `key` of the entry's own model, then the same name in the other registered models
    (an entry about a pairing may record its visit's date)."""
    own = MODEL_FIELDS.get(object_type, {}).get(key)
    if own is not None:
        yield own
    for label, fields in MODEL_FIELDS.items():
        if label != object_type and key in fields:
            yield fields[key]


# Each line's labels of change keys that are no model field (its `audit_fields`): they name the
# line's own entries first ("name" in a petition's access log is the petitioner's, not an org's).
APP_FIELD_LABELS: dict[str, dict[str, str]] = {}


def register_field_labels(app_label: str, labels: dict[str, str]) -> None:
    APP_FIELD_LABELS.setdefault(app_label, {}).update(labels)
    for key, label in labels.items():
        FIELD_LABELS.setdefault(key, label)


def field_label(key: str, object_type: str = "") -> str:
    """The entry's own model's verbose name, then its line's `audit_fields`, then any line's."""
    own = MODEL_FIELDS.get(object_type, {}).get(key)
    if own is not None:
        return str(own.verbose_name)
    return APP_FIELD_LABELS.get(object_type.partition(".")[0], {}).get(key) or FIELD_LABELS.get(key, key)


def value_label(key: str, value, object_type: str = ""):
    """A stored value as the user reads it: a choice's label (the first registered field of that
    name whose choices hold it), 是/否 for booleans; anything else unchanged. Storage keeps the code."""
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, list | tuple):
        return [value_label(key, v, object_type) for v in value]
    if not isinstance(value, str | int) or value == "":
        return value
    for (model, field), labeller in VALUE_LABELLERS.items():
        if field == key and model in (object_type, "*"):
            return labeller(value)
    for f in _fields_named(key, object_type):
        if f.choices:
            label = dict(f.flatchoices).get(value)
            if label is not None:
                return str(label)
    return value


def shown_changes(changes, object_type: str = ""):
    """An entry's changes with every value through `value_label` (a mapping's own keys, such as the
    unions of an import's counts, are data and stay as they are)."""
    if not isinstance(changes, dict):
        return changes
    return {k: v if isinstance(v, dict) else value_label(k, v, object_type) for k, v in changes.items()}

def object_type_label(object_type: str) -> str:
    """"assistance.archive" → 困难职工档案 (the model's verbose name); a work line's standard table
    ("petitions.table") → its title; anything else → the work line's name, or the code itself."""
    from django.apps import apps

    app_label, _, model_name = object_type.partition(".")
    try:
        return str(apps.get_model(app_label, model_name)._meta.verbose_name)
    except (LookupError, ValueError):
        pass
    if model_name == "table":
        from .tables import TABLES

        if app_label in TABLES:
            return TABLES[app_label].title
    return _app_name(app_label, default=object_type)


def _app_name(app_label: str, default: str = "其他") -> str:
    from django.apps import apps

    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return default


def record_url(user, object_type: str, object_id: str, org_path: str) -> str:
    """The page of the record an entry is about, if the user may open it ("" otherwise): by
    convention `<app>:<model>_detail`, or `<app>:detail` for the model a line registered first."""
    from django.urls import NoReverseMatch, reverse

    from . import scope

    app_label, _, model_name = object_type.partition(".")
    if not object_id.isdigit() or not scope.has_perm(user, f"{app_label}.view", org_path or None):
        return ""
    names = [f"{app_label}:{model_name}_detail"]
    if MAIN_MODELS.get(app_label) == object_type:
        names.append(f"{app_label}:detail")
    for name in names:
        try:
            return reverse(name, args=[int(object_id)])
        except NoReverseMatch:
            continue
    return ""


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The registered actions for a drop-down, grouped by work line: [(line name, [(code, label)])]."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in sorted(ACTION_LABELS.items()):
        groups.setdefault(_app_name(code.partition(".")[0]), []).append((code, label))
    return list(groups.items())


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
    if e.key:  # entries from before key versions were hashed without it
        data["key"] = e.key
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(prev_hash: str, e: AuditEvent) -> str:
    return crypto.audit_mac(e.key or None, prev_hash.encode() + _payload(e))


TRANSITION = "core.keys.rotated"


def _bridge(old_tag: str, prev_hash: str, new_tag: str) -> str:
    return crypto.audit_mac(old_tag, f"{prev_hash}|{new_tag}".encode(), purpose=b"gonghui audit key transition v1")


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
        key=crypto.audit_tag(),
    )
    # Round-trip the payload through JSON so the hash is over what the database returns.
    event.changes = json.loads(json.dumps(event.changes, ensure_ascii=False))
    event.hash = compute_hash(head.hash, event)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    _anchor_on_commit()
    return event


def record_key_transition(*, actor, old_tag: str, new_tag: str, changes: dict) -> AuditEvent:
    """The entry that carries the chain from one audit key to the next (the caller has already made
    `new_tag` the writing version): hashed under the new key, and bridged under the old one."""
    with transaction.atomic():
        head = _lock_head()
        bridge = _bridge(old_tag, head.hash, new_tag)
        return record(actor=actor, action=TRANSITION, target=Target("core.keys", new_tag, f"密钥轮换至 {new_tag}"),
                      changes={**changes, "from": old_tag, "to": new_tag, "bridge": bridge})


def _check_transition(event: AuditEvent) -> bool:
    return event.key == event.changes.get("to") and crypto.mac_equal(
        _bridge(event.changes.get("from"), event.prev_hash, event.key), str(event.changes.get("bridge", "")))


def key_segments() -> list[dict]:
    """The chain's runs of entries under one key version, in order: [{"key", "first", "last"}]."""
    segments: list[dict] = []
    for seq, key in AuditEvent.objects.order_by("seq").values_list("seq", "key").iterator(chunk_size=5000):
        if segments and segments[-1]["key"] == key:
            segments[-1]["last"] = seq
        else:
            segments.append({"key": key, "first": seq, "last": seq})
    return segments


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


@dataclass(frozen=True)
class Verification:
    count: int  # entries walked
    checkpoint: Checkpoint | None  # the latest checkpoint the table was compared with
    problem: ChainProblem | None


def verify(batch_size: int = 5000) -> Verification:
    """Walk the chain in order and compare its end with the head row and the latest checkpoint.
    The first problem is returned; an intact chain is anchored by a new checkpoint (once committed)."""
    checkpoint, bad_anchor = latest_checkpoint()
    if bad_anchor:
        return Verification(0, None, ChainProblem(0, bad_anchor))
    expected_seq, prev, at_checkpoint = 1, GENESIS, None
    qs = AuditEvent.objects.order_by("seq")
    for event in qs.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            problem = ChainProblem(expected_seq, f"第 {expected_seq} 条记录缺失（下一条为第 {event.seq} 条）")
            return Verification(expected_seq - 1, checkpoint, problem)
        if event.prev_hash != prev:
            return Verification(expected_seq - 1, checkpoint, ChainProblem(event.seq, f"第 {event.seq} 条记录的前序哈希不符"))
        try:
            intact = crypto.mac_equal(compute_hash(prev, event), event.hash)
            if intact and event.action == TRANSITION:
                intact = _check_transition(event)
        except crypto.KeyUnavailable:
            return Verification(expected_seq - 1, checkpoint, ChainProblem(
                event.seq, f"第 {event.seq} 条记录使用的密钥版本 {event.key} 不在本系统的密钥中"))
        if not intact:
            return Verification(expected_seq - 1, checkpoint, ChainProblem(event.seq, f"第 {event.seq} 条记录的内容已被改动"))
        if checkpoint is not None and event.seq == checkpoint.seq:
            at_checkpoint = event.hash
        prev, expected_seq = event.hash, expected_seq + 1
    last = expected_seq - 1
    if checkpoint is not None and last < checkpoint.seq:
        return Verification(last, checkpoint, ChainProblem(last + 1, (
            f"检查点（{checkpoint.at}）记录审计日志已有 {checkpoint.seq} 条，表中只到第 {last} 条："
            f"末尾 {checkpoint.seq - last} 条记录被删除")))
    if checkpoint is not None and not crypto.mac_equal(at_checkpoint or "", checkpoint.hash):
        return Verification(last, checkpoint, ChainProblem(checkpoint.seq, (
            f"第 {checkpoint.seq} 条记录与检查点（{checkpoint.at}）不符：该条或其之前的记录被替换")))
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last or (last and head.hash != prev)):
        return Verification(last, checkpoint, ChainProblem(
            last + 1, f"链尾应为第 {head.seq} 条，实际只到第 {last} 条：末尾记录被删除"))
    if last:
        # Only what is committed may be anchored: inside a transaction (a test, a caller's atomic
        # block) the checkpoint waits for the commit, and is dropped with a rollback.
        transaction.on_commit(lambda: write_checkpoint(last, prev))
    return Verification(last, checkpoint, None)


def verify_chain(batch_size: int = 5000) -> ChainProblem | None:
    """Walk the chain in order; return the first bad entry, or None when intact."""
    return verify(batch_size).problem


# --- the anchor: signed checkpoints outside the database -----------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # when it was written (UTC, ISO 8601)


def anchor_file() -> Path:
    """The append-only checkpoint file (GONGHUI_AUDIT_ANCHOR_FILE, default DATA_DIR/audit-anchor.log).
    Best kept where the database's users cannot write, e.g. another disk with `chattr +a`."""
    configured = getattr(settings, "AUDIT_ANCHOR_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit-anchor.log"


_CURRENT = "current"


def _sign(seq: int, hash_: str, at: str, tag: str | None = _CURRENT) -> str:
    """A checkpoint's MAC under a key derived from the audit key (so a checkpoint's signature can
    never be replayed as an entry's hash or vice versa); `tag` None: a line from before key versions."""
    tag = crypto.audit_tag() if tag == _CURRENT else tag
    message = f"{seq}|{hash_}|{at}" + (f"|{tag}" if tag else "")
    return crypto.audit_mac(tag, message.encode(), purpose=b"gonghui audit anchor v1")


def checkpoint_line(seq: int, hash_: str) -> str:
    at = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    tag = crypto.audit_tag()
    return json.dumps({"seq": seq, "hash": hash_, "at": at, "key": tag, "mac": _sign(seq, hash_, at, tag)},
                      separators=(",", ":"))


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: writers in several processes (web workers, the task worker) never overwrite each
    # other, and a line this short is written in one piece.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def write_checkpoint(seq: int, hash_: str) -> None:
    """Append a checkpoint of the chain's end to the anchor file and export it if configured.
    Never raises: it runs after a commit, when the change itself can no longer be refused."""
    line = checkpoint_line(seq, hash_)
    try:
        _append(anchor_file(), line)
    except OSError as exc:
        logger.error("audit anchor: the checkpoint file could not be written (%s)", type(exc).__name__)
    url = getattr(settings, "AUDIT_ANCHOR_URL", "")
    if url:
        try:
            export_checkpoint(url, line)
        except (OSError, ValueError) as exc:
            logger.error("audit anchor: export to GONGHUI_AUDIT_ANCHOR_URL failed (%s)", type(exc).__name__)


def export_checkpoint(url: str, line: str) -> None:
    """file:///path appends the line there; syslog://host:port sends it as one RFC 5424 message
    over UDP (facility "log audit", severity info), for a log server outside this machine."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        _append(Path(unquote(parts.path)), line)
    elif parts.scheme in ("syslog", "udp"):
        if not parts.hostname:
            raise ValueError("syslog URL without a host")
        now = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
        message = f"<{13 * 8 + 6}>1 {now} {socket.gethostname()} gonghui - audit-anchor - {line}".encode()
        family, kind, proto, _, address = socket.getaddrinfo(parts.hostname, parts.port or 514,
                                                             type=socket.SOCK_DGRAM)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.sendto(message, address)
    else:
        raise ValueError(f"unknown anchor URL scheme {parts.scheme!r}")


def _anchor_after_commit() -> None:
    head = AuditChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    if head is not None and head[0] > 0:
        write_checkpoint(*head)


def _anchor_on_commit() -> None:
    """One checkpoint per committed transaction, however many entries it wrote: registered once,
    and again only if a rolled-back savepoint took the registration with it."""
    conn = transaction.get_connection()
    if not any(func is _anchor_after_commit for _sids, func, _robust in conn.run_on_commit):
        transaction.on_commit(_anchor_after_commit, robust=True)


def _anchor_sources() -> list[Path]:
    sources = [anchor_file()]
    parts = urlsplit(getattr(settings, "AUDIT_ANCHOR_URL", ""))
    if parts.scheme == "file":
        sources.append(Path(unquote(parts.path)))  # the export can be read back; syslog cannot
    return sources


def latest_checkpoint() -> tuple[Checkpoint | None, str]:
    """(the checkpoint with the highest sequence number in the anchor file and a file:// export,
    a problem with them). A line whose signature fails means the anchor itself was tampered with;
    a line that is not a checkpoint at all (a write cut short by a crash) is skipped."""
    best: Checkpoint | None = None
    for path in _anchor_sources():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            continue
        except OSError as exc:
            return None, f"无法读取审计检查点文件 {path}（{type(exc).__name__}）"
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
                seq, hash_, at, mac = int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["mac"])
                tag = str(data["key"]) if data.get("key") else None
            except (ValueError, KeyError, TypeError):
                continue  # a write cut short (it hides nothing: the highest good checkpoint counts)
            try:
                signed = crypto.mac_equal(_sign(seq, hash_, at, tag), mac)
            except crypto.KeyUnavailable:
                signed = False
            if not signed:
                return None, f"审计检查点文件 {path} 第 {number} 行的签名不符：检查点文件被改动"
            if best is None or seq > best.seq:
                best = Checkpoint(seq, hash_, at)
    return best, ""


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
