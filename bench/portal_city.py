"""The member portal's lookups on a kept city database (issue 25): what a member's request costs
when the person table holds a million rows.

    psql -h 127.0.0.1 -U postgres -c 'create database gh_x_city template gonghui_city_tpl'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/portal_city.py gh_x_city

It migrates the database (the portal's tables), then times, each as the median of N runs:
an application refused as already a member (the duplicate check by ID hash), a submitted
application, its acceptance (the member-join service, card number, activation code), the
activation, a sign-in, the card token and its public verification, and the staff list's first
page for the county. The rows it writes stay in that database (a throw-away copy).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import volume


def timed(label: str, fn, runs: int) -> None:
    times = []
    for i in range(runs):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    print(f"{label:<48} median {statistics.median(times):8.1f} ms   max {max(times):8.1f} ms   n={runs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    volume.open_database(args.database, "portal_city")
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from gonghui.core import crypto
    from gonghui.core.errors import ServiceError
    from gonghui.core.identifiers import id_check_char
    from gonghui.members.models import Membership, Person
    from gonghui.orgs.models import Coverage, Org
    from gonghui.portal import services
    from gonghui.portal.models import Application

    print(f"persons {Person.objects.count():,}, current memberships "
          f"{Membership.objects.filter(ended_on__isnull=True).count():,}, unions {Org.objects.count():,}")
    cover = Coverage.objects.filter(valid_to__isnull=True, union__org_type="grassroots").select_related(
        "employer", "union").order_by("pk").first()
    members = list(Membership.objects.filter(ended_on__isnull=True).select_related("person")[: args.runs])

    def already(i):
        try:
            services.application_submit(name="甲", id_number=members[i].person.id_number, phone="13812345678",
                                        employer=cover.employer, consent=True)
        except ServiceError:
            return
        raise SystemExit("an existing member was not refused")

    timed("application refused: already a member", already, args.runs)

    stamp = int(time.time()) % 100000
    ids = []
    for i in range(args.runs):
        body = f"1101011990{(i % 12) + 1:02d}{(stamp % 28) + 1:02d}{(i * 7 + stamp) % 1000:03d}"
        ids.append(body + id_check_char(body))
    apps = []
    timed("application submitted (routed)", lambda i: apps.append(services.application_submit(
        name=f"测试{i}", id_number=ids[i], phone="13812345678", employer=cover.employer, consent=True)), args.runs)
    codes = []
    timed("accepted: member-join + card no + code", lambda i: codes.append(services.application_accept(
        actor=None, application=apps[i])[1]), args.runs)
    password = "Bench-Passw0rd!"
    timed("activated (password hashed)", lambda i: services.account_activate(
        id_number=ids[i], code=codes[i], password=password), args.runs)
    timed("sign-in (hash lookup + password check)", lambda i: services.account_sign_in(
        id_number=ids[i], password=password), args.runs)
    from gonghui.portal.models import MemberAccount

    accounts = [MemberAccount.objects.get(person__id_hash__in=crypto.lookup_hashes(n)) for n in ids]
    tokens = []
    timed("card token", lambda i: tokens.append(services.card_token(account=accounts[i])), args.runs)
    timed("public verification", lambda i: services.card_verify(tokens[i]), args.runs)

    root = Org.objects.get(depth=1)
    from gonghui.core import scope

    def first_page(_):
        with connection.cursor():
            list(Application.objects.filter(scope.subtree_q("union__path", root.path), status="pending")
                 .select_related("union", "employer").order_by("-pk")[:50])

    timed("staff list, county, first 50", first_page, args.runs)
    print(f"applications in the database: {Application.objects.count():,}")


if __name__ == "__main__":
    sys.exit(main())
