import pytest

from gonghui.portal import services
from tests.members.conftest import join, make_id  # noqa: F401  (join: a fixture)

PASSWORD = "Member-Passw0rd!"


def apply(tree, seq=1, employer=None, area=None, name="李四"):
    return services.application_submit(name=name, id_number=make_id(seq=seq), phone="13812345678",
                                       employer=employer if employer is not None or area is not None
                                       else tree.emp["a1"], area=area, consent=True)


def make_member(tree, seq=1, union_employer=None, name="李四"):
    """An accepted applicant with an activated account: (account, membership)."""
    app = apply(tree, seq=seq, employer=union_employer or tree.emp["a1"], name=name)
    membership, code = services.application_accept(actor=None, application=app)
    account = services.account_activate(id_number=make_id(seq=seq), code=code, password=PASSWORD)
    return account, membership


@pytest.fixture
def member(tree):
    return make_member(tree, seq=11)


@pytest.fixture
def other_member(tree):
    return make_member(tree, seq=12, union_employer=tree.emp["b1"], name="王五")


def portal_login(client, seq):
    response = client.post("/m/login/", {"id_number": make_id(seq=seq), "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client
