"""Search indexes that only PostgreSQL has (ARCHITECTURE §6 pitfall; measured in docs/benchmarks.md).

- `person_name_c`: the name under `COLLATE "C"` (code-point order), which serves the roster's
  prefix search and its ORDER BY under any database collation (members.selectors.name_key).
- `person_pinyin_trgm`: a trigram GIN index for `pinyin_keys LIKE '% ouyang%'` (6.9 s → 16 ms at
  1M people). It needs the pg_trgm extension; where the database user may not create it, the index
  is skipped with a notice and pinyin search still works, only slower.
SQLite gets neither: its searches use the plain indexes.
"""

from django.db import migrations

NAME_C = 'CREATE INDEX IF NOT EXISTS person_name_c ON members_person ((name COLLATE "C"))'
TRGM = "CREATE INDEX IF NOT EXISTS person_pinyin_trgm ON members_person USING gin (pinyin_keys gin_trgm_ops)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(NAME_C)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SAVEPOINT gonghui_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(TRGM)
        except Exception as exc:  # no privilege to create the extension: search still works
            cursor.execute("ROLLBACK TO SAVEPOINT gonghui_trgm")
            print(f"  注意：未能创建拼音检索的 pg_trgm 索引（{exc.__class__.__name__}），拼音检索仍可用，但较慢。")
        else:
            cursor.execute("RELEASE SAVEPOINT gonghui_trgm")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_pinyin_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS person_name_c")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
