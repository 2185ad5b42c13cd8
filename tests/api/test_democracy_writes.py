"""Democracy's writes through the API: the congress page's steps, 提案 filing and feedback, 厂务公开 and
its opinions, each through the line's services (the same audit entry; a refusal saves nothing and
names the body's field; out of scope is 404). Permissions per persona are in test_matrix.py."""

from gonghui.core.models import AuditEvent
from gonghui.democracy.models import Congress, Delegate, Disclosure, Opinion, Proposal, Resolution
from tests.conftest import make_user

from . import line_objects, read_objects


def _refused(r, field):
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json", r.content.decode()
    assert r.json()["errors"][0]["field"] == field, r.json()


def test_a_congress_from_its_founding_to_a_vote(personas, tree, api_for):
    api = api_for(personas.town_clerk)
    emp = tree.emp["a1"]
    r = api.post("congresses/", {"org_code": "A1", "name": "甲一公司第一届职工代表大会", "established_on": "2024-01-10",
                                 "employer_id": tree.emp["b1"].pk})
    _refused(r, "employer_id")  # not an employer 甲一's union covers
    assert not Congress.objects.exists()
    r = api.post("congresses/", {"org_code": "A1", "name": "甲一公司第一届职工代表大会", "established_on": "2024-01-10",
                                 "employer_id": emp.pk})
    assert r.status_code == 201, r.content.decode()
    cid = r.json()["id"]
    assert r.json()["employer"]["id"] == emp.pk and r.json()["terms"] == []
    assert AuditEvent.objects.filter(action="democracy.congress.created", object_id=str(cid)).count() == 1
    _refused(api.post(f"congresses/{cid}/terms/", {"number": 1, "started_on": "2024-01-10", "ends_on": "2023-01-09",
                                                   "staff": emp.headcount}), "ends_on")
    r = api.post(f"congresses/{cid}/terms/", {"number": 1, "started_on": "2024-01-10", "ends_on": "2029-01-09",
                                              "staff": 30, "women_staff": 0})
    assert r.status_code == 200, r.content.decode()
    term = r.json()["terms"][0]
    for i in range(3):
        r = api.post(f"congresses/{cid}/delegates/", {"name": f"代表{i}", "gender": "M", "constituency": "一车间",
                                                      "is_frontline": True})
        assert r.status_code == 200, r.content.decode()
    r = api.post(f"congresses/{cid}/confirm/", {"term_id": term["id"]})
    assert r.status_code == 200
    confirmed = r.json()["terms"][0]
    assert confirmed["delegates"] == 3 and confirmed["list_status"] == "draft" and confirmed["violations"]
    assert AuditEvent.objects.filter(action="democracy.term.drafted").count() == 1
    _refused(api.post(f"congresses/{cid}/confirm/", {"term_id": term["id"] + 1000}), "term_id")
    _refused(api.post(f"congresses/{cid}/sessions/", {"held_on": "2024-03-01", "delegates_present": 4}),
             "delegates_present")  # more than the 3 delegates
    r = api.post(f"congresses/{cid}/sessions/", {"held_on": "2024-03-01", "delegates_present": 3})
    assert r.status_code == 200, r.content.decode()
    sid = api.get("congress-sessions/", {"congress": cid}).json()["results"][0]["id"]
    r = api.post(f"congress-sessions/{sid}/motions/", {"title": "工资调整方案", "votes_for": 2, "votes_against": 1})
    assert r.status_code == 200, r.content.decode()
    assert r.json()["motions"][0]["passed"] is True
    _refused(api.post(f"congress-sessions/{sid}/motions/", {"title": "超票", "votes_for": 3, "abstentions": 1}),
             "votes_for")
    assert AuditEvent.objects.filter(action="democracy.motion.voted").count() == 1
    r = api.post(f"congresses/{cid}/resolutions/", {"title": "关于工资调整的决议", "adopted_on": "2024-03-01",
                                                    "session_id": sid})
    assert r.status_code == 200 and api.get(f"congress-sessions/{sid}/").json()["resolutions"][0]["title"] \
        == "关于工资调整的决议"
    _refused(api.post(f"congresses/{cid}/resolutions/", {"title": "无会议", "adopted_on": "2024-03-02"}), "session_id")
    assert Resolution.objects.count() == 1
    r = api.post(f"congresses/{cid}/board_members/", {"seat": "director", "name": "张董", "elected_on": "2024-03-01",
                                                      "session_id": sid})
    assert r.status_code == 200 and r.json()["board_members"][0]["name"] == "张董"
    r = api.post(f"congress-sessions/{sid}/evaluations/", {"name": "李总", "position": "总经理", "level": "leader",
                                                           "excellent": 3})
    assert r.status_code == 200 and r.json()["evaluations"] is None  # 业务经办 sees no results
    assert AuditEvent.objects.filter(action="democracy.evaluation.recorded").count() == 1
    r = api.post(f"congresses/{cid}/end/", {"ended_on": "2023-01-01"})
    _refused(r, "ended_on")  # before its founding
    assert api.post(f"congresses/{cid}/end/", {"ended_on": "2026-01-01"}).json()["ended_on"] == "2026-01-01"


def test_a_proposal_filed_answered_and_closed(personas, tree, api_for):
    line_objects.democracy(tree, personas)
    objs = read_objects.democracy(tree)
    (mine, _), (theirs, _) = objs["congress"]
    delegates = [d["id"] for d in api_for(personas.county_admin).get("delegates/", {"congress": mine}).json()["results"]]
    other = api_for(personas.county_admin).get("delegates/", {"congress": theirs}).json()["results"][0]["id"]
    api = api_for(personas.town_clerk)
    before = Proposal.objects.count()
    _refused(api.post("proposals/", {"congress_id": mine, "title": "夜班津贴", "content": "多年未调整。", "category": "pay",
                                     "proposer_id": other, "filed_on": "2026-03-02"}), "proposer_id")
    _refused(api.post("proposals/", {"congress_id": theirs, "title": "夜班津贴", "content": "多年未调整。",
                                     "category": "pay", "proposer_id": other, "filed_on": "2026-03-02"}), "congress_id")
    assert Proposal.objects.count() == before
    r = api.post("proposals/", {"congress_id": mine, "title": "夜班津贴", "content": "多年未调整。", "category": "pay",
                                "proposer_id": delegates[0], "cosigner_ids": delegates[1:], "filed_on": "2026-03-02"})
    assert r.status_code == 201, r.content.decode()
    pid = r.json()["id"]
    assert r.json()["status"] == "filed" and r.json()["number"].startswith("2026-")
    assert AuditEvent.objects.filter(action="democracy.proposal.filed", object_id=str(pid)).count() == 1
    for step, data in (("accept", {"decided_on": "2026-03-05"}),
                       ("assign", {"assigned_on": "2026-03-06", "lead_dept": "人力资源部"}),
                       ("answer", {"answered_on": "2026-03-20", "answer": "已调整。", "result_code": "A"})):
        assert api.post(f"proposals/{pid}/{step}/", data).status_code == 200, step
    _refused(api.post(f"proposals/{pid}/feedback/", {"delegate_id": delegates[1], "feedback": "satisfied",
                                                     "feedback_on": "2026-03-25"}), "delegate_id")
    r = api.post(f"proposals/{pid}/feedback/", {"delegate_id": delegates[0], "feedback": "satisfied",
                                                "feedback_on": "2026-03-25"})
    assert r.status_code == 200, r.content.decode()
    assert r.json()["status"] == "closed"
    assert AuditEvent.objects.filter(action="democracy.proposal.feedback").count() == 1


def test_a_disclosure_its_opinion_and_the_answer(personas, tree, api_for):
    api = api_for(personas.town_clerk)
    body = {"org_code": "A1", "kind": "workplace", "employer_id": tree.emp["a1"].pk, "form": "board", "issue_no": 1,
            "disclosed_on": "2026-04-01", "title": "2026年第一季度厂务公开"}
    _refused(api.post("disclosures/", {**body, "items": []}), "items")
    _refused(api.post("disclosures/", {**body, "org_code": "B1",
                                       "items": [{"category": "operations", "title": "经营"}]}), "org_code")
    assert not Disclosure.objects.exists()
    r = api.post("disclosures/", {**body, "items": [{"category": "operations", "title": "生产经营情况"}]})
    assert r.status_code == 201, r.content.decode()
    did = r.json()["id"]
    assert r.json()["item_count"] == 1 and r.json()["items"][0]["title"] == "生产经营情况"
    _refused(api.post("disclosures/", {**body, "items": [{"category": "operations", "title": "重复"}]}), "issue_no")
    r = api.post(f"disclosures/{did}/opinions/", {"raised_on": "2026-04-02", "raised_by": "一车间", "content": "加班费？"})
    assert r.status_code == 200 and r.json()["opinions"][0]["answer"] == ""
    oid = Opinion.objects.get().pk
    _refused(api.post(f"disclosures/{did}/reply/", {"opinion_id": oid, "answered_on": "2026-04-01", "answer": "按规定"}),
             "answered_on")
    r = api.post(f"disclosures/{did}/reply/", {"opinion_id": oid, "answered_on": "2026-04-05", "answer": "按规定支付。"})
    assert r.status_code == 200 and r.json()["opinions"][0]["answered_on"] == "2026-04-05"
    assert AuditEvent.objects.filter(action="democracy.opinion.answered").count() == 1
    _refused(api.post(f"disclosures/{did}/reply/", {"opinion_id": oid, "answered_on": "2026-04-05", "answer": "再答"}),
             "opinion_id")  # answered: no longer among the open opinions
    # out of scope: 乙's clerk finds neither 甲's record nor 甲's union, and nothing is saved
    b_clerk = api_for(make_user("b_clerk", tree.town_b, "业务经办"))
    r = b_clerk.post(f"disclosures/{did}/opinions/", {"raised_on": "2026-04-02", "raised_by": "乙", "content": "越界"})
    assert r.status_code == 404 and Opinion.objects.count() == 1


def test_removing_a_delegate_as_the_congress_page_does(personas, tree, api_for):
    line_objects.make(tree, personas)
    mine, theirs = (Congress.objects.get(org=u) for u in (tree.union_a1, tree.union_b1))
    api = api_for(personas.town_clerk)
    proposer = Proposal.objects.get(congress=mine).proposer
    _refused(api.post(f"congresses/{mine.pk}/remove_delegate/", {"delegate_id": proposer.pk}), "delegate_id")
    assert Delegate.objects.filter(pk=proposer.pk).exists()  # 已提出提案，不能删除
    other = Delegate.objects.filter(term__congress=theirs).first()
    _refused(api.post(f"congresses/{mine.pk}/remove_delegate/", {"delegate_id": other.pk}), "delegate_id")
    assert api.post(f"congresses/{theirs.pk}/remove_delegate/", {"delegate_id": other.pk}).status_code == 404
    gone = Delegate.objects.filter(term__congress=mine).exclude(pk=proposer.pk).first()
    r = api.post(f"congresses/{mine.pk}/remove_delegate/", {"delegate_id": gone.pk})
    assert r.status_code == 200, r.content.decode()
    assert not Delegate.objects.filter(pk=gone.pk).exists() and r.json()["terms"][0]["list_status"] == "draft"
    entry = AuditEvent.objects.get(action="democracy.delegate.removed")
    assert (entry.object_id, entry.actor_name) == (str(gone.pk), "town_clerk")
    assert api.get(f"delegates/{gone.pk}/").status_code == 404
