"""The 民主管理 work line's declaration (core.workline)."""

from gonghui.core import workline
from gonghui.core.workline import CLERK, READER, Nav, Perm


class DemocracyConfig(workline.WorkLineConfig):
    name = "gonghui.democracy"
    label = "democracy"
    verbose_name = "民主管理"
    depends_on = ("orgs", "api")
    api_module = "gonghui.democracy.api"
    permissions = (
        Perm("democracy.view", "查看职代会、提案与厂务公开", roles=(CLERK, workline.APPROVER, READER)),
        Perm("democracy.view_sensitive", "查看民主评议的被评议人和结果（留痕）"),
        Perm("democracy.change", "登记职代会、代表、会议表决、提案办理与公开记录，导入代表名单", roles=(CLERK,)),
    )
    nav = (Nav("民主管理", "democracy:index", "democracy.view", group="权益保障", order=30),)
    url_prefix = "democracy/"
    guide = "guide.md"
    audit_models = ("Congress", "Proposal", "Term", "Delegate", "Session", "Motion", "Resolution", "Disclosure",
                    "Opinion", "DisclosureSystem", "BoardMember", "Evaluation")
    audit_fields = {"date": "日期", "passed": "通过", "delegates": "代表人数", "items": "公开项目", "session": "会议",
                    "against": "反对票", "cosigners": "附议人"}
    audit_actions = {
        "democracy.congress.created": "建立职代会", "democracy.congress.ended": "撤销职代会",
        "democracy.term.opened": "产生新一届职代会", "democracy.term.confirmed": "确认代表名单",
        "democracy.term.drafted": "代表名单存为草稿",
        "democracy.delegate.added": "增加职工代表", "democracy.delegate.removed": "删除职工代表",
        "democracy.delegates.imported": "导入职工代表名单",
        "democracy.session.recorded": "登记职代会会议", "democracy.motion.voted": "议案表决",
        "democracy.resolution.adopted": "登记决议",
        "democracy.proposal.filed": "提出提案", "democracy.proposal.accepted": "提案立案",
        "democracy.proposal.rejected": "提案不立案", "democracy.proposal.assigned": "提案交办",
        "democracy.proposal.answered": "提案答复", "democracy.proposal.feedback": "提案人反馈",
        "democracy.disclosure.recorded": "登记公开记录", "democracy.disclosure_system.set": "建立厂务公开制度",
        "democracy.board_member.elected": "选举职工董事、职工监事", "democracy.evaluation.recorded": "登记民主评议",
        "democracy.opinion.raised": "对公开内容提出意见", "democracy.opinion.answered": "答复公开意见",
    }
