"""Token writes (each with its audit entry in the same transaction) and the token check."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.db import transaction

from gonghui.core import audit, clock, crypto, scope
from gonghui.core.errors import ServiceError

from .models import ApiToken

PREFIX = "gh_"
LIFETIMES = (7, 30, 90, 180, 365)  # days a token may be valid for
_FORMAT = re.compile(r"^gh_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$")
USED_EVERY = dt.timedelta(minutes=1)  # last use is written at most this often per token


def _digest(profile: str, secret: str) -> str:
    return f"{profile}:{crypto.digest(profile, secret.encode()).hex()}"


def _profile() -> str:
    return getattr(settings, "CRYPTO_PROFILE", "intl")


def manages(actor, owner) -> bool:
    """Whether `actor` administers `owner`'s account (accounts.manage over his home org)."""
    return owner.home_org_id is not None and scope.has_perm(actor, "accounts.manage", owner.home_org.path)


@transaction.atomic
def token_create(*, actor, user, name: str, days: int, read_only: bool = False) -> tuple[ApiToken, str]:
    """A new token for `user` (his own, made by himself). Returns the row and the full token text,
    which is shown once and never stored."""
    if actor is not None and actor.pk != user.pk:
        raise ServiceError("只能为自己创建接口令牌。", field="name")
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写令牌名称，如“省平台同步”。", field="name")
    if len(name) > 60:
        raise ServiceError("令牌名称不能超过60个字。", field="name")
    if days not in LIFETIMES:
        raise ServiceError(f"有效期只能是 {'、'.join(map(str, LIFETIMES))} 天之一。", field="days")
    key = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)  # 43 characters, 256 bits
    token = ApiToken.objects.create(user=user, name=name, key=key, digest=_digest(_profile(), secret),
                                    read_only=bool(read_only), expires_at=clock.now() + dt.timedelta(days=days))
    audit.record(actor=actor, action="api.token.created", obj=token,
                 changes={"name": name, "read_only": token.read_only, "expires_at": token.expires_at})
    return token, f"{PREFIX}{key}_{secret}"


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner may, and so may the administrator of the owner's unit."""
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("user__home_org").get(pk=token.pk)
    if actor is not None and actor.pk != token.user_id and not manages(actor, token.user):
        raise ServiceError("您无权撤销该令牌。")
    if token.revoked_at is not None:
        raise ServiceError("该令牌已撤销。")
    token.revoked_at = clock.now()
    token.revoked_by_name = actor.get_username() if actor is not None else "系统"
    token.save(update_fields=["revoked_at", "revoked_by_name"])
    audit.record(actor=actor, action="api.token.revoked", obj=token,
                 changes={"name": token.name, "owner": token.user.get_username()})
    return token


def check(raw: str) -> ApiToken | None:
    """The active token this text is, or None (unknown, wrong secret, expired, revoked, its user
    deactivated). The secret is compared as a digest, in constant time."""
    m = _FORMAT.match(raw or "")
    if not m:
        return None
    token = ApiToken.objects.select_related("user", "user__home_org").filter(key=m.group(1)).first()
    if token is None:
        return None
    profile = token.digest.split(":", 1)[0]
    if profile not in crypto.PROFILES or not crypto.mac_equal(token.digest, _digest(profile, m.group(2))):
        return None
    now = clock.now()
    if not token.is_active_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
