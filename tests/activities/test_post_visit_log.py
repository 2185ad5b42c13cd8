"""Issue 22: a service post's visit log as daily counts or individual visits. A day entered one by
one counts its visits (never typed), a day is counted one way only, and the figure reads both."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.activities import services
from gonghui.activities.models import PostVisit, PostVisitDay
from gonghui.core.errors import ServiceError
from gonghui.core.metrics import compute
from gonghui.core.periods import Period

D = dt.date
Y2025 = Period(D(2025, 1, 1), D(2025, 12, 31))


def _post(tree):
    return services.post_create(actor=None, org=tree.town_a, type="centre", name="职工服务中心", opened_on=D(2024, 1, 1))


def test_individual_visits_set_the_days_count_and_days_are_counted_one_way(tree):
    post = _post(tree)
    services.post_visit_log(actor=None, post=post, on=D(2025, 3, 1), visitor="张三", service="法律咨询")
    services.post_visit_log(actor=None, post=post, on=D(2025, 3, 1), visitor="李四")
    day = PostVisitDay.objects.get(post=post, on=D(2025, 3, 1))
    assert (day.visits, day.logged) == (2, True)
    with pytest.raises(ServiceError, match="已逐人登记来访2人次") as err:
        services.post_visits_record(actor=None, post=post, on=D(2025, 3, 1), visits=40)
    assert err.value.field == "visits"
    services.post_visits_record(actor=None, post=post, on=D(2025, 3, 2), visits=30)
    with pytest.raises(ServiceError, match="已按日登记服务30人次"):
        services.post_visit_log(actor=None, post=post, on=D(2025, 3, 2), visitor="王五")
    with pytest.raises(ServiceError, match="来访职工姓名"):
        services.post_visit_log(actor=None, post=post, on=D(2025, 3, 3), visitor=" ")
    with pytest.raises(ServiceError, match="阵地未开放"):
        services.post_visit_log(actor=None, post=post, on=D(2023, 3, 3), visitor="赵六")
    assert PostVisit.objects.count() == 2 and PostVisitDay.objects.count() == 2  # refusals saved nothing
    assert compute("activities.post_visits", tree.root, Y2025).value == 32
    assert compute("activities.post_visits", tree.town_b, Y2025).value == 0


def test_the_post_page_logs_a_visit(client, tree, personas):
    post = _post(tree)
    url = reverse("activities:post_visitor", args=[post.pk])
    client.force_login(personas.town_clerk)
    response = client.post(url, {"on": "2025-04-01", "visitor": "", "service": "心理咨询"})
    assert response.status_code == 400 and "心理咨询" in response.content.decode()
    assert client.post(url, {"on": "2025-04-01", "visitor": "张三", "service": "心理咨询"}).status_code == 302
    page = client.get(reverse("activities:post_detail", args=[post.pk])).content.decode()
    assert "张三" in page and "（逐人登记）" in page
    client.force_login(personas.leader)  # reads, may not enter
    assert client.post(url, {"on": "2025-04-02", "visitor": "李四"}).status_code == 403
    assert PostVisit.objects.count() == 1
