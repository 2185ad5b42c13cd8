"""通行密钥 (passkeys, WebAuthn) of the member portal: an optional second way in beside the password.

A signed-in member adds a passkey after confirming his password (a passkey is a lasting way in:
someone at an unlocked phone must not be able to leave one behind), names it, and removes it
again with his password. Signing in with one is the discoverable-credential ceremony: the
browser offers the member's passkeys for this site and no ID number is typed, so the answer
cannot tell whether an ID number has an account. Every failure gives one message and counts
like a wrong password (services._fail: the account's lockout and the address's back-off).

The ceremonies are checked by py_webauthn; the challenge each one answers is kept in the
server-side session by the views (challenge_put/challenge_take: one use, CHALLENGE_SECONDS).
The relying party's id is GONGHUI_PORTAL_PASSKEY_RP_ID, or the host the page was requested by
(Django has checked it against ALLOWED_HOSTS); the origin is the request's own scheme and host.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, transaction
from django.http.request import split_domain_port
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from gonghui.core import audit, clock
from gonghui.core.errors import ServiceError

from . import conf, services
from .models import MemberAccount, Passkey

RP_NAME = "工会会员服务"
CHALLENGE_SECONDS = 300  # a ceremony not finished in five minutes starts again
MAX_PASSKEYS = 10
SESSION_KEY = "_portal_passkey_challenge"
MAX_CREDENTIAL_CHARS = 64 * 1024  # what a browser sends is a few kilobytes

SIGN_IN_REFUSED = "通行密钥登录未成功，或尝试次数过多暂时锁定；请稍后再试，或使用公民身份号码和密码登录。"
PASSWORD_REFUSED = "密码不正确，或尝试次数过多暂时锁定，请稍后再试。"
ADD_FAILED = "未能添加通行密钥：验证未通过或已超时，请重新添加。"
UNAVAILABLE = "本网址不能使用通行密钥，请使用密码登录，或向工会咨询本系统的正式网址。"


@dataclass(frozen=True)
class RelyingParty:
    id: str
    origin: str


def relying_party(request) -> RelyingParty | None:
    """The relying party for this request, or None when its host is outside the configured id
    (a browser would refuse the ceremony there anyway)."""
    host = request.get_host()  # raises DisallowedHost outside ALLOWED_HOSTS
    hostname = split_domain_port(host)[0]
    rp_id = (conf.get("PASSKEY_RP_ID") or hostname).strip().lower()
    if not rp_id or not (hostname == rp_id or hostname.endswith("." + rp_id)):
        return None
    return RelyingParty(id=rp_id, origin=f"{request.scheme}://{host}")


# --- the challenge, kept in the session -------------------------------------------------------

def challenge_put(session, purpose: str, challenge: bytes, **state) -> None:
    session[SESSION_KEY] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge),
                            "expires": int(clock.now().timestamp()) + CHALLENGE_SECONDS, **state}


def challenge_take(session, purpose: str) -> dict | None:
    """The challenge of `purpose` with its state, removed from the session whatever happens next
    (one use); None when there is none, it is another ceremony's, or it expired."""
    state = session.pop(SESSION_KEY, None)
    if not isinstance(state, dict) or state.get("purpose") != purpose:
        return None
    if int(state.get("expires", 0)) < clock.now().timestamp():
        return None
    return {**state, "challenge": base64url_to_bytes(state["challenge"])}


# --- adding and removing ----------------------------------------------------------------------

def _confirm_password(account: MemberAccount, password: str, ip: str | None) -> None:
    """The member's password, with the sign-in's lockout: a stolen session cannot guess it here."""
    if services._refused(account, ip):
        services._same_work(password)
        raise ServiceError(PASSWORD_REFUSED, field="password")
    if not account.password or not check_password(password or "", account.password):
        services._fail(account, ip)
        raise ServiceError(PASSWORD_REFUSED, field="password")


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写名称，如“我的手机”，以便日后区分和删除。", field="name")
    if len(name) > 30:
        raise ServiceError("名称不能超过30个字。", field="name")
    return name


def registration_begin(*, account: MemberAccount, name: str, password: str, rp: RelyingParty,
                       ip: str | None = None) -> tuple[str, bytes, str]:
    """The options for navigator.credentials.create(): (JSON, challenge, user handle). The
    password is confirmed first; failures count toward the lockout."""
    name = _clean_name(name)
    _confirm_password(account, password, ip)
    existing = list(account.passkeys.all())
    if len(existing) >= MAX_PASSKEYS:
        raise ServiceError(f"最多可添加{MAX_PASSKEYS}个通行密钥，请先删除不用的。", field="name")
    # One random handle per account: an authenticator keeps one passkey per site and handle.
    handle = existing[0].user_handle if existing else bytes_to_base64url(secrets.token_bytes(32))
    person = account.person
    label = f"{services.mask_name(person.name)}（身份证尾号{person.id_last4}）"
    options = generate_registration_options(
        rp_id=rp.id, rp_name=RP_NAME, user_name=label, user_display_name=label,
        user_id=base64url_to_bytes(handle), timeout=CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in existing])
    return options_to_json(options), options.challenge, handle


def passkey_add(*, account: MemberAccount, name: str, credential: str, challenge: bytes, user_handle: str,
                rp: RelyingParty) -> Passkey:
    """Keeps the passkey the browser made for the challenge of registration_begin."""
    name = _clean_name(name)
    if not credential or len(credential) > MAX_CREDENTIAL_CHARS:
        raise ServiceError(ADD_FAILED)
    try:
        parsed = parse_registration_credential_json(credential)
        verified = verify_registration_response(credential=parsed, expected_challenge=challenge,
                                                expected_rp_id=rp.id, expected_origin=rp.origin)
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise ServiceError(ADD_FAILED) from exc
    transports = [t.value for t in (parsed.response.transports or [])]
    try:
        with transaction.atomic():
            passkey = Passkey.objects.create(
                account=account, name=name, credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key, sign_count=verified.sign_count,
                transports=transports, user_handle=user_handle)
            audit.record(actor=services.MemberActor(account), action="portal.passkey.added", obj=passkey,
                         changes={"name": name}, org_path=services._current_union_path(account.person))
    except IntegrityError as exc:
        raise ServiceError("该通行密钥已添加过。") from exc
    return passkey


def passkey_remove(*, account: MemberAccount, passkey: Passkey, password: str, ip: str | None = None) -> None:
    """Removes one of the member's own passkeys, after his password (the views give another
    member's passkey 404 before this)."""
    if passkey.account_id != account.pk:
        raise ServiceError("未找到该通行密钥。")
    _confirm_password(account, password, ip)  # outside the transaction: a failure stays counted
    with transaction.atomic():
        audit.record(actor=services.MemberActor(account), action="portal.passkey.removed", obj=passkey,
                     changes={"name": passkey.name}, org_path=services._current_union_path(account.person))
        passkey.delete()


# --- signing in -------------------------------------------------------------------------------

def authentication_begin(*, rp: RelyingParty) -> tuple[str, bytes]:
    """The options for navigator.credentials.get(): no allowed credentials listed (the browser
    offers this site's discoverable passkeys), so nothing about any account is sent."""
    options = generate_authentication_options(rp_id=rp.id, timeout=CHALLENGE_SECONDS * 1000,
                                              user_verification=UserVerificationRequirement.PREFERRED)
    return options_to_json(options), options.challenge


def passkey_sign_in(*, credential: str, challenge: bytes | None, rp: RelyingParty,
                    ip: str | None = None) -> MemberAccount:
    """Checks an assertion against the session's challenge and the stored public key. Every
    failure (unknown passkey, wrong or replayed challenge, bad signature, counter gone back, no
    current membership, account locked or not activated) gives SIGN_IN_REFUSED and counts."""
    parsed = None
    if credential and len(credential) <= MAX_CREDENTIAL_CHARS:
        try:
            parsed = parse_authentication_credential_json(credential)
        except (WebAuthnException, ValueError, TypeError, KeyError):
            parsed = None
    passkey = (Passkey.objects.select_related("account__person").filter(credential_id=parsed.id).first()
               if parsed is not None else None)
    account = passkey.account if passkey is not None else None
    if services._refused(account, ip):
        raise ServiceError(SIGN_IN_REFUSED)
    result = _assertion(parsed, passkey, challenge, rp) if passkey is not None and challenge is not None else None
    if result is None or not account.password or \
            not account.person.memberships.filter(ended_on__isnull=True).exists() or not _use(passkey, result):
        services._fail(account, ip)
        raise ServiceError(SIGN_IN_REFUSED)
    return account


def _assertion(parsed, passkey: Passkey, challenge: bytes, rp: RelyingParty):
    """py_webauthn's verdict (None when refused): challenge, origin, RP id, user presence,
    signature, and a counter above the stored one; then the user handle, when sent, is ours."""
    try:
        result = verify_authentication_response(
            credential=parsed, expected_challenge=challenge, expected_rp_id=rp.id, expected_origin=rp.origin,
            credential_public_key=bytes(passkey.public_key), credential_current_sign_count=passkey.sign_count)
    except (WebAuthnException, ValueError, TypeError, KeyError):
        return None
    handle = parsed.response.user_handle
    if handle and bytes_to_base64url(handle) != passkey.user_handle:
        return None
    return result


@transaction.atomic
def _use(passkey: Passkey, result) -> bool:
    """Stores the new counter and the time of use, and clears the account's failures; False when
    the counter is not above the stored one on the locked row (two assertions racing with one
    counter value, as a cloned authenticator sends, both passed the check on the value read)."""
    row = Passkey.objects.select_for_update().get(pk=passkey.pk)
    if (result.new_sign_count or row.sign_count) and result.new_sign_count <= row.sign_count:
        return False
    now = clock.now()
    row.sign_count, row.last_used_at = result.new_sign_count, now
    row.save(update_fields=["sign_count", "last_used_at"])
    account = passkey.account
    account.failed_count, account.locked_until, account.last_login = 0, None, now
    account.save(update_fields=["failed_count", "locked_until", "last_login"])
    audit.record(actor=services.MemberActor(account), action="portal.passkey.signed_in", obj=row,
                 changes={"name": row.name}, org_path=services._current_union_path(account.person))
    return True
