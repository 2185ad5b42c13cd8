"""The union and employer pickers' endpoints (core.pickers): scoped to the permission the form
acts with, matching name, pinyin initials and code, with the path, and bounded."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.orgs import services
from gonghui.orgs.models import OrgType
from tests.orgs.test_services import make_uscc

D = dt.date


def pick(client, text, **params):
    r = client.get(reverse("orgs:pick"), {"q": text, **params})
    assert r.status_code == 200
    return r.content.decode()


def values(html: str) -> list[str]:
    import re

    return re.findall(r'data-value="([^"]*)"', html)


def test_name_initials_and_code_find_a_union_with_its_path(client, tree, personas):
    client.force_login(personas.county_admin)
    html = pick(client, "甲一")
    assert values(html) == ["A1"]
    assert "长沙县总工会 › 甲镇工会联合会 › 甲一公司工会" in html
    assert values(pick(client, "jygs")) == ["A1"]  # 甲一公司 in pinyin initials
    assert values(pick(client, "jiayi")) == ["A1"]  # full pinyin
    assert values(pick(client, "a1")) == ["A1"]  # code, in either case
    # An exact code comes first, before the names and codes that merely start with it.
    assert values(pick(client, "A"))[0] == "A"


def test_a_township_clerk_never_sees_another_townships_unions(client, tree, personas):
    client.force_login(personas.town_clerk)
    assert values(pick(client, "公司", perm="members.change")) == ["A1", "A2"]
    for text in ("乙一", "yygs", "B1", "B"):
        assert values(pick(client, text, perm="members.change")) == [], text
    # A permission he does not hold anywhere offers nothing; an unknown code falls back to orgs.view.
    assert values(pick(client, "公司", perm="accounts.manage")) == []
    assert values(pick(client, "公司", perm="no.such")) == ["A1", "A2"]


def test_the_leader_is_offered_nothing_for_a_change_form(client, tree, personas):
    client.force_login(personas.leader)
    assert values(pick(client, "公司", perm="members.change")) == []
    assert values(pick(client, "公司", perm="members.view")) == ["A1", "A2", "B1"]


def test_types_keep_federations_out_of_a_member_union_picker(client, tree, personas):
    client.force_login(personas.county_admin)
    assert values(pick(client, "甲")) == ["A", "A1", "A2"]
    assert values(pick(client, "甲", types="member")) == ["A1", "A2"]
    assert values(pick(client, "甲", types="federation")) == ["A"]


def test_dissolved_unions_only_where_the_form_asks_for_them(client, tree, personas):
    services.org_dissolve(actor=None, org=tree.union_a2, dissolved_on=D(2025, 12, 1), reason="企业关闭")
    client.force_login(personas.county_admin)
    assert values(pick(client, "甲二")) == []
    html = pick(client, "甲二", dissolved="1")
    assert values(html) == ["A2"] and "（已注销）" in html


def test_results_are_bounded_and_say_there_are_more(client, tree, personas, django_assert_max_num_queries):
    for i in range(23):
        services.org_found(actor=None, parent=tree.town_a, name=f"丙{i:02d}公司工会", org_type=OrgType.GRASSROOTS,
                           founded_on=D(2024, 1, 1), code=f"C{i:02d}")
    client.force_login(personas.town_clerk)
    # session (read, saved), user, grants, the exact code, the search, the path names
    with django_assert_max_num_queries(9):
        html = pick(client, "丙")
    assert len(values(html)) == 20 and "输入更多字以缩小范围" in html
    html = pick(client, "丙2")
    assert values(html) == ["C20", "C21", "C22"] and "输入更多字" not in html


def test_no_text_no_search_and_no_match_says_so(client, tree, personas):
    client.force_login(personas.county_admin)
    assert values(pick(client, "")) == []
    assert "没有找到匹配项" in pick(client, "不存在的工会")


def test_anonymous_users_get_no_suggestions(client, tree):
    r = client.get(reverse("orgs:pick"), {"q": "甲"})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.fixture
def usccs(tree):
    codes = {}
    for i, key in enumerate(["a1", "a3", "b1"]):
        codes[key] = make_uscc(f"91430121MA4L{i:04d}")
        services.employer_update(actor=None, employer=tree.emp[key], uscc=codes[key])
    return codes


def pick_employers(client, text, **params):
    r = client.get(reverse("orgs:pick_employers"), {"q": text, **params})
    assert r.status_code == 200
    return r.content.decode()


def test_employers_by_name_initials_and_credit_code_in_scope(client, tree, personas, usccs):
    client.force_login(personas.town_clerk)
    # Only employers with a credit code can fill a credit-code field; 乙一公司 is another township's.
    html = pick_employers(client, "公司", perm="members.view")
    assert values(html) == [usccs["a1"], usccs["a3"]]
    assert "长沙县总工会 › 甲镇工会联合会" in html
    assert values(pick_employers(client, "jsgs")) == [usccs["a3"]]  # 甲三公司
    assert values(pick_employers(client, usccs["a3"].lower())) == [usccs["a3"]]
    assert values(pick_employers(client, usccs["b1"])) == []
    assert values(pick_employers(client, "乙一")) == []


def test_employer_names_for_free_text_fields(client, tree, personas, usccs):
    client.force_login(personas.town_clerk)
    assert values(pick_employers(client, "甲", value="name")) == ["甲一公司", "甲三公司", "甲二公司", "甲四商店"]


def test_employers_are_bounded(client, tree, personas):
    for i in range(22):
        services.employer_create(actor=None, org=tree.town_a, name=f"丁{i:02d}厂", headcount=5)
    client.force_login(personas.town_clerk)
    html = pick_employers(client, "丁", value="name")
    assert len(values(html)) == 20 and "输入更多字以缩小范围" in html


def test_an_employer_covered_by_a_union_in_scope_is_offered_though_registered_elsewhere(client, tree, personas):
    """employers_for's second half: a grass-roots union's own employer, registered under another
    township, is the clerk's to pick (issue 12); the search reads it apart from his area's."""
    other = services.employer_create(actor=None, org=tree.town_b, name="跨区物流公司", headcount=50,
                                     uscc=make_uscc("91430121MA4L0099"))
    client.force_login(personas.town_clerk)
    assert values(pick_employers(client, "物流")) == []
    services.coverage_start(actor=None, union=tree.union_a1, employer=other, valid_from=D(2025, 1, 1))
    assert values(pick_employers(client, "物流")) == [other.uscc]
    assert values(pick_employers(client, "kqwl", value="name")) == ["跨区物流公司"]
