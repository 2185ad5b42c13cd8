"""Bulk work in a process of its own, so that bench/members_io.py can read its peak memory.

    python bench/child.py export '{"joined_from": "2024-01-01"}'

runs the roster export as the demo `admin` the way a big export runs on the web: a job
(`core.jobs.create`) executed by the runner the task worker uses (`jobs.run_now` calls the
same `execute`), writing the xlsx into the data dir. Prints the job's outcome as JSON.
(The import needs no helper: the bench runs `gonghui import members FILE --user admin`.)

    python bench/child.py figures '{"size": "county", "runs": 7, "codes": [...], "today": "2026-12-06"}'

builds that demo in the database its environment names (bench/run.py gives it one of its own),
unless it is there already, then times every figure in `codes` for the demo's root, this year
to date (median of `runs` after one warm-up): the "county alone" side of the growth ratio.
Progress goes to stderr; the last line of stdout is the JSON answer.
"""

import json
import os
import sys


def figures(params: dict) -> int:
    import datetime as dt

    import run  # bench/run.py: the same setup, build and timing as the parent

    run.progress = lambda message: print(message, file=sys.stderr, flush=True)
    run.setup_django()
    run.build_data(params["size"])
    from gonghui.core.metrics import compute
    from gonghui.core.periods import Period
    from gonghui.orgs.models import Org

    root = Org.objects.get(depth=1)
    period = Period.year_to_date(dt.date.fromisoformat(params["today"]))
    ms = {}
    for code in params["codes"]:
        ms[code] = run.app_median(lambda code=code: compute(code, root, period), params["runs"])
    print(json.dumps({"root": root.name, "ms": ms,
                      "members": compute("members.total", root, period).value,
                      "unions": compute("orgs.unions_total", root, period).value}, ensure_ascii=False))
    return 0


def main(argv: list[str]) -> int:
    kind, params = argv[0], json.loads(argv[1])
    if kind == "figures":
        return figures(params)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    import django

    django.setup()
    if kind != "export":
        raise SystemExit(f"unknown kind {kind!r}")
    from gonghui.accounts.models import User
    from gonghui.core import jobs
    from gonghui.members import exports

    user = User.objects.get(username="admin")
    job = jobs.create(user=user, kind="members.export", title="导出会员名册", input_bytes=exports.params_json(params),
                      input_suffix=".json")
    job = jobs.run_now(job)
    output = jobs.file_of(job.output_path) if job.output_path else None
    print(json.dumps({"status": job.status, "error": job.error, "result": job.result,
                      "output": str(output or "")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
