from django.db import migrations

# A frozen copy of what the members work line adds to the built-in roles.
ADDED = {
    "系统管理员": ["members.view", "members.change", "members.import", "members.export", "members.view_sensitive"],
    "单位管理员": ["members.view", "members.change", "members.import", "members.export", "members.view_sensitive"],
    "业务经办": ["members.view", "members.change", "members.import", "members.export"],
    "审批": ["members.view"],
    "查阅": ["members.view"],
}


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for name, perms in ADDED.items():
        role = Role.objects.filter(name=name, builtin=True).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(perms))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_builtin_roles")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
