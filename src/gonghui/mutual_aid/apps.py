"""The 互助保障 work line's declaration (core.workline)."""

from gonghui.core import workline
from gonghui.core.workline import CLERK, Nav, Perm


class MutualAidConfig(workline.WorkLineConfig):
    name = "gonghui.mutual_aid"
    label = "mutual_aid"
    verbose_name = "互助保障"
    depends_on = ("orgs", "members", "api")  # members: an insured person is a member of the roster
    api_module = "gonghui.mutual_aid.api"
    permissions = (
        Perm("mutual_aid.view", "查看互助保障参保与理赔", roles=(CLERK, workline.APPROVER, workline.READER)),
        Perm("mutual_aid.change", "办理参保、登记理赔（经办）", roles=(CLERK,)),
        Perm("mutual_aid.plan", "设置互助保障项目与期次", roles=()),
        Perm("mutual_aid.review", "审核理赔", roles=(workline.APPROVER,)),
        Perm("mutual_aid.approve", "审批理赔、登记给付", roles=(workline.APPROVER,)),
        Perm("mutual_aid.view_sensitive", "查看理赔诊断等健康信息（留痕）"),
    )
    nav = (Nav("互助保障", "mutual_aid:index", "mutual_aid.view", group="帮扶服务", order=30),)
    record_perms = {"mutual_aid": "mutual_aid.view"}
    url_prefix = "mutual_aid/"
    guide = "guide.md"
    audit_models = ("Claim", "Batch", "Item", "Plan", "Term", "ClaimDocument", "FormTemplate")
    audit_fields = {"benefits": "给付类别", "items": "参保人员数", "item_ended_on": "保障终止日",
                    "home_path": "统计归属（组织路径）", "rehomed_rows": "重新归属的记录数",
                    "account": "银行账号", "document": "材料类别", "size": "文件大小(字节)"}
    audit_actions = {
        "mutual_aid.plan.created": "设立互助保障项目",
        "mutual_aid.plan.updated": "修改互助保障项目",
        "mutual_aid.term.created": "设立参保期次",
        "mutual_aid.batch.created": "单位集体参保",
        "mutual_aid.batch.imported": "参保名册导入（多张参保单）",
        "mutual_aid.batch.added": "参保批次增补人员",
        "mutual_aid.batch.rehomed": "参保批次重新归属",
        "mutual_aid.claim.registered": "登记理赔",
        "mutual_aid.claim.reviewed": "审核理赔",
        "mutual_aid.claim.approved": "审批理赔",
        "mutual_aid.claim.paid": "理赔给付",
        "mutual_aid.claim.rejected": "理赔拒付",
        "mutual_aid.claim.payee_set": "登记理赔收款账户",
        "mutual_aid.claim.document_added": "上传理赔材料",
        "mutual_aid.template.uploaded": "上传参保单模板",
        "mutual_aid.template.removed": "停用参保单模板",
    }

    def connect(self):
        from gonghui.orgs.services import REHOMERS

        from .services import rehome_mutual_aid_rows

        # A back-dated move re-homes batches, items and claims dated on or after it.
        REHOMERS.append(rehome_mutual_aid_rows)
