from django.db import migrations

# A frozen copy: migrations must not import code that may change later.
ROLES = {
    "系统管理员": ["orgs.view", "orgs.change", "orgs.import", "employers.view", "employers.change", "stats.view",
              "audit.view", "accounts.manage", "accounts.roles"],
    "单位管理员": ["orgs.view", "orgs.change", "orgs.import", "employers.view", "employers.change", "stats.view",
              "audit.view", "accounts.manage"],
    "业务经办": ["orgs.view", "orgs.change", "orgs.import", "employers.view", "employers.change", "stats.view"],
    "审批": ["orgs.view", "employers.view", "stats.view"],
    "查阅": ["orgs.view", "employers.view", "stats.view", "audit.view"],
}


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for name, perms in ROLES.items():
        Role.objects.update_or_create(name=name, defaults={"permissions": perms, "builtin": True})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
