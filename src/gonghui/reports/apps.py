from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gonghui.reports"
    label = "reports"
    verbose_name = "统计与工作总结"

    def ready(self):
        from gonghui.core.audit import register_actions

        register_actions({
            "reports.target.set": "设置目标值", "reports.target.cleared": "清除目标值",
            "reports.reported.set": "登记上报值", "reports.reported.cleared": "清除上报值",
            "reports.period.locked": "锁定统计期间", "reports.period.unlocked": "解除统计期间锁定",
            "reports.template.uploaded": "上传工作总结模板", "reports.template.removed": "删除工作总结模板",
        })
