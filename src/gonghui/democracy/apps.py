"""The 民主管理 work line's declaration (core.workline)."""

from gonghui.core import workline


class DemocracyConfig(workline.WorkLineConfig):
    name = "gonghui.democracy"
    label = "democracy"
    verbose_name = "民主管理"
    depends_on = ("orgs",)
