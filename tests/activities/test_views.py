import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from gonghui.activities import services
from gonghui.activities.models import Activity, ActivityKind, Finding

D = dt.date


def test_register_an_activity_and_a_refused_form_keeps_its_input(client, tree, personas, kinds):
    client.force_login(personas.town_clerk)
    data = {"org": "A1", "kind": kinds["women_training"].pk, "title": "女职工培训班", "start_on": "2025-03-08",
            "sessions": "2", "persons": "60", "person_times": "50"}
    response = client.post(reverse("activities:create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "人次（50）不能少于人数（60）" in page and "女职工培训班" in page
    response = client.post(reverse("activities:create"), {**data, "person_times": "110"})
    a = Activity.objects.get()
    assert response.status_code == 302 and (a.org, a.persons, a.person_times) == (tree.union_a1, 60, 110)
    # Out of scope by code: the same message as a code that does not exist.
    response = client.post(reverse("activities:create"), {**data, "org": "B1", "person_times": "110"})
    assert "未找到编码为“B1”的组织，或不在您的管理范围内" in response.content.decode()
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "女职工培训班" in page and "110 人次" in page


def test_list_filters_totals_and_export(client, tree, personas, kinds):
    for org, kind, n in ((tree.union_a1, "women_training", 30), (tree.union_a2, "lecture", 20),
                         (tree.union_b1, "lecture", 70)):
        services.activity_create(actor=None, org=org, kind=kinds[kind], title=f"{kind}{n}", start_on=D(2025, 4, 1),
                                 person_times=n)
    client.force_login(personas.town_clerk)
    page = client.get(reverse("activities:index"), {"kind": "lecture"}).content.decode()
    assert "lecture20" in page and "lecture70" not in page and "women_training30" not in page
    assert "20 人次" in page  # the filtered list's total
    response = client.get(reverse("activities:export"), {"kind": "lecture"})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.values)
    assert rows[0][:4] == ("主办单位编码", "主办单位", "活动类型", "活动名称") and len(rows) == 2


def test_kinds_page_adds_a_kind_without_code(client, personas):
    client.force_login(personas.county_admin)
    response = client.post(reverse("activities:kind_create"), {
        "code": "reading_club", "name": "读书会", "section": "culture", "has_sessions": "on", "session_word": "场",
        "has_person_times": "on", "item_word": "项", "verb": "参加", "order": "5", "active": "on"})
    assert response.status_code == 302
    assert ActivityKind.objects.get(code="reading_club").carried() == [("sessions", "期数/场次", "场"),
                                                                     ("person_times", "人次", "人次")]
    assert "读书会" in client.get(reverse("activities:kinds")).content.decode()
    client.force_login(personas.town_clerk)
    assert client.get(reverse("activities:kind_create")).status_code == 403


def test_service_post_visits_and_inspection_rectification_pages(client, tree, personas):
    client.force_login(personas.town_clerk)
    response = client.post(reverse("activities:post_create"), {"org": "A", "type": "library", "name": "职工书屋",
                                                                "rooms": "1", "opened_on": "2025-01-01"})
    post = tree.town_a.service_posts.get()
    assert response.status_code == 302
    client.post(reverse("activities:post_visits", args=[post.pk]), {"on": "2025-02-01", "visits": "52"})
    assert "52" in client.get(reverse("activities:post_detail", args=[post.pk])).content.decode()
    insp = services.inspection_create(actor=None, org=tree.town_a, kind="patrol", inspected_on=D(2025, 5, 10),
                                      findings=[{"kind": "problem", "description": "通道堵塞", "due_on": D(2025, 5, 20)}])
    f = insp.findings.get()
    response = client.post(reverse("activities:finding_close", args=[f.pk]), {f"f{f.pk}-closed_on": "2025-05-01"})
    assert response.status_code == 400 and "不能早于发现日期2025-05-10" in response.content.decode()
    response = client.post(reverse("activities:finding_close", args=[f.pk]), {f"f{f.pk}-closed_on": "2025-05-15"})
    assert response.status_code == 302 and Finding.objects.get().closed_on == D(2025, 5, 15)
