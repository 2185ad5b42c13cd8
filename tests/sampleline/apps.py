"""A tiny work line used to prove that a line plugs in by its folder and one line in the app
list (tests/settings.py). Nothing outside this folder names it: if a platform list had to be
edited to install it, tests/core/test_workline.py fails."""

from gonghui.core import workline
from gonghui.core.workline import CLERK, READER, Nav, Perm


class SampleLineConfig(workline.WorkLineConfig):
    name = "tests.sampleline"
    label = "sampleline"
    verbose_name = "走访样例"
    depends_on = ("orgs",)
    permissions = (
        Perm("sampleline.view", "查看走访记录", roles=(CLERK, READER)),
        Perm("sampleline.change", "登记走访记录", roles=(CLERK,)),
    )
    nav = (Nav("走访", "sampleline:index", "sampleline.view", group="帮扶服务", order=90),)
    url_prefix = "sampleline/"
    audit_actions = {"sampleline.visit.created": "登记走访"}
    audit_models = ("Visit",)
