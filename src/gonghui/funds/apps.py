"""The 工会经费 work line's declaration (core.workline)."""

from gonghui.core import workline
from gonghui.core.workline import APPROVER, CLERK, READER, Nav, Perm


class FundsConfig(workline.WorkLineConfig):
    name = "gonghui.funds"
    label = "funds"
    verbose_name = "工会经费"
    depends_on = ("orgs", "accounts", "api")  # accounts: who prepared and approved a refund
    api_module = "gonghui.funds.api"
    permissions = (
        Perm("funds.view", "查看工会经费收缴、分成与返还", roles=(CLERK, APPROVER, READER)),
        Perm("funds.change", "登记经费收入、工资总额申报、返还手续，编制返还", roles=(CLERK,)),
        Perm("funds.approve", "审批经费返还", roles=(APPROVER,)),
        Perm("funds.manage", "维护经费分成比例", system_only=True),
        Perm("funds.view_sensitive", "查看返还账户完整账号（留痕）"),
    )
    nav = (Nav("工会经费", "funds:index", "funds.view", group="帮扶服务", order=40),)
    url_prefix = "funds/"
    guide = "guide.md"
    audit_models = ("Receipt", "Declaration", "SplitShare", "RefundFormality", "Refund", "DuesRecord", "FundReview",
                    "ReviewFinding", "LetterTemplate")
    audit_fields = {"account": "银行账号", "shares": "分成比例", "remainder": "承担尾差层级",
                    "rows": "笔数", "matched": "已匹配笔数", "pending": "待匹配笔数",
                    "first_reference": "首笔凭证号", "last_reference": "末笔凭证号", "source": "来源",
                    "findings": "发现问题数", "on_time": "按期整改"}
    audit_actions = {
        "funds.receipt.recorded": "登记经费收入", "funds.receipt.matched": "匹配经费收入缴款单位",
        "funds.declaration.recorded": "登记工资总额申报", "funds.share.set": "设置经费分成比例",
        "funds.formality.saved": "登记返还手续", "funds.refund.prepared": "编制经费返还",
        "funds.refund.approved": "审批经费返还", "funds.refund.refused": "退回经费返还",
        "funds.refund.paid": "登记返还支付", "funds.import": "导入经费收入",
        "funds.dues.recorded": "登记会费收缴", "funds.review.recorded": "登记经费审查",
        "funds.finding.added": "登记审查发现问题", "funds.finding.rectified": "登记问题整改",
        "funds.letter_template.uploaded": "上传催缴通知书模板", "funds.letter_template.removed": "停用催缴通知书模板",
    }

    def connect(self):
        from gonghui.orgs.services import COVERAGE_HOOKS, REHOMERS

        from .services import reattribute_employer, rehome_fund_rows

        REHOMERS.append(rehome_fund_rows)
        COVERAGE_HOOKS.append(reattribute_employer)
