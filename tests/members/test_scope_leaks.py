"""No existence leaks across scopes when joining or importing members (issue 12, defects 1 and 2).

The attacks, as a grass-roots clerk of 甲一 (union_clerk): join a person who is a member of
乙一 (another township) and read the error; import the same row and read the error report;
use a card number of 乙一; pick 乙一's employer by its USCC. Each must read like "not found in
your scope" while still refusing; the union above both (county admin) sees the detail. The
legitimate path is a transfer asked for by ID number, decided by the holding union.
"""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from gonghui.members import services
from gonghui.members.imports import MemberImporter
from gonghui.members.models import Membership, Person, Transfer
from gonghui.orgs import services as org_services
from tests.conftest import make_user
from tests.members.conftest import make_id
from tests.members.test_import import row, sheet
from tests.orgs.test_imports import code as uscc

pytestmark = pytest.mark.django_db
D = dt.date
OTHER_UNION = "乙一公司工会"
FORM = {"union_code": "A1", "name": "王五", "joined_on": "2025-01-01", "ethnicity": "01", "employment": "1"}


@pytest.fixture
def member_of_b1(tree, join):
    return join(union=tree.union_b1, id_number=make_id(seq=60), name="乙会员", card_no="B-9")


@pytest.fixture
def employers(tree):
    """甲's employer covered by 甲一 (the clerk may pick it) and 乙's (he may not)."""
    mine = org_services.employer_create(actor=None, org=tree.town_a, name="甲六公司", uscc=uscc(72), headcount=30)
    org_services.coverage_start(actor=None, union=tree.union_a1, employer=mine, valid_from=D(2021, 1, 1))
    theirs = org_services.employer_create(actor=None, org=tree.town_b, name="乙六公司", uscc=uscc(71), headcount=30)
    return mine, theirs


def test_joining_a_member_of_another_township_does_not_name_it(client, tree, personas, member_of_b1):
    data = {**FORM, "id_number": make_id(seq=60)}
    client.force_login(personas.union_clerk)
    page = client.post(reverse("members:join"), data).content.decode()
    assert OTHER_UNION not in page and "在会" not in page
    assert "不能在此办理入会" in page and "申请转入" in page
    assert Membership.objects.count() == 1
    with pytest.raises(ServiceError) as err:
        services.member_join(actor=personas.union_clerk, union=tree.union_a1, name="王五", id_number=make_id(seq=60),
                             joined_on=D(2025, 1, 1))
    assert err.value.messages == [services.NOT_HERE]
    # The county federation, above both unions, sees where the person is.
    client.force_login(personas.county_admin)
    assert f"已是“{OTHER_UNION}”的会员" in client.post(reverse("members:join"), data).content.decode()


def test_a_card_number_used_elsewhere_is_refused_without_naming_the_union(client, tree, personas, member_of_b1):
    data = {**FORM, "id_number": make_id(seq=61), "card_no": "B-9"}
    client.force_login(personas.union_clerk)
    page = client.post(reverse("members:join"), data).content.decode()
    assert "会员证号“B-9”不可用" in page and OTHER_UNION not in page and "已被使用" not in page
    client.force_login(personas.county_admin)
    page = client.post(reverse("members:join"), data).content.decode()
    assert f"会员证号“B-9”已被使用（“{OTHER_UNION}”的会员）" in page
    assert Membership.objects.count() == 1


def test_the_import_error_report_does_not_name_the_other_union_or_the_status(tree, personas, member_of_b1):
    rows = sheet(row("乙会员", seq=60), row("用证", seq=62, card="B-9"))
    result = MemberImporter(actor=personas.union_clerk).run(rows)
    reasons = {e.column: e.reason for e in result.errors}
    assert reasons == {"公民身份号码": services.NOT_HERE, "会员证号": services.CARD_UNAVAILABLE.format("B-9")}
    result = MemberImporter(actor=personas.county_admin).run(rows)
    reasons = {e.column: e.reason for e in result.errors}
    assert f"已是“{OTHER_UNION}”的会员（在会）" in reasons["公民身份号码"]
    assert OTHER_UNION in reasons["会员证号"]


def test_another_areas_employer_reads_as_unregistered(client, tree, personas, employers):
    mine, theirs = employers
    client.force_login(personas.union_clerk)
    unknown = client.post(reverse("members:join"), {**FORM, "id_number": make_id(seq=63),
                                                    "employer_uscc": uscc(73)}).content.decode()
    other = client.post(reverse("members:join"), {**FORM, "id_number": make_id(seq=63),
                                                  "employer_uscc": uscc(71)}).content.decode()
    assert services.EMPLOYER_UNKNOWN.format(uscc(73)) in unknown
    assert services.EMPLOYER_UNKNOWN.format(uscc(71)) in other and "乙六公司" not in other
    assert Person.objects.count() == 0
    # The service refuses it too (the importer and any other caller go through it).
    with pytest.raises(ServiceError, match="尚未登记，或不在您的范围内"):
        services.member_join(actor=personas.union_clerk, union=tree.union_a1, name="王五", id_number=make_id(seq=63),
                             joined_on=D(2025, 1, 1), employer=theirs)
    response = client.post(reverse("members:join"), {**FORM, "id_number": make_id(seq=63), "employer_uscc": uscc(72)})
    assert response.status_code == 302 and Person.objects.get().employer == mine


def test_the_import_refuses_another_areas_employer_with_the_unknown_message(tree, personas, employers):
    result = MemberImporter(actor=personas.union_clerk).run(sheet(row("甲", seq=64, uscc=uscc(71)),
                                                                  row("乙", seq=65, uscc=uscc(73))))
    reasons = [e.reason for e in result.errors]
    assert reasons == [services.EMPLOYER_UNKNOWN.format(uscc(71)), services.EMPLOYER_UNKNOWN.format(uscc(73))]
    result = MemberImporter(actor=personas.union_clerk).run(sheet(row("丙", seq=66, uscc=uscc(72))))
    assert result.errors == [] and Person.objects.get().employer == employers[0]


def test_updating_a_member_to_another_areas_employer_is_refused(tree, personas, employers, join):
    m = join()
    with pytest.raises(ServiceError, match="尚未登记，或不在您的范围内"):
        services.person_update(actor=personas.union_clerk, person=m.person, employer=employers[1])


# --- the legitimate path: a transfer asked for by ID number ----------------------------------

def ask(client, number, effective_on="2025-01-01"):
    return client.post(reverse("members:transfers"), {"union_code": "A1", "id_number": number,
                                                      "effective_on": effective_on, "reason": "工作调动"})


def test_a_transfer_asked_by_id_number_is_accepted_by_the_holding_union(client, tree, personas, member_of_b1):
    b1_clerk = make_user("b1_clerk", tree.union_b1, "业务经办")
    client.force_login(personas.union_clerk)
    response = ask(client, make_id(seq=60))
    assert response.status_code == 302
    t = Transfer.objects.get()
    assert (t.initiator, t.status, t.to_union, t.membership) == ("to", "pending", tree.union_a1, member_of_b1)
    page = client.get(reverse("members:transfers")).content.decode()
    assert member_of_b1.person.id_masked in page and OTHER_UNION not in page and "乙会员" not in page
    # The requester cannot decide his own request; the holding union can.
    assert client.post(reverse("members:transfer_decide", args=[t.pk]), {"decision": "accept"}).status_code == 404
    client.force_login(b1_clerk)
    assert "乙会员" in client.get(reverse("members:transfers")).content.decode()
    assert "待处理转会 1" in client.get(reverse("members:roster")).content.decode()
    client.post(reverse("members:transfer_decide", args=[t.pk]), {"decision": "accept", "note": ""})
    moved = Membership.objects.get(person=member_of_b1.person, ended_on__isnull=True)
    assert moved.union == tree.union_a1 and moved.card_no == "B-9"
    assert AuditEvent.objects.filter(action="members.transfer.accepted").count() == 1
    requested = AuditEvent.objects.get(action="members.transfer.requested")
    assert requested.org_path == tree.union_a1.path and OTHER_UNION not in str(requested.changes)


def test_a_returned_request_shows_the_note_and_nothing_else(client, tree, personas, member_of_b1):
    b1_clerk = make_user("b1_clerk", tree.union_b1, "业务经办")
    client.force_login(personas.union_clerk)
    ask(client, make_id(seq=60))
    t = Transfer.objects.get()
    client.force_login(b1_clerk)
    client.post(reverse("members:transfer_decide", args=[t.pk]), {"decision": "reject", "note": "本人未申请"})
    assert Membership.objects.get(person=member_of_b1.person, ended_on__isnull=True).union == tree.union_b1
    client.force_login(personas.union_clerk)
    page = client.get(reverse("members:transfers")).content.decode()
    assert "已退回" in page and "本人未申请" in page and OTHER_UNION not in page


def test_asking_for_someone_who_is_no_member_or_already_here(client, tree, personas, join):
    client.force_login(personas.union_clerk)
    assert "可直接办理入会" in ask(client, make_id(seq=80)).content.decode()
    join(id_number=make_id(seq=81))
    assert "此人已是本工会会员" in ask(client, make_id(seq=81)).content.decode()
    assert Transfer.objects.count() == 0


def test_a_clerk_above_both_unions_moves_the_member_at_once(client, tree, personas, join):
    m = join(union=tree.union_a2, id_number=make_id(seq=82), joined_on=D(2025, 3, 1))
    client.force_login(personas.town_clerk)
    response = ask(client, make_id(seq=82), effective_on="2025-06-01")
    moved = Membership.objects.get(person=m.person, ended_on__isnull=True)
    assert moved.union == tree.union_a1 and response["Location"] == reverse("members:detail", args=[moved.pk])
    assert Transfer.objects.count() == 0
