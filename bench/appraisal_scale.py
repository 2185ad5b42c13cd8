"""Issue 23's benchmark: a scheme of 60 indicators (30 bound to registry metrics) scored live for
25 township federations, and the 督导 page of a data-collection round sent to 1,500 unions.

Runs on a copy of the city demo (PostgreSQL), or on any demo database bench/run.py can reuse:

    psql -h 127.0.0.1 -U postgres -c 'create database gh_ap_city template gonghui_city_tpl'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/appraisal_scale.py --reuse gh_ap_city --runs 3

Set-up (kept in the database, found again on a second run by the titles below):

- the first county gets 25 township federations: the city demo has 20 per county, so five
  townships of the second county are moved under it (orgs.services.org_move, effective 1 January,
  so the year's rows follow them), as a 转移 would;
- the scheme: 5 groups of 11 indicators (60 in all); 30 leaves bound to 30 different registry
  figures (steps, thresholds and ratios), the other 25 scored by hand, counted (deductions,
  bonuses) or a veto; issued to the 25 townships;
- the round: a 6-field form sent to the first 1,500 grass-roots unions under the county, 40 %
  of them submitted.

Then it times `live.score_scheme` (every registry figure computed, the cache plays no part), the
scheme page that shows it, and the round's 督导 page, with their query counts; the median of
`--runs` after one warm-up. Targets: 2 s for the scoring, 300 ms for the 督导 page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import BenchDatabase, count_queries, progress, setup_django  # noqa: E402

SCHEME_TITLE = "基准：乡镇(街道)工会目标管理考核（60项指标）"
ROUND_TITLE = "基准：建会入会进展月报（1500家）"
TOWNSHIPS = 25
UNIONS = 1500
GROUPS = 5
LEAVES = 11  # per group: 5 + 55 = 60 indicators
BOUND = 30
SCORE_LIMIT_MS = 2000.0
PAGE_LIMIT_MS = 300.0


def _median_ms(func, runs: int) -> float:
    func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bound_metrics() -> list[str]:
    """30 different figures with a set-based breakdown, the rates first (what schemes bind)."""
    from gonghui.core.metrics import REGISTRY

    usable = [c for c, m in REGISTRY.items() if m.breakdown is not None]
    rates = [c for c in usable if REGISTRY[c].unit == "%"]
    counts = [c for c in usable if REGISTRY[c].unit != "%"]
    picked = (rates + counts)[:BOUND]
    if len(picked) < BOUND:
        raise SystemExit(f"only {len(picked)} figures with a breakdown are registered")
    return picked


def county_with_townships(today: dt.date):
    """The first county, with TOWNSHIPS township federations under it (moved from the next
    counties when it has fewer)."""
    from gonghui.orgs import services as org_services
    from gonghui.orgs.models import Org, OrgStatus, OrgType

    kinds = (OrgType.TOWNSHIP_FED, OrgType.TOWNSHIP_GEN)
    counties = list(Org.objects.filter(org_type=OrgType.COUNTY).exclude(status=OrgStatus.DISSOLVED).order_by("path"))
    county = counties[0]

    def towns(c):
        return Org.objects.filter(path__startswith=c.path, depth=c.depth + 1, org_type__in=kinds).exclude(
            status=OrgStatus.DISSOLVED)

    need = TOWNSHIPS - towns(county).count()
    for donor in counties[1:]:
        if need <= 0:
            break
        for town in list(towns(donor).order_by("-path")[:need]):
            progress(f"  moving {town.name} under {county.name}…")
            org_services.org_move(actor=None, org=town, new_parent=county, effective_on=dt.date(today.year, 1, 1))
            need -= 1
    if need > 0:
        raise SystemExit(f"{county.name} has only {TOWNSHIPS - need} townships")
    return Org.objects.get(pk=county.pk)


def plan() -> list[tuple[str, list[tuple]]]:
    """The 5 groups and their leaves: (code, rule, params, max score, metric); 30 leaves bound to
    figures (steps, thresholds, ratios), the others by hand, counted or a veto. Each group's 22
    points are spread over its weighted leaves (bonuses and vetoes stand outside the weights)."""
    from decimal import Decimal

    from gonghui.appraisal import scoring

    metrics = bound_metrics()
    out, n = [], 0
    for g in range(1, GROUPS + 1):
        leaves = []
        for j in range(1, LEAVES + 1):
            if n < BOUND:
                rule, params = [(scoring.STEP, {"steps": [[80, 2], [60, 1]]}), (scoring.THRESHOLD, {"min": 50}),
                                (scoring.RATIO, {"target": 100})][n % 3]
                leaves.append([f"{g}.{j}", rule, params, None, metrics[n]])
                n += 1
            else:
                rule, params = [(scoring.MANUAL, {}), (scoring.DEDUCT, {"per": 1}), (scoring.BONUS, {"per": 1}),
                                (scoring.VETO, {"limit": 0})][j % 4]
                leaves.append([f"{g}.{j}", rule, params, Decimal(2) if rule == scoring.BONUS else Decimal(0), ""])
        weighted = [leaf for leaf in leaves if leaf[1] not in scoring.UNWEIGHTED]
        share = (Decimal(LEAVES * 2) / len(weighted)).quantize(Decimal("0.01"))
        for leaf in weighted:
            leaf[3] = share
        weighted[-1][3] = Decimal(LEAVES * 2) - share * (len(weighted) - 1)
        out.append((str(g), [tuple(leaf) for leaf in leaves]))
    return out


def build_scheme(county, today: dt.date):
    from gonghui.appraisal import scoring, services
    from gonghui.appraisal.models import Scheme

    s = Scheme.objects.filter(title=SCHEME_TITLE, org=county).first()
    if s is not None:
        return s
    s = services.scheme_create(actor=None, org=county, year=today.year, title=SCHEME_TITLE, target_type="township",
                               total_score=GROUPS * LEAVES * 2,
                               grades=[["优秀", 90], ["良好", 80], ["合格", 60], ["不合格", 0]], tie_break="1")
    for g, leaves in plan():
        group = services.indicator_save(actor=None, scheme=s, code=g, name=f"第{g}部分", max_score=LEAVES * 2,
                                        rule_type=scoring.MANUAL)
        for code, rule, params, score, metric in leaves:
            services.indicator_save(actor=None, scheme=s, code=code, name=f"指标{code}", max_score=score,
                                    rule_type=rule, params=params, metric_code=metric, parent=group)
    services.scheme_issue(actor=None, scheme=s)
    return s


def build_round(county, today: dt.date):
    from django.db.models import Q

    from gonghui.appraisal import services
    from gonghui.appraisal.models import Round, Submission, SubmissionStatus
    from gonghui.orgs.models import GRASSROOTS_TYPES, Org

    r = Round.objects.filter(title=ROUND_TITLE, org=county).first()
    if r is not None:
        return r
    unions = list(Org.objects.filter(Q(path__startswith=county.path), org_type__in=GRASSROOTS_TYPES,
                                     dissolved_on__isnull=True).order_by("path")[:UNIONS])
    start = today.replace(day=1)
    r = services.round_send(
        actor=None, org=county, title=ROUND_TITLE, period_start=start, period_end=today,
        deadline=today + dt.timedelta(days=3), orgs=unions, instructions="每月上报本单位建会入会进展。",
        fields=[{"label": "本月新发展会员", "kind": "number", "required": True, "min": 0},
                {"label": "本月新建工会", "kind": "number", "min": 0},
                {"label": "本月工作进展", "kind": "text", "required": True},
                {"label": "是否召开职代会", "kind": "choice", "choices": ["是", "否"]},
                {"label": "职代会日期", "kind": "date"},
                {"label": "备注", "kind": "text"}])
    subs = list(Submission.objects.filter(round=r).order_by("org_path"))
    done = [s for i, s in enumerate(subs) if i % 5 in (1, 3)]
    for s in done:
        s.status, s.data = SubmissionStatus.SUBMITTED, {"f1": "3", "f3": "开展会员发展集中行动。", "f4": "是"}
    Submission.objects.bulk_update(done, ["status", "data"], batch_size=500)
    return r


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", required=True, help="a database (PostgreSQL name or SQLite data dir) with a demo")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--townships", type=int, default=TOWNSHIPS, help="a smaller run on a smaller demo")
    parser.add_argument("--unions", type=int, default=UNIONS)
    args = parser.parse_args(argv)
    globals().update(TOWNSHIPS=args.townships, UNIONS=args.unions)
    with BenchDatabase(keep=True, reuse=args.reuse):
        setup_django()
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test import Client
        from django.urls import reverse

        from gonghui.accounts.models import User
        from gonghui.appraisal import live
        from gonghui.core import clock

        call_command("migrate", verbosity=0, interactive=False)
        today = clock.today()
        started = time.perf_counter()
        with transaction.atomic():
            county = county_with_townships(today)
            s = build_scheme(county, today)
            r = build_round(county, today)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        progress(f"set-up ready in {time.perf_counter() - started:.0f} s ({connection.vendor}, {county.name})")
        s.refresh_from_db()

        rows = []
        result, captured = count_queries(lambda: live.score_scheme(s))
        indicators, bound = len(result.indicators), sum(1 for i in result.indicators if i.metric_code)
        ms = _median_ms(lambda: live.score_scheme(s), args.runs)
        rows.append((f"`live.score_scheme`: {indicators} indicators ({bound} bound), {len(result.rows)} townships",
                     ms, len(captured), SCORE_LIMIT_MS))
        admin = User.objects.get(username="admin")
        client = Client()
        client.force_login(admin)
        client.get("/todo/")

        def get(url):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            return response

        url = reverse("appraisal:scheme", args=[s.pk])
        _, captured = count_queries(lambda: get(url))
        rows.append((f"scheme page `{url}` (the same, ranked and rendered)", _median_ms(lambda: get(url), args.runs),
                     len(captured), SCORE_LIMIT_MS))
        url = reverse("appraisal:round", args=[r.pk])
        total = r.submissions.count()
        _, captured = count_queries(lambda: get(url))
        rows.append((f"督导 page `{url}` ({total} units, first page of those not reported)",
                     _median_ms(lambda: get(url), args.runs), len(captured), PAGE_LIMIT_MS))
        _, captured = count_queries(lambda: get(url + "?show=done"))
        rows.append(("… its reported tab `?show=done`", _median_ms(lambda: get(url + "?show=done"), args.runs),
                     len(captured), PAGE_LIMIT_MS))
        print(f"\n| work ({connection.vendor}, median of {args.runs}) | ms | queries | target |")
        print("|---|---:|---:|---:|")
        missed = 0
        for work, ms, queries, limit in rows:
            ok = ms <= limit
            missed += not ok
            print(f"| {work} | {ms:.0f} | {queries} | {limit:.0f} ms {'✓' if ok else '✗ missed'} |")
    return 0 if not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
