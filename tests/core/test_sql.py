"""core.sql: `field IN (many values)` for bulk services, on both databases."""

from django.db import connection

from gonghui.core.sql import CHUNK, among, among_chunks
from gonghui.orgs.models import Org


def test_among_finds_the_rows_of_more_values_than_one_statement_may_bind(tree):
    real = sorted(Org.objects.values_list("pk", flat=True))
    ids = [*real, *range(10**9, 10**9 + 2 * CHUNK + 10)]  # more than 2 chunks, most match nothing
    filters = among_chunks(Org, "pk", ids, "bigint")
    assert len(filters) == (1 if connection.vendor == "postgresql" else 3)
    found = sorted(pk for where in filters for pk in Org.objects.filter(where).values_list("pk", flat=True))
    assert found == real


def test_among_by_a_column_and_with_no_values(tree):
    codes = [tree.root.code, tree.town_b.code, "no-such-code"]
    found = Org.objects.filter(among(Org, "code", codes, "text")).values_list("pk", flat=True)
    assert sorted(found) == sorted([tree.root.pk, tree.town_b.pk])
    assert among_chunks(Org, "code", [], "text") == []
    assert not Org.objects.filter(among(Org, "code", [], "text")).exists()
