"""The public pages' rate limits count per IPv4 address or IPv6 /64, in a cache every process of
the installation shares (the portal's database cache table on the embedded default)."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.test import Client

from gonghui.core import clock
from gonghui.core.errors import ServiceError
from gonghui.portal import services, throttle
from tests.members.conftest import make_id

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LINE = "2001:db8:1:2"  # one subscriber's /64


def test_an_address_counts_as_itself_and_an_ipv6_address_as_its_64():
    assert throttle.address_key("192.0.2.7") == "192.0.2.7"
    assert throttle.address_key(f"{LINE}::10") == throttle.address_key(f"{LINE}:ffff:1:2:3") == f"{LINE}::"
    assert throttle.address_key("2001:db8:1:3::10") == "2001:db8:1:3::"
    assert throttle.address_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert throttle.address_key(None) == throttle.address_key("not an address") == ""


@pytest.fixture
def one_minute():
    """Every request of the test in the same minute (the counts are per minute)."""
    moment = clock.now().replace(second=0, microsecond=0) + dt.timedelta(seconds=5)
    with mock.patch.object(clock, "now", return_value=moment):
        yield


def test_two_clients_in_one_64_share_the_verification_limit(tree, member, settings, one_minute):
    settings.GONGHUI_PORTAL = {"VERIFY_PER_MINUTE": 3}
    token = services.card_token(account=member[0])
    first, second = Client(REMOTE_ADDR=f"{LINE}::10"), Client(REMOTE_ADDR=f"{LINE}:abcd::99")
    assert first.get(f"/m/v/{token}/").status_code == 200
    assert second.get(f"/m/v/{token}/").status_code == 200
    assert first.get(f"/m/v/{token}/").status_code == 200
    assert second.get(f"/m/v/{token}/").status_code == 429  # the fourth from the /64
    assert first.get(f"/m/v/{token}/").status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::10").get(f"/m/v/{token}/").status_code == 200  # the next /64
    assert Client(REMOTE_ADDR="192.0.2.7").get(f"/m/v/{token}/").status_code == 200


def test_the_count_is_kept_where_every_process_reads_it(tree, member, settings, one_minute):
    """The embedded default's cache is per process; the counts go to the portal's table, which a
    cache object of another process (a new one here) reads."""
    settings.GONGHUI_PORTAL = {"VERIFY_PER_MINUTE": 2}
    assert type(throttle.shared_cache()) is DatabaseCache
    token = services.card_token(account=member[0])
    client = Client(REMOTE_ADDR="192.0.2.7")
    client.get(f"/m/v/{token}/")
    client.get(f"/m/v/{token}/")
    other_process = DatabaseCache(throttle.TABLE, {})
    key = f"portal:verify:192.0.2.7:{int(clock.now().timestamp() // 60)}"
    assert other_process.get(key) == 2
    other_process.set(key, 0, 60)  # what another process counts, this one sees
    assert client.get(f"/m/v/{token}/").status_code == 200


def test_the_status_lookup_is_limited_per_64_too(tree, settings, one_minute):
    settings.GONGHUI_PORTAL = {"VERIFY_PER_MINUTE": 1}
    data = {"ref": "ABCDEFGHJK", "id_number": make_id(seq=1)}
    assert "查询过于频繁" not in Client(REMOTE_ADDR=f"{LINE}::1").post("/m/join/status/", data).content.decode()
    body = Client(REMOTE_ADDR=f"{LINE}::2").post("/m/join/status/", data).content.decode()
    assert "查询过于频繁" in body


def test_sign_in_failures_slow_down_the_whole_64(tree, member, settings):
    settings.LOGIN_ADDRESS_FREE_FAILURES = 2
    for n in range(3):
        with pytest.raises(ServiceError):
            services.account_sign_in(id_number=make_id(seq=11), password="wrong", ip=f"{LINE}::{n + 1}")
    assert services.address_wait(f"{LINE}:9::9") > 0  # another address of the same /64 waits
    assert services.address_wait("2001:db8:1:3::1") == 0
    # ... so the right password from there is refused until the wait is over.
    with pytest.raises(ServiceError):
        services.account_sign_in(id_number=make_id(seq=11), password=PASSWORD, ip=f"{LINE}::77")
    assert services.account_sign_in(id_number=make_id(seq=11), password=PASSWORD, ip="192.0.2.7")
