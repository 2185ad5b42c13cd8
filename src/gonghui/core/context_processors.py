from django.urls import reverse

from . import scope

# The navigation by work line: an entry shows only when its app exists and the user holds
# its permission. Later apps add their line here.
NAV = [
    ("首页", "core:home", "login"),
    ("组织", "orgs:tree", "orgs.view"),
    ("用人单位", "orgs:employers", "employers.view"),
    ("会员", "members:roster", "members.view"),
    ("集体协商", "bargaining:index", "bargaining.view"),
    ("信访调解", "petitions:index", "petitions.view"),
    ("困难帮扶", "assistance:index", "assistance.view"),
    ("统计", "core:stats", "stats.view"),
    ("报表与总结", "reports:index", "stats.view"),
    ("待办", "core:todo", "login"),
    ("我的任务", "jobs:list", "login"),
    ("账号", "accounts:users", "accounts.manage"),
    ("审计日志", "core:audit", "audit.view"),
    ("节假日", "core:calendar", "calendar.manage"),
]


TODO_KEY = "todo_count"
TODO_TTL = 300  # seconds: the badge may lag this long; the to-do page itself is always fresh


def todo_count(request) -> int:
    """Due items across every registered reminder, for the navigation badge.

    One count query per registered reminder (a dozen and growing), so the result is kept in the
    session for a few minutes instead of being counted on every page view."""
    import time

    from django.utils import timezone

    today = timezone.localdate().isoformat()
    cached = request.session.get(TODO_KEY)
    if cached and cached[1] == today and time.time() - cached[2] < TODO_TTL:
        return cached[0]
    from .reminders import due_items

    # A limit of 0 fetches no rows: one count query per reminder.
    n = sum(total for _r, _items, total in due_items(request.user, timezone.localdate(), limit=0))
    remember_todo_count(request, n)
    return n


def remember_todo_count(request, n: int) -> None:
    import time

    from django.utils import timezone

    request.session[TODO_KEY] = [n, timezone.localdate().isoformat(), time.time()]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items = []
    for label, name, perm in NAV:
        if perm == "login" or scope.has_perm(user, perm):
            if name == "core:todo":
                n = todo_count(request)
                label = f"{label}（{n}）" if n else label
            items.append({"label": label, "url": reverse(name), "active": False})
    # The longest URL that prefixes the path is the current line ("/orgs/employers/" over "/orgs/").
    matches = [i for i in items if request.path.startswith(i["url"]) and (i["url"] != "/" or request.path == "/")]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav": items}
