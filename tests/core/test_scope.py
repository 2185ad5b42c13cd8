"""The one permission policy: grants cover subtrees, sensitive codes are separate, 404 for out of scope."""

import pytest
from django.http import Http404

from gonghui.accounts.models import Grant, Role
from gonghui.core import scope
from gonghui.orgs.models import Employer, Org


def names(qs):
    return sorted(o.name for o in qs)


def test_a_grant_covers_the_node_and_its_subtree(personas, tree):
    assert names(scope.visible(Org.objects.all(), personas.town_clerk, "orgs.view")) == [
        "甲一公司工会", "甲二公司工会", "甲镇工会联合会"]
    assert names(scope.visible(Org.objects.all(), personas.union_clerk, "orgs.view")) == ["甲一公司工会"]
    assert scope.visible(Org.objects.all(), personas.county_admin, "orgs.view").count() == 6
    assert scope.visible(Org.objects.all(), personas.outsider, "orgs.view").count() == 0


def test_records_of_an_org_are_scoped_through_its_path(personas, tree):
    assert names(scope.visible(Employer.objects.all(), personas.town_clerk, "employers.view")) == [
        "甲一公司", "甲三公司", "甲二公司", "甲四商店"]


def test_permissions_come_from_the_role(personas, tree):
    assert scope.has_perm(personas.leader, "orgs.view", tree.union_b1.path)
    assert not scope.has_perm(personas.leader, "orgs.change", tree.union_b1.path)
    assert not scope.has_perm(personas.town_clerk, "orgs.change", tree.town_b.path)
    assert not scope.has_perm(personas.town_clerk, "orgs.change", tree.root.path)
    assert not scope.has_perm(personas.town_clerk, "accounts.manage")


def test_get_visible_or_404_hides_existence(personas, tree):
    qs = Org.objects.all()
    assert scope.get_visible_or_404(qs, personas.town_clerk, "orgs.view", pk=tree.union_a1.pk) == tree.union_a1
    with pytest.raises(Http404):
        scope.get_visible_or_404(qs, personas.town_clerk, "orgs.view", pk=tree.union_b1.pk)
    with pytest.raises(Http404):
        scope.get_visible_or_404(qs, personas.town_clerk, "orgs.view", pk=999999)


def test_nested_grants_collapse_and_grants_on_dissolved_orgs_lapse(personas, tree):
    Grant.objects.create(user=personas.town_clerk, org=tree.union_a1, role=Role.objects.get(name="查阅"))
    scope.clear_cache(personas.town_clerk)
    assert scope.paths_with(personas.town_clerk, "orgs.view") == [tree.town_a.path]
    tree.town_a.dissolved_on = tree.town_a.founded_on
    tree.town_a.save()
    scope.clear_cache(personas.town_clerk)
    assert scope.paths_with(personas.town_clerk, "orgs.view") == [tree.union_a1.path]


def test_inactive_users_have_no_scope(personas, tree):
    personas.town_clerk.is_active = False
    scope.clear_cache(personas.town_clerk)
    assert scope.paths_with(personas.town_clerk, "orgs.view") == []


def test_subtree_ranges_hold_exactly_the_paths_under_a_node(tree):
    from gonghui.core.scope import PATH_ALPHABET, subtree_q

    assert Org.alphabet == PATH_ALPHABET
    for org in Org.objects.all():
        by_range = set(Org.objects.filter(subtree_q("path", org.path)).values_list("pk", flat=True))
        by_prefix = set(Org.objects.filter(path__startswith=org.path).values_list("pk", flat=True))
        assert by_range == by_prefix, org.name
    # A last step ending in the alphabet's last character carries over to the step before it.
    q = subtree_q("path", "0001000Z")
    assert dict(q.children) == {"path__gte": "0001000Z", "path__lt": "0001001"}


def test_the_system_sees_everything_and_anonymous_users_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert scope.visible(Org.objects.all(), None, "orgs.view").count() == 6
    assert scope.visible(Org.objects.all(), AnonymousUser(), "orgs.view").count() == 0
