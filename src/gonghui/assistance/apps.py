from gonghui.core import workline
from gonghui.core.workline import CLERK, Nav, Perm


class AssistanceConfig(workline.WorkLineConfig):
    name = "gonghui.assistance"
    label = "assistance"
    verbose_name = "困难帮扶"
    depends_on = ("orgs", "members", "api")  # members: a household head is linked to the roster by ID number
    api_module = "gonghui.assistance.api"
    permissions = (
        Perm("assistance.view", "查看困难职工档案与帮扶", roles=(CLERK, workline.APPROVER)),
        Perm("assistance.change", "建档、申请救助、登记发放、结对帮扶（经办）", roles=(CLERK,)),
        Perm("assistance.review", "审核救助申请", roles=(workline.APPROVER,)),
        Perm("assistance.approve", "审批救助申请", roles=(workline.APPROVER,)),
        Perm("assistance.view_sensitive", "查看家庭收支、子女等敏感信息（留痕）"),
    )
    nav = (Nav("困难帮扶", "assistance:index", "assistance.view", group="帮扶服务", order=10),)
    actions = (Nav("困难职工建档", "assistance:archive_create", "assistance.change", group=""),)
    record_perms = {"assistance": "assistance.view", "pairing": "assistance.view"}
    url_prefix = "assistance/"
    guide = "guide.md"
    audit_models = ("Archive", "Application", "Payment", "Campaign", "Pairing", "Visit", "Helper", "LivingStandard")
    audit_fields = {"eligible": "初审符合条件", "count": "新增对象数", "created": "新建",
                    "family_id_numbers": "家庭成员身份证号码"}

    def connect(self):
        from gonghui.core import audit
        from gonghui.orgs.services import REHOMERS

        from . import conf
        from .services import rehome_assistance_rows

        # 资金来源 are configured codes, not model choices: the audit log shows their labels.
        audit.register_value_labels("assistance.payment", "fund_source", conf.fund_source_label)

        # A back-dated move re-homes archive events, payments and visits dated on or after it.
        REHOMERS.append(rehome_assistance_rows)
    audit_actions = {
        "assistance.standard.set": "维护低保标准",
        "assistance.archive.created": "困难职工建档",
        "assistance.archive.updated": "困难档案重新核定",
        "assistance.archive.notice": "困难档案公示",
        "assistance.archive.entered": "困难档案入档",
        "assistance.archive.review_started": "开始年度复核",
        "assistance.archive.reviewed": "年度复核通过",
        "assistance.archive.recovered": "困难家庭脱困",
        "assistance.archive.relieved": "困难家庭解困",
        "assistance.archive.exited": "困难档案退出",
        "assistance.application.submitted": "申请帮扶",
        "assistance.application.screened": "初审帮扶申请",
        "assistance.application.reviewed": "审核帮扶申请",
        "assistance.application.approved": "批准帮扶申请",
        "assistance.application.rejected": "驳回帮扶申请",
        "assistance.payment.recorded": "登记帮扶发放",
        "assistance.campaign.created": "创建帮扶活动",
        "assistance.campaign.targets_added": "添加活动帮扶对象",
        "assistance.helper.created": "登记帮扶单位",
        "assistance.pairing.created": "结对帮扶",
        "assistance.pairing.ended": "结束结对",
        "assistance.visit.recorded": "登记帮扶走访",
        "assistance.document.added": "上传申请附件",
    }
