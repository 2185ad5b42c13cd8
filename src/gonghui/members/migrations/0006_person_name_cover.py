"""`person_name_c` covers what the roster reads of a person (PostgreSQL only, like 0002).

The roster joins the person for its order (the name under COLLATE "C"), its search (name
prefix, pinyin keys) and its filters (gender, 农民工, birth date, first joined), and fetches
the people of a page afterwards (selectors.roster). With those columns in the index the
first page of a search is an index-only walk in name order that stops after one page, with
no read of the people's wide rows: pinyin `zhang` over a city of a million members went
from 1.0 s to about 0.1 s (issue 14, docs/benchmarks.md). It replaces the plain name index
of 0002 under the same name.
"""

from django.db import migrations

COVER = ('CREATE INDEX person_name_c ON members_person ((name COLLATE "C")) '
         "INCLUDE (id, pinyin_keys, gender, is_migrant_worker, birth_date, first_joined_on)")
PLAIN = 'CREATE INDEX person_name_c ON members_person ((name COLLATE "C"))'


def cover(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_c")
        schema_editor.execute(COVER)


def plain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_c")
        schema_editor.execute(PLAIN)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_period_path")]
    operations = [migrations.RunPython(cover, plain)]
