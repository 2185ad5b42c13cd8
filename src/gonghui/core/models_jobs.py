"""Background jobs (后台任务): one row per long import or export, for its progress bar and result.

The work itself runs in django-tasks' worker (`core.jobs.run_job`); this row is what the
user's browser polls and what the "我的任务" list shows after the browser was closed. Its
files (the uploaded sheet, an error report, an export) live under DATA_DIR/jobs with mode
600 and are named here relative to that folder, so a moved data dir keeps working.
"""

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("种类", max_length=40)  # a runner registered in core.jobs.RUNNERS
    title = models.CharField("任务", max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
                             verbose_name="发起人")
    org_path = models.CharField("组织路径", max_length=255, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField("当前步骤", max_length=20, blank=True)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    params = models.JSONField("参数", default=dict, blank=True)  # never personal data: that goes in the input file
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)  # Chinese, for the user: no personal data, no traceback
    input_path = models.CharField(max_length=255, blank=True)
    output_path = models.CharField(max_length=255, blank=True)
    output_name = models.CharField("结果文件名", max_length=150, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Liveness of a running job: the worker ("host:pid") and when it last said it was alive. The
    # heartbeat itself is a file touched every few seconds (core.jobs.Heartbeat), since a job saving
    # inside one long transaction cannot update this row where others would see it.
    worker = models.CharField("执行进程", max_length=100, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    # A failure the same work may not meet again (the worker stopped, an internal error): the job
    # page offers "重新运行", which makes a new job with the same parameters and input.
    retryable = models.BooleanField("可重新运行", default=False)
    rerun_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns",
                                 verbose_name="重新运行自")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "后台任务"
        indexes = [models.Index(fields=["user", "created_at"], name="job_user_created")]

    def __str__(self):
        return f"{self.title} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
