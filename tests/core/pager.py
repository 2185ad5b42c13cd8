"""Walking a keyset-paged list through its links, as a user clicking 下一页 / 上一页 does.

Shared by the paging tests of every list (tests/*/test_paging.py)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.test import RequestFactory

from gonghui.core import paging

LINK = re.compile(r'rel="(next|prev)" href="([^"]+)"')
FIRST = re.compile(r'href="([^"]*)">第一页</a>')


def links(response) -> dict[str, str]:
    """The pager's next / prev / first links of a page, unescaped."""
    text = response.content.decode()
    out = {rel: html.unescape(href) for rel, href in LINK.findall(text)}
    first = FIRST.search(text)
    if first:
        out["first"] = html.unescape(first.group(1))
    return out


def ids(response) -> list[int]:
    return [obj.pk for obj in response.context["page"].items]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def walk(client, url, params=None, *, limit: int = 100):
    """Follow 下一页 from the first page to the last: (pages of ids, responses)."""
    response = client.get(url, params or {})
    assert response.status_code == 200
    pages, responses = [ids(response)], [response]
    while "next" in links(response):
        assert len(pages) < limit, "the next links never end"
        response = client.get(links(response)["next"])
        assert response.status_code == 200
        pages.append(ids(response))
        responses.append(response)
    return pages, responses


def walk_back(client, response, *, limit: int = 100):
    """Follow 上一页 from a page to the first: the pages of ids, the given one first."""
    pages = [ids(response)]
    while "prev" in links(response):
        assert len(pages) < limit, "the previous links never end"
        response = client.get(links(response)["prev"])
        assert response.status_code == 200
        pages.append(ids(response))
    return pages


def assert_walks(client, url, params, expected: list[int], size: int):
    """Every row exactly once, in order, in pages of `size`; and back again from the last page,
    with every link keeping the filters."""
    pages, responses = walk(client, url, params)
    flat = [pk for page in pages for pk in page]
    assert flat == expected
    assert all(len(page) == size for page in pages[:-1])
    assert len(pages) == max(1, -(-len(expected) // size))
    for response in responses[1:]:
        for rel, href in links(response).items():
            got = query(href)
            for name, value in (params or {}).items():
                assert got.get(name) == [str(value)], (rel, name, href)
    back = walk_back(client, responses[-1])
    assert back == pages[::-1]
    return pages, responses


def request_for(url: str):
    """A GET request the paginator can answer, messages included (no middleware runs)."""
    request = RequestFactory().get(url)
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


def pages_of(qs, name="test.list", size=4):
    """Walk `keyset` over qs through its own next links, then back through the previous ones."""
    def get(url):
        return paging.keyset(qs, request_for(url), name, size=size)

    page = get("/list/?keep=1")
    forward = [page]
    while page.has_next:
        assert "keep=1" in page.next_url
        page = get(page.next_url)
        forward.append(page)
        assert len(forward) < 100
    backward = [page]
    while page.has_previous:
        page = get(page.previous_url)
        backward.append(page)
        assert len(backward) < 100
    return [[o.pk for o in p.items] for p in forward], [[o.pk for o in p.items] for p in backward]
