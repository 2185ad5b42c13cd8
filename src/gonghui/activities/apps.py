"""The 活动与阵地 work line's declaration (core.workline)."""

from gonghui.core import workline
from gonghui.core.workline import CLERK, READER, Nav, Perm


class ActivitiesConfig(workline.WorkLineConfig):
    name = "gonghui.activities"
    label = "activities"
    verbose_name = "活动与阵地"
    depends_on = ("orgs", "members", "api")  # members: attendance lists name roster persons
    api_module = "gonghui.activities.api"
    permissions = (
        Perm("activities.view", "查看活动、服务阵地、安全监督与宣传信息", roles=(CLERK, workline.APPROVER, READER)),
        Perm("activities.change", "登记活动、签到名单、阵地服务、安全检查与宣传信息", roles=(CLERK,)),
        Perm("activities.manage", "维护活动类型"),
    )
    nav = (Nav("活动与阵地", "activities:index", "activities.view", group="帮扶服务", order=50),)
    actions = (Nav("登记活动", "activities:create", "activities.change", group="", order=70),)
    record_perms = {"activities": "activities.view"}
    url_prefix = "activities/"
    guide = "guide.md"
    audit_models = ("Activity", "ActivityKind", "ServicePost", "Inspection", "Finding", "PublicityItem", "AnkangEntry",
                    "PersonVisit", "ActivityAttachment")
    audit_fields = {"late": "逾期整改", "created": "新建", "source": "名单来源", "on": "日期", "visits": "服务人次",
                    "volunteer": "志愿者", "hours": "服务时长", "kind": "类型",
                    "kinds": "各类型条数", "skipped": "跳过的名册外人员",
                    "attachment": "附件", "employer": "参赛单位", "year": "年度", "participants": "参赛职工",
                    "teams": "参赛班组", "result": "竞赛结果", "org_id": "组织单位", "visited_on": "走访日期",
                    "amount": "慰问金"}
    audit_actions = {
        "activities.kind.created": "新增活动类型", "activities.kind.updated": "修改活动类型",
        "activities.activity.created": "登记活动", "activities.activity.updated": "修改活动记录",
        "activities.activity.deleted": "删除活动记录", "activities.attendance.set": "登记活动签到名单",
        "activities.import": "导入活动记录",
        "activities.activity.bulk_created": "批量登记活动",
        "activities.attachment.added": "上传活动附件", "activities.attachment.deleted": "删除活动附件",
        "activities.ankang.entered": "安康杯报名", "activities.ankang.updated": "修改安康杯参赛情况",
        "activities.visit.created": "登记走访慰问",
        "activities.post.created": "登记服务阵地", "activities.post.closed": "停用服务阵地",
        "activities.post.visits": "登记阵地服务人次",
        "activities.post.visitor": "逐人登记阵地来访", "activities.post.volunteer": "登记志愿服务",
        "activities.inspection.created": "登记安全监督检查", "activities.finding.added": "登记检查发现问题",
        "activities.finding.closed": "问题整改完成", "activities.publicity.created": "登记宣传信息",
    }

    def connect(self):
        from gonghui.orgs.services import REHOMERS

        from .services import rehome_activity_rows

        # A back-dated move re-homes activities, attendance, visits, inspections and publicity.
        REHOMERS.append(rehome_activity_rows)
