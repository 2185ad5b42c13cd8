"""Cryptography (issue 13): one module owns it, two profiles (intl: AES-256-GCM + HMAC-SHA256; gm:
SM4-GCM + HMAC-SM3), key versions in every stored value, rotation that survives being killed, keys
outside the data directory, and a refusal to start under keys that do not open the data."""

import ast
import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from gonghui.accounts.models import User
from gonghui.core import audit, crypto, jobs, keys, rotation
from gonghui.core.models import AuditEvent
from gonghui.core.models_jobs import Job
from gonghui.members import services
from gonghui.members.models import Person
from tests.members.conftest import make_id

SRC = Path(__file__).resolve().parents[2] / "src" / "gonghui"
D = dt.date

# Modules that compute ciphers, hashes or MACs; only core/crypto.py may import them.
PRIMITIVES = ("cryptography", "hashlib", "hmac", "Crypto", "Cryptodome", "nacl", "gmssl", "django.utils.crypto",
              "django.core.signing")
# The one module (backup checksums go through crypto.file_checksum) and its private SM4-GCM helper.
ALLOWED = {"core/crypto.py", "core/_sm4gcm.py"}


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    """Each test its own keyring document and audit anchor (the test database is rolled back)."""
    settings.KEYS_FILE = str(tmp_path / "keyring.json")
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchor.log")
    settings.AUDIT_ANCHOR_URL = ""


@pytest.fixture(params=crypto.PROFILES)
def profile(request, settings):
    settings.CRYPTO_PROFILE = request.param
    return request.param


def test_no_module_but_crypto_imports_a_cipher_or_hash_primitive():
    offenders = []
    for path in SRC.rglob("*.py"):
        name = path.relative_to(SRC).as_posix()
        if name in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                # `from django.core import signing` imports django.core.signing too
                [node.module or "", *(f"{node.module}.{a.name}" for a in node.names)]
                if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{name}: {m}" for m in modules if any(m == p or m.startswith(p + ".") for p in PRIMITIVES)]
    assert offenders == []


def test_no_module_but_crypto_loads_a_native_crypto_library():
    # ctypes itself is not a primitive (`gonghui run` uses it for prctl); loading libgcrypt or
    # libcrypto through it is, so only the crypto owner names them.
    names = ("gcrypt", "libcrypto", "libssl", "gmssl", "tongsuo")
    offenders = [f"{path.relative_to(SRC).as_posix()}: {n}" for path in SRC.rglob("*.py")
                 if path.relative_to(SRC).as_posix() not in ALLOWED
                 for n in names if n in path.read_text(encoding="utf-8").lower()]
    assert offenders == []


# --- known answers: GB/T 32905 (SM3), GB/T 32907 (SM4), RFC 8998 (SM4-GCM), RFC 2104 HMAC-SM3 ---

def test_sm3_matches_the_published_vectors():
    assert crypto.digest("gm", b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.digest("gm", b"abcd" * 16).hex() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_sm4_matches_the_published_vectors():
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert crypto.sm4_block(key, key).hex() == "681edf34d206965e86b3e94f536e4246"
    sealed = crypto.sm4_gcm_encrypt(
        key, bytes.fromhex("00001234567800000000abcd"),
        bytes.fromhex("aa" * 8 + "bb" * 8 + "cc" * 8 + "dd" * 8 + "ee" * 8 + "ff" * 8 + "ee" * 8 + "aa" * 8),
        bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"))
    assert sealed.hex() == (
        "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15"
        "a56834cbcf98c397b4024a2691233b8d" "83de3541e4c2b58177e065a9bf7b62ec")
    crypto.self_test()


def test_sm4_gcm_decryption_opens_the_published_vector_and_refuses_any_change():
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    nonce, aad = bytes.fromhex("00001234567800000000abcd"), bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    plain = bytes.fromhex("aa" * 8 + "bb" * 8 + "cc" * 8 + "dd" * 8 + "ee" * 8 + "ff" * 8 + "ee" * 8 + "aa" * 8)
    sealed = bytes.fromhex(
        "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15"
        "a56834cbcf98c397b4024a2691233b8d" "83de3541e4c2b58177e065a9bf7b62ec")
    assert crypto.sm4_gcm_decrypt(key, nonce, sealed, aad) == plain
    for changed in (sealed[:-1] + bytes([sealed[-1] ^ 1]), bytes([sealed[0] ^ 1]) + sealed[1:], sealed[:15]):
        with pytest.raises(InvalidTag):
            crypto.sm4_gcm_decrypt(key, nonce, changed, aad)
    with pytest.raises(InvalidTag):
        crypto.sm4_gcm_decrypt(key, nonce, sealed, aad[:-1])
    # A stored gm value is that construction: nonce ‖ SM4-GCM(ciphertext ‖ tag) under SM3(secret)[:16].
    stored = crypto.encrypt("430121199001011234", RINGS["gm"])
    raw = base64.b64decode(stored.split(":", 2)[2])
    key = crypto.digest("gm", b"field")[:16]
    assert crypto.sm4_gcm_decrypt(key, raw[:12], raw[12:]) == b"430121199001011234"


def test_hmac_sm3_is_rfc_2104_over_sm3():
    key, message = b"k" * 20, b"gonghui"
    padded = key.ljust(64, b"\0")
    inner = crypto.digest("gm", bytes(b ^ 0x36 for b in padded) + message)
    assert crypto.mac("gm", key, message) == crypto.digest("gm", bytes(b ^ 0x5C for b in padded) + inner)


# --- field encryption and lookup hashes -------------------------------------------------------------

RINGS = {p: crypto.Keyring({1: crypto.KeyVersion(1, p, "field", "lookup", "audit")}, 1) for p in crypto.PROFILES}


@hsettings(max_examples=60, deadline=None)
@given(st.text(), st.sampled_from(crypto.PROFILES))
def test_any_value_round_trips_and_names_its_key_version_and_profile(text, profile):
    ring = RINGS[profile]
    stored = crypto.encrypt(text, ring)
    assert crypto.decrypt(stored, ring) == text
    assert stored == "" if not text else stored.startswith(f"k1:{profile}:")


def test_a_value_cannot_be_opened_by_another_profile_or_key():
    stored = crypto.encrypt("430121199001011234", RINGS["gm"])
    forged = stored.replace("k1:gm:", "k1:intl:")
    with pytest.raises(ValueError):
        crypto.decrypt(forged, RINGS["intl"])
    other = crypto.Keyring({1: crypto.KeyVersion(1, "gm", "another", "lookup", "audit")}, 1)
    with pytest.raises(ValueError):
        crypto.decrypt(stored, other)


def test_values_written_before_key_versions_are_read_as_version_1_intl(settings):
    settings.CRYPTO_PROFILE = "gm"  # even after the profile was switched for new writes
    nonce = os.urandom(12)
    sealed = AESGCM(hashlib.sha256(settings.FIELD_KEY.encode()).digest()).encrypt(nonce, "张三".encode(), None)
    assert crypto.decrypt("v1:" + base64.b64encode(nonce + sealed).decode()) == "张三"
    bare = hmac.new(settings.LOOKUP_KEY.encode(), b"430121199001011234", hashlib.sha256).hexdigest()
    assert bare in crypto.lookup_hashes("430121199001011234")
    assert crypto.lookup_hash("430121199001011234").startswith("k1:gm:")


def test_a_lookup_by_id_number_finds_the_person_under_either_profile(profile, tree):
    number = make_id("19880215", 7)
    m = services.member_join(actor=None, union=tree.union_a1, name="李丽", id_number=number, joined_on=D(2024, 5, 1),
                             phone="13812345678")
    person = Person.objects.get(pk=m.person.pk)
    assert person.id_cipher.startswith(f"k1:{profile}:") and person.id_hash.startswith(f"k1:{profile}:")
    assert services.find_person(number) == person and person.phone == "13812345678"


def test_signed_tokens_verify_across_a_rotation_until_the_old_key_is_retired(tree):
    token = crypto.sign("card-HN0001", purpose="member-card")
    assert crypto.unsign(token, purpose="member-card") == "card-HN0001"
    assert crypto.unsign(token.replace("HN0001", "HN0002"), purpose="member-card") is None
    rotation.start(profile="gm")
    assert crypto.unsign(token, purpose="member-card") == "card-HN0001"
    assert crypto.unsign(crypto.sign("x", purpose="member-card"), purpose="member-card") == "x"
    rotation.run()
    rotation.finish()
    assert crypto.unsign(token, purpose="member-card") is None


# --- rotation -------------------------------------------------------------------------------------

class Killed(Exception):
    pass


def kill(_label, _done):
    raise Killed


def join_people(tree, n):
    numbers = [make_id(f"1990{(i % 12) + 1:02d}0{(i % 9) + 1}", i + 1) for i in range(n)]
    for i, number in enumerate(numbers):
        services.member_join(actor=None, union=tree.union_a1, name=f"职工{i}", id_number=number,
                             joined_on=D(2024, 5, 1), phone=f"1381234{i:04d}")
    return numbers


def test_a_rotation_killed_midway_resumes_and_every_record_stays_readable(profile, tree):
    numbers = join_people(tree, 7)
    target = "gm" if profile == "intl" else "intl"
    with pytest.raises(Killed):
        rotation.rotate(profile=target, on_batch=kill, batch_size=3)

    # Killed after one batch: both versions in the table, and everything still works.
    assert rotation.in_progress()
    tags = {crypto.parse_tag(c)[:2] for c in Person.objects.values_list("id_cipher", flat=True)}
    assert tags == {(1, profile), (2, target)}
    assert [services.find_person(n).id_number for n in numbers] == numbers
    late = make_id("19700101", 99)
    services.member_join(actor=None, union=tree.union_b1, name="新人", id_number=late, joined_on=D(2024, 6, 1))
    assert services.find_person(late).id_cipher.startswith(f"k2:{target}:")
    assert audit.verify_chain() is None
    with pytest.raises(keys.KeysError, match="还有"):
        rotation.finish()

    result = rotation.rotate(batch_size=3)
    assert result["resumed"] and result["retired"] == [1] and result["write"] == f"k2:{target}"
    for cipher, id_hash, phone in Person.objects.values_list("id_cipher", "id_hash", "phone_cipher"):
        assert cipher.startswith(f"k2:{target}:") and id_hash.startswith(f"k2:{target}:")
        assert phone == "" or phone.startswith(f"k2:{target}:")
    assert [services.find_person(n).id_number for n in [*numbers, late]] == [*numbers, late]
    assert crypto.keyring().get(1).retired and rotation.remaining() == 0
    # The chain runs on across the change: entries under k1, the transition, entries under k2.
    assert audit.verify_chain() is None
    transition = AuditEvent.objects.get(action=audit.TRANSITION)
    assert (transition.key, transition.changes["from"]) == (f"k2:{target}", f"k1:{profile}")
    assert AuditEvent.objects.filter(seq__lt=transition.seq).exclude(key=f"k1:{profile}").count() == 0
    assert AuditEvent.objects.filter(seq__gt=transition.seq).exclude(key=f"k2:{target}").count() == 0


def test_a_value_written_with_the_old_key_behind_the_rotation_is_swept_up(tree, settings):
    join_people(tree, 4)
    old = crypto.keyring()
    rotation.start(profile="gm")
    rotation.run(batch_size=2)
    # A web worker that encrypted with the old key just before the switch, and saved after the
    # rotation had passed that row.
    first = Person.objects.order_by("pk").first()
    Person.objects.filter(pk=first.pk).update(phone_cipher=crypto.encrypt("13900000000", old))
    assert rotation.remaining() == 1
    result = rotation.rotate(batch_size=2)
    assert result["retired"] == [1] and Person.objects.get(pk=first.pk).phone == "13900000000"
    assert Person.objects.get(pk=first.pk).phone_cipher.startswith("k2:gm:")


def test_a_forged_transition_entry_is_detected(tree):
    join_people(tree, 2)
    rotation.start(profile="gm")
    transition = AuditEvent.objects.get(action=audit.TRANSITION)
    # Re-sign the entry under the new key with a wrong bridge: only the old key could make a good one.
    changes = {**transition.changes, "bridge": "00" * 32}
    forged = AuditEvent(**{f.attname: getattr(transition, f.attname) for f in AuditEvent._meta.concrete_fields})
    forged.changes = changes
    forged.hash = audit.compute_hash(forged.prev_hash, forged)
    assert not audit._check_transition(forged)
    assert audit._check_transition(transition)


def test_keys_rotate_command_shows_progress_and_switches_to_gm(tree):
    join_people(tree, 3)
    out = io.StringIO()
    call_command("keys", "rotate", "--profile", "gm", "--batch-size", "2", stdout=out)
    text = out.getvalue()
    assert "密钥轮换完成：现用密钥 k2:gm" in text and "%" in text
    assert all(c.startswith("k2:gm:") for c in Person.objects.values_list("id_cipher", flat=True))


def test_keys_rotate_background_runs_as_a_job_and_audit_verify_names_both_segments(tree, personas):
    join_people(tree, 2)
    out = io.StringIO()
    call_command("keys", "rotate", "--background", "--user", personas.county_admin.username, stdout=out)
    assert "后台任务" in out.getvalue()
    job = Job.objects.get(kind="core.keys.rotate")
    assert job.status == Job.Status.QUEUED and not rotation.in_progress()
    jobs.execute(job.pk)  # what the task worker does
    job.refresh_from_db()
    assert (job.status, job.user, job.result["write"]) == (Job.Status.DONE, personas.county_admin, "k2:intl")
    assert all(c.startswith("k2:intl:") for c in Person.objects.values_list("id_cipher", flat=True))
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "k1:intl 第 1–" in out.getvalue() and "k2:intl 第 " in out.getvalue()


# --- keys outside the data directory, and wrong keys refused -----------------------------------------

def test_wrong_keys_are_refused_before_anything_is_written(tree, settings):
    join_people(tree, 2)
    assert keys.check_sample() == 4  # id_cipher and phone_cipher of both (the first and the last row)
    entries = AuditEvent.objects.count()
    settings.FIELD_KEY = "not this installation's key"
    with pytest.raises(keys.KeysError, match="密钥打不开数据库中的加密数据"):
        keys.check_sample()
    with pytest.raises(CommandError, match="已拒绝启动"):
        call_command("keys", "rotate")
    assert AuditEvent.objects.count() == entries and not Path(settings.KEYS_FILE).exists()


def _settings_in_child(keys_file: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {k.env for k in keys.KEYS}}
    code = "import gonghui.settings as s; print(s.FIELD_KEY, s.SECRET_KEY)"
    return subprocess.run([sys.executable, "-c", code], env={**env, "GONGHUI_KEYS_FILE": str(keys_file)},
                          capture_output=True, text=True, timeout=60)


def test_a_keys_file_outside_the_data_directory_is_used_and_refused_when_others_can_read_it(tmp_path):
    path = tmp_path / "gonghui-keys.json"
    path.write_text(json.dumps({"format": "gonghui-keyring", "secret_key": "s" * 50, "versions": {
        "1": {"profile": "gm", "field_key": "f" * 50, "lookup_key": "l" * 50, "audit_key": "a" * 50}}}))
    path.chmod(0o644)
    refused = _settings_in_child(path)
    assert refused.returncode != 0 and "权限过宽" in refused.stderr and "chmod 600" in refused.stderr
    path.chmod(0o600)
    used = _settings_in_child(path)
    assert used.returncode == 0, used.stderr
    assert used.stdout.split() == ["f" * 50, "s" * 50]


def test_a_keys_file_of_format_version_1_is_still_read(tmp_path):
    sample = {k.name: f"{k.name}-value" for k in keys.KEYS}
    payload = json.dumps({"version": 1, "keys": sample}).encode()
    doc = {"format": "gonghui-keys", "version": 1, **crypto.seal_with_passphrase(payload, "a long passphrase", b"gonghui-keys/1")}
    (tmp_path / "old.json").write_text(json.dumps(doc))
    assert keys.read(tmp_path / "old.json", "a long passphrase") == sample


def test_an_exported_keys_file_carries_the_key_versions_and_opens_the_rotated_data(tree, tmp_path):
    join_people(tree, 2)
    rotation.rotate(profile="gm")
    keys.export(tmp_path / "k.json", "a long passphrase")
    found = keys.read(tmp_path / "k.json", "a long passphrase")
    ring = keys.ring_of_set(found)
    assert ring.writer.tag == "k2:gm"
    assert all(crypto.decrypt(c, ring) for c in Person.objects.values_list("id_cipher", flat=True))


# --- passwords ------------------------------------------------------------------------------------

def test_under_gm_passwords_use_pbkdf2_sm3_and_old_hashes_are_upgraded_at_login(db, settings):
    settings.PASSWORD_HASHERS = ["gonghui.core.crypto.PBKDF2SM3PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = User.objects.create(username="old", password=make_password("Long-enough-pw1", hasher="pbkdf2_sha256"))
    assert not user.check_password("wrong password")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password("Long-enough-pw1")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sm3$") and user.check_password("Long-enough-pw1")
