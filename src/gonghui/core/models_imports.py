"""What a clerk chose in an import's mapping step, remembered for his next sheet of the same layout.

A provincial roster or a county ledger comes back every month with the same columns; the mapping
step (core.views_import) offers his last choices for that layout pre-filled. Keyed by the uploader,
the importer kind and a hash of the sheet's normalised header row (core.excel.Layout.key); the
mapping holds header names only, never a cell of the sheet.
"""

from django.conf import settings
from django.db import models


class ImportMapping(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="上传人")
    kind = models.CharField("导入种类", max_length=40)
    layout = models.CharField("表头样式", max_length=64)  # core.excel.Layout.key
    mapping = models.JSONField("列对应", default=dict)  # {sheet column key: our header or 忽略}
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "导入列对应"
        constraints = [models.UniqueConstraint(fields=["user", "kind", "layout"], name="import_mapping_once")]

    def __str__(self):
        return f"{self.kind} {self.layout[:8]}"
