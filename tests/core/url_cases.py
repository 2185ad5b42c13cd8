"""The platform's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""


def cases(tree, personas):
    return {
        "core:home": None, "core:todo": None, "core:workbench_todo": None, "core:workbench_figures": None, "core:stats": None, "core:audit": None, "core:healthz": None,
        "core:access_log": None, "core:calendar": None, "core:calendar_delete": None,
        **IMPORT_CASES,
        # A line's guide is for every signed-in user; a line that has none gives 404.
        "core:guide": (["members"], ["no-such-line"]),
        "core:workbench_drafts": None, "core:notices": None, "core:notice_new": None,
        "core:notice_withdraw": notice_case(tree, personas),
        **job_cases(personas),
        "core:audit_entry": audit_entry_case(tree),
    }


def notice_case(tree, personas):
    """A notice of 甲镇 (the township admin may withdraw it) and one of 乙 (out of his scope)."""
    import datetime as dt

    from gonghui.core import clock, notices

    today = clock.today()
    made = [notices.notice_post(actor=None, org=town, title="通知", body="", valid_from=today,
                                valid_until=today + dt.timedelta(days=7)) for town in (tree.town_a, tree.town_b)]
    return ([made[0].pk], [made[1].pk])


def audit_entry_case(tree):
    """An audit entry of 甲镇 (in the township admin's scope) and one of 乙 (out of it)."""
    from django.db import transaction

    from gonghui.core import audit

    with transaction.atomic():
        entries = [audit.record(actor=None, action="test.thing.done", changes={"n": 1},
                                target=audit.Target("test.thing", "1", "事物", town.path))
                   for town in (tree.town_a, tree.town_b)]
    return ([entries[0].seq], [entries[1].seq])


# The import pages of every registered importer take a kind, not an object. The permission is the
# importer's, checked in the view with `requires`' answers: a user without it gets 403 (the outsider
# and the read-only leader, for every kind: tests/core/test_import_pages.py); a kind no app registers
# gives 404 (the "out of scope" column here).
IMPORT_CASES = {
    "core:import": (["members"], ["no-such-kind"]),
    "core:import_template": (["orgs"], ["no-such-kind"]),
}


def job_cases(personas):
    """A job is its owner's only: the town admin's job (in) and the leader's (out). Everyone
    else gets the 404 of a missing job, which the outsider and leader tests check too."""
    from gonghui.core import jobs

    mine = jobs.create(user=personas.town_admin, kind="import", title="导入会员名册", params={"importer": "members"})
    jobs.save_output(mine, b"report", "report.xlsx")
    mine.save()
    theirs = jobs.create(user=personas.leader, kind="import", title="导入会员名册", params={"importer": "members"})
    job = ([mine.pk], [theirs.pk])
    return {"jobs:list": None, "jobs:detail": job, "jobs:progress": job, "jobs:download": job, "jobs:rerun": job}


# A job is its owner's only: everyone else gets the 404 of a missing job.
OWNER_ONLY = {"jobs:detail", "jobs:progress", "jobs:download", "jobs:rerun"}
