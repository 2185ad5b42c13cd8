"""The unit codes of the 全总 statistics report on the employer (issue 17): 单位类别, 经济类型,
the GB/T 4754 行业 code (the free-text 行业 becomes its code where it names one) and the old
组织机构代码. Existing employers get a 单位类别 and 经济类型 from their 单位性质 where it says which."""

from django.db import migrations, models

BATCH = 2000
# 单位性质 → (单位类别, 经济类型); 社会组织 may be a 社会团体 or a 民办非企业: left for the clerk.
FROM_OWNERSHIP = {
    "state": ("110", "110"), "collective": ("120", "120"), "private": ("170", "170"), "hmt": ("200", "200"),
    "foreign": ("300", "300"), "government": ("500", ""), "institution": ("400", ""), "individual": ("600", ""),
}


def fill_codes(apps, schema_editor):
    from gonghui.core import codes

    industries = codes.get("industry")
    Employer = apps.get_model("orgs", "Employer")
    last = 0
    while True:
        batch = list(Employer.objects.filter(pk__gt=last).order_by("pk")
                     .only("pk", "ownership", "industry", "unit_category", "economic_type")[:BATCH])
        if not batch:
            return
        for e in batch:
            e.unit_category, e.economic_type = FROM_OWNERSHIP.get(e.ownership, ("", ""))
            # A label or code of GB/T 4754 becomes the code; other text stays as written (shown as is).
            e.industry = industries.code_of(e.industry) or e.industry
        Employer.objects.bulk_update(batch, ["unit_category", "economic_type", "industry"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0003_employer_name_matching"),
    ]

    operations = [
        migrations.AddField(
            model_name="employer",
            name="economic_type",
            field=models.CharField(blank=True, max_length=3, verbose_name="经济类型"),
        ),
        migrations.AddField(
            model_name="employer",
            name="org_code",
            field=models.CharField(blank=True, max_length=9, verbose_name="组织机构代码"),
        ),
        migrations.AddField(
            model_name="employer",
            name="unit_category",
            field=models.CharField(blank=True, max_length=3, verbose_name="单位类别"),
        ),
        migrations.AlterField(
            model_name="employer",
            name="industry",
            field=models.CharField(blank=True, max_length=50, verbose_name="行业（GB/T 4754）"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
    ]
