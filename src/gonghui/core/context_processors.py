from django.urls import reverse

from . import scope

# The navigation by work line: an entry shows only when its app exists and the user holds
# its permission. Later apps add their line here.
NAV = [
    ("首页", "core:home", "login"),
    ("组织", "orgs:tree", "orgs.view"),
    ("用人单位", "orgs:employers", "employers.view"),
    ("统计", "core:stats", "stats.view"),
    ("待办", "core:todo", "login"),
    ("账号", "accounts:users", "accounts.manage"),
    ("审计日志", "core:audit", "audit.view"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items = []
    for label, name, perm in NAV:
        if perm == "login" or scope.has_perm(user, perm):
            url = reverse(name)
            items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"
                          or request.path == url})
    return {"nav": items}
