from gonghui.core import workline
from gonghui.core.workline import Nav


class ApiConfig(workline.WorkLineConfig):
    name = "gonghui.api"
    label = "api"
    verbose_name = "数据接口"
    depends_on = ("accounts", "orgs", "members", "petitions", "reports")  # reports: figure breakdowns
    url_prefix = "api/"
    api_module = "gonghui.api.resources"
    guide = "guide.md"  # the same text as docs/guide/api.md (tests/api/test_guide.py keeps them equal)
    nav = (Nav("接口令牌", "api:tokens", workline.LOGIN, group="系统", order=90),)
    audit_actions = {
        "api.token.created": "创建接口令牌",
        "api.token.revoked": "撤销接口令牌",
    }
    audit_models = ("ApiToken",)
    audit_fields = {"read_only": "只读", "expires_at": "有效期至", "owner": "令牌所属用户"}
