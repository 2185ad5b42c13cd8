"""The API's permission matrix: every operation of the OpenAPI description × every persona.

A persona without the operation's permission gets 403; an object outside his scope gets 404 like a
missing one; a list shows none of the objects outside it; a write he may do is refused here only for
its empty body (400: the permission and scope checks passed, nothing was saved). Anonymous
requests get 401, a read-only token 403 on every write. The test fails when the description has an
operation the matrix does not list.
"""

import datetime as dt
import json

import pytest

from gonghui.core import jobs, scope
from gonghui.members import services as member_services
from gonghui.petitions import services as petition_services

from . import core_reads, entity_reads, line_objects, line_reads, line_writes, nested_reads, read_objects

# (method, path in the description, permission, object kind or None). "public": no token needed.
OPERATIONS = [
    ("GET", "/api/v1/", "public", None),
    ("GET", "/api/v1/orgs/", "orgs.view", None),
    ("GET", "/api/v1/orgs/{id}/", "orgs.view", "org"),
    ("GET", "/api/v1/orgs/{id}/children/", "orgs.view", "org"),
    ("GET", "/api/v1/employers/", "employers.view", None),
    ("GET", "/api/v1/employers/{id}/", "employers.view", "employer"),
    ("GET", "/api/v1/members/", "members.view", None),
    ("POST", "/api/v1/members/", "members.change", None),
    ("GET", "/api/v1/members/{id}/", "members.view", "member"),
    ("GET", "/api/v1/petitions/", "petitions.view", None),
    ("POST", "/api/v1/petitions/", "petitions.change", None),
    ("GET", "/api/v1/petitions/{id}/", "petitions.view", "petition"),
    ("POST", "/api/v1/petitions/{id}/accept/", "petitions.change", "petition"),
    ("POST", "/api/v1/petitions/{id}/reject/", "petitions.change", "petition"),
    ("POST", "/api/v1/petitions/{id}/progress/", "petitions.change", "petition"),
    ("POST", "/api/v1/petitions/{id}/reply/", "petitions.change", "petition"),
    ("POST", "/api/v1/petitions/{id}/close/", "petitions.change", "petition"),
    *[("POST", f"/api/v1/petitions/{{id}}/{a}/", "petitions.change", "petition") for a in (
        "forward", "report", "object", "extend", "review", "review_reply", "reopen")],
    ("POST", "/api/v1/petitions/{id}/decide_extension/", "petitions.approve", "petition"),
    ("GET", "/api/v1/stats/", "stats.view", "stats"),
    ("GET", "/api/v1/stats/{key}/breakdown/", "stats.view", "stats"),
    ("GET", "/api/v1/stats/{key}/records/", "stats.view", "stats"),
    ("POST", "/api/v1/imports/{kind}/", "members.import", None),  # {kind}: members here
    ("GET", "/api/v1/jobs/{id}/", "own", "job"),  # "own": a job is its owner's alone, whoever he is
    # The work lines' resources (each line's api.py; objects from tests/api/line_objects.py).
    ("GET", "/api/v1/contracts/", "bargaining.view", None),
    ("POST", "/api/v1/contracts/", "bargaining.change", None),
    ("GET", "/api/v1/contracts/{id}/", "bargaining.view", "contract"),
    *[("POST", f"/api/v1/contracts/{{id}}/{a}/", "bargaining.change", "contract") for a in (
        "representatives", "offer", "reply", "sign", "file", "approve", "publish", "terminate", "abandon")],
    ("GET", "/api/v1/archives/", "assistance.view", None),
    ("POST", "/api/v1/archives/", "assistance.change", None),
    ("GET", "/api/v1/archives/{id}/", "assistance.view", "archive"),
    *[("POST", f"/api/v1/archives/{{id}}/{a}/", "assistance.change", "archive") for a in (
        "notice", "enter", "start_review", "pass_review", "exit")],
    ("POST", "/api/v1/archives/{id}/reveal/", "assistance.view_sensitive", "archive"),
    ("GET", "/api/v1/applications/", "assistance.view", None),
    ("POST", "/api/v1/applications/", "assistance.change", None),
    ("GET", "/api/v1/applications/{id}/", "assistance.view", "application"),
    ("POST", "/api/v1/applications/{id}/screen/", "assistance.change", "application"),
    ("POST", "/api/v1/applications/{id}/review/", "assistance.review", "application"),
    ("POST", "/api/v1/applications/{id}/approve/", "assistance.approve", "application"),
    ("POST", "/api/v1/applications/{id}/pay/", "assistance.change", "application"),
    ("GET", "/api/v1/receipts/", "funds.view", None),
    ("POST", "/api/v1/receipts/", "funds.change", None),
    ("GET", "/api/v1/receipts/{id}/", "funds.view", "receipt"),
    ("GET", "/api/v1/refunds/", "funds.view", None),
    ("POST", "/api/v1/refunds/", "funds.change", None),
    ("GET", "/api/v1/refunds/{id}/", "funds.view", "refund"),
    ("POST", "/api/v1/refunds/{id}/approve/", "funds.approve", "refund"),
    ("POST", "/api/v1/refunds/{id}/refuse/", "funds.approve", "refund"),
    ("POST", "/api/v1/refunds/{id}/pay/", "funds.change", "refund"),
    ("GET", "/api/v1/claims/", "mutual_aid.view", None),
    ("POST", "/api/v1/claims/", "mutual_aid.change", None),
    ("GET", "/api/v1/claims/{id}/", "mutual_aid.view", "claim"),
    ("POST", "/api/v1/claims/{id}/review/", "mutual_aid.review", "claim"),
    ("POST", "/api/v1/claims/{id}/approve/", "mutual_aid.approve", "claim"),
    ("POST", "/api/v1/claims/{id}/pay/", "mutual_aid.approve", "claim"),
    ("POST", "/api/v1/claims/{id}/reject/", "mutual_aid.review", "claim"),
    ("GET", "/api/v1/proposals/", "democracy.view", None),
    ("GET", "/api/v1/proposals/{id}/", "democracy.view", "proposal"),
    *[("POST", f"/api/v1/proposals/{{id}}/{a}/", "democracy.change", "proposal") for a in (
        "accept", "reject", "assign", "answer")],
    ("GET", "/api/v1/model-workers/", "honours.view", None),
    ("POST", "/api/v1/model-workers/", "honours.change", None),
    ("GET", "/api/v1/model-workers/{id}/", "honours.view", "model_worker"),
    ("GET", "/api/v1/honours/", "honours.view", None),
    ("POST", "/api/v1/honours/", "honours.change", None),
    ("GET", "/api/v1/honours/{id}/", "honours.view", "honour"),
    ("POST", "/api/v1/honours/{id}/move/", "honours.approve", "honour"),
    ("GET", "/api/v1/activities/", "activities.view", None),
    ("POST", "/api/v1/activities/", "activities.change", None),
    ("GET", "/api/v1/activities/{id}/", "activities.view", "activity"),
    ("GET", "/api/v1/appraisals/", "appraisal.view", None),
    ("GET", "/api/v1/appraisals/{id}/", "appraisal.view", "appraisal"),
    ("GET", "/api/v1/submissions/", "appraisal.view", None),
    ("GET", "/api/v1/submissions/{id}/", "appraisal.view", "submission"),
    *[("POST", f"/api/v1/submissions/{{id}}/{a}/", "appraisal.change", "submission") for a in (
        "submit", "return", "accept")],
    *line_reads.OPERATIONS,
    *read_objects.OPERATIONS,  # assistance, democracy, bargaining and funds reads of the second pass
    *entity_reads.OPERATIONS,  # entities that were only nested in their parent's detail, or not read at all
    *line_writes.OPERATIONS,  # the lines' writes beside those reads
    *nested_reads.OPERATIONS,  # honours' and activities' rows once shown only inside their parent's page
    *core_reads.OPERATIONS,  # the petitions' rows and the mediations (api/reads_core.py)
]
PERSONAS = ["county_admin", "town_clerk", "union_clerk", "leader", "town_admin", "outsider"]


def test_the_matrix_lists_every_operation_of_the_description(client):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    described = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert described == {(m, p) for m, p, _perm, _kind in OPERATIONS}


@pytest.fixture
def objects(tree, personas):
    """One object of each kind under 甲一 (in every persona's scope that has grants) and one under 乙."""
    members = [member_services.member_join(actor=None, union=u, name=n, id_number=i, joined_on=dt.date(2024, 1, 1))
               for u, n, i in [(tree.union_a1, "甲会员", "430121199001010015"),
                               (tree.union_b1, "乙会员", "430121199001010031")]]
    petitions = [petition_services.petition_register(actor=None, org=u, channel="visit", received_on=dt.date(2026, 11, 2),
                                                     title="欠薪", category="wages", petitioners=[{"name": "王五"}])
                 for u in (tree.union_a1, tree.union_b1)]
    emp = (tree.emp["a1"], tree.emp["b1"])
    return {  # kind: ((id or code, org path) under 甲, (…) under 乙)
        "org": ((tree.union_a1.pk, tree.union_a1.path), (tree.union_b1.pk, tree.union_b1.path)),
        "employer": tuple((e.pk, e.org.path) for e in emp),
        "member": tuple((m.pk, m.union.path) for m in members),
        "petition": tuple((p.pk, p.org.path) for p in petitions),
        "stats": (("A1", tree.union_a1.path), ("B1", tree.union_b1.path)),
        "job": tuple((jobs.create(user=u, kind="import", title="导入会员", params={"importer": "members"}).pk,
                      u.username) for u in (personas.town_clerk, personas.county_admin)),  # (id, owner)
        **line_objects.make(tree, personas),
        **line_reads.make(tree, personas),
        **read_objects.make(tree, personas),
        **entity_reads.make(tree, personas),
        **nested_reads.make(tree, personas),
        **core_reads.make(tree, personas),
    }


def _request(client, method, path, kind, objects, which, headers):
    url, data = path.replace("{kind}", "members"), {}
    if kind == "stats":
        url, data = path.replace("{key}", "members.total"), {"org": objects[kind][which][0]}
    elif kind is not None:
        url = path.replace("{id}", str(objects[kind][which][0]))
    if method == "GET":
        return client.get(url, data, **headers)
    return client.post(url, {}, content_type="application/json", **headers)


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


LISTED = {"/api/v1/orgs/": "org", "/api/v1/employers/": "employer", "/api/v1/members/": "member",
          "/api/v1/petitions/": "petition", **line_objects.KINDS, **line_reads.KINDS,
          **read_objects.KINDS, **entity_reads.KINDS, **nested_reads.KINDS, **core_reads.KINDS}


def _in_scope(user, perm, kind, path) -> bool:
    """Whether the object is within the user's scope of perm (a shared kind: wherever he holds it)."""
    shared = kind in line_reads.SHARED or kind in entity_reads.SHARED or kind in nested_reads.SHARED
    return scope.has_perm(user, perm) if shared else scope.has_perm(user, perm, path)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_operation_for_every_persona(client, personas, objects, api_for, persona):
    user = getattr(personas, persona)
    api = api_for(user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.token}"}
    for method, path, perm, kind in OPERATIONS:
        ok = 200 if method == "GET" else 400  # an empty body: refused after the checks, nothing saved
        if perm == "public":
            assert client.get(path, **headers).status_code == 200, path
            continue
        if perm == "own":
            for which in (0, 1):
                r = _request(client, method, path, kind, objects, which, headers)
                owner = objects[kind][which][1] == user.username
                assert r.status_code == (200 if owner else 404), (persona, path, which, r.status_code)
            continue
        allowed = scope.has_perm(user, perm)
        for which in ((0, 1) if kind else (None,)):
            r = _request(client, method, path, kind, objects, which, headers)
            where = (persona, method, path, which, r.status_code)
            if not allowed:
                assert r.status_code == 403 and r["Content-Type"] == "application/problem+json", where
            elif kind is None:
                assert r.status_code == ok, where
                if method == "GET":  # a list shows exactly the objects in scope
                    for pk, obj_path in objects[LISTED[path]]:
                        assert (pk in _ids(r)) == _in_scope(user, perm, LISTED[path], obj_path), (*where, pk)
            elif not _in_scope(user, perm, kind, objects[kind][which][1]):
                assert r.status_code == 404, where  # out of scope: not found, like a missing id
                assert r.json()["detail"] == "未找到该记录，或您无权查看。", where
            else:
                assert r.status_code == ok, where


def test_anonymous_gets_401_and_read_only_token_403_on_writes(client, personas, objects, api_for):
    ro = api_for(personas.town_clerk, read_only=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ro.token}"}
    for method, path, perm, kind in OPERATIONS:
        if perm == "public":
            continue
        r = _request(client, method, path, kind, objects, 0, {})
        assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer"), (method, path)
        r = _request(client, method, path, kind, objects, 0, headers)
        if method == "POST":
            assert r.status_code == 403 and "只读" in r.json()["detail"], (method, path)
        else:  # a read: as the user may read (业务经办 holds no view_sensitive, for instance)
            readable = perm == "own" or scope.has_perm(personas.town_clerk, perm)  # "own": his job
            assert r.status_code == (200 if readable else 403), (method, path)


def test_a_missing_or_hostile_id_is_404(personas, objects, api_for):
    api = api_for(personas.county_admin)
    for method, path, _perm, kind in OPERATIONS:
        if kind in (None, "stats"):
            continue
        for bad in ("999999", "0", "-1", "abc", "99999999999999999999999"):
            url = path.replace("{id}", bad).removeprefix("/api/v1/")
            r = api.get(url) if method == "GET" else api.post(url, {})
            assert r.status_code == 404, (method, path, bad, r.status_code)
