import datetime as dt

from django.db import migrations

# China's official holiday arrangements (国务院办公厅 notices for 2024, 2025 and 2026):
# (first day off, last day off, name, [调休 working weekend days]). A frozen copy: later
# years are entered on the calendar page (节假日日历) by an administrator.
ARRANGEMENTS = [
    ("2024-01-01", "2024-01-01", "元旦", []),
    ("2024-02-10", "2024-02-17", "春节", ["2024-02-04", "2024-02-18"]),
    ("2024-04-04", "2024-04-06", "清明节", ["2024-04-07"]),
    ("2024-05-01", "2024-05-05", "劳动节", ["2024-04-28", "2024-05-11"]),
    ("2024-06-10", "2024-06-10", "端午节", []),
    ("2024-09-15", "2024-09-17", "中秋节", ["2024-09-14"]),
    ("2024-10-01", "2024-10-07", "国庆节", ["2024-09-29", "2024-10-12"]),
    ("2025-01-01", "2025-01-01", "元旦", []),
    ("2025-01-28", "2025-02-04", "春节", ["2025-01-26", "2025-02-08"]),
    ("2025-04-04", "2025-04-06", "清明节", []),
    ("2025-05-01", "2025-05-05", "劳动节", ["2025-04-27"]),
    ("2025-05-31", "2025-06-02", "端午节", []),
    ("2025-10-01", "2025-10-08", "国庆节、中秋节", ["2025-09-28", "2025-10-11"]),
    ("2026-01-01", "2026-01-03", "元旦", ["2026-01-04"]),
    ("2026-02-15", "2026-02-23", "春节", ["2026-02-14", "2026-02-28"]),
    ("2026-04-04", "2026-04-06", "清明节", []),
    ("2026-05-01", "2026-05-05", "劳动节", ["2026-05-09"]),
    ("2026-06-19", "2026-06-21", "端午节", []),
    ("2026-09-25", "2026-09-27", "中秋节", []),
    ("2026-10-01", "2026-10-07", "国庆节", ["2026-09-20", "2026-10-10"]),
]


def load(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    rows = []
    for first, last, name, workdays in ARRANGEMENTS:
        day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        while day <= end:
            rows.append(CalendarDay(date=day, kind="holiday", name=name))
            day += dt.timedelta(days=1)
        rows += [CalendarDay(date=dt.date.fromisoformat(d), kind="workday", name=f"{name}调休") for d in workdays]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_calendar_day")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
