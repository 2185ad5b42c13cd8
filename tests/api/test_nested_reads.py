"""The read resources of the rows honours and activities showed only inside a parent's page
(tests/api/nested_reads.py): what their rows say (money and scores as
strings, persons masked, in full only for a holder of members.view_sensitive and then
access-logged, a survey's result but no one's answers). Their scope for every persona and their
queries: tests/api/test_line_reads.py, over these reads too."""

import datetime as dt

from gonghui.core import scope
from gonghui.core.models import AccessLog

from . import nested_reads


def test_honour_rows_say_what_the_honour_page_says(tree, personas, api_for):
    nested_reads.make(tree, personas)
    api = api_for(personas.town_clerk)  # 甲镇: one of each
    steps = api.get("honour-steps/").json()["results"]
    # the newest first: the 回头看 added its own steps after 命名
    assert [s["status"] for s in steps][::-1][:5] == ["applied", "self", "review", "notice", "named"]
    assert steps[0]["status_label"] and dt.date.fromisoformat(steps[0]["on"])
    honour = steps[0]["honour"]
    assert [s["honour"] for s in api.get("honour-steps/", {"honour": honour, "status": "applied"}).json()["results"]] \
        == [honour]
    scores = api.get("honour-scores/", {"honour": honour}).json()["results"]
    assert sorted(s["score"] for s in scores) == ["18.00", "19.50", "55.00"]
    assert {s["indicator_name"] for s in scores} == {"依法选举", "机构健全", "服务职工"}
    recheck = api.get("honour-rechecks/").json()["results"][0]
    assert recheck["honour"] == honour and recheck["outcome_label"] == "保留"
    system = api.get("indicator-systems/").json()["results"][0]
    weights = {i["name"]: (i["weight"], i["depth"]) for i in system["indicators"]}
    assert weights["组织建设"] == ("40.00", 1) and weights["依法选举"] == ("20.00", 2)
    assert system["total"] == "100.00" and system["org"]["code"] == "A"
    entry = api.get("contest-entries/").json()["results"][0]
    assert (entry["name"], entry["event_name"], entry["score"], entry["prize"]) == ("选手", "电工", "95.50", "1000.00")
    assert "id_number" not in entry and "person" not in entry
    level = api.get("title-levels/").json()["results"][0]
    assert level["treatment"] == "provincial" and level["valid_to"] is None and level["worker"]


def test_a_survey_shows_its_result_and_no_ones_answers(tree, personas, api_for):
    nested_reads.make(tree, personas)
    api = api_for(personas.town_clerk)
    survey = api.get("surveys/").json()["results"][0]
    # 4 answers: 满意 2, 基本满意 1, 不满意 1 -> 75% < 80%, as the survey page says
    assert (survey["forms"], survey["good"], survey["valid"], survey["rate"], survey["passed"]) == (2, 3, 4, "75.00",
                                                                                                     False)
    assert survey["items"] == ["维护权益", "服务职工"]
    forms = api.get("survey-responses/", {"survey": survey["id"]}).json()["results"]
    assert len(forms) == 2 and all(set(f) == {"id", "survey", "online"} for f in forms)
    assert api.get("survey-responses/", {"online": "true"}).json()["results"] == []


def test_persons_are_masked_and_shown_in_full_only_with_the_permission_and_logged(tree, personas, api_for):
    nested_reads.make(tree, personas)
    clerk = api_for(personas.town_clerk)  # 业务经办: no members.view_sensitive
    admin = api_for(personas.town_admin)
    assert scope.has_perm(personas.town_admin, "members.view_sensitive", tree.union_a1.path)
    assert not scope.has_perm(personas.town_clerk, "members.view_sensitive", tree.union_a1.path)
    for url in ("attendance/", "person-visits/"):
        row = clerk.get(url).json()["results"][0]
        assert row["masked"] and "*" in row["id_number"] and "*" in row["phone"] and row["name"] == "参训会员"
        assert admin.get(url).json()["results"][0]["masked"]  # a list is always masked
        before = AccessLog.objects.count()
        assert clerk.get(f"{url}{row['id']}/").json()["masked"] and AccessLog.objects.count() == before
        full = admin.get(f"{url}{row['id']}/").json()
        assert not full["masked"] and "*" not in full["id_number"] and full["phone"] == "13800138000"
        log = AccessLog.objects.order_by("-pk").first()
        assert AccessLog.objects.count() == before + 1 and log.user_id == personas.town_admin.pk
        assert log.object_type == "members.person" and log.fields == ["id_number", "phone"]
    visit = clerk.get("person-visits/").json()["results"][0]
    assert visit["amount"] == "500.00" and visit["kind_label"] == "送温暖"
    attendance = clerk.get("attendance/").json()["results"][0]
    assert attendance["times"] == 2 and attendance["kind"] == "women_training"


def test_activity_rows_posts_and_kinds(tree, personas, api_for):
    nested_reads.make(tree, personas)
    api = api_for(personas.town_clerk)
    att = api.get("activity-attachments/").json()["results"][0]
    assert att["name"] == "培训照片" and att["size"] > 0 and att["kind_label"] == "活动照片"
    assert att["download_url"].endswith(f"/activities/attachments/{att['id']}/")
    assert "file" not in att
    day = api.get("post-visit-days/", {"from": "2025-03-02", "to": "2025-03-02"}).json()["results"]
    assert len(day) == 1 and day[0]["visits"] == 12
    assert api.get("post-visit-days/", {"from": "2025-03-03"}).json()["results"] == []
    shift = api.get("volunteer-shifts/").json()["results"][0]
    assert shift["hours"] == "2.5" and shift["volunteer"] == "志愿者"
    kinds = api.get("activity-kinds/", {"size": 200}).json()["results"]
    assert "lecture" in {k["code"] for k in kinds} and all(k["active"] for k in api.get(
        "activity-kinds/", {"active": "true", "size": 200}).json()["results"])
    r = api.get("activity-kinds/", {"section": "nonsense"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "section"
