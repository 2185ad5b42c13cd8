from django.http import Http404
from django.shortcuts import render

from . import guides
from .views_base import login_only


@login_only
def guide(request, line):
    """A work line's user guide (使用说明), rendered from the Markdown file the line ships."""
    found = guides.html(line)
    if found is None:
        raise Http404("没有这份使用说明。")
    title, body = found
    return render(request, "core/guide.html", {"title": title, "body": body})
