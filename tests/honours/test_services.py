import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.audit import AuditEvent
from gonghui.core.errors import ServiceError
from gonghui.honours import services
from gonghui.honours.models import CareKind, HonourStatus, Level, Recipient, WorkerStatus
from gonghui.members.models import Person
from tests.members.conftest import make_id

D = dt.date


def test_a_worker_is_linked_to_the_roster_by_id_number_and_the_number_is_encrypted(tree, join, personas):
    member = join(tree.union_a1, "李四")
    person = member.person if hasattr(member, "person") else Person.objects.get(name="李四")
    worker = services.worker_create(actor=personas.union_clerk, org=tree.union_a1, name="李四",
                                    id_number=person.id_number, registered_on=D(2024, 5, 1))
    assert worker.person == person
    assert person.id_number not in worker.id_cipher and worker.id_masked != person.id_number
    event = AuditEvent.objects.get(action="honours.worker.created")
    assert person.id_number not in str(event.changes)
    with pytest.raises(ServiceError, match="已登记"):
        services.worker_create(actor=personas.union_clerk, org=tree.union_a1, name="李四",
                               id_number=person.id_number, registered_on=D(2024, 5, 1))


def test_title_without_level_or_year_is_refused_and_twice_refused(tree, add_worker):
    w = add_worker(tree.union_a1, "王五")
    with pytest.raises(ServiceError, match="缺少级别") as e:
        services.title_add(actor=None, worker=w, name="省劳动模范", level="", year=2020)
    assert e.value.field == "level"
    with pytest.raises(ServiceError, match="缺少授予年份") as e:
        services.title_add(actor=None, worker=w, name="省劳动模范", level=Level.PROVINCIAL, year=None)
    assert e.value.field == "year"
    services.title_add(actor=None, worker=w, name="省劳动模范", level=Level.PROVINCIAL, year=2020)
    with pytest.raises(ServiceError, match="不能重复登记"):
        services.title_add(actor=None, worker=w, name="省劳动模范", level=Level.PROVINCIAL, year=2020)
    assert w.titles.count() == 1


def test_treatment_by_equivalence_and_highest_level(tree, add_worker, settings):
    w = add_worker(tree.union_a1, "赵六", [("市劳动模范", Level.CITY, 2015)])
    assert w.highest_level == "city"
    t = services.title_add(actor=None, worker=w, name="全国五一劳动奖章", level=Level.NATIONAL, year=2019)
    assert t.treatment == "provincial"  # 全总: 五一劳动奖章 → 省部级待遇
    w.refresh_from_db()
    assert w.highest_level == "provincial"
    with pytest.raises(ServiceError, match="待遇级别"):
        services.title_add(actor=None, worker=w, name="某奖励", level=Level.TREATED, year=2021)
    settings.GONGHUI_HONOURS = {"TREATMENT_EQUIVALENCES": {"全国五一劳动奖章": "national"}}
    t2 = services.title_add(actor=None, worker=w, name="全国五一劳动奖章", level=Level.NATIONAL, year=2022)
    assert t2.treatment == "national"
    services.title_remove(actor=None, title=t2)
    w.refresh_from_db()
    assert w.highest_level == "provincial"


def test_scope_is_required(tree, personas, add_worker):
    with pytest.raises(PermissionDenied):
        services.worker_create(actor=personas.union_clerk, org=tree.union_b1, name="甲", id_number=make_id(seq=400),
                               registered_on=D(2024, 1, 1))
    w = add_worker(tree.union_b1, "乙")
    with pytest.raises(PermissionDenied):
        services.care_record(actor=personas.town_clerk, worker=w, kind=CareKind.CHECKUP, served_on=D(2025, 3, 1))


def test_status_and_deceased(tree, add_worker):
    with pytest.raises(ServiceError, match="去世日期"):
        add_worker(tree.union_a1, "丙", status=WorkerStatus.DECEASED)
    w = add_worker(tree.union_a1, "丁")
    services.worker_update(actor=None, worker=w, status=WorkerStatus.DECEASED, died_on=D(2025, 1, 1))
    with pytest.raises(ServiceError, match="去世"):
        services.care_record(actor=None, worker=w, kind=CareKind.FESTIVAL, served_on=D(2025, 2, 1), amount=600)


def test_campaign_due_and_served_once(tree, add_worker):
    civil = add_worker(tree.union_a1, "公务员劳模", is_civil_servant=True)
    plain = add_worker(tree.union_a1, "企业劳模")
    c = services.campaign_create(actor=None, org=tree.root, name="2025年劳模体检", kind=CareKind.CHECKUP,
                                 start_on=D(2025, 4, 1), end_on=D(2025, 6, 30))
    assert c.exclude_civil_servants
    assert list(services.campaign_due(c)) == [plain]
    assert civil not in services.campaign_due(c)
    services.care_record(actor=None, worker=plain, kind=CareKind.CHECKUP, served_on=D(2025, 5, 1), campaign=c)
    with pytest.raises(ServiceError, match="不能重复登记"):
        services.care_record(actor=None, worker=plain, kind=CareKind.CHECKUP, served_on=D(2025, 5, 2), campaign=c)
    with pytest.raises(ServiceError, match="活动期间"):
        services.care_record(actor=None, worker=civil, kind=CareKind.CHECKUP, served_on=D(2025, 7, 2), campaign=c)
    with pytest.raises(ServiceError, match="金额"):
        services.care_record(actor=None, worker=civil, kind=CareKind.FESTIVAL, served_on=D(2025, 7, 2), amount="abc")


def test_honour_workflow(tree, personas):
    h = services.honour_apply(actor=None, org=tree.union_a1, recipient=Recipient.COLLECTIVE,
                              recipient_name="甲一公司机修班组", honour_type="pioneer", level="county",
                              issuer="长沙县总工会", year=2025, applied_on=D(2025, 3, 1))
    with pytest.raises(ServiceError, match="不能"):
        services.honour_move(actor=None, honour=h, to=HonourStatus.NAMED, on=D(2025, 3, 2))
    with pytest.raises(PermissionDenied):
        services.honour_move(actor=personas.union_clerk, honour=h, to=HonourStatus.REVIEW, on=D(2025, 3, 2))
    for to, on in [(HonourStatus.REVIEW, D(2025, 3, 10)), (HonourStatus.NOTICE, D(2025, 4, 1)),
                   (HonourStatus.NAMED, D(2025, 4, 28))]:
        services.honour_move(actor=None, honour=h, to=to, on=on)
    assert h.named_on == D(2025, 4, 28) and h.recheck_on == D(2028, 4, 28)
    services.honour_move(actor=None, honour=h, to=HonourStatus.RECHECK, on=D(2028, 4, 1))
    with pytest.raises(ServiceError, match="意见"):
        services.honour_move(actor=None, honour=h, to=HonourStatus.REVOKED, on=D(2028, 4, 2))
    services.honour_move(actor=None, honour=h, to=HonourStatus.REVOKED, on=D(2028, 4, 2), note="复查不合格")
    assert h.revoked_on == D(2028, 4, 2)
    assert [s.status for s in h.steps.all()] == ["applied", "review", "notice", "named", "recheck", "revoked"]
    with pytest.raises(ServiceError, match="授予单位"):
        services.honour_apply(actor=None, org=tree.union_a1, recipient=Recipient.PERSON, recipient_name="张",
                              honour_type="pioneer", level="county", issuer="", year=2025, applied_on=D(2025, 3, 1))


def test_home_rating_replaces_the_one_in_force(tree):
    r1 = services.home_rate(actor=None, org=tree.union_a1, level="qualified", rated_on=D(2023, 1, 1))
    services.home_rate(actor=None, org=tree.union_a1, level="county", rated_on=D(2025, 1, 1))
    r1.refresh_from_db()
    assert r1.revoked_on == D(2025, 1, 1)
    with pytest.raises(ServiceError, match="基层工会"):
        services.home_rate(actor=None, org=tree.town_a, level="qualified", rated_on=D(2025, 1, 1))


def test_money_is_decimal(tree, add_worker):
    w = add_worker(tree.union_a1, "戊")
    r = services.care_record(actor=None, worker=w, kind=CareKind.FESTIVAL, served_on=D(2025, 7, 1), amount="600")
    assert r.amount == Decimal("600.00")
