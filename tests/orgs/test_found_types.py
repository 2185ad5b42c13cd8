"""组建 offers only the types that may stand under the parent (issue 15, item 9; models.CHILD_TYPES),
and refuses any other with the rule in Chinese, keeping what was typed."""

import re

import pytest
from django.urls import reverse

from gonghui.orgs.models import CHILD_TYPES, Org, OrgType

pytestmark = pytest.mark.django_db


def offered(html: str) -> list[str]:
    select = re.search(r'<select name="org_type".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]+)"', select)


@pytest.mark.parametrize("parent", ["root", "town_a", "union_a1"])
def test_the_form_offers_only_the_types_allowed_under_the_parent(client, tree, personas, parent):
    parent = getattr(tree, parent)
    client.force_login(personas.county_admin)
    html = client.get(reverse("orgs:found", args=[parent.pk])).content.decode()
    assert offered(html) == list(CHILD_TYPES[parent.org_type])


def test_a_grassroots_union_offers_its_sub_units_only(client, tree, personas):
    client.force_login(personas.county_admin)
    html = client.get(reverse("orgs:found", args=[tree.union_a1.pk])).content.decode()
    assert offered(html) == [OrgType.SUB_UNION, OrgType.GROUP]
    assert "乡镇(街道)工会联合会" not in re.search(r'<select name="org_type".*?</select>', html, re.S).group(0)


def test_a_disallowed_type_is_refused_in_chinese_and_the_input_is_kept(client, tree, personas):
    client.force_login(personas.town_clerk)
    before = Org.objects.count()
    response = client.post(reverse("orgs:found", args=[tree.town_a.pk]), {
        "name": "甲镇下的县总工会", "org_type": OrgType.COUNTY, "founded_on": "2025-06-01"})
    page = response.content.decode()
    assert response.status_code == 200 and Org.objects.count() == before
    assert "“甲镇工会联合会”是乡镇(街道)工会联合会，其下只能设" in page and "基层工会委员会" in page
    assert 'value="甲镇下的县总工会"' in page
