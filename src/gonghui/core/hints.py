"""Help in place: each form field's rule as its hint text (help_text), from DOMAIN's deadlines,
thresholds and formats.

A work line keeps its hints in its conventional module `hints.py` (imported at start-up, like
`metrics` and `reminders`), apart from the field declarations, so the words a clerk reads can be
edited without touching the forms. A hint fills an empty help_text only: a form that states its
own help text keeps it. A hint naming a form or field that no longer exists is recorded in STALE (a
test fails on it) rather than stopping the application.
"""

from __future__ import annotations

STALE: list[str] = []


def hint(module, form_name: str, texts: dict[str, str]) -> None:
    """Give each named field of the form class `module.form_name` its hint (one rule per line)."""
    form_class = getattr(module, form_name, None)
    fields = getattr(form_class, "base_fields", None)
    if fields is None:
        STALE.append(f"{module.__name__}.{form_name}")
        return
    for name, text in texts.items():
        field = fields.get(name)
        if field is None:
            STALE.append(f"{module.__name__}.{form_name}.{name}")
        elif not field.help_text:
            field.help_text = text
