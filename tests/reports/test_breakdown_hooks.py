"""Every figure of the orgs, bargaining, petitions and assistance work lines has a set-based
breakdown (issue 14), and its parts are the figure itself computed for the node's own level and
for each direct subordinate, on the small demo (both databases in CI)."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.assistance.models import Campaign
from gonghui.core import demo
from gonghui.core.metrics import REGISTRY, compute
from gonghui.core.periods import Period
from gonghui.orgs import services as org_services
from gonghui.orgs.models import GRASSROOTS_TYPES, Org, OrgType
from gonghui.reports import figures as F

TODAY = timezone.localdate()
WORK_LINES = ("orgs", "bargaining", "petitions", "assistance")


def work_line_metrics():
    # By the module that registers the figure: orgs.womens_committee_rate belongs to members.
    return [m for m in REGISTRY.values() if m.func.__module__.split(".")[1] in WORK_LINES]


def test_every_work_line_figure_has_a_set_based_breakdown():
    codes = {m.code for m in work_line_metrics()}
    assert {"orgs.moved_out", "bargaining.employees_covered", "petitions.total", "pairing.amount"} <= codes
    assert not sorted(m.code for m in work_line_metrics() if m.breakdown is None)
    # Totals from the parts only where the parts partition the figure: never a distinct count.
    adds_up = {m.code for m in work_line_metrics() if m.parts_add_up}
    assert {"petitions.total", "orgs.coverage_rate", "assistance.amount", "bargaining.employees_covered"} <= adds_up
    assert not adds_up & {"assistance.households_helped", "orgs.renamed", "orgs.moved_out",
                          "bargaining.avg_wage_increase_pct", "pairing.households_pledged"}


@pytest.fixture
def small(db):
    demo.build("small", 7, TODAY, progress=lambda _: None)
    root = Org.objects.get(depth=1)
    towns = list(Org.objects.filter(depth=2).order_by("path"))
    # A union moved between two townships this year, so the moves have something to count.
    union = Org.objects.filter(depth=3, path__startswith=towns[0].path, org_type__in=GRASSROOTS_TYPES,
                               dissolved_on__isnull=True).order_by("path").first()
    moved_on = max(dt.date(TODAY.year, 1, 2), TODAY - dt.timedelta(days=1))
    org_services.org_move(actor=None, org=union, new_parent=towns[1], effective_on=moved_on)
    return root


def test_breakdowns_agree_with_the_figure_per_subordinate_on_the_small_demo(small):
    root = small
    nodes = [root, *Org.objects.filter(depth=2, org_type__in=(OrgType.TOWNSHIP_FED, OrgType.TOWNSHIP_GEN))]
    periods = [Period.year_to_date(TODAY), Period(dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31))]
    mismatches, nonzero = [], set()
    metrics = work_line_metrics()
    campaign = Campaign.objects.order_by("pk").first()
    # Each figure as it is, and the ones that take a filter also narrowed to one campaign.
    cases = [(m, {}) for m in metrics] + [(m, {"campaign": campaign.pk}) for m in metrics if m.filters]
    for period in periods:
        for node in nodes:
            kids = F.children_on(node, period.end)
            for m, filters in cases:
                b = F.breakdown(m.code, node, period, kids=kids, filters=filters)
                # A breakdown whose parts add up gives its total as their sum: it must be the figure.
                whole = compute(m.code, node, period, True, filters=filters)
                if b.total != whole:
                    mismatches.append(f"{m.code} {node.name} {period} total: breakdown {b.total}, figure {whole}")
                expected = {b.own.path: compute(m.code, node, period, False, filters=filters)}
                expected |= {path: compute(m.code, child, period, True, filters=filters)
                             for path, child in kids.items()}
                for path, want in expected.items():
                    got = b.at(path)
                    if got != want:
                        mismatches.append(f"{m.code} {node.name} {period} {path}: breakdown {got}, figure {want}")
                    if want.value not in (0, None):
                        nonzero.add(m.code)
    assert not mismatches, "\n".join(mismatches)
    # The agreement means something only where the demo has data.
    codes = {m.code for m in metrics}
    assert len(nonzero) >= 0.7 * len(codes), sorted(codes - nonzero)
    assert {"orgs.moved_out", "orgs.moved_in", "bargaining.employees_covered", "assistance.campaign_amount"} <= nonzero
