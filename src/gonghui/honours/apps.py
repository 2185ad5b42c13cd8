"""The 劳模与荣誉 work line's declaration (core.workline)."""

from gonghui.core import workline
from gonghui.core.workline import CLERK, READER, Nav, Perm


class HonoursConfig(workline.WorkLineConfig):
    name = "gonghui.honours"
    label = "honours"
    verbose_name = "劳模与荣誉"
    # members: a model worker is linked to the roster by ID number; assistance: a model worker in
    # hardship links to his 困难职工档案.
    depends_on = ("orgs", "members", "assistance", "api")
    api_module = "gonghui.honours.api"
    permissions = (
        Perm("honours.view", "查看劳模、关爱服务与荣誉", roles=(CLERK, READER, workline.APPROVER)),
        Perm("honours.change", "登记劳模、关爱服务，申报荣誉（经办）", roles=(CLERK,)),
        Perm("honours.approve", "荣誉评审、公示、命名与复查", roles=(workline.APPROVER,)),
        Perm("honours.view_sensitive", "查看劳模身份证号、联系电话（留痕）"),
    )
    nav = (Nav("劳模与荣誉", "honours:index", "honours.view", group="帮扶服务", order=40),)
    url_prefix = "honours/"
    guide = "guide.md"
    audit_models = ("ModelWorker", "Title", "CareRecord", "CareCampaign", "Honour", "HomeRating", "IndicatorSystem", "HomeSurvey", "Contest", "Entry",
                    "Recheck", "HomeRecheck", "Team", "Innovation")
    audit_fields = {"id_number": "公民身份号码", "count": "数量", "stage": "环节", "total": "得分合计",
                    "system": "指标体系", "outcome": "结论", "rectify_by": "整改期限", "on": "日期", "note": "依据",
                    "treatment": "待遇级别"}
    audit_actions = {
        "honours.worker.created": "登记劳模",
        "honours.worker.updated": "修改劳模信息",
        "honours.title.added": "登记劳模称号",
        "honours.title.removed": "删除劳模称号",
        "honours.title.regraded": "调整称号待遇级别",
        "honours.honour.scored": "荣誉评分（自评/评审打分）",
        "honours.honour.rechecked": "荣誉回头看",
        "honours.care.recorded": "登记劳模关爱服务",
        "honours.campaign.created": "创建关爱活动",
        "honours.honour.applied": "申报荣誉",
        "honours.honour.moved": "荣誉办理",
        "honours.home.rated": "职工之家评定",
        "honours.home.revoked": "撤销职工之家",
        "honours.home.rechecked": "职工之家回头看",
        "honours.indicators.created": "制定指标体系",
        "honours.survey.created": "开展会员评家",
        "honours.survey.answered": "录入会员评家问卷",
        "honours.contest.created": "创建竞赛",
        "honours.entry.added": "登记参赛与成绩",
        "honours.team.created": "登记班组/集体",
        "honours.innovation.added": "登记合理化建议/技术创新成果",
        "honours.innovation.decided": "合理化建议/技术创新成果评定",
    }

    def connect(self):
        from gonghui.orgs.services import REHOMERS

        from .services import rehome_honours_rows

        # A back-dated move re-homes care records, honours and ratings dated on or after it.
        REHOMERS.append(rehome_honours_rows)
