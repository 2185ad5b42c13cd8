"""Per-user API tokens: the secret is shown once and stored only as its digest (core.crypto)."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="用户")
    name = models.CharField("令牌名称", max_length=60)
    # The public half of the token ("gh_<key>_<secret>"): finds the row without scanning digests.
    key = models.CharField("令牌标识", max_length=16, unique=True)
    # "<profile>:<hex digest>" of the secret half (core.crypto.digest); the secret itself is never stored.
    digest = models.CharField(max_length=140)
    read_only = models.BooleanField("只读", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by_name = models.CharField("撤销人", max_length=150, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="apitoken_user_created")]

    def __str__(self):
        return f"{self.name}（{self.key}）"

    @property
    def audit_org_path(self) -> str:
        return self.user.home_org.path if self.user.home_org_id else ""

    def is_active_at(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now

    def state_label(self, now) -> str:
        if self.revoked_at is not None:
            return "已撤销"
        return "有效" if self.expires_at > now else "已过期"
