"""Key lifecycle (issue 13): the start-up check that the keys open the data (a Django system check,
tag "gonghui.keys"), the destruction of a retired key version, and the signed tokens the
application hands out (member-card verification, activation codes) under both profiles."""

import datetime as dt
import io
import json
import os
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from gonghui import settings as gonghui_settings
from gonghui.core import audit, checks, clock, crypto, keys, rotation
from gonghui.core.models import AuditEvent
from gonghui.members import services
from gonghui.members.models import Person
from gonghui.orgs.models import Org
from tests.members.conftest import make_id

D = dt.date


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    """Each test its own keyring document, audit anchor and data directory (the database is rolled back)."""
    settings.KEYS_FILE = str(tmp_path / "keyring.json")
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchor.log")
    settings.AUDIT_ANCHOR_URL = ""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


@pytest.fixture(params=crypto.PROFILES)
def profile(request, settings):
    settings.CRYPTO_PROFILE = request.param
    return request.param


def join_people(tree, n):
    for i in range(n):
        services.member_join(actor=None, union=tree.union_a1, name=f"职工{i}", id_number=make_id("19900101", i + 1),
                             joined_on=D(2024, 5, 1), phone=f"1381234{i:04d}")


def keys_check() -> list[str]:
    return [m.id for m in checks.keys_open_the_data()]


# --- the start-up check ---------------------------------------------------------------------------

def test_an_empty_database_passes_the_keys_check_whatever_the_keys(db, settings):
    settings.FIELD_KEY = "not this installation's key"
    assert keys_check() == []
    call_command("check", tags=[checks.TAG], stdout=io.StringIO())


def test_a_wrong_keys_file_is_refused_by_the_system_check_before_any_write(tree, settings, tmp_path):
    join_people(tree, 3)
    assert keys_check() == []
    # The operator points GONGHUI_KEYS_FILE at another installation's keys file (mode 600).
    wrong = tmp_path / "other-keys.json"
    wrong.write_text(json.dumps({"format": "gonghui-keyring", "secret_key": "s" * 50, "versions": {
        "1": {"profile": "intl", "field_key": "f" * 50, "lookup_key": "l" * 50, "audit_key": "a" * 50}}}))
    wrong.chmod(0o600)
    read = gonghui_settings._read_keys_file(str(wrong))  # what settings.py makes of it at start
    settings.KEYS_FILE = str(wrong)
    settings.FIELD_KEY, settings.LOOKUP_KEY, settings.AUDIT_KEY = read["field_key"], read["lookup_key"], read["audit_key"]
    counts = (Person.objects.count(), Org.objects.count(), AuditEvent.objects.count())

    messages = checks.keys_open_the_data()
    assert [m.id for m in messages] == [checks.E_KEYS]
    assert "密钥打不开数据库中的加密数据" in messages[0].msg and "已拒绝启动" in messages[0].msg
    assert "GONGHUI_KEYS_FILE" in messages[0].hint
    with pytest.raises(SystemCheckError, match="密钥打不开数据库中的加密数据"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    # A command that writes is stopped by the check before its first write.
    with pytest.raises(SystemCheckError):
        call_command("demo", size="small", skip_checks=False, stdout=io.StringIO(), stderr=io.StringIO())
    assert (Person.objects.count(), Org.objects.count(), AuditEvent.objects.count()) == counts
    assert json.loads(wrong.read_text())["versions"]["1"]["field_key"] == "f" * 50  # the file itself untouched


def test_an_unreadable_keyring_file_is_refused_by_the_check(tree, settings):
    join_people(tree, 1)
    Path(settings.KEYS_FILE).write_text("{not json")
    messages = checks.keys_open_the_data()
    assert [m.id for m in messages] == [checks.E_KEYS] and "无法读取密钥版本文件" in messages[0].msg


def test_the_keys_command_runs_under_wrong_keys_but_rotate_refuses_them(tree, settings):
    join_people(tree, 2)
    settings.FIELD_KEY = "not this installation's key"
    with pytest.raises(CommandError, match="已拒绝启动"):
        call_command("keys", "rotate")
    with pytest.raises(CommandError, match="已拒绝启动"):
        call_command("keys", "destroy", "--version", "k1")
    assert not Path(settings.KEYS_FILE).exists()


# --- destruction of a retired version ----------------------------------------------------------------

def test_a_retired_version_is_destroyed_only_once_nothing_uses_it(tree, settings, profile, tmp_path):
    join_people(tree, 4)
    # Version 1's keys are in the data directory, as in the embedded demo.
    for name, setting in (("field_key", "FIELD_KEY"), ("lookup_key", "LOOKUP_KEY"), ("audit_key", "AUDIT_KEY")):
        (settings.DATA_DIR / name).write_text(getattr(settings, setting))
    old = crypto.keyring()
    with pytest.raises(keys.KeysError, match="现用"):
        rotation.destroy("k1")

    rotation.start(profile="gm")
    rotation.run(batch_size=2)
    with pytest.raises(keys.KeysError, match="轮换尚未完成"):
        rotation.destroy("k1")
    # A value written with the old key behind the rotation: counted, and destruction refused.
    first = Person.objects.order_by("pk").first()
    Person.objects.filter(pk=first.pk).update(phone_cipher=crypto.encrypt("13900000000", old))
    assert rotation.values_using(1) == 1
    rotation.rotate()  # sweeps it up and retires k1, whose keys stay until destroyed
    assert crypto.keyring().get(1).retired and rotation.values_using(1) == 0
    path = Path(settings.KEYS_FILE)
    path.chmod(0o400)
    Person.objects.filter(pk=first.pk).update(phone_cipher=crypto.encrypt("13900000000", old))
    with pytest.raises(keys.KeysError, match="还有 1 个"):
        rotation.destroy("k1")
    Person.objects.filter(pk=first.pk).update(phone_cipher=crypto.encrypt("13900000000"))

    out = io.StringIO()
    call_command("keys", "destroy", "--version", "k1", stdout=out)
    assert "k1" in out.getvalue() and "已销毁" in out.getvalue() and "审计密钥保留" in out.getvalue()
    assert "重新导出密钥文件" in out.getvalue()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o400  # the keyring file keeps its permissions
    entry = json.loads(path.read_text())["versions"]["1"]
    assert "field_key" not in entry and "lookup_key" not in entry and entry["destroyed"]
    assert crypto.keyring().get(1).audit_key == settings.AUDIT_KEY  # still verifies the entries it signed
    assert (settings.DATA_DIR / "audit_key").read_text() == settings.AUDIT_KEY
    assert not (settings.DATA_DIR / "field_key").exists() and not (settings.DATA_DIR / "lookup_key").exists()
    event = AuditEvent.objects.get(action=rotation.DESTROYED)
    assert event.changes["version"].startswith("k1:") and event.changes["audit_key_kept"] is True
    assert audit.verify_chain() is None
    assert [services.find_person(make_id("19900101", i + 1)).name for i in range(4)] == [f"职工{i}" for i in range(4)]
    # A keys file exported after the destruction carries what is left and opens the data.
    keys.export(tmp_path / "after.json", "a long passphrase")
    found = keys.read(tmp_path / "after.json", "a long passphrase")
    assert keys.fingerprints(found) == keys.fingerprints(keys.current())
    assert "field_key" not in json.loads(found["keyring"])["versions"]["1"]
    ring = keys.ring_of_set(found)
    assert all(crypto.decrypt(c, ring) for c in Person.objects.values_list("id_cipher", flat=True))
    with pytest.raises(keys.KeysError, match="已于"):
        rotation.destroy("k1")
    with pytest.raises(CommandError, match="没有密钥版本 k7"):
        call_command("keys", "destroy", "--version", "k7")


def test_a_version_that_was_never_retired_is_not_destroyed(tree):
    join_people(tree, 1)
    rotation.start(profile="gm")
    rotation.run()
    with pytest.raises(keys.KeysError):
        rotation.destroy("k1")  # a rotation still under way (not finished)
    rotation.finish()
    rotation.start()
    rotation.run()
    with pytest.raises(keys.KeysError, match="轮换尚未完成"):
        rotation.destroy("k2")
    rotation.finish()
    assert rotation.destroy("k2:gm")["version"] == "k2:gm"
    with pytest.raises(keys.KeysError, match="k1、k2"):
        rotation.destroy("version-two")


# --- signed tokens ---------------------------------------------------------------------------------

def ring(profile: str, number: int = 1) -> crypto.Keyring:
    return crypto.Keyring({number: crypto.KeyVersion(number, profile, "field", "lookup", "audit")}, number)


@pytest.mark.parametrize("kind", crypto.PROFILES)
def test_signed_tokens_carry_version_purpose_and_expiry(kind):
    r = ring(kind, 3)
    now = clock.now()
    token = crypto.sign("card.HN-0001", purpose="member-card", max_age=dt.timedelta(days=30), ring=r)
    assert token.startswith(f"card.HN-0001.k3:{kind}.")
    assert crypto.unsign(token, purpose="member-card", ring=r) == "card.HN-0001"
    assert crypto.unsign(token, purpose="activation", ring=r) is None  # another purpose's key
    assert crypto.unsign(token, purpose="member-card", now=now + dt.timedelta(days=31), ring=r) is None
    assert crypto.unsign(token, purpose="member-card", now=now + dt.timedelta(days=29), ring=r) == "card.HN-0001"
    value, tag, expiry, mac = token.rsplit(".", 3)
    for forged in (f"card.HN-0002.{tag}.{expiry}.{mac}", f"{value}.{tag}.{int(expiry) + 86400}.{mac}",
                   f"{value}.{tag}.0.{mac}", f"{value}.k4:{kind}.{expiry}.{mac}", f"{value}..{expiry}.{mac}",
                   f"{value}.{tag}.{expiry}.{mac[:-1]}{'1' if mac[-1] == '0' else '0'}", "no-dots", ""):
        assert crypto.unsign(forged, purpose="member-card", ring=r) is None
    # Another key's signature does not pass, nor a token whose tag names another profile.
    other = crypto.Keyring({3: crypto.KeyVersion(3, kind, "field", "another lookup key", "audit")}, 3)
    assert crypto.unsign(token, purpose="member-card", ring=other) is None
    swapped = token.replace(f".k3:{kind}.", f".k3:{'gm' if kind == 'intl' else 'intl'}.")
    assert crypto.unsign(swapped, purpose="member-card", ring=r) is None
    endless = crypto.sign("activate-42", purpose="activation", ring=r)
    assert endless.split(".")[-2] == "0"
    assert crypto.unsign(endless, purpose="activation", now=now + dt.timedelta(days=3650), ring=r) == "activate-42"
    fixed = crypto.sign("x", purpose="activation", expires_at=now - dt.timedelta(seconds=1), ring=r)
    assert crypto.unsign(fixed, purpose="activation", ring=r) is None
    with pytest.raises(ValueError):
        crypto.sign("x", purpose="", ring=r)


def test_tokens_verify_across_a_rotation_until_their_version_is_retired(tree, profile):
    token = crypto.sign("card-HN0001", purpose="member-card")
    assert token.split(".")[1] == f"k1:{profile}"
    rotation.start(profile="gm" if profile == "intl" else "intl")
    fresh = crypto.sign("card-HN0002", purpose="member-card")
    assert fresh.split(".")[1].startswith("k2:")
    assert crypto.unsign(token, purpose="member-card") == "card-HN0001"
    assert crypto.unsign(fresh, purpose="member-card") == "card-HN0002"
    rotation.run()
    rotation.finish()
    assert crypto.unsign(token, purpose="member-card") is None
    assert crypto.unsign(fresh, purpose="member-card") == "card-HN0002"


# --- the real start-up, in a child process ------------------------------------------------------------

PERSON = """
import datetime as dt
from gonghui.core import crypto
from gonghui.members.models import Person
Person.objects.create(name="张三", id_cipher=crypto.encrypt("430121199001011234"),
                      id_hash=crypto.lookup_hash("430121199001011234"), id_masked="430121********1234",
                      id_last4="1234", gender=1, birth_date=dt.date(1990, 1, 1), first_joined_on=dt.date(2020, 1, 1))
"""


def test_gonghui_refuses_to_start_under_another_installations_keys_file(tmp_path):
    from tests.core import procs

    data_dir = procs.prepare(tmp_path / "data")
    added = procs.gonghui(data_dir, "manage", "shell", "-c", PERSON)
    assert added.returncode == 0, added.stderr[-2000:]
    assert procs.gonghui(data_dir, "manage", "check", "--tag", checks.TAG).returncode == 0
    wrong = tmp_path / "other-keys.json"
    wrong.write_text(json.dumps({"format": "gonghui-keyring", "secret_key": "s" * 50, "versions": {
        "1": {"profile": "gm", "field_key": "f" * 50, "lookup_key": "l" * 50, "audit_key": "a" * 50}}}))
    wrong.chmod(0o600)
    database = data_dir / "gonghui.sqlite3"
    before = database.read_bytes()

    checked = procs.gonghui(data_dir, "manage", "check", GONGHUI_KEYS_FILE=str(wrong))
    assert checked.returncode != 0
    assert "gonghui.keys.E001" in checked.stderr and "密钥打不开数据库中的加密数据" in checked.stderr
    assert "Traceback" not in checked.stderr
    started = procs.gonghui(data_dir, "run", "--no-demo", GONGHUI_KEYS_FILE=str(wrong), PORT=str(procs.free_port()))
    assert started.returncode != 0 and "已拒绝启动" in started.stderr
    assert database.read_bytes() == before  # refused before any write (not even the migration check's)
    assert json.loads(wrong.read_text())["versions"]["1"]["field_key"] == "f" * 50
