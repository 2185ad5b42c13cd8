"""通行密钥 (WebAuthn) of the member portal: services and pages, with a software authenticator
(real keys and signatures, checked by py_webauthn as a phone's would be)."""

import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.test import override_settings
from webauthn.helpers import base64url_to_bytes

from gonghui.core import clock
from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from gonghui.portal import passkeys, services
from gonghui.portal.models import LoginFailure, MemberAccount, Passkey

from .authenticator import TEST_RP, SoftAuthenticator
from .authenticator import register_passkey as register
from .conftest import PASSWORD, portal_login

pytestmark = pytest.mark.django_db

RP = TEST_RP


def assertion(authenticator, **kwargs):
    options, challenge = passkeys.authentication_begin(rp=RP)
    return authenticator.get(options, **kwargs), challenge


def test_a_member_registers_a_passkey_and_signs_in_with_it(tree, member):
    account, key = member[0], SoftAuthenticator()
    passkey = register(account, key)
    assert passkey.name == "我的手机" and passkey.transports == ["internal"] and passkey.last_used_at is None
    assert len(base64url_to_bytes(passkey.user_handle)) == 32  # random, not the account's id
    credential, challenge = assertion(key)
    assert passkeys.passkey_sign_in(credential=credential, challenge=challenge, rp=RP) == account
    passkey.refresh_from_db()
    assert passkey.sign_count == 1 and passkey.last_used_at is not None
    actions = set(AuditEvent.objects.filter(object_type="portal.passkey").values_list("action", flat=True))
    assert actions == {"portal.passkey.added", "portal.passkey.signed_in"}
    entry = AuditEvent.objects.get(action="portal.passkey.added")
    assert entry.actor_name.startswith("会员 李") and entry.org_path == tree.union_a1.path


def test_adding_needs_the_password_and_a_wrong_one_counts_toward_the_lockout(tree, member):
    account = member[0]
    with pytest.raises(ServiceError) as err:
        passkeys.registration_begin(account=account, name="手机", password="wrong", rp=RP)
    assert err.value.field == "password"
    assert MemberAccount.objects.get(pk=account.pk).failed_count == 1
    with pytest.raises(ServiceError) as err:
        passkeys.registration_begin(account=account, name=" ", password=PASSWORD, rp=RP)
    assert err.value.field == "name"


def test_a_registration_for_another_challenge_or_origin_is_refused(tree, member):
    account, key = member[0], SoftAuthenticator()
    options, _challenge, handle = passkeys.registration_begin(account=account, name="手机", password=PASSWORD, rp=RP)
    for credential, challenge in ((key.create(options), b"another challenge"),
                                  (key.create(options, origin="http://evil.example"), _challenge)):
        with pytest.raises(ServiceError) as err:
            passkeys.passkey_add(account=account, name="手机", credential=credential, challenge=challenge,
                                 user_handle=handle, rp=RP)
        assert err.value.messages == [passkeys.ADD_FAILED]
    assert not Passkey.objects.exists()


@override_settings(LOGIN_ADDRESS_FREE_FAILURES=100)
def test_a_wrong_challenge_is_refused_and_counted(tree, member):
    account, key = member[0], SoftAuthenticator()
    register(account, key)
    credential, _challenge = assertion(key)
    _, other_challenge = passkeys.authentication_begin(rp=RP)
    with pytest.raises(ServiceError) as err:
        passkeys.passkey_sign_in(credential=credential, challenge=other_challenge, rp=RP, ip="10.0.0.1")
    assert err.value.messages == [passkeys.SIGN_IN_REFUSED]
    assert MemberAccount.objects.get(pk=account.pk).failed_count == 1
    assert LoginFailure.objects.filter(ip="10.0.0.1").count() == 1


def test_a_challenge_is_used_once_and_expires(tree, member):
    session = {}
    passkeys.challenge_put(session, "sign_in", b"c" * 32)
    assert passkeys.challenge_take(session, "register") is None  # another ceremony's: gone as well
    passkeys.challenge_put(session, "sign_in", b"c" * 32)
    assert passkeys.challenge_take(session, "sign_in")["challenge"] == b"c" * 32
    assert passkeys.challenge_take(session, "sign_in") is None
    passkeys.challenge_put(session, "sign_in", b"c" * 32)
    later = clock.now() + dt.timedelta(seconds=passkeys.CHALLENGE_SECONDS + 1)
    with mock.patch("gonghui.portal.passkeys.clock.now", return_value=later):
        assert passkeys.challenge_take(session, "sign_in") is None


def test_a_sign_count_going_back_is_refused(tree, member):
    account, key = member[0], SoftAuthenticator()
    register(account, key)
    credential, challenge = assertion(key, sign_count=5)
    passkeys.passkey_sign_in(credential=credential, challenge=challenge, rp=RP)
    for count in (5, 3):  # the same counter again (a replayed or cloned key), and one lower
        credential, challenge = assertion(key, sign_count=count)
        with pytest.raises(ServiceError):
            passkeys.passkey_sign_in(credential=credential, challenge=challenge, rp=RP)
    assert Passkey.objects.get().sign_count == 5
    credential, challenge = assertion(key, sign_count=6)
    assert passkeys.passkey_sign_in(credential=credential, challenge=challenge, rp=RP) == account


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_ADDRESS_FREE_FAILURES=100)
def test_failed_assertions_lock_the_account_like_wrong_passwords(tree, member):
    account, key = member[0], SoftAuthenticator()
    register(account, key)
    for _ in range(3):
        credential, _challenge = assertion(key)
        with pytest.raises(ServiceError):
            passkeys.passkey_sign_in(credential=credential, challenge=b"wrong", rp=RP)
    assert MemberAccount.objects.get(pk=account.pk).locked_until > clock.now()
    credential, challenge = assertion(key)  # a good one now: refused while locked
    with pytest.raises(ServiceError):
        passkeys.passkey_sign_in(credential=credential, challenge=challenge, rp=RP)
    with pytest.raises(ServiceError) as err:  # ... and so is the password
        services.account_sign_in(id_number=account.person.id_number, password=PASSWORD)
    assert err.value.messages == [services.SIGN_IN_REFUSED]


@override_settings(LOGIN_ADDRESS_FREE_FAILURES=2)
def test_unknown_passkeys_count_toward_the_address_back_off(tree, member):
    stranger = SoftAuthenticator()  # never registered: no account to count on, the address counts
    for _ in range(3):
        credential, challenge = assertion(stranger)
        with pytest.raises(ServiceError) as err:
            passkeys.passkey_sign_in(credential=credential, challenge=challenge, rp=RP, ip="10.0.0.9")
        assert err.value.messages == [passkeys.SIGN_IN_REFUSED]
    assert services.address_wait("10.0.0.9") > 0


def test_a_reissued_code_removes_the_passkeys(tree, personas, member):
    account, key = member[0], SoftAuthenticator()
    register(account, key)
    services.activation_code_reissue(actor=personas.union_clerk, membership=member[1])
    assert not Passkey.objects.exists()
    assert AuditEvent.objects.filter(action="portal.passkey.revoked", changes__passkeys=1).exists()
    credential, challenge = assertion(key)
    with pytest.raises(ServiceError):
        passkeys.passkey_sign_in(credential=credential, challenge=challenge, rp=RP)


def test_removing_needs_the_password(tree, member):
    account, key = member[0], SoftAuthenticator()
    passkey = register(account, key)
    with pytest.raises(ServiceError) as err:
        passkeys.passkey_remove(account=account, passkey=passkey, password="wrong")
    assert err.value.field == "password" and Passkey.objects.exists()
    passkeys.passkey_remove(account=account, passkey=passkey, password=PASSWORD)
    assert not Passkey.objects.exists()
    assert AuditEvent.objects.filter(action="portal.passkey.removed", changes__name="我的手机").exists()


def test_the_relying_party_follows_the_host_or_the_setting(rf, settings):
    assert passkeys.relying_party(rf.get("/m/login/", HTTP_HOST="localhost:8000")) == \
        passkeys.RelyingParty(id="localhost", origin="http://localhost:8000")
    settings.ALLOWED_HOSTS = ["hui.example.cn", "m.hui.example.cn", "other.example"]
    settings.GONGHUI_PORTAL = {"PASSKEY_RP_ID": "hui.example.cn"}
    assert passkeys.relying_party(rf.get("/m/", HTTP_HOST="m.hui.example.cn")).id == "hui.example.cn"
    assert passkeys.relying_party(rf.get("/m/", HTTP_HOST="other.example")) is None


# --- pages ----------------------------------------------------------------------------------------

def _register_on_the_page(client, key, name="我的手机"):
    response = client.post("/m/passkeys/options/", {"name": name, "password": PASSWORD})
    assert response.status_code == 200, response.content.decode()
    response = client.post("/m/passkeys/add/", {"credential": key.create(response.content.decode())})
    assert response.status_code == 200 and response.json()["redirect"] == "/m/passkeys/", response.content.decode()


def test_the_pages_register_a_passkey_and_sign_in_with_it_once_per_challenge(client, tree, member):
    key = SoftAuthenticator()
    portal_login(client, 11)
    _register_on_the_page(client, key)
    page = client.get("/m/passkeys/").content.decode()
    assert "我的手机" in page and "尚未使用" in page and "passkey.js" in page
    client.post("/m/logout/")
    login_page = client.get("/m/login/").content.decode()
    # Shown by passkey.js only where the browser has WebAuthn: without it the password form alone.
    assert "使用通行密钥登录" in login_page and re.search(r"<div[^>]*\bhidden data-passkey-sign-in", login_page)
    options = client.post("/m/login/passkey/options/").content.decode()
    assert json.loads(options)["allowCredentials"] == []  # nothing about any account is sent
    credential = key.get(options)
    response = client.post("/m/login/passkey/", {"credential": credential, "next": "/m/card/"})
    assert response.status_code == 200 and response.json()["redirect"] == "/m/card/"
    assert client.get("/m/home/").status_code == 200
    client.post("/m/logout/")
    replay = client.post("/m/login/passkey/", {"credential": credential})  # the challenge is gone
    assert replay.status_code == 400 and replay.json()["error"] == passkeys.SIGN_IN_REFUSED
    assert client.get("/m/home/").status_code == 302


def test_a_member_cannot_remove_another_members_passkey(client, tree, member, other_member):
    theirs = register(other_member[0], SoftAuthenticator(), name="王五的平板")
    portal_login(client, 11)
    assert client.post(f"/m/passkeys/{theirs.pk}/remove/", {f"rm{theirs.pk}-password": PASSWORD}).status_code == 404
    assert client.post(f"/m/passkeys/{theirs.pk + 100}/remove/", {}).status_code == 404
    assert Passkey.objects.filter(pk=theirs.pk).exists()
    assert "王五的平板" not in client.get("/m/passkeys/").content.decode()


def test_the_remove_form_names_the_password_and_then_removes(client, tree, member):
    mine = register(member[0], SoftAuthenticator())
    portal_login(client, 11)
    response = client.post(f"/m/passkeys/{mine.pk}/remove/", {f"rm{mine.pk}-password": "wrong"})
    assert response.status_code == 400 and passkeys.PASSWORD_REFUSED in response.content.decode()
    response = client.post(f"/m/passkeys/{mine.pk}/remove/", {f"rm{mine.pk}-password": PASSWORD})
    assert response.status_code == 302 and not Passkey.objects.exists()


def test_the_options_step_names_the_field_on_error(client, tree, member):
    portal_login(client, 11)
    response = client.post("/m/passkeys/options/", {"name": "手机", "password": "wrong"})
    assert response.status_code == 400 and response.json() == {"error": passkeys.PASSWORD_REFUSED, "field": "password"}
    response = client.post("/m/passkeys/add/", {"credential": "{}"})  # no step 1 in this session
    assert response.status_code == 400 and not Passkey.objects.exists()


def test_a_staff_session_opens_no_passkey_page(client, tree, personas):
    client.force_login(personas.union_clerk)
    assert client.get("/m/passkeys/").status_code == 302
    assert client.post("/m/passkeys/options/", {"name": "x", "password": "x"}).status_code == 302
