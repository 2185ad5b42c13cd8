"""Writes to accounts: users, grants, roles, and login security events."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.core import audit, scope
from gonghui.core import permissions as vocabulary
from gonghui.core.audit import Target
from gonghui.core.errors import ServiceError, join_messages

from .models import Grant, Role, User

audit.register_actions({"accounts.user.unlocked": "解除登录限制"})


def password_change_required(user: User) -> bool:
    if user.must_change_password:
        return True
    if user.password_changed_at is None:
        return False
    age = timezone.now() - user.password_changed_at
    return age > dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def _user_target(user: User) -> Target:
    return Target("accounts.user", str(user.pk), user.username, user.audit_org_path)


# Failed logins are counted by django-axes (accounts.throttle); the audit log records them for
# existing accounts only: a made-up username may be a password typed in the wrong box.

@transaction.atomic
def user_login_failed(*, user: User) -> None:
    audit.record(actor=None, action="accounts.login.failed", target=_user_target(user))


@transaction.atomic
def user_login_locked(*, username: str | None) -> None:
    """The login limits now refuse this username (called by accounts.throttle)."""
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        audit.record(actor=None, action="accounts.login.locked", target=_user_target(user))


@transaction.atomic
def user_login_succeeded(*, user: User) -> None:
    audit.record(actor=user, action="accounts.login.succeeded", target=_user_target(user))


def login_limited(user: User) -> bool:
    """Is the username held back by a login limit (from some address, or everywhere)?"""
    from axes.models import AccessAttempt

    from . import throttle

    window = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    pair = AccessAttempt.objects.filter(username=user.username, attempt_time__gte=window,
                                        failures_since_start__gte=settings.LOGIN_MAX_FAILURES).exists()
    return pair or throttle.username_failures(user.username) >= settings.LOGIN_USERNAME_MAX_FAILURES


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    """An administrator lifts the login limits on a username: axes' attempts for it are reset
    (every address), and failures before now no longer count towards the per-username limit."""
    from axes.utils import reset

    scope.require(actor, "accounts.manage", user.audit_org_path)
    reset(username=user.username)
    user.login_unlocked_at = timezone.now()
    user.save(update_fields=["login_unlocked_at"])
    audit.record(actor=actor, action="accounts.user.unlocked", target=_user_target(user))
    return user


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(join_messages(exc.messages), field="password") from exc


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    if user.check_password(new_password):
        raise ServiceError("新密码不能与原密码相同。", field="new_password1")
    _check_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(actor=user, action="accounts.user.password_changed", target=_user_target(user))


@transaction.atomic
def user_create(*, actor, username: str, display_name: str, password: str, home_org, phone: str = "",
                must_change_password: bool = True) -> User:
    """A 单位管理员 creates accounts inside his own subtree; they change the password at first login."""
    scope.require(actor, "accounts.manage", home_org.path)
    username = (username or "").strip()
    if not username:
        raise ServiceError("请填写用户名。", field="username")
    if User.objects.filter(username=username).exists():
        raise ServiceError(f"用户名“{username}”已被使用。", field="username")
    user = User(username=username, display_name=display_name.strip(), home_org=home_org, phone=phone,
                must_change_password=must_change_password)
    _check_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit.record(actor=actor, action="accounts.user.created", target=_user_target(user),
                 changes={"username": username, "home_org": home_org.name})
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    scope.require(actor, "accounts.manage", user.audit_org_path)
    if actor is not None and actor.pk == user.pk:
        raise ServiceError("不能停用自己的账号。", field="is_active")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor=actor, action="accounts.user.activated" if active else "accounts.user.deactivated",
                 target=_user_target(user))
    return user


@transaction.atomic
def grant_create(*, actor, user: User, org, role: Role) -> Grant:
    """Grant `role` on `org` (and its subtree). The actor must manage accounts there and hold
    every permission the role carries on that node: nobody hands out more than he has."""
    scope.require(actor, "accounts.manage", org.path)
    if actor is not None:
        missing = set(role.permissions) - scope.all_perms(actor, org.path)
        if missing:
            labels = "、".join(vocabulary.permissions().get(p, p) for p in sorted(missing))
            raise ServiceError(f"您在该单位不具有角色“{role.name}”所含的权限：{labels}，不能授予。", field="role")
    if org.is_dissolved:
        raise ServiceError("不能在已注销的组织上授权。", field="org")
    if Grant.objects.filter(user=user, org=org, role=role).exists():
        raise ServiceError("该用户在此单位已有该角色。", field="role")
    grant = Grant.objects.create(user=user, org=org, role=role)
    scope.clear_cache(user)
    audit.record(actor=actor, action="accounts.grant.created", obj=grant,
                 changes={"user": user.username, "org": org.name, "role": role.name})
    return grant


@transaction.atomic
def grant_revoke(*, actor, grant: Grant) -> None:
    scope.require(actor, "accounts.manage", grant.org.path)
    changes = {"user": grant.user.username, "org": grant.org.name, "role": grant.role.name}
    audit.record(actor=actor, action="accounts.grant.revoked", obj=grant, changes=changes)
    grant.delete()
    scope.clear_cache(grant.user)


@transaction.atomic
def role_save(*, actor, name: str, permissions: list[str], role: Role | None = None, description: str = "") -> Role:
    if actor is not None and not scope.has_perm(actor, "accounts.roles"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有系统管理员可以定义角色。")
    unknown = set(permissions) - set(vocabulary.permissions())
    if unknown:
        raise ServiceError(f"未知权限：{'、'.join(sorted(unknown))}", field="permissions")
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写角色名称。", field="name")
    if Role.objects.filter(name=name).exclude(pk=getattr(role, "pk", None)).exists():
        raise ServiceError(f"角色“{name}”已存在。", field="name")
    if role is not None and role.builtin:
        raise ServiceError("内置角色不能修改。", field="name")
    old = {"name": role.name, "permissions": role.permissions} if role else {}
    role = role or Role()
    role.name, role.permissions, role.description = name, sorted(permissions), description
    role.save()
    audit.record(actor=actor, action="accounts.role.saved", obj=role,
                 changes={"name": [old.get("name"), name], "permissions": [old.get("permissions"), role.permissions]})
    return role


def ensure_builtin_roles() -> None:
    """Create or refresh the built-in roles from the work-line declarations (after every migrate,
    and by `demo`). Only rows whose codes differ are written."""
    for name, perms in vocabulary.builtin_roles().items():
        perms = sorted(perms)
        role = Role.objects.filter(name=name).first()
        if role is None:
            Role.objects.create(name=name, permissions=perms, builtin=True)
        elif sorted(role.permissions) != perms or not role.builtin:
            role.permissions, role.builtin = perms, True
            role.save(update_fields=["permissions", "builtin"])


def sync_builtin_roles_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: once per migrate (when the accounts app's turn comes), once its
    table exists."""
    from django.db import connections

    if getattr(sender, "label", "") != "accounts":
        return
    if Role._meta.db_table not in connections[using].introspection.table_names():
        return
    ensure_builtin_roles()
