import datetime as dt
from decimal import Decimal

import pytest

from gonghui.members import services as member_services
from gonghui.mutual_aid import services
from gonghui.mutual_aid.services import Entry
from tests.conftest import make_user
from tests.members.conftest import make_id

D = dt.date
MARCH1 = D(2025, 3, 1)

NINGBO = {
    "name": "女职工安康互助保障", "kind": "women", "sex": 2, "max_age_female": 50, "unit_premium": "15",
    "term_months": 12, "max_units": 3, "min_coverage": "80", "waiting_days": 90, "condolence_after_days": 30,
    "condolence_amount": "1000", "renewal_grace_days": 30, "payout_ends_cover": True,
}
BENEFITS = [{"code": "A", "name": "原发性乳腺癌、女性生殖器官癌", "amount_per_unit": "10000"},
            {"code": "B", "name": "原位癌", "amount_per_unit": "5000"}]


@pytest.fixture
def plan(tree):
    return services.plan_create(actor=None, org=tree.root, code="AK", benefits=BENEFITS, **NINGBO)


@pytest.fixture
def term(plan):
    return services.term_create(actor=None, plan=plan, name="2025年度", opens_on=D(2025, 1, 1),
                                closes_on=D(2025, 12, 31))


@pytest.fixture
def women(tree):
    """women(union, n, ...) puts n women on the union's roster and returns their Person rows."""
    counter = iter(range(100, 999))

    def make(union=None, n=1, birth="19900101", names=None, **kw):
        people = []
        for i in range(n):
            name = names[i] if names else f"女工{next(counter)}"
            m = member_services.member_join(actor=None, union=union or tree.union_a1, name=name,
                                            id_number=make_id(birth=birth, seq=next(counter), female=True),
                                            joined_on=D(2024, 3, 1), **kw)
            people.append(m.person)
        return people

    return make


@pytest.fixture
def enrol(tree, term):
    """enrol(people, union=…, on=…, units=1): a batch for these people, everyone eligible counted."""

    def make(people, union=None, on=MARCH1, units=1, t=None, eligible=None, actor=None):
        return services.batch_enrol(actor=actor, term=t or term, union=union or tree.union_a1, enrolled_on=on,
                                    entries=[Entry(units=units, person=p) for p in people],
                                    eligible_count=eligible)

    return make


@pytest.fixture
def four_eyes(tree, personas):
    return {"clerk": personas.union_clerk, "reviewer": make_user("reviewer", tree.town_a, "审批"),
            "approver": make_user("approver", tree.root, "审批")}


__all__ = ["D", "Decimal", "Entry"]
