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
VERSION = 1
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
    """The keys this installation runs with (from the environment or the data directory)."""
    return {k.name: getattr(settings, k.setting) for k in KEYS}


def fingerprints(keys: dict[str, str]) -> dict[str, str]:
    return {name: crypto.key_fingerprint(value) for name, value in sorted(keys.items())}


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
    payload = json.dumps({"version": VERSION, "keys": keys}, sort_keys=True).encode()
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
    if doc.get("version") != VERSION:
        raise KeysError(f"密钥文件的格式版本 {doc.get('version')} 不受本版本支持（支持 {VERSION}），请升级 gonghui。")
    try:
        payload = json.loads(crypto.open_with_passphrase(doc, passphrase, _aad(VERSION)))
    except ValueError:
        raise KeysError("无法打开密钥文件：口令不正确，或文件已被改动。") from None
    keys = payload.get("keys") if isinstance(payload, dict) else None
    missing = sorted(KEY_FILES - set(keys or {}))
    if missing:
        raise KeysError(f"密钥文件不完整，缺少：{'、'.join(missing)}。")
    return {name: str(keys[name]) for name in sorted(KEY_FILES)}


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
