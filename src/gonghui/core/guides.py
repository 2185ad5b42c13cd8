"""Each work line's user guide (使用说明), served inside the application.

A line declares its guide in its WorkLineConfig (`guide = "guide.md"`, a Markdown file inside the
app's package, so that an installed application can read it: the repository's docs/ is not
installed). The page /guide/<line>/ renders it, and every page of the line links to it
(`guide_link`, a context processor).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import markdown
from django.urls import reverse

from . import workline

# A guide's screenshots live in the repository's docs/screenshots (for readers of the source);
# the installed application has none, so the in-app page leaves the images out.
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$", re.M)


def path_of(config: workline.WorkLineConfig) -> Path | None:
    return Path(config.path) / config.guide if config.guide else None


@cache
def html(label: str) -> tuple[str, str] | None:
    """(title, HTML) of a line's guide, None when the line declares none. Read once per process:
    the guides ship with the code."""
    config = workline.line(label)
    path = path_of(config) if config else None
    if path is None:
        return None
    text = _IMAGE.sub("", path.read_text(encoding="utf-8"))
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), config.verbose_name)
    body = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    # Tables scroll inside their own box: a wide one must not widen the page on a phone.
    body = body.replace("<table>", '<div class="table-responsive"><table class="table table-sm">').replace(
        "</table>", "</table></div>")
    return title, body


def guide_link(request) -> dict:
    """The guide of the work line whose page this is ({} elsewhere): the line is the app that
    serves the URL (its namespace), so each line's pages link to its own guide."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return {}
    config = workline.line(match.app_name) if match.app_name else None
    if config is None or not config.guide:
        return {}
    return {"guide_url": reverse("core:guide", args=[config.label]), "guide_title": config.verbose_name}
