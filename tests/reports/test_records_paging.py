"""A figure's records page by keyset (issue 14, item 5): at the city root a figure has hundreds of
thousands of records, and page N must cost what page 1 costs. Every figure with records walks them
all exactly once in its order, and back; a rate's two sides each walk their own."""

import pytest
from django.db import connection
from django.urls import reverse

from gonghui.core import paging
from gonghui.core.metrics import REGISTRY
from gonghui.core.periods import Period
from tests.core.pager import links

H1 = Period.half(2025, 1)
Q = {"preset": "h1", "year": "2025"}


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "SIZE", 2)


def labels(response):
    return [r.label for r in response.context["page"].items]


def walk(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    pages, last = [labels(response)], response
    while "next" in links(last):
        last = client.get(links(last)["next"])
        assert last.status_code == 200 and len(pages) < 100
        pages.append(labels(last))
    back = [labels(last)]
    while "prev" in links(last):
        last = client.get(links(last)["prev"])
        back.append(labels(last))
    assert back == pages[::-1]
    return [label for page in pages for label in page]


def expected(recs, qs):
    if not qs.ordered:
        qs = qs.order_by("-pk")
    return [recs.row(o).label for o in qs]


def test_every_figures_records_walk_once_in_order_and_back(client, data, personas):
    client.force_login(personas.county_admin)
    root = data.tree.root
    walked = 0
    for m in REGISTRY.values():
        if m.records is None:
            continue
        recs = m.records(root, H1, True)
        url = reverse("reports:records", args=[root.code, m.code])
        sides = {"all": recs.queryset} if recs.met is None else {
            "gap": recs.queryset.filter(~recs.met), "met": recs.queryset.filter(recs.met)}
        for part, qs in sides.items():
            want = expected(recs, qs)
            assert walk(client, url, {**Q, "part": part}) == want, (m.code, part)
            walked += len(want) > paging.SIZE
    assert walked >= 5  # enough of them run to a second page


def test_the_numbers_go_on_from_page_to_page(client, data, personas):
    client.force_login(personas.county_admin)
    url = reverse("reports:records", args=[data.tree.root.code, "members.new"])
    second = client.get(links(client.get(url, Q))["next"]).content.decode()
    assert "<tr><td>3</td>" in second and "<tr><td>1</td>" not in second
    assert "本页第 3–4 条" in second


def test_a_rates_two_tabs_count_no_further_than_the_pages_do(client, data, personas, monkeypatch):
    """Each tab of a rate's records says how many it holds, bounded like the pages' totals: at the
    city root a side holds a hundred thousand employers, and each page view counted both sides."""
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    client.force_login(personas.county_admin)
    url = reverse("reports:records", args=[data.tree.root.code, "orgs.coverage_rate"])
    counts = []

    def capture(execute, sql, params, many, context):
        if "COUNT(" in sql.upper() and "orgs_employer" in sql:
            counts.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        page = client.get(url, Q).content.decode()
    assert "应建未建单位（待组建）（1）" in page and "已建会单位（2 条以上）" in page  # 1 to organise, 3 covered
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts
    met = client.get(url, {**Q, "part": "met"}).content.decode()
    assert "已建会单位（2 条以上）" in met and "共 2 条以上" in met
