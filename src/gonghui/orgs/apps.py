from gonghui.core import workline
from gonghui.core.workline import CLERK, READER, Nav, Perm

VIEW = (CLERK, workline.APPROVER, READER)


class OrgsConfig(workline.WorkLineConfig):
    name = "gonghui.orgs"
    label = "orgs"
    verbose_name = "组织"
    permissions = (
        Perm("orgs.view", "查看组织", roles=VIEW),
        Perm("orgs.change", "维护组织（组建、更名、转移、换届、注销）", roles=(CLERK,)),
        Perm("orgs.import", "导入组织与用人单位", roles=(CLERK,)),
        Perm("employers.view", "查看用人单位", roles=VIEW),
        Perm("employers.change", "维护用人单位与覆盖关系", roles=(CLERK,)),
    )
    nav = (
        Nav("组织", "orgs:tree", "orgs.view", group="组织与会员", order=10),
        Nav("用人单位", "orgs:employers", "employers.view", group="组织与会员", order=20),
    )
    actions = (Nav("登记用人单位", "orgs:employer_create", "employers.change", group=""),)
    # The records behind the employer figures are employers, not unions.
    record_perms = {"orgs": "orgs.view", "orgs.employers": "employers.view",
                    "orgs.employers_required": "employers.view", "orgs.employers_covered": "employers.view",
                    "orgs.coverage_rate": "employers.view"}
    url_prefix = "orgs/"
    guide = "guide.md"
    audit_models = ("Org", "Employer", "Coverage", "OrgTerm")
    audit_actions = {
        "orgs.org.founded": "组建", "orgs.org.updated": "修改组织信息", "orgs.org.renamed": "更名",
        "orgs.org.moved": "转移", "orgs.org.reelected": "换届", "orgs.org.type_changed": "升格/变更类型",
        "orgs.org.legal_registered": "法人资格登记", "orgs.org.dissolved": "注销",
        "orgs.employer.created": "登记用人单位", "orgs.employer.updated": "修改用人单位",
        "orgs.coverage.started": "开始覆盖", "orgs.coverage.ended": "终止覆盖",
        "orgs.employer.alias_added": "关联单位名称", "orgs.employer.alias_removed": "取消关联单位名称",
    }

    def connect(self):
        from gonghui.core import tree

        from .selectors import TREE

        tree.register(TREE)
