"""The fixed vocabulary of permission codes (one line per work line and action).

Roles are data (accounts.Role) holding a subset of these codes; a grant of a role on an
org node covers the node's whole subtree. Sensitive data (petitions, hardship) get their
own codes: seeing members does not imply seeing them.
"""

PERMISSIONS: dict[str, str] = {
    "orgs.view": "查看组织",
    "orgs.change": "维护组织（组建、更名、转移、换届、注销）",
    "orgs.import": "导入组织与用人单位",
    "employers.view": "查看用人单位",
    "employers.change": "维护用人单位与覆盖关系",
    "members.view": "查看会员",
    "members.change": "办理入会、转会、保留会籍、退会等",
    "members.import": "导入会员名册",
    "members.export": "导出会员名册",
    "members.view_sensitive": "查看完整身份证号和手机号（留痕）",
    "bargaining.view": "查看集体协商与集体合同",
    "bargaining.change": "办理集体协商、登记集体合同与履约检查、导入台账",
    "petitions.view": "查看信访与劳动争议调解案件",
    "petitions.change": "登记、转办和办理信访与调解案件",
    "petitions.approve": "审批信访办理期限延长",
    "petitions.view_sensitive": "查看信访人身份与联系方式（留痕）",
    "assistance.view": "查看困难职工档案与帮扶",
    "assistance.change": "建档、申请救助、登记发放、结对帮扶（经办）",
    "assistance.review": "审核救助申请",
    "assistance.approve": "审批救助申请",
    "assistance.view_sensitive": "查看家庭收支、子女等敏感信息（留痕）",
    "stats.view": "查看统计",
    "stats.manage": "维护目标值与上报值、锁定统计期间、管理工作总结模板",
    "calendar.manage": "维护节假日日历",
    "audit.view": "查看审计日志",
    "accounts.manage": "管理本单位及下级账号与授权",
    "accounts.roles": "定义角色",
}

# Built-in roles, created by a data migration and kept in step by `ensure_builtin_roles`.
BUILTIN_ROLES: dict[str, list[str]] = {
    "系统管理员": list(PERMISSIONS),
    "单位管理员": [p for p in PERMISSIONS if p != "accounts.roles"],
    "业务经办": ["orgs.view", "orgs.change", "orgs.import", "employers.view", "employers.change", "members.view",
             "members.change", "members.import", "members.export", "bargaining.view", "bargaining.change",
             "petitions.view", "petitions.change", "assistance.view", "assistance.change", "stats.view"],
    "审批": ["orgs.view", "employers.view", "members.view", "bargaining.view", "petitions.view", "petitions.approve",
           "assistance.view", "assistance.review", "assistance.approve", "stats.view"],
    # Read-only leaders see work lines and figures, not petitioners or household finances.
    "查阅": ["orgs.view", "employers.view", "members.view", "bargaining.view", "stats.view", "audit.view"],
}
