"""Backup, keys file and restore, as an operator runs them: real `gonghui` processes, a real
SQLite online backup or pg_dump/pg_restore, a fresh data directory and a fresh database.

On PostgreSQL (DATABASE_URL set) each "place" is a database of its own on the same server,
dropped at the end; on SQLite it is the data directory's own database file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from gonghui.core import backup, crypto, keys

PASSPHRASE = "correct-horse-battery-staple"
GONGHUI = [sys.executable, "-m", "gonghui.cli"]
TIMEOUT = 300

# Printed by `gonghui manage shell` in a place: the full view (decryption) of a sample of every
# encrypted column, found generically; the ID-number lookup of those people; and any column
# that holds ciphertext without being marked as encrypted (the restore would not check it).
PROBE = r"""
import json
from django.apps import apps
from django.db import models
from gonghui.core import crypto
from gonghui.members.models import Person

out = {"decrypted": {}, "unmarked": []}
for model, field in crypto.encrypted_fields():
    rows = model._default_manager.exclude(**{field.name: ""}).order_by("pk").values_list("pk", field.name)[:15]
    out["decrypted"][f"{model._meta.label}.{field.name}"] = [[pk, crypto.decrypt(v)] for pk, v in rows]
marked = {(m, f.name) for m, f in [*crypto.encrypted_fields(), *crypto.lookup_fields()]}
for model in apps.get_models():
    for f in model._meta.concrete_fields:
        if isinstance(f, (models.CharField, models.TextField)) and (model, f.name) not in marked:
            if model._default_manager.filter(**{f"{f.name}__startswith": crypto.keyring().writer.tag + ":"}).exists():
                out["unmarked"].append(f"{model._meta.label}.{f.name}")
people = Person.objects.order_by("pk")[:15]
out["lookup"] = [Person.objects.get(id_hash__in=crypto.lookup_hashes(p.id_number)).pk == p.pk for p in people]
print(json.dumps(out, ensure_ascii=False))
"""


class Place:
    """A data directory and a database, as on a fresh server."""

    def __init__(self, root: Path, name: str, server_url: str | None):
        self.data_dir = root / name
        self.db = None
        self.env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", *(k.env for k in keys.KEYS)}}
        self.env.update(GONGHUI_DATA_DIR=str(self.data_dir), GONGHUI_KEYS_PASSPHRASE=PASSPHRASE)
        if server_url:
            self.db = f"gh_bak_{os.getpid()}_{name}"
            _admin(server_url, f'DROP DATABASE IF EXISTS "{self.db}"', f'CREATE DATABASE "{self.db}"')
            parts = urlsplit(server_url)
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.db}"))

    def run(self, *args: str, ok: bool = True, **env: str) -> subprocess.CompletedProcess:
        done = subprocess.run([*GONGHUI, *args], env={**self.env, **env}, capture_output=True, text=True,
                              timeout=TIMEOUT)
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    def tables(self) -> list[str]:
        if self.db:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        path = self.data_dir / "gonghui.sqlite3"
        if not path.exists():
            return []
        import sqlite3

        with sqlite3.connect(path) as conn:
            return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def probe(self) -> dict:
        return json.loads(self.run("manage", "shell", "-c", PROBE).stdout.strip().splitlines()[-1])

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.data_dir).as_posix(): p.read_bytes()
                for p in sorted(self.data_dir.rglob("*")) if p.is_file()}


def _admin(server_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(server_url)._replace(path="/postgres")), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


@pytest.fixture
def places(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    server_url = url if url.startswith(("postgres://", "postgresql://")) else None
    made: list[Place] = []

    def make(name: str) -> Place:
        made.append(Place(tmp_path, name, server_url))
        return made[-1]

    yield make
    for place in made:
        if place.db:
            _admin(server_url, f'DROP DATABASE IF EXISTS "{place.db}" WITH (FORCE)')


def audit_count(place: Place) -> int:
    """`gonghui audit verify` passes; the number of entries it checked."""
    out = place.run("audit", "verify").stdout
    assert "哈希链校验通过" in out
    return int(re.search(r"共 (\d+) 条", out).group(1))


def assert_nothing_written(place: Place, generated: dict[str, bytes]) -> None:
    """A refused restore leaves the target as settings.py made it: no table, and no file but
    the keys it generated on start (not the backup's)."""
    assert place.tables() == []
    assert place.files() == generated


def test_a_backup_of_the_demo_restores_identically_elsewhere_and_only_with_its_keys(places, tmp_path):
    source = places("source")
    source.run("manage", "migrate", "-v0")
    source.run("demo", "--size", "small", "--today", "2026-06-30")
    # Uploaded files: an attachment under media/ and a petition letter in its private folder.
    (source.data_dir / "media" / "bargaining" / "2026").mkdir(parents=True)
    (source.data_dir / "media" / "bargaining" / "2026" / "合同扫描件.pdf").write_bytes(b"%PDF-1.4 scan" * 100)
    (source.data_dir / "petitions").mkdir(mode=0o700)
    (source.data_dir / "petitions" / "a1b2c3.txt").write_text("来信内容")
    stats = source.run("stats", "--json").stdout
    verified = audit_count(source)
    probe = source.probe()
    assert probe["unmarked"] == []  # every ciphertext column is an EncryptedTextField
    assert sum(len(v) for v in probe["decrypted"].values()) > 20 and all(probe["lookup"])

    key_file = tmp_path / "keys.json"
    source.run("keys", "export", "--out", str(key_file))
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    assert "一致" in source.run("keys", "check", str(key_file)).stdout
    # A backup goes into a new or empty directory, outside the data directory.
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert "不为空" in source.run("backup", "--out", str(tmp_path / "full"), ok=False).stderr
    assert "数据目录" in source.run("backup", "--out", str(source.data_dir / "b"), ok=False).stderr
    out = tmp_path / "backup"
    out.mkdir()
    assert "备份完成" in source.run("backup", "--out", str(out)).stdout
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"files/media/bargaining/2026/合同扫描件.pdf", "files/petitions/a1b2c3.txt"} <= set(manifest["files"])
    # Never the keys: no key file and no key value anywhere in the backup.
    secrets = [(source.data_dir / k.name).read_bytes() for k in keys.KEYS]
    for path in out.rglob("*"):
        assert path.name not in keys.KEY_FILES
        if path.is_file():
            content = path.read_bytes()
            assert not any(s in content for s in secrets), path

    # A keys file of another installation is refused before anything is written.
    target = places("target")
    wrong = tmp_path / "other-keys.json"
    places("other").run("keys", "export", "--out", str(wrong))
    refused = target.run("restore", str(out), "--keys", str(wrong), ok=False)
    assert refused.returncode == 1 and "密钥文件与这份备份不匹配" in refused.stderr and "Traceback" not in refused.stderr
    generated = target.files()
    assert set(generated) == keys.KEY_FILES
    assert_nothing_written(target, generated)

    # Even when the manifest's fingerprints are forged to match, the sample of encrypted values
    # does not open with the wrong field key.
    forged = tmp_path / "forged"
    shutil.copytree(out, forged)
    doc = json.loads((forged / "manifest.json").read_text())
    doc["key_fingerprints"] = json.loads(wrong.read_text())["fingerprints"]
    (forged / "manifest.json").write_text(json.dumps(doc))
    refused = target.run("restore", str(forged), "--keys", str(wrong), ok=False)
    assert "样本无法解密" in refused.stderr and "加密字段" in refused.stderr
    assert_nothing_written(target, generated)

    # A wrong passphrase, and a damaged database file.
    refused = target.run("restore", str(out), "--keys", str(key_file), ok=False, GONGHUI_KEYS_PASSPHRASE="not-the-passphrase")
    assert "口令不正确" in refused.stderr
    damaged = tmp_path / "damaged"
    shutil.copytree(out, damaged)
    db_file = damaged / manifest["database"]["file"]
    raw = bytearray(db_file.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    db_file.write_bytes(bytes(raw))
    refused = target.run("restore", str(damaged), "--keys", str(key_file), ok=False)
    assert "校验和不符" in refused.stderr
    assert_nothing_written(target, generated)

    # The real restore: same figures, same audit chain, same full views, same files.
    restored = target.run("restore", str(out), "--keys", str(key_file))
    assert "恢复完成" in restored.stdout and "哈希链校验通过" in restored.stdout
    assert target.run("stats", "--json").stdout == stats
    assert audit_count(target) == verified
    assert target.probe() == probe
    assert {k: v for k, v in target.files().items() if k.startswith(("media/", "petitions/"))} == {
        k: v for k, v in source.files().items() if k.startswith(("media/", "petitions/"))}
    assert "一致" in target.run("keys", "check", str(key_file)).stdout

    # And a second restore onto it is refused: the target is no longer empty.
    refused = target.run("restore", str(out), "--keys", str(key_file), ok=False)
    assert "不是空的" in refused.stderr


# --- the keys file ----------------------------------------------------------------------------

SAMPLE_KEYS = {k.name: f"{k.name}-value-0123456789" for k in keys.KEYS}


def test_the_keys_file_round_trips_and_holds_no_key_in_clear(tmp_path):
    path = tmp_path / "k.json"
    doc = keys.export(path, PASSPHRASE, SAMPLE_KEYS)
    assert (doc["format"], doc["version"], doc["cipher"], doc["kdf"]["name"]) == ("gonghui-keys", 2, "AES-256-GCM", "scrypt")
    assert oct(path.stat().st_mode)[-3:] == "600"
    assert not any(v in path.read_text() for v in SAMPLE_KEYS.values())
    assert keys.read(path, PASSPHRASE) == SAMPLE_KEYS
    assert doc["fingerprints"] == keys.fingerprints(SAMPLE_KEYS)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d, "口令不正确"),  # read with another passphrase below
    (lambda d: {**d, "ciphertext": d["ciphertext"][:-8] + "AAAAAAA="}, "口令不正确"),
    (lambda d: {**d, "version": 99}, "格式版本 99"),
    (lambda d: {**d, "format": "other"}, "不是 gonghui 导出的密钥文件"),
    (lambda d: {**d, "kdf": {**d["kdf"], "n": 2**30}}, "口令不正确"),  # bounded: no 128 GB scrypt
])
def test_a_keys_file_that_cannot_be_opened_is_a_clear_error(tmp_path, change, message):
    path = tmp_path / "k.json"
    doc = keys.export(path, PASSPHRASE, SAMPLE_KEYS)
    path.write_text(json.dumps(change(doc)))
    with pytest.raises(keys.KeysError, match=message):
        keys.read(path, "another passphrase" if message == "口令不正确" else PASSPHRASE)


def test_keys_export_refuses_a_short_passphrase_and_an_existing_file(tmp_path):
    with pytest.raises(keys.KeysError, match="口令太短"):
        keys.export(tmp_path / "k.json", "short", SAMPLE_KEYS)
    (tmp_path / "k.json").write_text("keep me")
    with pytest.raises(keys.KeysError, match="已存在"):
        keys.export(tmp_path / "k.json", PASSPHRASE, SAMPLE_KEYS)
    assert (tmp_path / "k.json").read_text() == "keep me"


def test_keys_are_never_exported_into_the_data_directory(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    for path in (tmp_path / "keys.json", tmp_path / "media" / "keys.json"):
        with pytest.raises(keys.KeysError, match="数据目录"):
            keys.export(path, PASSPHRASE, SAMPLE_KEYS)
    assert not list(tmp_path.rglob("keys.json"))


def test_the_keys_file_covers_every_key_settings_generates(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", *(k.env for k in keys.KEYS)}}
    env.update(GONGHUI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gonghui.settings")
    subprocess.run([sys.executable, "-c", "from django.conf import settings; settings.SECRET_KEY"], env=env,
                   check=True, timeout=60)
    assert {p.name for p in tmp_path.iterdir() if p.is_file()} == keys.KEY_FILES


# --- the manifest and the encrypted columns --------------------------------------------------

@pytest.mark.parametrize("name", ["../outside", "/etc/passwd", "files/../../x"])
def test_a_manifest_naming_a_file_outside_the_backup_is_refused(tmp_path, name):
    (tmp_path / "manifest.json").write_text(json.dumps({"format": "gonghui-backup", "version": 1,
                                                        "files": {name: {"size": 1, "sha256": "0"}}}))
    with pytest.raises(backup.BackupError, match="不安全"):
        backup.read_manifest(tmp_path)


def test_encrypted_columns_are_found_over_the_installed_apps_and_need_no_migration():
    found = {f"{m._meta.label}.{f.name}" for m, f in crypto.encrypted_fields()}
    assert {"members.Person.id_cipher", "members.Person.phone_cipher"} <= found
    assert all(f.deconstruct()[1] == "django.db.models.TextField" for _, f in crypto.encrypted_fields())
    other = crypto.Keyring({1: crypto.KeyVersion(1, crypto.keyring().writer.profile, "another key", "l", "a")}, 1)
    with pytest.raises(ValueError):
        crypto.decrypt(crypto.encrypt("110105199001011234"), other)
