"""Bulk work in a process of its own, so that bench/members_io.py can read its peak memory.

    python bench/child.py export '{"joined_from": "2024-01-01"}'

runs the roster export as the demo `admin` the way a big export runs on the web: a job
(`core.jobs.create`) executed by the runner the task worker uses (`jobs.run_now` calls the
same `execute`), writing the xlsx into the data dir. Prints the job's outcome as JSON.
(The import needs no helper: the bench runs `gonghui import members FILE --user admin`.)
"""

import json
import os
import sys


def main(argv: list[str]) -> int:
    kind, params = argv[0], json.loads(argv[1])
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
