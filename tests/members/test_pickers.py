"""The people picker (members:pick) and the code fields that take a picked or pasted code."""

import re

from django.urls import reverse

from gonghui.members.models import Membership
from tests.members.conftest import make_id


def values(html: str) -> list[str]:
    return re.findall(r'data-value="([^"]*)"', html)


def pick(client, text):
    r = client.get(reverse("members:pick"), {"q": text})
    assert r.status_code == 200
    return r.content.decode()


def test_people_are_found_by_name_and_pinyin_with_the_masked_id_only(client, tree, personas, join):
    number = make_id("19850316", 21, female=True)
    join(tree.union_a1, "单丽", id_number=number, card_no="HN-21")
    join(tree.union_a2, "单明", joined_on=tree.union_a2.founded_on)  # no card number: the name is what the search is given
    client.force_login(personas.town_clerk)
    html = pick(client, "单")
    assert values(html) == ["HN-21", "单明"]
    assert number[:6] + "********" + number[-4:] in html and number not in html
    assert "长沙县总工会 › 甲镇工会联合会 › 甲一公司工会" in html
    assert values(pick(client, "shanli")) == ["HN-21"]


def test_a_township_clerk_never_sees_another_townships_people(client, tree, personas, join):
    join(tree.union_b1, "乙会员")
    client.force_login(personas.town_clerk)
    assert values(pick(client, "乙会员")) == []
    client.force_login(personas.county_admin)
    assert len(values(pick(client, "乙会员"))) == 1


def test_people_are_bounded(client, tree, personas, join):
    for i in range(22):
        join(tree.union_a1, f"王{i:02d}")
    client.force_login(personas.town_clerk)
    html = pick(client, "王")
    assert len(values(html)) == 20 and "输入更多字以缩小范围" in html


def test_a_pasted_union_code_still_joins_a_member(client, tree, personas):
    """The picker is only a text input with suggestions: the typed code is what the view reads."""
    client.force_login(personas.town_clerk)
    page = client.get(reverse("members:join")).content.decode()
    assert 'role="combobox"' in page and 'name="union_code"' in page and reverse("orgs:pick") in page
    data = {"union_code": " A2 ", "name": "王五", "id_number": make_id("19900101", 5), "joined_on": "2025-03-01",
            "ethnicity": "01", "employment": "1"}
    r = client.post(reverse("members:join"), data)
    assert r.status_code == 302
    assert Membership.objects.get(person__name="王五").union == tree.union_a2


def test_a_code_out_of_scope_is_refused_and_kept(client, tree, personas):
    client.force_login(personas.town_clerk)
    data = {"union_code": "B1", "name": "王五", "id_number": make_id("19900101", 5), "joined_on": "2025-03-01",
            "ethnicity": "01", "employment": "1"}
    html = client.post(reverse("members:join"), data).content.decode()
    assert "不在您的管理范围内" in html and 'value="B1"' in html
    assert not Membership.objects.exists()
