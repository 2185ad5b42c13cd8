"""Login throttling (等保 2.0 身份鉴别): django-axes plus two limits it cannot express alone.

django-axes records every failed login (AccessAttempt, AccessFailureLog), locks a
(username, address) pair after LOGIN_MAX_FAILURES failures for LOGIN_LOCKOUT_MINUTES, and
lets an administrator reset a username. Its lockout parameters share one failure limit,
so the two other rules are added here, in the handler's `is_locked`, reading axes' own
failure log:

* per address, with exponential back-off: after LOGIN_ADDRESS_FREE_FAILURES failures from one
  address within the lockout window (any usernames: one office shares one address), each
  further try waits 2, 4, 8 ... seconds after the last failure, up to the lockout time;
* per username from everywhere, slower: LOGIN_USERNAME_MAX_FAILURES failures within a day
  lock the username, except from an address where that user logged in successfully in the
  last 30 days, so nobody can lock an administrator out of his own office from elsewhere.

A username that does not exist is counted and locked exactly like a real one, and every
refusal shows the same words, so the login page does not tell which usernames exist.
Refused tries test no password and are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
is off). An administrator's unlock (services.user_unlock) resets the username's attempts and
stamps `User.login_unlocked_at`, before which failures no longer count.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

KNOWN_ADDRESS_DAYS = 30
USERNAME_WINDOW = dt.timedelta(days=1)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind GONGHUI_PROXY_COUNT trusted proxies the
    entry they appended to X-Forwarded-For (entries further left are typed by the client)."""
    count = settings.GONGHUI_PROXY_COUNT
    address = request.META.get("REMOTE_ADDR")
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def address_wait(ip: str | None, now: dt.datetime | None = None) -> float:
    """Seconds this address must still wait before its next try (0: it may try now)."""
    if not ip:
        return 0
    now = now or timezone.now()
    recent = AccessFailureLog.objects.filter(ip_address=ip, attempt_time__gte=now - _window())
    failures = recent.count()
    extra = failures - settings.LOGIN_ADDRESS_FREE_FAILURES
    if extra < 0:
        return 0
    delay = min(2 ** (extra + 1), _window().total_seconds())
    last = recent.aggregate(last=Max("attempt_time"))["last"]
    return max(0.0, delay - (now - last).total_seconds())


def username_failures(username: str, now: dt.datetime | None = None) -> int:
    """Failures of this username from every address within the day, since any unlock."""
    from .models import User

    now = now or timezone.now()
    since = now - USERNAME_WINDOW
    unlocked = User.objects.filter(username=username).values_list("login_unlocked_at", flat=True).first()
    if unlocked and unlocked > since:
        since = unlocked
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


def is_known_address(username: str, ip: str | None) -> bool:
    if not ip:
        return False
    since = timezone.now() - dt.timedelta(days=KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=since).exists()


class LoginThrottle(AxesDatabaseHandler):
    """axes' database handler with the per-address back-off and the per-username limit."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        ip = getattr(request, "axes_ip_address", None) or client_ip(request)
        if address_wait(ip) > 0:
            return True
        username = get_client_username(request, credentials)
        return bool(username) and (username_failures(username) >= settings.LOGIN_USERNAME_MAX_FAILURES
                                   and not is_known_address(username, ip))

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        refused = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not refused and getattr(request, "axes_locked_out", False):
            from . import services

            services.user_login_locked(username=get_client_username(request, credentials))
