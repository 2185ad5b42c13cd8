import datetime as dt
from unittest import mock

import pytest
from django.test import override_settings

from gonghui.core import calendar, clock
from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from gonghui.members.models import Membership
from gonghui.portal import services
from gonghui.portal.models import PRIVACY_VERSION, ApplicationStatus, MemberAccount, RightsStatus
from tests.members.conftest import make_id

from .conftest import PASSWORD, apply, make_member

pytestmark = pytest.mark.django_db


def test_an_application_goes_to_the_union_covering_the_employer_with_the_consent_recorded(tree):
    app = apply(tree, seq=1)
    assert app.union == tree.union_a1 and app.status == ApplicationStatus.PENDING
    assert app.consent_version == PRIVACY_VERSION and app.consented_at is not None
    assert app.id_masked.startswith("430121") and "*" in app.id_masked and app.phone_masked == "138****5678"
    assert len(app.ref) == 10
    assert AuditEvent.objects.filter(action="portal.application.submitted", object_id=str(app.pk)).exists()


def test_without_a_union_the_employer_area_and_without_employer_the_chosen_area(tree):
    assert apply(tree, seq=1, employer=tree.emp["a3"]).union == tree.town_a  # 甲三公司 has no union
    assert apply(tree, seq=2, area=tree.town_b).union == tree.town_b  # a courier without employer
    with pytest.raises(ServiceError) as err:
        services.application_submit(name="赵六", id_number=make_id(seq=3), phone="13812345678", consent=True)
    assert err.value.field == "employer"


@pytest.mark.parametrize("field,kwargs", [
    ("id_number", {"id_number": "430121199001010010"}),  # check character wrong
    ("phone", {"phone": "1234"}),
    ("name", {"name": " "}),
    ("consent", {"consent": False}),
])
def test_bad_input_names_its_field(tree, field, kwargs):
    data = {"name": "李四", "id_number": make_id(seq=1), "phone": "13812345678", "employer": tree.emp["a1"],
            "consent": True, **kwargs}
    with pytest.raises(ServiceError) as err:
        services.application_submit(**data)
    assert err.value.field == field


def test_a_second_application_and_an_existing_member_get_the_same_message_naming_no_union(tree, join):
    apply(tree, seq=1)
    with pytest.raises(ServiceError) as twice:
        apply(tree, seq=1, employer=tree.emp["b1"])
    join(union=tree.union_b1, id_number=make_id(seq=2))
    with pytest.raises(ServiceError) as member:
        apply(tree, seq=2)
    assert twice.value.messages == member.value.messages == [services.ALREADY]
    assert "乙" not in services.ALREADY and "甲" not in services.ALREADY


def test_the_status_needs_both_the_number_and_the_id_and_reads_the_same_otherwise(tree):
    app = apply(tree, seq=1)
    assert services.application_lookup(ref=app.ref.lower(), id_number=make_id(seq=1)) == app
    other = apply(tree, seq=2)
    for ref, seq in ((app.ref, 2), (other.ref, 1), ("XXXXXXXXXX", 1)):
        with pytest.raises(ServiceError) as err:
            services.application_lookup(ref=ref, id_number=make_id(seq=seq))
        assert err.value.messages == [services.NOT_FOUND]


def test_accepting_joins_the_member_with_a_card_number_and_an_activation_code(tree, personas):
    app = apply(tree, seq=1)
    membership, code = services.application_accept(actor=personas.union_clerk, application=app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED and app.membership == membership
    assert membership.union == tree.union_a1 and membership.card_no.startswith(f"A1{clock.today().year}")
    assert membership.person.employer == tree.emp["a1"] and membership.person.phone_masked == "138****5678"
    assert len(code) == 8 and MemberAccount.objects.get(person=membership.person).password == ""
    with pytest.raises(ServiceError):
        services.application_accept(actor=personas.union_clerk, application=app)  # once


def test_a_federation_accepts_into_a_member_union_below_it(tree, personas):
    app = apply(tree, seq=1, employer=tree.emp["a3"])
    with pytest.raises(ServiceError) as err:
        services.application_accept(actor=personas.town_clerk, application=app)
    assert err.value.field == "join_union"
    with pytest.raises(ServiceError):
        services.application_accept(actor=None, application=app, join_union=tree.union_b1)  # not below 甲镇
    membership, _ = services.application_accept(actor=personas.town_clerk, application=app, join_union=tree.union_a2)
    assert membership.union == tree.union_a2


def test_out_of_scope_staff_cannot_decide_and_refusal_needs_a_reason(tree, personas):
    app = apply(tree, seq=1, employer=tree.emp["b1"])
    with pytest.raises(Exception):  # noqa: B017  (scope.require: PermissionDenied)
        services.application_refuse(actor=personas.union_clerk, application=app, reason="不符合条件")
    with pytest.raises(ServiceError) as err:
        services.application_refuse(actor=None, application=app, reason=" ")
    assert err.value.field == "reason"
    services.application_refuse(actor=None, application=app, reason="非本单位职工")
    assert services.application_lookup(ref=app.ref, id_number=make_id(seq=1)).reason == "非本单位职工"
    assert not Membership.objects.exists()


def test_activation_code_once_then_password_sign_in(tree):
    app = apply(tree, seq=1)
    _, code = services.application_accept(actor=None, application=app)
    with pytest.raises(ServiceError):
        services.account_activate(id_number=make_id(seq=1), code="WRONG123", password=PASSWORD)
    with pytest.raises(ServiceError) as weak:
        services.account_activate(id_number=make_id(seq=1), code=code, password="123")
    assert weak.value.field == "password"
    account = services.account_activate(id_number=make_id(seq=1), code=code.lower(), password=PASSWORD)
    assert account.activated_at and account.password.startswith("pbkdf2") or account.password
    with pytest.raises(ServiceError):  # the code was used
        services.account_activate(id_number=make_id(seq=1), code=code, password=PASSWORD)
    assert services.account_sign_in(id_number=make_id(seq=1), password=PASSWORD) == account


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_ADDRESS_FREE_FAILURES=100)
def test_failures_lock_the_account_and_an_unknown_number_reads_the_same(tree):
    account, _ = make_member(tree, seq=1)
    for _ in range(3):
        with pytest.raises(ServiceError) as err:
            services.account_sign_in(id_number=make_id(seq=1), password="bad", ip="10.0.0.1")
        assert err.value.messages == [services.SIGN_IN_REFUSED]
    with pytest.raises(ServiceError):  # locked: even the right password
        services.account_sign_in(id_number=make_id(seq=1), password=PASSWORD, ip="10.0.0.2")
    with pytest.raises(ServiceError) as unknown:
        services.account_sign_in(id_number=make_id(seq=99), password=PASSWORD, ip="10.0.0.3")
    assert unknown.value.messages == [services.SIGN_IN_REFUSED]


@override_settings(LOGIN_ADDRESS_FREE_FAILURES=2)
def test_one_address_backs_off_after_its_free_failures(tree):
    make_member(tree, seq=1)
    for seq in (90, 91, 92):
        with pytest.raises(ServiceError):
            services.account_sign_in(id_number=make_id(seq=seq), password="x", ip="10.0.0.9")
    with pytest.raises(ServiceError):
        services.account_sign_in(id_number=make_id(seq=1), password=PASSWORD, ip="10.0.0.9")
    assert services.account_sign_in(id_number=make_id(seq=1), password=PASSWORD, ip="10.0.0.8")


def test_a_reissued_code_stops_the_old_password(tree, personas):
    account, membership = make_member(tree, seq=1)
    code = services.activation_code_reissue(actor=personas.union_clerk, membership=membership)
    with pytest.raises(ServiceError):
        services.account_sign_in(id_number=make_id(seq=1), password=PASSWORD)
    services.account_activate(id_number=make_id(seq=1), code=code, password=PASSWORD)


def test_the_card_token_verifies_masked_and_a_renewal_revokes_it(tree, member):
    account, membership = member
    token = services.card_token(account=account)
    assert services.card_token(account=account) == token  # stable while valid
    shown = services.card_verify(token)
    assert shown == {"name": "李*", "union": "甲一公司工会", "current": True, "status": "在会"}
    assert services.card_verify(token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    new = services.card_token(account=account, renew=True)
    assert services.card_verify(token) is None and services.card_verify(new)["current"]


def test_an_expired_card_token_does_not_verify(tree, member):
    token = services.card_token(account=member[0])
    later = clock.now() + dt.timedelta(days=40)
    with mock.patch("gonghui.core.clock.now", return_value=later):
        assert services.card_verify(token) is None


def test_a_member_who_left_reads_as_not_current(tree, member):
    from gonghui.members import services as member_services
    account, membership = member
    token = services.card_token(account=account)
    member_services.member_retain(actor=None, membership=membership, effective_on=clock.today(), reason="失业")
    assert services.card_verify(token)["current"] is False


def test_a_rights_request_is_due_in_15_working_days_and_closed_by_the_union(tree, personas, member):
    account, _ = member
    req = services.rights_request(account=account, kind="correct", detail="手机号码已更换")
    assert req.union == tree.union_a1 and req.due_on == calendar.add_working_days(req.received_on, 15)
    with pytest.raises(Exception):  # noqa: B017
        services.rights_close(actor=personas.outsider, request=req, reply="已更正")
    with pytest.raises(ServiceError):
        services.rights_close(actor=personas.union_clerk, request=req, reply="")
    services.rights_close(actor=personas.union_clerk, request=req, reply="已更正")
    req.refresh_from_db()
    assert req.status == RightsStatus.DONE and req.closed_by == "union_clerk"
    actions = set(AuditEvent.objects.filter(object_id=str(req.pk), object_type="portal.rightsrequest")
                  .values_list("action", flat=True))
    assert actions == {"portal.rights.requested", "portal.rights.closed"}
    with pytest.raises(ServiceError):
        services.rights_request(account=account, kind="nonsense", detail="x")


def test_card_numbers_follow_on_within_a_union_and_year(tree):
    first = services.issue_card_no(tree.union_a1, 2026)
    assert first == "A1202600001"
    apply_and_accept = [services.application_accept(actor=None, application=apply(tree, seq=s))[0] for s in (1, 2)]
    year = clock.today().year
    assert [m.card_no for m in apply_and_accept] == [f"A1{year}00001", f"A1{year}00002"]


def test_a_rights_request_near_its_limit_is_a_to_do_of_the_union_only(tree, personas, member):
    from gonghui.portal import reminders

    req = services.rights_request(account=member[0], kind="access", detail="请提供副本")
    near = req.due_on - dt.timedelta(days=1)
    items, count = reminders.rights_due(personas.union_clerk, near, 10)
    assert count == 1 and items[0].url.endswith(f"/m/staff/rights/{req.pk}/") and not items[0].overdue
    assert reminders.rights_due(personas.union_clerk, req.due_on + dt.timedelta(days=1), 10)[0][0].overdue
    assert reminders.rights_due(personas.union_clerk, req.received_on, 10)[1] == 0  # not yet near
    other = make_member(tree, seq=2, union_employer=tree.emp["b1"])[0]
    services.rights_request(account=other, kind="access", detail="请提供副本")
    assert reminders.rights_due(personas.union_clerk, near, 10)[1] == 1


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_ADDRESS_FREE_FAILURES=100)
def test_activation_answers_alike_for_a_member_a_locked_one_and_a_stranger(tree):
    """Neither the words nor the work done tell whether an ID number has an account: a wrong code,
    a locked account and an unknown number get one answer, and each runs one password check."""
    app = apply(tree, seq=1)
    _, code = services.application_accept(actor=None, application=app)
    answers = []
    with mock.patch.object(services, "check_password", wraps=services.check_password) as checks:
        for seq, guess in [(1, "WRONG123")] * 4 + [(1, code), (98, "WRONG123")]:  # 4th+: locked
            checks.reset_mock()
            with pytest.raises(ServiceError) as err:
                services.account_activate(id_number=make_id(seq=seq), code=guess, password=PASSWORD, ip="10.0.0.5")
            answers.append((err.value.messages, err.value.field))
            assert checks.call_count == 1, (seq, guess)
    assert answers == [([services.ACTIVATION_REFUSED], "code")] * 6


def test_sign_in_without_an_account_or_password_does_a_password_check_too(tree):
    app = apply(tree, seq=1)
    services.application_accept(actor=None, application=app)  # an account with a code, no password yet
    for seq in (1, 97):
        with mock.patch.object(services, "check_password", wraps=services.check_password) as checks, \
                pytest.raises(ServiceError):
            services.account_sign_in(id_number=make_id(seq=seq), password=PASSWORD)
        assert checks.call_count == 1
