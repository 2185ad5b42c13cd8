"""The 考核与填报 work line's declaration (core.workline): target-management appraisal of
subordinates scored from the registry, and data-collection rounds with their supervision."""

from gonghui.core import workline
from gonghui.core.workline import CLERK, READER, Nav, Perm


class AppraisalConfig(workline.WorkLineConfig):
    name = "gonghui.appraisal"
    label = "appraisal"
    verbose_name = "考核与填报"
    # reports: the year's targets, period locks with their snapshots, reported values.
    depends_on = ("orgs", "reports", "api")
    api_module = "gonghui.appraisal.api"
    permissions = (
        Perm("appraisal.view", "查看考核方案、考核结果和填报任务", roles=(CLERK, READER, workline.APPROVER)),
        Perm("appraisal.change", "制定和下达考核方案、自评与考核评分、下发和填报填报任务", roles=(CLERK,)),
    )
    nav = (Nav("考核与填报", "appraisal:index", "appraisal.view", group="统计与总结", order=30),)
    url_prefix = "appraisal/"
    guide = "guide.md"
    audit_models = ("Scheme", "Indicator", "Appraisal", "Entry", "Round", "Submission", "Upload")
    audit_fields = {"scores": "得分", "orgs": "下发单位", "total": "总分", "reason": "理由", "carried": "带入的自评",
                    "indicators": "指标数", "files": "上传文件"}
    audit_actions = {
        "appraisal.scheme.created": "制定考核方案", "appraisal.scheme.updated": "修改考核方案",
        "appraisal.indicator.saved": "保存考核指标", "appraisal.indicator.removed": "删除考核指标",
        "appraisal.scheme.issued": "下达考核方案", "appraisal.entry.self_scored": "考核自评",
        "appraisal.appraisal.submitted": "提交考核自评", "appraisal.entry.reviewed": "考核评分",
        "appraisal.scheme.published": "公布考核结果", "appraisal.scheme.versioned": "修订考核方案（新版本）",
        "appraisal.upload.added": "上传佐证材料", "appraisal.upload.removed": "删除佐证材料",
        "appraisal.round.recurrence": "设置填报任务自动下发",
        "appraisal.round.sent": "下发填报任务", "appraisal.round.closed": "填报任务截止",
        "appraisal.round.copied": "复制填报任务", "appraisal.submission.saved": "保存填报草稿",
        "appraisal.submission.submitted": "提交填报", "appraisal.submission.returned": "退回填报",
        "appraisal.submission.accepted": "采用填报", "appraisal.submission.reopened": "允许截止后补报",
        "appraisal.submission.reminded": "催报",
    }
