"""The command line: stats as JSON, demo data, and clear errors without tracebacks."""

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gonghui.accounts.models import User
from gonghui.core.metrics import REGISTRY
from gonghui.orgs.models import Coverage, Employer, Org, OrgEvent

ORG_CODES = ["orgs.unions_total", "orgs.unions_new", "orgs.reelections", "orgs.renamed", "orgs.moved_out",
             "orgs.dissolved", "orgs.employers_required", "orgs.employers_covered", "orgs.coverage_rate",
             "orgs.womens_committee_rate", "orgs.legal_person_rate", "orgs.terms_overdue"]


def stats_json(capsys, *args):
    call_command("stats", "--json", *args)
    return json.loads(capsys.readouterr().out)


def test_stats_json_has_the_documented_shape(tree, capsys):
    out = stats_json(capsys, "--from", "2025-01-01", "--to", "2025-12-31")
    assert out["org"] == {"code": "430121", "name": "长沙县总工会"}
    assert (out["from"], out["to"], out["include_subordinates"]) == ("2025-01-01", "2025-12-31", True)
    assert set(ORG_CODES) <= set(out["metrics"])
    rate = out["metrics"]["orgs.coverage_rate"]
    assert rate == {"label": "组建率", "unit": "%", "value": 75.0, "numerator": 3, "denominator": 4}
    assert out["metrics"]["orgs.unions_total"] == {"label": "基层工会总数", "unit": "家", "value": 3}


def test_stats_defaults_to_the_root_and_the_current_year(tree, capsys):
    out = stats_json(capsys)
    year = dt.date.today().year
    assert (out["org"]["code"], out["from"], out["to"]) == ("430121", f"{year}-01-01", f"{year}-12-31")


def test_stats_for_a_node_at_own_level(tree, capsys):
    out = stats_json(capsys, "--org", "A1", "--to", "2025-12-31", "--own-level")
    assert out["include_subordinates"] is False
    assert out["metrics"]["orgs.unions_total"]["value"] == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--org", "NOPE"], "不存在"),
    (["--to", "2025-13-45"], "格式不正确"),
    (["--from", "2025-06-01", "--to", "2025-01-01"], "晚于截止日期"),
])
def test_stats_bad_input_is_a_clear_error(tree, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("stats", *args)


def test_every_registered_metric_has_label_unit_and_group():
    for code, m in REGISTRY.items():
        # DOMAIN §12.3: persons, person-times, households, units, cases, sessions, items; money; rates;
        # and hours (volunteers' service).
        units = {"家", "个", "间", "份", "项", "条", "篇", "人", "人次", "户", "宗", "起", "件", "期", "场", "次", "元",
                 "小时", "%"}
        assert code.count(".") == 1 and m.label and m.unit in units and m.group, code


def snapshot():
    return (
        list(Org.objects.order_by("path").values_list("path", "name", "code", "org_type", "founded_on")),
        list(Employer.objects.order_by("uscc").values_list("uscc", "name", "headcount")),
        Coverage.objects.count(), OrgEvent.objects.count(),
    )


def test_demo_is_deterministic_per_seed(db, capsys):
    call_command("demo", "--size", "small", "--seed", "7", "--today", "2026-06-30")
    first = snapshot()
    out = capsys.readouterr().out
    assert "admin" in out and "Gonghui@2026" in out
    assert Org.objects.filter(depth=2).count() == 3 and Employer.objects.count() == 120
    assert User.objects.filter(username__in=["admin", "town", "union", "leader", "outsider"]).count() == 5
    with pytest.raises(CommandError, match="已有组织"):
        call_command("demo", "--size", "small")
    call_command("demo", "--size", "small", "--if-empty")  # quietly does nothing
    # Same seed again on an empty database gives the same data. Every app's tables are emptied
    # (flush), then the rows the data migrations made are put back.
    import importlib

    from django.apps import apps
    from django.db import connection

    from gonghui.accounts.services import ensure_builtin_roles
    from gonghui.core.models import AuditChainHead

    if connection.vendor == "postgresql":
        # The test's transaction holds deferred foreign-key checks, and PostgreSQL refuses to
        # TRUNCATE a table with pending trigger events: run them now.
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
    ensure_builtin_roles()
    AuditChainHead.objects.get_or_create(pk=1)
    importlib.import_module("gonghui.core.migrations.0005_calendar_2024_2026").load(apps, None)
    call_command("demo", "--size", "small", "--seed", "7", "--today", "2026-06-30")
    assert snapshot() == first
    assert Org.objects.find_problems() == ([], [], [], [], [])


def test_the_gonghui_command_prints_a_chinese_error_without_traceback(tmp_path: Path):
    env = {**os.environ, "GONGHUI_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    gonghui = [sys.executable, "-m", "gonghui.cli"]
    subprocess.run([*gonghui, "manage", "migrate", "-v0"], env=env, check=True, capture_output=True)
    result = subprocess.run([*gonghui, "stats", "--to", "not-a-date"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "数据库中还没有组织" in result.stderr and "Traceback" not in result.stderr
    result = subprocess.run([*gonghui, "frobnicate"], env=env, capture_output=True, text=True)
    assert result.returncode == 2 and "未知命令" in result.stderr
    assert (tmp_path / "secret_key").exists() and (tmp_path / "audit_key").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_remind_lists_due_terms_in_the_users_scope(tree, personas, capsys):
    call_command("remind", "--today", "2025-06-30")
    out = capsys.readouterr().out
    assert "换届提醒" in out and "[逾期] 2023-03-01  甲一公司工会" in out
    call_command("remind", "--user", "town_clerk", "--today", "2025-06-30")
    assert "甲一公司工会" in capsys.readouterr().out
    from gonghui.orgs import services
    services.org_move(actor=None, org=tree.union_a1, new_parent=tree.town_b, effective_on=dt.date(2025, 1, 1))
    call_command("remind", "--user", "town_clerk", "--today", "2025-06-30")
    assert "甲一公司工会" not in capsys.readouterr().out
    # A cut says so and how to see the rest (issue 15, item 1).
    call_command("remind", "--today", "2025-06-30", "--limit", "0")
    out = capsys.readouterr().out
    n = int(re.search(r"换届提醒[^：]*：共 (\d+) 项", out).group(1))
    assert f"……另有 {n} 项（加 --limit {n} 全部列出）" in out
    with pytest.raises(CommandError, match="不存在"):
        call_command("remind", "--user", "nobody")
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("remind", "--today", "30/06/2025")
