"""The 互助保障 work line's declaration (core.workline)."""

from gonghui.core import workline


class MutualAidConfig(workline.WorkLineConfig):
    name = "gonghui.mutual_aid"
    label = "mutual_aid"
    verbose_name = "互助保障"
    depends_on = ("orgs",)
