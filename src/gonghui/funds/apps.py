"""The 工会经费 work line's declaration (core.workline)."""

from gonghui.core import workline


class FundsConfig(workline.WorkLineConfig):
    name = "gonghui.funds"
    label = "funds"
    verbose_name = "工会经费"
    depends_on = ("orgs",)
