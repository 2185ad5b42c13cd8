"""The production deployment files (deploy/): every command the systemd units and compose.yaml
run exists, the units pass `systemd-analyze verify`, compose.yaml has the four services, and the
web server's access log never carries a query string."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

from gonghui import cli

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("gonghui-*.*"))
PREFIX = "/opt/gonghui"  # where docs/deploy.md installs the code


def check_gonghui_command(argv: list[str]) -> None:
    """`gonghui SUB ...` and `gonghui manage CMD ...` name commands that exist."""
    sub = argv[1]
    assert sub in cli.COMMANDS or sub == "manage", argv
    if sub == "manage":
        assert argv[2] in get_commands(), argv


def commands_in(argv: list[str]) -> list[list[str]]:
    """The command lines in an argv, looking inside `sh -c '...'` and `env VAR=... cmd`."""
    if Path(argv[0]).name in ("sh", "bash") and argv[1] == "-c":
        return [c for part in re.split(r"&&|;|\|\|", argv[2]) for c in commands_in(shlex.split(part))]
    if Path(argv[0]).name == "env" or re.match(r"^[A-Z_]+=", argv[0]):
        rest = argv[1:] if Path(argv[0]).name == "env" else argv
        while rest and re.match(r"^[A-Z_]+=", rest[0]):  # VAR=value before the program
            rest = rest[1:]
        return commands_in(rest)
    if argv[0] == "exec":
        return commands_in(argv[1:])
    return [argv]


def check_command(argv: list[str]) -> None:
    name = Path(argv[0]).name
    if name == "gonghui":
        check_gonghui_command(argv)
    elif name == "gunicorn":
        config = argv[argv.index("-c") + 1]
        assert (ROOT / Path(config).relative_to(Path(config).parents[1])).exists(), config
        assert argv[-1] == "gonghui.wsgi"
    else:
        assert name in {"find", "kill"}, argv  # the other programs the units call


def unit_exec_lines(path: Path) -> list[str]:
    return [line.split("=", 1)[1] for line in path.read_text().splitlines()
            if re.match(r"Exec(Start|StartPre|StartPost|Reload)=", line)]


def test_every_command_the_systemd_units_run_exists():
    assert {u.name for u in UNITS} >= {"gonghui-web.service", "gonghui-worker.service", "gonghui-remind.service",
                                       "gonghui-remind.timer", "gonghui-backup.service", "gonghui-backup.timer"}
    seen = set()
    for unit in UNITS:
        for line in unit_exec_lines(unit):
            for argv in commands_in(shlex.split(line.replace("%%", "%"))):
                check_command(argv)
                seen.add(" ".join(argv[1:3]) if Path(argv[0]).name == "gonghui" else Path(argv[0]).name)
    assert {"manage migrate", "manage collectstatic", "gunicorn", "remind", "manage worker"} <= seen
    assert any(s.startswith("backup --out") for s in seen)


def test_each_timer_starts_an_existing_service_on_a_valid_calendar():
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        text = timer.read_text()
        unit = re.search(r"^Unit=(.+)$", text, re.M).group(1)
        assert (DEPLOY / "systemd" / unit).exists()
        assert re.search(r"^OnCalendar=", text, re.M) and "Persistent=true" in text


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    # Installed as docs/deploy.md says, but with this checkout and its virtualenv in place of
    # /opt/gonghui, so that systemd-analyze finds the programs (it checks every Exec line's executable).
    for unit in UNITS:
        text = unit.read_text().replace(f"{PREFIX}/.venv/bin", str(Path(sys.executable).parent))
        (tmp_path / unit.name).write_text(text.replace(PREFIX, str(ROOT)))
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "not executable" not in done.stderr and "Failed to parse" not in done.stderr, done.stderr


def test_compose_has_the_database_app_worker_and_proxy_and_runs_existing_commands():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "app", "worker", "proxy"}
    assert services["db"]["image"].startswith("postgres:15")
    assert services["proxy"]["image"].startswith("caddy:") and "443:443" in services["proxy"]["ports"]
    # Only the proxy publishes ports: the application is reached through TLS.
    assert [name for name, s in services.items() if s.get("ports")] == ["proxy"]
    for name in ("app", "worker"):
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
        argv = services[name]["command"]
        for command in commands_in(argv):
            check_command(command)
        env = services[name]["environment"]
        assert env["GONGHUI_HTTPS"] == "1" and env["DATABASE_URL"].startswith("postgres://")
    assert services["app"]["environment"]["GONGHUI_BIND"] == "0.0.0.0:8000"
    # The files the compose file and the Dockerfile reference are in the repository.
    for volume in services["proxy"]["volumes"]:
        source = volume.split(":")[0]
        if source.startswith("./") and not source.endswith(("certs", "backups")):
            assert (DEPLOY / source).exists(), source
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (.+) \S+$", dockerfile, re.M):
        for path in source.split():
            assert (ROOT / path).exists(), path
    assert "postgresql-client-15" in dockerfile  # pg_dump for `gonghui backup`, same major as the server


def test_the_access_log_carries_the_path_only():
    config: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our own config file
    assert config["bind"] == "127.0.0.1:8000" and config["worker_class"] == "gthread"
    fmt = config["access_log_format"]
    assert "%(U)s" in fmt and not any(f"%({x})s" in fmt for x in ("r", "q", "u"))


def test_the_gunicorn_config_loads_in_gunicorn(tmp_path):
    done = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"),
                           "--check-config", "gonghui.wsgi"], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env={**os.environ, "GONGHUI_DATA_DIR": str(tmp_path),
                                             "DJANGO_SETTINGS_MODULE": "gonghui.settings"})
    assert done.returncode == 0, done.stderr
