from gonghui.core import workline
from gonghui.core.workline import Nav, Perm


class AccountsConfig(workline.WorkLineConfig):
    name = "gonghui.accounts"
    label = "accounts"
    verbose_name = "账号与权限"
    depends_on = ("orgs",)
    permissions = (
        Perm("accounts.manage", "管理本单位及下级账号与授权"),
        Perm("accounts.roles", "定义角色", system_only=True),
    )
    nav = (Nav("账号", "accounts:users", "accounts.manage", group="系统", order=30),)
    url_prefix = "accounts/"
    audit_actions = {
        "accounts.login.succeeded": "登录成功", "accounts.login.failed": "登录失败",
        "accounts.login.locked": "登录失败次数过多，账号锁定", "accounts.user.password_changed": "修改密码",
        "accounts.user.created": "创建账号", "accounts.user.activated": "启用账号",
        "accounts.user.deactivated": "停用账号", "accounts.grant.created": "授权",
        "accounts.grant.revoked": "撤销授权", "accounts.role.saved": "保存角色",
    }

    def connect(self):
        from django.db.models.signals import post_migrate

        from .services import sync_builtin_roles_after_migrate

        # A code a work line declares reaches the built-in roles at the next migrate, with no
        # hand-written data migration.
        post_migrate.connect(sync_builtin_roles_after_migrate, dispatch_uid="gonghui.accounts.builtin_roles")
