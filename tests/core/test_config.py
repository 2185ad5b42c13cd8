"""Rules a federation may change, from the environment or the settings (core.config), and
`gonghui check-config`."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from gonghui.core import clock, config
from gonghui.core.metrics import rate
from gonghui.petitions import services as petitions
from tests.petitions.conftest import make_petition

D = dt.date
README = Path(__file__).resolve().parents[2] / "README.md"


def check_config(capsys, *args) -> dict:
    call_command("check_config", "--json", *args)
    return {e["env"]: e for e in json.loads(capsys.readouterr().out)}


def test_an_environment_variable_changes_the_deadline_a_service_sets(tree, monkeypatch):
    with clock.as_of(D(2025, 12, 31)):
        p = make_petition(tree.town_a, received_on=D(2025, 3, 3))
        assert petitions.petition_accept(actor=None, petition=p, notice_on=D(2025, 3, 5)).close_due == D(2025, 5, 6)
        monkeypatch.setenv("GONGHUI_PETITIONS_CONCLUDE_DAYS", "48")  # 5 Mar + 48 days = Tue 22 Apr
        q = make_petition(tree.town_a, received_on=D(2025, 3, 3))
        assert petitions.petition_accept(actor=None, petition=q, notice_on=D(2025, 3, 5)).close_due == D(2025, 4, 22)


def test_check_config_lists_each_value_and_where_it_came_from(db, capsys, monkeypatch, settings):
    monkeypatch.setenv("GONGHUI_PETITIONS_CONCLUDE_DAYS", "48")
    settings.GONGHUI_BARGAINING = {"REPLY_DAYS": 10}
    shown = check_config(capsys)
    assert shown["GONGHUI_PETITIONS_CONCLUDE_DAYS"] | {"group": None} == {
        "group": None, "key": "CONCLUDE_DAYS", "env": "GONGHUI_PETITIONS_CONCLUDE_DAYS", "value": 48,
        "source": "environment"}
    assert (shown["GONGHUI_BARGAINING_REPLY_DAYS"]["value"], shown["GONGHUI_BARGAINING_REPLY_DAYS"]["source"]) == (
        10, "settings")
    assert (shown["GONGHUI_REQUIRED_HEADCOUNT"]["value"], shown["GONGHUI_REQUIRED_HEADCOUNT"]["source"]) == (
        25, "default")
    # The environment wins over the settings.
    monkeypatch.setenv("GONGHUI_BARGAINING_REPLY_DAYS", "12")
    assert check_config(capsys)["GONGHUI_BARGAINING_REPLY_DAYS"]["source"] == "environment"
    call_command("check_config")
    text = capsys.readouterr().out
    assert "[信访与调解]" in text and "GONGHUI_PETITIONS_CONCLUDE_DAYS" in text and "environment  48" in text


def test_a_bad_environment_value_is_refused_loudly(db, capsys, monkeypatch):
    monkeypatch.setenv("GONGHUI_RATE_DECIMALS", "two")
    with pytest.raises(ImproperlyConfigured, match="GONGHUI_RATE_DECIMALS=“two”无效：应为整数"):
        rate(1, 3)
    assert [e.id for e in config.check_configuration()] == ["gonghui.E001"]
    with pytest.raises(CommandError, match="1 项配置无效"):
        call_command("check_config")
    assert "错误：环境变量 GONGHUI_RATE_DECIMALS" in capsys.readouterr().out
    monkeypatch.setenv("GONGHUI_RATE_DECIMALS", "1")
    monkeypatch.setenv("GONGHUI_RATE_ROUNDING", "bankers")
    with pytest.raises(ImproperlyConfigured, match="可选值为 half_up、truncate"):
        rate(1, 3)


def test_a_misspelt_settings_key_is_reported(settings):
    settings.GONGHUI_PETITIONS = {"CONCLUDE": (45, False)}  # the shape before the keys were split
    assert [(e.id, e.msg) for e in config.check_configuration()] == [
        ("gonghui.E002", "GONGHUI_PETITIONS 中的 CONCLUDE 不是已知的设置项。")]


@pytest.mark.parametrize(("var", "raw", "value"), [
    ("GONGHUI_BARGAINING_REPLY_WORKING_DAYS", "yes", True),
    ("GONGHUI_PETITIONS_NOTICE_WORKING_DAYS", "0", False),
    ("GONGHUI_ASSISTANCE_RELATIVE_MULTIPLIER", "1.5", Decimal("1.5")),
    ("GONGHUI_BARGAINING_EXTERNAL_MAX_SHARE", "[1, 4]", (1, 4)),
    ("GONGHUI_ASSISTANCE_FUND_SOURCES", '[["own", "本级"], ["upper", "上级补助"]]', [("own", "本级"), ("upper", "上级补助")]),
    ("GONGHUI_WOMENS_COMMITTEE_BASIS", "employees", "employees"),
    ("GONGHUI_RATE_ROUNDING", "truncate", "truncate"),
])
def test_environment_values_are_read_by_the_type_of_the_default(monkeypatch, var, raw, value):
    monkeypatch.setenv(var, raw)
    by_env = {g.env_name(k): g for g in config.discover() for k in g.defaults}
    group = by_env[var]
    assert group.lookup(var.removeprefix(group.setting + "_")) == (value, "environment")


def test_environment_rounding_reaches_the_rates(monkeypatch):
    assert rate(67, 68).value == Decimal("98.53")
    monkeypatch.setenv("GONGHUI_RATE_ROUNDING", "truncate")
    monkeypatch.setenv("GONGHUI_RATE_DECIMALS", "0")
    assert rate(67, 68).value == Decimal("98")


def test_every_variable_is_in_the_readme_configuration_table():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Configuration"):]
    missing = [e.env for e in config.entries() if f"`{e.env}`" not in table]
    assert missing == []
