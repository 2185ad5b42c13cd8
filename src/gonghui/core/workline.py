"""Work lines as plug-ins: each app declares, in its own AppConfig, everything the platform needs.

An app plugs in by subclassing `WorkLineConfig` in its `apps.py` and being listed once in
INSTALLED_APPS. From the declaration the platform derives, with no central list to edit:

- the permission vocabulary (`permissions()`) and the built-in roles (`builtin_roles()`), which
  `accounts` synchronises after every migrate;
- the navigation (`navigation()`), grouped into menus;
- the permission guarding a figure's record list (`record_perm()`), by metric code prefix;
- the URLs (`url_patterns()`, mounted at `url_prefix`);
- the registries filled by the app's conventional modules, imported at start-up when present:
  `metrics` (core.metrics), `reminders` (core.reminders), `demo` (core.demo, builders ordered by
  the dependencies they name), `imports` (core.excel importers), `exports` (core.exports),
  `hints` (core.hints: its forms' field hints), `drafts` (core.drafts: the start page's 我的草稿);
- its audit vocabulary (`audit_actions`, `audit_models`);
- its JSON API resources (`api_module`: a module registering viewsets with gonghui.api.registry,
  mounted under /api/v1/).

Dependencies point one way: core imports no domain app; an app imports core and the apps it names
in `depends_on` (checked by tests/core/test_layering.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import MappingProxyType

from django.apps import AppConfig, apps

# The built-in roles. 系统管理员 holds every code; 单位管理员 every code a declaration does not
# reserve for system administrators; the others what each code names.
ADMIN = "系统管理员"
UNIT_ADMIN = "单位管理员"
CLERK = "业务经办"
APPROVER = "审批"
READER = "查阅"
BUILTIN_ROLE_NAMES = (ADMIN, UNIT_ADMIN, CLERK, APPROVER, READER)

# Menu groups, in the order the navigation shows them.
NAV_GROUPS = ("", "组织与会员", "权益保障", "帮扶服务", "统计与总结", "系统")

LOGIN = "login"  # a navigation entry any signed-in user sees

CONVENTIONAL_MODULES = ("metrics", "reminders", "demo", "imports", "exports", "hints", "drafts")


@dataclass(frozen=True)
class Perm:
    """A permission code, its Chinese label and the built-in roles (besides the administrators) that hold it."""

    code: str
    label: str
    roles: tuple[str, ...] = ()
    system_only: bool = False  # held by 系统管理员 only (e.g. defining roles)


@dataclass(frozen=True)
class Nav:
    label: str
    url_name: str
    perm: str
    group: str
    order: int = 50


class WorkLineConfig(AppConfig):
    """The declaration of one work line (or platform app). Subclasses set the class attributes."""

    permissions: tuple[Perm, ...] = ()
    nav: tuple[Nav, ...] = ()
    # Quick actions on the start page (新增会员, 登记信访): pages that take no argument, shown to
    # users holding the entry's permission; `group` is unused, `order` sorts within the line.
    actions: tuple[Nav, ...] = ()
    # Metric code prefix -> the permission that lets a user open the records behind those figures
    # (default {label: "<label>.view"}); the longest matching prefix over all lines wins.
    record_perms: dict[str, str] = {}
    # The line's main list page (a URL name taking ?org=CODE): where a figure without a records
    # hook sends the user. Default: the first navigation entry.
    list_page: str = ""
    depends_on: tuple[str, ...] = ()
    url_prefix: str | None = None  # None: the app serves no pages; "" mounts <app>.urls at the site root
    # More URL modules of the app: (prefix, module), e.g. core's job pages (the module names its
    # own namespace with app_name).
    extra_urls: tuple[tuple[str, str], ...] = ()
    audit_actions: dict[str, str] = {}
    audit_models: tuple[str, ...] = ()  # model names whose field labels the audit log uses
    audit_fields: dict[str, str] = {}  # labels of change keys that are no field of those models
    # The line's user guide (使用说明): a Markdown file inside the app's package, served at
    # /guide/<label>/ and linked from every page of the line (core.guides).
    guide: str = ""
    # The line's JSON API resources: a module that registers its viewsets with gonghui.api.registry
    # at import (the line then names "api" in depends_on); "" when the line has none yet.
    api_module: str = ""

    def ready(self):
        from . import audit

        for name in CONVENTIONAL_MODULES:
            module = f"{self.name}.{name}"
            if find_spec(module) is not None:
                import_module(module)
        if self.audit_actions:
            audit.register_actions(self.audit_actions)
        for model_name in self.audit_models:
            audit.register_fields(self.get_model(model_name))
        audit.register_field_labels(self.label, self.audit_fields)
        self.connect()

    def connect(self):
        """App-specific wiring at start-up (hooks into the apps it depends on)."""

    # --- derived -----------------------------------------------------------------------------
    @property
    def metric_record_perms(self) -> dict[str, str]:
        return self.record_perms or {self.label: f"{self.label}.view"}

    @property
    def main_list_page(self) -> str:
        return self.list_page or (self.nav[0].url_name if self.nav else "")


def lines() -> list[WorkLineConfig]:
    """Every installed declaration, in INSTALLED_APPS order."""
    return [c for c in apps.get_app_configs() if isinstance(c, WorkLineConfig)]


def line(label: str) -> WorkLineConfig | None:
    for c in lines():
        if c.label == label:
            return c
    return None


# The declarations are fixed once the app registry is ready, so what is derived from them is
# computed once per process: the navigation is read on every page, the vocabulary on every scope
# check of the system actor. (Before the registry is ready, apps.get_app_configs() raises, so
# nothing partial is ever cached.)
@cache
def permissions() -> MappingProxyType:
    """Every permission code with its label, in declaration order (read-only)."""
    out: dict[str, str] = {}
    for c in lines():
        for p in c.permissions:
            if p.code in out:
                raise ValueError(f"permission {p.code} declared twice ({c.label})")
            out[p.code] = p.label
    return MappingProxyType(out)


@cache
def codes() -> frozenset[str]:
    """Every permission code."""
    return frozenset(permissions())


def builtin_roles() -> dict[str, list[str]]:
    return {name: list(perms) for name, perms in _builtin_roles().items()}


@cache
def _builtin_roles() -> dict[str, tuple[str, ...]]:
    roles: dict[str, list[str]] = {name: [] for name in BUILTIN_ROLE_NAMES}
    for c in lines():
        for p in c.permissions:
            unknown = set(p.roles) - set(BUILTIN_ROLE_NAMES)
            if unknown:
                raise ValueError(f"permission {p.code}: unknown built-in role(s) {sorted(unknown)}")
            roles[ADMIN].append(p.code)
            if not p.system_only:
                roles[UNIT_ADMIN].append(p.code)
            for r in p.roles:
                if r not in (ADMIN, UNIT_ADMIN):
                    roles[r].append(p.code)
    return {name: tuple(perms) for name, perms in roles.items()}


@cache
def navigation() -> tuple[Nav, ...]:
    entries = [n for c in lines() for n in c.nav]
    order = {g: i for i, g in enumerate(NAV_GROUPS)}
    return tuple(sorted(entries, key=lambda n: (order.get(n.group, len(order)), n.order)))


@cache
def quick_actions() -> tuple[Nav, ...]:
    """Every line's quick actions, in the navigation's line order."""
    order = {g: i for i, g in enumerate(NAV_GROUPS)}
    ranked = []
    for c in lines():
        rank = min((order.get(n.group, len(order)), n.order) for n in c.nav) if c.nav else (len(order), 0)
        ranked += [(rank, a.order, a) for a in c.actions]
    return tuple(a for _rank, _order, a in sorted(ranked, key=lambda t: (t[0], t[1])))


def _owner(metric_code: str) -> tuple[WorkLineConfig | None, str]:
    """The line owning a metric code (longest matching prefix) and that prefix."""
    best: tuple[WorkLineConfig | None, str] = (None, "")
    for c in lines():
        for prefix in c.metric_record_perms:
            if (metric_code == prefix or metric_code.startswith(prefix + ".")) and len(prefix) > len(best[1]):
                best = (c, prefix)
    return best


def owner(metric_code: str) -> WorkLineConfig | None:
    """The line whose declaration claims the metric code (by prefix)."""
    return _owner(metric_code)[0]


def record_perm(metric_code: str) -> str:
    """The permission that lets a user see the records behind a figure (else stats.view)."""
    owner, prefix = _owner(metric_code)
    perm = owner.metric_record_perms[prefix] if owner else "stats.view"
    return perm if perm in codes() else "stats.view"


def list_page(metric_code: str) -> str:
    """The URL name of the list page of the line owning a figure ("" when none)."""
    owner, _ = _owner(metric_code)
    return owner.main_list_page if owner else ""


def url_patterns() -> list:
    from django.urls import include, path

    out = []
    for c in lines():
        if c.url_prefix is not None:
            out.append(path(c.url_prefix, include(f"{c.name}.urls")))
        for prefix, module in c.extra_urls:
            out.append(path(prefix, include(module)))
    return out
