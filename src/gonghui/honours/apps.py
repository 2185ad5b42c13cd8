"""The 劳模与荣誉 work line's declaration (core.workline)."""

from gonghui.core import workline


class HonoursConfig(workline.WorkLineConfig):
    name = "gonghui.honours"
    label = "honours"
    verbose_name = "劳模与荣誉"
    depends_on = ("orgs",)
