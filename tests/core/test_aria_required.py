"""Required fields are announced as required (aria-required), optional ones are not (issue 16)."""

import re

from django.urls import reverse


def _input(page: str, name: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def test_the_join_form_marks_its_required_fields_for_screen_readers(client, tree, personas):
    client.force_login(personas.union_clerk)
    page = client.get(reverse("members:join")).content.decode()
    assert 'aria-required="true"' in _input(page, "name")
    assert 'aria-required="true"' in _input(page, "id_number")
    assert "aria-required" not in _input(page, "phone")  # optional
    assert "aria-required" not in _input(page, "csrfmiddlewaretoken")
