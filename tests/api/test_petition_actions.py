"""The petition steps the pages offer, as API actions: 转办, 异议退回, 上报, 延期 and its 审批,
复查/复核, 重新办理 (tests/api/test_api.py covers 受理, 答复, 办结)."""

import datetime as dt

from gonghui.core.models import AuditEvent
from gonghui.petitions import services as petition_services


def _petition(tree, org=None):
    return petition_services.petition_register(
        actor=None, org=org or tree.town_a, channel="visit", received_on=dt.date(2026, 11, 2), title="拖欠工资",
        category="wages", petitioners=[{"name": "王五"}])


def test_forward_object_and_report_up(personas, tree, api_for):
    p = _petition(tree)
    town, union, county = (api_for(personas.town_clerk), api_for(personas.union_clerk),
                           api_for(personas.county_admin))
    r = town.post(f"petitions/{p.pk}/forward/", {"to_code": "B1", "on": "2026-11-03"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "to_code"  # not his subordinate
    r = town.post(f"petitions/{p.pk}/forward/", {"to_code": "A1", "on": "2026-11-03", "note": "请办理"})
    assert r.status_code == 200 and r.json()["org"]["code"] == "A1"
    r = union.post(f"petitions/{p.pk}/object/", {"on": "2026-11-04", "reason": ""})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "reason"
    r = union.post(f"petitions/{p.pk}/object/", {"on": "2026-11-04", "reason": "不属于本单位职责"})
    assert r.status_code == 204  # back with 甲镇: out of his scope, no body
    assert union.get(f"petitions/{p.pk}/").status_code == 404
    r = town.post(f"petitions/{p.pk}/report/", {"on": "2026-11-05"})
    assert r.status_code == 200 and r.json()["org"]["code"] == "430121"
    assert town.get(f"petitions/{p.pk}/").status_code == 200  # he follows what he reported up
    assert town.post(f"petitions/{p.pk}/accept/", {"notice_on": "2026-11-06"}).status_code == 404
    assert county.post(f"petitions/{p.pk}/accept/", {"notice_on": "2026-11-06"}).json()["status"] == "accepted"
    assert AuditEvent.objects.filter(action__in=["petitions.petition.forwarded", "petitions.petition.objected",
                                                 "petitions.petition.reported"]).count() == 3


def test_extension_review_and_reopen(personas, tree, api_for):
    p = _petition(tree)
    town, county = api_for(personas.town_clerk), api_for(personas.county_admin)
    assert town.post(f"petitions/{p.pk}/accept/", {"notice_on": "2026-11-03"}).status_code == 200
    due = town.get(f"petitions/{p.pk}/").json()["close_due"]
    r = town.post(f"petitions/{p.pk}/extend/", {"requested_on": "2026-11-10", "reason": "需调取工资记录"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = town.post(f"petitions/{p.pk}/decide_extension/", {"approve": True, "decided_on": "2026-11-11"})
    assert r.status_code == 403  # 业务经办 has no petitions.approve
    r = county.post(f"petitions/{p.pk}/decide_extension/", {"approve": True, "decided_on": "2026-11-11"})
    assert r.status_code == 200 and r.json()["extended"] and r.json()["close_due"] > due
    r = county.post(f"petitions/{p.pk}/decide_extension/", {"approve": False, "decided_on": "2026-11-11"})
    assert r.status_code == 400 and "没有待审批" in r.json()["detail"]
    town.post(f"petitions/{p.pk}/reply/", {"replied_on": "2026-11-20", "result": "support", "summary": "已追回"})
    town.post(f"petitions/{p.pk}/close/", {"closed_on": "2026-11-21", "satisfaction": "basic"})
    r = town.post(f"petitions/{p.pk}/review/", {"requested_on": "2026-11-25"})
    assert r.status_code == 200 and r.json()["status"] == "review"
    r = town.post(f"petitions/{p.pk}/review_reply/", {"replied_on": "2026-11-30", "summary": "维持原答复"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = town.post(f"petitions/{p.pk}/reopen/", {"on": "2026-12-01", "reason": "重新核查"})
    assert r.status_code == 400  # a case in the review procedure is not handled again

    q = _petition(tree)
    town.post(f"petitions/{q.pk}/reject/", {"notice_on": "2026-11-03", "reason": "不属于受理范围"})
    r = town.post(f"petitions/{q.pk}/reopen/", {"on": "2026-11-04", "reason": "补充了材料"})
    assert r.status_code == 200 and r.json()["status"] == "registered"
