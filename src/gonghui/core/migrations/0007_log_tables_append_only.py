# On PostgreSQL the audit log and the access log refuse UPDATE, DELETE and TRUNCATE in the database
# itself, so tampering needs more than the application's credentials (docs/deploy.md says how to run
# the application as a role that does not own the tables).
#
# Who may still change them: a superuser, and the tables' owner (the role that ran the migrations).
# Both could drop or disable the triggers anyway, so letting them through costs no protection, and it
# keeps `manage flush` and the test suite's flushes working (they run as the owner or a superuser).
# A session flag (SET gonghui.x = on) was not used as the way in: any role may set a custom setting,
# the application's role included, so it would protect nothing.
#
# SQLite has no roles; there the application's append-only model (core.models.AppendOnlyModel) and
# the hash chain with its checkpoints outside the database are the protection.

from django.db import migrations

TABLES = ("core_auditevent", "core_accesslog")

FUNCTION = """
CREATE OR REPLACE FUNCTION gonghui_logs_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        IF TG_LEVEL = 'ROW' AND TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '日志只能追加：表 % 拒绝 %（当前角色 %）', TG_TABLE_NAME, TG_OP, current_user
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: RAISE uses % itself
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION gonghui_logs_append_only()")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION gonghui_logs_append_only()")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS gonghui_logs_append_only()")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_job_heartbeat'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
