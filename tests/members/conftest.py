import datetime as dt

import pytest

from gonghui.core.identifiers import id_check_char
from gonghui.members import services


def make_id(birth: str = "19900101", seq: int = 1, area: str = "430121", female: bool = False) -> str:
    """A valid ID number: the sequence's last digit is odd for men, even for women."""
    order = seq * 2 + (0 if female else 1)
    body = f"{area}{birth}{order % 1000:03d}"
    return body + id_check_char(body)


@pytest.fixture
def join(tree):
    """Join a member with sensible defaults: join(union, name, **overrides)."""
    counter = iter(range(1, 500))

    def _join(union=None, name="张三", joined_on=dt.date(2024, 3, 1), female=False, actor=None, **kw):
        kw.setdefault("id_number", make_id(seq=next(counter), female=female))
        return services.member_join(actor=actor, union=union or tree.union_a1, name=name, joined_on=joined_on, **kw)

    return _join
