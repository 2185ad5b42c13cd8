"""The lists, a batch's page and the to-do items cost the same number of queries whatever the
number of batches, people and claims on them (WORKLINE 9)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core.reminders import REGISTRY
from gonghui.mutual_aid import services

D = dt.date


def _claim(item, on):
    return services.claim_register(actor=None, item=item, registered_on=on, diagnosis="乳腺癌", benefit_code="A",
                                   diagnosed_on=on, hospital="县医院", treatment="surgery")


def _add(women, enrol, unions, first_day):
    """A batch of 3 women for each union (enrolled on successive days), a claim on its first item."""
    batches = []
    for i, union in enumerate(unions):
        batch = enrol(women(union=union, n=3), union=union, on=D(2025, 3, first_day + i), eligible=3)
        _claim(batch.items.order_by("row_no").first(), D(2025, 7, 1))
        batches.append(batch)
    return batches


def _counts(client, batch, claim_pk, reviewer, admin):
    out = {}
    for name, url in (("index", reverse("mutual_aid:index")), ("claims", reverse("mutual_aid:claims")),
                      ("batch", reverse("mutual_aid:batch_detail", args=[batch.pk])),
                      ("claim", reverse("mutual_aid:claim_detail", args=[claim_pk]))):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        out[name] = len(ctx.captured_queries)
    for code, user in (("mutual_aid.claims_to_review", reviewer), ("mutual_aid.renewal", admin)):
        with CaptureQueriesContext(connection) as ctx:
            items, total = REGISTRY[code].func(user, D(2026, 2, 10), 10, 0)
        out[code] = len(ctx.captured_queries)
        out[code + " listed"] = total
    return out


def test_pages_and_to_do_items_do_not_grow_with_the_records(client, tree, personas, women, enrol, four_eyes):
    first = _add(women, enrol, [tree.union_a1], 1)[0]
    claim = first.items.order_by("row_no").first().claims.get()
    client.force_login(personas.county_admin)
    args = (first, claim.pk, four_eyes["approver"], personas.county_admin)
    _counts(client, *args)  # warm the per-process caches (menus, configuration)
    few = _counts(client, *args)
    _add(women, enrol, [tree.union_b1, tree.union_a1, tree.union_b1], 2)
    many = _counts(client, *args)
    assert (many["mutual_aid.claims_to_review listed"], many["mutual_aid.renewal listed"]) == (4, 2)
    assert {k: v for k, v in many.items() if "listed" not in k} == {k: v for k, v in few.items() if "listed" not in k}
