"""`make loadtest`: concurrent clients against a server on 127.0.0.1, on PostgreSQL, with demo data.

    .venv/bin/python bench/loadtest/run.py [--users 50] [--seconds 60] [--size county]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/loadtest/run.py

It never touches the user's data: the server named by DATABASE_URL (default the local one) only
hosts a database of its own, gonghui_load_<pid>, dropped at the end, and the data directory is a
temporary one. Steps: migrate, build the demo, start `gonghui run` (gunicorn and the task worker)
on a free loopback port, count the members, run locust headless (bounded in time and in
requests, 127.0.0.1 only: bench/loadtest/locustfile.py), count again, `gonghui audit verify`.

Prints p95 and errors per request type and exits 1 on any failed request or lost write (members
after − before ≠ successful joins, or a join without its audit entry) or a broken audit chain.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GONGHUI = [sys.executable, "-m", "gonghui.cli"]

COUNTS = r"""
import json, os
from gonghui.core import crypto
from gonghui.core.models import AuditEvent
from gonghui.members.models import Membership, Person
journal = json.loads(open(os.environ["LOADTEST_JOURNAL"]).read()) if os.environ.get("LOADTEST_JOURNAL") else {}
def present(numbers):
    hashes = [crypto.lookup_hash(n) for n in numbers]
    return Membership.objects.filter(person__id_hash__in=hashes, ended_on__isnull=True).count()
print(json.dumps({"members": Membership.objects.filter(ended_on__isnull=True).count(),
                  "people": Person.objects.count(),
                  "join_entries": AuditEvent.objects.filter(action="members.member.joined").count(),
                  **{f"{k}_present": present(v) for k, v in journal.items()}}))
"""
UNIONS = r"""
import json
from gonghui.accounts.models import User
from gonghui.orgs.models import Org, OrgType
home = User.objects.get(username="town").home_org
unions = Org.objects.filter(path__startswith=home.path, org_type=OrgType.GRASSROOTS, dissolved_on__isnull=True)
print(json.dumps(list(unions.order_by("path").values_list("code", flat=True)[:40])))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shell(env: dict, code: str):
    out = subprocess.run([*GONGHUI, "manage", "shell", "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=300).stdout
    return json.loads(out.strip().splitlines()[-1])


def admin(server_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql)


def wait_until_up(url: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped before it answered (see server.log)")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - our own loopback server
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def stop(server: subprocess.Popen) -> None:
    """The server and its children (gunicorn, the worker) are one process group we started."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # anything left in the group


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as f:
        return list(csv.DictReader(f))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--size", default="county", help="demo size (small/county/city)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (as `gonghui run`)")
    args = parser.parse_args()
    if not 1 <= args.users <= 200 or not 1 <= args.seconds <= 600:
        raise SystemExit("bounded: 1-200 users, 1-600 seconds")
    try:
        import locust  # noqa: F401
    except ImportError:
        raise SystemExit("locust is missing: `make loadtest` installs it (pip install -e '.[load]')") from None

    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if urlsplit(server_url).scheme not in ("postgres", "postgresql"):
        raise SystemExit("the load test runs on PostgreSQL: DATABASE_URL must be postgres://…")
    db = f"gonghui_load_{os.getpid()}"
    db_url = urlunsplit(urlsplit(server_url)._replace(path=f"/{db}"))
    work = Path(tempfile.mkdtemp(prefix="gonghui-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGHUI_")}
    # Plain HTTP on loopback: no Secure cookies (the production default behind TLS).
    env.update(DATABASE_URL=db_url, GONGHUI_DATA_DIR=str(work / "data"), GONGHUI_DEMO_MODE="1", GONGHUI_HTTPS="0",
               DJANGO_SETTINGS_MODULE="gonghui.settings")
    admin(server_url, f'CREATE DATABASE "{db}"')
    server = log = None
    try:
        started = time.monotonic()
        subprocess.run([*GONGHUI, "manage", "migrate", "-v0"], env=env, check=True, timeout=600)
        subprocess.run([*GONGHUI, "demo", "--size", args.size], env=env, check=True, timeout=1800,
                       stdout=subprocess.DEVNULL)
        print(f"demo {args.size} on PostgreSQL ({db}) built in {time.monotonic() - started:.0f} s")
        unions = shell(env, UNIONS)
        if not unions:
            raise SystemExit("no grass-roots union under the demo township")
        before = shell(env, COUNTS)

        port = free_port()
        log = open(work / "server.log", "w")  # noqa: SIM115 - closed in finally
        server = subprocess.Popen([*GONGHUI, "run", "--no-demo", "--workers", str(args.workers)],
                                  env={**env, "HOST": "127.0.0.1", "PORT": str(port)}, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        host = f"http://127.0.0.1:{port}"
        wait_until_up(f"{host}/healthz", server, 180)
        print(f"server up on {host}; {args.users} users for {args.seconds} s …")
        load_before = os.getloadavg()[0]
        prefix, journal_file = work / "locust", work / "joins.json"
        subprocess.run([sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
                        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
                        # Let every join in flight get its answer: each one sent is accounted for.
                        "--run-time", f"{args.seconds}s", "--stop-timeout", "120", "--host", host,
                        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                       env={**env, "LOADTEST_UNIONS": json.dumps(unions), "LOADTEST_JOURNAL": str(journal_file),
                            "LOADTEST_MAX_REQUESTS": str(args.max_requests)},
                       timeout=args.seconds + 300, check=False)
        journal = json.loads(journal_file.read_text())
        stats = read_stats(prefix)
        load_after = os.getloadavg()[0]
        stop(server)
        after = shell({**env, "LOADTEST_JOURNAL": str(journal_file)}, COUNTS)
        verify = subprocess.run([*GONGHUI, "audit", "verify"], env=env, capture_output=True, text=True, timeout=600)
    finally:
        if server is not None:
            stop(server)
        if log is not None:
            log.close()
        try:
            admin(server_url, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        finally:
            keep = work / "locust_failures.csv"
            failures = keep.read_text() if keep.exists() else ""
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{os.cpu_count()} cores; 1-minute load average {load_before:.1f} before the run, {load_after:.1f} at its end")
    rows = [r for r in stats if r["Name"] != "Aggregated"]
    total = next(r for r in stats if r["Name"] == "Aggregated")
    print(f"{'request':<24}{'count':>8}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'req/s':>8}")
    for r in sorted(rows, key=lambda r: r["Name"]):
        print(f"{r['Name']:<24}{r['Request Count']:>8}{r['Failure Count']:>8}{r['50%']:>11}{r['95%']:>9}"
              f"{float(r['Max Response Time']):>9.0f}{float(r['Requests/s']):>8.1f}")
    print(f"{'all':<24}{total['Request Count']:>8}{total['Failure Count']:>8}{total['50%']:>11}{total['95%']:>9}"
          f"{float(total['Max Response Time']):>9.0f}{float(total['Requests/s']):>8.1f}")

    sent = {k: len(v) for k, v in journal.items()}
    landed = after["members"] - before["members"]
    lost = {
        # every acknowledged join is a current member, and no refused one is
        "acknowledged joins missing": sent["ok"] - after["ok_present"],
        "refused joins saved": after["refused_present"],
        # nothing else was added, and every join wrote its audit entry in its transaction
        "members added without a join": landed - after["ok_present"] - after["unknown_present"],
        "joins without their audit entry": landed - (after["join_entries"] - before["join_entries"]),
    }
    errors = int(total["Failure Count"])
    print(f"\nmember joins sent {sum(sent.values())}: acknowledged {sent['ok']}, refused {sent['refused']}, "
          f"unanswered {sent['unknown']} (of which saved: {after['unknown_present']}); "
          f"current members {before['members']} → {after['members']}")
    print(f"lost or stray writes (each must be 0): {lost}")
    print(f"audit verify: {(verify.stdout or verify.stderr).strip()}")
    if failures.count("\n") > 1:
        print("failures:\n" + failures)
    ok = errors == 0 and not any(lost.values()) and verify.returncode == 0 and sent["ok"] > 0
    print("RESULT: " + ("ok — 0 errors, 0 lost writes" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
