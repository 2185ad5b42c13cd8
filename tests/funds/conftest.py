import datetime as dt
from decimal import Decimal

import pytest

from gonghui.funds import services
from tests.conftest import make_user

D = dt.date

# Valid 统一社会信用代码 (GB 32100-2015 check characters).
USCC = {"a1": "91430121MA4L000010", "a2": "91430121MA4L000023", "a3": "91430121MA4L000036",
        "b1": "91430121MA4L00005C"}


def valid_uscc(body17: str) -> str:
    from stdnum.cn import uscc

    return body17 + uscc.calc_check_digit(body17)


@pytest.fixture
def funded(tree):
    """The test tree's employers with their credit codes."""
    from gonghui.orgs.models import Employer

    for key, code in USCC.items():
        Employer.objects.filter(pk=tree.emp[key].pk).update(uscc=code)
        tree.emp[key].refresh_from_db()
    return tree


@pytest.fixture
def approver(tree):
    return make_user("fund_approver", tree.root, "审批")


def receipt(tree, ref, amount, on, emp="a1", month=None, payroll=None, channel="tax", org=None, **kw):
    return services.receipt_record(actor=None, org=org or tree.root, reference=ref, channel=channel, amount=amount,
                                   received_on=on, uscc=USCC.get(emp, emp) if emp else "", month=month,
                                   payroll_base=payroll, **kw)


__all__ = ["D", "Decimal", "USCC", "receipt", "valid_uscc"]
