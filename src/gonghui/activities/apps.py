"""The 活动与阵地 work line's declaration (core.workline)."""

from gonghui.core import workline


class ActivitiesConfig(workline.WorkLineConfig):
    name = "gonghui.activities"
    label = "activities"
    verbose_name = "活动与阵地"
    depends_on = ("orgs",)
