"""Which org types may stand under which (DOMAIN §1.1, models.CHILD_TYPES): refused with a
Chinese message naming both types in the found, move and type-change services and in the
org import; the found form offers only the allowed types; the demo trees obey the table."""

import datetime as dt
import random
import re

import pytest
from django.urls import reverse

from gonghui.core.demo import DemoContext, Size
from gonghui.core.errors import ServiceError
from gonghui.orgs import services
from gonghui.orgs.demo import build_orgs
from gonghui.orgs.imports import OrgImporter
from gonghui.orgs.models import CHILD_TYPES, Org, OrgEvent, OrgType
from tests.orgs.test_imports import ORG_HEADERS, make_xlsx, org_row

D = dt.date


def test_a_province_cannot_be_founded_under_a_township(tree):
    before = Org.objects.count()
    with pytest.raises(ServiceError) as err:
        services.org_found(actor=None, parent=tree.town_a, name="某省总工会", org_type=OrgType.PROVINCE,
                           founded_on=D(2024, 1, 1))
    assert err.value.field == "org_type"
    assert "“甲镇工会联合会”是乡镇(街道)工会联合会，其下不能设省总工会" in err.value.messages[0]
    assert "基层工会委员会" in err.value.messages[0]  # and says what may stand there
    assert Org.objects.count() == before


@pytest.mark.parametrize(("parent", "child"), [
    ("town_a", OrgType.TOWNSHIP_GEN),       # federations stand under the county, not under each other
    ("town_a", OrgType.COUNTY),
    ("town_a", OrgType.SUB_UNION),          # a branch union belongs inside a grass-roots union
    ("root", OrgType.CITY),
    ("root", OrgType.SUB_UNION),
    ("union_a1", OrgType.GRASSROOTS),       # under a grass-roots union: its own sub-units only
    ("union_a1", OrgType.TOWNSHIP_FED),
])
def test_found_refuses_a_type_that_may_not_stand_there(tree, parent, child):
    with pytest.raises(ServiceError, match="其下不能设"):
        services.org_found(actor=None, parent=getattr(tree, parent), name="新组织", org_type=child,
                           founded_on=D(2024, 1, 1))


@pytest.mark.parametrize(("parent", "child"), [
    ("root", OrgType.TOWNSHIP_FED), ("root", OrgType.INDUSTRY), ("root", OrgType.GRASSROOTS),
    ("town_a", OrgType.GRASSROOTS), ("town_a", OrgType.JOINT_GRASSROOTS), ("town_a", OrgType.ORGANIZER),
    ("town_b", OrgType.COMMUNITY), ("town_b", OrgType.COMMUNITY_GEN),
    ("union_a1", OrgType.SUB_UNION), ("union_a1", OrgType.GROUP),
])
def test_found_accepts_what_the_table_allows(tree, parent, child):
    org = services.org_found(actor=None, parent=getattr(tree, parent), name="新组织", org_type=child,
                             founded_on=D(2024, 1, 1))
    assert Org.objects.get_parent(org) == getattr(tree, parent)


def test_nothing_stands_under_a_group_or_an_organiser(tree):
    group = services.org_found(actor=None, parent=tree.union_a1, name="一组", org_type=OrgType.GROUP,
                               founded_on=D(2024, 1, 1))
    with pytest.raises(ServiceError, match="“一组”是工会小组，其下不能再设下级组织"):
        services.org_found(actor=None, parent=group, name="二组", org_type=OrgType.GROUP, founded_on=D(2024, 1, 1))


def test_move_refuses_a_parent_of_the_wrong_type(tree):
    with pytest.raises(ServiceError) as err:
        services.org_move(actor=None, org=tree.union_a1, new_parent=tree.union_b1, effective_on=D(2024, 7, 1))
    assert err.value.field == "new_parent"
    assert "“乙一公司工会”是基层工会委员会，其下不能设基层工会委员会" in err.value.messages[0]
    with pytest.raises(ServiceError, match="其下不能设乡镇\\(街道\\)工会联合会"):
        services.org_move(actor=None, org=tree.town_a, new_parent=tree.town_b, effective_on=D(2024, 7, 1))
    tree.union_a1.refresh_from_db()
    assert tree.union_a1.path.startswith(tree.town_a.path)
    assert not OrgEvent.objects.filter(kind=OrgEvent.Kind.MOVED).exists()


def test_type_change_follows_the_table_for_the_parent_and_the_children(tree):
    with pytest.raises(ServiceError, match="其下不能设省总工会") as err:
        services.org_change_type(actor=None, org=tree.town_a, new_type=OrgType.PROVINCE, effective_on=D(2024, 1, 1))
    assert err.value.field == "new_type"
    # 甲镇 as a grass-roots union could not keep the two unions under it.
    with pytest.raises(ServiceError, match="下还有2个下级组织（基层工会委员会）不能设在基层工会委员会之下"):
        services.org_change_type(actor=None, org=tree.town_a, new_type=OrgType.GRASSROOTS, effective_on=D(2024, 1, 1))
    # 升格 of a township federation to a township general union keeps every child in place.
    services.org_change_type(actor=None, org=tree.town_a, new_type=OrgType.TOWNSHIP_GEN, effective_on=D(2024, 1, 1))
    with pytest.raises(ServiceError, match="不能早于上一次类型变更的日期 2024-01-01"):
        services.org_change_type(actor=None, org=tree.town_a, new_type=OrgType.TOWNSHIP_FED,
                                 effective_on=D(2023, 6, 1))


def test_the_import_names_row_and_column_of_a_type_that_may_not_stand_there(tree, personas):
    data = make_xlsx([
        ORG_HEADERS,
        org_row("A9", "甲九公司工会", "A", founded=D(2024, 1, 1)),
        org_row("P1", "某省总工会", "A", founded=D(2024, 1, 1), org_type=OrgType.PROVINCE.label),
        # the parent is a row of the same file: its type is checked too
        org_row("A9-1", "甲九公司一车间分工会", "A9", founded=D(2024, 1, 1), org_type=OrgType.SUB_UNION.label),
        org_row("A9-2", "甲九公司下的工会", "A9", founded=D(2024, 1, 1)),
    ])
    result = OrgImporter(actor=personas.town_clerk).run(data)
    errors = {(e.row, e.column): e.reason for e in result.errors}
    assert set(errors) == {(3, "组织类型"), (5, "组织类型")}
    assert "其下不能设省总工会" in errors[(3, "组织类型")]
    assert "“甲九公司工会”是基层工会委员会，其下不能设基层工会委员会" in errors[(5, "组织类型")]
    assert not Org.objects.filter(code__in=["A9", "P1"]).exists()


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_found_form_offers_only_the_types_allowed_under_the_parent(client, tree, personas):
    client.force_login(personas.county_admin)
    town = client.get(reverse("orgs:found", args=[tree.town_a.pk])).content.decode()
    assert _options(town, "org_type") == list(CHILD_TYPES[OrgType.TOWNSHIP_FED])
    assert OrgType.PROVINCE not in _options(town, "org_type")
    union = client.get(reverse("orgs:found", args=[tree.union_a1.pk])).content.decode()
    assert _options(union, "org_type") == [OrgType.SUB_UNION, OrgType.GROUP]
    assert 'value="sub_union" selected' in union  # the first allowed type is preselected
    county = client.get(reverse("orgs:found", args=[tree.root.pk])).content.decode()
    assert OrgType.TOWNSHIP_FED in _options(county, "org_type")
    assert OrgType.SUB_UNION not in _options(county, "org_type")
    # A type outside the list is refused by the form, and nothing is saved.
    response = client.post(reverse("orgs:found", args=[tree.town_a.pk]),
                           {"name": "某省总工会", "org_type": OrgType.PROVINCE, "founded_on": "2024-01-01"})
    assert response.status_code == 200 and not Org.objects.filter(name="某省总工会").exists()


def test_move_and_type_change_forms_offer_only_allowed_choices(client, tree, personas):
    client.force_login(personas.county_admin)
    move = client.get(reverse("orgs:move", args=[tree.union_a1.pk])).content.decode()
    targets = {int(v) for v in _options(move, "new_parent") if v}
    assert targets == {tree.root.pk, tree.town_b.pk}  # federations that take a grass-roots union
    retype = client.get(reverse("orgs:change_type", args=[tree.town_a.pk])).content.decode()
    choices = _options(retype, "new_type")
    assert OrgType.TOWNSHIP_GEN in choices and OrgType.TOWNSHIP_FED not in choices
    assert OrgType.PROVINCE not in choices


def _pairs_breaking_the_table() -> list[tuple[str, str, str]]:
    by_path = dict(Org.objects.values_list("path", "org_type"))
    return [
        (path, by_path[path[:-Org.steplen]], org_type)
        for path, org_type in by_path.items()
        if len(path) > Org.steplen and org_type not in CHILD_TYPES[by_path[path[:-Org.steplen]]]
    ]


@pytest.mark.parametrize("size", [
    Size("small", 0, 3, 10, 40),
    Size("county", 0, 4, 30, 20),
    Size("city", 2, 3, 10, 10),  # the city shape (city → counties → townships → unions), smaller
])
def test_the_demo_trees_obey_the_table(db, size):
    build_orgs(DemoContext(size, 7, D(2025, 6, 30), random.Random(7)))
    assert Org.objects.count() > 30
    assert _pairs_breaking_the_table() == []
