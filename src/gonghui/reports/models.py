"""Statistics data that is entered, not computed: targets, published (reported) values,
period locks with their snapshots, and uploaded work-summary templates."""

from django.conf import settings
from django.db import models


class Target(models.Model):
    """The year's target for one metric at one node (e.g. 入会率 99%, 新建工会 50 家)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="组织")
    metric_code = models.CharField("指标代码", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("目标值", max_digits=16, decimal_places=2)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "目标值"
        constraints = [models.UniqueConstraint(fields=["org", "year", "metric_code"], name="target_unique")]

    def __str__(self):
        return f"{self.org} {self.year} {self.metric_code} = {self.value}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class ReportedValue(models.Model):
    """A published figure stored beside the computed one (DOMAIN §12.4: they may differ)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="组织")
    metric_code = models.CharField("指标代码", max_length=100)
    start = models.DateField("开始日期")
    end = models.DateField("截止日期")
    value = models.DecimalField("上报值", max_digits=16, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "上报值"
        constraints = [
            models.UniqueConstraint(fields=["org", "start", "end", "metric_code"], name="reported_unique")
        ]

    def __str__(self):
        return f"{self.org} {self.start}–{self.end} {self.metric_code} = {self.value}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class PeriodLock(models.Model):
    """A node's period whose figures were published: the snapshot is what was published."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="组织")
    start = models.DateField("开始日期")
    end = models.DateField("截止日期")
    locked_at = models.DateTimeField("锁定时间")
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="锁定人")
    # {metric code: Value.as_dict()} for the node including subordinates, and per part:
    # {"parts": {metric code: {path: Value.as_dict()}}} for the additive metrics' breakdowns.
    snapshot = models.JSONField("快照", default=dict)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "统计期间锁定"
        constraints = [models.UniqueConstraint(fields=["org", "start", "end"], name="lock_unique")]

    def __str__(self):
        return f"{self.org} {self.start}–{self.end}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class SummaryTemplate(models.Model):
    """A federation's own Word template for the work summary (used by its whole subtree)."""

    org = models.OneToOneField("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="组织")
    name = models.CharField("文件名", max_length=200)
    content = models.BinaryField("模板")
    uploaded_at = models.DateTimeField("上传时间")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="上传人")

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "工作总结模板"

    def __str__(self):
        return f"{self.org}：{self.name}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path
