"""Attendees picked from the roster, attachments, 安康杯 entries and visits to one person."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.activities import services
from gonghui.activities.models import ActivityAttachment, AnkangEntry, Attendance, PersonVisit
from gonghui.core.errors import ServiceError
from gonghui.core.models import AccessLog
from gonghui.orgs import services as org_services

D = dt.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def test_pick_attendees_from_the_roster_in_scope(client, tree, personas, kinds, people):
    mine, theirs = people(3, tree.union_a1), people(1, tree.union_b1)
    a = services.activity_create(actor=None, org=tree.town_a, kind=kinds["women_training"], title="培训",
                                 start_on=D(2025, 3, 8))
    client.force_login(personas.town_clerk)
    page = client.get(reverse("activities:attendees", args=[a.pk]), {"q": "职工"}).content.decode()
    assert mine[0].name in page and theirs[0].name not in page and mine[0].id_number not in page
    response = client.post(reverse("activities:attendees", args=[a.pk]),
                           {"person": [p.pk for p in mine[:2]], "times": "2"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.persons, a.person_times, a.from_attendance) == (2, 4, True)
    # A person outside the organiser's subtree refuses the whole choice, nothing added.
    response = client.post(reverse("activities:attendees", args=[a.pk]),
                           {"person": [mine[2].pk, theirs[0].pk], "times": "1"})
    assert response.status_code == 400 and "不是本单位（含下级）的在册会员" in response.content.decode()
    assert Attendance.objects.filter(activity=a).count() == 2
    response = client.post(reverse("activities:attendee_remove", args=[a.pk]), {"person": mine[0].pk})
    a.refresh_from_db()
    assert response.status_code == 302 and (a.persons, a.person_times) == (1, 2)


def test_attachments_are_checked_stored_and_downloaded_in_scope(client, tree, personas, kinds, data_dir):
    a = services.activity_create(actor=None, org=tree.union_a1, kind=kinds["lecture"], title="讲座",
                                 start_on=D(2025, 3, 8))
    client.force_login(personas.town_clerk)
    bad = client.post(reverse("activities:attachment_add", args=[a.pk]),
                      {"kind": "photo", "file": SimpleUploadedFile("x.png", b"MZ not a picture")})
    assert bad.status_code == 400 and "文件内容与扩展名" in bad.content.decode()
    exe = client.post(reverse("activities:attachment_add", args=[a.pk]),
                      {"kind": "photo", "file": SimpleUploadedFile("x.exe", PNG)})
    assert "附件须为照片" in exe.content.decode() and not ActivityAttachment.objects.exists()
    ok = client.post(reverse("activities:attachment_add", args=[a.pk]),
                     {"kind": "sign_in", "name": "签到表", "file": SimpleUploadedFile("scan.pdf", PDF)})
    assert ok.status_code == 302
    att = ActivityAttachment.objects.get()
    assert (data_dir / att.file.name).read_bytes() == PDF
    response = client.get(reverse("activities:attachment_open", args=[att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AccessLog.objects.filter(object_type="activities.attachment", object_id=str(att.pk)).exists()
    client.force_login(personas.outsider)
    assert client.get(reverse("activities:attachment_open", args=[att.pk])).status_code in (403, 404)
    with pytest.raises(ServiceError, match="不能超过"):
        big = SimpleUploadedFile("big.png", PNG)
        big.size = services.ATTACHMENT_MAX_BYTES + 1
        services.attachment_add(actor=None, activity=a, file=big)


def test_ankang_entry_once_per_employer_and_year(tree, personas):
    employer = tree.emp["a1"]
    e = services.ankang_enter(actor=personas.town_clerk, org=tree.town_a, employer=employer, year=2025,
                              participants=120, teams=6)
    again = services.ankang_enter(actor=personas.town_clerk, org=tree.town_a, employer=employer, year=2025,
                                  participants=130, teams=6, result="winner")
    assert again.pk == e.pk and AnkangEntry.objects.get().participants == 130
    with pytest.raises(ServiceError, match="年度须在"):
        services.ankang_enter(actor=personas.town_clerk, org=tree.town_a, employer=employer, year=1999)


def test_ankang_and_visit_pages(client, tree, personas, people):
    person = people(1, tree.union_a1)[0]
    client.force_login(personas.town_clerk)
    response = client.post(reverse("activities:visit_create"), {
        "org": "A", "person": person.name, "kind": "warmth", "visited_on": "2025-01-20", "amount": "500"})
    assert response.status_code == 302
    v = PersonVisit.objects.get()
    assert (v.person, v.amount, v.org_path) == (person, 500, tree.town_a.path)
    page = client.get(reverse("activities:visits")).content.decode()
    assert person.name in page and person.id_number not in page
    refused = client.post(reverse("activities:visit_create"), {
        "org": "A", "person": "查无此人", "kind": "warmth", "visited_on": "2025-01-20"})
    assert "未找到会员“查无此人”" in refused.content.decode() and PersonVisit.objects.count() == 1
    response = client.post(reverse("activities:ankang_create"), {
        "org": "A", "employer": tree.emp["a1"].name, "year": "2025", "participants": "80", "teams": "3",
        "result": "part"})
    assert response.status_code == 302 and AnkangEntry.objects.get().participants == 80
    assert tree.emp["a1"].name in client.get(reverse("activities:ankang")).content.decode()


def test_ankang_and_visit_figures_follow_a_move(tree, personas, people):
    from gonghui.core.metrics import compute
    from gonghui.core.periods import Period

    a, b = people(2, tree.union_a1)
    for person, day in ((a, D(2025, 1, 10)), (a, D(2025, 2, 10)), (b, D(2025, 2, 11))):
        services.person_visit_create(actor=None, org=tree.union_a1, person=person, kind="warmth", visited_on=day,
                                     amount="300")
    services.ankang_enter(actor=None, org=tree.union_a1, employer=tree.emp["a1"], year=2025, participants=50,
                          result="winner")
    year = Period(D(2025, 1, 1), D(2025, 12, 31))
    v = {code: compute(f"activities.{code}", tree.root, year).value
         for code in ("person_visits", "persons_visited", "visit_amount", "ankang_employers", "ankang_participants",
                      "ankang_winners")}
    assert v == {"person_visits": 3, "persons_visited": 2, "visit_amount": 900, "ankang_employers": 1,
                 "ankang_participants": 50, "ankang_winners": 1}
    # The union moves to town B on 1 Feb: January's visit stays with town A, the rest follow.
    org_services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=D(2025, 2, 1))
    assert compute("activities.person_visits", tree.town_a, year).value == 1
    assert compute("activities.person_visits", tree.town_b, year).value == 2
    assert compute("activities.ankang_employers", tree.town_b, year).value == 1


def test_visits_and_ankang_in_the_summary(tree, people):
    """Visits and the 安康杯 have sentences of their own in the seeds' words, and the section leaves
    out the clauses its figures would otherwise make (the numbers are said once)."""
    from gonghui.core.metrics import SENTENCES
    from gonghui.core.periods import Period
    from gonghui.reports import figures as F
    from gonghui.reports.summary import section_paragraphs

    a, b = people(2, tree.union_a1)
    for person, kind, day, amount in ((a, "warmth", D(2025, 1, 10), "300"), (a, "warmth", D(2025, 2, 10), "300"),
                                      (b, "warmth", D(2025, 2, 11), "400"), (b, "illness", D(2025, 3, 1), None)):
        services.person_visit_create(actor=None, org=tree.union_a1, person=person, kind=kind, visited_on=day,
                                     amount=amount)
    services.ankang_enter(actor=None, org=tree.union_a1, employer=tree.emp["a1"], year=2025, participants=50,
                          result="winner")
    services.ankang_enter(actor=None, org=tree.union_b1, employer=tree.emp["b1"], year=2025, participants=30,
                          result="part")
    year = Period.year(2025)
    assert SENTENCES["走访慰问"](tree.root, year) == [
        "走访慰问职工2人、4人次，发放慰问金1,000.00元，其中送温暖2人、3人次，发放慰问金1,000.00元；生病住院慰问1人。"]
    assert SENTENCES["安全生产监督"](tree.root, year) == [
        "组织职工参加“安康杯”竞赛活动，参赛企业2家、参赛职工80人，其中获评优胜单位1家。"]
    assert SENTENCES["走访慰问"](tree.root, Period.year(2024)) == []
    assert SENTENCES["安全生产监督"](tree.root, Period.year(2024)) == []
    groups = F.figures(tree.root, year, compare=False)
    visits = "".join(section_paragraphs(tree.root, year, groups["走访慰问"]))
    safety = "".join(section_paragraphs(tree.root, year, groups["安全生产监督"]))
    assert visits.count("4人次") == 1 and "参赛职工80人" in safety and safety.count("安康杯") == 1
