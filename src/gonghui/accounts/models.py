"""Users, roles as data, and grants of a role on an org node (covering its subtree)."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    must_change_password = models.BooleanField("首次登录须改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Login failures before this moment no longer count (an administrator lifted the limits);
    # the failures themselves are django-axes' records (accounts.throttle).
    login_unlocked_at = models.DateTimeField("解除登录限制时间", null=True, blank=True)
    # The org the account belongs to (who created it); scope comes from grants, not from this.
    home_org = models.ForeignKey(
        "orgs.Org", verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "用户"

    def __str__(self):
        return self.display_name or self.username

    @property
    def audit_org_path(self) -> str:
        return self.home_org.path if self.home_org_id else ""


class Role(models.Model):
    name = models.CharField("角色名称", max_length=50, unique=True)
    permissions = models.JSONField("权限", default=list)
    builtin = models.BooleanField("内置", default=False)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "角色"

    def __str__(self):
        return self.name


class Grant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants", verbose_name="用户")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="grants", verbose_name="授权单位")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants", verbose_name="角色")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "授权"
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="grant_unique")]

    def __str__(self):
        return f"{self.user} @ {self.org.name}: {self.role}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords: a new one may not repeat the last few
    (accounts.validators.PasswordHistoryValidator, 等保 2.0 身份鉴别)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="password_history_user")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
