"""The small demo builds the plan, enrolments and claims at every step, cheaply."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gonghui.core import demo
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.mutual_aid.models import Batch, Claim, ClaimStatus, Item
from gonghui.orgs.models import Org


def test_small_demo(db):
    demo.build("small", 7, timezone.localdate(), progress=lambda _: None)
    assert Batch.objects.exists() and Item.objects.count() > 20
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert statuses == set(ClaimStatus.values)  # every status, 待给付 too
    # One claim a person: the plan pays a first diagnosis once (services.claim_register refuses a second).
    assert Claim.objects.values("person").distinct().count() == Claim.objects.count()
    root = Org.objects.get(depth=1)
    period = Period.year_to_date(timezone.localdate())
    assert compute("mutual_aid.insured", root, period).value > 0
    assert compute("mutual_aid.person_times", root, period).value >= Item.objects.filter(
        enrolled_on__lte=period.end).count()
    with CaptureQueriesContext(connection):
        for b in Batch.objects.all()[:5]:
            assert b.enrolled_count == b.items.count()
            assert b.premium_total == sum(i.premium for i in b.items.all())
            assert b.coverage_rate >= 80
