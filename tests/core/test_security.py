"""Transport, caching and log hygiene (issue 12, defects 7 and 9).

Each test reproduces what an attacker or a careless set-up would do: a shared computer's
browser cache keeping a roster page, cookies sent over plain HTTP, a search term (a phone
number) reaching the access log in clear, a forged request id written into the audit log.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from gonghui.core.middleware import request_id_from
from gonghui.core.models import AccessLog, AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src"


def settings_under(tmp_path, **env) -> dict:
    """The values the settings module computes for this environment (a fresh interpreter:
    the module reads the environment once, at import)."""
    code = ("import json, gonghui.settings as s; print(json.dumps({'https': s.HTTPS, "
            "'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, "
            "'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None)}))")
    base = {k: v for k, v in os.environ.items()
            if k not in ("DEBUG", "GONGHUI_DEMO_MODE", "GONGHUI_HTTPS", "GONGHUI_SECURE_COOKIES")}
    full = {**base, "GONGHUI_DATA_DIR": str(tmp_path), "PYTHONPATH": str(SRC), **env}
    out = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_production_profile_has_secure_cookies_and_hsts_by_default(tmp_path):
    prod = settings_under(tmp_path)
    assert prod == {"https": True, "session": True, "csrf": True, "hsts": 365 * 24 * 3600,
                    "proxy": ["HTTP_X_FORWARDED_PROTO", "https"]}
    # The demo (make run) and DEBUG run on plain http://127.0.0.1.
    for env in ({"GONGHUI_DEMO_MODE": "1"}, {"DEBUG": "1"}, {"GONGHUI_HTTPS": "0"}):
        assert settings_under(tmp_path, **env) == {"https": False, "session": False, "csrf": False, "hsts": 0,
                                                   "proxy": None}
    assert settings_under(tmp_path, GONGHUI_HTTPS="1", GONGHUI_DEMO_MODE="1")["session"] is True
    # The older name still works.
    assert settings_under(tmp_path, GONGHUI_SECURE_COOKIES="0")["https"] is False


def test_behind_tls_cookies_are_secure_and_hsts_is_sent(client, personas, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    page = client.get(reverse("accounts:login"), **https)
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert page.cookies["csrftoken"]["secure"] is True
    response = client.post(reverse("accounts:login"), {"username": "town_clerk", "password": PASSWORD},
                           **https, HTTP_REFERER="https://testserver/accounts/login/")
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True and response.cookies["sessionid"]["httponly"] is True


def test_pages_and_downloads_are_not_stored_by_caches(client, personas):
    assert client.get(reverse("accounts:login"))["Cache-Control"] == "no-store"
    client.force_login(personas.town_clerk)
    for url in (reverse("core:home"), reverse("members:roster"), reverse("core:import_template", args=["members"]),
                reverse("members:export"), "/no-such-page/"):
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", url
    assert "attachment" in client.get(reverse("members:export"))["Content-Disposition"]


@pytest.mark.parametrize("header", [
    "'; DROP TABLE core_auditevent; --", "<script>alert(1)</script>", "g" * 32, "0" * 31,
    "ABCDEF0123456789abcdef0123456789zz", "\u4e2d\u6587" * 8, "12345678-1234-1234-1234-1234567890ab-x",
])
def test_a_forged_request_id_is_replaced(client, personas, header):
    response = client.post(reverse("accounts:login"), {"username": "town_clerk", "password": PASSWORD},
                           HTTP_X_REQUEST_ID=header)
    event = AuditEvent.objects.get(action="accounts.login.succeeded")
    assert event.request_id == response["X-Request-ID"] != header
    assert len(event.request_id) == 32 and set(event.request_id) <= set("0123456789abcdef")


def test_a_proxys_request_id_is_kept():
    assert request_id_from("0123456789abcdef0123456789abcdef") == "0123456789abcdef0123456789abcdef"
    assert request_id_from("12345678-ABCD-1234-abcd-1234567890ab") == "12345678abcd1234abcd1234567890ab"
    assert request_id_from("") != request_id_from("")


def test_the_petition_ledger_log_masks_the_search(client, tree, personas):
    client.force_login(personas.town_clerk)
    for q in ("13912345678", "王 139-1234-5678", "430121199001011234"):
        assert client.get(reverse("petitions:export"), {"q": q}).status_code == 200
    reasons = list(AccessLog.objects.filter(object_type="petitions.petition").values_list("reason", flat=True))
    assert len(reasons) == 3
    text = "\n".join(reasons)
    for clear in ("13912345678", "139-1234-5678", "1234-5678", "430121199001011234"):
        assert clear not in text
    assert "139****5678" in text and "430121********1234" in text


def test_mask_text_keeps_short_numbers():
    from gonghui.core.crypto import mask_text

    assert mask_text("XF2025-00012 拖欠工资") == "XF2025-00012 拖欠工资"
    assert mask_text("张三13812345678") == "张三138****5678"
    assert mask_text("") == ""


def test_registering_an_employer_does_not_name_one_of_another_area(tree, personas):
    """A USCC registered under 乙街道 is refused to 甲镇's clerk without its name; the county sees it."""
    from gonghui.core.errors import ServiceError
    from gonghui.orgs import services as org_services
    from tests.orgs.test_services import make_uscc

    taken = make_uscc("91430121MA4L0009")
    org_services.employer_create(actor=None, org=tree.town_b, name="乙二公司", uscc=taken, headcount=10)
    with pytest.raises(ServiceError) as refused:
        org_services.employer_create(actor=personas.town_clerk, org=tree.town_a, name="甲五公司", uscc=taken,
                                     headcount=10)
    assert "乙二公司" not in str(refused.value) and "不能重复登记" in str(refused.value)
    with pytest.raises(ServiceError, match="已登记为“乙二公司”"):
        org_services.employer_create(actor=personas.county_admin, org=tree.town_a, name="甲五公司", uscc=taken,
                                     headcount=10)
