from django.db import migrations

# A frozen copy of what the bargaining, petitions, assistance, statistics and calendar work
# lines add to the built-in roles (see core.permissions.BUILTIN_ROLES).
NEW = ["bargaining.view", "bargaining.change", "petitions.view", "petitions.change", "petitions.approve",
       "petitions.view_sensitive", "assistance.view", "assistance.change", "assistance.review",
       "assistance.approve", "assistance.view_sensitive", "stats.manage", "calendar.manage"]
ADDED = {
    "系统管理员": NEW,
    "单位管理员": NEW,
    "业务经办": ["bargaining.view", "bargaining.change", "petitions.view", "petitions.change", "assistance.view",
             "assistance.change"],
    "审批": ["bargaining.view", "petitions.view", "petitions.approve", "assistance.view", "assistance.review",
           "assistance.approve"],
    "查阅": ["bargaining.view"],
}


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for name, perms in ADDED.items():
        role = Role.objects.filter(name=name, builtin=True).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(perms))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_member_permissions")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
