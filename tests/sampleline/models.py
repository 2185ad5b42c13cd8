from django.db import models


class Visit(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, verbose_name="走访单位")
    org_path = models.CharField("单位路径", max_length=255, db_index=True)
    visited_on = models.DateField("走访日期")
    follow_up_on = models.DateField("回访日期", null=True, blank=True)
    title = models.CharField("事由", max_length=100)

    class Meta:
        verbose_name = "走访记录"
        indexes = [models.Index(fields=["org_path", "visited_on"], name="sampleline__org_pat_idx")]

    def __str__(self):
        return self.title
