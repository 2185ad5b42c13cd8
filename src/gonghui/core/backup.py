"""Backup and restore (等保 2.0 数据备份恢复).

A backup is a directory:

    manifest.json          what is inside, with a SHA-256 checksum per file
    database.dump          PostgreSQL: `pg_dump --format=custom`, or
    database.sqlite3       SQLite: a copy made with SQLite's online backup API
    files/...              the data directory's files: uploaded attachments (media/, petitions/),
                           job and import files; the summary templates live in the database

It never holds the keys: only their fingerprints, so that a restore can tell a keys file that
does not belong to the backup. The keys travel apart (`gonghui keys export`, core.keys).

A restore goes into an empty data directory and an empty database, and checks everything it can
before it writes anything: the checksums, the keys file against the fingerprints and against a
sample of the backup's encrypted values (decrypted with the file's field key), the schema
version, and that the target is empty.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import crypto, keys

FORMAT = "gonghui-backup"
VERSION = 1
MANIFEST = "manifest.json"
FILES = "files"
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
SAMPLE = 20  # encrypted values per column decrypted to check a keys file
# Regenerated, never backed up: the collected static files (collectstatic writes them again).
SKIPPED_DIRS = frozenset({"static"})

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the user (Chinese)."""


def _quiet(_message: str) -> None:
    pass


# --- the database -----------------------------------------------------------------------------

def vendor() -> str:
    return connection.vendor


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"]).resolve()


def _pg_env() -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore (the password never goes on a command line)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    for option, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if db.get("OPTIONS", {}).get(option):
            env[var] = str(db["OPTIONS"][option])
    return env


def _pg_server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _tool_major(path: str) -> int:
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else 0


def _pg_tool(name: str, at_least: int) -> str:
    """pg_dump/pg_restore of a major version not older than the server's (an older pg_dump
    refuses a newer server): GONGHUI_PG_BINDIR, then PATH, then Debian's versioned folders."""
    candidates = []
    if os.environ.get("GONGHUI_PG_BINDIR"):
        candidates.append(str(Path(os.environ["GONGHUI_PG_BINDIR"]) / name))
    candidates.append(shutil.which(name) or "")
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                         key=lambda p: int(re.sub(r"\D", "", Path(p).parts[-3]) or 0), reverse=True)
    for path in candidates:
        if path and os.access(path, os.X_OK) and _tool_major(path) >= at_least:
            return path
    raise BackupError(f"找不到 {at_least} 或更高版本的 {name}。请安装与数据库服务器同版本的 PostgreSQL 客户端"
                      f"（Debian：apt-get install postgresql-client-{at_least}），或用 GONGHUI_PG_BINDIR 指明其目录。")


def _table_counts(cursor) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


def _dump_sqlite(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """A consistent copy while the application keeps running (writers wait only for the copy)."""
    connection.ensure_connection()
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file: no -wal beside it
        dst.commit()
    finally:
        dst.close()
    with contextlib.closing(sqlite3.connect(f"file:{target}?mode=ro&immutable=1", uri=True)) as copy:
        cursor = copy.cursor()
        names = [r[0] for r in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        counts = {name: cursor.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608
        migrations = [list(r) for r in cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")]
    return counts, migrations


def _dump_postgresql(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """pg_dump inside a snapshot this transaction exported, so that the row counts written
    to the manifest are those of the dump, even while users keep writing."""
    pg_dump = _pg_tool("pg_dump", _pg_server_major())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        done = subprocess.run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                               f"--file={target}"], env=_pg_env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_dump 失败：{done.stderr.strip()}")
        return _table_counts(cursor), _applied_migrations(cursor)


# --- files ------------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    return crypto.file_checksum(path)


def _data_files(data_dir: Path) -> Iterator[Path]:
    """The data directory's files to back up: everything but the keys, the database and the
    regenerated static files."""
    skipped = set(keys.KEY_FILES) | {keys.KEYRING_FILE} | SKIPPED_DIRS
    if vendor() == "sqlite":
        db = _sqlite_path()
        if db.parent == data_dir:
            skipped |= {db.name, f"{db.name}-wal", f"{db.name}-shm", f"{db.name}-journal"}
    for top in sorted(data_dir.iterdir()):
        if top.name in skipped or top.name.startswith("."):
            continue
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            if not path.is_symlink():
                yield path


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


# --- backup -----------------------------------------------------------------------------------

def backup(out: Path, progress: Progress = _quiet) -> dict:
    """Write a backup into `out` (a new or empty directory); returns the manifest. The directory
    appears only when complete: it is written beside it and renamed at the end."""
    out = Path(out).resolve()
    data_dir = Path(settings.DATA_DIR).resolve()
    if out == data_dir or data_dir in out.parents:
        raise BackupError(f"备份目录 {out} 不能在数据目录 {data_dir} 之内。")
    if out.exists() and not _is_empty_dir(out):
        raise BackupError(f"备份目录 {out} 已存在且不为空。每次备份请用一个新目录。")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.partial-{os.getpid()}"
    work.mkdir(mode=0o700)
    try:
        kind = vendor()
        db_file = DB_FILES[kind]
        files: dict[str, dict] = {}
        # Files first, so that a file that only grows (the audit chain's checkpoints) names
        # nothing newer than the database; then the database; then the files that appeared
        # meanwhile, so that every attachment the database names is there.
        progress("正在备份上传的附件和其他数据文件……")
        _copy_data_files(data_dir, work, files)
        progress(f"正在备份数据库（{'PostgreSQL' if kind == 'postgresql' else 'SQLite'}）……")
        counts, migrations = (_dump_postgresql if kind == "postgresql" else _dump_sqlite)(work / db_file)
        os.chmod(work / db_file, 0o600)  # names, addresses, cases: readable by the service user only
        files[db_file] = {"size": (work / db_file).stat().st_size, "sha256": _sha256(work / db_file)}
        _copy_data_files(data_dir, work, files)
        manifest = {
            "format": FORMAT, "version": VERSION,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "gonghui_version": _package_version(),
            "database": {"vendor": kind, "file": db_file, "tables": counts, "migrations": migrations},
            # Never the keys: a backup that carries its keys makes their encryption worthless.
            "key_fingerprints": keys.fingerprints(keys.current()),
            "encrypted_columns": [f"{m._meta.db_table}.{f.column}" for m, f in crypto.encrypted_fields()],
            "files": files,
        }
        fd = os.open(work / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(manifest, f, ensure_ascii=False, indent=2)
            f.write("\n")
        os.replace(work, out)  # rename(2) replaces an empty directory
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _copy_data_files(data_dir: Path, work: Path, files: dict[str, dict]) -> None:
    """Copy the data files not copied yet into the backup, recording their checksums."""
    for path in _data_files(data_dir):
        rel = path.relative_to(data_dir)
        name = f"{FILES}/{rel.as_posix()}"
        if name in files:
            continue
        copy = work / FILES / rel
        copy.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        files[name] = {"size": copy.stat().st_size, "sha256": _sha256(copy)}


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gonghui")
    except PackageNotFoundError:
        return "unknown"


# --- restore: the checks, before anything is written ------------------------------------------

def read_manifest(src: Path) -> dict:
    try:
        manifest = json.loads((Path(src) / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{src} 不是 gonghui 备份目录（没有 {MANIFEST}）。") from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise BackupError(f"{src}/{MANIFEST} 已损坏，无法读取。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{src} 不是 gonghui 备份目录。")
    if manifest.get("version") != VERSION:
        raise BackupError(f"备份的格式版本 {manifest.get('version')} 不受本版本支持（支持 {VERSION}），请升级 gonghui。")
    for name in manifest.get("files", {}):
        # A manifest names files to copy into the data directory: never outside it.
        p = PurePosixPath(name)
        if p.is_absolute() or ".." in p.parts or not p.parts:
            raise BackupError(f"备份清单中的文件名不安全：{name}")
    return manifest


def verify_checksums(src: Path, manifest: dict, progress: Progress = _quiet) -> None:
    progress(f"正在校验 {len(manifest['files'])} 个文件的校验和……")
    for name, meta in manifest["files"].items():
        path = Path(src) / name
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少文件 {name}。")
        if path.stat().st_size != meta["size"] or _sha256(path) != meta["sha256"]:
            raise BackupError(f"校验和不符：{name} 已损坏或被改动。")
    if manifest["database"]["file"] not in manifest["files"]:
        raise BackupError("备份清单中没有数据库文件。")


def check_schema(manifest: dict) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["database"]["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(f"备份来自更新版本的 gonghui（包含本版本没有的数据库迁移 {unknown[0]} 等 {len(unknown)} 项），"
                          "请先升级 gonghui 再恢复。")


def check_keys(src: Path, manifest: dict, key_set: dict[str, str], progress: Progress = _quiet) -> int:
    """Refuse keys that do not open the backup's data; returns how many values were decrypted."""
    labels = {k.name: k.purpose for k in keys.KEYS} | {"keyring": "轮换后的密钥版本"}
    wrong = [name for name, fp in keys.fingerprints(key_set).items() if manifest["key_fingerprints"].get(name) != fp]
    if wrong:
        raise BackupError("密钥文件与这份备份不匹配（" + "、".join(f"{n}：{labels.get(n, n)}" for n in wrong) +
                          "）。请使用与备份同一套系统导出的密钥文件。")
    conflicts = keys.environment_conflicts(key_set)
    if conflicts:
        raise BackupError(f"环境变量 {'、'.join(conflicts)} 设置的密钥与密钥文件不同，恢复后数据将无法读取。"
                          "请去掉这些环境变量，或设为密钥文件中的值。")
    progress("正在用密钥文件试解密备份中的加密字段样本……")
    opened, ring = 0, keys.ring_of_set(key_set)
    for column, values in _encrypted_samples(Path(src), manifest).items():
        for value in values:
            try:
                crypto.decrypt(value, ring)
            except ValueError:
                raise BackupError(f"密钥文件打不开这份备份中的加密数据（{column} 的样本无法解密）。"
                                  "没有这份备份对应的密钥文件，加密字段（身份证号、手机号等）无法恢复。") from None
            opened += 1
    return opened


def _encrypted_columns() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for model, field in crypto.encrypted_fields():
        tables.setdefault(model._meta.db_table, []).append(field.column)
    return tables


def _encrypted_samples(src: Path, manifest: dict) -> dict[str, list[str]]:
    """Up to SAMPLE non-empty values of every encrypted column, read from the backup itself."""
    db_file = src / manifest["database"]["file"]
    samples: dict[str, list[str]] = {}
    if manifest["database"]["vendor"] == "sqlite":
        with contextlib.closing(sqlite3.connect(f"file:{db_file}?mode=ro&immutable=1", uri=True)) as db:
            present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table, columns in _encrypted_columns().items():
                for column in columns if table in present else []:
                    rows = db.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\' LIMIT ?',  # noqa: S608
                                      (SAMPLE,))
                    samples[f"{table}.{column}"] = [r[0] for r in rows]
        return samples
    pg_restore = _pg_tool("pg_restore", 0)
    for table, columns in _encrypted_columns().items():
        samples.update(_pg_samples(pg_restore, db_file, table, columns))
    return samples


_COPY_HEADER = re.compile(r"^COPY \S+ \((.*)\) FROM stdin;$")
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _copy_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _COPY_ESCAPES.get(m.group(1), m.group(1)), text)


def _pg_samples(pg_restore: str, dump: Path, table: str, columns: list[str]) -> dict[str, list[str]]:
    """Read a table's first rows out of a custom-format dump as COPY text (pg_restore writes
    the SQL to stdout; nothing touches a database)."""
    found: dict[str, list[str]] = {f"{table}.{c}": [] for c in columns}
    proc = subprocess.Popen([pg_restore, "--data-only", f"--table={table}", "--file=-", str(dump)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
    try:
        index = None
        for line in proc.stdout:
            line = line.rstrip("\n")
            if index is None:
                header = _COPY_HEADER.match(line)
                if header:
                    names = [n.strip().strip('"') for n in header.group(1).split(",")]
                    index = {c: names.index(c) for c in columns if c in names}
                continue
            if line == "\\.":
                break
            cells = line.split("\t")
            for column, i in index.items():
                if cells[i] not in ("", "\\N") and len(found[f"{table}.{column}"]) < SAMPLE:
                    found[f"{table}.{column}"].append(_copy_unescape(cells[i]))
            if all(len(v) >= SAMPLE for v in found.values()):
                break
    finally:
        proc.kill()
        proc.wait()
    return found


def check_target_empty() -> None:
    """The data directory may hold only what settings.py creates on start (freshly generated
    keys, which the restore replaces, and the static folder); the database no table."""
    data_dir = Path(settings.DATA_DIR).resolve()
    allowed = set(keys.KEY_FILES) | {keys.KEYRING_FILE} | SKIPPED_DIRS
    if vendor() == "sqlite":
        db = _sqlite_path()
        allowed |= {db.name, f"{db.name}-wal", f"{db.name}-shm"} if db.parent == data_dir else set()
        if db.exists() and db.stat().st_size:
            with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as existing:
                if existing.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
                    raise BackupError(f"目标数据库 {db} 不是空的。恢复只写入空数据库：请换一个新的数据目录或数据库。")
    elif connection.introspection.table_names():
        raise BackupError(f"目标数据库 {settings.DATABASES['default']['NAME']} 不是空的（已有数据表）。"
                          "恢复只写入空数据库：请新建一个空数据库，用 DATABASE_URL 指向它。")
    extra = sorted(p.name for p in data_dir.iterdir() if p.name not in allowed)
    if extra:
        raise BackupError(f"目标数据目录 {data_dir} 不是空的（已有 {'、'.join(extra[:5])}）。"
                          "恢复只写入空的数据目录：请用 GONGHUI_DATA_DIR 指向一个新目录。")


# --- restore: the writes ----------------------------------------------------------------------

def restore(src: Path, key_set: dict[str, str], progress: Progress = _quiet) -> dict:
    """Check everything, then restore keys, database and files. Returns a summary."""
    src = Path(src).resolve()
    manifest = read_manifest(src)
    kind = manifest["database"]["vendor"]
    if kind != vendor():
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"备份来自 {names.get(kind, kind)} 数据库，当前配置的是 {names.get(vendor(), vendor())}。"
                          "请让 DATABASE_URL 指向同类的空数据库。")
    check_target_empty()
    verify_checksums(src, manifest, progress)
    check_schema(manifest)
    opened = check_keys(src, manifest, key_set, progress)

    data_dir = Path(settings.DATA_DIR).resolve()
    keys.install(key_set, data_dir)
    progress("正在恢复数据库……")
    db_file = src / manifest["database"]["file"]
    if kind == "sqlite":
        _restore_sqlite(db_file)
    else:
        _restore_postgresql(db_file)
    progress("正在恢复附件和其他数据文件……")
    copied = 0
    for name in manifest["files"]:
        if name.startswith(f"{FILES}/"):
            target = data_dir / PurePosixPath(name).relative_to(FILES)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copy2(src / name, target)
            copied += 1
    with connection.cursor() as cursor:
        counts = _table_counts(cursor)
    differ = [t for t, n in manifest["database"]["tables"].items() if counts.get(t) != n]
    if differ:
        raise BackupError(f"恢复后数据表的行数与备份清单不符：{'、'.join(differ[:5])}。")
    return {"created_at": manifest["created_at"], "tables": len(counts), "rows": sum(counts.values()),
            "files": copied, "decrypted": opened}


def _restore_sqlite(db_file: Path) -> None:
    connection.close()
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(f"file:{db_file}?mode=ro&immutable=1", uri=True)) as src, \
            contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")


def _restore_postgresql(db_file: Path) -> None:
    pg_restore = _pg_tool("pg_restore", _pg_server_major())
    connection.close()
    # One transaction: a failed restore leaves the database as empty as it was. The restoring
    # role owns what it creates (run it as the role that runs the migrations); the grants to the
    # application's role are restored, so that role must exist on the new server.
    done = subprocess.run([pg_restore, "--single-transaction", "--exit-on-error", "--no-owner", "--no-password",
                           f"--dbname={settings.DATABASES['default']['NAME']}", str(db_file)],
                          env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        error = done.stderr.strip()[-2000:]
        hint = ("备份中的授权对象（角色）在本服务器上不存在，请先按部署文档创建同名角色。"
                if re.search(r"role .* does not exist", error) else "")
        raise BackupError(f"pg_restore 失败，数据库未改动：{error}{hint}")
