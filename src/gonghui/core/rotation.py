"""Key rotation and profile change (`gonghui keys rotate [--profile gm]`).

`start` makes a new key version the writing one (the old ones stay readable) and writes the audit
chain's transition entry; `run` rewrites every encrypted column (crypto.encrypted_fields) and every
lookup-hash column (crypto.lookup_fields, re-hashed from the encrypted column it names) in batches,
recording after each batch how far it got in the keyring document; `finish` retires the old
versions: they are no longer read or written, but their keys stay in the keyring file until
`destroy` (`gonghui keys destroy --version k1`) erases them, which it does only once no value needs
them. A crash anywhere leaves every row readable (both versions are, until `finish`), and running
again resumes: a batch redone after a crash skips what is already in the new version.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from . import audit, clock, crypto, jobs, keys

BATCH_SIZE = 2000
DESTROYED = "core.keys.destroyed"
audit.register_actions({DESTROYED: "销毁旧密钥"})
Progress = Callable[[str, int, int], None]


def _quiet(_label: str, _done: int, _total: int) -> None:
    pass


def in_progress() -> dict | None:
    return keys.read_keyring_doc().get("rotation")


def start(*, profile: str | None = None, actor=None) -> int:
    """Create and switch to a new key version; returns its number. Refused while one runs."""
    doc = copy.deepcopy(keys.read_keyring_doc())
    if doc.get("rotation"):
        raise keys.KeysError("上一次密钥轮换尚未完成：请再次运行 gonghui keys rotate 以继续，不要重新开始。")
    ring = crypto.keyring()
    old = ring.writer
    profile = profile or old.profile
    if profile not in crypto.PROFILES:
        raise keys.KeysError(f"未知的密码配置 {profile}：只能是 intl 或 gm。")
    number = max(ring.versions) + 1
    versions = doc.setdefault("versions", {})
    versions.setdefault("1", {}).setdefault("profile", ring.get(1).profile)
    versions[str(number)] = {"profile": profile, "field_key": crypto.new_key(), "lookup_key": crypto.new_key(),
                             "audit_key": crypto.new_key()}
    doc.update(write=number, rotation={"to": number, "done": {}})
    keys.write_keyring_doc(doc)
    new_tag = crypto.keyring().writer.tag
    with audit.context(source="cli"):
        audit.record_key_transition(actor=actor, old_tag=old.tag, new_tag=new_tag,
                                    changes={"profile": profile})
    return number


def _columns():
    """{model: ([encrypted column names], {lookup column: its source column})} over every app."""
    found: dict = {}
    for model, field in crypto.encrypted_fields():
        found.setdefault(model, ([], {}))[0].append(field.attname)
    for model, field in crypto.lookup_fields():
        found.setdefault(model, ([], {}))[1][field.attname] = field.source
    return found


def _stale(columns: list[str], writer: crypto.KeyVersion) -> Q:
    q = Q()
    for name in columns:
        q |= ~Q(**{name: ""}) & ~Q(**{f"{name}__startswith": writer.tag + ":"})
    return q


def run(*, progress: Progress = _quiet, on_batch: Callable[[str, int], None] | None = None,
        batch_size: int = BATCH_SIZE, sweep: bool = False) -> int:
    """Rewrite every row still in an old version; returns the rows rewritten. Resumes where the
    last run stopped (the keyring's "rotation.done": the last primary key done per model).
    `sweep` goes over every row still holding an old value instead, wherever the first pass was:
    a web worker may have written one with the old key just before the switch reached it."""
    doc = keys.read_keyring_doc()
    if not doc.get("rotation"):
        return 0
    ring = crypto.keyring()
    writer = ring.writer
    rewritten = 0
    for model, (encrypted, hashed) in _columns().items():
        label = model._meta.label_lower
        columns = [*encrypted, *hashed]
        base = model._base_manager.order_by("pk")
        if sweep:
            base = base.filter(_stale(columns, writer))
        total = base.count()
        last = None if sweep else doc["rotation"]["done"].get(label)
        done = base.filter(pk__lte=last).count() if last is not None else 0
        while True:
            batch = base.filter(pk__gt=last) if last is not None else base
            rows = list(batch.values_list("pk", *columns)[:batch_size])
            if not rows:
                break
            changed = []
            for pk, *values in rows:
                row = dict(zip(columns, values, strict=True))
                updates = {}
                for name in encrypted:
                    if row[name] and not crypto.written_with(row[name], writer):
                        updates[name] = crypto.encrypt(crypto.decrypt(row[name], ring), ring)
                for name, source in hashed.items():
                    if row[name] and not crypto.written_with(row[name], writer):
                        updates[name] = crypto.lookup_hash(crypto.decrypt(row[source], ring), ring)
                if updates:
                    changed.append(model(pk=pk, **{**row, **updates}))
            with transaction.atomic():
                if changed:
                    model._base_manager.bulk_update(changed, columns)
            rewritten += len(changed)
            last = rows[-1][0]
            done += len(rows)
            # The mark goes after the commit: a crash in between redoes a batch, which is harmless.
            doc = keys.read_keyring_doc()
            doc["rotation"]["done"][label] = last
            keys.write_keyring_doc(doc)
            progress(model._meta.verbose_name, done, total)
            if on_batch is not None:
                on_batch(label, done)
    return rewritten


def remaining() -> int:
    """Values not yet in the writing version (0 when the rotation may finish)."""
    writer = crypto.keyring().writer
    prefix = writer.tag + ":"
    count = 0
    for model, (encrypted, hashed) in _columns().items():
        for name in [*encrypted, *hashed]:
            count += model._base_manager.exclude(**{name: ""}).exclude(**{f"{name}__startswith": prefix}).count()
    return count


def finish(*, actor=None) -> list[int]:
    """Retire every version but the writing one once no value needs them; returns those retired.
    A retired version is no longer read (a value or token under it is refused) but its keys stay
    in the keyring file until `destroy`: the operator first exports the new keys file."""
    left = remaining()
    if left:
        raise keys.KeysError(f"还有 {left} 个值未改用新密钥，不能停用旧密钥：请再次运行 gonghui keys rotate。")
    doc = copy.deepcopy(keys.read_keyring_doc())
    write = str(doc["write"])
    retired = []
    for number, entry in doc.get("versions", {}).items():
        if number != write and not entry.get("retired"):
            entry.update(retired=True)
            retired.append(int(number))
    doc.pop("rotation", None)
    keys.write_keyring_doc(doc)
    with audit.context(source="cli"), transaction.atomic():
        audit.record(actor=actor, action="core.keys.retired", target=audit.Target("core.keys", write, "停用旧密钥"),
                     changes={"retired": retired, "write": crypto.keyring().writer.tag})
    return retired


def rotate(*, profile: str | None = None, actor=None, progress: Progress = _quiet,
           on_batch: Callable[[str, int], None] | None = None, batch_size: int = BATCH_SIZE) -> dict:
    """Start a rotation (or resume the one under way), rewrite everything, retire the old keys."""
    resumed = bool(in_progress())
    if resumed and profile and crypto.keyring().writer.profile != profile:
        raise keys.KeysError(f"上一次轮换（至 {crypto.keyring().writer.tag}）尚未完成，请先不带 --profile 再运行一次以完成它。")
    if not resumed:
        keys.check_sample()  # keys that do not open the data are refused before anything is written
        start(profile=profile, actor=actor)
    rewritten = run(progress=progress, on_batch=on_batch, batch_size=batch_size)
    if remaining():
        rewritten += run(progress=progress, on_batch=on_batch, batch_size=batch_size, sweep=True)
    retired = finish(actor=actor)
    return {"resumed": resumed, "rewritten": rewritten, "retired": retired, "write": crypto.keyring().writer.tag}


# --- destruction of a retired version ---------------------------------------------------------------

def values_using(number: int) -> int:
    """How many stored values (ciphertexts and lookup hashes, over every encrypted and lookup-hash
    column) were made with key version `number`: one COUNT per table."""
    prefix = f"k{number}:"
    count = 0
    for model, (encrypted, hashed) in _columns().items():
        q = Q()
        for name in encrypted:
            q |= Q(**{f"{name}__startswith": prefix})
            if number == 1:
                q |= Q(**{f"{name}__startswith": crypto.LEGACY_PREFIX})
        for name in hashed:
            q |= Q(**{f"{name}__startswith": prefix})
            if number == 1:  # a bare HMAC-SHA256 hex digest: written before key versions
                q |= Q(**{f"{name}__isnull": False}) & ~Q(**{name: ""}) & ~Q(**{f"{name}__startswith": "k"})
        count += model._base_manager.filter(q).count()
    return count


def _audit_uses(number: int) -> int:
    """Audit entries and checkpoints that need version `number`'s audit key to be verified: the
    entries it hashed, the transition entry its bridge signature carries on from it, and the
    checkpoint lines it signed."""
    from .models import AuditEvent

    prefix = f"k{number}:"  # any profile: version 1's followed GONGHUI_CRYPTO_PROFILE until a rotation
    entries = Q(key__startswith=prefix) | Q(action=audit.TRANSITION, changes__from__startswith=prefix)
    if number == 1:
        entries |= Q(key__isnull=True) | Q(key="")
    found = AuditEvent.objects.filter(entries).count()
    for path in audit._anchor_sources():
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                key = json.loads(line).get("key")
            except (ValueError, AttributeError):
                continue
            found += str(key or "").startswith(prefix) or (number == 1 and not key)
    return found


def destroy(tag: str, *, actor=None) -> dict:
    """Erase the keys of a retired version (`tag`: "k1" or "k1:intl"): refused while any stored
    value was made with it or while a rotation runs. Its field and lookup keys are removed from the
    keyring file (whose permissions and owner are kept) and, for version 1, from the data
    directory's key files; its audit key goes too unless audit entries or checkpoints still need
    it to be verified. Writes an audit entry. Returns what was done, for the command's report."""
    try:
        number = int(tag.split(":")[0].removeprefix("k"))
    except ValueError:
        raise keys.KeysError(f"密钥版本应写作 k1、k2 这样的形式，而不是 {tag}。") from None
    ring = crypto.keyring()
    if number not in ring.versions:
        raise keys.KeysError(f"没有密钥版本 k{number}。")
    version = ring.get(number)
    if in_progress():
        raise keys.KeysError("密钥轮换尚未完成：请先运行 gonghui keys rotate 完成它，再销毁旧密钥。")
    if number == ring.write:
        raise keys.KeysError(f"k{number} 是现用（写入）的密钥版本，不能销毁。")
    doc = copy.deepcopy(keys.read_keyring_doc())
    entry = doc.get("versions", {}).get(str(number), {})
    if not version.retired:
        raise keys.KeysError(f"k{number} 尚未停用：先用 gonghui keys rotate 把数据改用新密钥并停用它。")
    if entry.get("destroyed"):
        raise keys.KeysError(f"k{number} 已于 {entry['destroyed']} 销毁。")
    left = values_using(number)
    if left:
        raise keys.KeysError(f"还有 {left} 个加密值或查找哈希使用 k{number}，不能销毁：请先运行 gonghui keys rotate 把它们改用新密钥。")
    removed = [name for name in ("field_key", "lookup_key") if entry.pop(name, None)]
    files, environment = [], []
    if number == 1:
        # Version 1's keys may also live where settings.py read them: the data directory's key files
        # (removed when they hold the running key) or the environment (only the operator can unset it).
        for name, setting, env in (("field_key", "FIELD_KEY", "GONGHUI_FIELD_KEY"),
                                   ("lookup_key", "LOOKUP_KEY", "GONGHUI_LOOKUP_KEY")):
            path = Path(settings.DATA_DIR) / name
            if os.environ.get(env):
                environment.append(env)
            elif path.is_file() and path.read_text().strip() == getattr(settings, setting):
                files.append(path)
    audit_uses = _audit_uses(number)
    kept_audit = bool(audit_uses)
    if number == 1 or kept_audit:
        # Version 1 keeps a tombstone: without its entry it would read as a live version again.
        entry.update(profile=entry.get("profile", version.profile), retired=True,
                     destroyed=clock.now().isoformat(timespec="seconds"))
        if not kept_audit and entry.pop("audit_key", None):
            removed.append("audit_key")
        doc.setdefault("versions", {})[str(number)] = entry
    elif doc["versions"].pop(str(number), None):
        removed.append("audit_key")
    removed += [str(f) for f in files]

    # The audit entry and the destruction commit together: a failure while erasing rolls the entry back.
    with audit.context(source="cli"), transaction.atomic():
        audit.record(actor=actor, action=DESTROYED, target=audit.Target("core.keys", str(number), f"销毁密钥版本 k{number}"),
                     changes={"version": version.tag, "removed": removed, "audit_key_kept": kept_audit,
                              "environment": environment})
        path = keys.keyring_path()
        st = os.stat(path) if path.exists() else None
        keys.write_keyring_doc(doc, path)
        if st is not None:  # keep the operator's permissions and owner (the new file is created 600)
            os.chmod(path, st.st_mode & 0o7777)
            with contextlib.suppress(PermissionError):
                os.chown(path, st.st_uid, st.st_gid)
        for f in files:
            f.unlink(missing_ok=True)
    return {"version": version.tag, "removed": removed, "kept_audit_key": kept_audit, "audit_uses": audit_uses,
            "environment": environment}


@jobs.runner("core.keys.rotate", failure="密钥轮换中断：所有数据仍可读取。请运行 gonghui keys rotate 继续。")
def rotate_job(job, progress) -> None:
    """`gonghui keys rotate --background`: the same rotation in the task worker."""
    result = rotate(profile=job.params.get("profile") or None, actor=job.user,
                    progress=lambda label, done, total: progress(str(label), done, total))
    job.result = result
    job.save(update_fields=["result"])
