"""Competitions: entries outside the organiser's scope refused; participants (人) and
participations (人次) apart; winners, titles and prize money from the results."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.core.errors import ServiceError
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.honours import services
from gonghui.honours.models import Entry

D = dt.date
Y2025 = Period(D(2025, 1, 1), D(2025, 12, 31))


def test_entries_outside_the_organisers_scope_are_refused(tree, join):
    c = services.contest_create(actor=None, org=tree.town_a, name="甲镇技能竞赛", kind="skill", start_on=D(2025, 5, 1),
                                end_on=D(2025, 5, 31), events=["电工"])
    event = c.events.get()
    with pytest.raises(ServiceError, match="不在竞赛组织单位"):
        services.entry_add(actor=None, event=event, org=tree.union_b1, name="乙选手")
    outsider = join(tree.union_b1, "乙会员")
    with pytest.raises(ServiceError, match="不是竞赛组织单位范围内的会员"):
        services.entry_add(actor=None, event=event, org=tree.union_a1, name="乙会员",
                           id_number=outsider.person.id_number)
    member = join(tree.union_a1, "甲会员")
    e = services.entry_add(actor=None, event=event, org=tree.union_a1, name="甲会员", id_number=member.person.id_number)
    assert e.person == member.person
    with pytest.raises(ServiceError, match="不能重复报名"):
        services.entry_add(actor=None, event=event, org=tree.union_a1, name="甲会员", id_number=member.person.id_number)


def test_contest_figures(tree):
    c = services.contest_create(actor=None, org=tree.root, name="全县技能竞赛", kind="skill", start_on=D(2025, 5, 1),
                                end_on=D(2025, 5, 31), events=["电工", "焊工"])
    elec, weld = c.events.order_by("id")
    services.entry_add(actor=None, event=elec, org=tree.union_a1, name="张", award="一等奖", title_earned="技术能手",
                       prize=2000, rank=1)
    services.entry_add(actor=None, event=weld, org=tree.union_a1, name="张", award="二等奖", prize=1000, rank=2)
    services.entry_add(actor=None, event=elec, org=tree.union_b1, name="李", team="乙队")
    services.contest_create(actor=None, org=tree.town_a, name="岗位练兵", kind="drill", start_on=D(2024, 5, 1),
                            end_on=D(2024, 5, 2))
    assert compute("honours.contests", tree.root, Y2025).value == 1
    assert compute("honours.contest_participants", tree.root, Y2025).value == 2
    assert compute("honours.contest_participations", tree.root, Y2025).value == 3
    assert compute("honours.contest_winners", tree.root, Y2025).value == 1
    assert compute("honours.contest_titles", tree.root, Y2025).value == 1
    assert compute("honours.contest_titles", tree.root, Y2025, filters={"title": "技术能手"}).value == 1
    assert compute("honours.contest_titles", tree.root, Y2025, filters={"title": "优胜选手"}).value == 0
    assert compute("honours.contest_events", tree.root, Y2025).value == 2
    assert compute("honours.contest_events", tree.town_a, Y2025).value == 0
    assert compute("honours.contest_prize", tree.root, Y2025).value == Decimal("3000.00")
    assert compute("honours.contest_participations", tree.town_a, Y2025).value == 2
    assert compute("honours.contests", tree.town_a, Period(D(2024, 1, 1), D(2024, 12, 31))).value == 1


def test_entry_form_keeps_input_on_error(client, tree, personas):
    c = services.contest_create(actor=None, org=tree.town_a, name="甲镇技能竞赛", kind="skill", start_on=D(2025, 5, 1),
                                end_on=D(2025, 5, 31), events=["电工"])
    client.force_login(personas.town_clerk)
    data = {"event": c.events.get().pk, "org_code": "A1", "name": "王选手", "prize": "-5"}
    r = client.post(reverse("honours:contest_detail", args=[c.pk]), data)
    assert r.status_code == 200 and "王选手" in r.content.decode() and not Entry.objects.exists()
    data["prize"] = "500"
    assert client.post(reverse("honours:contest_detail", args=[c.pk]), data).status_code == 302
    assert Entry.objects.get().prize == Decimal("500.00")


def test_a_key_rotation_keeps_entries_apart_and_together(tree, join, settings, tmp_path):
    """Entry identities hold no lookup hash in a plain column: after `gonghui keys rotate` one
    non-member is still one person across events and still refused twice in one event."""
    from gonghui.core import crypto, rotation
    from tests.members.conftest import make_id

    settings.KEYS_FILE = str(tmp_path / "keyring.json")
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchor.log")
    settings.AUDIT_ANCHOR_URL = ""
    c = services.contest_create(actor=None, org=tree.root, name="全县技能竞赛", kind="skill", start_on=D(2025, 5, 1),
                                end_on=D(2025, 5, 31), events=["电工", "焊工", "钳工"])
    elec, weld, fit = c.events.order_by("id")
    outsider = make_id("19880101", 77)
    member = join(tree.union_a1, "甲会员")
    a = services.entry_add(actor=None, event=elec, org=tree.union_a1, name="外来选手", id_number=outsider)
    services.entry_add(actor=None, event=elec, org=tree.union_a1, name="甲会员", id_number=member.person.id_number)
    assert a.person is None and a.person_key == f"x{a.pk}" and a.id_hash.startswith("k1:")
    old_hash = a.id_hash
    rotation.rotate(profile="gm")
    a.refresh_from_db()
    assert a.id_hash != old_hash and a.id_hash.startswith("k2:") and a.person_key == f"x{a.pk}"
    assert not Entry.objects.filter(person_key__startswith="k")  # no key in the identity column
    b = services.entry_add(actor=None, event=weld, org=tree.union_a1, name="外来选手", id_number=outsider)
    assert b.person_key == a.person_key and crypto.decrypt(b.id_cipher) == outsider
    with pytest.raises(ServiceError, match="不能重复报名"):
        services.entry_add(actor=None, event=elec, org=tree.union_a1, name="外来选手", id_number=outsider)
    member.person.refresh_from_db()
    services.entry_add(actor=None, event=fit, org=tree.union_a1, name="甲会员", id_number=member.person.id_number)
    assert compute("honours.contest_participants", tree.root, Y2025).value == 2
    assert compute("honours.contest_participations", tree.root, Y2025).value == 4
