from gonghui.core import workline
from gonghui.core.workline import CLERK, LOGIN, READER, Nav, Perm


class CoreConfig(workline.WorkLineConfig):
    """The platform: figures, to-do items, jobs, the audit log and the working-day calendar."""

    name = "gonghui.core"
    label = "core"
    verbose_name = "公共"
    permissions = (
        Perm("stats.view", "查看统计", roles=(CLERK, workline.APPROVER, READER)),
        Perm("calendar.manage", "维护节假日日历"),
        Perm("audit.view", "查看审计日志", roles=(READER,)),
        Perm("notices.post", "向本单位及下级发布通知"),  # 单位管理员 and 系统管理员
    )
    nav = (
        Nav("首页", "core:home", LOGIN, group="", order=0),
        Nav("统计", "core:stats", "stats.view", group="统计与总结", order=10),
        Nav("待办", "core:todo", LOGIN, group="", order=5),  # stands alone: its badge is the day's work
        Nav("我的任务", "jobs:list", LOGIN, group="系统", order=20),
        Nav("上级通知", "core:notices", LOGIN, group="系统", order=25),
        Nav("审计日志", "core:audit", "audit.view", group="系统", order=40),
        Nav("节假日", "core:calendar", "calendar.manage", group="系统", order=50),
    )
    record_perms = {"core": "stats.view"}
    audit_models = ("Notice",)
    audit_fields = {"retired": "停用的密钥版本", "write": "写入用密钥版本", "version": "密钥版本", "removed": "删除的密钥",
                    "audit_key_kept": "保留审计密钥", "environment": "环境变量中的密钥"}
    url_prefix = ""
    extra_urls = (("jobs/", "gonghui.core.urls_jobs"),)
    audit_actions = {"core.calendar.set": "录入节假日调整", "core.calendar.removed": "删除节假日调整",
                     "core.keys.rotated": "密钥轮换", "core.keys.retired": "停用旧密钥",
                     "core.notice.posted": "发布通知", "core.notice.withdrawn": "撤回通知"}

    def ready(self):
        super().ready()
        from . import checks, rotation  # noqa: F401  (the keys' system check; the key rotation's job runner)
