"""The review department's 受理 and 审查意见书 on a contract (issue 17: the 集体合同审查登记表 columns)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("bargaining", "0002_figure_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="accepted_no",
            field=models.CharField(blank=True, max_length=50, verbose_name="受理编号"),
        ),
        migrations.AddField(
            model_name="contract",
            name="accepted_on",
            field=models.DateField(blank=True, null=True, verbose_name="受理日期"),
        ),
        migrations.AddField(
            model_name="contract",
            name="review_no",
            field=models.CharField(blank=True, max_length=50, verbose_name="审查意见书编号"),
        ),
        migrations.AddField(
            model_name="contract",
            name="review_on",
            field=models.DateField(blank=True, null=True, verbose_name="审查意见书日期"),
        ),
    ]
