"""Error texts never join as "。；" (issue 15, item 12): several messages become one sentence list."""

import datetime as dt
import re
from pathlib import Path

import pytest

from gonghui.core.errors import ServiceError, join_messages
from gonghui.orgs import services as org_services
from gonghui.orgs.models import OrgType
from tests.members.conftest import join  # noqa: F401  (fixture)

SRC = Path(__file__).resolve().parents[2] / "src" / "gonghui"


def test_each_message_loses_its_own_stop_and_one_ends_the_list():
    assert join_messages(["开始日期有误。", "截止日期有误。"]) == "开始日期有误；截止日期有误。"
    assert join_messages(["只有一条"]) == "只有一条。"
    assert join_messages([]) == ""


@pytest.mark.django_db
def test_a_refused_dissolution_lists_its_reasons_without_a_stop_before_the_join(tree, join):  # noqa: F811
    # 甲一 keeps a member and a branch union: two reasons.
    join(union=tree.union_a1)
    org_services.org_found(actor=None, parent=tree.union_a1, name="甲一分工会", org_type=OrgType.SUB_UNION,
                           founded_on=dt.date(2021, 1, 1))
    with pytest.raises(ServiceError) as refused:
        org_services.org_dissolve(actor=None, org=tree.union_a1, dissolved_on=dt.date(2025, 6, 1), reason="撤并")
    text = refused.value.messages[0]
    assert "；" in text and "。；" not in text and text.endswith("。")


def test_no_code_joins_messages_by_hand():
    """Messages are joined through join_messages; a hand-made "；".join of messages comes back as "。；"."""
    offenders = [f"{p.relative_to(SRC)}:{n}" for p in SRC.rglob("*.py")
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"""["']；["']\.join\([^)]*messages""", line)]
    assert offenders == []
