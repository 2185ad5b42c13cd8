"""Field hints of the 劳模与荣誉 forms (DOMAIN §8, §9): the rule each field follows."""

from gonghui.core.hints import hint

from . import conf, forms
from .models import Treatment

ORG = "须在您的管理范围内；可输入名称、拼音首字母或编码查找。"
# The configured levels are codes (provincial, city): shown by their Chinese names.
EQUIV = "、".join(f"{k}→{dict(Treatment.choices).get(v, v)}" for k, v in conf.equivalences().items())
TREATMENT = (f"计算劳模人数时按待遇级别计，一人多个称号按最高级别只计一人。已配置的对应关系（优先）：{EQUIV}；"
             "其余称号按其级别计，“享受劳模待遇”须选择待遇级别。")

hint(forms, "WorkerFilterForm", {
    "q": "姓名，可只输前几个字。",
    "org": "只看该单位及其下级管理的劳模；留空为您管理的全部单位。",
    "level": TREATMENT,
    "status": "在职、退休或已故。",
    "party": "只看中共党员（劳模党员）。",
    "hardship": "只看标记为困难劳模的人员。",
})
hint(forms, "WorkerForm", {
    "org_code": "管理该劳模的工会。" + ORG,
    "name": "与身份证一致。",
    "id_number": "18位公民身份号码（GB 11643），末位可为X；加密保存，页面脱敏显示。是会员时自动关联会员库。同一身份证号只能登记一次。",
    "phone": "手机或固定电话；加密保存，页面脱敏显示。",
    "employer_name": "劳模目前（或退休前）所在单位的名称。",
    "industry": "所在单位所属行业。",
    "status": "现状为已故时须填写去世日期，其后不再计入劳模人数。",
    "died_on": "仅现状为已故时填写。",
    "is_civil_servant": "国家工作人员劳模参加公务员体检，劳模健康体检活动默认不含这部分人员。",
    "is_party_member": "用于七一慰问劳模党员等。",
    "is_hardship": "经认定生活困难的劳模，计入困难劳模人数。",
    "registered_on": "登记入册的日期；此前的统计不计此人。",
})
hint(forms, "TitleForm", {
    "name": "称号全称，如“全国劳动模范”“省劳动模范”“全国五一劳动奖章”。",
    "level": "全国、省部级、地市级、县级或享受劳模待遇；不选级别不能保存。",
    "year": "授予年份，必填；同一人同一年度的同一称号只能登记一次。",
    "conferred_by": "如党中央、国务院，省人民政府。",
    "batch": "授予批次，如“2020年全国劳动模范和先进工作者表彰大会”。",
    "certificate_no": "证书上的编号。",
    "treatment": TREATMENT,
    "conferred_on": "表彰决定的日期，须在授予年份内；不填按该年1月1日起计。待遇级别自此日起计入劳模人数。",
})
hint(forms, "TitleLevelForm", {
    "title": "该劳模已登记的称号。",
    "treatment": "调整后的待遇级别；截止日在起始日期之前的统计仍按原级别计。",
    "on": "新级别的起始日期，须晚于现行级别的起始日期。",
    "note": "调整的依据，如文件名称和文号，必填。",
})
hint(forms, "MemberReviewForm", {
    "survey": "申报单位及其下属工会开展的会员评家；满意率须达到该次测评的合格满意率才能进入评审。",
    "on": "不能早于上一步的日期。",
})
hint(forms, "RecheckForm", {
    "on": "回头看（复查）的日期，不能早于上一步的日期。",
    "inspector": "如“县总工会检查组”。",
    "findings": "检查发现的情况；结论为限期整改或撤销时即为理由。",
    "outcome": "保留（按设定年限再次到期复查）、限期整改（须填写整改期限）或撤销。",
    "rectify_by": "仅限期整改时填写，须晚于检查日期；到期前在待办中提醒。",
    "score": "按指标体系检查时的得分，可不填。",
})
hint(forms, "ScoreForm", {
    "stage": "自评由申报单位在申报、自评环节填写；评审打分由评审人员在评审环节填写。再次评分替换该环节原有得分。",
    "system": "按荣誉类别适用的指标体系；一项荣誉只按一个指标体系评分。",
})
hint(forms, "CareForm", {
    "kind": "健康体检、疗休养、节日慰问、荣誉津贴、困难劳模帮扶、座谈/宣讲。",
    "served_on": "服务或发放的日期；不能晚于去世日期。",
    "amount": "慰问金、津贴、帮扶金等金额（元），无金额的服务填0。",
    "note": "如慰问的节日、体检机构。",
})
hint(forms, "CampaignForm", {
    "org_code": "组织活动的工会，其本级及下级管理的劳模为对象。" + ORG,
    "name": "如“2025年劳模健康体检”“七一慰问劳模党员”。",
    "kind": "活动中登记的服务均为此类别。",
    "start_on": "服务日期须在活动期间内。",
    "end_on": "不能早于开始日期。",
    "amount": "每人标准（元），登记服务时默认按此金额。",
    "exclude_civil_servants": "健康体检默认不含国家工作人员（其参加公务员体检）。",
    "party_members_only": "如七一慰问劳模党员。",
    "hardship_only": "如困难劳模帮扶。",
})
hint(forms, "ServeForm", {"served_on": "须在活动期间内；同一劳模在一项活动中只登记一次。"})
hint(forms, "HonourFilterForm", {
    "org": "只看该单位及其下级申报的荣誉。",
    "recipient": "个人或集体。",
    "honour_type": "工人先锋号、五一劳动奖状/奖章、模范职工之家等。",
    "level": "全国、省级、市级、县级或系统内。",
    "status": "申报→评审→公示→命名→复查（保留/限期整改/撤销）。",
    "year": "荣誉所属年度。",
})
hint(forms, "HonourForm", {
    "org_code": "申报的工会（集体荣誉为该单位工会）。" + ORG,
    "recipient": "个人荣誉按人次统计，集体荣誉按项统计。",
    "recipient_name": "个人姓名或集体（单位、班组）全称。",
    "team": "集体荣誉授予班组、车间等时选填：输入名称可从已有班组中选择；申报单位及下属都没有该名称时自动登记；个人荣誉不填。",
    "honour_type": "荣誉类别。",
    "level": "全国、省级、市级、县级或系统内。",
    "issuer": "授予荣誉的机关或工会，必填。",
    "year": "荣誉所属年度。",
    "applied_on": "申报日期。",
    "note": "补充说明。",
})
hint(forms, "MoveForm", {
    "to": "只列出当前状态可办理的下一步。命名后按设定年限到期复查。",
    "on": "不能早于上一步的日期。",
    "note": "未通过、限期整改或撤销时必填理由。",
})
hint(forms, "HomeForm", {
    "org_code": "被评定的基层工会。" + ORG,
    "level": "合格/先进/模范（系统内）或县级、市级、省级、全国模范职工之家；新评定替代原有评定。",
    "rated_on": "命名日期，须晚于该工会原有评定的日期。",
    "issuer": "命名的工会。",
})
hint(forms, "SurveyForm", {
    "org_code": "开展会员评家的基层工会。" + ORG,
    "name": "不填为“某年会员评家”。",
    "held_on": "测评日期。",
    "items": "每行一个测评项目，如“维护职工权益”“开展文体活动”。",
    "threshold": f"满意率（满意+基本满意）÷有效回答达到此比例为合格；不填按配置{conf.get('SURVEY_PASS_RATE')}%。",
})
hint(forms, "AnswersForm", {
    "lines": "纸质问卷批量录入：每行一份问卷，按测评项目顺序填写“满意”“基本满意”或“不满意”，用逗号分隔；"
             "某项未答留空。量表以外的回答整批不保存，并指出第几份问卷。",
})
hint(forms, "IndicatorSystemForm", {
    "org_code": "制定指标体系的工会。" + ORG,
    "name": "如“企业社会责任示范单位评价指标体系”。",
    "honour_type": "用于哪一类荣誉的自评和评审打分。",
    "total": "总分，项目（第一层）分值合计须等于总分。",
    "tree": "每行“名称 分值”，下级指标行首加“-”，每深一层多一个“-”（如“- 一级指标 5”“-- 二级指标 2”）；"
            "每一层下级指标的分值合计须等于上级分值，否则不能保存并指出是哪一项。",
})
hint(forms, "ContestForm", {
    "org_code": "组织竞赛的工会；参赛单位须在其范围内。" + ORG,
    "name": "如“2025年全县电工技能竞赛”。",
    "kind": "劳动竞赛、技能竞赛或岗位练兵。",
    "start_on": "按开始日期计入当期统计。",
    "end_on": "不能早于开始日期。",
    "events": "每行一个竞赛项目，如“低压电工”“焊工”；也可在详情页增加。",
})
hint(forms, "EntryForm", {
    "event": "本竞赛的项目。",
    "org_code": "参赛者所在的工会，须在竞赛组织单位的范围内。" + ORG,
    "name": "参赛者姓名。",
    "id_number": "填写后按身份证号关联会员库，并核对其所在工会在组织单位范围内；同一人每个项目只能报名一次。",
    "team": "团体项目的队伍名称，个人项目留空。",
    "rank": "名次（正整数），成绩未出时留空。",
    "score": "成绩或得分。",
    "award": "如“一等奖”“优胜奖”，未获奖留空。",
    "title_earned": "如“技术能手”“优胜选手”。",
    "prize": "发给本人的奖金（元）。",
})
hint(forms, "InnovationForm", {
    "org_code": "提出建议或成果的职工所在工会。" + ORG,
    "kind": "合理化建议（条）或技术创新成果（项），分别统计。",
    "title": "建议或成果的名称。",
    "proposer": "提出人姓名，多人用顿号分隔；由班组/集体提出时可不填。",
    "team": "由班组/集体提出时填写其名称；该工会没有同名班组时自动登记。",
    "submitted_on": "提出（登记）日期，不能晚于今天；按此日期计入当期条数。",
})
hint(forms, "DecideForm", {
    "item": "尚未处理的建议或成果（最近提出的在前）。",
    "adopted": "采纳或不采纳；每项只处理一次。",
    "on": "采纳日期，不能早于提出日期；创效按此日期计入当期。",
    "benefit": "采纳后创造的经济效益，元；不采纳时不填。",
    "reward": "给提出人或班组的奖励，元。",
})
