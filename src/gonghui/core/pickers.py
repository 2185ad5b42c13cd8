"""The picker: a text input for a code (a union's, an employer's credit code, a member's) that
suggests matching records as the clerk types.

It stays an ordinary text input with the field's own name and label, so a typed or pasted code
works as before and the view resolves it as before (in scope, or a clear message). The
suggestions come from a search endpoint of the app that owns the records (orgs, members), named
here by its URL name: core imports no domain app. Every endpoint answers with `picker_options()`
below, a listbox fragment that static/gonghui/picker.js opens under the input and drives with
the keyboard (arrows, Enter, Esc).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

# Suggestions shown at most; one more row is read to know that there are more.
LIMIT = 20
MIN_QUERY = 1


class PickerInput(forms.TextInput):
    """A text input with suggestions from `source` (a URL name) called with `params`.

    `params` tell the endpoint what may be chosen, e.g. {"perm": "members.change", "types":
    "member"}: the endpoint scopes by the permission the form needs, so the list never offers a
    record the view would then refuse.
    """

    def __init__(self, source: str, params: dict | None = None, attrs: dict | None = None):
        super().__init__(attrs)
        self.source = source
        self.params = dict(params or {})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        a = context["widget"]["attrs"]
        list_id = f"{a.get('id') or 'id_' + name}-list"
        query = urlencode(self.params)
        a.setdefault("placeholder", "输入名称、拼音首字母或代码")
        a.update({
            "autocomplete": "off", "role": "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
            "aria-controls": list_id, "data-picker": "", "hx-get": reverse(self.source) + (f"?{query}" if query else ""),
            "hx-trigger": "input changed delay:250ms", "hx-target": f"#{list_id}", "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        })
        context["widget"]["list_id"] = list_id
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Rendered here rather than from a template: the form renderer does not look in the
        # project's template folder (gonghui is not an installed app), and the markup is three tags.
        context = self.get_context(name, value, attrs)
        input_html = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="picker">{}<div id="{}" class="picker-list list-group shadow-sm" role="listbox" '
            'aria-label="候选项" hidden></div></div>',
            input_html, context["widget"]["list_id"],
        )


@dataclass(frozen=True)
class Option:
    value: str  # what goes into the input: a code
    label: str  # the record's name
    detail: str = ""  # e.g. the code, a masked ID number
    path: str = ""  # 县 › 镇 › 单位


def bounded(rows: list, limit: int = LIMIT) -> tuple[list, bool]:
    """(the first `limit` rows, whether there were more), from a list read with limit + 1."""
    return rows[:limit], len(rows) > limit


def query_text(request) -> str:
    """The typed text (picker.js sends it as `q`), trimmed; long input is cut, not refused."""
    return request.GET.get("q", "").strip()[:60]


def picker_options(request, options: list[Option], more: bool, text: str):
    """The listbox fragment every picker endpoint answers with. Rendered without the request's
    context processors: the navigation's to-do badge counts every reminder, which a keystroke
    must not pay for (the fragment needs neither the menu nor the CSRF token)."""
    html = render_to_string("core/_picker_options.html",
                            {"options": options, "more": more, "text": text, "short": len(text) < MIN_QUERY})
    return HttpResponse(html)
