import datetime as dt
import itertools

import pytest

from gonghui.honours import services
from tests.members.conftest import make_id

D = dt.date
_seq = itertools.count(1)
REGISTERED = D(2020, 1, 1)


@pytest.fixture
def add_worker():
    """add_worker(org, name, titles=[(name, level, year)], **fields) through the services."""

    def _add(org, name="劳模", titles=(), registered_on=REGISTERED, actor=None, **fields):
        worker = services.worker_create(actor=actor, org=org, name=name, id_number=make_id(seq=next(_seq)),
                                        registered_on=registered_on, **fields)
        for t in titles:
            title, level, year = t[:3]
            services.title_add(actor=actor, worker=worker, name=title, level=level, year=year,
                               **(t[3] if len(t) > 3 else {}))
        worker.refresh_from_db()
        return worker

    return _add


from tests.members.conftest import join  # noqa: E402,F401 - the roster fixture
