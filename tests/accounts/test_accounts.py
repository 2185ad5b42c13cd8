"""Accounts: login security (等保 2.0), forced password change, idle timeout, users and grants."""

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.accounts import services
from gonghui.accounts.middleware import SESSION_KEY
from gonghui.accounts.models import Grant, Role, User
from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_and_the_audit_entry(client, personas):
    response = login(client, "town_clerk", PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", object_label="town_clerk").exists()


def test_five_failures_lock_the_account_for_fifteen_minutes(client, personas):
    for _ in range(5):
        response = login(client, "town_clerk", "wrong-password")
        assert "用户名或密码错误" in response.content.decode()
    response = login(client, "town_clerk", PASSWORD)
    assert response.status_code == 429
    assert "用户名或密码错误，或尝试次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.login.locked").count() == 1


def test_the_lock_expires(client, personas):
    from axes.models import AccessAttempt

    for _ in range(5):
        login(client, "town_clerk", "nope")
    assert login(client, "town_clerk", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    assert login(client, "town_clerk", PASSWORD).status_code == 302


def test_first_login_forces_a_password_change(client, tree, personas):
    personas.town_clerk.must_change_password = True
    personas.town_clerk.save()
    login(client, "town_clerk", PASSWORD)
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    # A weak password is refused and the form says why.
    response = client.post(reverse("accounts:password_change"),
                           {"old_password": PASSWORD, "new_password1": "abcdefghij", "new_password2": "abcdefghij"})
    assert "至少3类" in response.content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Stronger#Pass1", "new_password2": "Stronger#Pass1"})
    assert response.status_code == 302
    assert client.get(reverse("orgs:tree")).status_code == 200


@pytest.mark.parametrize("password", ["Short1!", "alllowercaseletters", "ALLUPPER12345", "town_clerk#A1x"])
def test_password_rules(personas, password):
    with pytest.raises(ServiceError):
        services.password_change(user=personas.town_clerk, new_password=password)


def test_an_expired_password_must_be_changed(client, personas):
    User.objects.filter(pk=personas.town_clerk.pk).update(password_changed_at="2000-01-01T00:00:00Z")
    client.force_login(personas.town_clerk)
    assert client.get("/").status_code == 302


def test_idle_sessions_time_out(client, personas, settings):
    client.force_login(personas.town_clerk)
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_KEY] = time.time() - settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_a_unit_admin_creates_users_inside_his_subtree_only(tree, personas):
    user = services.user_create(actor=personas.town_admin, username="a1clerk", display_name="甲一经办",
                                password="Good#Passw0rd", home_org=tree.union_a1)
    assert user.must_change_password
    with pytest.raises(PermissionDenied):
        services.user_create(actor=personas.town_admin, username="b1clerk", display_name="乙一经办",
                             password="Good#Passw0rd", home_org=tree.union_b1)
    with pytest.raises(ServiceError, match="已被使用"):
        services.user_create(actor=personas.town_admin, username="a1clerk", display_name="x",
                             password="Good#Passw0rd", home_org=tree.union_a1)


def test_nobody_grants_a_role_with_permissions_he_lacks(tree, personas):
    target = services.user_create(actor=personas.town_admin, username="a1clerk", display_name="甲一经办",
                                  password="Good#Passw0rd", home_org=tree.union_a1)
    services.grant_create(actor=personas.town_admin, user=target, org=tree.union_a1, role=Role.objects.get(name="业务经办"))
    sysadmin = Role.objects.get(name="系统管理员")  # holds accounts.roles, which a 单位管理员 lacks
    with pytest.raises(ServiceError, match="不能授予"):
        services.grant_create(actor=personas.town_admin, user=target, org=tree.union_a1, role=sysadmin)
    with pytest.raises(PermissionDenied):
        services.grant_create(actor=personas.town_admin, user=target, org=tree.town_b, role=Role.objects.get(name="查阅"))
    assert Grant.objects.filter(user=target).count() == 1


def test_grant_and_revoke_through_the_pages(client, tree, personas):
    client.force_login(personas.town_admin)
    response = client.post(reverse("accounts:user_create"), {
        "username": "newclerk", "display_name": "新经办", "home_org": "A2", "password": "weak", "phone": ""})
    assert response.status_code == 200 and "至少" in response.content.decode()
    assert 'value="newclerk"' in response.content.decode()  # the form keeps what was typed
    assert not User.objects.filter(username="newclerk").exists()
    response = client.post(reverse("accounts:user_create"), {
        "username": "newclerk", "display_name": "新经办", "home_org": "A2", "password": "Good#Passw0rd"})
    user = User.objects.get(username="newclerk")
    response = client.post(reverse("accounts:user_detail", args=[user.pk]),
                           {"org": "B1", "role": Role.objects.get(name="查阅").pk})
    assert "不在您的管理范围内" in response.content.decode()
    client.post(reverse("accounts:user_detail", args=[user.pk]), {"org": "A2", "role": Role.objects.get(name="查阅").pk})
    grant = Grant.objects.get(user=user)
    client.post(reverse("accounts:grant_revoke", args=[grant.pk]))
    assert not Grant.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action__in=["accounts.grant.created", "accounts.grant.revoked"]).count() == 2


def test_roles_are_data_and_only_system_admins_define_them(personas):
    role = services.role_save(actor=personas.county_admin, name="统计员", permissions=["stats.view", "orgs.view"])
    assert role.permissions == ["orgs.view", "stats.view"]
    with pytest.raises(ServiceError, match="未知权限"):
        services.role_save(actor=personas.county_admin, name="坏角色", permissions=["orgs.fly"])
    with pytest.raises(PermissionDenied):
        services.role_save(actor=personas.town_admin, name="x", permissions=[])
