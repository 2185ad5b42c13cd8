"""The read resources of mutual aid, honours, activities and appraisal (tests/api/line_reads.py), the
`ordering` parameter of the lists, and what their rows say: money as strings, ID numbers masked."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from gonghui.core import scope

from . import core_reads, line_objects, line_reads, nested_reads
from .test_matrix import PERSONAS

D = dt.date


def _objects(tree, personas):
    return {**line_objects.make(tree, personas), **line_reads.make(tree, personas)}


# The read resources of the lines (line_reads) and of the rows nested in a parent's page
# (nested_reads, honours and activities), each with the objects it reads.
READ_SETS = {"line_reads": (line_reads, _objects), "nested_reads": (nested_reads, nested_reads.make),
             "core_reads": (core_reads, core_reads.make)}


@pytest.mark.parametrize("read_set", READ_SETS)
def test_every_read_for_every_persona_is_scoped_like_the_pages(tree, personas, api_for, read_set):
    """In scope: listed and readable; out of scope: not listed and 404; without the permission: 403."""
    reads, make = READ_SETS[read_set]
    objects = make(tree, personas)
    for persona in PERSONAS:
        user = getattr(personas, persona)
        api = api_for(user)
        for path, perm, kind in reads.READS:
            url = path.removeprefix("/api/v1/")
            rows = api.get(url, {"size": 200})
            if not scope.has_perm(user, perm):
                assert rows.status_code == 403, (persona, path)
                continue
            assert rows.status_code == 200, (persona, path, rows.content[:300])
            ids = {r["id"] for r in rows.json()["results"]}
            for pk, path_ in objects[kind]:
                seen = scope.has_perm(user, perm) if kind in reads.SHARED else scope.has_perm(user, perm, path_)
                assert (pk in ids) == seen, (persona, path, pk)
                r = api.get(f"{url}{pk}/")
                assert r.status_code == (200 if seen else 404), (persona, path, pk, r.status_code)
                if seen:
                    assert r["ETag"] and r.json()["id"] == pk
                else:
                    assert r.json()["detail"] == "未找到该记录，或您无权查看。"


def test_rows_say_money_as_strings_dates_iso_and_mask_id_numbers(tree, personas, api_for):
    _objects(tree, personas)
    api = api_for(personas.county_admin)
    item = api.get("insured/").json()["results"][0]
    assert "*" in item["id_number"] and len(item["id_number"]) == 18
    assert isinstance(item["premium"], str) and Decimal(item["premium"]) > 0
    assert dt.date.fromisoformat(item["start_on"])
    plan = api.get("mutual-aid-plans/").json()["results"][0]
    assert isinstance(plan["unit_premium"], str) and plan["benefits"] and plan["terms"]
    assert plan["kind_label"]
    batch = api.get("enrolment-batches/", {"org": "A1"}).json()["results"]
    assert len(batch) == 1 and batch[0]["union"]["code"] == "A1" and isinstance(batch[0]["premium_total"], str)
    campaign = api.get("care-campaigns/").json()["results"][0]
    assert campaign["amount"] == "300.00" and campaign["kind_label"] == "健康体检"
    inspection = api.get("inspections/").json()["results"][0]
    assert inspection["findings"][0]["description"] == "消防通道堵塞"
    scheme = api.get("appraisal-schemes/").json()["results"][0]
    assert scheme["indicators"] and isinstance(scheme["total_score"], str)


def test_filters_of_the_new_lists(tree, personas, api_for):
    _objects(tree, personas)
    api = api_for(personas.county_admin)
    assert len(api.get("service-posts/", {"type": "library"}).json()["results"]) == 2
    assert api.get("service-posts/", {"type": "centre"}).json()["results"] == []
    assert len(api.get("inspections/", {"from": "2025-05-10", "to": "2025-05-10"}).json()["results"]) == 2
    assert api.get("inspections/", {"from": "2025-05-11"}).json()["results"] == []
    r = api.get("ankang-entries/", {"result": "nonsense"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "result" and "竞赛结果" in r.json()["detail"]
    assert len(api.get("titles/", {"level": "national", "org": "A"}).json()["results"]) == 1


def _activities(tree):
    from gonghui.activities import services
    from gonghui.activities.models import ActivityKind

    kind = ActivityKind.objects.get(code="lecture")
    for day in (5, 1, 3, 3, 2):
        services.activity_create(actor=None, org=tree.union_a1, kind=kind, title=f"讲座{day}", start_on=D(2025, 3, day))


def test_ordering_follows_the_parameter_and_pages_by_keyset(tree, personas, api_for):
    _activities(tree)
    api = api_for(personas.town_clerk)
    default = [a["start_on"][-2:] for a in api.get("activities/").json()["results"]]
    assert default == ["05", "03", "03", "02", "01"]
    assert [a["start_on"][-2:] for a in api.get("activities/", {"ordering": "-start_on"}).json()["results"]] == default
    # Ascending, two rows a page: the pages follow on without a gap or a repeat, ties broken by id.
    seen, page = [], api.get("activities/", {"ordering": "start_on", "size": 2}).json()
    while True:
        seen += [(a["start_on"], a["id"]) for a in page["results"]]
        if not page["next"]:
            break
        assert "ordering=start_on" in page["next"]
        page = api.client.get(page["next"], HTTP_AUTHORIZATION=f"Bearer {api.token}").json()
    assert seen == sorted(seen) and len(seen) == 5


def test_an_unknown_ordering_or_a_cursor_of_another_is_a_chinese_400(tree, personas, api_for):
    _activities(tree)
    api = api_for(personas.town_clerk)
    r = api.get("activities/", {"ordering": "title"})
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body["errors"][0]["field"] == "ordering" and "排序" in body["detail"] and "start_on" in body["detail"]
    nxt = api.get("activities/", {"ordering": "start_on", "size": 2}).json()["next"]
    cursor = nxt.split("cursor=")[1].split("&")[0]
    r = api.get("activities/", {"ordering": "-start_on", "size": 2, "cursor": cursor})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "cursor"


def test_the_schema_describes_ordering_on_the_lists(client):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    params = {p["name"]: p for p in schema["paths"]["/api/v1/inspections/"]["get"]["parameters"]}
    assert sorted(params["ordering"]["schema"]["enum"]) == ["-inspected_on", "inspected_on"]
    assert "-inspected_on" in params["ordering"]["description"]
    petitions = {p["name"] for p in schema["paths"]["/api/v1/petitions/"]["get"]["parameters"]}
    assert "ordering" in petitions
    detail = {p["name"] for p in schema["paths"]["/api/v1/inspections/{id}/"]["get"]["parameters"]}
    assert "ordering" not in detail


def test_every_resource_has_its_own_schema_component():
    """Two serializers of one name would share one component of the description (the later one's
    fields describing both): the fuzzer found the contract inspections' schema on the safety
    inspections' answers."""
    from gonghui.api import registry

    registry.load()
    classes = {viewset.serializer_class for viewset, _name in registry.RESOURCES.values()
               if getattr(viewset, "serializer_class", None) is not None}
    nested = {f.child.__class__ if hasattr(f, "child") else f.__class__ for cls in classes
              for f in cls().fields.values() if hasattr(f, "fields") or hasattr(getattr(f, "child", None), "fields")}
    shapes: dict[str, set] = {}
    for c in classes | nested:  # one name, one shape (two alike classes describe the same answer)
        shapes.setdefault(c.__name__.removesuffix("Serializer"), set()).add(tuple(sorted(c().fields)))
    assert sorted(name for name, seen in shapes.items() if len(seen) > 1) == []


@pytest.mark.parametrize("read_set", READ_SETS)
def test_a_lists_queries_do_not_grow_with_its_rows(tree, personas, api_for, read_set):
    """The county sees two rows of each list and the township one: the same number of queries (no
    query per row: each list's relations are joined or prefetched)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reads, make = READ_SETS[read_set]
    make(tree, personas)
    county, town = api_for(personas.county_admin), api_for(personas.town_clerk)
    for path, _perm, kind in reads.READS:
        url = path.removeprefix("/api/v1/")
        counts = []
        for api in (county, town):
            api.get(url)  # the token's first use writes its last-use time
            with CaptureQueriesContext(connection) as ctx:
                r = api.get(url, {"size": 200})
            assert r.status_code == 200, (path, r.content[:200])
            counts.append((len(r.json()["results"]), len(ctx.captured_queries)))
        (rows_county, q_county), (rows_town, q_town) = counts
        if kind in getattr(reads, "TREE_ROWS", ()):  # rows of every org: the county's tree is larger
            assert rows_county > rows_town >= 1, (path, counts)
        elif kind not in reads.SHARED:
            assert rows_county == 2 * rows_town and rows_town >= 1, (path, counts)
        assert q_county == q_town, (path, counts)


# Lists whose page has one fixed order (the tree's, the roster's), so the API offers no other.
FIXED_ORDER = {"/api/v1/orgs/", "/api/v1/employers/", "/api/v1/members/"}


def test_every_dated_list_offers_ordering(client):
    """Every paged list but the fixed-order ones takes `?ordering=` (issue 24: ordering on the list
    fields the pages offer); a new resource without its `orderings` fails here."""
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    lacking = sorted(path for path, ops in schema["paths"].items()
                     if "get" in ops and "{" not in path and path not in FIXED_ORDER
                     and "cursor" in {p["name"] for p in ops["get"].get("parameters", [])}
                     and "ordering" not in {p["name"] for p in ops["get"].get("parameters", [])})
    assert lacking == [], lacking


def test_no_two_components_share_a_name_and_actions_describe_their_own_body():
    """drf-spectacular gives two serializers of one name one component (the other's fields describe
    both) and only warns; and an action's body described with the viewset's read serializer meant the
    fuzzer never sent a valid body to any step (extend_schema applied inside action())."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    clashes = [w for w in GENERATOR_STATS._warn_cache if "identical names" in w]
    assert clashes == []
    bodies = {path: schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
              for path in ("/api/v1/proposals/{id}/accept/", "/api/v1/petitions/{id}/accept/",
                           "/api/v1/contracts/{id}/offer/")}
    assert bodies == {"/api/v1/proposals/{id}/accept/": "#/components/schemas/ProposalAcceptInputRequest",
                      "/api/v1/petitions/{id}/accept/": "#/components/schemas/AcceptInputRequest",
                      "/api/v1/contracts/{id}/offer/": "#/components/schemas/OfferInputRequest"}
