"""The batch's follow-up pages: 增补 from the roster, 入会并增补 for a new hire not on the roster,
修改项目, and 重新归属 of a batch whose stored tree path missed a back-dated move."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.core import clock
from gonghui.core.models import AuditEvent
from gonghui.members.models import Membership
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import Batch, Claim, Item, Plan
from tests.members.conftest import make_id

D = dt.date


@pytest.fixture
def today():
    with clock.as_of(D(2025, 6, 1)):
        yield D(2025, 6, 1)


def test_add_new_hires_from_the_roster(client, personas, women, enrol, today):
    people = women(n=3)
    batch = enrol(people[:1], eligible=1)
    client.force_login(personas.union_clerk)
    url = reverse("mutual_aid:batch_add", args=[batch.pk])
    page = client.get(url).content.decode()
    assert people[1].name in page and people[2].name in page and people[0].name not in page
    response = client.post(url, {"enrolled_on": "2025-06-01", "units": 5, "person": [people[1].pk]})
    assert "份数应为1至3份" in response.content.decode() and batch.items.count() == 1
    assert f'value="{people[1].pk}" id="p{people[1].pk}" aria-label="{people[1].name}增补参保" checked' in \
        response.content.decode()  # the choice kept
    response = client.post(url, {"enrolled_on": "2025-06-01", "units": 2, "person": [people[1].pk]})
    assert response.status_code == 302
    batch.refresh_from_db()
    added = batch.items.get(person=people[1])
    assert (batch.enrolled_count, str(batch.premium_total), added.row_no, added.units) == (2, "45.00", 2, 2)
    assert added.start_on == D(2025, 6, 2) and added.waiting_until == D(2025, 8, 30)


def test_a_new_hire_not_on_the_roster_joins_and_is_added(client, personas, women, enrol, today):
    batch = enrol(women(n=1), eligible=1)
    client.force_login(personas.union_clerk)
    url = reverse("mutual_aid:batch_join", args=[batch.pk])
    number = make_id(birth="19950505", seq=777, female=True)
    data = {"join-name": "钱新人", "join-id_number": number, "join-joined_on": "2025-05-20",
            "join-enrolled_on": "2025-06-01", "join-units": 4}
    refused = client.post(url, data).content.decode()
    assert "份数应为1至3份" in refused and "未办理入会，也未参保" in refused and 'value="钱新人"' in refused
    assert not Membership.objects.filter(person__name="钱新人").exists()  # neither step done
    man = client.post(url, {**data, "join-id_number": make_id(birth="19950505", seq=778, female=False),
                            "join-units": 1}).content.decode()
    assert "该项目仅限女性参保" in man and not Membership.objects.filter(person__name="钱新人").exists()
    response = client.post(url, {**data, "join-units": 1})
    assert response.status_code == 302
    item = batch.items.get(name="钱新人")
    assert item.person.memberships.get().union == batch.union
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"members.member.joined", "mutual_aid.batch.added"} <= actions


def test_edit_a_plan_keeps_input_on_error(client, personas, plan):
    client.force_login(personas.county_admin)
    url = reverse("mutual_aid:plan_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "A,原发性乳腺癌、女性生殖器官癌,10000.00" in page
    form = {"name": "女职工安康互助保障（2026版）", "kind": "women", "sex": 2, "max_age_female": 50, "max_age_male": 60,
            "in_service_only": "on", "unit_premium": "20", "term_months": 12, "max_units": 3, "min_coverage": "80",
            "waiting_days": 90, "condolence_after_days": 120, "condolence_amount": "1000", "renewal_grace_days": 30,
            "payout_ends_cover": "on", "active": "on", "benefits": "A,乳腺癌,12000\nB,原位癌,6000"}
    refused = client.post(url, form).content.decode()
    assert "慰问金起付日不能晚于等待期" in refused and "（2026版）" in refused
    assert Plan.objects.get().unit_premium == 15
    assert client.post(url, {**form, "condolence_after_days": 30}).status_code == 302
    plan = Plan.objects.get()
    assert (str(plan.unit_premium), plan.name, plan.sum_insured_per_unit) == ("20.00", form["name"], 12000)
    assert AuditEvent.objects.filter(action="mutual_aid.plan.updated").exists()


def test_rehome_a_batch_whose_path_missed_a_move(client, personas, tree, women, enrol):
    batch = enrol(women(n=1), eligible=1)
    item = batch.items.get()
    services.claim_register(actor=None, item=item, registered_on=D(2025, 7, 1), diagnosis="乳腺癌",
                            benefit_code="A", diagnosed_on=D(2025, 7, 1), hospital="县医院", treatment="surgery")
    right = batch.path
    wrong = tree.union_b1.path  # as if loaded under another township
    for model in (Batch, Item, Claim):
        model.objects.update(path=wrong)
    client.force_login(personas.union_clerk)
    detail = client.get(reverse("mutual_aid:batch_detail", args=[batch.pk])).content.decode()
    assert "有 3 条记录的归属" in detail and "甲镇" not in detail.split("统计归属")[1].split("</dd>")[0]
    response = client.post(reverse("mutual_aid:batch_rehome", args=[batch.pk]))
    assert response.status_code == 302
    assert {m.objects.get().path for m in (Batch, Item, Claim)} == {right}
    detail = client.get(reverse("mutual_aid:batch_detail", args=[batch.pk])).content.decode()
    assert "重新归属</button>" not in detail and "甲镇" in detail
    event = AuditEvent.objects.get(action="mutual_aid.batch.rehomed")
    assert event.changes["rehomed_rows"] == 3
    assert services.batch_rehome(actor=None, batch=batch) == 0
