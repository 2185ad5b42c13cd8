"""System checks of the installation (django.core.checks), run before every management command
that needs them, by `runserver`, by `manage check` and by `gonghui run` before it starts the web
server and the task worker (gunicorn itself runs no checks: `gonghui run` has, just before).

"gonghui.keys": the keys must open a sample of the encrypted data (the first and last value of
every encrypted column and one near the middle of its primary keys) and the national algorithms
must pass their known-answer self-test. The sample is found by primary-key index walks (three
LIMIT 1 queries and a MIN/MAX per column: about 50 ms on the county demo under PostgreSQL) rather
than by COUNT and OFFSET like core.keys.check_sample (0.6 s there), because the check runs before
every management command, the task worker's and cron's included. A wrong GONGHUI_KEYS_FILE, or a data directory from another
installation, stops the command before it writes or shows anything, with a message that says
what to check. A database with no encrypted value yet (tests, `migrate` on an empty database, a
fresh `gonghui setup`) has nothing to sample and passes; so does a database whose tables are not
there yet: `migrate` must be able to create them.

Commands that must work under any keys opt out in their own way: `gonghui keys` (it compares and
repairs keys) declares no system checks, and any command accepts Django's `--skip-checks` (e.g.
`gonghui restore --skip-checks` to put back a backup with its keys file over data the current
keys cannot open).
"""

from __future__ import annotations

from pathlib import Path

from django.core import checks
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Min

TAG = "gonghui.keys"
E_KEYS = "gonghui.keys.E001"
E_SELF_TEST = "gonghui.keys.E002"

HINT = ("请检查 GONGHUI_KEYS_FILE、GONGHUI_FIELD_KEY 等密钥设置是否属于这份数据；要用备份和配套的密钥文件"
        "恢复时运行 gonghui restore --skip-checks。")


def _schema_ready() -> bool:
    """Whether every table holding encrypted values exists (not before the first `migrate`). A
    SQLite database file that does not exist yet is not created by looking (a restore into a fresh
    data directory must find nothing written)."""
    from . import crypto

    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if not (name == ":memory:" or name.startswith("file:") or Path(name).exists()):
            return False
    tables = set(connection.introspection.table_names())
    return all(model._meta.db_table in tables for model, _field in crypto.encrypted_fields())


def _sample(model, field) -> list[str]:
    """Up to three stored values of an encrypted column: its first and last, and the first at or
    after the middle of the primary keys."""
    values = model._base_manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True}) \
        .values_list(field.attname, flat=True)
    picks = [values.order_by("pk").first(), values.order_by("-pk").first()]
    bounds = model._base_manager.aggregate(lo=Min("pk"), hi=Max("pk"))
    if isinstance(bounds["lo"], int) and isinstance(bounds["hi"], int):
        picks.append(values.filter(pk__gte=(bounds["lo"] + bounds["hi"]) // 2).order_by("pk").first())
    return [v for v in dict.fromkeys(picks) if v]


@checks.register(TAG)
def keys_open_the_data(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    from . import crypto, keys

    try:
        crypto.self_test()
    except RuntimeError as exc:
        return [checks.Error(f"国密算法自检失败（SM3/SM4 与 GB/T 32905、GB/T 32907 的标准数据不符）：{exc}",
                             hint="请检查 cryptography / OpenSSL 的安装。", id=E_SELF_TEST)]
    try:
        if not _schema_ready():
            return []  # `migrate` has not created the tables yet: nothing to sample
        with transaction.atomic():  # a savepoint: a failed query must not spoil a caller's transaction
            for model, field in crypto.encrypted_fields():
                for value in _sample(model, field):
                    try:
                        crypto.decrypt(value)
                    except ValueError:
                        return [checks.Error(
                            f"密钥打不开数据库中的加密数据（{model._meta.db_table}.{field.column} 的样本无法解密）："
                            "密钥文件或密钥环境变量与这份数据不属于同一套系统。为避免显示乱码或写入无法读取的数据，已拒绝启动。",
                            hint=HINT, id=E_KEYS)]
    except keys.KeysError as exc:  # an unreadable keyring file
        return [checks.Error(str(exc), hint=HINT, id=E_KEYS)]
    except DatabaseError:
        # No database to reach, or a column `migrate` has still to add: the command that needs the
        # database reports that itself, and the check runs again at the next start.
        return []
    return []
