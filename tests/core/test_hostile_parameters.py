"""Hostile query parameters never give a server error (issue 12, defect 5).

`?page=99999999999999999999999` gave 500 on twelve list pages (SQLite "datatype mismatch")
and `/calendar/?year=-1` on the calendar. The pages are found from the URL resolver (every
URL that takes no argument and shows a page on GET), and the parameters from each page's own
GET forms plus the names the list pages read (page, year, dates, ids), so a new page or a new
filter is fuzzed without touching this file.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gonghui.core import clock

pytestmark = pytest.mark.django_db

# Read by views without a form field of that name on the page.
COMMON = ("page", "year", "from", "to", "start", "end", "org")
HOSTILE = (
    "99999999999999999999999",  # overflows a 64-bit integer
    "-1", "abc",
    "\u0661\u0662\u0663",  # Arabic-Indic digits: int() takes them
    "9999-12-31", "0001-01-01", "2025-02-30",
    "\u4e2d\u6587",
)
SKIP = {"core:healthz", "accounts:logout", "accounts:login", "core:calendar_delete"}


def walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", p


def pages_without_arguments():
    for name, pattern in walk(get_resolver().url_patterns):
        if name in SKIP or pattern.pattern.converters or "<" in str(pattern.pattern):
            continue
        yield name


GET_FORM = re.compile(r"<form\b(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def parameters(html: str) -> set[str]:
    """Names of the fields of the page's GET forms (its filters)."""
    names = set()
    for form in GET_FORM.findall(html):
        names.update(FIELD.findall(form))
    return names - {"csrfmiddlewaretoken"}


def test_the_fuzzer_finds_the_list_pages_and_their_filters(client, personas):
    client.force_login(personas.county_admin)
    names = set(pages_without_arguments())
    assert {"members:roster", "core:calendar", "core:audit", "orgs:employers", "members:transfers"} <= names
    assert {"q", "joined_from", "age_min"} <= parameters(client.get(reverse("members:roster")).content.decode())


def test_no_list_page_fails_on_hostile_parameters(client, tree, personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(personas.county_admin)
    client.raise_request_exception = False
    failures, fuzzed = [], 0
    for name in pages_without_arguments():
        url = reverse(name)
        first = client.get(url)
        if first.status_code != 200 or "html" not in first.get("Content-Type", ""):
            continue
        fuzzed += 1
        own = parameters(first.content.decode())
        # The page's own filters one at a time (one refused filter must not hide another), the
        # common names the page has no field for all at once (most pages ignore them).
        queries = [[name] for name in sorted(own)] + [[name for name in COMMON if name not in own]]
        for names in queries:
            for value in HOSTILE:
                status = client.get(url, dict.fromkeys(names, value)).status_code
                if status >= 500:
                    failures.append(f"{url}?{'&'.join(names)}={value!r}: {status}")
    assert fuzzed >= 20
    assert failures == []


def test_the_reported_attacks(client, personas):
    client.force_login(personas.county_admin)
    client.raise_request_exception = False
    assert client.get(reverse("members:roster"), {"page": "99999999999999999999999"}).status_code == 200
    for year in ("-1", "99999999", "0"):
        response = client.get(reverse("core:calendar"), {"year": year})
        assert response.status_code == 200 and response.context["year"] == clock.today().year
    response = client.get(reverse("core:stats"), {"to": "9999-12-31"})
    assert response.status_code == 200 and "超出范围" in response.content.decode()


def test_the_parameter_helpers():
    import datetime as dt

    from gonghui.core.params import MAX_PAGE, date_param, id_param, int_param, page_param, year_param

    assert page_param({"page": "99999999999999999999999"}) == 1
    assert page_param({"page": "-3"}) == 1 and page_param({"page": "\u0661"}) == 1
    assert page_param({"page": " 7 "}) == 7 and page_param({"page": str(MAX_PAGE + 1)}) == 1
    assert year_param({"year": "-1"}, default=2025) == 2025 and year_param({"year": "2030"}) == 2030
    assert id_param({"id": "9223372036854775808"}, "id") is None and id_param({"id": "42"}, "id") == 42
    assert int_param({}, "n", 5) == 5 and int_param({"n": "1e3"}, "n", 5) == 5
    assert date_param({"d": "9999-12-31"}, "d") is None
    assert date_param({"d": "2025-06-30"}, "d") == dt.date(2025, 6, 30)
