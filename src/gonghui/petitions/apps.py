from gonghui.core import workline
from gonghui.core.workline import CLERK, Nav, Perm


class PetitionsConfig(workline.WorkLineConfig):
    name = "gonghui.petitions"
    label = "petitions"
    verbose_name = "信访与调解"
    depends_on = ("orgs", "accounts")  # accounts: the A/B handler choices
    permissions = (
        Perm("petitions.view", "查看信访与劳动争议调解案件", roles=(CLERK, workline.APPROVER)),
        Perm("petitions.change", "登记、转办和办理信访与调解案件", roles=(CLERK,)),
        Perm("petitions.approve", "审批信访办理期限延长", roles=(workline.APPROVER,)),
        Perm("petitions.view_sensitive", "查看信访人身份与联系方式（留痕）"),
    )
    nav = (Nav("信访调解", "petitions:index", "petitions.view", group="权益保障", order=20),)
    actions = (Nav("登记信访", "petitions:register", "petitions.change", group=""),
               Nav("受理劳动争议调解", "petitions:mediation_new", "petitions.change", group="", order=60))
    # Mediation figures are part of this line.
    record_perms = {"petitions": "petitions.view", "mediation": "petitions.view"}
    url_prefix = "petitions/"
    guide = "guide.md"
    audit_models = ("Petition", "Mediation", "Extension", "MediationSession", "Petitioner")
    # name, address: the petitioners' (in the access log of a full view or an export).
    audit_fields = {"from_org": "转出单位", "to_org": "转至单位", "on": "日期", "name": "信访人姓名", "address": "信访人住址"}

    def connect(self):
        from gonghui.core import audit

        from . import conf

        # 诉求类别 are configured codes, not model choices: the audit log shows their labels.
        audit.register_value_labels("petitions.petition", "category", conf.category_label)

    audit_actions = {
        "petitions.petition.registered": "登记信访案件", "petitions.petition.assigned": "指定信访承办人",
        "petitions.petition.updated": "修改信访登记信息",
        "petitions.petition.accepted": "受理信访并告知", "petitions.petition.rejected": "信访不予受理",
        "petitions.petition.forwarded": "转办信访案件", "petitions.petition.objected": "对转办提出异议并退回",
        "petitions.petition.reported": "上报上级工会",
        "petitions.petition.progress": "登记信访办理情况", "petitions.petition.replied": "答复信访人",
        "petitions.petition.closed": "信访办结", "petitions.petition.review_requested": "申请复查",
        "petitions.petition.recheck_requested": "申请复核", "petitions.petition.review_replied": "复查答复",
        "petitions.petition.recheck_replied": "复核答复", "petitions.petition.reopened": "信访重新办理",
        "petitions.extension.requested": "申请信访延期", "petitions.extension.approved": "批准信访延期",
        "petitions.extension.refused": "不批准信访延期", "petitions.absence.marked": "登记承办人不在岗",
        "petitions.mediation.registered": "受理劳动争议调解", "petitions.mediation.session": "登记调解记录",
        "petitions.mediation.closed": "调解结案", "petitions.import": "导入历史信访案件",
        "petitions.attachment.added": "上传信访附件",
    }
