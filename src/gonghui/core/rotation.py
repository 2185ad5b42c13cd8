"""Key rotation and profile change (`gonghui keys rotate [--profile gm]`).

`start` makes a new key version the writing one (the old ones stay readable) and writes the audit
chain's transition entry; `run` rewrites every encrypted column (crypto.encrypted_fields) and every
lookup-hash column (crypto.lookup_fields, re-hashed from the encrypted column it names) in batches,
recording after each batch how far it got in the keyring document; `finish` retires the old
versions. A crash anywhere leaves every row readable (both versions are, until `finish`), and
running again resumes: a batch redone after a crash skips what is already in the new version.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q

from . import audit, crypto, jobs, keys

BATCH_SIZE = 2000
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
    Their field and lookup keys are deleted from the keyring; their audit keys stay, to verify
    the entries they signed."""
    left = remaining()
    if left:
        raise keys.KeysError(f"还有 {left} 个值未改用新密钥，不能停用旧密钥：请再次运行 gonghui keys rotate。")
    doc = copy.deepcopy(keys.read_keyring_doc())
    write = str(doc["write"])
    retired = []
    for number, entry in doc.get("versions", {}).items():
        if number != write and not entry.get("retired"):
            entry.update(retired=True)
            entry.pop("field_key", None)
            entry.pop("lookup_key", None)
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


@jobs.runner("core.keys.rotate", failure="密钥轮换中断：所有数据仍可读取。请运行 gonghui keys rotate 继续。")
def rotate_job(job, progress) -> None:
    """`gonghui keys rotate --background`: the same rotation in the task worker."""
    result = rotate(profile=job.params.get("profile") or None, actor=job.user,
                    progress=lambda label, done, total: progress(str(label), done, total))
    job.result = result
    job.save(update_fields=["result"])
