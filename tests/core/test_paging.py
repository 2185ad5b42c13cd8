"""Keyset pages (core.paging.keyset) and the audit list's bounded rows (issue 14, item 5).

The paginator is exercised through the audit list, and directly over orderings the lists use
(dates, names, descending, NULLs), each walked to the end and back and compared with the same
ordering read in one query."""

import datetime as dt
import json
import re

import pytest
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from gonghui.core import audit, paging
from gonghui.core.audit import Target
from gonghui.core.audit_summary import LONG, summarize
from gonghui.core.models import AuditEvent
from tests.conftest import make_user

from .pager import assert_walks, ids, links, pages_of, query, request_for, walk

pytestmark = pytest.mark.django_db
AUDIT = reverse("core:audit")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the audit anchor file
    monkeypatch.setattr(paging, "SIZE", 5)


def record(n, path, action="test.thing.done", changes=None, actor=None):
    with transaction.atomic():
        return [audit.record(actor=actor, action=action, target=Target("test.thing", str(i), f"事物{i}", path),
                             changes=changes if changes is not None else {"n": i}) for i in range(n)]


def newest_first(qs):
    return list(qs.order_by("-seq").values_list("pk", flat=True))


def test_the_audit_list_walks_every_entry_once_in_order_and_back(client, tree, personas):
    record(17, tree.town_a.path)
    record(6, tree.town_b.path)
    client.force_login(personas.county_admin)
    expected = newest_first(AuditEvent.objects.all())
    assert len(expected) > 3 * paging.SIZE
    pages, responses = assert_walks(client, AUDIT, {}, expected, paging.SIZE)
    assert responses[1].context["page"].number == 2
    assert "第一页" in responses[1].content.decode() and "第一页" not in responses[0].content.decode()
    assert "后面还有更多" in responses[0].content.decode()
    assert "后面还有更多" not in responses[-1].content.decode()


def test_filters_stay_in_the_links(client, tree, personas):
    record(12, tree.town_a.path, action="test.thing.done")
    record(7, tree.town_a.path, action="test.other.done")
    client.force_login(personas.county_admin)
    params = {"action": "test.thing", "org": tree.town_a.code}
    expected = newest_first(AuditEvent.objects.filter(action="test.thing.done"))
    assert len(expected) == 12
    assert_walks(client, AUDIT, params, expected, paging.SIZE)


def test_a_township_auditor_never_pages_into_another_township(client, tree):
    record(13, tree.town_a.path)
    record(13, tree.town_b.path)
    reader = make_user("town_reader", tree.town_a, "查阅")
    client.force_login(reader)
    pages, _ = walk(client, AUDIT)
    seen = [pk for page in pages for pk in page]
    paths = set(AuditEvent.objects.filter(pk__in=seen).values_list("org_path", flat=True))
    assert all(p.startswith(tree.town_a.path) for p in paths)
    assert seen == newest_first(AuditEvent.objects.filter(org_path__startswith=tree.town_a.path))
    assert client.get(AUDIT, {"org": tree.town_b.code}).status_code == 404


@pytest.mark.parametrize("cursor", [
    "garbage", "", "a" * 5000, "中文", "W10:abc", "WyJhIiwxLFsxXSxudWxsXQ:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "99999999999999999999999", "\x00", "-1",
])
def test_a_malformed_cursor_gives_the_first_page_and_a_message(client, tree, personas, cursor):
    record(8, tree.town_a.path)
    client.force_login(personas.county_admin)
    first = ids(client.get(AUDIT))
    response = client.get(AUDIT, {"cursor": cursor})
    assert response.status_code == 200
    assert ids(response) == first
    assert response.context["page"].number == 1
    assert ("分页链接无效" in response.content.decode()) == bool(cursor)


def test_a_tampered_or_foreign_cursor_gives_the_first_page_and_a_message(client, tree, personas, join_roster):
    record(12, tree.town_a.path)
    client.force_login(personas.county_admin)
    first = client.get(AUDIT)
    nxt = query(links(first)["next"])["cursor"][0]
    payload, signature = nxt.rsplit(":", 1)
    forged = [payload + ":" + signature[:-1] + ("A" if signature[-1] != "A" else "B"),
              payload[:-2] + "xx:" + signature]
    # A cursor the roster made is not taken by the audit list (another list, another ordering).
    roster_cursor = query(links(client.get(reverse("members:roster")))["next"])["cursor"][0]
    for cursor in [*forged, roster_cursor]:
        response = client.get(AUDIT, {"cursor": cursor})
        assert response.status_code == 200
        assert ids(response) == ids(first)
        assert "分页链接无效" in response.content.decode()


@pytest.fixture
def join_roster(tree):
    """Enough members for the roster to have a second page."""
    from gonghui.members import services
    from tests.members.conftest import make_id

    for i in range(paging.SIZE + 1):
        services.member_join(actor=None, union=tree.union_a1, name=f"会员{i:02d}", joined_on=dt.date(2024, 3, 1),
                             id_number=make_id(seq=i + 1))


def test_the_bounded_count_says_more_instead_of_counting_everything(client, tree, personas, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    record(3, tree.town_a.path)
    client.force_login(personas.county_admin)
    total = AuditEvent.objects.count()
    response = client.get(AUDIT, {"org": tree.town_a.code, "action": "test."})
    assert "共 3 条" in response.content.decode()
    record(20, tree.town_a.path)
    response = client.get(AUDIT)
    assert total + 20 > 10 and "共 10 条以上" in response.content.decode()
    # The count travels in the cursor: the next page does not count again, and says the same.
    second = client.get(links(response)["next"])
    assert second.context["page"].total is None and "共 10 条以上" in second.content.decode()


# --- the audit list's rows and the entry's page ---------------------------------------------------

def huge_changes(unions=30_000):
    return {"joined": 100_000, "unions": {f"U{i:05d}": i for i in range(unions)}}


def test_a_huge_entry_does_not_weigh_on_the_list(client, tree, personas, monkeypatch):
    monkeypatch.setattr(paging, "SIZE", 50)
    wide = {f"field_{i:02d}": [f"旧值{i}" * 15, f"新值{i}" * 15] for i in range(20)}
    record(60, tree.town_a.path, changes=wide)
    big, = record(1, tree.town_a.path, action="members.member.imported", changes=huge_changes())
    assert len(json.dumps(AuditEvent.objects.get(pk=big.pk).changes)) > 400_000
    client.force_login(personas.county_admin)
    response = client.get(AUDIT)
    body = response.content.decode()
    # 50 rows, the huge one among them: each row carries at most a few short fields.
    assert len(response.content) < 100_000, len(response.content)
    page = response.context["page"]
    assert len(page.items) == 50 and page.items[0].pk == big.pk
    assert all("changes" in e.get_deferred_fields() for e in page.items)  # never loaded
    row = page.items[0].summary
    assert row.fields[0] == ("joined", "100000") and row.fields[1] == ("unions", LONG) and row.more
    assert "U29999" not in body
    assert f'href="{reverse("core:audit_entry", args=[big.seq])}"' in body
    wide_row = page.items[1].summary
    assert len(wide_row.fields) == 3 and wide_row.total == 20 and "等 20 项" in body
    assert all(len(v) <= 81 for _k, v in wide_row.fields)


def test_the_entry_page_shows_every_change(client, tree, personas):
    big, = record(1, tree.town_a.path, action="members.member.imported", changes=huge_changes(2_000))
    client.force_login(personas.county_admin)
    response = client.get(reverse("core:audit_entry", args=[big.seq]))
    assert response.status_code == 200
    body = response.content.decode()
    assert all(f"U{i:05d}：{i}；" in body for i in range(1_999)) and "U01999：1999<" in body
    assert "100000" in body and "全部变更（2 项）" in body and "2000 项：" in body


def test_the_entry_page_keeps_the_lists_scope(client, tree):
    a, = record(1, tree.town_a.path)
    b, = record(1, tree.town_b.path)
    loose, = record(1, "")  # an entry of no org: for auditors of the whole tree only
    reader = make_user("town_reader", tree.town_a, "查阅")
    client.force_login(reader)
    assert client.get(reverse("core:audit_entry", args=[a.seq])).status_code == 200
    assert client.get(reverse("core:audit_entry", args=[b.seq])).status_code == 404
    assert client.get(reverse("core:audit_entry", args=[loose.seq])).status_code == 404
    assert client.get(f"{AUDIT}99999999999999999999999/").status_code == 404
    clerk = make_user("town_clerk2", tree.town_a, "业务经办")  # no audit.view
    client.force_login(clerk)
    assert client.get(reverse("core:audit_entry", args=[a.seq])).status_code == 403


@pytest.mark.parametrize("head, total, fields, more", [
    ('{"a": [1, 2]}', 1, [("a", "1 → 2")], False),
    ('{}', 0, [], False),
    ('{"a": 1, "b": "x", "c": null, "d": 4}', 4, [("a", "1"), ("b", "x"), ("c", "（空）")], True),  # never "null" in the UI
    ('{"a": 1, "b": {"k": 1, "j"', 2, [("a", "1"), ("b", LONG)], True),
    ('{"a": 1, "b', 5, [("a", "1")], True),
    ('{"a": ["", "新"]}', 1, [("a", "（空） → 新")], False),
])
def test_the_summary_reads_what_the_head_holds(head, total, fields, more):
    s = summarize(head, total)
    assert (s.fields, s.more) == (fields, more)


# --- the paginator over other orderings ----------------------------------------------------------

@pytest.mark.parametrize("order", [
    ("actor_id",), ("-actor_id",), ("key", "-seq"), ("-key",), ("actor_name", "-created_at"),
    ("-created_at",), ("object_label", "seq"),
    (F("actor_id").asc(nulls_first=True),), (F("actor_id").asc(nulls_last=True),),
    (F("actor_id").desc(nulls_first=True), "object_label"), (F("actor_id").desc(nulls_last=True),),
])
def test_keyset_pages_any_ordering_with_nulls_and_ties(tree, personas, order):
    # actor_id is NULL for the entries without an actor, and shared by those with one: NULLs, ties
    # and orderings that do not end with a unique field, all at once.
    record(5, tree.town_a.path, actor=personas.county_admin)
    record(6, tree.town_b.path)
    qs = AuditEvent.objects.order_by(*order)
    last = order[-1]
    descending = last.startswith("-") if isinstance(last, str) else last.descending
    # The paginator breaks ties by the primary key in the last term's direction.
    expected = list(qs.order_by(*order, "-pk" if descending else "pk").values_list("pk", flat=True))
    assert len(expected) > 12
    forward, backward = pages_of(qs)
    assert [pk for p in forward for pk in p] == expected
    assert backward == forward[::-1]


def test_keyset_on_a_reversed_and_a_filtered_queryset(tree):
    record(9, tree.town_a.path)
    qs = AuditEvent.objects.filter(action="test.thing.done").order_by("seq").reverse()
    forward, backward = pages_of(qs, size=2)
    assert [pk for p in forward for pk in p] == newest_first(AuditEvent.objects.filter(action="test.thing.done"))
    assert backward == forward[::-1]


def test_a_cursor_is_bound_to_its_ordering(tree):
    record(9, tree.town_a.path)
    def get(qs, url="/list/"):
        return paging.keyset(qs, request_for(url), "test.list", size=3)

    by_date = AuditEvent.objects.order_by("-created_at")
    nxt = get(by_date).next_url
    page = get(AuditEvent.objects.order_by("object_label"), nxt)
    assert page.number == 1 and page.message == paging.BAD_CURSOR
    assert re.search(r"cursor=[\w:.%-]+$", nxt)  # URL-safe: core.crypto's token (value.key.expiry.mac)


LISTS = ["members:roster", "orgs:employers", "bargaining:index", "petitions:index", "assistance:archives",
         "assistance:applications", "core:audit", "petitions:mediation_list", "members:transfers", "accounts:users",
         "jobs:list", "core:notices", "core:access_log", "assistance:campaigns", "assistance:pairings"]
HOSTILE = ["x", "99999999999999999999999", "-1", "\u0661\u0662\u0663", "中文", "a:b:c", "W10:" + "A" * 43,
           "%", "\x00", "a" * 3000]


@pytest.mark.parametrize("name", LISTS)
def test_no_list_fails_on_a_hostile_cursor(client, tree, personas, name):
    client.force_login(personas.county_admin)
    client.raise_request_exception = False
    url = reverse(name)
    for cursor in HOSTILE:
        response = client.get(url, {"cursor": cursor})
        assert response.status_code == 200, (name, cursor, response.status_code)
        assert response.context["page"].number == 1
        assert "分页链接无效" in response.content.decode(), (name, cursor)


# --- the shorter lists that still grow: access log, jobs, notices (issue 14, item 5) -------------

ACCESS = reverse("core:access_log")


def test_the_access_log_walks_every_entry_once_with_its_filters(client, tree, personas):
    from gonghui.core.models import AccessLog

    for i in range(13):
        audit.log_access(user=personas.union_clerk if i % 2 else personas.town_clerk,
                         kind=AccessLog.Kind.EXPORT if i % 3 == 0 else AccessLog.Kind.VIEW_FULL,
                         object_type="members.membership", object_id=str(i),
                         org_path=tree.union_a1.path if i % 4 else tree.union_b1.path)
    client.force_login(personas.county_admin)
    expected = list(AccessLog.objects.order_by("-id").values_list("pk", flat=True))
    assert len(expected) == 13
    assert_walks(client, ACCESS, {}, expected, paging.SIZE)
    assert_walks(client, ACCESS, {"kind": "view_full"}, list(
        AccessLog.objects.filter(kind="view_full").order_by("-id").values_list("pk", flat=True)), paging.SIZE)
    reader = make_user("town_reader", tree.town_a, "查阅")
    client.force_login(reader)
    pages, _ = walk(client, ACCESS)
    assert [pk for page in pages for pk in page] == list(
        AccessLog.objects.filter(org_path__startswith=tree.town_a.path).order_by("-id").values_list("pk", flat=True))


def test_my_jobs_walk_newest_first_and_only_mine(client, tree, personas, monkeypatch):
    from gonghui.core.models_jobs import Job

    for i in range(11):
        job = Job.objects.create(kind="test", title=f"任务{i}", user=personas.town_clerk if i % 4 else personas.leader,
                                 status=Job.Status.DONE)
        if i % 3 == 0:  # ties on the time: the id decides
            Job.objects.filter(pk=job.pk).update(created_at=Job.objects.order_by("pk").first().created_at)
    client.force_login(personas.town_clerk)
    expected = list(Job.objects.filter(user=personas.town_clerk).order_by("-created_at", "-id")
                    .values_list("pk", flat=True))
    assert len(expected) == 8
    from gonghui.core import views_jobs

    monkeypatch.setattr(views_jobs, "PAGE_SIZE", 3)
    assert_walks(client, reverse("jobs:list"), {}, expected, 3)


def test_the_notices_walk_newest_first(client, tree, personas):
    from gonghui.core import clock, notices
    from gonghui.core.models import Notice

    for i in range(12):
        with clock.as_of(dt.date(2025, 3, 1 + i // 2)):
            notices.notice_post(actor=personas.county_admin, org=tree.root if i % 3 else tree.town_b,
                                title=f"通知{i}", body="", valid_from=dt.date(2025, 3, 1 + i // 2),
                                valid_until=dt.date(2025, 3, 20))
    client.force_login(personas.town_clerk)  # reached by the root's notices only
    expected = list(Notice.objects.filter(org_path=tree.root.path).order_by("-valid_from", "-id")
                    .values_list("pk", flat=True))
    assert len(expected) == 8
    assert_walks(client, reverse("core:notices"), {}, expected, paging.SIZE)
    client.force_login(personas.county_admin)  # reached by the root's, and posted everywhere
    expected = list(Notice.objects.order_by("-valid_from", "-id").values_list("pk", flat=True))
    assert_walks(client, reverse("core:notices"), {}, expected, paging.SIZE)
