"""A member idle longer than GONGHUI_PORTAL_IDLE_MINUTES is signed out with a message; activity
keeps the session; a staff session in the same browser keeps its own, longer, rule."""

import pytest

from gonghui.portal import auth

from .conftest import portal_login

pytestmark = pytest.mark.django_db


def idle(client, minutes: int) -> None:
    """Moves the session's last-request times back, as if the browser had been left that long."""
    session = client.session
    session[auth.SEEN_KEY] -= minutes * 60
    if "last_activity" in session:  # the staff realm's clock (accounts.middleware)
        session["last_activity"] -= minutes * 60
    session.save()


def test_an_idle_member_is_signed_out_with_a_message_and_staff_stay_signed_in(client, tree, personas, member,
                                                                              settings):
    settings.GONGHUI_PORTAL = {"IDLE_MINUTES": 5}
    client.force_login(personas.union_clerk)
    assert client.get("/members/").status_code == 200
    portal_login(client, 11)
    assert client.get("/m/home/").status_code == 200
    idle(client, 6)
    r = client.get("/m/home/")
    assert r.status_code == 302 and r["Location"] == "/m/login/?next=/m/home/"
    assert "已超过 5 分钟未操作" in client.get(r["Location"]).content.decode()
    assert client.get("/m/records/").status_code == 302  # signed out, not only sent away once
    assert auth.SESSION_KEY not in client.session
    assert client.get("/members/").status_code == 200  # the staff session (30 minutes) goes on
    portal_login(client, 11)
    assert client.get("/m/home/").status_code == 200


def test_activity_keeps_the_member_signed_in(client, tree, member, settings):
    settings.GONGHUI_PORTAL = {"IDLE_MINUTES": 5}
    portal_login(client, 11)
    for _ in range(3):  # 12 minutes in all, never 5 without a request
        idle(client, 4)
        assert client.get("/m/home/").status_code == 200
