"""Shared records: the hash-chained audit log and the access log of personal data."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update/delete are refused: log rows are written once and never changed."""

    def update(self, **kwargs):
        raise TypeError("日志只能追加，不能修改。")

    def delete(self):
        raise TypeError("日志只能追加，不能删除。")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("日志只能追加，不能删除。")


class AuditEvent(AppendOnlyModel):
    """One business change. Entries form a chain: hash = HMAC(key, prev_hash ‖ entry)."""

    class Source(models.TextChoices):
        WEB = "web", "网页"
        IMPORT = "import", "导入"
        CLI = "cli", "命令行"
        TASK = "task", "后台任务"
        SYSTEM = "system", "系统"

    seq = models.PositiveBigIntegerField("序号", unique=True)
    created_at = models.DateTimeField("时间", db_index=True)
    # Plain columns, not foreign keys: an entry must survive the deletion of what it names.
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("动作", max_length=100)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_label = models.CharField("对象", max_length=255, blank=True)
    org_path = models.CharField("组织路径", max_length=255, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.WEB)
    request_id = models.CharField("请求ID", max_length=32, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The key version and profile of `hash` ("k2:gm", core.crypto). Null for entries written before
    # key versions, and nullable so that adding it is an ALTER TABLE ADD COLUMN: SQLite would
    # otherwise rebuild the table and drop its append-only triggers.
    key = models.CharField("密钥版本", max_length=16, null=True, blank=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = "审计日志"
        indexes = [
            models.Index(fields=["org_path", "action", "created_at"], name="audit_org_action_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor_id", "created_at"], name="audit_actor_time"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_label}"


class AuditChainHead(models.Model):
    """A single row holding the chain's last seq and hash.

    Appending locks this row (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises
    writers with IMMEDIATE transactions), so concurrent services cannot fork the chain.
    It also lets `audit verify` notice entries cut off the end of the chain.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"audit chain head #{self.seq}"


class AccessLog(AppendOnlyModel):
    """A full view or an export of personal data (个人信息保护法: who saw what, when, why)."""

    class Kind(models.TextChoices):
        VIEW_FULL = "view_full", "查看完整信息"
        EXPORT = "export", "导出"

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user_id = models.BigIntegerField("用户ID", null=True)
    user_name = models.CharField("用户", max_length=150)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    object_type = models.CharField("对象类型", max_length=50)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    fields = models.JSONField("字段", default=list)
    reason = models.CharField("事由", max_length=255, blank=True)
    org_path = models.CharField("组织路径", max_length=255, blank=True)
    request_id = models.CharField("请求ID", max_length=32, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "个人信息访问日志"
        indexes = [models.Index(fields=["org_path", "created_at"], name="access_org_time")]

    def __str__(self):
        return f"{self.user_name} {self.get_kind_display()} {self.object_type}#{self.object_id}"


from .models_imports import ImportMapping  # noqa: E402,F401  (the import mapping step's memory)
from .models_jobs import Job  # noqa: E402,F401  (background jobs live in their own module)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday that falls on a weekday
    (or any day off), or a weekend day that is a working day (调休上班). China publishes
    these yearly, so they are data that an administrator maintains, not code."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class Notice(models.Model):
    """A short notice a federation posts to every unit under it (上级通知), shown on the start page of
    the users below it while it is in force. Kept by org path, like the audit log, so that core
    needs no link to the app that keeps the tree."""

    org_path = models.CharField("组织路径", max_length=255)
    org_name = models.CharField("发布单位", max_length=200)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", max_length=1000, blank=True)
    valid_from = models.DateField("发布日期")
    valid_until = models.DateField("有效期至")
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    posted_by_id = models.BigIntegerField("发布人ID", null=True, blank=True)
    posted_by_name = models.CharField("发布人", max_length=150, blank=True)
    posted_at = models.DateTimeField("发布时间", auto_now_add=True)

    scope_path_field = "org_path"

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = "通知"
        indexes = [models.Index(fields=["org_path", "valid_until"], name="notice_org_until")]

    def __str__(self):
        return self.title

    @property
    def audit_org_path(self) -> str:
        return self.org_path
