"""A work line plugs in by its folder and one line in the app list.

tests/sampleline is such a line (one model, permission pair, metric, reminder, importer,
exporter, demo builder, two pages), installed only by tests/settings.py's app list. Each test
checks one platform list that it reaches without being named anywhere else.
"""

import datetime as dt
import io
import json
import re
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from gonghui.accounts.models import Role
from gonghui.core import demo, excel, exports, workline
from gonghui.core.metrics import REGISTRY
from gonghui.core.reminders import REGISTRY as REMINDERS
from tests.sampleline.models import Visit

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_outside_its_folder_names_the_sample_line():
    allowed = {ROOT / "tests" / "settings.py", Path(__file__).resolve()}
    hits = []
    for folder in (ROOT / "src", ROOT / "tests", ROOT / "bench"):
        for path in folder.rglob("*.py"):
            if "sampleline" in path.parts or path in allowed:
                continue
            if "sampleline" in path.read_text(encoding="utf-8"):
                hits.append(str(path.relative_to(ROOT)))
    assert hits == []


def test_its_permissions_reach_the_builtin_roles_after_migrate(db):
    roles = {r.name: set(r.permissions) for r in Role.objects.filter(builtin=True)}
    assert {"sampleline.view", "sampleline.change"} <= roles[workline.ADMIN]
    assert {"sampleline.view", "sampleline.change"} <= roles[workline.UNIT_ADMIN]
    assert {"sampleline.view", "sampleline.change"} <= roles[workline.CLERK]
    assert "sampleline.view" in roles[workline.READER] and "sampleline.change" not in roles[workline.READER]
    assert "sampleline.view" not in roles[workline.APPROVER]


def test_a_changed_declaration_reaches_the_roles_at_the_next_migrate(db):
    from django.core.management.sql import emit_post_migrate_signal

    clerk = Role.objects.get(name=workline.CLERK)
    clerk.permissions = [p for p in clerk.permissions if not p.startswith("sampleline.")]
    clerk.save()
    # What `migrate` sends when it finishes (running migrate itself inside a test transaction is
    # refused by SQLite's schema editor).
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert {"sampleline.view", "sampleline.change"} <= set(Role.objects.get(name=workline.CLERK).permissions)


def test_its_menu_entry_shows_to_holders_only(client, personas):
    client.force_login(personas.town_clerk)
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("sampleline:index") in page and "走访" in page
    client.force_login(personas.outsider)
    assert reverse("sampleline:index") not in client.get(reverse("core:home")).content.decode()


def test_its_pages_are_mounted_and_scoped(client, tree, personas):
    mine = Visit.objects.create(org=tree.union_a1, org_path=tree.union_a1.path, visited_on=dt.date(2026, 1, 5),
                                title="走访甲一")
    theirs = Visit.objects.create(org=tree.union_b1, org_path=tree.union_b1.path, visited_on=dt.date(2026, 1, 5),
                                  title="走访乙一")
    client.force_login(personas.town_clerk)
    page = client.get(reverse("sampleline:index")).content.decode()
    assert "走访甲一" in page and "走访乙一" not in page
    assert client.get(reverse("sampleline:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("sampleline:detail", args=[theirs.pk])).status_code == 404


def test_its_metric_is_in_gonghui_stats(tree, capsys):
    Visit.objects.create(org=tree.union_a1, org_path=tree.union_a1.path, visited_on=dt.date(2026, 1, 5), title="甲")
    Visit.objects.create(org=tree.union_b1, org_path=tree.union_b1.path, visited_on=dt.date(2026, 2, 5), title="乙")
    assert "sampleline.visits" in REGISTRY
    call_command("stats", "--org", tree.town_a.code, "--from", "2026-01-01", "--to", "2026-06-30", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["metrics"]["sampleline.visits"]["value"] == 1


def test_its_reminder_is_on_the_todo_page(client, tree, personas):
    assert "sampleline.follow_up" in REMINDERS
    Visit.objects.create(org=tree.union_a1, org_path=tree.union_a1.path, visited_on=dt.date(2026, 1, 5),
                         follow_up_on=dt.date(2026, 1, 20), title="回访甲一")
    client.force_login(personas.town_clerk)
    assert "回访：回访甲一" in client.get(reverse("core:todo")).content.decode()
    client.force_login(personas.leader)  # 查阅 holds sampleline.view over the whole county
    assert "回访：回访甲一" in client.get(reverse("core:todo")).content.decode()


def test_its_url_cases_are_in_the_permission_matrix(tree, personas):
    from tests.core.test_url_permissions import ALL, objects

    cases = objects(tree, personas)
    assert {"sampleline:index", "sampleline:detail"} <= set(cases) <= set(ALL)


def test_its_importer_and_exporter_run_from_the_command_line(tree, tmp_path):
    sheet = tmp_path / "visits.xlsx"
    sheet.write_bytes(excel.template(excel.get_importer("sampleline_visits").columns))
    out = io.BytesIO()
    excel.write_table(out, ["单位编码", "走访日期", "事由"], [["A1", "2026-03-01", "走访甲一"], ["B1", "2026-03-02", "走访乙一"]])
    sheet.write_bytes(out.getvalue())
    call_command("import_data", "sampleline_visits", str(sheet))
    assert sorted(Visit.objects.values_list("title", flat=True)) == ["走访乙一", "走访甲一"]
    assert exports.get("sampleline_visits") is not None
    target = tmp_path / "out.xlsx"
    call_command("export_data", "sampleline_visits", "--org", tree.town_a.code, "--out", str(target))
    rows = excel.read_table(target.read_bytes())[1]
    assert [r[2] for r in rows[1:]] == ["走访甲一"]


def test_its_demo_builder_runs_after_the_apps_it_names():
    order = [b.app for b in demo.ordered()]
    assert "sampleline" in order and order.index("sampleline") > order.index("orgs")


def test_the_architecture_guide_covers_what_the_sample_line_declares():
    guide = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = re.search(r"## Adding a work line\n(.*?)(\n## |\Z)", guide, re.S)
    assert section, "docs/architecture.md needs a section “Adding a work line”"
    for word in ("WorkLineConfig", "permissions", "nav", "depends_on", "url_prefix", "metrics.py", "reminders.py",
                 "imports.py", "exports.py", "demo.py", "url_cases.py", "INSTALLED_APPS"):
        assert word in section.group(1), word
