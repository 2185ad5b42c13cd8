from django.db import migrations, models
from django.db.models import F


def keep_divisor(apps, schema_editor):
    # Existing archives divided by the members they had: declaring that many keeps every
    # stored per-capita figure and proposal as it was.
    apps.get_model("assistance", "Archive").objects.update(declared_size=F("household_size"))


class Migration(migrations.Migration):

    dependencies = [
        ("assistance", "0005_key_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="archive",
            name="declared_size",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="家庭人口数"),
        ),
        migrations.RunPython(keep_divisor, migrations.RunPython.noop),
    ]
