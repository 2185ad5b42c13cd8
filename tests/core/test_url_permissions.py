"""Every URL declares its permission, and each is checked with personas in and out of scope.

Adding a URL without a declared permission, or without a row in CASES below, fails here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gonghui.core import scope


def walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", p


# The JSON API (api:v1:…) answers 401/403/404 as problem+json, not with the login page: its every
# operation × persona is checked by its own matrix (tests/api/test_matrix.py).
ALL = {name: p for name, p in walk(get_resolver().url_patterns) if not name.startswith("api:v1:")}


def test_every_view_declares_its_permission():
    missing = [name for name, p in ALL.items() if not hasattr(p.callback, "required_permission")]
    assert missing == []


# Each work line keeps its rows next to its own tests: `tests/<app label>/url_cases.py` defines
# `cases(tree, personas) -> {url name: None | (args in scope, args out of scope)}` (an object URL
# must give 404 out of scope; a list URL is scoped inside, tested elsewhere) and may define
# OWNER_ONLY, URL names of objects only their owner sees. Discovered from the declarations, so
# a new line adds its file and nothing here.
def case_modules():
    import importlib

    from gonghui.core import workline

    for config in workline.lines():
        if config.url_prefix is None and not config.extra_urls:
            continue
        yield importlib.import_module(f"tests.{config.label}.url_cases")


def objects(tree, personas):
    out = {}
    for module in case_modules():
        out.update(module.cases(tree, personas))
    return out


OWNER_ONLY = {name for module in case_modules() for name in getattr(module, "OWNER_ONLY", ())}


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
        elif perm == "member":  # the member portal's own realm (portal.auth) has its own sign-in page
            assert response.status_code in (302, 405) and "/m/login/" in response.get("Location", "/m/login/"), name
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_an_outsider_without_grants_is_refused(client, personas, cases):
    client.force_login(personas.outsider)
    for name, perm, url, _ in all_urls(cases):
        response = client.get(url)
        if name in OWNER_ONLY:
            assert response.status_code == 404, name  # the town admin's job
        elif perm in ("public", "login", "member"):  # member: staff sign-in opens no portal page (302)
            assert response.status_code in (200, 302, 405), name
        else:
            assert response.status_code == 403, name


def test_out_of_scope_objects_give_404_like_missing_ones(client, personas, cases):
    """The township admin holds every permission but only on 甲镇: 乙 objects are 'not found'."""
    client.force_login(personas.town_admin)
    for name, perm, url_in, url_out in all_urls(cases):
        if url_out is None or perm == "member":  # a member's own pages: tests/portal checks another member's ids give 404
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
        # The 查阅 role holds view codes only (core.workline.builtin_roles).
        allowed = perm in ("public", "login", "member") or scope.has_perm(personas.leader, perm)
        assert not perm.endswith((".change", ".import", ".manage", ".approve", ".review")) or not allowed, name
        if name in OWNER_ONLY:
            assert response.status_code == 404, name  # the town admin's job
        elif allowed:
            expected = (200, 302, 405) if perm in ("public", "login", "member") else (200, 405)
            assert response.status_code in expected, (name, response.status_code)
        else:
            assert response.status_code == 403, (name, response.status_code)
