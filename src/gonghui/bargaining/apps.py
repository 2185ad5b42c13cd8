from gonghui.core import workline
from gonghui.core.workline import CLERK, READER, Nav, Perm


class BargainingConfig(workline.WorkLineConfig):
    name = "gonghui.bargaining"
    label = "bargaining"
    verbose_name = "集体协商"
    depends_on = ("orgs", "democracy", "api")
    api_module = "gonghui.bargaining.api"
    permissions = (
        Perm("bargaining.view", "查看集体协商与集体合同", roles=(CLERK, workline.APPROVER, READER)),
        Perm("bargaining.change", "办理集体协商、登记集体合同与履约检查、导入台账", roles=(CLERK,)),
    )
    nav = (Nav("集体协商", "bargaining:index", "bargaining.view", group="权益保障", order=10),)
    actions = (Nav("开始集体协商", "bargaining:create", "bargaining.change", group=""),)
    url_prefix = "bargaining/"
    guide = "guide.md"
    audit_models = ("Contract", "Representative", "Meeting", "Vote", "Inspection")
    audit_fields = {"date": "日期", "accepted": "接受协商要约", "late": "逾期", "topics": "协商议题",
                    "employers": "合同覆盖单位", "for": "赞成", "passed": "通过",
                    "session": "职代会会议"}
    audit_actions = {
        "bargaining.contract.opened": "启动集体协商", "bargaining.contract.offered": "发出协商要约",
        "bargaining.contract.replied": "记录要约回应", "bargaining.contract.prepared": "记录协商准备",
        "bargaining.contract.met": "记录协商会议", "bargaining.contract.suspended": "中止协商",
        "bargaining.contract.draft_agreed": "协商达成合同草案",
        "bargaining.contract.vote_passed": "职代会审议通过", "bargaining.contract.vote_failed": "职代会审议未通过",
        "bargaining.contract.signed": "集体合同签字", "bargaining.contract.filed": "报送人社部门审查",
        "bargaining.contract.objected": "审查机关提出异议", "bargaining.contract.effective": "确认合同生效",
        "bargaining.contract.published": "公布集体合同", "bargaining.contract.terminated": "终止集体合同",
        "bargaining.contract.abandoned": "终止协商", "bargaining.contract.terms": "修改合同条款",
        "bargaining.contract.attached": "上传合同扫描件", "bargaining.contract.inspected": "履约检查",
        "bargaining.contract.registered": "按台账登记集体合同",
        "bargaining.representative.added": "增加协商代表", "bargaining.representative.removed": "删除协商代表",
    }

    def connect(self):
        from gonghui.orgs.services import DISSOLUTION_CHECKS

        from .services import open_negotiations_of

        DISSOLUTION_CHECKS.append(open_negotiations_of)
