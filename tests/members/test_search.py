"""The roster search: the card number is looked up on its own, every other condition is on the
person, and the answers are those of the OR of all branches (issue 14)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.members import selectors, services
from gonghui.members.models import MemberStatus

D = dt.date


def names(user, q, **kw):
    return [(m.person.name, m.card_no) for m in selectors.roster(user, q=q, **kw)]


def test_a_card_number_that_reads_like_pinyin_finds_its_holder_beside_the_pinyin_matches(tree, join, personas):
    join(name="张三")
    join(name="章明", union=tree.union_b1)
    join(name="李四", card_no="zhang")
    join(name="王五")
    assert names(personas.county_admin, "zhang") == [("张三", ""), ("李四", "zhang"), ("章明", "")]
    assert names(personas.county_admin, "ZHANG") == [("张三", ""), ("章明", "")]  # the card is exact, pinyin is not
    assert names(personas.town_clerk, "zhang") == [("张三", ""), ("李四", "zhang")]  # 乙 is out of his scope


def test_an_ended_membership_s_card_finds_nobody(tree, join, personas):
    m = join(name="李四", card_no="A123")
    services.member_leave(actor=None, membership=m, status=MemberStatus.WITHDRAWN, effective_on=D(2025, 1, 1),
                          reason="个人申请")
    again = join(name="李四", id_number=m.person.id_number, joined_on=D(2025, 2, 1), union=tree.union_b1)
    assert again.person_id == m.person_id
    assert names(personas.county_admin, "A123") == []


def test_last_four_digits_and_a_card_number_together(tree, join, personas):
    a = join(name="赵一")
    join(name="钱二", card_no=a.person.id_last4)
    assert {n for n, _ in names(personas.county_admin, a.person.id_last4)} == {"赵一", "钱二"}


def test_the_page_is_three_queries_whatever_its_size(tree, join, personas):
    for i in range(12):
        join(name=f"张{'一二三四五六七八九十甲乙'[i]}")
    personas.county_admin.grants.count()  # nothing cached yet: the grants are read once below
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.roster(personas.county_admin, q="zhang")[:10])
        shown = [m.person.name for m in rows]
    assert len(shown) == 10 and shown == sorted(shown)
    # grants, the card look-up, the page, its people
    assert len(ctx.captured_queries) == 4
