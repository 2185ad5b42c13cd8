from gonghui.core import workline
from gonghui.core.workline import CLERK, Nav, Perm


class PortalConfig(workline.WorkLineConfig):
    name = "gonghui.portal"
    label = "portal"
    verbose_name = "会员服务"
    # members: the join and transfer services; orgs: employers and their coverage.
    depends_on = ("orgs", "members", "accounts", "honours", "assistance", "mutual_aid", "democracy", "api")  # accounts: the login throttle's client address;
    # honours: 会员评家 answers; mutual_aid: the cover on the records page; assistance: the household's applications shown to the member;
    # democracy: a delegate member files and follows his 提案 (services_member)
    permissions = (
        Perm("portal.view", "查看网上入会申请和会员个人信息权利请求", roles=(CLERK, workline.APPROVER, workline.READER)),
        Perm("portal.change", "审核网上入会申请、发放激活码、办理个人信息权利请求", roles=(CLERK,)),
    )
    nav = (Nav("网上入会", "portal:applications", "portal.view", group="组织与会员", order=40),
           Nav("个人信息权利", "portal:rights_list", "portal.view", group="组织与会员", order=45),
           Nav("网上帮扶申请", "portal:help_list", "portal.view", group="帮扶服务", order=80),
           Nav("职工代表会员服务", "portal:delegate_links", "democracy.view", group="权益保障", order=31))
    url_prefix = "m/"
    api_module = "gonghui.portal.api"  # the staff's reads of applications and requests
    guide = "guide.md"  # the same text as docs/guide/member-portal.md (images from docs/screenshots)
    audit_models = ("Application", "RightsRequest", "HelpRequest", "DelegateLink", "Passkey")
    audit_fields = {"consent_version": "隐私告知版本", "consented_at": "同意时间", "union": "工会",
                    "card_no": "会员证号", "person": "会员", "reason": "理由", "reply": "答复",
                    "kind": "请求类型", "due_on": "办理期限", "status": "状态", "id_number": "公民身份号码",
                    "phone": "手机号码", "name": "姓名", "to_union": "转入工会",
                    "effective_on": "转会日期", "delegate": "职工代表", "title": "案由", "feedback": "提案人意见",
                    "passkeys": "作废的通行密钥数"}
    audit_actions = {
        "portal.application.submitted": "提交网上入会申请", "portal.application.accepted": "批准网上入会申请",
        "portal.application.refused": "不予批准网上入会申请", "portal.account.code_issued": "发放会员服务激活码",
        "portal.account.activated": "激活会员服务账户", "portal.card.renewed": "更换电子会员证二维码",
        "portal.rights.requested": "提出个人信息权利请求", "portal.rights.closed": "办结个人信息权利请求",
        "portal.help.requested": "网上申请帮扶", "portal.help.decided": "答复网上帮扶申请",
        "portal.transfer.requested": "会员在线申请转会", "portal.delegate.linked": "关联职工代表的会员账户",
        "portal.delegate.unlinked": "取消职工代表的会员账户关联", "portal.proposal.filed": "职工代表在线提出提案",
        "portal.proposal.feedback": "提案人在线反馈答复意见",
        "portal.passkey.added": "会员添加通行密钥", "portal.passkey.removed": "会员删除通行密钥",
        "portal.passkey.signed_in": "会员使用通行密钥登录", "portal.passkey.revoked": "重新发放激活码时作废通行密钥",
    }
