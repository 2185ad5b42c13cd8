from gonghui.core import workline
from gonghui.core.workline import Nav, Perm


class ReportsConfig(workline.WorkLineConfig):
    """Dashboards, drill-down, targets, period locks, the standard tables and the Word summary."""

    name = "gonghui.reports"
    label = "reports"
    verbose_name = "统计与工作总结"
    depends_on = ("orgs", "members")  # members: the annual statistics report counts members by unit type
    permissions = (Perm("stats.manage", "维护目标值与上报值、锁定统计期间、管理工作总结模板"),)
    nav = (Nav("报表与总结", "reports:index", "stats.view", group="统计与总结", order=20),)
    record_perms = {"reports": "stats.view", "annual": "stats.view"}  # annual.*: annual_figures.py
    url_prefix = "reports/"
    guide = "guide.md"
    audit_models = ("Target", "ReportedValue", "PeriodLock")
    audit_fields = {"metric": "指标", "period": "统计期间"}
    audit_actions = {
        "reports.target.set": "设置目标值", "reports.target.cleared": "清除目标值",
        "reports.reported.set": "登记上报值", "reports.reported.cleared": "清除上报值",
        "reports.period.locked": "锁定统计期间", "reports.period.unlocked": "解除统计期间锁定",
        "reports.template.uploaded": "上传工作总结模板", "reports.template.removed": "删除工作总结模板",
    }

    def connect(self):
        from gonghui.core import audit
        from gonghui.core.metrics import REGISTRY

        # The annual statistics report: its own figures (they cross orgs and members), registered
        # last, and its export (`gonghui export annual-report`).
        from . import annual_export, annual_figures  # noqa: F401

        # Targets and reported values name their metric by its code: the audit log shows its label.
        audit.register_value_labels("*", "metric", lambda code: REGISTRY[code].label if code in REGISTRY else code)
