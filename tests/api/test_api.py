"""The API's conventions and resources, through the token of a persona."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from gonghui.api import services
from gonghui.api.models import ApiToken
from gonghui.core import clock
from gonghui.core.models import AccessLog
from gonghui.members import services as member_services
from gonghui.petitions import services as petition_services

ID_A = "430121199001011237"


def _join(tree, n=3):
    ids = ["430121199001010015", "430121199001010031", "430121199001010058", "430121199001010074"]
    return [member_services.member_join(actor=None, union=tree.union_a1, name=f"会员{i}", id_number=ids[i],
                                        joined_on=dt.date(2024, 1, 1), phone="13800138000") for i in range(n)]


def test_token_is_stored_as_a_digest_and_shown_once(personas):
    token, text = services.token_create(actor=personas.town_clerk, user=personas.town_clerk, name="同步", days=30)
    assert text.startswith("gh_") and text.split("_", 2)[2] not in token.digest
    assert services.check(text).pk == token.pk
    assert services.check(text[:-1] + ("A" if text[-1] != "A" else "B")) is None


def test_no_token_expired_or_revoked_is_401_problem(client, personas, api_for):
    r = client.get("/api/v1/orgs/")
    assert r.status_code == 401 and r["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 401 and body["title"] == "未认证" and "令牌" in body["detail"]
    api = api_for(personas.town_clerk)
    assert api.get("orgs/").status_code == 200
    token = ApiToken.objects.get(user=personas.town_clerk)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    assert api.get("orgs/").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now() + dt.timedelta(days=1))
    assert api.get("orgs/").status_code == 200
    services.token_revoke(actor=personas.town_admin, token=token)  # his administrator
    assert api.get("orgs/").status_code == 401


def test_read_only_token_is_refused_on_writes(personas, tree, api_for):
    api = api_for(personas.town_clerk, read_only=True)
    assert api.get("members/").status_code == 200
    r = api.post("members/", {"union_code": "A1", "name": "李四", "id_number": ID_A, "joined_on": "2026-01-05"})
    assert r.status_code == 403 and "只读" in r.json()["detail"]


def test_session_writes_need_csrf(personas, tree):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(personas.town_clerk)
    assert c.get("/api/v1/orgs/").status_code == 200
    r = c.post("/api/v1/members/", {}, content_type="application/json")
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]


def test_orgs_tree_and_subtree(personas, tree, api_for):
    api = api_for(personas.town_clerk)
    codes = [o["code"] for o in api.get("orgs/").json()["results"]]
    assert codes == ["A", "A1", "A2"]  # his subtree only, in tree order
    r = api.get(f"orgs/{tree.town_a.pk}/children/")
    assert [o["code"] for o in r.json()["results"]] == ["A1", "A2"]
    assert r.json()["results"][0]["parent_id"] == tree.town_a.pk
    assert api.get(f"orgs/{tree.town_b.pk}/").status_code == 404
    assert api.get(f"orgs/{tree.root.pk}/children/").status_code == 404
    r = api.get("orgs/", {"org": "B"})
    assert r.status_code == 400 and "组织编码（org）" in r.json()["detail"]
    assert api.get("orgs/99999999999999999999999/").status_code == 404


def test_keyset_pages_and_etag(personas, tree, api_for):
    _join(tree, 4)
    api = api_for(personas.town_clerk)
    first = api.get("members/", {"size": 3}).json()
    assert first["count"] == 4 and len(first["results"]) == 3 and first["next"]
    second = api.client.get(first["next"], HTTP_AUTHORIZATION=f"Bearer {api.token}").json()
    assert len(second["results"]) == 1 and second["previous"]
    assert api.get("members/", {"cursor": "forged"}).status_code == 400
    r = api.get(f"orgs/{tree.union_a1.pk}/")
    tag = r["ETag"]
    assert tag and api.get(f"orgs/{tree.union_a1.pk}/", HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_members_masked_unless_view_sensitive_and_full_read_logged(personas, tree, api_for):
    m = _join(tree, 1)[0]
    clerk = api_for(personas.town_clerk)
    row = clerk.get("members/", {"org": "A1"}).json()["results"][0]
    assert row["masked"] and "*" in row["id_number"] and "*" in row["phone"]
    detail = clerk.get(f"members/{m.pk}/").json()
    assert detail["masked"] and AccessLog.objects.count() == 0
    admin = api_for(personas.town_admin)  # 单位管理员 holds members.view_sensitive
    detail = admin.get(f"members/{m.pk}/").json()
    assert not detail["masked"] and detail["id_number"] == "430121199001010015" and detail["phone"] == "13800138000"
    log = AccessLog.objects.get()
    assert log.user_id == personas.town_admin.pk and log.object_id == str(m.person_id)
    assert api_for(personas.town_admin).get(f"members/{m.pk}/").json()["masked"] is False
    outside = api_for(personas.union_clerk)
    assert outside.get("members/").json()["count"] == 1


def test_join_through_the_service_with_chinese_field_errors(personas, tree, api_for):
    from gonghui.core.models import AuditEvent

    api = api_for(personas.town_clerk)
    r = api.post("members/", {"union_code": "A1", "name": "李四", "id_number": "123", "joined_on": "2026-01-05"})
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == "id_number" and "公民身份号码（id_number）" in r.json()["detail"]
    r = api.post("members/", {"union_code": "B1", "name": "李四", "id_number": ID_A, "joined_on": "2026-01-05"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "union_code"
    r = api.post("members/", {"union_code": "A1", "name": "李四", "id_number": ID_A, "joined_on": "2026-01-05"})
    assert r.status_code == 201, r.json()
    assert r.json()["name"] == "李四" and r.json()["masked"]
    assert AuditEvent.objects.filter(action="members.member.joined").count() == 1
    r = api.post("members/", {"union_code": "A1", "name": "李四", "id_number": ID_A, "joined_on": "2026-01-05"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "id_number"


def _petition(tree):
    return petition_services.petition_register(
        actor=None, org=tree.town_a, channel="visit", received_on=dt.date(2026, 11, 2), title="拖欠工资",
        category="wages", petitioners=[{"name": "王五"}], amount_claimed="12000.50")


def test_petition_transitions_call_the_services(personas, tree, api_for):
    p = _petition(tree)
    api = api_for(personas.town_clerk)
    r = api.get(f"petitions/{p.pk}/")
    assert r.json()["amount_claimed"] == "12000.50" and r.json()["received_on"] == "2026-11-02"
    r = api.post(f"petitions/{p.pk}/accept/", {"notice_on": "2026-11-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "notice_on"
    r = api.post(f"petitions/{p.pk}/accept/", {"notice_on": "2026-11-05", "note": "已电话告知"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = api.post(f"petitions/{p.pk}/accept/", {"notice_on": "2026-11-05"})
    assert r.status_code == 400  # the workflow refuses a second acceptance
    r = api.post(f"petitions/{p.pk}/close/", {"closed_on": "2026-11-06", "satisfaction": "satisfied"})
    assert r.status_code == 400
    reader = api_for(personas.leader)
    assert reader.get(f"petitions/{p.pk}/").status_code == 403  # 查阅 has no petitions.view
    other = api_for(personas.union_clerk)
    assert other.post(f"petitions/{p.pk}/reject/", {"notice_on": "2026-11-05", "reason": "x"}).status_code == 404


def test_register_petition(personas, tree, api_for):
    api = api_for(personas.town_clerk)
    r = api.post("petitions/", {"org_code": "A", "channel": "visit", "received_on": "2026-11-02", "title": "欠薪",
                                "category": "wages", "petitioners": [{"name": "王五"}]})
    assert r.status_code == 201, r.json()
    r = api.post("petitions/", {"org_code": "A", "channel": "visit", "received_on": "2026-11-02", "title": "欠薪",
                                "category": "nonsense", "petitioners": [{"name": "王五"}]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "category"


def test_stats_is_the_commands_json(personas, tree, api_for):
    _join(tree, 2)
    out = io.StringIO()
    call_command("stats", "--org", "A", "--from", "2024-01-01", "--to", "2024-12-31", "--json", stdout=out)
    api = api_for(personas.town_clerk)
    r = api.get("stats/", {"org": "A", "from": "2024-01-01", "to": "2024-12-31"})
    assert r.status_code == 200
    assert r.json() == json.loads(out.getvalue())
    assert api.get("stats/", {"org": "B"}).status_code == 404
    r = api.get("stats/", {"org": "A", "from": "2024-13-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "from"


def test_rate_limit_per_token(personas, tree, api_for, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE = "3/min"
    api = api_for(personas.town_clerk)
    assert [api.get("orgs/").status_code for _ in range(4)] == [200, 200, 200, 429]
    r = api.get("orgs/")
    assert r["Retry-After"] and "频繁" in r.json()["detail"]
    assert api_for(personas.union_clerk).get("orgs/").status_code == 200  # another token has its own budget
    cache.clear()


def test_schema_is_openapi_31_and_docs_are_vendored(client):
    r = client.get("/api/v1/schema/?format=json")
    assert r.status_code == 200
    schema = json.loads(r.content)
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/petitions/{id}/accept/" in schema["paths"]
    page = client.get("/api/v1/docs/").content.decode()
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in page and "https://" not in page


@pytest.mark.parametrize("persona", ["town_admin", "county_admin"])
def test_admin_lists_and_revokes_his_users_tokens(client, personas, persona):
    token, _ = services.token_create(actor=personas.union_clerk, user=personas.union_clerk, name="甲一同步", days=30)
    client.force_login(getattr(personas, persona))
    assert "甲一同步" in client.get("/api/tokens/users/").content.decode()
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_user_creates_sees_once_and_revokes(client, personas):
    client.force_login(personas.union_clerk)
    r = client.post("/api/tokens/", {"name": "我的脚本", "days": "30"})
    text = r.context["created"]
    assert text.startswith("gh_") and text in r.content.decode()
    page = client.get("/api/tokens/").content.decode()
    assert "我的脚本" in page and text not in page
    token = ApiToken.objects.get(user=personas.union_clerk)
    client.force_login(personas.town_clerk)  # not his, not his administrator
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(personas.union_clerk)
    client.post(f"/api/tokens/{token.pk}/revoke/")
    assert services.check(text) is None


def test_hostile_query_parameters_are_refused_not_500(personas, tree, api_for):
    api = api_for(personas.county_admin)
    for path in ("orgs/", "employers/", "members/", "petitions/"):
        assert api.get(path, {"org": "Z\x00"}).status_code == 400, path
        assert api.get(path, {"size": "9" * 30, "status": "\x00" * 99, "q": "\x00", "type": "\x00"}).status_code == 200
    assert api.get("stats/", {"org": "\x00"}).status_code == 404
    r = api.post("petitions/", {"org_code": "A", "channel": "forwarded", "received_on": "2026-11-02", "title": "x",
                                "category": "wages", "petitioners": [{"name": "王五"}], "employer_name": "长" * 201})
    assert r.status_code == 400 and {e["field"] for e in r.json()["errors"]} == {"channel", "employer_name"}
