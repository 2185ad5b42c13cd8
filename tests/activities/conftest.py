import datetime as dt

import pytest

from gonghui.activities.models import ActivityKind
from gonghui.members import services as member_services
from tests.members.conftest import make_id

D = dt.date


@pytest.fixture
def kinds(db):
    """The built-in kinds (seeded by the data migration), by code."""
    return {k.code: k for k in ActivityKind.objects.all()}


@pytest.fixture
def people(tree):
    """people(n, union) -> n roster persons of the union (id numbers distinct across calls)."""
    counter = iter(range(1, 400))

    def make(n, union=None, **kw):
        out = []
        for _ in range(n):
            seq = next(counter)
            m = member_services.member_join(actor=None, union=union or tree.union_a1, name=f"职工{seq}",
                                            id_number=make_id(seq=seq), joined_on=D(2024, 1, 2), **kw)
            out.append(m.person)
        return out

    return make
