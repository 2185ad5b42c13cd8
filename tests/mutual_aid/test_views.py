"""The pages: enrol from the roster, the 参保单 (Word), claims masked unless revealed (logged), the
claim steps by two people, plans and terms, exports."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from gonghui.core import clock
from gonghui.core.models import AccessLog
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import Batch, ClaimStatus, Plan

D = dt.date


@pytest.fixture
def today():
    with clock.as_of(D(2025, 3, 1)):
        yield D(2025, 3, 1)


def test_enrol_from_the_roster(client, personas, women, term, today):
    people = women(n=5)
    client.force_login(personas.union_clerk)
    url = reverse("mutual_aid:enrol")
    listed = client.get(url, {"term": term.pk, "union": "A1", "enrolled_on": "2025-03-01", "units": 1})
    assert listed.status_code == 200 and people[0].name in listed.content.decode()
    data = {"term": term.pk, "union": "A1", "enrolled_on": "2025-03-01", "units": 2,
            "person": [p.pk for p in people[:3]]}
    refused = client.post(url, data)
    page = refused.content.decode()
    assert "参保率60.00%" in page and not Batch.objects.exists()
    assert f'value="{people[3].pk}"' in page  # the roster is listed again with the choice kept
    data["person"] = [p.pk for p in people[:4]]
    response = client.post(url, data)
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mutual_aid:batch_detail", args=[batch.pk])
    assert (batch.enrolled_count, str(batch.premium_total)) == (4, "120.00")
    detail = client.get(response["Location"]).content.decode()
    assert "80.00%" in detail and "项目要求不低于 80.00%" in detail


def test_the_enrolment_form_is_a_word_document(client, personas, women, enrol):
    batch = enrol(women(n=1, names=["郑参保"]), eligible=1)
    client.force_login(personas.union_clerk)
    response = client.get(reverse("mutual_aid:batch_docx", args=[batch.pk]))
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "女职工安康互助保障参保单" in text and batch.no in text and "保费合计：15.00 元" in text
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "郑参保" in cells and batch.items.get().id_masked in cells


def test_claim_is_masked_and_a_full_view_is_logged(client, personas, women, enrol):
    item = enrol(women(n=1), eligible=1).items.get()
    claim = services.claim_register(actor=None, item=item, registered_on=D(2025, 7, 1), diagnosis="宫颈癌",
                                    benefit_code="A", diagnosed_on=D(2025, 7, 1), hospital="县医院",
                                    treatment="surgery")
    url = reverse("mutual_aid:claim_detail", args=[claim.pk])
    client.force_login(personas.union_clerk)
    assert "宫颈癌" not in client.get(url).content.decode()
    assert "宫颈癌" not in client.get(url, {"reveal": 1}).content.decode()
    assert not AccessLog.objects.exists()
    client.force_login(personas.county_admin)
    assert "宫颈癌" in client.get(url, {"reveal": 1}).content.decode()
    assert AccessLog.objects.filter(object_type="mutual_aid.claim", object_id=str(claim.pk)).count() == 1


def test_claim_steps_by_two_people(client, personas, women, enrol, four_eyes):
    item = enrol(women(n=1), eligible=1).items.get()
    client.force_login(personas.union_clerk)
    form = {"registered_on": "2025-07-02", "diagnosis": "乳腺癌", "benefit_code": "A", "diagnosed_on": "2025-07-01",
            "hospital": "县医院", "treatment": "surgery"}
    response = client.post(reverse("mutual_aid:claim_new", args=[item.pk]), {**form, "diagnosed_on": "2025-02-01"})
    assert "不在保障期" in response.content.decode() and 'value="县医院"' in response.content.decode()
    response = client.post(reverse("mutual_aid:claim_new", args=[item.pk]), form)
    claim = item.claims.get()
    client.force_login(four_eyes["reviewer"])
    client.post(reverse("mutual_aid:claim_act", args=[claim.pk, "reviewed"]), {"on": "2025-07-03"})
    page = client.post(reverse("mutual_aid:claim_act", args=[claim.pk, "approved"]), {"on": "2025-07-04"})
    assert "审核人不能审批同一件理赔" in page.content.decode()
    client.force_login(four_eyes["approver"])
    client.post(reverse("mutual_aid:claim_act", args=[claim.pk, "approved"]), {"on": "2025-07-04"})
    client.post(reverse("mutual_aid:claim_act", args=[claim.pk, "paid"]), {"on": "2025-07-05"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and str(claim.paid_amount) == "10000.00"


def test_plan_and_term_pages(client, personas, tree):
    client.force_login(personas.county_admin)
    data = {"code": "ZY", "name": "职工住院医疗互助", "kind": "hospital", "sex": 0, "max_age_female": 55,
            "max_age_male": 60, "in_service_only": "on", "unit_premium": "20", "term_months": 12, "max_units": 2,
            "min_coverage": "0", "waiting_days": 30, "condolence_after_days": 0, "condolence_amount": "0",
            "renewal_grace_days": 30, "benefits": "A,住院,3000\nB 手术"}
    page = client.post(reverse("mutual_aid:plan_new"), data).content.decode()
    assert "第2行应为" in page and "职工住院医疗互助" in page
    data["benefits"] = "A,住院,3000"
    assert client.post(reverse("mutual_aid:plan_new"), data).status_code == 302
    plan = Plan.objects.get(code="ZY")
    assert plan.org == tree.root and str(plan.unit_premium) == "20.00"
    response = client.post(reverse("mutual_aid:term_new", args=[plan.pk]),
                           {"name": "2025年度", "opens_on": "2025-01-01", "closes_on": "2025-12-31"})
    assert response.status_code == 302 and "2025年度" in client.get(reverse("mutual_aid:plans")).content.decode()


def test_lists_and_exports(client, personas, women, enrol):
    enrol(women(n=1), eligible=1)
    client.force_login(personas.leader)
    page = client.get(reverse("mutual_aid:index")).content.decode()
    assert "共 1 批参保批次" in page and "保费 15.00 元" in page
    response = client.get(reverse("mutual_aid:export_items"))
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.values)
    assert rows[0][:4] == ("序号", "姓名", "公民身份号码", "份数") and len(rows) == 2
    assert client.get(reverse("mutual_aid:claims")).status_code == 200
