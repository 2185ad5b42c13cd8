"""Hand-built statistics data on the shared tree (tests/conftest.py), with known answers.

    2024: 甲一 gets 张一 (1 Mar); 乙一 gets 赵一 (1 Jun).
    2025: 甲一: 李二 (female, 1 Feb), 王三 (migrant worker, 1 May);
          甲二: 钱四 (1 Mar), 孙五 (1 Apr) — 孙五 transfers to 甲一 on 10 May;
          乙一: 周六 (female, 15 Jan); 张一 leaves 甲一 on 1 Jun;
          乙二 founded under 乙街道 on 1 Mar 2025 with 吴七 (1 Apr);
          乙一 moves from 乙街道 to 甲镇 on 1 Aug 2025.
    Members on 30 Jun 2025: 甲一 3 (李二, 王三, 孙五), 甲二 1 (钱四), 乙一 2, 乙二 1 → 7.
    Joined in H1 2025: 甲一 2, 甲二 2, 乙一 1, 乙二 1 → 6.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from gonghui.members import services as member_services
from gonghui.members.models import MemberStatus
from gonghui.orgs import services as org_services
from gonghui.orgs.models import OrgType
from tests.members.conftest import make_id

D = dt.date


@pytest.fixture
def data(tree):
    return build_data(tree)


def build_data(tree):
    seq = iter(range(1, 500))

    def join(union, name, on, female=False, **kw):
        return member_services.member_join(actor=None, union=union, name=name, joined_on=on,
                                           id_number=make_id(seq=next(seq), female=female), **kw)

    zhang = join(tree.union_a1, "张一", D(2024, 3, 1))
    join(tree.union_b1, "赵一", D(2024, 6, 1))
    join(tree.union_a1, "李二", D(2025, 2, 1), female=True)
    join(tree.union_a1, "王三", D(2025, 5, 1), is_migrant_worker=True)
    join(tree.union_a2, "钱四", D(2025, 3, 1))
    sun = join(tree.union_a2, "孙五", D(2025, 4, 1))
    join(tree.union_b1, "周六", D(2025, 1, 15), female=True)
    member_services.member_transfer(actor=None, membership=sun, to_union=tree.union_a1, effective_on=D(2025, 5, 10))
    member_services.member_leave(actor=None, membership=zhang, status=MemberStatus.WITHDRAWN,
                                 effective_on=D(2025, 6, 1), reason="本人申请")
    union_b2 = org_services.org_found(actor=None, parent=tree.town_b, name="乙二公司工会",
                                      org_type=OrgType.GRASSROOTS, founded_on=D(2025, 3, 1), code="B2")
    join(union_b2, "吴七", D(2025, 4, 1))
    org_services.org_move(actor=None, org=tree.union_b1, new_parent=tree.town_a, effective_on=D(2025, 8, 1))
    for o in (tree.union_b1, tree.town_a, tree.town_b, tree.root):
        o.refresh_from_db()
    return SimpleNamespace(tree=tree, union_b2=union_b2)
