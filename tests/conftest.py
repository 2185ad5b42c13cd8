"""Personas and a small hand-built tree, made through the services like a user would.

    长沙县总工会 (root)
    ├── 甲镇工会联合会 (town_a)
    │   ├── 甲一公司工会 (union_a1)  covers 甲一公司 (30 people)
    │   └── 甲二公司工会 (union_a2)  covers 甲二公司 (60 people)
    └── 乙街道总工会 (town_b)
        └── 乙一公司工会 (union_b1)  covers 乙一公司 (40 people)
    Employers without a union: 甲三公司 (100, required), 甲四商店 (5, not required).
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from gonghui.accounts.models import Grant, Role, User
from gonghui.orgs import services as org_services
from gonghui.orgs.models import OrgType

D = dt.date
PASSWORD = "Test-Passw0rd!"


@pytest.fixture
def tree(db):
    root = org_services.org_create_root(actor=None, name="长沙县总工会", org_type=OrgType.COUNTY, code="430121",
                                        founded_on=D(1952, 5, 1))
    town_a = org_services.org_found(actor=None, parent=root, name="甲镇工会联合会", org_type=OrgType.TOWNSHIP_FED,
                                    founded_on=D(1990, 1, 1), code="A")
    town_b = org_services.org_found(actor=None, parent=root, name="乙街道总工会", org_type=OrgType.TOWNSHIP_GEN,
                                    founded_on=D(1990, 1, 1), code="B")
    union_a1 = org_services.org_found(actor=None, parent=town_a, name="甲一公司工会", org_type=OrgType.GRASSROOTS,
                                      founded_on=D(2020, 3, 1), code="A1", elected_on=D(2020, 3, 1), term_years=3,
                                      womens_committee_on=D(2020, 3, 1))
    union_a2 = org_services.org_found(actor=None, parent=town_a, name="甲二公司工会", org_type=OrgType.GRASSROOTS,
                                      founded_on=D(2025, 2, 10), code="A2", elected_on=D(2025, 2, 10), term_years=5)
    union_b1 = org_services.org_found(actor=None, parent=town_b, name="乙一公司工会", org_type=OrgType.GRASSROOTS,
                                      founded_on=D(2021, 6, 1), code="B1")
    emp = {}
    for key, org, name, headcount, women in [
        ("a1", town_a, "甲一公司", 30, 12), ("a2", town_a, "甲二公司", 60, 8), ("a3", town_a, "甲三公司", 100, 50),
        ("a4", town_a, "甲四商店", 5, 2), ("b1", town_b, "乙一公司", 40, 20),
    ]:
        emp[key] = org_services.employer_create(actor=None, org=org, name=name, headcount=headcount,
                                                women_count=women, registered_on=D(2010, 1, 1))
    org_services.coverage_start(actor=None, union=union_a1, employer=emp["a1"], valid_from=D(2020, 3, 1))
    org_services.coverage_start(actor=None, union=union_a2, employer=emp["a2"], valid_from=D(2025, 2, 10))
    org_services.coverage_start(actor=None, union=union_b1, employer=emp["b1"], valid_from=D(2021, 6, 1))
    return SimpleNamespace(root=root, town_a=town_a, town_b=town_b, union_a1=union_a1, union_a2=union_a2,
                           union_b1=union_b1, emp=emp)


def make_user(username, org=None, role=None, **extra):
    user = User(username=username, display_name=username, home_org=org, must_change_password=False, **extra)
    user.set_password(PASSWORD)
    user.save()
    if org is not None and role is not None:
        Grant.objects.create(user=user, org=org, role=Role.objects.get(name=role))
    return user


@pytest.fixture
def personas(tree):
    """county admin, township clerk, grass-roots clerk, read-only leader, township admin, outsider."""
    return SimpleNamespace(
        county_admin=make_user("county_admin", tree.root, "系统管理员"),
        town_clerk=make_user("town_clerk", tree.town_a, "业务经办"),
        union_clerk=make_user("union_clerk", tree.union_a1, "业务经办"),
        leader=make_user("leader", tree.root, "查阅"),
        town_admin=make_user("town_admin", tree.town_a, "单位管理员"),
        outsider=make_user("outsider"),
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 costs ~0.3 s per hash; the tests check our rules, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
