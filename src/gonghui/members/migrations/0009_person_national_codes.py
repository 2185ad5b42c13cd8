"""The person's code-table fields store the codes of the national tables (issue 17, core.codes).

* 户籍类型: our two values become GA 324.1 户口类别 codes: urban (城镇) → 1 非农业家庭户口,
  rural (农村) → 2 农业家庭户口, the codes a two-value sheet's 城镇/农村 mean on import too. The
  农民工 flag (is_migrant_worker and its copies on the status periods) stays as it is: code 2 is
  rural, as "rural" was.
* 就业状态: our English values become the 就业状况 codes (1 在岗, 2 待（下）岗, 3 失业, 4 退休,
  7 退养（内退）, 8 病休) and 灵活就业 our extension code X1.
* 政治面貌: our code 04 meant 民主党派 in general, but GB/T 4762's 04 is 民革 (中国国民党革命委员会
  会员). Which party those members belong to is not known, so none is guessed: they get our
  extension code X1 民主党派（未注明党派）, and each gets a 信息变更 event on its timeline saying
  what was changed and why (the old code and its meaning), so the record stays traceable; the
  to-do list (reminders.party_unspecified) asks the clerk to pick the party. No audit entry is
  written: the audit chain's keys are the running system's, not a migration's.
* 文化程度: our codes were GB/T 4658's groups (10, 20 …), which stay valid; the detailed codes
  (11, 21 …) are now allowed as well.

Every change is one UPDATE per value (set-based, whatever the size); the events are inserted for
the 04 people only. The reverse maps the codes back where the old values can say them (离休 and
退职 become 退休, 其他 在岗; the other 户口类别 城镇 unless rural; X1 政治面貌 04).
"""

import datetime as dt

from django.db import migrations, models

import gonghui.members.models

HUKOU = {"urban": "1", "rural": "2"}
EMPLOYMENT = {"employed": "1", "laid_off": "2", "unemployed": "3", "retired": "4", "internal_retired": "7",
              "sick_leave": "8", "flexible": "X1"}
OLD_DEMOCRATIC, PARTY_UNSPECIFIED = "04", "X1"
REASON = ("政治面貌代码更正：原代码04在本系统中表示“民主党派”，而国家标准GB/T 4762中04为“民革会员”。"
          "原记录未注明党派，已改为“民主党派（未注明党派）”，请补选具体党派。")
BATCH = 2000

HUKOU_BACK = {"2": "rural", "4": "rural"}  # every other 户口类别 was 城镇 in the old two values
EMPLOYMENT_BACK = {"1": "employed", "2": "laid_off", "3": "unemployed", "4": "retired", "5": "retired",
                   "6": "retired", "7": "internal_retired", "8": "sick_leave", "9": "employed", "X1": "flexible"}


def _record_political_changes(apps, on: dt.date) -> None:
    """A 信息变更 event for each person whose 04 becomes X1, on the membership he has now (or his last)."""
    Person = apps.get_model("members", "Person")
    Membership = apps.get_model("members", "Membership")
    MemberEvent = apps.get_model("members", "MemberEvent")
    ids = list(Person.objects.filter(political=OLD_DEMOCRATIC).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        part = ids[start:start + BATCH]
        last = {}
        for m in (Membership.objects.filter(person_id__in=part).order_by("person_id", "started_on", "pk")
                  .values("pk", "person_id", "union_id", "union__path", "ended_on")):
            held = last.get(m["person_id"])
            if held is None or held["ended_on"] is not None or m["ended_on"] is None:
                last[m["person_id"]] = m  # the current one wins; else the latest
        MemberEvent.objects.bulk_create([
            MemberEvent(person_id=pid, membership_id=m["pk"], union_id=m["union_id"], kind="updated", effective_on=on,
                        month=on.replace(day=1), path=m["union__path"], reason=REASON[:200], actor_name="系统（数据迁移）",
                        data={"fields": ["political"], "political": [OLD_DEMOCRATIC, PARTY_UNSPECIFIED],
                              "old_meaning": "民主党派"})
            for pid, m in last.items()
        ])


def forwards(apps, schema_editor):
    from gonghui.core import clock  # the one clock (Asia/Shanghai's date, or the demo's frozen one)

    Person = apps.get_model("members", "Person")
    _record_political_changes(apps, clock.today())
    Person.objects.filter(political=OLD_DEMOCRATIC).update(political=PARTY_UNSPECIFIED)
    for old, new in HUKOU.items():
        Person.objects.filter(hukou=old).update(hukou=new)
    for old, new in EMPLOYMENT.items():
        Person.objects.filter(employment=old).update(employment=new)


def backwards(apps, schema_editor):
    Person = apps.get_model("members", "Person")
    Person.objects.filter(political=PARTY_UNSPECIFIED).update(political=OLD_DEMOCRATIC)
    Person.objects.exclude(hukou="").exclude(hukou__in=[*HUKOU_BACK, *HUKOU]).update(hukou="urban")
    for new, old in HUKOU_BACK.items():
        Person.objects.filter(hukou=new).update(hukou=old)
    for new, old in EMPLOYMENT_BACK.items():
        Person.objects.filter(employment=new).update(employment=old)


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0008_person_employer_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="person",
            name="education",
            field=models.CharField(blank=True, choices=gonghui.members.models.education_choices, max_length=2,
                                   verbose_name="文化程度"),
        ),
        migrations.AlterField(
            model_name="person",
            name="employment",
            field=models.CharField(choices=gonghui.members.models.employment_choices, default="1", max_length=20,
                                   verbose_name="就业状态"),
        ),
        migrations.AlterField(
            model_name="person",
            name="ethnicity",
            field=models.CharField(choices=gonghui.members.models.ethnicity_choices, default="01", max_length=2,
                                   verbose_name="民族"),
        ),
        migrations.AlterField(
            model_name="person",
            name="hukou",
            field=models.CharField(blank=True, choices=gonghui.members.models.hukou_choices, max_length=10,
                                   verbose_name="户籍类型"),
        ),
        migrations.AlterField(
            model_name="person",
            name="political",
            field=models.CharField(blank=True, choices=gonghui.members.models.political_choices, max_length=2,
                                   verbose_name="政治面貌"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(condition=models.Q(("political", "X1")), fields=["political"],
                               name="person_party_unspecified"),
        ),
    ]
