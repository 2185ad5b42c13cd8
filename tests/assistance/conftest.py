import datetime as dt
from decimal import Decimal

import pytest

from gonghui.assistance import services
from gonghui.assistance.models import ArchiveStatus, Category
from tests.conftest import make_user
from tests.members.conftest import make_id

D = dt.date
REGION = "430121"


@pytest.fixture
def standard(db):
    """长沙县 低保 700 元/人·月 (kept at the city code 430100: the county falls back to it)."""
    return services.standard_set(actor=None, region_code="430100", region_name="长沙市", year=2024, monthly="700")


@pytest.fixture
def four_eyes(tree, personas):
    """A clerk (经办) in 甲镇, a reviewer (审核) in 甲镇 and an approver (审批) at the county."""
    return {
        "clerk": personas.town_clerk,
        "reviewer": make_user("reviewer", tree.town_a, "审批"),
        "approver": make_user("approver", tree.root, "审批"),
    }


@pytest.fixture
def archive(tree, standard):
    """archive(union, name, ...) builds an archive and carries it into force (在档) on `entered`."""
    counter = iter(range(600, 999))

    def make(union=None, name="李困难", wage=500, family=None, created=None, entered="default",
             category=None, female=False, **kw):
        created = created or D(2025, 1, 6)
        entered = D(2025, 1, 20) if entered == "default" else entered
        a = services.archive_create(
            actor=None, org=union or tree.union_a1, head_name=name, id_number=make_id(seq=next(counter), female=female),
            created_on=created, region_code=REGION, main_cause="06", monthly_wage=wage,
            family=family if family is not None else [
                {"name": "李小妹", "relation": "child", "birth_date": D(2007, 9, 1), "gender": 2,
                 "schooling": "university", "school": "湖南大学"}],
            category=category, **kw)
        if entered is not None:
            services.archive_start_notice(actor=None, archive=a, on=created)
            services.archive_enter(actor=None, archive=a, on=entered)
        return a

    return make


__all__ = ["D", "Decimal", "Category", "ArchiveStatus", "REGION"]
