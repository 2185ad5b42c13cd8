from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gonghui.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from gonghui.core.audit import register_actions

        from . import demo  # noqa: F401  (registers the demo personas builder)

        register_actions({
            "accounts.login.succeeded": "登录成功", "accounts.login.failed": "登录失败",
            "accounts.login.locked": "登录失败次数过多，账号锁定", "accounts.user.password_changed": "修改密码",
            "accounts.user.created": "创建账号", "accounts.user.activated": "启用账号",
            "accounts.user.deactivated": "停用账号", "accounts.grant.created": "授权",
            "accounts.grant.revoked": "撤销授权", "accounts.role.saved": "保存角色",
        })
