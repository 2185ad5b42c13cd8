"""The installation's keys, and the passphrase-protected keys file that carries them.

A backup never holds the keys (a backup that carries its own keys makes the encryption of ID
numbers worthless to whoever gets it). The keys travel apart, in a file written by
`gonghui keys export`: a versioned JSON document whose payload (the keys, themselves a
versioned JSON document) is sealed with AES-256-GCM under a key derived from a passphrase by
scrypt. Versioned so that it can grow (key versions, several keys per purpose) without
breaking files already in a safe.

    {"format": "gonghui-keys", "version": 1, "created_at": "...", "fingerprints": {...},
     "kdf": {"name": "scrypt", "salt": "...", "n": 131072, "r": 8, "p": 1},
     "cipher": "AES-256-GCM", "nonce": "...", "ciphertext": "..."}

The fingerprints (crypto.key_fingerprint) are public: they let a restore say which key of a
file does not match a backup, and an operator check which file belongs to which backup.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import crypto

FORMAT = "gonghui-keys"
VERSION = 2  # 2: the payload may carry the keyring (key versions after a rotation); 1 is still read
READABLE_VERSIONS = (1, 2)
KEYRING_FORMAT = "gonghui-keyring"
KEYRING_FILE = "keyring.json"  # in the data directory, unless GONGHUI_KEYS_FILE names another place
PASSPHRASE_ENV = "GONGHUI_KEYS_PASSPHRASE"
MIN_PASSPHRASE = 12


@dataclass(frozen=True)
class Key:
    name: str  # in the keys file, and the file name in the data directory (settings.py)
    setting: str
    env: str
    purpose: str


# Every key settings.py reads with `_key_from_env_or_file` (a test checks that a fresh data
# directory holds exactly these files).
KEYS = (
    Key("secret_key", "SECRET_KEY", "SECRET_KEY", "会话与签名"),
    Key("audit_key", "AUDIT_KEY", "GONGHUI_AUDIT_KEY", "审计日志哈希链"),
    Key("field_key", "FIELD_KEY", "GONGHUI_FIELD_KEY", "个人信息字段加密"),
    Key("lookup_key", "LOOKUP_KEY", "GONGHUI_LOOKUP_KEY", "身份证号等的查找哈希"),
)
KEY_FILES = frozenset(k.name for k in KEYS)


class KeysError(Exception):
    """A keys file that cannot be used; the message is for the user (Chinese)."""


def current() -> dict[str, str]:
    """The keys this installation runs with (from the environment, the data directory or
    GONGHUI_KEYS_FILE), plus "keyring": the key versions document once a rotation made one."""
    found = {k.name: getattr(settings, k.setting) for k in KEYS}
    doc = read_keyring_doc()
    if doc:
        found["keyring"] = json.dumps(doc, sort_keys=True)
    return found


# --- key versions ---------------------------------------------------------------------------------
# Version 1 is the installation's first key set (FIELD_KEY, LOOKUP_KEY, AUDIT_KEY). Later versions,
# the writing version and a rotation's progress live in the keyring document:
#     {"format": "gonghui-keyring", "write": 2,
#      "versions": {"1": {"profile": "intl", "retired": true},
#                   "2": {"profile": "gm", "field_key": "...", "lookup_key": "...", "audit_key": "..."}},
#      "rotation": {"to": 2, "done": {"members.person": 4711}}}      (only while a rotation runs)
# kept in GONGHUI_KEYS_FILE when set (which then also holds "secret_key" and version 1's keys),
# else in DATA_DIR/keyring.json, written only by a rotation.

def keyring_path() -> Path:
    configured = getattr(settings, "KEYS_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / KEYRING_FILE


def read_keyring_doc(path: Path | None = None) -> dict:
    path = path or keyring_path()
    try:
        doc = json.loads(Path(path).read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise KeysError(f"无法读取密钥版本文件 {path}：{exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != KEYRING_FORMAT:
        raise KeysError(f"{path} 不是 gonghui 的密钥版本文件。")
    return doc


def write_keyring_doc(doc: dict, path: Path | None = None) -> None:
    """Replace the keyring document in one step (a crash leaves the old or the new one, never half)."""
    path = Path(path or keyring_path())
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({**doc, "format": KEYRING_FORMAT}, f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def ring_from(doc: dict, first: dict[str, str], default_profile: str) -> crypto.Keyring:
    """The keyring of a keyring document and version 1's keys (`first`: field_key, lookup_key,
    audit_key)."""
    entries = doc.get("versions", {}) if doc else {}
    meta = entries.get("1", {})
    retired = bool(meta.get("retired"))
    versions = {1: crypto.KeyVersion(
        1, meta.get("profile", default_profile), "" if retired else first["field_key"],
        "" if retired else first["lookup_key"], first["audit_key"], retired)}
    for number, entry in entries.items():
        if number != "1":
            versions[int(number)] = crypto.KeyVersion(
                int(number), entry["profile"], entry.get("field_key", ""), entry.get("lookup_key", ""),
                entry["audit_key"], bool(entry.get("retired")))
    return crypto.Keyring(versions, int(doc.get("write", 1)) if doc else 1, rotating=bool(doc.get("rotation")))


_cached: tuple[tuple, crypto.Keyring] | None = None


def keyring() -> crypto.Keyring:
    """The installation's keyring; re-read when the keyring file changes (a rotation run by
    `gonghui keys rotate` is seen by the web and task workers at their next encryption)."""
    global _cached
    path = keyring_path()
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    except FileNotFoundError:
        stamp = None
    cache_key = (str(path), stamp, settings.FIELD_KEY, settings.LOOKUP_KEY, settings.AUDIT_KEY,
                 settings.CRYPTO_PROFILE)
    if _cached is None or _cached[0] != cache_key:
        first = {"field_key": settings.FIELD_KEY, "lookup_key": settings.LOOKUP_KEY, "audit_key": settings.AUDIT_KEY}
        _cached = (cache_key, ring_from(read_keyring_doc(path) if stamp else {}, first, settings.CRYPTO_PROFILE))
    return _cached[1]


def ring_of_set(key_set: dict[str, str]) -> crypto.Keyring:
    """The keyring a keys file (`read`) describes, for checking it against data before installing it."""
    doc = json.loads(key_set["keyring"]) if key_set.get("keyring") else {}
    return ring_from(doc, key_set, settings.CRYPTO_PROFILE)


def fingerprints(keys: dict[str, str]) -> dict[str, str]:
    return {name: crypto.key_fingerprint(_material(name, value)) for name, value in sorted(keys.items())}


def _material(name: str, value: str) -> str:
    """The keyring's fingerprint covers its key material only, not a rotation's progress."""
    if name != "keyring":
        return value
    versions = json.loads(value).get("versions", {})
    return json.dumps({n: [v.get(k, "") for k in ("profile", "field_key", "lookup_key", "audit_key")]
                       for n, v in versions.items()}, sort_keys=True)


def _aad(version: int) -> bytes:
    return f"{FORMAT}/{version}".encode()


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeysError(f"口令太短：至少 {MIN_PASSPHRASE} 个字符。")


def export(path: Path, passphrase: str, keys: dict[str, str] | None = None) -> dict:
    """Write the keys to `path` (created, never overwritten, mode 600); returns the document."""
    check_passphrase(passphrase)
    data_dir = Path(settings.DATA_DIR).resolve()
    if data_dir == Path(path).resolve().parent or data_dir in Path(path).resolve().parents:
        raise KeysError(f"密钥文件不能写在数据目录 {data_dir} 里：数据目录会进入备份，密钥必须与备份分开保管。")
    keys = current() if keys is None else keys
    payload = json.dumps({"version": VERSION, "keys": keys}, sort_keys=True).encode()  # keys["keyring"]: the versions
    doc = {"format": FORMAT, "version": VERSION, "created_at": timezone.localtime().isoformat(timespec="seconds"),
           "fingerprints": fingerprints(keys), **crypto.seal_with_passphrase(payload, passphrase, _aad(VERSION))}
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeysError(f"文件 {path} 已存在，不会覆盖。请换一个文件名。") from None
    except OSError as exc:
        raise KeysError(f"无法写入 {path}：{exc.strerror}。") from None
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return doc


def read(path: Path, passphrase: str) -> dict[str, str]:
    """The keys in a keys file; KeysError with a Chinese message when it cannot be opened."""
    try:
        doc = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise KeysError(f"找不到密钥文件 {path}。") from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise KeysError(f"{path} 不是 gonghui 导出的密钥文件。") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise KeysError(f"{path} 不是 gonghui 导出的密钥文件。")
    if doc.get("version") not in READABLE_VERSIONS:
        raise KeysError(f"密钥文件的格式版本 {doc.get('version')} 不受本版本支持（支持 {VERSION}），请升级 gonghui。")
    try:
        payload = json.loads(crypto.open_with_passphrase(doc, passphrase, _aad(doc["version"])))
    except ValueError:
        raise KeysError("无法打开密钥文件：口令不正确，或文件已被改动。") from None
    keys = payload.get("keys") if isinstance(payload, dict) else None
    missing = sorted(KEY_FILES - set(keys or {}))
    if missing:
        raise KeysError(f"密钥文件不完整，缺少：{'、'.join(missing)}。")
    found = {name: str(keys[name]) for name in sorted(KEY_FILES)}
    if keys.get("keyring"):
        found["keyring"] = str(keys["keyring"])
    return found


def install(keys: dict[str, str], data_dir: Path) -> list[str]:
    """Write the keys into the data directory (mode 600) where settings.py reads them; a key
    set in the environment stays there. Returns the names written."""
    written = []
    for k in KEYS:
        if os.environ.get(k.env):
            continue
        path = Path(data_dir) / k.name
        tmp = path.with_name(f".{k.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(keys[k.name])
        os.replace(tmp, path)
        written.append(k.name)
    if keys.get("keyring"):
        doc = json.loads(keys["keyring"])
        if getattr(settings, "KEYS_FILE", ""):
            # The operator's keys file also holds the secret key and version 1: merge the versions in.
            merged = read_keyring_doc()
            for number, entry in doc.get("versions", {}).items():
                merged.setdefault("versions", {}).setdefault(number, {}).update(entry)
            merged.update({k: v for k, v in doc.items() if k != "versions"})
            write_keyring_doc(merged)
        else:
            write_keyring_doc(doc, Path(data_dir) / KEYRING_FILE)
        written.append(KEYRING_FILE)
    return written


def environment_conflicts(keys: dict[str, str]) -> list[str]:
    """Keys set in the environment to another value than the file's: after a restore the
    data could not be read, so a restore refuses them."""
    return [k.env for k in KEYS if os.environ.get(k.env) and os.environ[k.env] != keys[k.name]]


def passphrase(*, confirm: bool) -> str:
    """The passphrase from GONGHUI_KEYS_PASSPHRASE (for scripts), else typed at a prompt."""
    import getpass
    import sys

    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise KeysError(f"需要口令：请在终端中运行以输入口令，或设置环境变量 {PASSPHRASE_ENV}。")
    first = getpass.getpass("密钥文件口令：")
    if confirm:
        check_passphrase(first)
        if getpass.getpass("再输入一次：") != first:
            raise KeysError("两次输入的口令不一致。")
    return first


SAMPLE = 3  # values per encrypted column: the first and last rows, and one in between


def check_sample(ring: crypto.Keyring | None = None) -> int:
    """Refuse keys that do not open the data (a wrong GONGHUI_KEYS_FILE, a data directory from
    another installation): KeysError with the column, before anything is written or shown.
    Returns how many values were opened."""
    crypto.self_test()
    opened = 0
    for model, field in crypto.encrypted_fields():
        rows = model._base_manager.exclude(**{field.attname: ""}).order_by("pk")
        count = rows.count()
        if not count:
            continue
        picks = {0, count // 2, count - 1}
        for index in sorted(picks)[:SAMPLE]:
            value = rows.values_list(field.attname, flat=True)[index]
            try:
                crypto.decrypt(value, ring)
            except ValueError:
                raise KeysError(
                    f"密钥打不开数据库中的加密数据（{model._meta.db_table}.{field.column} 的样本无法解密）："
                    "密钥文件或密钥环境变量与这份数据不属于同一套系统。为避免显示乱码或写入无法读取的数据，已拒绝启动。"
                    "请检查 GONGHUI_KEYS_FILE、GONGHUI_FIELD_KEY 等设置，或用 gonghui restore 配套的密钥文件。") from None
            opened += 1
    return opened
