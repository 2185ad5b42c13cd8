from django.urls import reverse

from . import clock, scope, workline

TODO_KEY = "todo_count"
TODO_TTL = 300  # seconds: the badge may lag this long; the to-do page itself is always fresh


def todo_count(request) -> int | None:
    """Due items across every registered reminder, for the navigation badge.

    One count query per registered reminder (a dozen and growing), so the result is kept in the
    session for a few minutes instead of being counted on every page view. A page that counts
    them itself after it arrived (the start page's to-do fragment) sets `request.todo_count_deferred`:
    without a fresh count in the session its badge then shows none (None) rather than making the
    page wait for the count."""
    import time

    today = clock.today().isoformat()
    cached = request.session.get(TODO_KEY)
    if cached and cached[1] == today and time.time() - cached[2] < TODO_TTL:
        return cached[0]
    if getattr(request, "todo_count_deferred", False):
        return None
    from .reminders import due_items

    # A limit of 0 fetches no rows: one count query per reminder.
    n = sum(total for _r, _items, total in due_items(request.user, clock.today(), limit=0))
    remember_todo_count(request, n)
    return n


def remember_todo_count(request, n: int) -> None:
    import time

    request.session[TODO_KEY] = [n, clock.today().isoformat(), time.time()]


def navigation(request):
    """The main menu, generated from the work-line declarations: the entries of group "" stand
    alone, the others are gathered under their group's drop-down (workline.NAV_GROUPS, in that
    order), so the menu keeps one line however many work lines are installed. `nav` is that menu;
    `nav_links` every entry the user may open, flat (for tests and other templates)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "nav_links": []}
    links = []
    # An entry shows when the user holds its permission.
    for entry in workline.navigation():
        if entry.perm == workline.LOGIN or scope.has_perm(user, entry.perm):
            badge = todo_count(request) if entry.url_name == "core:todo" else None
            links.append({"label": entry.label, "url": reverse(entry.url_name), "group": entry.group,
                          "badge": badge or None, "active": False,
                          # the start page's to-do fragment replaces this link to show its count
                          "id": "nav-todo" if entry.url_name == "core:todo" else ""})
    # The longest URL that prefixes the path is the current line ("/orgs/employers/" over "/orgs/").
    matches = [i for i in links if request.path.startswith(i["url"]) and (i["url"] != "/" or request.path == "/")]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    menu, groups = [], {}
    for link in links:  # workline.navigation() is sorted by group, so each group's entries are together
        if not link["group"]:
            menu.append(link)
        elif link["group"] not in groups:
            groups[link["group"]] = {"label": link["group"], "links": [link], "active": link["active"]}
            menu.append(groups[link["group"]])
        else:
            groups[link["group"]]["links"].append(link)
            groups[link["group"]]["active"] |= link["active"]
    return {"nav": menu, "nav_links": links}
