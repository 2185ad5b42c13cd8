"""Every registered figure has a hand-written SQL twin in bench/twins/, and both agree on the
small demo (issue 14): a figure whose definition changes without its twin fails here, in CI,
instead of leaving `make bench` red unnoticed."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from gonghui.core import demo
from gonghui.core.metrics import REGISTRY, clean_filters, compute
from gonghui.core.periods import Period
from gonghui.orgs.models import Org, OrgType

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import twins  # noqa: E402
from hand_sql import path_on  # noqa: E402

TODAY = timezone.localdate()


def _periods() -> list[Period]:
    return [Period.year_to_date(TODAY), Period(dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31))]


@pytest.fixture
def small(db):
    return demo.build("small", 7, TODAY, progress=lambda _: None)


def _product_figures() -> set[str]:
    """The figures the product registers: the test settings add a sample work line
    (in its own tests folder) that the bench never sees and that no code outside its folder names."""
    return {code for code, m in REGISTRY.items() if m.func.__module__.startswith("gonghui.")}


def test_every_registered_figure_has_a_twin():
    missing = sorted(_product_figures() - set(twins.all_twins()))
    assert not missing, f"figures without a hand-written twin in bench/twins/: {missing}"


def _disagreements(codes=None) -> tuple[list[str], set[str]]:
    """Each twin (or those of `codes`) against the registry for the root and the first township,
    for this year to date and last year: (mismatches, codes whose answer is not zero somewhere)."""
    root = Org.objects.get(depth=1)
    town = Org.objects.filter(org_type__in=(OrgType.TOWNSHIP_FED, OrgType.TOWNSHIP_GEN)).order_by("path").first()
    nodes = [root, town]
    all_twins = {c: t for c, t in twins.all_twins().items() if codes is None or c in codes}
    mismatches, nonzero = [], set()
    with connection.cursor() as cursor:
        for period in _periods():
            for org in nodes:
                p = path_on(cursor, org.pk, org.path, period.end)
                for code, twin in all_twins.items():
                    if code not in REGISTRY:
                        mismatches.append(f"{code}: twin of a figure that is not registered")
                        continue
                    app = twin.answer(compute(code, org, period))
                    sql = twin.run(cursor, p, period)
                    if app != sql:
                        mismatches.append(f"{code} for {org.name}, {period.start}–{period.end}: app {app!r}, SQL {sql!r}")
                    if app not in (0, None, (0, 0), (None, None)):
                        nonzero.add(code)
                    for filters in _filter_choices(code, org, period):
                        app = twin.answer(compute(code, org, period, filters=filters))
                        sql = twin.run(cursor, p, period, **clean_filters(code, filters))
                        if app != sql:
                            mismatches.append(f"{code} {filters} for {org.name}, {period.start}–{period.end}: "
                                              f"app {app!r}, SQL {sql!r}")
    return mismatches, nonzero


def _filter_choices(code, org, period) -> list[dict]:
    """A few values of each filter the figure takes and offers a picker for (e.g. the first
    campaigns): the twin takes the same keyword arguments as the registry function."""
    out = []
    for f in REGISTRY[code].filters:
        if f.choices is not None:
            out += [{f.name: str(value)} for value, _label in f.choices(org, period)[:3]]
    return out


def test_twins_give_the_registry_answer_on_the_small_demo(small):
    all_twins = twins.all_twins()
    mismatches, nonzero = _disagreements()
    assert not mismatches, "\n".join(mismatches)
    # The agreement means something only where the demo has data: most figures are not zero.
    assert len(nonzero) >= 0.7 * len(all_twins), sorted(set(all_twins) - nonzero)


def test_the_womens_committee_twin_follows_the_basis_in_force(small, settings):
    # `make bench` was red because this twin kept counting women employees after the default
    # basis became women members (issue 14): it must follow either basis.
    for basis in ("members", "employees"):
        settings.GONGHUI_WOMENS_COMMITTEE_BASIS = basis
        mismatches, nonzero = _disagreements({"orgs.womens_committee_rate"})
        assert not mismatches, f"basis {basis}: " + "\n".join(mismatches)
        assert nonzero, f"basis {basis}: the figure is zero on the small demo, so the agreement proves nothing"
