"""The help request's link to the case the intake opened (assistance.intake), and the database
cache table the public pages' rate limits count in (portal.throttle) when the installation's own
cache is per process: the same table `manage createcachetable` makes."""

import django.db.models.deletion
from django.db import migrations, models


TABLE = "portal_throttle_cache"  # = portal.throttle.TABLE (a migration keeps its own copy)


def create(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("assistance", "0007_archive_form_fields"),
        ("portal", "0003_delegatelink"),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="application",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="assistance.application", verbose_name="帮扶申请"),
        ),
        migrations.RunPython(create, drop),
    ]
