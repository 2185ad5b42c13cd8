from gonghui.core import workline
from gonghui.core.workline import CLERK, READER, Nav, Perm


class MembersConfig(workline.WorkLineConfig):
    name = "gonghui.members"
    label = "members"
    verbose_name = "会员"
    depends_on = ("orgs",)
    permissions = (
        Perm("members.view", "查看会员", roles=(CLERK, workline.APPROVER, READER)),
        Perm("members.change", "办理入会、转会、保留会籍、退会等", roles=(CLERK,)),
        Perm("members.import", "导入会员名册", roles=(CLERK,)),
        Perm("members.export", "导出会员名册", roles=(CLERK,)),
        Perm("members.view_sensitive", "查看完整身份证号和手机号（留痕）"),
    )
    nav = (Nav("会员", "members:roster", "members.view", group="组织与会员", order=30),)
    actions = (Nav("新增会员（入会）", "members:join", "members.change", group=""),)
    url_prefix = "members/"
    guide = "guide.md"
    audit_models = ("Person", "Membership", "Transfer")
    audit_fields = {"joined_on": "入会日期", "to_union": "转入工会", "initiator": "发起方", "joined": "入会人数",
                    "unions": "各工会入会人数"}
    audit_actions = {
        "members.member.joined": "入会", "members.member.transferred": "转会",
        "members.transfer.requested": "申请转会（待接收）", "members.transfer.accepted": "接收转会",
        "members.transfer.rejected": "退回转会", "members.member.retained": "保留会籍",
        "members.member.restored": "恢复会籍", "members.member.withdrawn": "退会",
        "members.member.expelled": "除名", "members.member.deceased": "死亡",
        "members.person.updated": "修改会员信息",
        "members.member.transferred_out": "转出（系统外）", "members.member.transferred_in": "转入（系统外）",
    }

    def connect(self):
        from gonghui.orgs import services as org_services

        from .services import members_left_in_union, rehome_member_events, rehome_member_periods

        org_services.DISSOLUTION_CHECKS.append(members_left_in_union)
        # A back-dated move re-homes the member events dated on or after it.
        org_services.REHOMERS.append(rehome_member_events)
        # … and splits the status periods at it, so stock figures count each member under the
        # union's path on the date asked for (MemberStatusPeriod.path).
        org_services.REHOMERS.append(rehome_member_periods)
