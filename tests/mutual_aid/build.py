"""Plain builders (no fixtures) for the URL matrix and the import cases."""

import datetime as dt
import itertools

from gonghui.members import services as member_services
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import Plan, Term
from gonghui.mutual_aid.services import Entry
from tests.members.conftest import make_id

from .conftest import BENEFITS, NINGBO

D = dt.date
_seq = itertools.count(2000)


def plan_and_term(tree) -> Term:
    plan = Plan.objects.filter(code="AK").first() or services.plan_create(
        actor=None, org=tree.root, code="AK", benefits=BENEFITS, **NINGBO)
    return Term.objects.filter(plan=plan, name="2025年度").first() or services.term_create(
        actor=None, plan=plan, name="2025年度", opens_on=D(2025, 1, 1), closes_on=D(2025, 12, 31))


def woman(union, name="", birth="19900101"):
    n = next(_seq)
    return member_services.member_join(actor=None, union=union, name=name or f"女工{n}",
                                       id_number=make_id(birth=birth, seq=n, female=True),
                                       joined_on=D(2024, 3, 1)).person


def batch_with_claim(tree, union):
    term = plan_and_term(tree)
    person = woman(union)
    batch = services.batch_enrol(actor=None, term=term, union=union, enrolled_on=D(2025, 3, 1),
                                 entries=[Entry(units=1, person=person)], eligible_count=1)
    claim = services.claim_register(actor=None, item=batch.items.get(), registered_on=D(2025, 7, 1),
                                    diagnosis="乳腺癌", benefit_code="A", diagnosed_on=D(2025, 7, 1),
                                    hospital="县人民医院", treatment="surgery")
    return batch, claim
