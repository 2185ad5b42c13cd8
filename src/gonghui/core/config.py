"""Settings a federation may change (regional rules, deadlines, rounding): one reader for all.

Each work line declares its rules with their national defaults in its `conf.py` as a `Rules`
group. A value is looked up, when it is used, in three places; the first that has it wins:

1. the environment: `<SETTING>_<KEY>`, e.g. GONGHUI_PETITIONS_CONCLUDE_DAYS=45;
2. the settings: the group's dict, e.g. GONGHUI_PETITIONS = {"CONCLUDE_DAYS": 45} (for the
   platform group GONGHUI also the plain setting GONGHUI_RATE_ROUNDING = "truncate");
3. the default in the app's conf.py.

An environment value is read by the type of the default: integers, decimals, true/false (also
1/0, yes/no), text, and lists as JSON (GONGHUI_PETITIONS_CATEGORIES='[["wages", "欠薪"]]'). A
value that does not parse is refused loudly (ImproperlyConfigured, and `manage check` lists it);
`gonghui check-config` prints every value in force and where it came from.
"""

from __future__ import annotations

import contextvars
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEFAULT, SETTINGS, ENVIRONMENT = "default", "settings", "environment"
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}

GROUPS: list[Rules] = []  # every group, in the order the apps declared them

# Inside recording(): the values read, ((rules, key, value), ...): core.compiled keeps them with a
# statement compiled from them, to compile it again when one changes.
_RECORDING: contextvars.ContextVar[list | None] = contextvars.ContextVar("gonghui_config_read", default=None)


@contextmanager
def recording(into: list):
    token = _RECORDING.set(into)
    try:
        yield into
    finally:
        _RECORDING.reset(token)


@dataclass(frozen=True)
class Entry:
    group: str
    key: str
    env: str
    value: Any
    source: str
    error: str = ""


class Rules:
    """One work line's configurable rules: `setting` names both the settings dict and the prefix of
    the environment variables. `flat=True` (the platform group GONGHUI) also accepts each key as a
    setting of its own (GONGHUI_RATE_ROUNDING), as those were documented before."""

    def __init__(self, setting: str, defaults: dict[str, Any], *, title: str, flat: bool = False,
                 choices: dict[str, tuple] | None = None):
        self.setting, self.defaults, self.title, self.flat = setting, defaults, title, flat
        self.choices = choices or {}
        self.module = sys._getframe(1).f_globals.get("__name__", "")  # to list groups in app order
        GROUPS[:] = [g for g in GROUPS if (g.setting, g.title) != (setting, title)]  # a module imported again
        clash = {(g.setting, k) for g in GROUPS for k in g.defaults} & {(setting, k) for k in defaults}
        if clash:
            raise ImproperlyConfigured(f"configuration keys declared twice: {sorted(clash)}")
        GROUPS.append(self)

    def env_name(self, key: str) -> str:
        return f"{self.setting}_{key}"

    def lookup(self, key: str) -> tuple[Any, str]:
        """(value, where it came from); ImproperlyConfigured for an environment value that does not parse."""
        default = self.defaults[key]  # KeyError: a key no conf.py declares is a programming error
        raw = os.environ.get(self.env_name(key))
        if raw is not None and raw.strip() != "":
            return self._parse(key, raw.strip(), default), ENVIRONMENT
        if self.flat and hasattr(settings, self.env_name(key)):
            return getattr(settings, self.env_name(key)), SETTINGS
        given = getattr(settings, self.setting, None) or {}
        if key in given:
            return given[key], SETTINGS
        return default, DEFAULT

    def get(self, key: str) -> Any:
        value = self.lookup(key)[0]
        seen = _RECORDING.get()
        if seen is not None:
            seen.append((self, key, value))
        return value

    def entries(self) -> list[Entry]:
        out = []
        for key in self.defaults:
            try:
                value, source = self.lookup(key)
            except ImproperlyConfigured as exc:
                out.append(Entry(self.title, key, self.env_name(key), None, ENVIRONMENT, str(exc)))
            else:
                out.append(Entry(self.title, key, self.env_name(key), value, source))
        return out

    def unknown_settings_keys(self) -> list[str]:
        """Keys in the settings dict that no rule declares (a typo would otherwise be ignored)."""
        if self.flat:
            return []  # GONGHUI also holds platform switches (DEMO_MODE) that are not rules
        return sorted(set(getattr(settings, self.setting, None) or {}) - set(self.defaults))

    def _parse(self, key: str, raw: str, default):
        kind = _kind(default)
        try:
            value = PARSERS[kind](raw)
        except (ValueError, ArithmeticError) as exc:  # JSONDecodeError is a ValueError
            raise ImproperlyConfigured(f"环境变量 {self.env_name(key)}=“{raw}”无效：{REASONS[kind]}。") from exc
        if isinstance(default, tuple):
            value = tuple(value)
        allowed = self.choices.get(key)
        if allowed and value not in allowed:
            raise ImproperlyConfigured(
                f"环境变量 {self.env_name(key)}=“{raw}”无效：可选值为 {'、'.join(allowed)}。")
        return value


def _kind(default) -> type:
    for kind in (bool, int, Decimal, list):  # bool before int: True is an int
        if isinstance(default, kind if kind is not list else (list, tuple)):
            return kind
    return str


def _bool(raw: str) -> bool:
    if raw.lower() not in TRUE | FALSE:
        raise ValueError(raw)
    return raw.lower() in TRUE


def _decimal(raw: str) -> Decimal:
    value = Decimal(raw)
    if not value.is_finite():
        raise ValueError(raw)
    return value


def _list(raw: str) -> list:
    value = json.loads(raw)
    if not isinstance(value, list):
        raise ValueError(raw)
    # Pairs such as (code, label) stay tuples, like the defaults.
    return [tuple(v) if isinstance(v, list) else v for v in value]


PARSERS = {bool: _bool, int: int, Decimal: _decimal, list: _list, str: str}
REASONS = {bool: "应为 true 或 false（也可写 1/0、yes/no）", int: "应为整数", Decimal: "应为数字",
           list: "应为 JSON 列表，如 [1, 3] 或 [[\"own\", \"本级工会经费\"]]", str: ""}


def discover() -> list[Rules]:
    """Every group, in the order of INSTALLED_APPS (the groups live in each app's conf.py)."""
    from django.apps import apps
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("conf")
    order = [a.name for a in apps.get_app_configs()]

    def position(group: Rules) -> int:
        app = apps.get_containing_app_config(group.module)
        return order.index(app.name) if app else len(order)

    return sorted(GROUPS, key=position)


def entries() -> list[Entry]:
    return [e for g in discover() for e in g.entries()]


@checks.register()
def check_configuration(app_configs=None, **kwargs):
    """`manage check` (and every start) lists configuration values that are wrong."""
    errors = []
    for group in discover():
        errors += [checks.Error(e.error, id="gonghui.E001") for e in group.entries() if e.error]
        errors += [checks.Error(f"{group.setting} 中的 {k} 不是已知的设置项。", id="gonghui.E002")
                   for k in group.unknown_settings_keys()]
    return errors


# The platform's own rules. Rates: DOMAIN §12.4, the seeds both round half up and truncate.
CORE = Rules("GONGHUI", {
    "RATE_ROUNDING": "half_up",  # half_up (四舍五入) or truncate (截尾)
    "RATE_DECIMALS": 2,
}, title="比率", flat=True, choices={"RATE_ROUNDING": ("half_up", "truncate")})
