from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "gonghui.members"
    label = "members"
    verbose_name = "会员"

    def ready(self):
        from gonghui.core.audit import register_actions, register_fields
        from gonghui.orgs import services as org_services

        from . import demo, metrics  # noqa: F401  (register demo builder and metrics)
        from .models import Person
        from .services import members_left_in_union

        org_services.DISSOLUTION_CHECKS.append(members_left_in_union)
        register_fields(Person)
        register_actions({
            "members.member.joined": "入会", "members.member.transferred": "转会",
            "members.transfer.requested": "申请转会（待接收）", "members.transfer.accepted": "接收转会",
            "members.transfer.rejected": "退回转会", "members.member.retained": "保留会籍",
            "members.member.restored": "恢复会籍", "members.member.withdrawn": "退会",
            "members.member.expelled": "除名", "members.member.deceased": "死亡",
            "members.person.updated": "修改会员信息",
        })
