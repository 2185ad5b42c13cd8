"""The API's resources, gathered from the work-line declarations (core.workline).

A line declares `api_module = "gonghui.<line>.api"` in its AppConfig; that module calls
`register("funds", FundViewSet)` at import. The router under /api/v1/ is built from every
registered resource once the app registry is ready (api.urls), so adding a line's resources
edits no central list."""

from __future__ import annotations

from importlib import import_module

RESOURCES: dict[str, tuple[type, str]] = {}
VIEWS: dict[str, tuple[type, str]] = {}


def register(prefix: str, viewset: type, basename: str | None = None) -> None:
    """A viewset at /api/v1/<prefix>/ (list, detail, actions)."""
    if prefix in RESOURCES or prefix in VIEWS:
        raise ValueError(f"API resource {prefix} registered twice")
    RESOURCES[prefix] = (viewset, basename or prefix)


def register_view(prefix: str, view: type, name: str) -> None:
    """A single APIView at /api/v1/<prefix>/ (e.g. stats)."""
    if prefix in RESOURCES or prefix in VIEWS:
        raise ValueError(f"API resource {prefix} registered twice")
    VIEWS[prefix] = (view, name)


def load() -> None:
    from gonghui.core import workline

    for config in workline.lines():
        module = getattr(config, "api_module", "")
        if module:
            import_module(module)
