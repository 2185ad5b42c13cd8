"""Dependencies point one way: core imports no domain app; a domain app imports core and only
the apps its declaration names in `depends_on` (core.workline)."""

import ast
from pathlib import Path

from gonghui.core import workline

SRC = Path(__file__).resolve().parents[2] / "src" / "gonghui"


def imported_apps(folder: Path) -> dict[str, set[str]]:
    """{gonghui app imported: {files importing it}} over the folder's Python files (migrations too:
    a migration may depend on another app's migration, which is a declared dependency as well)."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom) and node.level >= 2 and node.module:
                names = [f"gonghui.{node.module}"]  # from ..orgs import x
            for name in names:
                parts = name.split(".")
                if parts[0] == "gonghui" and len(parts) > 1:
                    found.setdefault(parts[1], set()).add(str(path.relative_to(SRC)))
    return found


def domain_apps() -> set[str]:
    return {c.label for c in workline.lines() if c.name.startswith("gonghui.")} - {"core"}


def test_core_imports_no_domain_app():
    found = imported_apps(SRC / "core")
    leaks = {app: sorted(files) for app, files in found.items() if app in domain_apps()}
    assert leaks == {}


def test_domain_apps_import_only_their_declared_dependencies():
    problems = {}
    for config in workline.lines():
        if not config.name.startswith("gonghui.") or config.label == "core":
            continue
        found = imported_apps(Path(config.path))
        allowed = {"core", config.label, *config.depends_on}
        bad = {app: sorted(files) for app, files in found.items() if app in domain_apps() and app not in allowed}
        if bad:
            problems[config.label] = bad
    assert problems == {}


def test_declared_dependencies_exist_and_form_no_cycle():
    labels = {c.label for c in workline.lines()}
    deps = {c.label: set(c.depends_on) for c in workline.lines()}
    assert all(d in labels for ds in deps.values() for d in ds)
    visiting, done = set(), set()

    def visit(label):
        assert label not in visiting, f"dependency cycle through {label}"
        if label in done:
            return
        visiting.add(label)
        for d in deps[label]:
            visit(d)
        visiting.discard(label)
        done.add(label)

    for label in deps:
        visit(label)


def test_the_layering_check_catches_an_import(tmp_path, monkeypatch):
    """The checker itself: a core module importing orgs is reported."""
    (tmp_path / "bad.py").write_text("from gonghui.orgs.models import Org\nfrom ..members import services\n")
    monkeypatch.setattr("tests.core.test_layering.SRC", tmp_path)
    assert set(imported_apps(tmp_path)) == {"orgs", "members"}
