"""The member realm: its own session keys, separate from django.contrib.auth's.

A staff user's session carries no member, a member's session no staff user: each realm reads
only its own keys, so signing in to one never opens the other. The session also carries a
hash of the member's password hash, so a new password (or a re-issued activation code, which
clears it) ends every other session of that member.

A member's session also ends after GONGHUI_PORTAL_IDLE_MINUTES without a request (a phone left
unlocked, a shared computer in a union office): the next page signs him out and sends him to
the sign-in page with a message. The staff realm keeps its own rules (SESSION_COOKIE_AGE).
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from gonghui.core import clock, crypto

from . import conf
from .models import MemberAccount

SESSION_KEY = "_portal_member_id"
HASH_KEY = "_portal_member_hash"
CARD_TOKEN_KEY = "_portal_card_token"  # [member id, token] of the card page's QR
SEEN_KEY = "_portal_member_seen"  # the time of the member's last request (idle timeout), epoch seconds
SEEN_STEP = 60  # the session is written again at most once a minute for the idle clock
IDLE_MESSAGE = "您已超过 {minutes} 分钟未操作，为保护您的个人信息已自动退出，请重新登录。"


def _hash(account: MemberAccount) -> str:
    # Under the writing key version: a finished key rotation also ends members' sessions.
    writer = crypto.keyring().writer
    return crypto.mac(writer.profile, writer.lookup_key.encode(), b"portal-session|" + account.password.encode()).hex()


def sign_in(request, account: MemberAccount) -> None:
    request.session.cycle_key()  # no session fixation
    request.session[SESSION_KEY] = account.pk
    request.session[HASH_KEY] = _hash(account)
    request.session[SEEN_KEY] = int(clock.now().timestamp())


def sign_out(request) -> None:
    for key in (SESSION_KEY, HASH_KEY, CARD_TOKEN_KEY, SEEN_KEY):
        request.session.pop(key, None)


def current(request) -> MemberAccount | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    account = MemberAccount.objects.select_related("person").filter(pk=pk).first()
    if account is None or not account.password or not crypto.mac_equal(request.session.get(HASH_KEY, ""),
                                                                       _hash(account)):
        sign_out(request)
        return None
    now = int(clock.now().timestamp())
    seen = request.session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen > conf.get("IDLE_MINUTES") * 60:
        sign_out(request)
        request.portal_idle = True
        return None
    if now - seen >= SEEN_STEP:
        request.session[SEEN_KEY] = now
    return account


def member_required(view):
    """A signed-in member (the portal's realm); others go to the portal's sign-in page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        account = current(request)
        if account is None:
            if getattr(request, "portal_idle", False):
                messages.info(request, IDLE_MESSAGE.format(minutes=conf.get("IDLE_MINUTES")))
            return redirect(f"{reverse('portal:sign_in')}?next={request.path}")
        request.member = account
        return view(request, *args, **kwargs)

    wrapped.required_permission = "member"
    return wrapped
