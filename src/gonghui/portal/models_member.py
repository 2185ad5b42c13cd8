"""The portal's record of which member a 职工代表 is (see DelegateLink)."""

from django.db import models


class DelegateLink(models.Model):
    """That a 职工代表 of the democracy line is this member (the delegate list holds names only):
    set by a clerk of the congress's union, so the member may file and follow his 提案 online."""

    delegate = models.OneToOneField("democracy.Delegate", on_delete=models.CASCADE, related_name="portal_link",
                                    verbose_name="职工代表")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+", verbose_name="会员")
    linked_at = models.DateTimeField("关联时间", auto_now_add=True)
    linked_by = models.CharField("经办人", max_length=150, blank=True)

    class Meta:
        verbose_name = "职工代表会员关联"

    def __str__(self):
        return f"职工代表关联 {self.delegate_id}"

    @property
    def audit_org_path(self) -> str:
        return self.delegate.term.congress.org.path
