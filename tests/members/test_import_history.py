"""The roster import's membership history columns (issue 17): 会籍变化类型, 变化日期, 变化原因,
转出/转入工会. Rows with a change go through the services the member pages use; plain new members
keep the bulk path.

Tree and personas: tests/conftest.py (the town clerk manages 甲镇: unions A1 and A2).
"""

import datetime as dt

import pytest

from gonghui.core.models import AuditEvent
from gonghui.members import bulk
from gonghui.members.imports import MemberImporter
from gonghui.members.models import MemberEvent, Membership, MemberStatus, MemberStatusPeriod, Person
from tests.core.test_excel import make_xlsx
from tests.members.conftest import make_id

D = dt.date
HEADERS = ["姓名", "公民身份号码", "所在工会代码", "入会日期", "会籍变化类型", "变化日期", "变化原因", "转出/转入工会"]
JOINED = D(2024, 3, 1)


def row(name, seq, change=None, on=None, reason=None, other=None, *, union="A1", joined=JOINED):
    return [name, make_id(seq=seq), union, joined, change, on, reason, other]


def run(actor, *rows):
    return MemberImporter(actor=actor).run(make_xlsx([HEADERS, *rows]))


def membership_of(name, **kw):
    return Membership.objects.select_related("union").get(person__name=name, **kw)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def test_statuses_of_an_existing_roster_come_in_through_the_services(tree, personas):
    result = run(personas.town_clerk,
                 row("在会", 1), row("入会", 2, "入会"),
                 row("保留", 3, "保留会籍", D(2025, 6, 30), "退休"),
                 row("退会", 4, "退会", D(2025, 1, 10), "本人申请"),
                 row("除名", 5, "除名", D(2025, 2, 1), "连续六个月未缴会费"),
                 row("转出外", 6, "转出", D(2025, 3, 1), None, "某省某公司工会"),
                 row("转出内", 7, "转出", D(2025, 4, 1), "调动", "A2"))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (7, 0, 0)
    assert membership_of("在会").status == MemberStatus.ACTIVE
    kept = membership_of("保留")
    assert (kept.status, kept.ended_on) == (MemberStatus.RETAINED, None)
    assert list(kept.periods.order_by("valid_from").values_list("status", "valid_from", "valid_to", "reason")) == [
        (MemberStatus.ACTIVE, JOINED, D(2025, 6, 30), ""), (MemberStatus.RETAINED, D(2025, 6, 30), None, "退休")]
    for name, status, on in (("退会", MemberStatus.WITHDRAWN, D(2025, 1, 10)),
                             ("除名", MemberStatus.EXPELLED, D(2025, 2, 1)),
                             ("转出外", MemberStatus.TRANSFERRED, D(2025, 3, 1))):
        m = membership_of(name)
        assert (m.status, m.ended_on) == (status, on), name
        assert not m.periods.filter(valid_to__isnull=True).exists()
    out = MemberEvent.objects.get(person__name="转出外", kind=MemberEvent.Kind.TRANSFERRED_OUT)
    assert out.data == {"to": "某省某公司工会"} and out.effective_on == D(2025, 3, 1)
    # Into a union of the system that the clerk manages: the membership moved there.
    moved = membership_of("转出内", ended_on__isnull=True)
    assert moved.union == tree.union_a2 and moved.started_on == D(2025, 4, 1)
    assert membership_of("转出内", union=tree.union_a1).status == MemberStatus.TRANSFERRED
    # Each service wrote its own audit entry; the plain new members one bulk entry.
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count(bulk.ACTION) == 1 and actions.count("members.member.joined") == 5
    for action in ("members.member.retained", "members.member.withdrawn", "members.member.expelled",
                   "members.member.transferred_out", "members.member.transferred"):
        assert actions.count(action) == 1, action
    # Re-importing the same roster changes nothing and reports nothing wrong for the ended ones:
    again = run(personas.town_clerk, row("在会", 1), row("保留", 3, "保留", D(2025, 6, 30), "退休"))
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_member_of_the_roster_changes_status_on_a_later_import(tree, personas):
    assert run(personas.town_clerk, row("甲", 1)).ok
    result = run(personas.town_clerk, row("甲", 1, "保留", D(2025, 5, 1), "失业"))
    assert result.ok and (result.created, result.updated) == (0, 1)
    assert membership_of("甲").status == MemberStatus.RETAINED
    result = run(personas.town_clerk, row("甲", 1, "退会", D(2025, 8, 1), "本人申请"))
    assert result.ok, result.errors
    assert membership_of("甲").status == MemberStatus.WITHDRAWN


def test_a_transfer_in_from_outside_the_system_is_not_counted_as_joining(tree, personas):
    result = run(personas.town_clerk, row("乙", 2, "转入", D(2025, 3, 15), "调入", "外省某厂工会",
                                          joined=D(2010, 5, 1)))
    assert result.ok, result.errors
    m = membership_of("乙")
    assert (m.union, m.started_on, m.status) == (tree.union_a1, D(2025, 3, 15), MemberStatus.ACTIVE)
    assert Person.objects.get(name="乙").first_joined_on == D(2010, 5, 1)
    kinds = list(MemberEvent.objects.filter(person__name="乙").values_list("kind", "data"))
    assert kinds == [(MemberEvent.Kind.TRANSFERRED_IN, {"from": "外省某厂工会"})]
    assert MemberStatusPeriod.objects.get(membership=m).valid_from == D(2025, 3, 15)


def test_a_transfer_in_of_a_member_of_another_union_of_the_clerk_moves_the_membership(tree, personas):
    assert run(personas.town_clerk, row("丙", 3, union="A2", joined=D(2025, 3, 1))).ok
    result = run(personas.town_clerk, row("丙", 3, "转入", D(2025, 9, 1), "", "甲二公司工会"))
    assert result.ok, result.errors
    assert membership_of("丙", ended_on__isnull=True).union == tree.union_a1
    assert membership_of("丙", union=tree.union_a2).status == MemberStatus.TRANSFERRED


def test_bad_combinations_name_the_row_and_the_column_and_save_nothing(tree, personas):
    before = (Person.objects.count(), AuditEvent.objects.count())
    result = run(personas.town_clerk,
                 row("a", 1, "转出", None, None, "某工会"),
                 row("b", 2, "保留", D(2025, 1, 1)),
                 row("c", 3, None, D(2025, 1, 1)),
                 row("d", 4, "退会", D(2023, 1, 1), "本人申请"),
                 row("e", 5, "转入", D(2025, 1, 1)),
                 row("f", 6, "请假", D(2025, 1, 1)),
                 row("g", 7, "入会", D(2024, 5, 1)))
    found = {(e.row, e.column): e.reason for e in result.errors}
    assert set(found) == {(2, "变化日期"), (3, "变化原因"), (4, "会籍变化类型"), (5, "变化日期"),
                          (6, "转出/转入工会"), (7, "会籍变化类型"), (8, "变化日期")}
    assert "“转出”时须填写变化日期" in found[(2, "变化日期")]
    assert "早于入会日期" in found[(5, "变化日期")]
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_a_status_the_services_refuse_is_an_error_on_its_row(tree, personas):
    assert run(personas.town_clerk, row("甲", 1, "退会", D(2025, 1, 10), "本人申请")).ok
    # 甲 has left: a later row re-joins him (REJOIN) and then retains him before the re-join date.
    result = run(personas.town_clerk, row("甲", 1, "保留", D(2025, 1, 5), "退休", joined=D(2025, 1, 1)))
    assert not result.ok
    assert {e.row for e in result.errors} == {2}


def test_a_clerks_own_sheet_with_a_title_block_and_other_headers_loads(tree, personas):
    """The headers as provincial rosters write them, under a title block (core.excel finds the header)."""
    title = ["甲一公司工会会员名册"]
    headers = ["序号", "姓名", "身份证号", "所在工会代码", "入会时间", "单位名称", "是否农民工", "会籍变动类型",
               "变动日期", "变动原因", "对方工会"]
    rows = [[1, "甲", make_id(seq=1), "A1", "2024/03/01", "甲一公司", "是", "保留会籍", "2025年6月30日", "退休", None],
            [2, "乙", make_id(seq=2), "A1", "2024-03-01", "甲一公司", "否", None, None, None, None]]
    result = MemberImporter(actor=personas.town_clerk).run(make_xlsx([title, [], headers, *rows]))
    assert result.ok, result.errors
    jia = membership_of("甲")
    assert jia.status == MemberStatus.RETAINED and jia.person.employer == tree.emp["a1"]
    assert (jia.person.is_migrant_worker, membership_of("乙").person.is_migrant_worker) == (True, False)
