"""Schemathesis over every operation of /api/v1/schema/, with the token of each persona.

Part of the normal pytest run: schemathesis calls the Django WSGI application in-process, on the
test database (no server), with a fixed seed and a bounded number of examples per operation.
Every response is checked as the description says it should be (no server error; status code,
content type, headers and body described), and one more check: no out-of-scope identifier returns
data. Path identifiers and `org` codes are drawn partly from real objects of the permission
matrix (tests/api/test_matrix.py: one of each kind under 甲 and one under 乙), so the fuzzer asks
every operation for objects in and out of the persona's scope; a 2xx answer about an object he
may not see, or a list that shows one, fails the run."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi import checks as oa_checks

from gonghui.core import scope

from .test_matrix import LISTED, OPERATIONS, PERSONAS, _in_scope, objects  # noqa: F401 (objects: a fixture)

# Examples per operation and persona: `GONGHUI_FUZZ_EXAMPLES=50` for a longer run by hand.
EXAMPLES = int(os.environ.get("GONGHUI_FUZZ_EXAMPLES", "4"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    oa_checks.status_code_conformance,
    oa_checks.content_type_conformance,
    oa_checks.response_headers_conformance,
    oa_checks.response_schema_conformance,
]
CODES = ["430121", "A", "A1", "A2", "B", "B1"]  # the test tree's orgs (tests/conftest.py)
FIGURES = ["members.total", "orgs.coverage_rate", "orgs.unions_total"]  # a count, a rate, one of orgs
TABLE = {(m, p): (perm, kind) for m, p, perm, kind in OPERATIONS}


@pytest.fixture
def api_schema(objects, settings):  # noqa: F811
    from django.core.wsgi import get_wsgi_application

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis' WSGI host
    settings.API_RATE = "1000000/min"  # the fuzzer is not the throttle's test
    # As Django's test client does: a request must not close the test's connection (its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class Leak(AssertionError):
    pass


def no_out_of_scope_data(user, operation, case, response, objs):
    """A 2xx answer must not be about, or list, an object outside the user's scope."""
    if not 200 <= response.status_code < 300:
        return
    perm, kind = TABLE[(operation.method.upper(), operation.path)]
    if perm == "public":
        return
    if perm == "own":  # a job: its owner's alone (the matrix's objects hold (id, owner))
        for pk, owner in objs[kind]:
            if str(case.path_parameters.get("id")) == str(pk) and owner != user.username:
                raise Leak(f"{operation.label}: the job {pk} of {owner} answered {response.status_code}")
        return
    if kind and "id" in (case.path_parameters or {}):
        for pk, path in objs[kind]:
            if str(case.path_parameters["id"]) == str(pk) and not _in_scope(user, perm, kind, path):
                raise Leak(f"{operation.label}: object {pk} outside the scope answered {response.status_code}")
    code = (case.query or {}).get("org")
    if isinstance(code, str) and code in CODES:
        from gonghui.orgs.models import Org

        org = Org.objects.get(code=code)
        if not scope.has_perm(user, perm, org.path):
            raise Leak(f"{operation.label}: org {code} outside the scope answered {response.status_code}")
    listed = LISTED.get(operation.path)
    if listed and operation.method.upper() == "GET":
        shown = {row.get("id") for row in response.json().get("results", [])}
        for pk, path in objs[listed]:
            if pk in shown and not _in_scope(user, perm, listed, path):
                raise Leak(f"{operation.label}: lists {listed} {pk} outside the scope")


def _fuzz(operation, user, token, objs):
    """The hypothesis test of one operation for one user."""
    _perm, kind = TABLE[(operation.method.upper(), operation.path)]
    ids = [pk for pk, _path in objs.get(kind, ())] if kind != "stats" else []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), data=st.data())
    def run(case, data):
        if ids and "id" in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters["id"] = data.draw(st.sampled_from(ids))
        if "kind" in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters["kind"] = data.draw(st.sampled_from(["members", "employers"]))
        if "key" in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters["key"] = data.draw(st.sampled_from(FIGURES))
        if isinstance(case.query, dict) and "org" in case.query and data.draw(st.booleans()):
            case.query["org"] = data.draw(st.sampled_from(CODES))
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        no_out_of_scope_data(user, operation, case, response, objs)

    return run


def _describe(err) -> str:
    parts = getattr(err, "exceptions", None) or [err]
    return "\n  ".join(f"{getattr(e, 'title', type(e).__name__)}: {getattr(e, 'message', str(e))}"[:800]
                       for e in parts)


@pytest.mark.parametrize("persona", PERSONAS)
def test_fuzz_every_operation(api_schema, objects, personas, api_for, persona):  # noqa: F811
    user = getattr(personas, persona)
    token = api_for(user).token
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz(operation, user, token, objects)()
        except (Exception, BaseExceptionGroup) as err:  # every operation is tried; all failures reported at once
            failures.append(f"{operation.label}: {_describe(err)}")
    assert not failures, "\n\n".join(failures)
