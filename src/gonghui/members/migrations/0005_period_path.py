"""The union's tree path (and the person's gender and 农民工 flag) on every status period.

Stock figures then read a subtree's rows by a range on `period_status_path` instead of joining
every period to the tree's placements and to the people (issue 14: a county's figures cost
what the whole city's cost). See `MemberStatusPeriod`.

The fill is set-based (a few statements, whatever the size):
1. a period during which its union moved (a placement of the union starts inside it) is cut
   at each such date: the later parts are inserted as `continued` rows, the first part ends
   at the first move;
2. one UPDATE gives every period the path of the placement holding its first day (the
   union's current path where no placement does, as `orgs.selectors.path_on`), and its
   person's gender and flag. On PostgreSQL it is an UPDATE … FROM a join, so each row is
   rewritten once; SQLite uses correlated subqueries (its sizes are a county's).
The indexes are built after the fill. On PostgreSQL the UPDATE leaves a dead copy of every row
and clears the visibility map, so the figures' index-only scans read the table until autovacuum
has passed (it does, a million dead rows being far over its threshold); `VACUUM ANALYZE
members_memberstatusperiod` after the upgrade makes that immediate (measured on the city demo:
root `members.total` 770 ms before it, 170 ms after).
"""

from django.db import migrations, models

PERIOD, PLACEMENT = "members_memberstatusperiod", "orgs_orgplacement"

# Placements of the period's union starting strictly inside the period.
INSIDE = ("pl.org_id = sp.union_id AND pl.valid_from > sp.valid_from "
          "AND (sp.valid_to IS NULL OR pl.valid_from < sp.valid_to)")

SPLIT_INSERT = f"""
INSERT INTO {PERIOD} (membership_id, union_id, status, reason, valid_from, valid_to, path, continued, gender, migrant)
SELECT sp.membership_id, sp.union_id, sp.status, sp.reason, pl.valid_from,
       CASE WHEN sp.valid_to IS NULL THEN pl.valid_to
            WHEN pl.valid_to IS NULL OR pl.valid_to > sp.valid_to THEN sp.valid_to
            ELSE pl.valid_to END,
       '', %s, 1, %s
FROM {PERIOD} sp JOIN {PLACEMENT} pl ON {INSIDE}
WHERE sp.continued = %s
"""
SPLIT_END = f"""
UPDATE {PERIOD} SET valid_to = (
    SELECT MIN(pl.valid_from) FROM {PLACEMENT} pl WHERE {INSIDE.replace('sp.', PERIOD + '.')})
WHERE continued = %s AND EXISTS (SELECT 1 FROM {PLACEMENT} pl WHERE {INSIDE.replace('sp.', PERIOD + '.')})
"""

FILL_POSTGRESQL = f"""
UPDATE {PERIOD} AS t SET path = x.path, gender = x.gender, migrant = x.is_migrant_worker
FROM (
    SELECT sp.id, COALESCE(pl.path, o.path) AS path, pe.gender, pe.is_migrant_worker
    FROM {PERIOD} sp
    JOIN members_membership m ON m.id = sp.membership_id
    JOIN members_person pe ON pe.id = m.person_id
    JOIN orgs_org o ON o.id = sp.union_id
    LEFT JOIN {PLACEMENT} pl ON pl.org_id = sp.union_id AND pl.valid_from <= sp.valid_from
         AND (pl.valid_to IS NULL OR pl.valid_to > sp.valid_from)
) AS x
WHERE x.id = t.id
"""

FILL_SQLITE = f"""
UPDATE {PERIOD} SET
    path = COALESCE(
        (SELECT pl.path FROM {PLACEMENT} pl WHERE pl.org_id = {PERIOD}.union_id
         AND pl.valid_from <= {PERIOD}.valid_from AND (pl.valid_to IS NULL OR pl.valid_to > {PERIOD}.valid_from)
         ORDER BY pl.valid_from DESC LIMIT 1),
        (SELECT o.path FROM orgs_org o WHERE o.id = {PERIOD}.union_id)),
    gender = (SELECT pe.gender FROM members_membership m JOIN members_person pe ON pe.id = m.person_id
              WHERE m.id = {PERIOD}.membership_id),
    migrant = (SELECT pe.is_migrant_worker FROM members_membership m JOIN members_person pe ON pe.id = m.person_id
               WHERE m.id = {PERIOD}.membership_id)
"""


def fill(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SPLIT_INSERT, [True, False, False])
        cursor.execute(SPLIT_END, [False])
        if not postgresql:
            cursor.execute(FILL_SQLITE)
            return
        # Every row gets a new version, and a full page leaves no room for a HOT update, so
        # each would be added to every index of the table: the secondary indexes are dropped
        # for the UPDATE and rebuilt from their own definitions after it (each one pass).
        # CREATE INDEX refuses a table with pending deferred (foreign key) checks: the split
        # rows' are run now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                       "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [PERIOD, PERIOD])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(FILL_POSTGRESQL)
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are INITIALLY DEFERRED


def unsplit(apps, schema_editor):
    """Back: each continued part is folded into the part before it, in date order."""
    period = apps.get_model("members", "MemberStatusPeriod")
    for part in period.objects.filter(continued=True).order_by("membership_id", "valid_from").iterator():
        period.objects.filter(membership_id=part.membership_id, continued=False, valid_to=part.valid_from).update(
            valid_to=part.valid_to)
        part.delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0004_key_versions"), ("orgs", "0001_initial")]

    operations = [
        migrations.AddField("memberstatusperiod", "path", models.CharField(default="", max_length=255)),
        migrations.AddField("memberstatusperiod", "continued", models.BooleanField(default=False)),
        migrations.AddField("memberstatusperiod", "gender", models.PositiveSmallIntegerField(
            choices=[(1, "男"), (2, "女")], default=1)),
        migrations.AddField("memberstatusperiod", "migrant", models.BooleanField(default=False)),
        migrations.RunPython(fill, unsplit),
        migrations.AddIndex("memberstatusperiod", models.Index(
            fields=["status", "path", "valid_from"], include=["valid_to", "gender", "migrant"],
            name="period_status_path")),
        migrations.AddIndex("memberevent", models.Index(
            fields=["kind", "path", "effective_on"], name="memberevent_kind_path")),
    ]
