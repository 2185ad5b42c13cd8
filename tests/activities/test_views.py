import datetime as dt
import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.activities import services
from gonghui.activities.models import Activity, ActivityAttachment, ActivityKind, Attendance, Finding
from gonghui.core import clock
from gonghui.core.models import AuditEvent
from tests.conftest import make_user

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


def test_detail_pages_show_their_history(client, tree, personas, kinds, people):
    a = services.activity_create(actor=personas.town_clerk, org=tree.union_a1, kind=kinds["women_training"],
                                 title="女职工培训班", start_on=D(2025, 3, 8))
    services.attendance_set(actor=personas.town_clerk, activity=a, people=[(p, 1) for p in people(2)])
    insp = services.inspection_create(actor=personas.town_clerk, org=tree.town_a, kind="patrol",
                                      inspected_on=D(2025, 5, 10),
                                      findings=[{"kind": "problem", "description": "通道堵塞", "due_on": D(2025, 5, 20)}])
    services.finding_close(actor=personas.town_clerk, finding=insp.findings.get(), closed_on=D(2025, 5, 15))
    post = services.post_create(actor=personas.town_clerk, org=tree.town_a, type="library", name="职工书屋",
                                opened_on=D(2025, 1, 1))
    services.post_visits_record(actor=personas.town_clerk, post=post, on=D(2025, 2, 1), visits=52)
    client.force_login(personas.town_clerk)
    who = personas.town_clerk.get_username()
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "办理记录" in page and f"{who}：登记活动" in page and f"{who}：登记活动签到名单" in page
    page = client.get(reverse("activities:inspection_detail", args=[insp.pk])).content.decode()
    # The inspection's own entry and its finding's: added (with the inspection) and closed.
    assert f"{who}：登记安全监督检查" in page and f"{who}：登记检查发现问题" in page and f"{who}：问题整改完成" in page
    page = client.get(reverse("activities:post_detail", args=[post.pk])).content.decode()
    assert f"{who}：登记服务阵地" in page and f"{who}：登记阵地服务人次" in page
    # Another record's entries are not shown.
    other = services.activity_create(actor=personas.town_clerk, org=tree.union_a1, kind=kinds["lecture"],
                                     title="讲座", start_on=D(2025, 3, 9))
    page = client.get(reverse("activities:detail", args=[other.pk])).content.decode()
    assert "登记活动签到名单" not in page


def test_delete_an_activity_entered_by_mistake(client, tree, personas, kinds, people, settings, tmp_path,
                                               django_capture_on_commit_callbacks):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}

    a = services.activity_create(actor=None, org=tree.union_a1, kind=kinds["women_training"], title="误登记的培训",
                                 start_on=D(2025, 3, 8))
    services.attendance_set(actor=None, activity=a, people=[(p, 1) for p in people(2)])
    att = services.attachment_add(actor=None, activity=a,
                                  file=SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64))
    stored = att.file.path
    client.force_login(personas.town_clerk)
    url = reverse("activities:delete", args=[a.pk])
    # Not ticked: nothing deleted, the page says why.
    response = client.post(url, follow=True)
    assert "请先勾选“确认删除”" in response.content.decode() and Activity.objects.filter(pk=a.pk).exists()
    # Out of scope: 404, as if it did not exist.
    client.force_login(make_user("b_clerk", tree.town_b, "业务经办"))
    assert client.post(url, {"confirm": "1"}).status_code == 404
    client.force_login(personas.town_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(url, {"confirm": "1"})
    assert with_commit.status_code == 302 and with_commit.url == reverse("activities:index")
    assert not Activity.objects.filter(pk=a.pk).exists()
    assert not Attendance.objects.exists() and not ActivityAttachment.objects.exists()
    assert AuditEvent.objects.filter(action="activities.activity.deleted", object_id=str(a.pk)).exists()
    assert not os.path.exists(stored)  # the attachment's file went with it


def test_inspection_list_exports_as_filtered_in_scope(client, tree, personas):
    today = clock.today()
    late = {"kind": "hazard", "description": "消防通道堵塞", "due_on": today - dt.timedelta(days=3)}
    services.inspection_create(actor=None, org=tree.union_a1, kind="patrol", inspected_on=today - dt.timedelta(days=10),
                               employer_name="甲厂", inspectors=5, suggestions=2,
                               findings=[late, {"kind": "problem", "description": "现场已改", "on_spot": True}])
    services.inspection_create(actor=None, org=tree.union_a1, kind="supervision", inspected_on=today, employer_name="乙厂")
    services.inspection_create(actor=None, org=tree.union_b1, kind="patrol", inspected_on=today, employer_name="丙厂")
    client.force_login(personas.town_clerk)
    response = client.get(reverse("activities:inspections_export"), {"kind": "patrol"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:3] == ("检查日期", "检查类型", "被检查单位") and len(rows) == 2  # 丙厂 is out of scope
    assert rows[1][1:3] == ("职工代表巡视", "甲厂") and rows[1][5:10] == (5, 2, 2, 1, 1)
    # A node out of scope is a 404, as one that does not exist.
    assert client.get(reverse("activities:inspections_export"), {"org": tree.town_b.code}).status_code == 404


def test_publicity_list_exports_as_filtered_in_scope(client, tree, personas):
    services.publicity_create(actor=None, org=tree.union_a1, kind="bulletin", title="工运信息第3期",
                              published_on=D(2025, 3, 1), outlet="县总工会", issue_no="003", entries=14)
    services.publicity_create(actor=None, org=tree.union_a1, kind="news", title="通讯", published_on=D(2025, 3, 2))
    services.publicity_create(actor=None, org=tree.union_b1, kind="bulletin", title="乙的信息", published_on=D(2025, 3, 3))
    client.force_login(personas.town_clerk)
    response = client.get(reverse("activities:publicity_export"), {"kind": "bulletin"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 2  # the news item is filtered out, 乙's bulletin is out of scope
    assert rows[1][1:6] == ("工运信息", "工运信息第3期", "县总工会", "003", 14)


def test_post_list_exports_as_filtered_in_scope(client, tree, personas):
    today = clock.today()
    post = services.post_create(actor=None, org=tree.union_a1, type="library", name="甲一书屋", opened_on=D(2024, 1, 1),
                                rooms=2)
    services.post_visits_record(actor=None, post=post, on=today, visits=52)
    services.post_visits_record(actor=None, post=post, on=D(2024, 6, 1), visits=9)  # another year
    services.post_create(actor=None, org=tree.union_a1, type="centre", name="甲一服务站", opened_on=D(2024, 1, 1))
    services.post_create(actor=None, org=tree.union_b1, type="library", name="乙一书屋", opened_on=D(2024, 1, 1))
    client.force_login(personas.town_clerk)
    response = client.get(reverse("activities:posts_export"), {"type": "library"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][:3] == ("甲一书屋", "职工书屋", tree.union_a1.code)
    assert rows[1][6] == 2 and rows[1][10] == 52
