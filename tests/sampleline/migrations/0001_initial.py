import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("orgs", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Visit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("org_path", models.CharField(db_index=True, max_length=255, verbose_name="单位路径")),
                ("visited_on", models.DateField(verbose_name="走访日期")),
                ("follow_up_on", models.DateField(blank=True, null=True, verbose_name="回访日期")),
                ("title", models.CharField(max_length=100, verbose_name="事由")),
                ("org", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="orgs.org",
                                          verbose_name="走访单位")),
            ],
            options={"verbose_name": "走访记录",
                     "indexes": [models.Index(fields=["org_path", "visited_on"], name="sampleline__org_pat_idx")]},
        ),
    ]
