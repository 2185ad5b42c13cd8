import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gonghui.core import clock
from gonghui.portal import services
from gonghui.portal.models import Application, ApplicationStatus, HelpRequest, RightsRequest
from tests.conftest import PASSWORD as STAFF_PASSWORD
from tests.members.conftest import make_id

from .conftest import PASSWORD, portal_login

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ("/m/home/", "/m/card/", "/m/card/qr.svg", "/m/records/", "/m/rights/")


def test_a_worker_applies_on_the_form_and_sees_the_status(client, tree):
    r = client.get("/m/join/")
    assert r.status_code == 200 and "网上申请入会" in r.content.decode()
    data = {"name": "李四", "id_number": make_id(seq=1), "phone": "138 1234 5678", "employer": "甲一公司",
            "consent": "on"}
    r = client.post("/m/join/", data)
    body = r.content.decode()
    assert "申请已提交" in body and "甲一公司工会" in body
    app = Application.objects.get()
    assert app.ref in body
    r = client.post("/m/join/status/", {"ref": app.ref, "id_number": make_id(seq=1)})
    assert "待审核" in r.content.decode()


def test_the_form_keeps_input_and_names_the_field_on_error(client, tree):
    r = client.post("/m/join/", {"name": "李四", "id_number": "430121199001010010", "phone": "13812345678",
                                 "employer": "不存在的公司"})
    body = r.content.decode()
    assert r.status_code == 200 and "error-summary" in body
    assert "公民身份号码" in body and "校验位" in body and 'value="李四"' in body
    assert "未找到该工作单位" in body
    assert not Application.objects.exists()


def test_the_employer_picker_needs_two_characters_and_names_no_union(client, tree):
    assert "甲一公司" not in client.get("/m/join/employers/?q=甲").content.decode()
    body = client.get("/m/join/employers/?q=公司").content.decode()
    assert "甲一公司" in body and "工会" not in body
    assert "甲镇工会联合会" in client.get("/m/join/areas/?q=甲镇").content.decode()


def test_a_clerk_accepts_and_the_worker_activates_and_sees_the_card(client, tree, personas):
    app = services.application_submit(name="李四", id_number=make_id(seq=1), phone="13812345678",
                                      employer=tree.emp["a1"], consent=True)
    staff = Client()
    staff.force_login(personas.union_clerk)
    assert app.ref in staff.get("/m/staff/applications/").content.decode()
    r = staff.post(f"/m/staff/applications/{app.pk}/accept/", {})
    body = r.content.decode()
    code = re.search(r"data-activation-code>(\w+)<", body).group(1)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED and app.membership.card_no in body
    r = client.post("/m/activate/", {"id_number": make_id(seq=1), "code": code, "password": PASSWORD,
                                     "password2": PASSWORD})
    assert r.status_code == 302
    body = client.get("/m/card/").content.decode()
    assert app.membership.card_no in body and "李四" in body
    link = re.search(r'href="(http://testserver/m/v/[^"]+)" data-verify-link', body).group(1)
    qr = client.get("/m/card/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b'xmlns="http://www.w3.org/2000/svg"' in qr.content
    other = Client()
    body = other.get(link.replace("http://testserver", "")).content.decode()
    assert "李*" in body and "甲一公司工会" in body and "有效会员" in body and "李四" not in body


def test_the_verification_page_is_rate_limited_and_forged_tokens_read_as_invalid(client, tree, member, settings):
    settings.GONGHUI_PORTAL = {"VERIFY_PER_MINUTE": 3}
    token = services.card_token(account=member[0])
    assert client.get("/m/v/1.k1.0.forged/").status_code == 404
    assert client.get(f"/m/v/{token}/").status_code == 200
    client.get(f"/m/v/{token}/")
    assert client.get(f"/m/v/{token}/").status_code == 429


def test_staff_sign_in_opens_no_portal_page_and_a_member_no_staff_page(client, tree, personas, member):
    client.force_login(personas.county_admin)
    for url in MEMBER_PAGES:
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/m/login/"), url
    member_client = portal_login(Client(), 11)
    assert member_client.get("/m/home/").status_code == 200
    r = member_client.get("/members/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert member_client.get("/m/staff/applications/").status_code == 302


def test_the_portal_sign_in_does_not_take_a_staff_password(client, tree, personas):
    r = client.post("/m/login/", {"id_number": "union_clerk", "password": STAFF_PASSWORD})
    assert r.status_code == 200 and services.SIGN_IN_REFUSED in r.content.decode()


def test_another_members_identifiers_give_404(client, tree, member, other_member):
    mine = services.rights_request(account=member[0], kind="access", detail="请提供我的信息副本")
    theirs = services.rights_request(account=other_member[0], kind="access", detail="请提供我的信息副本")
    portal_login(client, 11)
    assert client.get(f"/m/rights/{mine.pk}/").status_code == 200
    assert client.get(f"/m/rights/{theirs.pk}/").status_code == 404
    assert client.get(f"/m/rights/{theirs.pk + 100}/").status_code == 404
    # Pages without identifiers show only the member's own records.
    for url in ("/m/home/", "/m/card/", "/m/records/", "/m/rights/"):
        body = client.get(url).content.decode()
        assert "王五" not in body and "乙一公司工会" not in body, url


def test_a_new_password_ends_the_other_sessions(client, tree, personas, member):
    portal_login(client, 11)
    services.activation_code_reissue(actor=personas.union_clerk, membership=member[1])
    assert client.get("/m/home/").status_code == 302


def test_a_member_files_a_correction_that_the_clerk_closes(client, tree, personas, member):
    portal_login(client, 11)
    body = client.get("/m/rights/").content.decode()
    assert "430121" in body and "*" in body and make_id(seq=11) not in body  # masked
    r = client.post("/m/rights/", {"kind": "correct", "detail": "手机号码已更换为 139****0000"})
    req = RightsRequest.objects.get()
    assert r.status_code == 302
    staff = Client()
    staff.force_login(personas.union_clerk)
    assert "更正补充个人信息" in staff.get("/m/staff/rights/").content.decode()
    r = staff.post(f"/m/staff/rights/{req.pk}/", {"reply": "已在会员信息中更正。"})
    assert r.status_code == 302
    assert "已办结" in client.get(f"/m/rights/{req.pk}/").content.decode()


def test_the_leader_sees_requests_but_cannot_close_them(client, tree, personas, member):
    req = services.rights_request(account=member[0], kind="delete", detail="请删除我的手机号码")
    client.force_login(personas.leader)
    assert client.get(f"/m/staff/rights/{req.pk}/").status_code == 200
    assert client.post(f"/m/staff/rights/{req.pk}/", {"reply": "x"}).status_code in (403, 404)


def test_an_open_redirect_is_refused(client, tree, member):
    r = client.post("/m/login/", {"id_number": make_id(seq=11), "password": PASSWORD,
                                  "next": "//evil.example/"})
    assert r["Location"] == "/m/home/"


def test_a_member_applies_for_golden_autumn_with_a_checked_attachment(client, tree, personas, member, settings,
                                                                      tmp_path):
    settings.DATA_DIR = tmp_path
    portal_login(client, 11)
    fake = SimpleUploadedFile("通知书.pdf", b"MZ not a pdf", content_type="application/pdf")
    r = client.post("/m/help/", {"kind": "golden_autumn", "reason": "单亲家庭", "student_name": "李小明",
                                 "school": "长沙县一中 高三", "attachment": fake})
    assert "附件只能是" in r.content.decode() and not HelpRequest.objects.exists()
    real = SimpleUploadedFile("通知书.pdf", b"%PDF-1.4 notice", content_type="application/pdf")
    r = client.post("/m/help/", {"kind": "golden_autumn", "reason": "单亲家庭", "student_name": "李小明",
                                 "school": "长沙县一中 高三", "attachment": real})
    assert r.status_code == 302
    req = HelpRequest.objects.get()
    assert req.union == tree.union_a1 and req.attachment_stored.endswith(".pdf")
    staff = Client()
    staff.force_login(personas.union_clerk)  # 业务经办: no view_sensitive, the household's papers stay closed
    assert staff.get(f"/m/staff/help/{req.pk}/file/").status_code == 403
    assert Client().get(f"/m/staff/help/{req.pk}/file/").status_code == 302  # to the staff login
    admin = Client()
    admin.force_login(personas.town_admin)  # holds view_sensitive
    assert admin.get(f"/m/staff/help/{req.pk}/file/").status_code == 200
    # Accepting opens the case in the assistance line (tests/portal/test_intake.py follows it further).
    staff.post(f"/m/staff/help/{req.pk}/", {"reply": "已建档，请等待审批。", "register": "on", "amount_requested": "2000",
                                            "category": "relative", "school_level": "high",
                                            "student_birth_date": "2009-03-01", "student_gender": "1"})
    assert "已转入帮扶办理" in client.get("/m/help/").content.decode()


def test_a_member_answers_his_unions_survey_once_and_anonymously(client, tree, member, other_member):
    from gonghui.honours.models import SurveyResponse
    from gonghui.honours.services import survey_create, survey_result

    survey = survey_create(actor=None, org=tree.union_a1, name="2026年会员评家", held_on=clock.today(),
                           items=["服务会员", "维护权益"])
    elsewhere = survey_create(actor=None, org=tree.union_b1, name="乙一评家", held_on=clock.today(), items=["服务会员"])
    portal_login(client, 11)
    assert "2026年会员评家" in client.get("/m/surveys/").content.decode()
    assert client.get(f"/m/surveys/{elsewhere.pk}/").status_code == 404  # another union's survey
    r = client.post(f"/m/surveys/{survey.pk}/", {"item0": "satisfied", "item1": "basic"})
    assert r.status_code == 302
    assert client.get(f"/m/surveys/{survey.pk}/").status_code == 404  # answered: once
    assert survey_result(survey)["valid"] == 2
    response = SurveyResponse.objects.get()
    assert response.online and set(response.answers) == {"服务会员", "维护权益"}
    assert not {f.name for f in SurveyResponse._meta.get_fields()} & {"person", "account", "member"}


def test_online_applications_are_few_per_address_and_minute(client, tree):
    """Each answer tells whether an ID number applied or is a member: the sixth in a minute is refused."""
    import datetime as dt
    from unittest import mock

    from django.core.cache import cache

    cache.clear()
    moment = clock.now().replace(second=0, microsecond=0) + dt.timedelta(seconds=5)
    with mock.patch.object(clock, "now", return_value=moment):
        for _ in range(5):
            assert "提交过于频繁" not in client.post("/m/join/", {"name": "李四"}).content.decode()
        body = client.post("/m/join/", {"name": "李四", "phone": "13812345678"}).content.decode()
    assert "提交过于频繁" in body and 'value="13812345678"' in body  # what was typed is kept
    assert not Application.objects.exists()


def test_a_help_requests_hardship_and_papers_need_the_sensitive_permission(client, tree, personas, member):
    account, _ = member
    req = services.help_request(account=account, kind="hardship", reason="家中老人住院", attachment_name="证明.pdf",
                                attachment=b"%PDF-1.4 proof")
    reader = Client()
    reader.force_login(personas.leader)  # 查阅: may see the list and the request, not the household
    page = reader.get(f"/m/staff/help/{req.pk}/").content.decode()
    assert "家中老人住院" not in page and f"/m/staff/help/{req.pk}/file/" not in page
    assert reader.get(f"/m/staff/help/{req.pk}/file/").status_code in (403, 404)
    admin = Client()
    admin.force_login(personas.town_admin)  # 单位管理员 of 甲镇: holds view_sensitive
    assert "家中老人住院" in admin.get(f"/m/staff/help/{req.pk}/").content.decode()
    assert admin.get(f"/m/staff/help/{req.pk}/file/").status_code == 200


def test_signing_out_leaves_no_card_link_for_the_next_member(client, tree, member, other_member):
    portal_login(client, 11)
    client.get("/m/card/")
    first = client.session["_portal_card_token"]
    client.post("/m/logout/")
    assert "_portal_card_token" not in client.session
    portal_login(client, 12)
    svg = client.get("/m/card/qr.svg").content.decode()
    assert first[1] not in svg


def test_a_member_sees_his_own_mutual_aid_cover_on_the_records_page(client, tree, member, other_member):
    from gonghui.mutual_aid import services as aid
    from gonghui.mutual_aid.services import Entry

    plan = aid.plan_create(actor=None, org=tree.root, code="ZY", name="职工住院医疗互助", kind="hospital", sex=0,
                           unit_premium="30", term_months=12, max_units=3, min_coverage="0", waiting_days=90,
                           benefits=[{"code": "A", "name": "住院", "amount_per_unit": "2000"}])
    today = clock.today()
    term = aid.term_create(actor=None, plan=plan, name=f"{today.year}年度", opens_on=today.replace(month=1, day=1),
                           closes_on=today.replace(month=12, day=31))
    account, membership = member  # other_member: a second member with no cover
    aid.batch_enrol(actor=None, term=term, union=membership.union, enrolled_on=today,
                    entries=[Entry(units=2, person=account.person)])
    portal_login(client, 11)
    page = client.get("/m/records/").content.decode()
    assert "职工住院医疗互助" in page and "2份" in page and "保障金额4,000.00元" in page
    other_client = Client()
    portal_login(other_client, 12)
    assert "暂未参加工会互助保障" in other_client.get("/m/records/").content.decode()


def test_every_member_page_draws_the_member_menu(client, tree, member):
    """The menu bar and the sign-out button follow the signed-in member, not a context variable
    each view must remember to pass (records, rights, help and a request's page once lacked it)."""
    req = services.rights_request(account=member[0], kind="access", detail="请提供我的信息副本")
    portal_login(client, 11)
    for url in ("/m/home/", "/m/card/", "/m/records/", "/m/rights/", f"/m/rights/{req.pk}/", "/m/help/",
                "/m/surveys/"):
        body = client.get(url).content.decode()
        assert 'aria-label="会员服务"' in body and "退出" in body, url
    client.post("/m/logout/")
    assert 'aria-label="会员服务"' not in client.get("/m/").content.decode()
