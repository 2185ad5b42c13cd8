"""The demo builder: every state present, figures non-empty, same data for the same seed."""

import datetime as dt

from gonghui.assistance.demo import build_assistance
from gonghui.assistance.metrics import pairing_sentence
from gonghui.assistance.models import Application, Archive, Payment
from gonghui.core import demo
from gonghui.core.metrics import compute
from gonghui.core.periods import Period

TODAY = dt.date(2026, 3, 15)


def _build(seed=3):
    ctx = demo.DemoContext(demo.SIZES["small"], seed, TODAY, __import__("random").Random(seed))
    for b in demo.ordered():
        if b.app == "orgs":
            b.func(ctx)
    build_assistance(ctx)
    return ctx


def _snapshot():
    return (list(Archive.objects.order_by("no").values_list("no", "head_name", "status", "category", "per_capita")),
            list(Payment.objects.order_by("id").values_list("archive__no", "type", "amount", "paid_on")))


def test_demo_has_every_state_and_figures(db):
    ctx = _build()
    statuses = set(Archive.objects.values_list("status", flat=True))
    assert statuses >= {"created", "notice", "active"}
    assert statuses & {"recovered", "relieved", "exited"}
    assert set(Application.objects.values_list("status", flat=True)) >= {"submitted", "paid"}
    year = Period(dt.date(2025, 1, 1), TODAY)
    root = ctx.data["root"]
    assert compute("assistance.archives_total", root, year).value > 0
    assert compute("assistance.warmth_amount", root, year).value > 0
    assert pairing_sentence(root, year).startswith("全县")


def test_demo_is_deterministic(django_db_reset_sequences):
    _build(seed=5)
    first = _snapshot()
    Payment.objects.all().delete()
    from gonghui.assistance import models as m

    for model in (m.Visit, m.Pairing, m.Helper, m.CampaignTarget, m.Application, m.Campaign, m.ArchiveEvent,
                  m.FamilyMember, m.Expense, m.Archive, m.LivingStandard):
        model.objects.all().delete()
    from gonghui.orgs import models as o

    for model in (o.Coverage, o.OrgTerm, o.OrgEvent, o.OrgPlacement, o.Employer, o.Org):
        model.objects.all().delete()
    _build(seed=5)
    second = _snapshot()
    assert [r[1:] for r in first[0]] == [r[1:] for r in second[0]]
    assert [r[1:] for r in first[1]] == [r[1:] for r in second[1]]
