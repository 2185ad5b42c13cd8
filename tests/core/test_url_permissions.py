"""Every URL declares its permission, and each is checked with personas in and out of scope.

Adding a URL without a declared permission, or without a row in CASES below, fails here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gonghui.accounts.models import Grant
from gonghui.core import scope
from gonghui.orgs.models import Coverage


def walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", p


ALL = dict(walk(get_resolver().url_patterns))


def test_every_view_declares_its_permission():
    missing = [name for name, p in ALL.items() if not hasattr(p.callback, "required_permission")]
    assert missing == []


# name -> how to build (args for an object the town clerk may see, args for one he may not)
# An object URL must give 404 out of scope; a list URL is scoped inside (tested elsewhere).
def objects(tree, personas):
    grant_in = Grant.objects.get(user=personas.union_clerk)
    grant_out = Grant.objects.get(user=personas.leader)
    cov_in = Coverage.objects.get(employer=tree.emp["a1"])
    cov_out = Coverage.objects.get(employer=tree.emp["b1"])
    org = ([tree.union_a1.pk], [tree.union_b1.pk])
    emp = ([tree.emp["a1"].pk], [tree.emp["b1"].pk])
    return {
        "core:home": None, "core:todo": None, "core:stats": None, "core:audit": None, "core:healthz": None,
        "core:access_log": None, "core:calendar": None, "core:calendar_delete": None,
        "accounts:login": None, "accounts:logout": None, "accounts:password_change": None,
        "accounts:users": None, "accounts:user_create": None, "accounts:roles": None,
        "accounts:user_detail": ([personas.union_clerk.pk], [personas.leader.pk]),
        "accounts:user_toggle": ([personas.union_clerk.pk], [personas.leader.pk]),
        "accounts:grant_revoke": ([grant_in.pk], [grant_out.pk]),
        "orgs:tree": None, "orgs:employers": None, "orgs:employer_create": None,
        "orgs:detail": org, "orgs:children": org, "orgs:found": org, "orgs:edit": org, "orgs:rename": org,
        "orgs:move": org, "orgs:reelect": org, "orgs:change_type": org, "orgs:dissolve": org, "orgs:legal": org,
        "orgs:employer_detail": emp, "orgs:employer_edit": emp,
        "orgs:coverage_end": ([cov_in.pk], [cov_out.pk]),
        **IMPORT_CASES,
        **member_cases(tree),
        **MEMBER_IO_CASES,
        **job_cases(personas),
        **app_cases(tree, personas),
    }


# Each later work line keeps its rows next to its own tests: `tests/<app>/url_cases.py`
# defines `cases(tree, personas) -> {url name: None | (args in scope, args out of scope)}`.
APP_CASE_MODULES = ["bargaining", "petitions", "assistance", "reports"]


def app_cases(tree, personas):
    import importlib

    out = {}
    for app in APP_CASE_MODULES:
        out.update(importlib.import_module(f"tests.{app}.url_cases").cases(tree, personas))
    return out


def member_cases(tree):
    """A member of 甲一 (in the town clerk's and town admin's scope) and one of 乙一 (outside)."""
    from gonghui.members import services
    from gonghui.members.models import Transfer
    from tests.members.conftest import make_id

    m_in = services.member_join(actor=None, union=tree.union_a1, name="甲会员", id_number=make_id(seq=301),
                                joined_on=tree.union_a1.founded_on)
    m_out = services.member_join(actor=None, union=tree.union_b1, name="乙会员", id_number=make_id(seq=302),
                                 joined_on=tree.union_b1.founded_on)
    t_in = Transfer.objects.create(membership=m_out, to_union=tree.union_a2, requested_on=m_out.started_on,
                                   effective_on=m_out.started_on)
    t_out = Transfer.objects.create(membership=m_in, to_union=tree.union_b1, requested_on=m_in.started_on,
                                    effective_on=m_in.started_on)
    member = ([m_in.pk], [m_out.pk])
    return {
        "members:roster": None, "members:join": None, "members:transfers": None,
        "members:detail": member, "members:edit": member, "members:reveal": member, "members:transfer": member,
        "members:retain": member, "members:restore": member, "members:leave": member,
        "members:transfer_decide": ([t_in.pk], [t_out.pk]),
    }


# The roster's Excel pages work on the user's scope (an out-of-scope org filter is tested in
# tests/members/test_export.py).
MEMBER_IO_CASES = {"members:import": None, "members:import_template": None, "members:export": None}


def job_cases(personas):
    """A job is its owner's only: the town admin's job (in) and the leader's (out). Everyone
    else gets the 404 of a missing job, which the outsider and leader tests check too."""
    from gonghui.core import jobs

    mine = jobs.create(user=personas.town_admin, kind="import", title="导入会员名册", params={"importer": "members"})
    jobs.save_output(mine, b"report", "report.xlsx")
    mine.save()
    theirs = jobs.create(user=personas.leader, kind="import", title="导入会员名册", params={"importer": "members"})
    job = ([mine.pk], [theirs.pk])
    return {"jobs:list": None, "jobs:detail": job, "jobs:progress": job, "jobs:download": job}


OWNER_ONLY = {"jobs:detail", "jobs:progress", "jobs:download"}


# Import pages take a kind, not an object: "out of scope" is a kind this app does not import.
# An unknown error-report token shows the upload page again (200), like an expired one.
IMPORT_CASES = {
    "orgs:import": (["orgs"], ["members"]),
    "orgs:import_template": (["employers"], ["members"]),
    "orgs:import_errors": (["orgs", "unknown-token-0123456789"], ["members", "unknown-token-0123456789"]),
}


def test_every_url_has_a_case(tree, personas):
    assert sorted(set(ALL) - set(objects(tree, personas))) == []


@pytest.fixture
def cases(tree, personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # job files
    return objects(tree, personas)


def all_urls(cases):
    for name, args in cases.items():
        perm = ALL[name].callback.required_permission
        if args is None:
            yield name, perm, reverse(name), None
        else:
            yield name, perm, reverse(name, args=args[0]), reverse(name, args=args[1])


def test_anonymous_users_are_sent_to_the_login_page(client, cases):
    for name, perm, url, _ in all_urls(cases):
        response = client.get(url)
        if perm == "public":
            assert response.status_code in (200, 405), name
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_an_outsider_without_grants_is_refused(client, personas, cases):
    client.force_login(personas.outsider)
    for name, perm, url, _ in all_urls(cases):
        response = client.get(url)
        if name in OWNER_ONLY:
            assert response.status_code == 404, name  # the town admin's job
        elif perm in ("public", "login"):
            assert response.status_code in (200, 302, 405), name
        else:
            assert response.status_code == 403, name


def test_out_of_scope_objects_give_404_like_missing_ones(client, personas, cases):
    """The township admin holds every permission but only on 甲镇: 乙 objects are 'not found'."""
    client.force_login(personas.town_admin)
    for name, _perm, url_in, url_out in all_urls(cases):
        if url_out is None:
            continue
        for method in (client.get, client.post):
            response = method(url_out)
            assert response.status_code in (404, 405), (name, method.__name__, response.status_code)
            assert response.status_code == 404 or method == client.get, name
        response = client.get(url_in)
        assert response.status_code in (200, 405), (name, response.status_code)


def test_read_only_leader_sees_but_cannot_change(client, personas, cases):
    client.force_login(personas.leader)
    for name, perm, url_in, _ in all_urls(cases):
        response = client.get(url_in)
        # The 查阅 role holds view codes only (core.permissions.BUILTIN_ROLES).
        allowed = perm in ("public", "login") or scope.has_perm(personas.leader, perm)
        assert not perm.endswith((".change", ".import", ".manage", ".approve", ".review")) or not allowed, name
        if name in OWNER_ONLY:
            assert response.status_code == 404, name  # the town admin's job
        elif allowed:
            expected = (200, 302, 405) if perm in ("public", "login") else (200, 405)
            assert response.status_code in expected, (name, response.status_code)
        else:
            assert response.status_code == 403, (name, response.status_code)
