"""Long lists say how many rows they hold and by what they are filtered (issue 15, item 12). The count
is bounded (core.paging.COUNT_CAP): beyond it the list says "超过 N", so no page counts a million rows."""

import re

import pytest
from django.urls import reverse

from gonghui.core import paging
from tests.assistance.conftest import archive, standard  # noqa: F401  (fixtures)
from tests.members.conftest import join  # noqa: F401  (fixture)
from tests.petitions.conftest import make_petition

pytestmark = pytest.mark.django_db


def total(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"<p [^>]*data-list-total>(.*?)</p>", html, re.S).group(1))


def test_the_roster_says_its_total_and_its_filter(client, tree, personas, join):  # noqa: F811
    for name, female in (("甲", True), ("乙", True), ("丙", False)):
        join(name=f"会员{name}", female=female)
    client.force_login(personas.county_admin)
    assert "共 3 名会员" in total(client.get(reverse("members:roster")).content.decode())
    assert "未筛选" in total(client.get(reverse("members:roster")).content.decode())
    shown = total(client.get(reverse("members:roster"), {"gender": "2"}).content.decode())
    assert "共 2 名会员" in shown and "筛选：性别“女”" in shown and "清除筛选" in shown


def test_beyond_the_bound_the_list_says_more_than_and_counts_no_further(client, tree, personas, join,  # noqa: F811
                                                                       monkeypatch):
    monkeypatch.setattr(paging, "SIZE", 1)
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    for name in "甲乙丙丁":
        join(name=f"会员{name}")
    client.force_login(personas.county_admin)
    assert "超过 2 名会员" in total(client.get(reverse("members:roster")).content.decode())


def test_employers_petitions_and_archives_say_theirs(client, tree, personas, archive):  # noqa: F811
    archive(name="李困难")
    make_petition(tree.union_a1)
    client.force_login(personas.county_admin)
    employers = total(client.get(reverse("orgs:employers"), {"uncovered": "1"}).content.decode())
    assert re.search(r"共 \d+ 家用人单位", employers) and "筛选：仅未建会“是”" in employers
    assert "共 1 件信访案件" in total(client.get(reverse("petitions:index")).content.decode())
    assert "共 1 户困难职工档案" in total(client.get(reverse("assistance:archives")).content.decode())


def test_the_org_search_says_how_many_it_found_within_the_bound(client, tree, personas, monkeypatch):
    client.force_login(personas.county_admin)
    found = total(client.get(reverse("orgs:tree"), {"q": "甲"}).content.decode())
    n = int(re.search(r"共 (\d+) 个组织", found).group(1))
    assert n >= 3 and "筛选：名称、编码或拼音“甲”" in found
    monkeypatch.setattr(paging, "SIZE", 1)
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    assert "超过 2 个组织" in total(client.get(reverse("orgs:tree"), {"q": "甲"}).content.decode())


def test_contracts_and_applications_say_theirs(client, tree, personas):
    client.force_login(personas.county_admin)
    contracts = total(client.get(reverse("bargaining:index"), {"type": "wage", "q": "工资"}).content.decode())
    assert "共 0 份集体合同" in contracts and "类型“" in contracts and "查找“工资”" in contracts
    assert "未筛选" in total(client.get(reverse("bargaining:index")).content.decode())
    assert re.search(r"共 \d+ 件帮扶申请", total(client.get(reverse("assistance:applications")).content.decode()))
