"""The congress vote on a contract draft recorded at a 民主管理 session (issue 20): the date and the
delegates come from the session, the vote is that session's agenda item (议案), a session below
quorum cannot vote, and only the congresses of the contract's employers are offered."""

import datetime as dt

import pytest

from gonghui.bargaining import services as s
from gonghui.bargaining.models import Status, Vote
from gonghui.core.errors import ServiceError
from gonghui.democracy import services as democracy
from gonghui.democracy.models import Motion

from ..democracy.conftest import make_congress
from .conftest import drive

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(tree):
    congress, _term, _ds = make_congress(tree, "a1")  # 30 delegates
    return drive(tree, Status.VOTING), congress


def test_a_vote_at_a_session_takes_its_delegates_and_is_its_agenda_item(tree, voting):
    c, congress = voting
    session = democracy.session_record(actor=None, congress=congress, held_on=D(2026, 3, 27), delegates_present=24)
    vote = s.vote_record(actor=None, contract=c, session=session, votes_for=20, votes_against=3, abstentions=1)
    c.refresh_from_db()
    assert c.status == Status.PASSED
    assert (vote.held_on, vote.total, vote.present, vote.passed, vote.session) == (D(2026, 3, 27), 30, 24, True, session)
    motion = Motion.objects.get(session=session)
    assert motion.title == f"{c.title}（草案）" and motion.passed and motion.votes_for == 20


def test_a_session_below_quorum_cannot_vote_and_nothing_is_saved(tree, voting):
    c, congress = voting
    session = democracy.session_record(actor=None, congress=congress, held_on=D(2026, 3, 27), delegates_present=19)
    with pytest.raises(ServiceError) as err:
        s.vote_record(actor=None, contract=c, session=session, votes_for=19)
    assert err.value.field == "session" and "不能进行表决" in str(err.value)
    c.refresh_from_db()
    assert c.status == Status.VOTING and not Vote.objects.exists() and not Motion.objects.exists()


def test_a_failed_vote_at_a_session_sends_the_draft_back(tree, voting):
    c, congress = voting
    session = democracy.session_record(actor=None, congress=congress, held_on=D(2026, 3, 27), delegates_present=30)
    vote = s.vote_record(actor=None, contract=c, session=session, votes_for=15, votes_against=15)
    c.refresh_from_db()
    assert not vote.passed and c.status == Status.NEGOTIATING and not Motion.objects.get().passed


def test_another_employers_session_is_refused(tree, voting):
    c, _congress = voting
    other, _t, _d = make_congress(tree, "b1")
    session = democracy.session_record(actor=None, congress=other, held_on=D(2026, 3, 27), delegates_present=30)
    with pytest.raises(ServiceError) as err:
        s.vote_record(actor=None, contract=c, session=session, votes_for=20)
    assert err.value.field == "session"


def test_a_regional_congress_covering_the_employer_may_vote(tree, voting):
    c, _congress = voting
    regional = democracy.congress_create(actor=None, org=tree.town_a, name="甲镇区域性职代会", scope_kind="regional",
                                         established_on=D(2025, 1, 1), employers=[tree.emp["a1"], tree.emp["a3"]])
    term = democracy.term_open(actor=None, congress=regional, number=1, started_on=D(2025, 1, 1),
                               ends_on=D(2029, 12, 31), staff=130)
    for i in range(3):
        democracy.delegate_add(actor=None, term=term, name=f"区域代表{i}", gender="F", constituency="甲镇")
    session = democracy.session_record(actor=None, congress=regional, held_on=D(2026, 3, 27), delegates_present=3)
    vote = s.vote_record(actor=None, contract=c, session=session, votes_for=2)
    assert vote.passed and vote.total == 3


def test_the_step_offers_the_employers_sessions_and_records_the_vote(client, tree, personas, voting):
    c, congress = voting
    mine = democracy.session_record(actor=None, congress=congress, held_on=D(2026, 3, 27), delegates_present=28)
    other, _t, _d = make_congress(tree, "b1")
    democracy.session_record(actor=None, congress=other, held_on=D(2026, 3, 26), delegates_present=30)
    client.force_login(personas.union_clerk)
    page = client.get(f"/bargaining/{c.pk}/").content.decode()
    assert f'value="{mine.pk}"' in page and "乙一" not in page.split('name="vote-session"')[1].split("</select>")[0]
    r = client.post(f"/bargaining/{c.pk}/step/vote/", {"vote-session": mine.pk, "vote-body": "congress",
                                                        "vote-votes_for": "25", "vote-votes_against": "0",
                                                        "vote-abstentions": "0"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.PASSED and c.votes.get().session == mine
    page = client.get(f"/bargaining/{c.pk}/").content.decode()
    assert congress.name in page


def test_without_a_session_the_figures_must_be_given(tree, voting):
    c, _congress = voting
    with pytest.raises(ServiceError) as err:
        s.vote_record(actor=None, contract=c, held_on=D(2026, 3, 27), body="congress", present=20, votes_for=20)
    assert err.value.field == "total"
