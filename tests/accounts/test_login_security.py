"""Login limits and password rules (issue 12, defect 6), tried as an attacker would.

Before: a real username showed «账号已锁定» after five failures and a made-up one never did
(so lockout told which usernames exist); anyone could lock any account, the administrator's
included, from anywhere; 30 tries on different usernames from one address in 7 s were not
slowed; a password could be reused; the too-short message was English.
"""

import re

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts import services
from gonghui.accounts.forms import LOGIN_REFUSED
from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def addresses(settings):
    settings.GONGHUI_PROXY_COUNT = 0  # the test client's REMOTE_ADDR is the client's address


def login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def message(response) -> str:
    found = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', response.content.decode(), re.S)
    return found.group(1).strip() if found else ""


@pytest.fixture
def clock(monkeypatch):
    """A clock that moves only when the test says so: the back-off is counted in seconds, and
    a loaded machine must not let them pass between two requests."""
    now = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: now[0])

    def wait(seconds: float) -> None:
        now[0] += timezone.timedelta(seconds=seconds)

    return wait


def test_unknown_and_locked_accounts_get_the_same_answer(client, personas):
    answers = {}
    for username in ("town_clerk", "no_such_user"):
        replies = [login(client, username, "wrong-Passw0rd") for _ in range(5)]
        refused = login(client, username, PASSWORD)
        answers[username] = [(r.status_code, message(r)) for r in [*replies, refused]]
    assert answers["town_clerk"] == answers["no_such_user"]
    assert answers["town_clerk"][-1] == (429, LOGIN_REFUSED)
    assert "锁定" not in str(answers)


def test_a_lock_holds_one_address_only_so_the_administrator_is_not_locked_out(client, personas):
    for _ in range(6):
        login(client, "county_admin", "guess-Passw0rd", ip="203.0.113.7")
    assert login(client, "county_admin", PASSWORD, ip="203.0.113.7").status_code == 429
    assert login(client, "county_admin", PASSWORD, ip="10.1.1.1").status_code == 302


def test_one_address_trying_many_usernames_is_slowed_down_exponentially(client, personas, settings, clock):
    wait = clock
    statuses = [login(client, f"user{i}", "guess-Passw0rd").status_code for i in range(30)]
    free = settings.LOGIN_ADDRESS_FREE_FAILURES
    assert statuses[:free] == [200] * free and set(statuses[free:]) == {429}
    assert AccessFailureLog.objects.count() == free  # refused tries tested no password
    wait(1)
    assert login(client, "town_clerk", PASSWORD).status_code == 429  # 2 s after the last failure
    wait(2)
    assert login(client, "town_clerk", "guess-Passw0rd").status_code == 200  # tried, and failed
    wait(3)
    assert login(client, "town_clerk", PASSWORD).status_code == 429  # now 4 s
    wait(1)
    assert login(client, "town_clerk", PASSWORD).status_code == 302
    # Another address is not slowed.
    client.logout()
    assert login(client, "union_clerk", PASSWORD, ip="10.9.9.9").status_code == 302


def test_a_username_tried_from_everywhere_is_locked_except_at_its_known_addresses(client, personas, settings):
    settings.LOGIN_USERNAME_MAX_FAILURES = 8
    assert login(client, "county_admin", PASSWORD, ip="10.5.5.5").status_code == 302  # his office
    client.logout()
    for n in range(4):
        for _ in range(2):
            login(client, "county_admin", "guess-Passw0rd", ip=f"198.51.100.{n}")
    assert login(client, "county_admin", PASSWORD, ip="198.51.100.200").status_code == 429
    assert AccessLog.objects.filter(username="county_admin").count() == 1
    assert login(client, "county_admin", PASSWORD, ip="10.5.5.5").status_code == 302


def test_an_administrator_unlocks_an_account(client, tree, personas):
    for _ in range(5):
        login(client, "union_clerk", "guess-Passw0rd")
    assert login(client, "union_clerk", PASSWORD).status_code == 429
    client.force_login(personas.town_admin)
    url = reverse("accounts:user_detail", args=[personas.union_clerk.pk])
    assert "已被限制" in client.get(url).content.decode()
    assert client.post(url, {"unlock": "1"}).status_code == 302
    assert "已被限制" not in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="accounts.user.unlocked", object_label="union_clerk").count() == 1
    client.logout()
    assert login(client, "union_clerk", PASSWORD).status_code == 302
    # Only within his scope: the county administrator's account is not his to unlock.
    client.force_login(personas.town_admin)
    county = reverse("accounts:user_detail", args=[personas.county_admin.pk])
    assert client.post(county, {"unlock": "1"}).status_code == 404


def test_the_last_five_passwords_cannot_be_reused(personas):
    user = personas.town_clerk
    used = [PASSWORD] + [f"Passw0rd-{n}!x" for n in range(1, 6)]
    for new in used[1:]:
        services.password_change(user=user, new_password=new)
    for old in used[1:5]:  # the current one and the three before it ...
        with pytest.raises(ServiceError, match="不能与最近5次使用过的密码相同"):
            services.password_change(user=user, new_password=old)
    services.password_change(user=user, new_password=used[0])  # ... but the sixth-last is allowed again
    assert user.check_password(used[0])


@pytest.mark.parametrize("password", ["Short1!", "password", "alllowercaseletters", "town_clerk#A1x",
                                      "12345678901", "Passw0rd-1!x"])
def test_every_password_message_is_chinese(personas, password):
    user = personas.town_clerk
    services.password_change(user=user, new_password="Passw0rd-1!x")
    with pytest.raises(ServiceError) as err:
        services.password_change(user=user, new_password=password)
    for text in err.value.messages:
        assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"[A-Za-z]{3,}", text), text
