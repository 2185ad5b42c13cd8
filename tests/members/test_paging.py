"""The roster and the pending transfers page by keyset (issue 14, item 5): every row once, in the
list's order, filters and scope kept on every page, a bad cursor answered with the first page."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from gonghui.core import paging
from gonghui.members.models import Membership, MemberStatus, Transfer
from tests.core.pager import assert_walks, ids, links, walk

pytestmark = pytest.mark.django_db
ROSTER = reverse("members:roster")
TRANSFERS = reverse("members:transfers")
# Ties on the name (the id decides), names that sort before and after each other by code point.
NAMES = ["张三", "张三", "李四", "王五", "张三丰", "赵六", "钱七", "孙八", "李四", "周九", "吴十", "郑一", "王二"]


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "SIZE", 4)


@pytest.fixture
def members(tree, join):
    made = []
    for i, name in enumerate(NAMES):
        made.append(join(tree.union_a1 if i % 2 else tree.union_a2, name, female=i % 3 == 0,
                         joined_on=dt.date(2025, 3, 1)))
    for i, name in enumerate(NAMES[:7]):
        made.append(join(tree.union_b1, name, female=i % 3 == 0))
    return made


def in_roster_order(memberships):
    return [m.pk for m in sorted(memberships, key=lambda m: (m.person.name, m.pk))]


def current(**filters):
    return list(Membership.objects.filter(ended_on__isnull=True, **filters).select_related("person"))


def test_the_county_roster_walks_every_member_once_in_name_order(client, personas, members):
    client.force_login(personas.county_admin)
    expected = in_roster_order(current())
    assert len(expected) == len(NAMES) + 7
    assert_walks(client, ROSTER, {}, expected, paging.SIZE)


def test_filters_survive_paging(client, personas, members, tree):
    client.force_login(personas.county_admin)
    params = {"gender": "2", "org": tree.town_a.code}
    expected = in_roster_order(current(person__gender=2, union__path__startswith=tree.town_a.path))
    assert len(expected) > 2 * paging.SIZE - 4 and len(expected) > paging.SIZE
    assert_walks(client, ROSTER, params, expected, paging.SIZE)
    params = {"q": "张"}
    expected = in_roster_order(current(person__name__startswith="张"))
    assert len(expected) > paging.SIZE
    assert_walks(client, ROSTER, params, expected, paging.SIZE)


def test_a_township_clerk_pages_only_through_the_township(client, personas, members, tree):
    client.force_login(personas.town_clerk)
    pages, _ = walk(client, ROSTER)
    seen = [pk for page in pages for pk in page]
    assert seen == in_roster_order(current(union__path__startswith=tree.town_a.path))
    assert not Membership.objects.filter(pk__in=seen, union=tree.union_b1).exists()


def test_a_bad_cursor_gives_the_first_page_with_a_message(client, personas, members):
    client.force_login(personas.county_admin)
    first = client.get(ROSTER)
    cursor = links(first)["next"].split("cursor=")[1]
    for bad in ("x", cursor[:-3], cursor.replace(":", "::", 1), "%00", "9" * 40):
        response = client.get(ROSTER, {"cursor": bad, "gender": ""})
        assert response.status_code == 200
        assert ids(response) == ids(first)
        assert "分页链接无效" in response.content.decode()


def test_a_member_who_leaves_between_two_pages_does_not_shift_the_next(client, personas, members, tree):
    """A keyset page starts after the last row seen, so a change before it neither repeats nor
    skips a row (an OFFSET page would skip one)."""
    from gonghui.members import services

    client.force_login(personas.county_admin)
    first = client.get(ROSTER)
    gone = Membership.objects.get(pk=ids(first)[0])
    services.member_leave(actor=None, membership=gone, status=MemberStatus.WITHDRAWN, effective_on=dt.date(2025, 6, 1),
                          reason="调离")
    second = client.get(links(first)["next"])
    expected = in_roster_order(current())
    assert ids(second) == expected[paging.SIZE - 1:2 * paging.SIZE - 1]


def test_the_cursor_carries_no_name(client, personas, members):
    """The roster is ordered by name, but its links name the boundary row by id only: a URL ends up
    in access logs, browser history and Referer headers."""
    import base64
    import json
    from urllib.parse import unquote

    client.force_login(personas.county_admin)
    first = client.get(ROSTER)
    for rel in ("next",):
        cursor = unquote(links(first)[rel].split("cursor=")[1])
        payload = cursor.rsplit(".", 3)[0]  # core.crypto's token: value.key.expiry.mac
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert decoded[2] == ids(first)[-1]
        assert not any(name in cursor or name in json.dumps(decoded, ensure_ascii=False) for name in NAMES)


@pytest.fixture
def transfers(tree, join):
    """Pending requests into 甲二 and 乙一 (two a day: ties on the date), and decided ones that the
    page leaves out."""
    made = []
    for i in range(11):
        m = join(tree.union_a1 if i % 3 else tree.union_b1, f"转会{i}")
        day = dt.date(2025, 6, 1 + i // 2)
        made.append(Transfer.objects.create(
            membership=m, to_union=tree.union_b1 if i % 3 and i % 2 else tree.union_a2, requested_on=day,
            effective_on=day, status=Transfer.Status.ACCEPTED if i == 4 else Transfer.Status.PENDING))
    return made


def test_the_pending_transfers_walk_once_oldest_first_and_back(client, personas, transfers, tree):
    client.force_login(personas.county_admin)
    pending = Transfer.objects.filter(status=Transfer.Status.PENDING).order_by("requested_on", "pk")
    expected = list(pending.values_list("pk", flat=True))
    assert len(expected) == 10
    _, responses = assert_walks(client, TRANSFERS, {}, expected, paging.SIZE)
    assert "共 10 条" in responses[0].content.decode()
    client.force_login(personas.town_clerk)  # decides the requests into 甲二 only
    pages, _ = walk(client, TRANSFERS)
    assert [pk for page in pages for pk in page] == list(
        pending.filter(to_union=tree.union_a2).values_list("pk", flat=True))


def _sent_links(response) -> dict[str, str]:
    """The 下一页 / 上一页 links of the sent-requests list (its own `sent` cursor, back to #sent)."""
    text = response.content.decode()
    return {rel: html.unescape(href) for rel, href in re.findall(r'rel="(next|prev)" href="([^"]*#sent)"', text)}


def test_the_sent_requests_page_by_their_own_cursor_newest_first(client, personas, transfers, tree, monkeypatch):
    """转入申请 sent from the user's scope: keyset pages of PART rows under `sent`, back to the list,
    the pending list's cursor kept (issue 14: no OFFSET paging left)."""
    monkeypatch.setattr(paging, "PART", 3)
    Transfer.objects.filter(pk__in=[t.pk for t in transfers]).update(initiator=Transfer.Initiator.TO)
    client.force_login(personas.county_admin)
    sent = Transfer.objects.filter(initiator=Transfer.Initiator.TO).order_by("-requested_on", "-pk")
    expected = list(sent.values_list("pk", flat=True))
    first = client.get(TRANSFERS).content.decode()
    pending_next = html.unescape(re.search(r'rel="next" href="([^"#]*)"', first).group(1))  # the pending list's page 2
    response = client.get(pending_next)
    pending_ids = ids(response)
    pages = [[t.pk for t in response.context["sent"].items]]
    assert "共 11 条" in response.content.decode()
    while "next" in _sent_links(response):
        url = _sent_links(response)["next"]
        assert url.endswith("#sent") and "cursor=" in url  # the other list's page is kept
        response = client.get(url.split("#")[0])
        assert ids(response) == pending_ids
        pages.append([t.pk for t in response.context["sent"].items])
        assert len(pages) < 10
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == 3 for page in pages[:-1])
    back = [pages[-1]]
    while "prev" in _sent_links(response):
        response = client.get(_sent_links(response)["prev"].split("#")[0])
        back.append([t.pk for t in response.context["sent"].items])
    assert back == pages[::-1]
    client.force_login(personas.town_clerk)  # sees only the requests into 甲二
    response = client.get(TRANSFERS)
    assert {t.pk for t in response.context["sent"].items} == set(
        sent.filter(to_union=tree.union_a2).values_list("pk", flat=True)[:3])
