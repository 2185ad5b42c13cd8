from django.db import migrations


def seed(apps, schema_editor):
    from gonghui.activities.seeds import seed_kinds

    seed_kinds(apps.get_model("activities", "ActivityKind"))


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
