"""Issue 21's benchmark volumes on a city demo database: 20,000 model workers (with their titles
and a year and a half of care services), 100,000 honours and 500 contests with 200,000 entries;
also 合理化建议/技术创新, 职工之家 ratings of six unions in ten (with 回头看) and 会员评家 surveys of
half the unions this year and last (20 questionnaires each), which the issue does not size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/honours_volume.py gh_ho_city
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py \\
        --reuse gh_ho_city --only honours. --no-io --no-growth --no-stats --runs 3

The database is migrated first, then topped up to the volumes (a second run adds nothing). The
model workers' ID numbers and phones are encrypted under the bench's fixed keys (bench/run.py
BenchDatabase sets them, as here), through core.crypto, and inserted with bulk_create; everything
else is set-based SQL. Every dated row carries its union's path on its own date (the placement
in force then), as the services store it. Honours and entries are spread over the city's
grass-roots unions and members; contests are organised by its counties and townships, each with
three events and members of unions under the organiser (a quarter of them in two events).
PostgreSQL only.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402 - bench/run.py: the fixed keys and Django's setup

WORKERS, HONOURS, CONTESTS, ENTRIES = 20_000, 100_000, 500, 200_000
INNOVATIONS = 50_000  # not in the issue's list: enough 合理化建议/技术创新 rows for their figures to weigh
EVENTS = ("电工", "焊工", "钳工")
PER_CONTEST = ENTRIES // CONTESTS  # 400 entries: 320 people, 80 of them in a second event
TITLES = {"national": [("全国劳动模范", "national"), ("全国五一劳动奖章", "national")],
          "provincial": [("省劳动模范", "provincial"), ("省五一劳动奖章", "provincial")],
          "city": [("市劳动模范", "city")], "county": [("县劳动模范", "county")]}
LEVEL_WEIGHTS = (("national", 2), ("provincial", 13), ("city", 40), ("county", 45))

# The union's path on a row's date: the placement in force then.
# (A union founded after the date has none: its path now, as orgs.selectors.path_on falls back.)
PATH_ON = """COALESCE((SELECT pl.path FROM orgs_orgplacement pl WHERE pl.org_id = {org} AND pl.valid_from <= {on}
             AND (pl.valid_to IS NULL OR pl.valid_to > {on}) ORDER BY pl.valid_from DESC LIMIT 1),
             (SELECT o.path FROM orgs_org o WHERE o.id = {org}))"""


def say(message: str) -> None:
    print(message, flush=True)


def _id_number(i: int) -> str:
    from gonghui.core.identifiers import id_check_char

    birth = dt.date(1955, 1, 1) + dt.timedelta(days=i % 14000)
    body = f"430199{birth:%Y%m%d}{500 + i // 14000:03d}"
    return body + id_check_char(body)


def load_workers(cursor, today: dt.date) -> None:
    from gonghui.core import crypto
    from gonghui.honours.models import ModelWorker, Title
    from gonghui.orgs.models import GRASSROOTS_TYPES, Org

    have = ModelWorker.objects.count()
    if have >= WORKERS:
        say(f"model workers: {have} already")
        return
    rng = random.Random(21)
    unions = list(Org.objects.filter(org_type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True)
                  .filter(founded_on__lte=today - dt.timedelta(days=400)).order_by("id").values_list("id", flat=True))
    levels = [lv for lv, w in LEVEL_WEIGHTS for _ in range(w)]
    started, first = time.perf_counter(), None
    for chunk in range(have, WORKERS, 2000):
        workers, titles = [], []
        for i in range(chunk, min(chunk + 2000, WORKERS)):
            number = _id_number(i)
            status = rng.choice(["active"] * 14 + ["retired"] * 5 + ["deceased"])
            level = rng.choice(levels)
            phone = f"137{i:08d}"
            workers.append(ModelWorker(
                org_id=unions[(i * 7919) % len(unions)], name=f"劳模{i}", gender=1 + i % 2,
                birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                id_cipher=crypto.encrypt(number), id_hash=crypto.lookup_hash(number), id_masked=crypto.mask_id(number),
                phone_cipher=crypto.encrypt(phone), phone_masked=crypto.mask_phone(phone),
                employer_name=f"单位{i % 997}", status=status,
                died_on=today - dt.timedelta(days=30 + i % 900) if status == "deceased" else None,
                is_civil_servant=rng.random() < 0.15, is_party_member=rng.random() < 0.6,
                is_hardship=rng.random() < 0.1, registered_on=today - dt.timedelta(days=400 + i % 6000),
                highest_level=level))
        created = ModelWorker.objects.bulk_create(workers)
        first = first or created[0].pk
        for w in created:
            top = rng.choice(TITLES[w.highest_level])
            titles.append(Title(worker=w, name=top[0], level=top[1], treatment=w.highest_level,
                                year=today.year - 2 - w.pk % 20, conferred_by="人民政府"))
            if w.pk % 4 == 0 and w.highest_level != "county":  # a second, lower title
                titles.append(Title(worker=w, name="县劳动模范", level="county", treatment="county",
                                    year=today.year - 22 - w.pk % 10, conferred_by="县人民政府"))
        Title.objects.bulk_create(titles)
        # Each title's level from its conferral, as title_add records it (ranks as in RANK).
        cursor.execute("""
            INSERT INTO honours_titlelevel (title_id, treatment, rank, valid_from, note)
            SELECT t.id, t.treatment, CASE t.treatment WHEN 'national' THEN 4 WHEN 'provincial' THEN 3
                                                       WHEN 'city' THEN 2 ELSE 1 END, make_date(t.year, 1, 1), '授予'
            FROM honours_title t JOIN honours_modelworker w ON w.id = t.worker_id
            WHERE w.id >= %s AND NOT EXISTS (SELECT 1 FROM honours_titlelevel x WHERE x.title_id = t.id)""",
                       [created[0].pk])
        say(f"  model workers: {chunk + len(workers)} ({time.perf_counter() - started:.0f} s)")
    # Care this year and last: check-ups (non-civil-servants), 七一 慰问 600 元 (party members),
    # 荣誉津贴 (national and provincial), 困难劳模帮扶 (hardship), one row each, dated by id.
    care = [("checkup", "0", "NOT w.is_civil_servant AND w.id %% 5 <> 0"),
            ("festival", "600", "w.is_party_member"),
            ("allowance", "1000 + 500 * (w.id %% 3)", "w.highest_level IN ('national', 'provincial')"),
            ("hardship", "2000", "w.is_hardship"),
            ("recuperation", "0", "w.id %% 7 = 0")]
    for kind, amount, cond in care:
        for back in (0, 365):
            on = f"(%s::date - {back} - ((w.id * 37) %% 300)::int)"
            cursor.execute(f"""
                INSERT INTO honours_carerecord (worker_id, org_id, org_path, kind, served_on, amount, note)
                SELECT w.id, w.org_id, {PATH_ON.format(org="w.org_id", on=on)}, %s, {on}, {amount}, ''
                FROM honours_modelworker w
                WHERE w.id >= %s AND w.status <> 'deceased' AND {cond}""",
                           [today, today, kind, today, first])
    say(f"model workers and their care loaded ({time.perf_counter() - started:.0f} s)")


def load_honours(cursor, today: dt.date) -> None:
    cursor.execute("""
        CREATE TEMP TABLE IF NOT EXISTS bench_unions AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id FROM orgs_org
        WHERE org_type IN ('grassroots', 'joint_grassroots', 'community') AND dissolved_on IS NULL""")
    cursor.execute("SELECT COUNT(*) FROM honours_honour")
    have = cursor.fetchone()[0]
    if have >= HONOURS:
        say(f"honours: {have} already")
        return
    started = time.perf_counter()
    n = HONOURS - have
    cursor.execute("SELECT COUNT(*) FROM bench_unions")
    units = cursor.fetchone()[0]
    # A third for persons, the rest for collectives; applied up to six years back, 85 % named a
    # month later (re-checked, some revoked), the rest at the earlier steps.
    cursor.execute(f"""
        INSERT INTO honours_honour (org_id, org_path, recipient, recipient_name, honour_type, level, issuer, year,
                                    status, applied_on, named_on, recheck_on, revoked_on, note)
        SELECT u.id, {PATH_ON.format(org="u.id", on="COALESCE(x.named, x.applied)")},
               CASE WHEN g % 3 = 0 THEN 'person' ELSE 'collective' END, '量测获得者' || g,
               CASE WHEN g % 3 = 0 THEN (ARRAY['may_day_medal', 'advanced_woman', 'advanced_worker'])[1 + g / 3 % 3]
                    ELSE (ARRAY['pioneer', 'model_home', 'model_small_home', 'harmony', 'csr', 'learning',
                                'ankang', 'women_post'])[1 + g % 8] END,
               (ARRAY['national', 'provincial', 'city', 'county', 'county', 'internal'])[1 + g / 7 % 6],
               '市总工会', EXTRACT(YEAR FROM x.applied)::int, x.status, x.applied, x.named,
               CASE WHEN x.named IS NOT NULL THEN x.named + 1095 END,
               CASE WHEN x.status = 'revoked' THEN x.named + 400 END, ''
        FROM generate_series(1, %s::int) g
        JOIN bench_unions u ON u.rn = (g * 7919) % %s
        CROSS JOIN LATERAL (SELECT a.applied,
                                   CASE WHEN g % 20 < 17 AND a.applied + 30 <= %s::date THEN a.applied + 30 END AS named,
                                   CASE WHEN g % 20 >= 17 OR a.applied + 30 > %s::date
                                        THEN (ARRAY['applied', 'review', 'notice'])[1 + g % 3]
                                        WHEN g % 97 = 0 AND a.applied + 430 <= %s::date THEN 'revoked'
                                        ELSE 'named' END AS status
                            FROM (SELECT %s::date - ((g * 53) % 2190)::int AS applied) a) x""".replace("%", "%%").replace("%%s", "%s"),
                   [n, units, today, today, today, today])
    cursor.execute("""
        INSERT INTO honours_honourstep (honour_id, status, "on", note, actor_name)
        SELECT h.id, 'applied', h.applied_on, '', '量测' FROM honours_honour h
        WHERE NOT EXISTS (SELECT 1 FROM honours_honourstep s WHERE s.honour_id = h.id)""")
    say(f"honours loaded: {n} ({time.perf_counter() - started:.0f} s)")


def load_contests(cursor, today: dt.date) -> None:
    from gonghui.orgs.models import OrgType

    cursor.execute("SELECT COUNT(*) FROM honours_contest")
    have = cursor.fetchone()[0]
    if have >= CONTESTS:
        say(f"contests: {have} already")
        return
    started = time.perf_counter()
    cursor.execute("SELECT id, path FROM orgs_org WHERE org_type IN (%s, %s, %s) AND dissolved_on IS NULL ORDER BY path",
                   [OrgType.COUNTY, OrgType.TOWNSHIP_FED, OrgType.TOWNSHIP_GEN])
    organisers = cursor.fetchall()
    for i in range(have, CONTESTS):
        org_id, path = organisers[(i * 31) % len(organisers)]
        start = today - dt.timedelta(days=(i * 13) % 700)
        kind = ("skill", "labour", "drill")[i % 3]
        cursor.execute(f"""
            INSERT INTO honours_contest (org_id, org_path, name, kind, start_on, end_on)
            VALUES (%s, {PATH_ON.format(org="%s", on="%s::date")}, %s, %s, %s, %s) RETURNING id""",
                       [org_id, org_id, start, start, org_id, f"量测竞赛{i}", kind, start, start + dt.timedelta(days=30)])
        contest = cursor.fetchone()[0]
        events = []
        for name in EVENTS:
            cursor.execute("INSERT INTO honours_contestevent (contest_id, name) VALUES (%s, %s) RETURNING id",
                           [contest, name])
            events.append(cursor.fetchone()[0])
        # 320 current members of unions under the organiser (its path now; the demo does not
        # move unions between counties), each in one event, the first 80 in a second one.
        cursor.execute(f"""
            WITH people AS (
                SELECT m.person_id, m.union_id, p.name, row_number() OVER (ORDER BY m.id) - 1 AS rn
                FROM (SELECT m.id, m.person_id, m.union_id FROM members_membership m
                      JOIN orgs_org o ON o.id = m.union_id
                      WHERE o.path >= %s AND o.path < %s AND m.ended_on IS NULL
                      ORDER BY m.id OFFSET %s LIMIT 320) m
                JOIN members_person p ON p.id = m.person_id),
            picks AS (
                SELECT people.*, rn %% 3 AS ev FROM people
                UNION ALL SELECT people.*, (rn + 1) %% 3 FROM people WHERE rn < 80)
            INSERT INTO honours_entry (event_id, org_id, org_path, person_id, name, id_cipher, id_hash, person_key,
                                       team, rank, score, award, title_earned, prize)
            SELECT (ARRAY[%s, %s, %s])[1 + ev], union_id, {PATH_ON.format(org="union_id", on="%s::date")},
                   person_id, name, '', '', 'p' || person_id, CASE WHEN rn %% 5 = 0 THEN '量测队' || (rn / 5) ELSE '' END,
                   CASE WHEN rn < 30 THEN rn + 1 END, CASE WHEN rn < 30 THEN 100 - rn END,
                   CASE WHEN rn < 3 THEN '一等奖' WHEN rn < 10 THEN '二等奖' WHEN rn < 30 THEN '三等奖' ELSE '' END,
                   CASE WHEN rn < 3 THEN '技术能手' WHEN rn < 30 THEN '优胜选手' ELSE '' END,
                   CASE WHEN rn < 3 THEN 2000 WHEN rn < 10 THEN 1000 WHEN rn < 30 THEN 500 ELSE 0 END
            FROM picks
            ON CONFLICT DO NOTHING""",
                       [path, path + "~", (i * 97) % 2000, *events, start, start])
        if (i + 1) % 50 == 0:
            say(f"  contests: {i + 1} ({time.perf_counter() - started:.0f} s)")
    cursor.execute("SELECT COUNT(*) FROM honours_entry")
    say(f"contests loaded; entries now {cursor.fetchone()[0]} ({time.perf_counter() - started:.0f} s)")


def load_teams(cursor) -> None:
    """The entries' teams as Team rows of their unions (as entry_add makes them), so that 参赛队伍
    counts teams at city size too."""
    started = time.perf_counter()
    cursor.execute("""
        INSERT INTO honours_team (org_id, name, kind, leader)
        SELECT DISTINCT e.org_id, e.team, 'squad', '' FROM honours_entry e
        WHERE e.team <> '' AND e.team_ref_id IS NULL
        ON CONFLICT DO NOTHING""")
    cursor.execute("""
        UPDATE honours_entry e SET team_ref_id = t.id FROM honours_team t
        WHERE e.team <> '' AND e.team_ref_id IS NULL AND t.org_id = e.org_id AND t.name = e.team""")
    say(f"teams linked: {cursor.rowcount} entries ({time.perf_counter() - started:.0f} s)")


def load_innovations(cursor, today: dt.date) -> None:
    cursor.execute("SELECT COUNT(*) FROM honours_innovation")
    have = cursor.fetchone()[0]
    if have >= INNOVATIONS:
        say(f"innovations: {have} already")
        return
    started = time.perf_counter()
    # Four suggestions to one innovation, over two years; two in five adopted a month later
    # (when that is past) with a benefit, one in five not adopted.
    cursor.execute(f"""
        INSERT INTO honours_innovation (org_id, org_path, kind, title, proposer, submitted_on, status, decided_on,
                                        benefit, reward)
        SELECT u.id, {PATH_ON.format(org="u.id", on="x.sub")},
               CASE WHEN g % 5 = 0 THEN 'innovation' ELSE 'suggestion' END, '量测建议' || g, '量测提出人',
               x.sub, x.status, CASE WHEN x.status <> 'submitted' THEN x.sub + 30 END,
               CASE WHEN x.status = 'adopted' THEN 1000 * (g % 50) ELSE 0 END,
               CASE WHEN x.status = 'adopted' THEN 100 * (g % 5) ELSE 0 END
        FROM generate_series(1, %s::int) g
        JOIN bench_unions u ON u.rn = (g * 7907) % (SELECT COUNT(*) FROM bench_unions)
        CROSS JOIN LATERAL (SELECT a.sub, CASE WHEN a.sub + 30 > %s::date THEN 'submitted'
                                               WHEN g % 5 < 2 THEN 'adopted' WHEN g % 5 = 2 THEN 'rejected'
                                               ELSE 'submitted' END AS status
                            FROM (SELECT %s::date - ((g * 29) % 700)::int AS sub) a) x""".replace("%", "%%")
                   .replace("%%s", "%s"), [INNOVATIONS - have, today, today])
    say(f"innovations loaded: {INNOVATIONS - have} ({time.perf_counter() - started:.0f} s)")


HOME_ISSUERS = ("县总工会（量测）", "市总工会（量测）")  # the replaced ratings', the current ones'; not the demo's


def load_homes(cursor, today: dt.date) -> None:
    """职工之家 ratings of six unions in ten, named up to five and a half years back (never before
    the union was founded), at the internal ladder or a level; every fourth replaced an older one
    three years earlier (the replaced one revoked on the new one's date, as home_rate does); one in
    53 revoked by a 回头看, one in 7 of the rest kept at a 回头看 and one in 29 under 限期整改.
    The bench's ratings are told from the demo's by their issuers (HOME_ISSUERS); a union the demo
    rated keeps its own ratings only (a second rating in force is refused)."""
    cursor.execute("SELECT COUNT(*) FROM honours_homerating WHERE issuer = ANY(%s)", [list(HOME_ISSUERS)])
    have = cursor.fetchone()[0]
    if have:
        say(f"home ratings: {have} already")
        return
    started = time.perf_counter()
    cursor.execute("""
        CREATE TEMP TABLE bench_homes AS
        SELECT u.rn, u.id AS org_id, x.rated, x.level
        FROM bench_unions u JOIN orgs_org o ON o.id = u.id
        CROSS JOIN LATERAL (SELECT GREATEST(o.founded_on, %s::date - ((u.rn * 37) %% 2000)::int) AS rated,
                                   (ARRAY['qualified', 'qualified', 'advanced', 'model', 'county', 'county', 'city',
                                          'provincial', 'national'])[1 + u.rn %% 9] AS level) x
        WHERE u.rn %% 10 < 6 AND NOT EXISTS (SELECT 1 FROM honours_homerating r WHERE r.org_id = u.id)""", [today])
    # the older, replaced ratings first
    cursor.execute(f"""
        INSERT INTO honours_homerating (org_id, org_path, level, rated_on, issuer, revoked_on)
        SELECT h.org_id, {PATH_ON.format(org="h.org_id", on="(h.rated - 1095)")}, 'qualified', h.rated - 1095,
               %s, h.rated
        FROM bench_homes h JOIN orgs_org o ON o.id = h.org_id
        WHERE h.rn %% 4 = 0 AND h.rated - 1095 >= o.founded_on""", [HOME_ISSUERS[0]])
    cursor.execute(f"""
        INSERT INTO honours_homerating (org_id, org_path, level, rated_on, issuer, revoked_on, recheck_on, rectify_by)
        SELECT h.org_id, {PATH_ON.format(org="h.org_id", on="h.rated")}, h.level, h.rated, %s,
               CASE WHEN h.rn %% 53 = 0 AND h.rated + 400 <= %s::date THEN h.rated + 400 END,
               CASE WHEN h.rn %% 53 = 0 AND h.rated + 400 <= %s::date THEN NULL
                    WHEN h.rn %% 29 = 0 AND h.rated + 400 <= %s::date THEN h.rated + 490
                    WHEN h.rn %% 7 = 0 AND h.rated + 400 <= %s::date THEN h.rated + 400 + 1095
                    ELSE h.rated + 1095 END,
               CASE WHEN h.rn %% 53 <> 0 AND h.rn %% 29 = 0 AND h.rated + 400 <= %s::date THEN h.rated + 490 END
        FROM bench_homes h""", [HOME_ISSUERS[1], *[today] * 5])
    cursor.execute("""
        INSERT INTO honours_homerecheck (rating_id, "on", inspector, findings, outcome, rectify_by, score)
        SELECT r.id, r.rated_on + 400, '县总工会', '量测回头看',
               CASE WHEN r.revoked_on IS NOT NULL THEN 'revoke' WHEN r.rectify_by IS NOT NULL THEN 'rectify'
                    ELSE 'keep' END, r.rectify_by, 85
        FROM honours_homerating r
        WHERE r.issuer = %s AND (r.revoked_on IS NOT NULL OR r.rectify_by IS NOT NULL
                                      OR r.recheck_on = r.rated_on + 400 + 1095)""", [HOME_ISSUERS[1]])
    cursor.execute("SELECT COUNT(*), COUNT(*) FILTER (WHERE revoked_on IS NULL) FROM honours_homerating "
                   "WHERE issuer = ANY(%s)", [list(HOME_ISSUERS)])
    total, in_force = cursor.fetchone()
    say(f"home ratings loaded: {total}, {in_force} not revoked ({time.perf_counter() - started:.0f} s)")


SURVEY_ITEMS = ["组织建设", "民主管理", "维权服务", "职工之家阵地", "经费使用"]
RESPONSES = 20  # questionnaires a survey
SURVEY_NAME = "量测会员评家"  # tells the bench's surveys from the demo's


def load_surveys(cursor, today: dt.date) -> None:
    """会员评家: half the unions hold one this year and one last year, each answered by 20 members
    on five items (counts only: the figures read the counted columns, not the answers)."""
    import json

    cursor.execute("SELECT COUNT(*) FROM honours_homesurvey WHERE name = %s", [SURVEY_NAME])
    have = cursor.fetchone()[0]
    if have:
        say(f"surveys: {have} already")
        return
    started = time.perf_counter()
    for back in (0, 365):
        on = f"GREATEST(o.founded_on, %s::date - {back} - ((u.rn * 11) %% 300)::int)"
        cursor.execute(f"""
            INSERT INTO honours_homesurvey (org_id, org_path, name, held_on, items, threshold)
            SELECT u.id, {PATH_ON.format(org="u.id", on=on)}, %s, {on}, %s::jsonb, 80
            FROM bench_unions u JOIN orgs_org o ON o.id = u.id
            WHERE u.rn %% 2 = 0""", [today, today, SURVEY_NAME, today, json.dumps(SURVEY_ITEMS, ensure_ascii=False)])
    # 5 answers each: mostly 满意, some 基本满意, a few 不满意 (a survey in eleven below the pass rate)
    cursor.execute(f"""
        INSERT INTO honours_surveyresponse (survey_id, answers, satisfied, basic, unsatisfied, online)
        SELECT s.id, '{{}}'::jsonb, x.sat, x.basic, 5 - x.sat - x.basic, g %% 4 = 0
        FROM honours_homesurvey s CROSS JOIN generate_series(1, {RESPONSES}) g
        CROSS JOIN LATERAL (SELECT CASE WHEN s.id %% 11 = 0 THEN 1 + g %% 3 ELSE 3 + g %% 3 END AS sat,
                                   CASE WHEN s.id %% 11 = 0 THEN 1 ELSE (5 - 3 - g %% 3) / 2 END AS basic) x
        WHERE s.name = %s""", [SURVEY_NAME])
    cursor.execute("SELECT COUNT(DISTINCT s.id), COUNT(r.id) FROM honours_homesurvey s "
                   "LEFT JOIN honours_surveyresponse r ON r.survey_id = s.id WHERE s.name = %s", [SURVEY_NAME])
    say("surveys loaded: {} with {} questionnaires ({:.0f} s)".format(*cursor.fetchone(),
                                                                   time.perf_counter() - started))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="the PostgreSQL database (on DATABASE_URL's server) holding the city demo")
    args = parser.parse_args(argv)
    with run.BenchDatabase(keep=True, reuse=args.database):
        run.setup_django()
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.utils import timezone

        if connection.vendor != "postgresql":
            raise SystemExit("PostgreSQL only: DATABASE_URL names the server, the argument the database")
        call_command("migrate", verbosity=0, interactive=False)
        today = timezone.localdate()
        with transaction.atomic(), connection.cursor() as cursor:
            load_workers(cursor, today)
            load_honours(cursor, today)
            load_contests(cursor, today)
            load_teams(cursor)
            load_innovations(cursor, today)
            load_homes(cursor, today)
            load_surveys(cursor, today)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE honours_modelworker")
            for table in ("title", "titlelevel", "carerecord", "honour", "honourstep", "contest", "contestevent", "entry",
                          "team", "innovation", "homerating", "homerecheck", "homesurvey", "surveyresponse"):
                cursor.execute(f"VACUUM ANALYZE honours_{table}")
            cursor.execute("""SELECT (SELECT COUNT(*) FROM honours_modelworker), (SELECT COUNT(*) FROM honours_title),
                                     (SELECT COUNT(*) FROM honours_carerecord), (SELECT COUNT(*) FROM honours_honour),
                                     (SELECT COUNT(*) FROM honours_contest), (SELECT COUNT(*) FROM honours_entry),
                                     (SELECT COUNT(*) FROM honours_innovation), (SELECT COUNT(*) FROM honours_homerating),
                                     (SELECT COUNT(*) FROM honours_homesurvey),
                                     (SELECT COUNT(*) FROM honours_surveyresponse)""")
            say("model workers {}, titles {}, care records {}, honours {}, contests {}, entries {}, innovations {}, "
                "home ratings {}, surveys {}, questionnaires {}".format(*cursor.fetchone()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
