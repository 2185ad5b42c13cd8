"""Demo personas: one per permission position, with a known password (demo only)."""

from django.utils import timezone

from gonghui.core.demo import DemoContext, builder

from .models import Grant, Role, User
from .services import ensure_builtin_roles

DEMO_PASSWORD = "Gonghui@2026"


@builder("演示账号", after=("orgs",))
def build_personas(ctx: DemoContext) -> None:
    ensure_builtin_roles()
    roles = {r.name: r for r in Role.objects.all()}
    root, town = ctx.data["root"], ctx.data["townships"][0]
    union = next(u for u in ctx.data["unions"] if u.path.startswith(town.path) and not u.dissolved_on)
    people = [
        ("admin", "县总工会系统管理员", root, "系统管理员"),
        ("leader", "县总工会领导（只读）", root, "查阅"),
        ("town", f"{town.name}经办人", town, "业务经办"),
        ("townadmin", f"{town.name}单位管理员", town, "单位管理员"),
        ("union", f"{union.name}经办人", union, "业务经办"),
        ("outsider", "未授权的账号", None, None),
    ]
    for username, who, org, role in people:
        user = User(username=username, display_name=who, home_org=org, must_change_password=False,
                    password_changed_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
        if org is not None:
            Grant.objects.create(user=user, org=org, role=roles[role])
        ctx.logins.append((username, DEMO_PASSWORD, who))
