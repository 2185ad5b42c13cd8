"""MemberEvent.month (the first day of the effective date's month) and the flow figures' index
(kind, month, path, effective_on), replacing (kind, path, effective_on) of 0005.

A flow figure for a county over a half-year now seeks six months and reads the county's events
of those months only: with a path-first index it read the county's events of every year, with
the date-first one the city's of the half-year (issue 14: cost ∝ subtree). The fill is one
UPDATE; on PostgreSQL the table's secondary indexes are dropped for it and rebuilt after, as in
0005 (every row gets a new version).
"""

from django.db import migrations, models

EVENT = "members_memberevent"


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor != "postgresql":
            cursor.execute(f"UPDATE {EVENT} SET month = date(effective_on, 'start of month')")
            return
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # CREATE INDEX refuses pending trigger events
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                       "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [EVENT, EVENT])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"UPDATE {EVENT} SET month = date_trunc('month', effective_on)::date")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are INITIALLY DEFERRED


class Migration(migrations.Migration):
    dependencies = [("members", "0006_person_name_cover")]

    operations = [
        migrations.RemoveIndex("memberevent", "memberevent_kind_path"),
        migrations.AddField("memberevent", "month", models.DateField(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("memberevent", "month", models.DateField()),
        migrations.AddIndex("memberevent", models.Index(
            fields=["kind", "month", "path", "effective_on"], name="memberevent_kind_month_path")),
    ]
