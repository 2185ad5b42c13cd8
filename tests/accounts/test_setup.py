"""`gonghui setup`: a production install's first start creates the root federation and the first
administrator (系统管理员 on the root), once; the password is typed or generated and printed once,
and must be changed at the first login."""

import getpass
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from gonghui.accounts.models import Grant, User
from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Org, OrgType

ARGS = ["--root-code", "430121", "--root-name", "长沙县总工会", "--admin", "sysadmin"]


def setup(*args) -> str:
    out = io.StringIO()
    call_command("setup", *args, stdout=out)
    return out.getvalue()


def test_setup_creates_the_root_and_an_administrator_who_must_change_the_password(db, client):
    out = setup(*ARGS, "--generate-password")
    password = re.search(r"初始密码：(\S+)", out).group(1)
    assert "只显示这一次" in out and "首次登录后须修改密码" in out
    root = Org.objects.get()
    assert (root.code, root.name, root.org_type, root.depth) == ("430121", "长沙县总工会", OrgType.COUNTY, 1)
    admin = User.objects.get()
    assert admin.username == "sysadmin" and admin.home_org == root and admin.must_change_password
    assert [(g.org, g.role.name) for g in Grant.objects.filter(user=admin)] == [(root, "系统管理员")]
    assert set(AuditEvent.objects.values_list("action", "source")) >= {
        ("orgs.org.founded", "cli"), ("accounts.user.created", "cli"), ("accounts.grant.created", "cli")}
    # The first login goes to the password change page, whatever page is asked for.
    assert client.login(username="sysadmin", password=password)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")


def test_setup_refuses_a_second_time_with_a_clear_message(db):
    setup(*ARGS, "--generate-password")
    with pytest.raises(CommandError, match="已有组织（根组织“长沙县总工会”），setup 只能在空数据库上运行一次"):
        setup("--root-code", "999", "--root-name", "另一个总工会", "--admin", "other", "--generate-password")
    assert Org.objects.count() == 1 and User.objects.count() == 1


def test_a_typed_password_is_checked_and_never_printed(db, monkeypatch):
    typed = iter(["Secret-Passw0rd!", "Secret-Passw0rd?",  # the two entries differ
                  "short", "short",  # too weak
                  "Secret-Passw0rd!", "Secret-Passw0rd!"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    err = io.StringIO()
    out = io.StringIO()
    call_command("setup", *ARGS, stdout=out, stderr=err)
    assert "两次输入的密码不一致" in err.getvalue() and "密码不符合要求" in err.getvalue()
    assert "Secret-Passw0rd!" not in out.getvalue() + err.getvalue() and "初始密码" not in out.getvalue()
    admin = User.objects.get()
    assert admin.check_password("Secret-Passw0rd!") and admin.must_change_password


def test_no_good_password_after_three_tries_changes_nothing(db, monkeypatch):
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "short")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    with pytest.raises(CommandError, match="没有设置好密码，未做任何更改"):
        call_command("setup", *ARGS, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Org.objects.exists() and not User.objects.exists()
