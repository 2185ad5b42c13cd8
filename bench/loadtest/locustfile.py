"""The load of `make loadtest` (bench/loadtest/run.py starts the server and runs this).

Two kinds of client, sharing one login per demo account:
  - a township clerk (`town`): roster searches by surname, pinyin and the ID number's last four,
    the township's dashboard, and member joins into the township's grass-roots unions with new,
    valid ID numbers (every join must land: run.py counts them);
  - a county leader (`leader`, read-only): the county dashboard and the home page.

The target must be on the loopback network: the run refuses any other host.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PASSWORD = "Gonghui@2026"  # the demo accounts' password (demo data only)
UNIONS = json.loads(os.environ.get("LOADTEST_UNIONS", "[]"))
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "200000"))  # a bound besides the run time
SURNAMES = ["张", "王", "李", "刘", "陈", "杨", "zh", "w", "l"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]  # GB 11643
_serial = itertools.count(random.SystemRandom().randrange(0, 500) * 1000)
_sent = itertools.count(1)


def new_id_number() -> str:
    """A valid 18-digit 公民身份号码 no demo person has (area 110101, born 1960-2000, serial)."""
    n = next(_serial)
    born = dt.date(1960, 1, 1) + dt.timedelta(days=(n // 997) % 14600)
    body = f"110101{born:%Y%m%d}{n % 997 + 1:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    return body + check


_environment = None


@events.init.add_listener
def _loopback_only(environment, **_kwargs):
    global _environment
    host = urlsplit(environment.host or "").hostname or ""
    if not (host.startswith("127.") or host in ("localhost", "::1")):
        raise SystemExit(f"refusing to load {environment.host}: only 127.0.0.1/localhost")
    _environment = environment


@events.request.add_listener
def _bounded(**_kwargs):
    """Stop at MAX_REQUESTS even if the run time has not passed."""
    if next(_sent) == MAX_REQUESTS and _environment is not None and _environment.runner is not None:
        _environment.runner.quit()


SESSIONS: dict[str, str] = {}
# Every join sent, by outcome, written to LOADTEST_JOURNAL at the end: run.py looks each ID number
# up in the database (an acknowledged join must be there, a refused one must not).
JOURNAL: dict[str, list[str]] = {"ok": [], "refused": [], "unknown": []}


@events.quitting.add_listener
def _write_journal(**_kwargs):
    path = os.environ.get("LOADTEST_JOURNAL")
    if path:
        with open(path, "w") as f:
            json.dump(JOURNAL, f)


@events.test_start.add_listener
def _log_in_once(environment, **_kwargs):
    """One login per demo account, shared by its clients (as tabs of one browser): the load is
    the pages, not 50 password hashes at once (and a login storm from one address is what the
    login rate limit is there to slow down)."""
    import requests

    for username in ("town", "leader"):
        with requests.Session() as s:
            page = s.get(f"{environment.host}/accounts/login/", timeout=120)
            token = CSRF.search(page.text).group(1)
            r = s.post(f"{environment.host}/accounts/login/", allow_redirects=False, timeout=120,
                       data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
            if r.status_code != 302 or "sessionid" not in s.cookies:
                raise SystemExit(f"login as {username} failed ({r.status_code})")
            SESSIONS[username] = s.cookies["sessionid"]


class LoggedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        self.client.cookies.set("sessionid", SESSIONS[self.username])


class TownClerk(LoggedIn):
    username = "town"
    weight = 4
    wait_time = between(0.5, 1.5)

    @task(6)
    def roster_search(self):
        q = random.choice(SURNAMES + [f"{random.randrange(10000):04d}"])
        self.client.get("/members/", params={"q": q}, name="roster search")

    @task(2)
    def township_dashboard(self):
        self.client.get("/reports/", name="dashboard (township)")

    @task(2)
    def member_join(self):
        page = self.client.get("/members/new/", name="join form")
        token = CSRF.search(page.text).group(1)
        id_number = new_id_number()
        data = {"csrfmiddlewaretoken": token, "union_code": random.choice(UNIONS), "name": "压测会员",
                "id_number": id_number, "joined_on": dt.date.today().isoformat(), "ethnicity": "01",
                "employment": "1"}
        JOURNAL["unknown"].append(id_number)  # until the answer arrives
        with self.client.post("/members/new/", data=data, name="member join", allow_redirects=False,
                              catch_response=True) as r:
            JOURNAL["unknown"].remove(id_number)
            if r.status_code == 302 and "/members/" in r.headers.get("Location", ""):
                JOURNAL["ok"].append(id_number)
            else:
                JOURNAL["refused" if r.status_code == 200 else "unknown"].append(id_number)
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)<', r.text)
                r.failure(f"join not saved ({r.status_code}): {'; '.join(errors)[:200]}")


class CountyLeader(LoggedIn):
    username = "leader"
    weight = 1
    wait_time = between(0.5, 1.5)

    @task(3)
    def county_dashboard(self):
        self.client.get("/reports/", name="dashboard (county)")

    @task(1)
    def home(self):
        self.client.get("/", name="home")
